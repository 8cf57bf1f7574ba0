/* engine/json.c: syntax errors located by line:column, typed access with
 * JSON-path messages, unknown and duplicate keys. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void parse_fail(const char *text, const char *want)
{
    rp_errors err;
    rp_err_init(&err);
    cJSON *doc = NULL;
    assert_int_equal(rp_json_parse("f.json", text, strlen(text), &doc, &err),
                     RP_EINPUT);
    assert_null(doc);
    assert_true(tu_err_has(&err, want));
}

static void test_syntax_locations(void **st)
{
    (void)st;
    /* line 2, column 3: the second key follows a value without a comma */
    parse_fail("{\"a\": 1\n  \"b\": 2}", "f.json:2:3: expected ',' or '}'");
    parse_fail("[1, 2", "f.json:1:6: unexpected end of input, expected ',' "
                        "or ']'");
    parse_fail("{\"a\" 1}", "f.json:1:6: expected ':'");
    parse_fail("{\"a\": }", "f.json:1:7: expected a value");
    parse_fail("{\"a\": 1,}", "f.json:1:9: expected a string key");
    parse_fail("", "f.json:1:1: empty file");
    parse_fail("[1]", "expected a JSON object at the top");
    parse_fail("{} x", "f.json:1:4: expected end of input");
    /* a UTF-16 file (byte-order mark, then '{' and a NUL byte: said as
     * "NUL byte in JSON text" at 1:4 before) */
    parse_fail("\xff\xfe{", "f.json:1:1: the file is UTF-16");
    parse_fail("\xfe\xff", "f.json:1:1: the file is UTF-16");
}

static void test_file_errors(void **st)
{
    (void)st;
    rp_errors err;
    rp_err_init(&err);
    cJSON *doc = NULL;
    assert_int_equal(
        rp_json_read_file("/nonexistent/x.json", "x.json", &doc, &err),
        RP_EINPUT);
    assert_true(tu_err_has(&err, "x.json: cannot open"));
    rp_err_init(&err);
    assert_int_equal(rp_json_read_file(RIPPLE_TEST_DATA "/bad/syntax.json",
                                       "syntax.json", &doc, &err),
                     RP_EINPUT);
    assert_true(tu_err_has(&err, "syntax.json:3:3: expected ',' or '}'"));
}

static void test_numbers(void **st)
{
    (void)st;
    rp_errors err;
    rp_err_init(&err);
    rp_jctx c = {"n.json", &err};
    cJSON *o =
        cJSON_Parse("{\"cap\": -5, \"lt\": 2.5, \"p\": 1.5, \"s\": \"x\","
                    " \"ok\": 3}");
    double v;
    assert_int_equal(
        rp_json_number(&c, o, "nodes[3]", "cap", &v, 0, RP_GT0, 0), -1);
    assert_true(tu_err_has(&err, "n.json: nodes[3].cap: must be a number > 0 "
                                 "(got -5)"));
    assert_int_equal(rp_json_number(&c, o, "", "lt", &v, 0, RP_INT_GE1, 0),
                     -1);
    assert_true(tu_err_has(&err, "lt: must be an integer >= 1 (got 2.5)"));
    assert_int_equal(rp_json_number(&c, o, "", "p", &v, 0, RP_UNIT, 0), -1);
    assert_true(tu_err_has(&err, "p: must be a number in [0, 1] (got 1.5)"));
    assert_int_equal(rp_json_number(&c, o, "", "s", &v, 0, RP_ANY, 0), -1);
    assert_true(tu_err_has(&err, "s: must be a number (got \"x\")"));
    assert_int_equal(rp_json_number(&c, o, "", "ok", &v, 0, RP_INT_GE1, 0), 1);
    assert_true(v == 3);
    assert_int_equal(rp_json_number(&c, o, "", "none", &v, 7, RP_ANY, 0), 0);
    assert_true(v == 7);
    assert_int_equal(err.count, 4);
    cJSON_Delete(o);
}

static void test_keys(void **st)
{
    (void)st;
    rp_errors err;
    rp_err_init(&err);
    rp_jctx c = {"k.json", &err};
    const char *const allowed[] = {"id", "demand", NULL};
    cJSON *o = cJSON_Parse("{\"id\": \"a\", \"colour\": 1, \"id\": \"b\"}");
    assert_int_equal(rp_json_check_keys(&c, o, "nodes[0]", allowed), 2);
    assert_true(tu_err_has(&err, "k.json: nodes[0].colour: unknown key "
                                 "(allowed: id, demand)"));
    assert_true(tu_err_has(&err, "k.json: nodes[0].id: duplicate key"));
    cJSON_Delete(o);
}

static void test_error_cap(void **st)
{
    (void)st;
    rp_errors err;
    rp_err_init(&err);
    for (int i = 0; i < 70; i++)
        rp_err_add(&err, "e%d", i);
    assert_int_equal(err.count, RP_ERR_MAX);
    assert_int_equal(err.dropped, 20);
    assert_int_equal(rp_err_status(&err), RP_EINPUT);
}

/* rp_json_print gives cJSON_PrintUnformatted's bytes: numbers of every
 * kind (integers, minus zero, 15 and 17 digits, huge, tiny, not finite),
 * every byte in keys and strings, empty containers, raw items, and a
 * pseudo-random sweep of doubles. */
static void print_same(const cJSON *d)
{
    char *want = cJSON_PrintUnformatted(d);
    size_t len = 0;
    char *got = rp_json_print(d, 0, &len);
    assert_non_null(want);
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_int_equal(len, strlen(want));
    free(want);
    free(got);
}

static void test_print_canonical(void **st)
{
    (void)st;
    const double v[] = {0,
                        -0.0,
                        1,
                        -1,
                        0.1,
                        1e15,
                        -1e15,
                        999999999999999,
                        -999999999999999,
                        1e300,
                        1e-300,
                        5e-324,
                        1.7976931348623157e308,
                        0.30000000000000004,
                        123456.789,
                        1e16,
                        4503599627370496.5,
                        1.0 / 3,
                        -123.456e-7,
                        9007199254740993.0,
                        0.02,
                        1e21,
                        123456789012345.6,
                        INFINITY,
                        -INFINITY,
                        NAN};
    cJSON *arr = cJSON_CreateArray();
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
        cJSON_AddItemToArray(arr, cJSON_CreateNumber(v[k]));
    uint64_t x = 88172645463325252u;
    for (int k = 0; k < 20000; k++) {
        x ^= x << 13; /* xorshift64 */
        x ^= x >> 7;
        x ^= x << 17;
        double d;
        if (k % 3 == 0) {
            memcpy(&d, &x, sizeof d);
        } else if (k % 3 == 1) {
            d = (double)(x % 2000000000000000u) - 1e15;
        } else {
            d = (double)(x % 100000) / (double)(1 + (x >> 40) % 1000);
        }
        cJSON_AddItemToArray(arr, cJSON_CreateNumber(d));
    }
    print_same(arr);
    cJSON_Delete(arr);
    cJSON *o = cJSON_CreateObject();
    char s[4] = {'a', 0, '"', 0};
    for (int c = 1; c < 256; c++) {
        s[1] = (char)c;
        cJSON_AddItemToObject(o, s, cJSON_CreateString(s));
    }
    cJSON_AddItemToObject(o, "\\\"", cJSON_CreateString("\\\b\f\n\r\t"));
    cJSON_AddItemToObject(o, "raw", cJSON_CreateRaw("[1, 2]"));
    cJSON_AddItemToObject(o, "a", cJSON_CreateArray());
    cJSON_AddItemToObject(o, "o", cJSON_CreateObject());
    cJSON_AddNullToObject(o, "n");
    cJSON_AddTrueToObject(o, "t");
    cJSON_AddFalseToObject(o, "f");
    print_same(o);
    cJSON *top = cJSON_CreateArray();
    cJSON_AddItemReferenceToArray(top, o);
    cJSON_AddItemToArray(top, cJSON_CreateObject());
    print_same(top);
    cJSON_Delete(top);
    cJSON_Delete(o);
    const char *files[] = {"all_threats.json", "net_ok.json"};
    for (int k = 0; k < 2; k++) {
        char *text = tu_read(files[k]);
        cJSON *doc = cJSON_Parse(text);
        assert_non_null(doc);
        print_same(doc);
        cJSON_Delete(doc);
        free(text);
    }
}

/* rp_json_index_tail after rp_json_path gives rp_json_index's text, cut
 * the same way when the buffer is short. */
static void test_index_tail(void **st)
{
    (void)st;
    char longp[300];
    memset(longp, 'x', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    const char *paths[] = {"", "network", "a.b[3]", longp + 50, longp};
    const int idx[] = {0, 7, 42, 123456, -5, 2147483647};
    const size_t sizes[] = {256, 16, 12, 9, 2, 1};
    for (size_t a = 0; a < sizeof paths / sizeof paths[0]; a++)
        for (size_t b = 0; b < sizeof idx / sizeof idx[0]; b++)
            for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
                char want[256], got[256];
                rp_json_index(want, sizes[z], paths[a], "edges", idx[b]);
                rp_json_path(got, sizes[z], paths[a], "edges");
                rp_json_index_tail(got, sizes[z], strlen(got), idx[b]);
                assert_string_equal(got, want);
            }
}

/* A pooled parse keeps the item counts of long arrays, the ones counted
 * at any depth and only those; what the usual parse built has none. */
static void test_pool_array_size(void **st)
{
    (void)st;
    const int n = 3000;
    size_t cap = (size_t)n * 16 + 200, at = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    at += (size_t)snprintf(text + at, cap - at,
                           "{\"short\": [1, 2], "
                           "\"x\": {\"long\": [");
    for (int i = 0; i < n; i++)
        at += (size_t)snprintf(text + at, cap - at, "%s{\"a\": %d}",
                               i ? ", " : "", i);
    snprintf(text + at, cap - at, "]}, \"s\": \"abcdef\"}");
    size_t len = strlen(text);
    for (int usual = 0; usual < 2; usual++) {
        if (usual) /* a \u escape: the one-pass parse gives up */
            memcpy(text + len - 8, "\\u0041", 6);
        rp_errors err;
        rp_err_init(&err);
        cJSON *doc = NULL;
        rp_json_pool *pool = NULL;
        assert_int_equal(rp_json_parse_pooled("p.json", text, strlen(text),
                                              &doc, &pool, &err),
                         RP_OK);
        const cJSON *lng = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(doc, "x"), "long");
        assert_int_equal(cJSON_GetArraySize(lng), n);
        assert_int_equal(rp_json_pool_array_size(pool, lng), usual ? -1 : n);
        assert_int_equal(
            rp_json_pool_array_size(
                pool, cJSON_GetObjectItemCaseSensitive(doc, "short")),
            -1);
        assert_int_equal(rp_json_pool_array_size(NULL, lng), -1);
        rp_json_pool_free(pool);
    }
    free(text);
}

/* The one-pass parse shares a copy of a repeated string: strings of every
 * length up to 24 that differ in one byte (anywhere) are each kept as
 * they were written, as values and as keys. */
static void test_pool_shared_strings(void **st)
{
    (void)st;
    char text[40000], want[2][32];
    for (int key = 0; key < 2; key++) {
        for (int n = 1; n <= 24; n++) {
            for (int pos = 0; pos < n; pos++) {
                for (int v = 0; v < 2; v++) {
                    for (int i = 0; i < n; i++)
                        want[v][i] = (char)('a' + (i * 7) % 26);
                    want[v][n] = '\0';
                }
                want[1][pos] = 'Z';
                /* the same string again, then the one differing in pos */
                if (key)
                    snprintf(text, sizeof text,
                             "{\"%s\": 1, \"x\": {\"%s\": 2}, \"y\": "
                             "{\"%s\": 3}}",
                             want[0], want[0], want[1]);
                else
                    snprintf(text, sizeof text,
                             "{\"a\": [\"%s\", \"%s\", \"%s\"]}", want[0],
                             want[0], want[1]);
                rp_errors err;
                rp_err_init(&err);
                cJSON *doc = NULL;
                rp_json_pool *pool = NULL;
                assert_int_equal(rp_json_parse_pooled("s.json", text,
                                                      strlen(text), &doc,
                                                      &pool, &err),
                                 RP_OK);
                const cJSON *a = key ? doc->child : doc->child->child;
                const cJSON *b = key ? a->next->child : a->next;
                const cJSON *c = key ? a->next->next->child : b->next;
                assert_string_equal(key ? a->string : a->valuestring, want[0]);
                assert_string_equal(key ? b->string : b->valuestring, want[0]);
                assert_string_equal(key ? c->string : c->valuestring, want[1]);
                rp_json_pool_free(pool);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syntax_locations),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_error_cap),
        cmocka_unit_test(test_print_canonical),
        cmocka_unit_test(test_index_tail),
        cmocka_unit_test(test_pool_array_size),
        cmocka_unit_test(test_pool_shared_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
