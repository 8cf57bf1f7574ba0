/* Strategies, common random numbers, the paired comparison and the stress
 * test on cases worked out by hand. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* tests/data/strategy_plant.json: plant P fed by S1 and S2 (input x, half
 * each), a spare supplier B, customer C; attacks on suppliers and the plant,
 * hazards at S1 and P.  Each test adds its replications and strategies. */
#define PLANT "strategy_plant.json"

static rp_scenario *scen(const char *strategies, int reps)
{
    char *text = tu_read_with(
        PLANT, "\"replications\": %d, \"strategies\": [%s]", reps, strategies);
    rp_errors err;
    rp_scenario *s = NULL;
    rp_status st = tu_parse(text, &s, &err);
    free(text);
    if (st != RP_OK) {
        for (int i = 0; i < err.count; i++)
            fprintf(stderr, "%s\n", err.msg[i]);
        fail();
    }
    return s;
}

static rp_results *run(rp_scenario *s)
{
    rp_errors err;
    rp_err_init(&err);
    rp_run_opts o = {.threads = 2};
    rp_results *r = NULL;
    assert_int_equal(rp_run(s, &o, &r, &err), RP_OK);
    return r;
}

static void test_identity_strategy(void **st)
{
    (void)st;
    rp_scenario *s = scen("{\"name\": \"same\", \"cost_per_year\": 10}", 400);
    rp_results *r = run(s);
    assert_memory_equal(r->rep, r->rep + r->R, (size_t)r->R * sizeof *r->rep);
    double cost[2] = {0, 10};
    rp_comparison c[2];
    rp_loss_view lv = rp_results_loss(r);
    assert_int_equal(rp_compare(&lv, cost, c), 0);
    assert_true(c[1].delta_mean == 0 && c[1].delta_lo == 0);
    assert_true(c[1].prob_better == 0);
    assert_true(isnan(c[1].variance_reduction));
    rp_results_free(r);
    rp_scenario_free(s);
}

/* prob_better counts a replication only when the strategy lost less by
 * more than rounding: the same loss reached along two paths can differ in
 * the last bits (1e-13 relative), which is not a better result.  Of 400
 * replications of the identity strategy, every loss is nudged 1e-13 down
 * (ties still), then 10 with a loss are cut by a tenth (better). */
static void test_prob_better_ignores_rounding(void **st)
{
    (void)st;
    rp_scenario *s = scen("{\"name\": \"same\", \"cost_per_year\": 10}", 400);
    rp_results *r = run(s);
    rp_metrics *b = r->rep + r->R;
    int cut = 0;
    for (int64_t q = 0; q < r->R; q++) {
        b[q].lost_value *= 1 - 1e-13;
        if (cut < 10 && b[q].lost_value > 0) {
            b[q].lost_value *= 0.9;
            cut++;
        }
    }
    assert_int_equal(cut, 10);
    double cost[2] = {0, 10};
    rp_comparison c[2];
    rp_loss_view lv = rp_results_loss(r);
    assert_int_equal(rp_compare(&lv, cost, c), 0);
    assert_true(c[1].prob_better == 10.0 / 400.0);
    rp_results_free(r);
    rp_scenario_free(s);
}

/* The events the first n_threats threats give strategy 0 (baseline) and
 * strategy 1 in the same replications, side by side. */
typedef struct {
    rp_scenario *s;
    int n_threats;
    rp_model *m[2];
    void **prep[2];
    gsl_rng *rng;
    rp_evbuf ev[2];
} pair;

static void pair_open(pair *p, rp_scenario *s, int n_threats)
{
    rp_errors err;
    rp_err_init(&err);
    memset(p, 0, sizeof *p);
    p->s = s;
    p->n_threats = n_threats;
    for (int k = 0; k < 2; k++) {
        const rp_network *n = k ? s->strategies[1].net : s->net;
        assert_int_equal(rp_model_build(n, &s->par, &p->m[k], &err), RP_OK);
        assert_int_equal(rp_threats_prepare(s->threats, n_threats, p->m[k],
                                            &p->prep[k], &err),
                         RP_OK);
    }
    p->rng = gsl_rng_alloc(rp_rng_philox);
}

static void pair_sample(pair *p, int rep)
{
    for (int k = 0; k < 2; k++)
        assert_int_equal(rp_threats_sample(p->s->threats, p->n_threats,
                                           p->prep[k], p->m[k], p->s->seed,
                                           (uint64_t)rep, 365, p->rng,
                                           &p->ev[k]),
                         0);
}

static void pair_close(pair *p)
{
    for (int k = 0; k < 2; k++) {
        rp_evbuf_free(&p->ev[k]);
        rp_threats_release(p->s->threats, p->n_threats, p->prep[k]);
        rp_model_free(p->m[k]);
    }
    gsl_rng_free(p->rng);
    rp_scenario_free(p->s);
}

static void test_protection_stops_attacks(void **st)
{
    (void)st;
    pair p;
    /* the attack alone (threat 0), replication by replication */
    pair_open(&p,
              scen("{\"name\": \"fortress\", \"actions\": [{\"set\": "
                   "\"protection\", \"nodes\": {\"kinds\": [\"supplier\", "
                   "\"plant\"]}, \"value\": 1}]}",
                   300),
              1);
    int total = 0;
    for (int rep = 0; rep < 300; rep++) {
        pair_sample(&p, rep);
        assert_int_equal(p.ev[1].n, 0);
        total += p.ev[0].n;
    }
    assert_true(total > 500); /* the baseline is attacked */
    pair_close(&p);
}

static void test_recovery_factor_halves(void **st)
{
    (void)st;
    pair p;
    rp_scenario *s = scen("{\"name\": \"fast\", \"actions\": [{\"set\": "
                          "\"recovery_factor\", \"nodes\": \"all\", "
                          "\"value\": 0.5}]}",
                          10);
    pair_open(&p, s, s->n_threats);
    int n = 0;
    for (int rep = 0; rep < 300; rep++) {
        pair_sample(&p, rep);
        const rp_evbuf *a = &p.ev[0], *b = &p.ev[1];
        assert_int_equal(a->n, b->n);
        for (int k = 0; k < a->n; k++) {
            assert_int_equal(a->ev[k].target, b->ev[k].target);
            assert_int_equal(a->ev[k].onset, b->ev[k].onset);
            assert_true(a->ev[k].severity == b->ev[k].severity);
            /* ceil(draw / 2) == ceil(ceil(draw) / 2) */
            assert_int_equal(b->ev[k].duration, (a->ev[k].duration + 1) / 2);
        }
        n += a->n;
    }
    assert_true(n > 300);
    pair_close(&p);
}

/* Strategies share most of the risk: stock at the plant changes losses
 * only in part, so paired differences vary far less than either loss. */
static void test_variance_reduction(void **st)
{
    (void)st;
    /* stock at P (cost 1000), B as a second source of x (2000), B on
     * standby (free) */
    char *list = tu_read("strategy_plant_three.json");
    char *open = strchr(list, '['), *close = strrchr(list, ']');
    assert_true(open != NULL && close != NULL);
    *close = '\0';
    rp_scenario *s = scen(open + 1, 2000);
    free(list);
    rp_results *r = run(s);
    double cost[4] = {0, 1000, 2000, 0};
    rp_comparison c[4];
    rp_loss_view lv = rp_results_loss(r);
    assert_int_equal(rp_compare(&lv, cost, c), 0);
    for (int k = 1; k < 4; k++) {
        fprintf(stderr,
                "  %s: delta %.1f [%.1f, %.1f] P(better) %.3f "
                "var.red. %.2f roi %.2f\n",
                s->strategies[k].name, c[k].delta_mean, c[k].delta_lo,
                c[k].delta_hi, c[k].prob_better, c[k].variance_reduction,
                c[k].roi);
        assert_true(c[k].variance_reduction > 2);
        assert_true(c[k].delta_hi < 0); /* each treatment helps */
    }
    assert_true(isnan(c[3].roi));
    rp_results_free(r);
    rp_scenario_free(s);
}

/* add_edge rescales the group: S1 0.5 -> 0.4, S2 0.5 -> 0.4, B 0.2. */
static void test_add_edge_shares(void **st)
{
    (void)st;
    rp_scenario *s = scen("{\"name\": \"dual\", \"actions\": [{\"add_edge\": "
                          "{\"from\": \"B\", \"to\": \"P\", \"input\": "
                          "\"x\", \"share\": 0.2, \"lead_time\": 3}}]}",
                          1);
    const rp_network *n = s->strategies[1].net;
    assert_int_equal(n->n_edges, 4);
    assert_true(tu_close(n->share[0], 0.4, 1e-15));
    assert_true(tu_close(n->share[1], 0.4, 1e-15));
    assert_true(n->share[3] == 0.2 && n->from[3] == 2 && n->lead_time[3] == 3);
    assert_int_equal(s->net->n_edges, 3); /* the baseline is untouched */
    rp_errors err;
    rp_err_init(&err);
    rp_model *m = NULL;
    assert_int_equal(rp_model_build(n, &s->par, &m, &err), RP_OK);
    assert_true(tu_close(m->x0[2], 20, 1e-12)); /* B now makes 20 */
    rp_model_free(m);
    rp_scenario_free(s);
}

static void test_strategy_errors(void **st)
{
    (void)st;
    const char *cases[][2] = {
        {"{\"name\": \"a\", \"actions\": [{\"set\": \"protection\", "
         "\"nodes\": {\"ids\": [\"Q\"]}, \"value\": 1}]}",
         "strategies[0].actions[0].nodes.ids[0]: unknown node \"Q\""},
        {"{\"name\": \"a\", \"actions\": [{\"set\": \"protection\", "
         "\"nodes\": {\"kinds\": [\"mine\"]}, \"value\": 1}]}",
         "strategies[0].actions[0].nodes: selector matches no node"},
        {"{\"name\": \"a\", \"actions\": [{\"add_edge\": {\"from\": \"B\", "
         "\"to\": \"P\", \"input\": \"x\", \"share\": 1.5}}]}",
         "strategies[0].actions[0].add_edge.share: must be a number in (0, "
         "1) (got 1.5)"},
        {"{\"name\": \"a\", \"actions\": [{\"add_edge\": {\"from\": \"B\", "
         "\"to\": \"P\", \"input\": \"y\", \"share\": 0.5}}]}",
         "add_edge.input: \"P\" has no input \"y\""},
        {"{\"name\": \"a\", \"actions\": [{\"add_edge\": {\"from\": \"Z\", "
         "\"to\": \"P\", \"input\": \"x\", \"share\": 0.5}}]}",
         "add_edge.from: unknown node \"Z\""},
        {"{\"name\": \"a\", \"actions\": [{\"set\": \"colour\", \"nodes\": "
         "\"all\", \"value\": 1}]}",
         "actions[0].set: unknown setting"},
        {"{\"name\": \"a\", \"actions\": [{\"set\": \"protection\", "
         "\"nodes\": \"all\", \"value\": 2}]}",
         "actions[0].value: must be a number in [0, 1] (got 2)"},
        {"{\"name\": \"a\"}, {\"name\": \"a\"}",
         "strategies[1].name: duplicate strategy name \"a\""},
        {"{\"name\": \"baseline\", \"cost_per_year\": 5}",
         "strategies[0].name: \"baseline\" is the unchanged network"},
        {"{\"name\": \"a\", \"cost\": 5}", "strategies[0].cost: unknown key"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char *text = tu_read_with(PLANT, "\"strategies\": [%s]", cases[k][0]);
        rp_errors err;
        rp_scenario *s = NULL;
        assert_int_equal(tu_parse(text, &s, &err), RP_EINPUT);
        free(text);
        assert_true(tu_err_has(&err, cases[k][1]));
    }
}

/* Stress on S -> C (lead 3), C holding n = 5 days (100/day, value 3).
 * S down on days 0..D-1: C receives the pipeline (shipped before day 0) on
 * days 0-2 and nothing on days 3..D+2; its stock covers 5 of those, so
 * D - 5 days are lost: TTS(S) = 5, and TTR 12 loses 7 x 100 x 3 = 2100.
 * C down loses from day 0: TTS(C) = 0, PI = 12 x 100 x 3 = 3600, the worst,
 * so REI(C) = 1 and REI(S) = 2100 / 3600. */
static void test_stress_by_hand(void **st)
{
    (void)st;
    rp_errors err;
    rp_scenario *s = NULL;
    assert_int_equal(
        tu_parse("{\"horizon_days\": 60, \"network\": {\"nodes\": [{\"id\": "
                 "\"S\", \"ttr_days\": 12}, {\"id\": \"C\", \"demand\": 100, "
                 "\"unit_value\": 3, \"inventory_days\": 5}], \"edges\": "
                 "[{\"from\": \"S\", \"to\": \"C\", \"lead_time\": 3}]}, "
                 "\"stress\": {\"ttr_days\": 12}}",
                 &s, &err),
        RP_OK);
    rp_model *m = NULL;
    assert_int_equal(rp_model_build(s->net, &s->par, &m, &err), RP_OK);
    int32_t ttr[2] = {12, 12};
    rp_stress *res = NULL;
    /* the same by hand whatever the lanes (0: the default) */
    const int lanes[4] = {0, 1, RP_HALF, RP_LANES};
    for (int q = 0; q < 4; q++) {
        assert_int_equal(
            rp_stress_run(m, 60, s->stress_mask, ttr, 2, lanes[q], &res, &err),
            RP_OK);
        assert_int_equal(res->tts[0], 5);
        assert_int_equal(res->tts[1], 0);
        assert_true(tu_close(res->pi[0], 2100, 1e-12));
        assert_true(tu_close(res->pi[1], 3600, 1e-12));
        assert_true(res->rei[1] == 1.0);
        assert_true(tu_close(res->rei[0], 2100.0 / 3600, 1e-12));
        assert_int_equal(res->exposed[0], 1);
        assert_int_equal(res->exposed[1], 1);
        rp_stress_free(res);
    }
    /* with 15 days of stock S survives its 12-day outage */
    s->net->inventory_days[1] = 15;
    rp_model_free(m);
    assert_int_equal(rp_model_build(s->net, &s->par, &m, &err), RP_OK);
    assert_int_equal(
        rp_stress_run(m, 60, s->stress_mask, ttr, 1, 0, &res, &err), RP_OK);
    assert_int_equal(res->tts[0], 15);
    assert_true(res->pi[0] == 0);
    assert_int_equal(res->exposed[0], 0);
    rp_stress_free(res);
    rp_model_free(m);
    rp_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity_strategy),
        cmocka_unit_test(test_prob_better_ignores_rounding),
        cmocka_unit_test(test_protection_stops_attacks),
        cmocka_unit_test(test_recovery_factor_halves),
        cmocka_unit_test(test_variance_reduction),
        cmocka_unit_test(test_add_edge_shares),
        cmocka_unit_test(test_strategy_errors),
        cmocka_unit_test(test_stress_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
