/* The baseline of docs/model.md: x0 = F + M x0, capacities, and the
 * errors the section names. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

static rp_model *build(const char *net, rp_scenario **sp, rp_errors *err)
{
    char text[4096];
    snprintf(text, sizeof text, "{\"network\": %s}", net);
    rp_scenario *s = NULL;
    assert_int_equal(tu_parse(text, &s, err), RP_OK);
    rp_model *m = NULL;
    rp_model_build(s->net, &s->par, &m, err);
    *sp = s;
    return m;
}

static double x0_of(const rp_scenario *s, const rp_model *m, const char *id)
{
    return m->x0[rp_net_find(s->net, id)];
}

static void test_chain(void **st)
{
    (void)st;
    /* S -> M (ratio 2) -> C (demand 10): x0 = C 10, M 10, S 20; cap 1.1x */
    rp_errors err;
    rp_scenario *s;
    rp_model *m = build("{\"nodes\": [{\"id\": \"S\"}, {\"id\": \"M\"}, "
                        "{\"id\": \"C\", \"demand\": 10}], \"edges\": ["
                        "{\"from\": \"S\", \"to\": \"M\", \"ratio\": 2},"
                        "{\"from\": \"M\", \"to\": \"C\"}]}",
                        &s, &err);
    assert_non_null(m);
    assert_true(x0_of(s, m, "C") == 10);
    assert_true(x0_of(s, m, "M") == 10);
    assert_true(x0_of(s, m, "S") == 20);
    assert_true(tu_close(m->cap[0], 22, 1e-15));
    assert_int_equal(m->G, 2);
    /* a DAG converges in depth + 1 sweeps (plus the one that sees no
     * change) */
    assert_true(m->sweeps <= 4);
    rp_model_free(m);
    rp_scenario_free(s);
}

static void test_diamond(void **st)
{
    (void)st;
    /* R feeds A and B; A and B are substitutes (0.7/0.3) for P; P serves C
     * (20) and also sells 5 itself.  P = 25, A = 17.5, B = 7.5, R = 25. */
    rp_errors err;
    rp_scenario *s;
    rp_model *m = build(
        "{\"nodes\": [{\"id\": \"R\"}, {\"id\": \"A\"}, {\"id\": \"B\"}, "
        "{\"id\": \"P\", \"demand\": 5}, {\"id\": \"C\", \"demand\": 20}], "
        "\"edges\": [{\"from\": \"R\", \"to\": \"A\"}, {\"from\": \"R\", "
        "\"to\": \"B\"}, {\"from\": \"A\", \"to\": \"P\", \"input\": \"x\", "
        "\"share\": 0.7}, {\"from\": \"B\", \"to\": \"P\", \"input\": \"x\", "
        "\"share\": 0.3}, {\"from\": \"P\", \"to\": \"C\"}]}",
        &s, &err);
    assert_non_null(m);
    assert_true(tu_close(x0_of(s, m, "P"), 25, 1e-15));
    assert_true(tu_close(x0_of(s, m, "A"), 17.5, 1e-15));
    assert_true(tu_close(x0_of(s, m, "B"), 7.5, 1e-15));
    assert_true(tu_close(x0_of(s, m, "R"), 25, 1e-15));
    rp_model_free(m);
    rp_scenario_free(s);
}

static void test_converging_cycle(void **st)
{
    (void)st;
    /* F serves C (10/day); F also supplies X (X needs 0.5 F per unit) and
     * X supplies F (F needs 0.4 X per unit): X = 0.4 F, F = 10 + 0.5 X,
     * so F = 10 + 0.2 F -> F = 12.5, X = 5. */
    rp_errors err;
    rp_scenario *s;
    rp_model *m = build(
        "{\"nodes\": [{\"id\": \"F\"}, {\"id\": \"X\"}, {\"id\": \"C\", "
        "\"demand\": 10}], \"edges\": [{\"from\": \"F\", \"to\": \"C\"}, "
        "{\"from\": \"F\", \"to\": \"X\", \"ratio\": 0.5}, {\"from\": \"X\", "
        "\"to\": \"F\", \"ratio\": 0.4}]}",
        &s, &err);
    assert_non_null(m);
    assert_true(tu_close(x0_of(s, m, "F"), 12.5, 1e-11));
    assert_true(tu_close(x0_of(s, m, "X"), 5, 1e-11));
    assert_true(m->sweeps > 3);
    rp_model_free(m);
    rp_scenario_free(s);
}

static void test_amplifying_cycle(void **st)
{
    (void)st;
    /* each unit of F needs 2 of X and each X needs 1 of F: gain 2 */
    rp_errors err;
    rp_err_init(&err);
    rp_scenario *s;
    rp_model *m = build(
        "{\"nodes\": [{\"id\": \"C\", \"demand\": 1}, {\"id\": \"F\"}, "
        "{\"id\": \"X\"}], \"edges\": [{\"from\": \"F\", \"to\": \"C\"}, "
        "{\"from\": \"X\", \"to\": \"F\", \"ratio\": 2}, {\"from\": \"F\", "
        "\"to\": \"X\"}]}",
        &s, &err);
    assert_null(m);
    assert_true(tu_err_has(&err, "baseline does not converge"));
    /* it names a node on the cycle, not the customer */
    assert_true(strstr(err.msg[0], "\"F\"") != NULL ||
                strstr(err.msg[0], "\"X\"") != NULL);
    assert_null(strstr(err.msg[0], "\"C\""));
    rp_scenario_free(s);
}

static void test_infeasible_capacity(void **st)
{
    (void)st;
    rp_errors err;
    rp_scenario *s;
    rp_model *m = build("{\"nodes\": [{\"id\": \"S\", \"capacity\": 8}, "
                        "{\"id\": \"C\", \"demand\": 10}], \"edges\": "
                        "[{\"from\": \"S\", \"to\": \"C\"}]}",
                        &s, &err);
    assert_null(m);
    assert_true(tu_err_has(&err, "t.json: network.nodes[0].capacity: 8 is "
                                 "below the baseline output 10 of \"S\""));
    rp_scenario_free(s);
}

static void test_no_demand(void **st)
{
    (void)st;
    rp_errors err;
    rp_scenario *s;
    rp_model *m = build("{\"nodes\": [{\"id\": \"S\"}, {\"id\": \"C\"}], "
                        "\"edges\": [{\"from\": \"S\", \"to\": \"C\"}]}",
                        &s, &err);
    assert_null(m);
    assert_true(tu_err_has(&err, "no node has final demand"));
    rp_scenario_free(s);
}

static void test_standby_needs_capacity(void **st)
{
    (void)st;
    rp_errors err;
    rp_scenario *s;
    rp_model *m =
        build("{\"nodes\": [{\"id\": \"A\"}, {\"id\": \"X\"}, {\"id\": \"C\", "
              "\"demand\": 10}], \"edges\": [{\"from\": \"A\", \"to\": \"C\", "
              "\"input\": \"p\"}, {\"from\": \"X\", \"to\": \"C\", \"input\": "
              "\"p\", \"standby\": true}]}",
              &s, &err);
    assert_null(m);
    assert_true(tu_err_has(&err, "standby supplier \"X\" has no baseline "
                                 "output, so it needs an explicit capacity"));
    rp_scenario_free(s);
}

static void test_only_standby(void **st)
{
    (void)st;
    rp_errors err;
    rp_scenario *s;
    rp_model *m = build("{\"nodes\": [{\"id\": \"X\", \"capacity\": 5}, "
                        "{\"id\": \"C\", \"demand\": 10}], \"edges\": "
                        "[{\"from\": \"X\", \"to\": \"C\", \"standby\": "
                        "true}]}",
                        &s, &err);
    assert_null(m);
    assert_true(tu_err_has(&err, "has only standby suppliers"));
    rp_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_diamond),
        cmocka_unit_test(test_converging_cycle),
        cmocka_unit_test(test_amplifying_cycle),
        cmocka_unit_test(test_infeasible_capacity),
        cmocka_unit_test(test_no_demand),
        cmocka_unit_test(test_standby_needs_capacity),
        cmocka_unit_test(test_only_standby),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
