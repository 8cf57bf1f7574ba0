/* Replays the fuzzing corpora (inputs libFuzzer found to reach new code:
 * tests/fuzz/corpus for scenarios, corpus_csv, corpus_inspect and
 * corpus_ckpt) through the entry functions of the fuzz targets, and a set
 * of hostile inputs, so the sanitizer build of the test suite checks them
 * on every run. */
#define _POSIX_C_SOURCE 200809L
#define RIPPLE_FUZZ_REPLAY
#include <dirent.h>
#include <stdio.h>

#include "fuzz/fuzz_ckpt.c"
#include "fuzz/fuzz_csv.c"
#include "fuzz/fuzz_inspect.c"
#include "fuzz/fuzz_scenario.c"
#include "testutil.h"

/* Every file of tests/fuzz/NAME through fn; the number of files. */
static int replay(const char *name, int (*fn)(const uint8_t *, size_t))
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/../fuzz/%s", RIPPLE_TEST_DATA, name);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char path[1300]; /* dir, /, a name of at most 255 bytes */
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        static uint8_t buf[1 << 20];
        size_t len = fread(buf, 1, sizeof buf, f);
        assert_true(len < sizeof buf); /* the whole file */
        fclose(f);
        fn(buf, len);
        n++;
    }
    closedir(d);
    return n;
}

static void test_corpus(void **st)
{
    (void)st;
    assert_true(replay("corpus", rp_fuzz_scenario) >= 5);
}

static void test_corpus_csv(void **st)
{
    (void)st;
    assert_true(replay("corpus_csv", rp_fuzz_csv) >= 3);
}

static void test_corpus_inspect(void **st)
{
    (void)st;
    assert_true(replay("corpus_inspect", rp_fuzz_inspect) >= 5);
}

static void test_corpus_ckpt(void **st)
{
    (void)st;
    assert_true(replay("corpus_ckpt", rp_fuzz_ckpt) >= 5);
}

static void test_hostile(void **st)
{
    (void)st;
    const char *cases[] = {
        "",
        "{",
        "[[[[[[[[[[",
        "{\"network\": 1e999}",
        "\"\\ud800\"",
        "{\"network\": {\"nodes\": [{\"id\": \"a\", \"demand\": 1e308}, "
        "{\"id\": \"b\", \"capacity\": 1e-308}], \"edges\": [{\"from\": "
        "\"b\", \"to\": \"a\", \"ratio\": 1e308}]}}",
        "{\"network\": {\"nodes\": [{\"id\": \"a\", \"demand\": 1}, {\"id\": "
        "\"b\"}], \"edges\": [{\"from\": \"b\", \"to\": \"a\", \"lead_time\": "
        "3650}]}, \"horizon_days\": 36500, \"threats\": [{\"type\": "
        "\"cyber\", \"entry\": \"all\", \"rate_per_year\": 1e9, \"beta\": 1, "
        "\"duration\": 1}]}",
        ("{\"network\": {\"nodes\": [{\"id\": \"a\", \"demand\": 1, "
         "\"id\": \"a\"}]}}"),
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        rp_fuzz_scenario((const uint8_t *)cases[k], strlen(cases[k]));
    /* deep nesting beyond cJSON's limit is rejected, not a crash */
    size_t n = 5000;
    uint8_t *deep = malloc(n);
    memset(deep, '[', n);
    rp_fuzz_scenario(deep, n);
    free(deep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_corpus_csv),
        cmocka_unit_test(test_corpus_inspect),
        cmocka_unit_test(test_corpus_ckpt),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
