/*
 * libFuzzer target for the JSON reader of -blockdev and -netdev
 * (block/block-json.c): one JSON text in, flattened dotted keys out.
 *
 * Input: the text, cut at the first NUL (the command line cannot carry
 * one). Beyond "no crash, no leak, no read past the end", every parse
 * must either fail with one of the parser's messages (QEMU 7.2's JSON
 * errors and "Invalid parameter type") or give options each of whose
 * keys has a value and can be deleted; no more keys than the input has
 * colons (-blockdev's form), or colons, commas and brackets (-netdev's,
 * with containers: every input is parsed both ways). (Empty keys are
 * valid JSON: QEMU reports them later as "Parameter 'cache.' is
 * unexpected", and so do we.)
 */
#include "qemu/osdep.h"
#include "block/block-int.h"
#include "fuzz-target.h"

/* QEMU's own input limit is far larger; this keeps one input fast */
#define FUZZ_MAX_JSON 4096

static void fuzz_check_error(Error *err)
{
    const char *msg = error_get_pretty(err);

    g_assert_true(g_str_has_prefix(msg, "JSON parse error, ") ||
                  g_str_has_prefix(msg, "Invalid parameter type for '"));
}

static void fuzz_check_opts(BlockOpts *opts, const char *text,
                            bool containers)
{
    size_t colons = 0, keys = 0;
    const char *key;

    for (const char *c = text; *c; c++) {
        colons += *c == ':' || (containers && (*c == ',' || *c == '['));
    }
    /* every key in order: with a value, then deleted */
    while ((key = block_opts_first_key(opts))) {
        g_autofree char *k = g_strdup(key);

        g_assert_cmpuint(++keys, <=, colons);
        g_assert_nonnull(block_opts_get(opts, k));
        block_opts_del(opts, k);
        g_assert_false(block_opts_has(opts, k));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *text = g_strndup((const char *)data,
                                      MIN(size, FUZZ_MAX_JSON));

    for (int containers = 0; containers < 2; containers++) {
        Error *err = NULL;
        BlockOpts *opts = block_opts_parse_json(text, containers, &err);

        if (opts) {
            g_assert_null(err);
            fuzz_check_opts(opts, text, containers);
            block_opts_free(opts);
        } else {
            g_assert_nonnull(err);
            fuzz_check_error(err);
            error_free(err);
        }
    }
    return 0;
}
