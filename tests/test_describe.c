/* The warnings of `ripple validate`: nodes that can never produce, demand
 * without a unit value, single-sourced inputs in summary. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <limits.h>

#include "ripple/describe.h"
#include "ripple/util.h"
#include "testutil.h"

static rp_model *build(rp_scenario *s)
{
    rp_errors err;
    rp_err_init(&err);
    rp_model *m = NULL;
    assert_int_equal(rp_model_build(s->net, &s->par, &m, &err), RP_OK);
    return m;
}

/* rp_describe's output as a string (the caller frees it); `all` as
 * `validate --warnings all`. */
static char *describe_as(rp_scenario *s, rp_model *m, int all)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    rp_describe(f, s, m, all);
    long n = ftell(f);
    assert_true(n > 0);
    char *txt = calloc((size_t)n + 1, 1);
    assert_non_null(txt);
    rewind(f);
    assert_int_equal(fread(txt, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return txt;
}

static char *describe(rp_scenario *s, rp_model *m)
{
    return describe_as(s, m, 0);
}

static int count_of(const char *txt, const char *needle)
{
    int k = 0;
    for (const char *p = strstr(txt, needle); p != NULL;
         p = strstr(p + 1, needle))
        k++;
    return k;
}

static int has(const char *txt, const char *needle)
{
    if (strstr(txt, needle) != NULL)
        return 1;
    fprintf(stderr, "  (have)\n%s  (want) %s\n", txt, needle);
    return 0;
}

/* The standby plant X has a capacity, but its supplier R has neither a
 * baseline output nor a capacity: R's capacity is 0, so X never gets its
 * input.  (The file also has a strategy whose added standby Y has the
 * same problem through Q.) */
static void test_standby_without_input(void **st)
{
    (void)st;
    rp_scenario *s = tu_load("guard_standby.json");
    rp_model *m = build(s);
    int N = m->N;
    int *order = malloc((size_t)N * sizeof *order);
    int *block = malloc((size_t)N * sizeof *block);
    int n = rp_never_produce(m, order, block);
    /* R and Q (capacity 0) first, then X and Y (blocked by them) */
    assert_int_equal(n, 4);
    int R = rp_net_find(s->net, "R"), X = rp_net_find(s->net, "X");
    int Q = rp_net_find(s->net, "Q"), Y = rp_net_find(s->net, "Y");
    assert_int_equal(block[R], -1);
    assert_int_equal(block[Q], -1);
    assert_true(block[X] >= 0);
    assert_string_equal(m->g_name[block[X]], "raw");
    assert_int_equal(m->g_node[block[X]], X);
    assert_true(block[Y] >= 0);
    assert_true(order[0] == R || order[0] == Q);
    assert_true(order[2] == X || order[2] == Y);
    assert_int_equal(block[rp_net_find(s->net, "P")], -2);
    assert_int_equal(block[rp_net_find(s->net, "C")], -2);

    char *txt = describe(s, m);
    assert_true(has(txt, "warning: node \"R\" can never produce: its "
                         "capacity is 0 (no baseline output and no explicit "
                         "capacity)\n"));
    assert_true(has(txt, "warning: node \"X\" can never produce: its input "
                         "\"raw\" comes only from nodes that can never "
                         "produce (\"R\")\n"));
    /* Y supplies nothing in the baseline; in the strategy it is a standby */
    assert_true(has(txt, "warning: strategy \"second standby\": node \"Y\" "
                         "can never produce: its input \"raw\" comes only "
                         "from nodes that can never produce (\"Q\")\n"));
    assert_true(has(txt, "warning: node \"Y\" serves no final demand"));
    /* R is named once, as a node that can never produce */
    assert_null(strstr(txt, "node \"R\" serves no final demand"));
    /* one line for every customer without a unit value */
    assert_true(has(txt, "warning: 2 nodes with demand have no unit_value "
                         "(\"C\", \"C2\"); their lost units are valued at 1 "
                         "each (in unit_value's currency)\n"));
    /* money in the scenario's currency, or in unit_value's when none is
     * named (as inspect says) */
    assert_true(has(txt, "baseline    final demand 15 units/day (value "
                         "15/day, in unit_value's currency); total output"));
    assert_true(has(txt, "(1 standby edge)\n"));
    assert_true(has(txt, "ok: "));
    free(txt);
    free(order);
    free(block);
    rp_model_free(m);
    rp_scenario_free(s);
}

/* A greatest fixed point: a cycle of plants with capacity produces unless
 * something on it lacks an input that nothing can supply. */
static void test_cycles(void **st)
{
    (void)st;
    char *base = tu_read("describe_cycles.json");
    const char *r = strstr(base, "{\"id\": \"R\"}");
    assert_non_null(r);
    for (int given = 0; given < 2; given++) {
        char text[2048];
        snprintf(text, sizeof text, "%.*s{\"id\": \"R\"%s}%s", (int)(r - base),
                 base, given ? ", \"capacity\": 1" : "",
                 r + strlen("{\"id\": \"R\"}"));
        rp_errors err;
        rp_scenario *s = NULL;
        assert_int_equal(tu_parse(text, &s, &err), RP_OK);
        rp_model *m = build(s);
        int order[5], block[5];
        int n = rp_never_produce(m, order, block);
        int A = rp_net_find(s->net, "A"), B = rp_net_find(s->net, "B");
        if (given) {
            /* R has a capacity: the cycle A <-> B can produce */
            assert_int_equal(n, 0);
            assert_int_equal(block[A], -2);
        } else {
            /* R cannot: B lacks input "R", and then A lacks input "B" */
            assert_int_equal(n, 3);
            assert_int_equal(order[0], rp_net_find(s->net, "R"));
            assert_int_equal(order[1], B);
            assert_int_equal(order[2], A);
            assert_string_equal(m->g_name[block[B]], "R");
            assert_string_equal(m->g_name[block[A]], "B");
        }
        rp_model_free(m);
        rp_scenario_free(s);
    }
    free(base);
}

/* Many single-sourced inputs: a summary by kind and the largest flows,
 * not a line each. */
static void test_single_sourced_summary(void **st)
{
    (void)st;
    char text[16384];
    size_t u = (size_t)snprintf(text, sizeof text,
                                "{\"network\": {\"nodes\": [{\"id\": \"S\", "
                                "\"kind\": \"raw\"}");
    for (int i = 0; i < 20; i++)
        u += (size_t)snprintf(text + u, sizeof text - u,
                              ", {\"id\": \"C%d\", \"kind\": \"shop\", "
                              "\"demand\": %d, \"unit_value\": 1}",
                              i, i + 1);
    u += (size_t)snprintf(text + u, sizeof text - u, "], \"edges\": [");
    for (int i = 0; i < 20; i++)
        u += (size_t)snprintf(text + u, sizeof text - u,
                              "%s{\"from\": \"S\", \"to\": \"C%d\"}",
                              i ? ", " : "", i);
    snprintf(text + u, sizeof text - u, "]}}");
    rp_errors err;
    rp_scenario *s = NULL;
    assert_int_equal(tu_parse(text, &s, &err), RP_OK);
    rp_model *m = build(s);
    char *txt = describe(s, m);
    assert_true(has(txt, "warning: 20 inputs are single-sourced (one "
                         "supplier, no standby); this summary stands for "
                         "their 20 warnings\n"));
    assert_true(has(txt, "  by supplier kind: raw 20\n"));
    assert_true(has(txt, "  by buyer kind:    shop 20\n"));
    assert_true(has(txt, "  largest baseline flows among them (units/day):\n"
                         "            20  \"S\" -> \"C19\" (input \"S\")\n"
                         "            19  \"S\" -> \"C18\" (input \"S\")\n"));
    assert_null(strstr(txt, "is single-sourced (from"));
    assert_null(strstr(txt, "no unit_value"));
    /* counted, not shown: the last line says so and how to see them */
    assert_true(has(txt, "is valid (20 warnings, summed up above; "
                         "--warnings all shows each on its own line)\n"));
    int lines = 0;
    for (const char *p = txt; *p; p++)
        lines += *p == '\n';
    assert_true(lines <= 20); /* a line an input would be 29 */
    free(txt);
    /* --warnings all: a line each, no summary */
    txt = describe_as(s, m, 1);
    assert_int_equal(count_of(txt, "is single-sourced (from \"S\")\n"), 20);
    assert_null(strstr(txt, "this summary stands for"));
    assert_true(has(txt, "is valid (20 warnings)\n"));
    free(txt);
    rp_model_free(m);
    rp_scenario_free(s);
}

/* Twelve nodes with no baseline output: ten shown, two summed up, and
 * the last line tells them apart; --warnings all shows the twelve. */
static void test_warnings_shown_and_summed(void **st)
{
    (void)st;
    char text[4096];
    size_t u = (size_t)snprintf(text, sizeof text,
                                "{\"network\": {\"nodes\": [{\"id\": \"D\", "
                                "\"demand\": 1}");
    for (int i = 0; i < 12; i++)
        u += (size_t)snprintf(text + u, sizeof text - u, ", {\"id\": \"I%d\"}",
                              i);
    snprintf(text + u, sizeof text - u, "], \"edges\": []}}");
    rp_errors err;
    rp_scenario *s = NULL;
    assert_int_equal(tu_parse(text, &s, &err), RP_OK);
    rp_model *m = build(s);
    char *txt = describe(s, m);
    assert_int_equal(count_of(txt, "serves no final demand"), 10);
    assert_true(has(txt, "warning: ... and 2 more nodes serving no demand\n"));
    /* D has no unit_value: one warning, shown */
    assert_true(has(txt, "warning: 1 node with demand has no unit_value "
                         "(\"D\"); its lost units"));
    assert_true(has(txt, "is valid (13 warnings: 11 shown, 2 summed up "
                         "above; --warnings all shows each on its own "
                         "line)\n"));
    free(txt);
    txt = describe_as(s, m, 1);
    assert_int_equal(count_of(txt, "serves no final demand"), 12);
    assert_null(strstr(txt, "more nodes serving no demand"));
    assert_true(has(txt, "is valid (13 warnings)\n"));
    free(txt);
    rp_model_free(m);
    rp_scenario_free(s);
}

/* Amounts the way every text shows them: grouped whole numbers from 1,000
 * on, 4 significant digits below, never %g's bare "9e+05"; and the words
 * for money with no currency named. */
static void test_numbers(void **st)
{
    (void)st;
    static const struct {
        double v;
        const char *want;
    } cases[] = {{900000, "900,000"},
                 {1500000, "1,500,000"},
                 {1234567.8, "1,234,568"},
                 {-2300, "-2,300"},
                 {999.9, "999.9"},
                 {999.96, "1,000"},
                 {1000, "1,000"},
                 {12.346, "12.35"},
                 {0.5, "0.5"},
                 {0.001, "0.001"},
                 {100, "100"},
                 {0, "0"},
                 {-0.0, "0"},
                 {999999999999999.0, "999,999,999,999,999"},
                 {1e15, "1.000e+15"},
                 {0.00025, "2.500e-04"},
                 {NAN, "-"}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char b[32];
        assert_string_equal(rp_describe_num(b, sizeof b, cases[k].v),
                            cases[k].want);
    }
    char small[6]; /* cut short, still terminated */
    assert_string_equal(rp_describe_num(small, sizeof small, 1234567),
                        "1,234");
    assert_string_equal(rp_describe_money("EUR"), "EUR");
    assert_string_equal(rp_describe_money(""), RP_MONEY_UNNAMED);
    assert_string_equal(rp_describe_money(NULL), "unit_value's currency");
}

/* Counts the way every text shows them: grouped from 1,000 on, as the
 * amounts are; the summary's counts grouped too. */
static void test_counts(void **st)
{
    (void)st;
    static const struct {
        long long v;
        const char *want;
    } cases[] = {{0, "0"},
                 {7, "7"},
                 {999, "999"},
                 {1000, "1,000"},
                 {12000, "12,000"},
                 {319339, "319,339"},
                 {1000000, "1,000,000"},
                 {-2300, "-2,300"},
                 {-999, "-999"},
                 {LLONG_MAX, "9,223,372,036,854,775,807"},
                 {LLONG_MIN, "-9,223,372,036,854,775,808"}};
    char b[28];
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++)
        assert_string_equal(rp_count_str(b, sizeof b, cases[k].v),
                            cases[k].want);
    char small[6]; /* cut short, still terminated */
    assert_string_equal(rp_count_str(small, sizeof small, 1234567), "1,234");
    /* several in one call, each its own buffer */
    snprintf(b, sizeof b, "%s/%s", RP_COUNT(12000), RP_COUNT(100000));
    assert_string_equal(b, "12,000/100,000");
    /* validate's lines: a network of 1,200 nodes and 1,199 edges, run
     * 2,000 times */
    enum { CAP = 200000 };
    char *text = malloc(CAP);
    assert_non_null(text);
    size_t u = (size_t)snprintf(text, CAP,
                                "{\"replications\": 2000, \"network\": "
                                "{\"nodes\": [{\"id\": \"S\"}");
    for (int i = 0; i < 1199; i++)
        u += (size_t)snprintf(text + u, CAP - u,
                              ", {\"id\": \"C%d\", \"demand\": 1, "
                              "\"unit_value\": 1}",
                              i);
    u += (size_t)snprintf(text + u, CAP - u, "], \"edges\": [");
    for (int i = 0; i < 1199; i++)
        u += (size_t)snprintf(text + u, CAP - u,
                              "%s{\"from\": \"S\", \"to\": \"C%d\"}",
                              i ? ", " : "", i);
    snprintf(text + u, CAP - u, "]}}");
    rp_errors err;
    rp_scenario *s = NULL;
    assert_true(u < CAP);
    assert_int_equal(tu_parse(text, &s, &err), RP_OK);
    free(text);
    rp_model *m = build(s);
    char *txt = describe(s, m);
    assert_true(has(txt, ": 1,200 nodes, 1,199 edges, 1,199 input groups\n"));
    assert_true(has(txt, "365 days x 2,000 replications, seed 1;"));
    assert_true(has(txt, "warning: 1,199 inputs are single-sourced"));
    assert_true(has(txt, "is valid (1,199 warnings, summed up above;"));
    free(txt);
    rp_model_free(m);
    rp_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standby_without_input),
        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_single_sourced_summary),
        cmocka_unit_test(test_warnings_shown_and_summed),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
