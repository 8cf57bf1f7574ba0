/* Replays the fuzzing corpus (tests/fuzz/corpus: inputs libFuzzer found to
 * reach new code) and a set of hostile inputs through the fuzz target, so
 * the sanitizer build of the test suite checks them on every run. */
#define _POSIX_C_SOURCE 200809L
#define RIPPLE_FUZZ_REPLAY
#include <dirent.h>
#include <stdio.h>

#include "fuzz/fuzz_scenario.c"
#include "testutil.h"

static void test_corpus(void **st)
{
    (void)st;
    const char *dir = RIPPLE_TEST_DATA "/../fuzz/corpus";
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        static uint8_t buf[1 << 20];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        rp_fuzz_scenario(buf, len);
        n++;
    }
    closedir(d);
    assert_true(n >= 5);
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
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
