/*
 * Corpus replay: every file of each fuzz target's corpus, run through the
 * target's LLVMFuzzerTestOneInput in the normal build (gcc, no libFuzzer),
 * so that the invariants the fuzzer checks stay true for the seeds and for
 * every input that once was a finding. One GTest case per file.
 */
#include "qemu/osdep.h"
#include "fuzz-target.h"

/* Fewer seeds than this means the corpus went missing, not that it passed
 * (a target with a smaller corpus says how many it has, meson.build) */
#ifndef CORPUS_MIN_FILES
#define CORPUS_MIN_FILES 24
#endif

static void test_replay_file(gconstpointer data)
{
    const char *path = data;
    g_autofree char *contents = NULL;
    g_autoptr(GError) gerr = NULL;
    gsize len;

    if (!g_file_get_contents(path, &contents, &len, &gerr)) {
        g_error("%s: %s", path, gerr->message);
    }
    g_assert_cmpint(LLVMFuzzerTestOneInput((const uint8_t *)contents, len),
                    ==, 0);
}

static void test_corpus_present(gconstpointer data)
{
    g_assert_cmpuint(GPOINTER_TO_UINT(data), >=, CORPUS_MIN_FILES);
}

/* g_ptr_array_sort hands over pointers to the elements */
static gint corpus_name_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    /* FUZZ_CORPUS=DIR replays another directory (a fuzzer's output) */
    const char *dir = g_getenv("FUZZ_CORPUS") ?: FUZZ_CORPUS_DIR;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) gerr = NULL;
    GDir *d;
    const char *name;
    guint i;

    g_test_init(&argc, &argv, NULL);
    d = g_dir_open(dir, 0, &gerr);
    if (!d) {
        g_error("%s: %s", dir, gerr->message);
    }
    while ((name = g_dir_read_name(d))) {
        g_ptr_array_add(names, g_strdup(name));
    }
    g_dir_close(d);
    g_ptr_array_sort(names, corpus_name_cmp);
    g_test_add_data_func("/fuzz-corpus/present",
                         GUINT_TO_POINTER(names->len), test_corpus_present);
    for (i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        g_autofree char *test = g_strdup_printf("/fuzz-corpus/%s", n);

        g_test_add_data_func_full(test, g_build_filename(dir, n, NULL),
                                  test_replay_file, g_free);
    }
    return g_test_run();
}
