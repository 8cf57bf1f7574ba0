/* engine/json.c: syntax errors located by line:column, typed access with
 * JSON-path messages, unknown and duplicate keys. */
#include <math.h>
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syntax_locations),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_error_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
