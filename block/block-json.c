/*
 * The JSON form of -blockdev ('{"driver":"raw","file":{...}}') and of
 * -netdev, as QEMU 7.2's qobject_input_visitor_new_str() takes it: one
 * JSON object, flattened here into the dotted keys every node's options
 * use, each value keeping its JSON type for QEMU's "Invalid parameter
 * type". With containers (JSON -netdev, whose lists QEMU accepts), also
 * arrays (element i of "k" is "k.i", as QEMU's qdict_flatten), nulls,
 * and an entry typed as its container for each object and array.
 *
 * A small recursive parser (RFC 8259 objects, arrays, strings with
 * escapes, numbers, true/false/null) rather than a JSON library: these
 * options are the only JSON microqemu reads, and this is smaller than
 * the dependency.
 */
#include "qemu/osdep.h"
#include "block/block-int.h"

/* QEMU's nesting limit (json-parser MAX_NESTING) */
#define JSON_MAX_DEPTH 64

typedef struct JsonParser {
    const char *p;
    BlockOpts *opts;
    bool containers;            /* arrays, nulls, container entries */
    Error **errp;
} JsonParser;

static void json_skip_ws(JsonParser *j)
{
    while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' ||
           *j->p == '\r') {
        j->p++;
    }
}

static bool json_error(JsonParser *j, const char *what)
{
    error_setg(j->errp, "JSON parse error, %s",
               *j->p ? what : "premature EOI");
    return false;
}

static int hex_digit(char c)
{
    return g_ascii_xdigit_value(c);
}

static bool json_string(JsonParser *j, GString *out)
{
    if (*j->p != '"') {
        return json_error(j, "expecting string");
    }
    j->p++;
    while (*j->p != '"') {
        unsigned char c = *j->p;

        if (!c) {
            return json_error(j, "premature EOI");
        }
        if (c < 0x20) {
            return json_error(j, "invalid character in string");
        }
        if (c != '\\') {
            g_string_append_c(out, c);
            j->p++;
            continue;
        }
        j->p++;
        switch (*j->p) {
        case '"': case '\\': case '/':
            g_string_append_c(out, *j->p);
            break;
        case 'b': g_string_append_c(out, '\b'); break;
        case 'f': g_string_append_c(out, '\f'); break;
        case 'n': g_string_append_c(out, '\n'); break;
        case 'r': g_string_append_c(out, '\r'); break;
        case 't': g_string_append_c(out, '\t'); break;
        case 'u': {
            gunichar u = 0;

            for (int i = 1; i <= 4; i++) {
                int v = hex_digit(j->p[i]);

                if (v < 0) {
                    return json_error(j, "invalid escape sequence in "
                                      "string");
                }
                u = u * 16 + v;
            }
            if (u == 0 || g_unichar_type(u) == G_UNICODE_SURROGATE) {
                return json_error(j, "invalid escape sequence in string");
            }
            g_string_append_unichar(out, u);
            j->p += 4;
            break;
        }
        default:
            return json_error(j, "invalid escape sequence in string");
        }
        j->p++;
    }
    j->p++;
    return true;
}

static bool json_object(JsonParser *j, const char *prefix, int depth);
static bool json_value(JsonParser *j, const char *key, int depth);

/* QEMU's parse_array: element i of key is "key.i" */
static bool json_array(JsonParser *j, const char *key, int depth)
{
    unsigned n = 0;

    if (depth > JSON_MAX_DEPTH) {
        return json_error(j, "nesting too deep");
    }
    j->p++;
    json_skip_ws(j);
    if (*j->p == ']') {
        j->p++;
        return true;
    }
    for (;;) {
        g_autofree char *elem = g_strdup_printf("%s.%u", key, n++);
        g_autofree char *count = g_strdup_printf("%u", n);

        json_skip_ws(j);
        if (*j->p == ',' || *j->p == ']') {
            return json_error(j, "expecting value");
        }
        if (!json_value(j, elem, depth)) {
            return false;
        }
        block_opts_set(j->opts, key, count, BLOCK_OPT_JSON_ARRAY);
        json_skip_ws(j);
        if (*j->p == ']') {
            j->p++;
            return true;
        }
        if (*j->p != ',') {
            return json_error(j, "expected separator in list");
        }
        j->p++;
    }
}

static bool json_value(JsonParser *j, const char *key, int depth)
{
    json_skip_ws(j);
    if (*j->p == '{') {
        g_autofree char *prefix = g_strdup_printf("%s.", key);

        if (j->containers) {
            block_opts_set(j->opts, key, "", BLOCK_OPT_JSON_OBJECT);
        }
        return json_object(j, prefix, depth + 1);
    }
    if (*j->p == '[' && j->containers) {
        block_opts_set(j->opts, key, "0", BLOCK_OPT_JSON_ARRAY);
        return json_array(j, key, depth + 1);
    }
    if (!strncmp(j->p, "null", 4) && j->containers) {
        block_opts_set(j->opts, key, "", BLOCK_OPT_JSON_NULL);
        j->p += 4;
        return true;
    }
    if (*j->p == '"') {
        g_autoptr(GString) s = g_string_new(NULL);

        if (!json_string(j, s)) {
            return false;
        }
        block_opts_set(j->opts, key, s->str, BLOCK_OPT_STRING);
        return true;
    }
    if (!strncmp(j->p, "true", 4) || !strncmp(j->p, "false", 5)) {
        bool t = *j->p == 't';

        block_opts_set(j->opts, key, t ? "on" : "off", BLOCK_OPT_JSON_BOOL);
        j->p += t ? 4 : 5;
        return true;
    }
    if (*j->p == '-' || g_ascii_isdigit(*j->p)) {
        const char *start = j->p;
        g_autofree char *num = NULL;

        j->p++;
        while (g_ascii_isdigit(*j->p)) {
            j->p++;
        }
        if (*j->p == '.' || *j->p == 'e' || *j->p == 'E') {
            error_setg(j->errp, "Invalid parameter type for '%s', "
                       "expected: integer", key);
            return false;
        }
        num = g_strndup(start, j->p - start);
        block_opts_set(j->opts, key, num, BLOCK_OPT_JSON_NUMBER);
        return true;
    }
    if (*j->p == '[' || !strncmp(j->p, "null", 4)) {
        error_setg(j->errp, "Invalid parameter type for '%s', expected: %s",
                   key, *j->p == '[' ? "string" : "string");
        return false;
    }
    return json_error(j, "invalid keyword");
}

static bool json_object(JsonParser *j, const char *prefix, int depth)
{
    if (depth > JSON_MAX_DEPTH) {
        return json_error(j, "nesting too deep");
    }
    json_skip_ws(j);
    if (*j->p != '{') {
        return json_error(j, "expecting object");
    }
    j->p++;
    json_skip_ws(j);
    if (*j->p == '}') {
        j->p++;
        return true;
    }
    for (;;) {
        g_autoptr(GString) name = g_string_new(prefix);

        json_skip_ws(j);
        if (!json_string(j, name)) {
            return false;
        }
        json_skip_ws(j);
        if (*j->p != ':') {
            return json_error(j, "missing : in object pair");
        }
        j->p++;
        if (!json_value(j, name->str, depth)) {
            return false;
        }
        json_skip_ws(j);
        if (*j->p == '}') {
            j->p++;
            return true;
        }
        if (*j->p != ',') {
            return json_error(j, "expected separator in dict");
        }
        j->p++;
    }
}

BlockOpts *block_opts_parse_json(const char *json, bool containers,
                                 Error **errp)
{
    JsonParser j = { .p = json, .opts = block_opts_new(),
                     .containers = containers, .errp = errp };

    block_opts_set_json(j.opts);
    if (!json_object(&j, "", 0)) {
        block_opts_free(j.opts);
        return NULL;
    }
    json_skip_ws(&j);
    if (*j.p) {
        json_error(&j, "expecting end of input");
        block_opts_free(j.opts);
        return NULL;
    }
    return j.opts;
}
