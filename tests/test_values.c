/* One rule for every value however it arrives: text that is UTF-8 without
 * NUL, ids and keys without control characters (refused by JSON path,
 * escaped when quoted), bounded magnitudes, integer bounds printed as
 * integers, added edges held to the network's bounds and located. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define NODES                                                                 \
    "\"nodes\": [{\"id\": \"S\"}, {\"id\": \"T\"}, {\"id\": \"M\"}, "         \
    "{\"id\": \"C\", \"demand\": 10, \"unit_value\": 5}]"
#define EDGES                                                                 \
    "\"edges\": [{\"from\": \"S\", \"to\": \"M\", \"input\": \"x\"}, "        \
    "{\"from\": \"M\", \"to\": \"C\"}]"

/* Parse text; expect failure with a message containing want. */
static void refused(const char *text, const char *want)
{
    rp_errors err;
    rp_scenario *s = NULL;
    assert_int_not_equal(tu_parse(text, &s, &err), RP_OK);
    assert_null(s);
    assert_true(tu_err_has(&err, want));
}

static rp_scenario *accepted(const char *text)
{
    rp_errors err;
    rp_scenario *s = NULL;
    if (tu_parse(text, &s, &err) != RP_OK) {
        for (int i = 0; i < err.count; i++)
            fprintf(stderr, "%s\n", err.msg[i]);
        fail();
    }
    return s;
}

/* A scenario around one node's extra keys, and one of strategies. */
static void with_node(char *buf, size_t n, const char *id, const char *extra)
{
    snprintf(buf, n,
             "{\"network\": {\"nodes\": [{\"id\": \"%s\", \"demand\": 1%s}]}}",
             id, extra);
}

static void with_strategies(char *buf, size_t n, const char *strategies)
{
    snprintf(buf, n,
             "{\"network\": {" NODES ", " EDGES "}, \"strategies\": [%s]}",
             strategies);
}

static void test_nul(void **st)
{
    (void)st;
    char t[512];
    with_node(t, sizeof t, "S\\u0000X", "");
    refused(t, "t.json:1:33: \\u0000 (a NUL character) in a string");
    /* a key "demand\u0000" was taken as demand */
    refused(
        "{\"network\": {\"nodes\": [{\"id\": \"C\", \"demand\\u0000\": 1}]}}",
        "t.json:1:43: \\u0000 (a NUL character)");
    /* an escaped backslash before u0000 is text, not an escape */
    with_node(t, sizeof t, "S\\\\u0000X", "");
    rp_scenario *s = accepted(t);
    assert_string_equal(s->net->id[0], "S\\u0000X");
    rp_scenario_free(s);
}

static void test_utf8(void **st)
{
    (void)st;
    char t[512];
    with_node(t, sizeof t, "S\xff", "");
    refused(t, "t.json:1:33: not UTF-8 (byte 0xff)");
    with_node(t, sizeof t, "\xc0\xaf", ""); /* overlong '/' */
    refused(t, "not UTF-8 (byte 0xc0)");
    with_node(t, sizeof t, "\xed\xa0\x80", ""); /* a surrogate */
    refused(t, "not UTF-8 (byte 0xed)");
    with_node(t, sizeof t, "\xe2\x82", ""); /* cut short */
    refused(t, "not UTF-8 (byte 0xe2)");
    /* real UTF-8 is welcome */
    with_node(t, sizeof t, "Zulieferer-\xc3\x9f-\xe5\xb7\xa5\xe5\x8e\x82", "");
    rp_scenario *s = accepted(t);
    rp_scenario_free(s);
}

static void test_control_characters(void **st)
{
    (void)st;
    char t[1024];
    /* an ANSI escape and a newline in an id: refused by path, and the
     * message carries them escaped, never raw */
    with_node(t, sizeof t, "\\u001b[31mRED\\n", "");
    rp_errors err;
    rp_scenario *s = NULL;
    assert_int_equal(tu_parse(t, &s, &err), RP_EINPUT);
    assert_true(tu_err_has(&err, "t.json: network.nodes[0].id: holds a "
                                 "control character (U+001B)"));
    /* C1 controls too (U+009B is a terminal's CSI) */
    with_node(t, sizeof t, "x\\u009b2J", "");
    refused(t, "network.nodes[0].id: holds a control character (U+009B)");
    /* keys */
    refused("{\"network\": {\"nodes\": [{\"id\": \"C\", \"de\\nmand\": 1}]}}",
            "network.nodes[0].de\\nmand: the key holds a control character "
            "(U+000A)");
    /* strategy and threat names, regions, inputs: any string */
    with_strategies(t, sizeof t, "{\"name\": \"a\\tb\"}");
    refused(t, "strategies[0].name: holds a control character (U+0009)");
    /* a description may hold tabs and line breaks, nothing else */
    snprintf(t, sizeof t,
             "{\"description\": \"line 1\\n\\tline 2\", \"network\": {" NODES
             ", " EDGES "}}");
    s = accepted(t);
    rp_scenario_free(s);
    snprintf(t, sizeof t,
             "{\"description\": \"\\u001b[2J\", \"network\": {" NODES
             ", " EDGES "}}");
    refused(t, "t.json: description: holds a control character (U+001B)");
}

/* Whatever a message quotes is escaped (rp_err_add). */
static void test_messages_escaped(void **st)
{
    (void)st;
    rp_errors err;
    rp_err_init(&err);
    rp_err_add(&err, "f: unknown node \"%s\"",
               "a\x1b[2Jb\nc\td\x7f\xc2\x85\xff");
    assert_string_equal(
        err.msg[0], "f: unknown node \"a\\x1b[2Jb\\nc\\td\\x7f\\u0085\\xff\"");
    for (const char *p = err.msg[0]; *p; p++)
        assert_true((unsigned char)*p >= 0x20 && (unsigned char)*p != 0x7f);
    char out[16];
    rp_escape("abcdefgh\x1b[1m", out, sizeof out);
    assert_string_equal(out, "abcdefgh\\x1b[1m"); /* exactly fits */
    rp_escape("abcdefghijkl\x1b", out, sizeof out);
    assert_string_equal(out, "abcdefghijkl"); /* cut at a whole escape */
    rp_escape("\xe5\xb7\xa5\xe5\x8e\x82", out, 5);
    assert_string_equal(out, "\xe5\xb7\xa5"); /* cut at a whole character */
    /* characters that print as nothing or reorder the line: a byte-order
     * mark, a zero-width space, a right-to-left override; an accent and a
     * no-break space stay as they are */
    char wide[64];
    rp_escape("\xef\xbb\xbfid \xe2\x80\x8bx \xe2\x80\xaey \xc3\xa9\xc2\xa0",
              wide, sizeof wide);
    assert_string_equal(wide, "\\ufeffid \\u200bx \\u202ey \xc3\xa9\xc2\xa0");
}

static void test_utf8_decoder(void **st)
{
    (void)st;
    uint32_t cp;
    assert_int_equal(rp_utf8_next("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(rp_utf8_next("\xc3\xa9", 2, &cp), 2);
    assert_int_equal(cp, 0xe9);
    assert_int_equal(rp_utf8_next("\xf0\x9f\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1f600);
    assert_int_equal(rp_utf8_next("\x80", 1, &cp), 0);         /* stray */
    assert_int_equal(rp_utf8_next("\xe0\x80\xaf", 3, &cp), 0); /* overlong */
    assert_int_equal(rp_utf8_next("\xf4\x90\x80\x80", 4, &cp), 0); /* big */
    assert_int_equal(rp_utf8_next("\xc3", 1, &cp), 0); /* cut short */
    assert_true(rp_is_control(0x1b) && rp_is_control(0x7f) &&
                rp_is_control(0x85) && !rp_is_control(0xa0) &&
                !rp_is_control(' '));
}

static void test_magnitudes(void **st)
{
    (void)st;
    char t[512];
    /* unit_value 1e308 gave an infinite lost value with exit 0 */
    with_node(t, sizeof t, "C", ", \"unit_value\": 1e308");
    refused(t, "network.nodes[0].unit_value: must be a number in [0, "
               "1000000000000000] (got 1e+308): larger magnitudes would "
               "overflow");
    with_node(t, sizeof t, "C", ", \"capacity\": 2e15");
    refused(t, "network.nodes[0].capacity: must be a number in (0, "
               "1000000000000000] (got 2000000000000000)");
    /* the bound itself is fine, and so is an ordinary out-of-range value's
     * old message */
    with_node(t, sizeof t, "C", ", \"unit_value\": 1e15, \"capacity\": 1e15");
    rp_scenario *s = accepted(t);
    rp_scenario_free(s);
    with_node(t, sizeof t, "C", ", \"capacity\": -5");
    refused(t, "network.nodes[0].capacity: must be a number > 0 (got -5)");
    /* counts of days: 1e9 unless the key says less */
    with_node(t, sizeof t, "C", ", \"ttr_days\": 3e9");
    refused(t, "network.nodes[0].ttr_days: must be an integer in [1, "
               "1000000000] (got 3000000000)");
    /* the same in strategies' actions and distributions */
    with_strategies(t, sizeof t,
                    "{\"name\": \"big\", \"cost_per_year\": 1e300}");
    refused(t, "strategies[0].cost_per_year: must be a number in [0, "
               "1000000000000000] (got 1e+300)");
    with_strategies(
        t, sizeof t,
        "{\"name\": \"b\", \"actions\": [{\"set\": "
        "\"inventory_days\", \"nodes\": \"all\", \"value\": 1e20}]}");
    refused(t, "strategies[0].actions[0].value: must be a number in [0, "
               "1000000000000000] (got 1e+20)");
}

static void test_integer_bounds(void **st)
{
    (void)st;
    char t[1024];
    /* seeds and replications as large as the command line takes (a
     * seed above 2e9 was refused as "not an integer") */
    snprintf(t, sizeof t,
             "{\"seed\": 9007199254740992, \"replications\": 1000000000000, "
             "\"network\": {" NODES ", " EDGES "}}");
    rp_scenario *s = accepted(t);
    assert_true(s->seed == 9007199254740992ULL);
    assert_true(s->replications == 1000000000000LL);
    rp_scenario_free(s);
    /* bounds printed as integers, as the command line prints them */
    snprintf(t, sizeof t,
             "{\"seed\": 1e17, \"network\": {" NODES ", " EDGES "}}");
    refused(t,
            "seed: must be an integer in [0, 9007199254740992] (got 1e+17)");
    snprintf(t, sizeof t,
             "{\"replications\": 2e12, \"network\": {" NODES ", " EDGES "}}");
    refused(t, "replications: must be an integer in [1, 1000000000000] (got "
               "2000000000000)");
    snprintf(t, sizeof t,
             "{\"horizon_days\": 1.5, \"network\": {" NODES ", " EDGES "}}");
    refused(t, "horizon_days: must be an integer in [1, 36500] (got 1.5)");
    char b[64];
    rp_json_format_number(9007199254740992.0, b, sizeof b);
    assert_string_equal(b, "9007199254740992");
    rp_json_format_number(0.1, b, sizeof b);
    assert_string_equal(b, "0.1");
    rp_json_format_number(1e300, b, sizeof b);
    assert_string_equal(b, "1e+300");
    rp_range e = rp_range_effective(RP_GT0);
    assert_true(e.lo == 0 && e.lo_open && e.hi == RP_MAX_MAGNITUDE);
    e = rp_range_effective(RP_INT_GE1);
    assert_true(e.lo == 1 && e.hi == RP_MAX_INT);
}

/* An added edge is held to the network's bounds and its errors are located
 * by JSON path. */
static void test_added_edges(void **st)
{
    (void)st;
    char t[1024];
    /* 2e9 days was accepted: about 48 GB of pipeline per thread */
    with_strategies(t, sizeof t,
                    "{\"name\": \"far\", \"actions\": [{\"add_edge\": "
                    "{\"from\": \"T\", \"to\": \"M\", \"input\": \"x\", "
                    "\"share\": 0.5, \"lead_time\": 2e9}}]}");
    refused(t, "t.json: strategies[0].actions[0].add_edge.lead_time: must be "
               "an integer in [1, 3650] (got 2000000000)");
    snprintf(t, sizeof t,
             "{\"network\": {" NODES ", \"edges\": [{\"from\": \"S\", "
             "\"to\": \"M\", \"input\": \"x\", \"lead_time\": 3651}]}}");
    refused(t, "network.edges[0].lead_time: must be an integer in [1, 3650] "
               "(got 3651)");
    /* a model error of an added edge names the action */
    with_strategies(
        t, sizeof t,
        "{\"name\": \"r\", \"actions\": [{\"set\": \"protection\", "
        "\"nodes\": \"all\", \"value\": 0.5}, {\"add_edge\": "
        "{\"from\": \"T\", \"to\": \"M\", \"input\": \"x\", "
        "\"share\": 0.5, \"ratio\": 2}}]}");
    rp_scenario *s = accepted(t);
    rp_errors err;
    rp_err_init(&err);
    rp_model *m = NULL;
    assert_int_equal(rp_model_build(s->strategies[1].net, &s->par, &m, &err),
                     RP_EINPUT);
    assert_true(tu_err_has(&err, "t.json: strategies[0].actions[1].add_edge"
                                 ".ratio: 2 differs from the ratio 1"));
    rp_scenario_free(s);
}

/* Strategies without actions run the scenario's network (4,000 of them
 * took 4 GB of copies). */
static void test_empty_strategies_share(void **st)
{
    (void)st;
    char t[1024];
    with_strategies(t, sizeof t,
                    "{\"name\": \"a\"}, {\"name\": \"b\", \"actions\": []}, "
                    "{\"name\": \"c\", \"actions\": [{\"set\": "
                    "\"protection\", \"nodes\": \"all\", \"value\": 0.5}]}");
    rp_scenario *s = accepted(t);
    assert_int_equal(s->n_strategies, 4);
    assert_null(s->strategies[0].net);
    assert_null(s->strategies[1].net);
    assert_null(s->strategies[2].net);
    assert_non_null(s->strategies[3].net);
    rp_scenario_free(s);
}

/* A regional threat lists each region once, and its nodes are found in
 * one pass over the network (the list took nodes x regions of memory). */
static void test_regions(void **st)
{
    (void)st;
    const int N = 20000;
    size_t cap = (size_t)N * 80 + 1024, len = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    len += (size_t)snprintf(t + len, cap - len, "{\"network\": {\"nodes\": [");
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(t + len, cap - len,
                                "%s{\"id\": \"n%d\", \"region\": \"r%d\", "
                                "\"demand\": 1}",
                                i ? "," : "", i, i);
    len += (size_t)snprintf(t + len, cap - len,
                            "]}, \"threats\": [{\"type\": \"regional\", "
                            "\"rate_per_year\": 1, \"duration\": 3, "
                            "\"regions\": [");
    for (int i = N - 1; i >= 0; i--)
        len += (size_t)snprintf(t + len, cap - len, "%s\"r%d\"",
                                i < N - 1 ? "," : "", i);
    snprintf(t + len, cap - len, "]}]}");
    rp_scenario *s = accepted(t);
    assert_int_equal(s->n_threats, 1);
    rp_scenario_free(s);
    free(t);
    refused("{\"network\": {\"nodes\": [{\"id\": \"C\", \"region\": \"EU\", "
            "\"demand\": 1}]}, \"threats\": [{\"type\": \"regional\", "
            "\"rate_per_year\": 1, \"duration\": 3, \"regions\": [\"EU\", "
            "\"US\", \"EU\"]}]}",
            "threats[0].regions[2]: region \"EU\" is listed already (at [0])");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nul),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_control_characters),
        cmocka_unit_test(test_messages_escaped),
        cmocka_unit_test(test_utf8_decoder),
        cmocka_unit_test(test_magnitudes),
        cmocka_unit_test(test_integer_bounds),
        cmocka_unit_test(test_added_edges),
        cmocka_unit_test(test_empty_strategies_share),
        cmocka_unit_test(test_regions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
