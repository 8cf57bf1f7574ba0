/* One replication day by day (rp_trace_run, the flow's daily trace): the
 * days add up to the replication's metrics, each day's values obey the
 * model's steps, and the replication is the one `ripple run` simulates. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/trace.h"
#include "testutil.h"

#define AT(a, t, j) ((a)[(size_t)(t) * (size_t)tr->N + (size_t)(j)])

/* The `abandon` case of docs/model.md: X (node 0) down on days 10-49; A
 * (1) buys from X alone, P (3) buys a part from A and B half and half. */
static void test_trace_abandon(void **st)
{
    (void)st;
    rp_scenario *s = tu_load("golden/abandon.json");
    rp_errors err;
    rp_err_init(&err);
    rp_trace *tr = NULL;
    assert_int_equal(rp_trace_run(s, 0, 0, &tr, &err), RP_OK);
    assert_int_equal(tr->T, 120);
    assert_int_equal(tr->N, 5);
    /* the days add up to the replication, to the last bit */
    double lost = 0;
    for (int t = 0; t < tr->T; t++)
        lost += tr->lost[t];
    assert_true(lost == tr->met.lost_units);
    rp_metrics ref;
    tu_run_one(s, &ref, NULL);
    assert_true(tu_close(tr->met.lost_units, ref.lost_units, 1e-9));
    assert_true(tu_close(lost, 715, 1e-6));
    for (int t = 0; t < tr->T; t++) {
        for (int j = 0; j < tr->N; j++) {
            double x = AT(tr->x, t, j), D = AT(tr->D, t, j);
            double P = AT(tr->P, t, j);
            /* step 5: output is min(producible, demand) */
            assert_true(x == (P < D ? P : D));
            assert_true(AT(tr->r, t, j) == (D > 0 ? x / D : 0));
            double h = AT(tr->h, t, j);
            assert_true(h >= 0 && h <= 1);
        }
        int down = t >= 10 && t < 50;
        assert_true(AT(tr->delta, t, 0) == (down ? 1.0 : 0.0));
        assert_true(AT(tr->P, t, 0) == (down ? 0.0 : AT(tr->P, t, 0)));
        /* health moves one tier a day: A is down from day 11 to day 50,
         * P at half from day 12 to 51 (its health nobody reads) */
        assert_true(AT(tr->h, t, 1) == (t >= 11 && t <= 50 ? 0.0 : 1.0));
        assert_true(AT(tr->h, t, 3) == (t >= 12 && t <= 51 ? 0.5 : 1.0));
        for (int g = 0; g < tr->G; g++)
            assert_true(tr->S[(size_t)t * (size_t)tr->G + (size_t)g] >= 0);
        assert_true(tr->sl[t] >= 0 && tr->sl[t] <= 1);
    }
    /* groups in model order, labelled buyer:input */
    assert_int_equal(tr->G, 3);
    assert_string_equal(tr->group_label[0], "A:X");
    assert_string_equal(tr->group_label[1], "P:part");
    assert_string_equal(tr->group_label[2], "C:P");
    assert_int_equal(tr->group_node[1], 3);
    /* C's stock on day 0: 5 days of 100, and the day's arrival */
    assert_true(tr->S[2] == 600);
    rp_trace_free(tr);
    rp_scenario_free(s);
}

static void test_trace_refuses(void **st)
{
    (void)st;
    rp_scenario *s = tu_load("golden/abandon.json");
    rp_errors err;
    rp_err_init(&err);
    rp_trace *tr = NULL;
    assert_int_equal(rp_trace_run(s, 0, 1, &tr, &err), RP_EINPUT);
    assert_true(tu_err_has(&err, "replication 1"));
    rp_err_init(&err);
    assert_int_equal(rp_trace_run(s, 0, -1, &tr, &err), RP_EINPUT);
    rp_err_init(&err);
    assert_int_equal(rp_trace_run(s, 1, 0, &tr, &err), RP_EINPUT);
    /* [day, node] arrays past 2 GiB: refused before anything is made */
    s->horizon = INT_MAX / 2;
    rp_err_init(&err);
    assert_int_equal(rp_trace_run(s, 0, 0, &tr, &err), RP_EINPUT);
    assert_true(tu_err_has(&err, "GiB"));
    assert_null(tr);
    rp_scenario_free(s);
}

/* Every threat type, every strategy: the trace of replication r is the
 * replication r of a run (lanes, skipping of quiet days) up to rounding. */
static void test_trace_is_the_run(void **st)
{
    (void)st;
    rp_scenario *s = tu_load("all_threats.json");
    s->replications = 24;
    rp_errors err;
    rp_err_init(&err);
    rp_run_opts o = {.threads = 2};
    rp_results *res = NULL;
    assert_int_equal(rp_run(s, &o, &res, &err), RP_OK);
    int nonzero = 0;
    for (int si = 0; si < s->n_strategies; si++) {
        for (int64_t r = 0; r < s->replications; r += 5) {
            rp_trace *tr = NULL;
            assert_int_equal(rp_trace_run(s, si, r, &tr, &err), RP_OK);
            const rp_metrics *m = &res->rep[(size_t)si * 24 + (size_t)r];
            double lost = 0;
            for (int t = 0; t < tr->T; t++)
                lost += tr->lost[t];
            assert_true(tu_close(lost, m->lost_units, 1e-9));
            assert_true(tu_close(tr->met.lost_value, m->lost_value, 1e-9));
            assert_int_equal(tr->met.events, m->events);
            assert_int_equal(tr->met.days_below_target, m->days_below_target);
            nonzero += m->lost_units > 0;
            rp_trace_free(tr);
        }
    }
    assert_true(nonzero > 4);
    rp_results_free(res);
    rp_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trace_abandon),
        cmocka_unit_test(test_trace_refuses),
        cmocka_unit_test(test_trace_is_the_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
