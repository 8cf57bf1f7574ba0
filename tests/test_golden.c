/* Conformance: the six golden cases computed by an independent
 * implementation of the model (tests/data/golden).  Agreement required:
 * 1e-9 relative, day by day and on every metric, on every path of the
 * daily loop: day by day (dense) and skipping quiet days (sparse), one
 * replication at a time and in a block of eight lanes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static cJSON *load_expected(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/golden/%s.expected.json", RIPPLE_TEST_DATA,
             name);
    rp_errors err;
    rp_err_init(&err);
    cJSON *doc = NULL;
    assert_int_equal(rp_json_read_file(path, path, &doc, &err), RP_OK);
    return doc;
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    assert_non_null(it);
    return it->valuedouble;
}

/* Run the case's events with dense on or off, on one lane or in lane 5 of
 * eight (lane 2 gets the same events, the others none), and compare. */
static void check_path(rp_scenario *s, const cJSON *exp, const char *name,
                       int dense, int lanes)
{
    rp_errors err;
    rp_err_init(&err);
    rp_model *mo = NULL;
    assert_int_equal(rp_model_build(s->net, &s->par, &mo, &err), RP_OK);
    void **preps = NULL;
    assert_int_equal(
        rp_threats_prepare(s->threats, s->n_threats, mo, &preps, &err), RP_OK);
    rp_evbuf eb = {0};
    gsl_rng *rng = gsl_rng_alloc(rp_rng_philox);
    assert_int_equal(rp_threats_sample(s->threats, s->n_threats, preps, mo,
                                       s->seed, 0, s->horizon, rng, &eb),
                     0);
    gsl_rng_free(rng);
    rp_flow_ws *w = rp_flow_ws_new_lanes(mo, lanes);
    assert_non_null(w);
    rp_flow_set_options(w, dense ? RP_FLOW_DENSE : RP_FLOW_SPARSE, INFINITY);
    double *sl = calloc((size_t)s->horizon, sizeof *sl);
    rp_metrics m;
    if (lanes == 1) {
        assert_int_equal(
            rp_flow_run(mo, w, eb.ev, eb.n, s->horizon, &m, sl, NULL), RP_OK);
    } else {
        const rp_event *ev[RP_LANES];
        int nev[RP_LANES];
        double *sls[RP_LANES] = {0};
        rp_metrics ms[RP_LANES];
        for (int l = 0; l < RP_LANES; l++) {
            ev[l] = eb.ev;
            nev[l] = (l == 2 || l == 5) ? eb.n : 0;
        }
        sls[5] = sl;
        assert_int_equal(
            rp_flow_run_lanes(mo, w, RP_LANES, ev, nev, s->horizon, ms, sls),
            RP_OK);
        m = ms[5];
        assert_true(ms[2].lost_units == ms[5].lost_units);
        assert_true(ms[0].lost_units == 0);
    }
    char what[160];
    snprintf(what, sizeof what, "%s (%s, %d lane%s)", name,
             dense ? "dense" : "sparse", lanes, lanes > 1 ? "s" : "");

    const cJSON *esl = cJSON_GetObjectItemCaseSensitive(exp, "service_level");
    assert_int_equal(cJSON_GetArraySize(esl), s->horizon);
    for (int t = 0; t < s->horizon; t++) {
        double want = cJSON_GetArrayItem(esl, t)->valuedouble;
        if (!tu_close(sl[t], want, 1e-9))
            fail_msg("%s: SL(%d) = %.17g, want %.17g", what, t, sl[t], want);
    }
    struct {
        const char *k;
        double v;
    } mets[] = {
        {"lost_units", m.lost_units},
        {"lost_value", m.lost_value},
        {"fill_rate", m.fill_rate},
        {"min_service", m.min_service},
        {"days_below_target", m.days_below_target},
        {"longest_outage", m.longest_outage},
        {"nodes_disrupted", m.nodes_disrupted},
        {"nodes_impacted", m.nodes_impacted},
    };
    for (size_t i = 0; i < sizeof mets / sizeof mets[0]; i++) {
        double want = num(exp, mets[i].k);
        if (!tu_close(mets[i].v, want, 1e-9))
            fail_msg("%s: %s = %.17g, want %.17g", what, mets[i].k, mets[i].v,
                     want);
    }
    free(sl);
    rp_flow_ws_free(w);
    rp_evbuf_free(&eb);
    rp_threats_release(s->threats, s->n_threats, preps);
    rp_model_free(mo);
}

static void check_case(const char *name)
{
    char file[128];
    snprintf(file, sizeof file, "golden/%s.json", name);
    rp_scenario *s = tu_load(file);
    cJSON *exp = load_expected(name);
    rp_errors err;
    rp_err_init(&err);
    rp_model *mo = NULL;
    assert_int_equal(rp_model_build(s->net, &s->par, &mo, &err), RP_OK);
    const cJSON *bo = cJSON_GetObjectItemCaseSensitive(exp, "baseline_output");
    const cJSON *cap = cJSON_GetObjectItemCaseSensitive(exp, "capacity");
    for (int i = 0; i < mo->N; i++) {
        double want = num(bo, s->net->id[i]);
        if (!tu_close(mo->x0[i], want, 1e-9))
            fail_msg("%s: x0[%s] = %.17g, want %.17g", name, s->net->id[i],
                     mo->x0[i], want);
        want = num(cap, s->net->id[i]);
        if (!tu_close(mo->cap[i], want, 1e-9))
            fail_msg("%s: cap[%s] = %.17g, want %.17g", name, s->net->id[i],
                     mo->cap[i], want);
    }
    rp_model_free(mo);

    for (int path = 0; path < 4; path++)
        check_path(s, exp, name, path & 1, path & 2 ? RP_LANES : 1);
    cJSON_Delete(exp);
    rp_scenario_free(s);
}

static void test_abandon(void **st)
{
    (void)st;
    check_case("abandon");
}

/* The abandon case worked by hand.  X (50 a day, 5 days of stock at its
 * buyer A) is down on days 10-49.  A ships 50 a day from its stock of 250
 * until day 15 and has nothing on day 16.  Health: h_X = 0 on days 10-49,
 * so h_A = 0 on days 11-50 (a tier a day) and 1 from day 51.  On days
 * 16-50 A has neither stock nor health, so P orders only from B (55 a
 * day at most: 45 short of P's 100) and lives on its 500 units of stock
 * for 11 days; from day 40 on service is 55%.  On day 51 A is healthy
 * again: P orders from A again that day, A sees the order on day 52 and
 * orders from X, X ships on day 53, it arrives on day 54 and A restarts
 * that day.  A's first output reaches P on day 55, and service is back on
 * day 56.  (Version 1 judged A by its stock alone: no stock, no orders,
 * never restarts.) */
static void test_abandon_by_hand(void **st)
{
    (void)st;
    rp_scenario *s = tu_load("golden/abandon.json");
    rp_errors err;
    rp_err_init(&err);
    rp_model *mo = NULL;
    assert_int_equal(rp_model_build(s->net, &s->par, &mo, &err), RP_OK);
    int A = -1;
    for (int i = 0; i < mo->N; i++)
        if (strcmp(s->net->id[i], "A") == 0)
            A = i;
    assert_true(A >= 0);
    rp_event ev = {.target = 0, .onset = 10, .duration = 40, .severity = 1};
    for (int i = 0; i < mo->N; i++)
        if (strcmp(s->net->id[i], "X") == 0)
            ev.target = i;
    const int T = s->horizon, N = mo->N;
    double *x = calloc((size_t)T * (size_t)N, sizeof *x);
    double *sl = calloc((size_t)T, sizeof *sl);
    rp_flow_trace tr = {.x = x};
    for (int dense = 0; dense < 2; dense++) {
        rp_flow_ws *w = rp_flow_ws_new(mo);
        rp_flow_set_options(w, dense ? RP_FLOW_DENSE : RP_FLOW_SPARSE,
                            INFINITY);
        rp_metrics m;
        assert_int_equal(rp_flow_run(mo, w, &ev, 1, T, &m, sl, &tr), RP_OK);
        for (int t = 0; t <= 15; t++)
            assert_true(fabs(x[(size_t)t * N + A] - 50) < 1e-9);
        for (int t = 16; t <= 53; t++)
            if (x[(size_t)t * N + A] != 0)
                fail_msg("A produces %g on day %d", x[(size_t)t * N + A], t);
        assert_true(x[(size_t)54 * N + A] > 0);
        assert_true(fabs(sl[39] - 1) < 1e-12 && sl[40] < 0.99);
        assert_true(fabs(sl[55] - 0.55) < 1e-9 && fabs(sl[56] - 1) < 1e-12);
        rp_flow_ws_free(w);
    }
    free(x);
    free(sl);
    rp_model_free(mo);
    rp_scenario_free(s);
}

static void test_standby_upstream(void **st)
{
    (void)st;
    check_case("standby_upstream");
}

static void test_chain(void **st)
{
    (void)st;
    check_case("chain");
}
static void test_substitutes(void **st)
{
    (void)st;
    check_case("substitutes");
}
static void test_standby(void **st)
{
    (void)st;
    check_case("standby");
}
static void test_mixed(void **st)
{
    (void)st;
    check_case("mixed");
}

/* chain.expected.json's stress_ttr10: every node down for 10 days from
 * day 0 over the 60-day horizon. */
static void test_chain_stress(void **st)
{
    (void)st;
    rp_scenario *s = tu_load("golden/chain.json");
    cJSON *exp = load_expected("chain");
    const cJSON *gs = cJSON_GetObjectItemCaseSensitive(exp, "stress_ttr10");
    const cJSON *pi =
        cJSON_GetObjectItemCaseSensitive(gs, "performance_impact");
    const cJSON *tts = cJSON_GetObjectItemCaseSensitive(gs, "tts_days");
    rp_errors err;
    rp_err_init(&err);
    rp_model *m = NULL;
    assert_int_equal(rp_model_build(s->net, &s->par, &m, &err), RP_OK);
    unsigned char mask[3] = {1, 1, 1};
    int32_t ttr[3] = {10, 10, 10};
    for (int threads = 1; threads <= 2; threads++) {
        rp_stress *res = NULL;
        assert_int_equal(
            rp_stress_run(m, s->horizon, mask, ttr, threads, 0, &res, &err),
            RP_OK);
        double maxpi = 0;
        for (int i = 0; i < 3; i++) {
            const char *id = s->net->id[i];
            if (!tu_close(res->pi[i], num(pi, id), 1e-9))
                fail_msg("PI[%s] = %.17g, want %.17g", id, res->pi[i],
                         num(pi, id));
            assert_int_equal(res->tts[i], (int)num(tts, id));
            assert_int_equal(res->exposed[i], res->tts[i] < 10);
            if (res->pi[i] > maxpi)
                maxpi = res->pi[i];
            /* bisection, not one run per day */
            assert_true(res->sims[i] <= 10);
        }
        for (int i = 0; i < 3; i++)
            assert_true(res->rei[i] == res->pi[i] / maxpi);
        assert_true(res->rei[2] == 1.0); /* C loses most */
        rp_stress_free(res);
    }
    rp_model_free(m);
    cJSON_Delete(exp);
    rp_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_abandon),
        cmocka_unit_test(test_abandon_by_hand),
        cmocka_unit_test(test_standby_upstream),
        cmocka_unit_test(test_substitutes),
        cmocka_unit_test(test_standby),
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_chain_stress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
