/* Threat types against analytic results.  Statistical checks use fixed
 * seeds and tolerances of at least 5 standard errors, so they never flake
 * and would catch a wrong rate, probability or contagion rule. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

typedef struct {
    rp_scenario *s;
    rp_model *m;
    void **preps;
    gsl_rng *rng;
    rp_evbuf eb;
} fixture;

static void fx_open(fixture *f, const char *text)
{
    rp_errors err;
    memset(f, 0, sizeof *f);
    if (tu_parse(text, &f->s, &err) != RP_OK) {
        for (int i = 0; i < err.count; i++)
            fprintf(stderr, "%s\n", err.msg[i]);
        fail();
    }
    assert_int_equal(rp_model_build(f->s->net, &f->s->par, &f->m, &err),
                     RP_OK);
    assert_int_equal(rp_threats_prepare(f->s->threats, f->s->n_threats, f->m,
                                        &f->preps, &err),
                     RP_OK);
    f->rng = gsl_rng_alloc(rp_rng_philox);
}

/* fx_open on the scenario in tests/data/NAME */
static void fx_open_file(fixture *f, const char *name)
{
    char *text = tu_read(name);
    fx_open(f, text);
    free(text);
}

static void fx_sample(fixture *f, uint64_t rep)
{
    assert_int_equal(rp_threats_sample(f->s->threats, f->s->n_threats,
                                       f->preps, f->m, f->s->seed, rep,
                                       f->s->horizon, f->rng, &f->eb),
                     0);
}

static void fx_close(fixture *f)
{
    rp_evbuf_free(&f->eb);
    gsl_rng_free(f->rng);
    rp_threats_release(f->s->threats, f->s->n_threats, f->preps);
    rp_model_free(f->m);
    rp_scenario_free(f->s);
}

/* One node, rate 2/year, 30-day outages of severity 1, 365 days.  Day d is
 * disrupted unless no event started on days d-29..d (onsets floored to the
 * day, nothing before day 0): P = 1 - exp(-(2/365) min(30, d + 1)), summed
 * over the year = 53.192 days. */
static void test_node_hazard_downtime(void **st)
{
    (void)st;
    fixture f;
    fx_open(&f, "{\"horizon_days\": 365, \"seed\": 11, \"network\": "
                "{\"nodes\": [{\"id\": \"N\", \"demand\": 1}]}, \"threats\": "
                "[{\"type\": \"node_hazard\", \"nodes\": \"all\", "
                "\"rate_per_year\": 2, \"duration\": 30}]}");
    double want = 0;
    for (int d = 0; d < 365; d++)
        want += 1 - exp(-(2.0 / 365) * fmin(30, d + 1));
    assert_true(fabs(want - 53.192) < 5e-4);
    rp_flow_ws *w = rp_flow_ws_new(f.m);
    const int R = 20000;
    double s = 0, s2 = 0;
    for (int r = 0; r < R; r++) {
        fx_sample(&f, (uint64_t)r);
        rp_metrics met;
        rp_flow_run(f.m, w, f.eb.ev, f.eb.n, 365, &met, NULL, NULL);
        double dd = rp_flow_node_results(w).disrupted_days[0];
        s += dd;
        s2 += dd * dd;
    }
    double mean = s / R, sd = sqrt((s2 - s * s / R) / (R - 1));
    if (!(fabs(mean - want) < 5 * sd / sqrt(R)))
        fail_msg("mean disrupted days %g, want %g (se %g)", mean, want,
                 sd / sqrt(R));
    rp_flow_ws_free(w);
    fx_close(&f);
}

/* A regional threat at 4/year: the number of events per year is Poisson(4)
 * (mean 4, variance 4); each event hits all three nodes of the region on
 * the same day and counts once. */
static void test_regional_poisson(void **st)
{
    (void)st;
    fixture f;
    fx_open_file(&f, "threats_regional.json");
    rp_flow_ws *w = rp_flow_ws_new(f.m);
    const int R = 20000;
    double s = 0, s2 = 0;
    for (int r = 0; r < R; r++) {
        fx_sample(&f, (uint64_t)r);
        assert_int_equal(f.eb.n % 3, 0);
        for (int k = 0; k < f.eb.n; k += 3) {
            assert_int_equal(f.eb.ev[k].target, 0);
            assert_int_equal(f.eb.ev[k + 2].target, 2);
            assert_int_equal(f.eb.ev[k].onset, f.eb.ev[k + 2].onset);
            assert_int_equal(f.eb.ev[k].duration, f.eb.ev[k + 1].duration);
            assert_true(f.eb.ev[k].severity == 0.5);
        }
        rp_metrics met;
        rp_flow_run(f.m, w, f.eb.ev, f.eb.n, 365, &met, NULL, NULL);
        assert_int_equal(met.events * 3, f.eb.n);
        s += met.events;
        s2 += (double)met.events * met.events;
    }
    double mean = s / R, var = (s2 - s * s / R) / (R - 1);
    assert_true(fabs(mean - 4) < 5 * sqrt(4.0 / R));
    /* Var(sample variance) ~ (mu + 2 mu^2) / R for a Poisson */
    assert_true(fabs(var - 4) < 5 * sqrt((4.0 + 2 * 16) / R));
    rp_flow_ws_free(w);
    fx_close(&f);
}

static const char *ATTACK_NET =
    "\"network\": {\"nodes\": [{\"id\": \"H\", \"protection\": %g}, "
    "{\"id\": \"X\"}, {\"id\": \"Y\"}, {\"id\": \"C\", \"demand\": 1}], "
    "\"edges\": [{\"from\": \"H\", \"to\": \"X\"}, {\"from\": \"H\", \"to\": "
    "\"Y\"}, {\"from\": \"X\", \"to\": \"C\", \"input\": \"p\"}, {\"from\": "
    "\"Y\", \"to\": \"C\", \"input\": \"p\"}]}";

/* Success frequency: 50 attempts a year on H with p_success 0.4 and
 * protection 0.25 give Poisson(50 x 0.4 x 0.75 = 15) successes a year. */
static void test_attack_success_rate(void **st)
{
    (void)st;
    char text[2048], net[1024];
    snprintf(net, sizeof net, ATTACK_NET, 0.25);
    snprintf(text, sizeof text,
             "{\"horizon_days\": 365, \"seed\": 3, %s, \"threats\": "
             "[{\"type\": \"attack\", \"candidates\": {\"ids\": [\"H\"]}, "
             "\"attempts_per_year\": 50, \"targeting\": \"random\", "
             "\"p_success\": 0.4, \"duration\": 3}]}",
             net);
    fixture f;
    fx_open(&f, text);
    const int R = 20000;
    double s = 0;
    for (int r = 0; r < R; r++) {
        fx_sample(&f, (uint64_t)r);
        s += f.eb.n;
    }
    assert_true(fabs(s / R - 15) < 5 * sqrt(15.0 / R));
    fx_close(&f);
    /* protection 1: no attempt ever succeeds */
    snprintf(net, sizeof net, ATTACK_NET, 1.0);
    snprintf(text, sizeof text,
             "{\"horizon_days\": 365, %s, \"threats\": [{\"type\": "
             "\"attack\", \"candidates\": {\"ids\": [\"H\"]}, "
             "\"attempts_per_year\": 50, \"p_success\": 1, \"duration\": "
             "3}]}",
             net);
    fx_open(&f, text);
    for (int r = 0; r < 200; r++) {
        fx_sample(&f, (uint64_t)r);
        assert_int_equal(f.eb.n, 0);
    }
    fx_close(&f);
}

/* Targeting.  Degrees: H 2, X 2, Y 2, C 2... so use flow: x0 = H 1, X 0.5,
 * Y 0.5, C 1 with unit values 1; candidates H, X: ranked by flow, attempts
 * in onset order alternate H, X, H, X.  Weighted by degree over H (2) and
 * C (2) and X (2): equal.  Weighted by flow over H (1) and X (0.5): H gets
 * 2/3 of the successes. */
static void test_attack_targeting(void **st)
{
    (void)st;
    char text[2048], net[1024];
    snprintf(net, sizeof net, ATTACK_NET, 0.0);
    snprintf(text, sizeof text,
             "{\"horizon_days\": 365, \"seed\": 9, %s, \"threats\": "
             "[{\"type\": \"attack\", \"candidates\": {\"ids\": [\"X\", "
             "\"H\"]}, \"attempts_per_year\": 20, \"targeting\": \"flow\", "
             "\"choice\": \"ranked\", \"p_success\": 1, \"duration\": 2}]}",
             net);
    fixture f;
    fx_open(&f, text);
    for (int r = 0; r < 50; r++) {
        fx_sample(&f, (uint64_t)r);
        for (int k = 0; k < f.eb.n; k++) {
            if (k > 0)
                assert_true(f.eb.ev[k].onset >= f.eb.ev[k - 1].onset);
            assert_int_equal(f.eb.ev[k].target, k % 2 == 0 ? 0 : 1);
        }
    }
    fx_close(&f);
    snprintf(text, sizeof text,
             "{\"horizon_days\": 365, \"seed\": 9, %s, \"threats\": "
             "[{\"type\": \"attack\", \"candidates\": {\"ids\": [\"X\", "
             "\"H\"]}, \"attempts_per_year\": 20, \"targeting\": \"flow\", "
             "\"choice\": \"weighted\", \"p_success\": 1, \"duration\": 2}]}",
             net);
    fx_open(&f, text);
    double h = 0, n = 0;
    for (int r = 0; r < 5000; r++) {
        fx_sample(&f, (uint64_t)r);
        for (int k = 0; k < f.eb.n; k++)
            h += f.eb.ev[k].target == 0;
        n += f.eb.n;
    }
    double p = 2.0 / 3;
    assert_true(fabs(h / n - p) < 5 * sqrt(p * (1 - p) / n));
    fx_close(&f);
    /* betweenness: on the diamond H -> {X, Y} -> C only X and Y lie on
     * shortest paths (H -> C through either: 0.5 each), so ranked
     * betweenness over {H, X} always hits X first */
    snprintf(text, sizeof text,
             "{\"horizon_days\": 365, \"seed\": 9, %s, \"threats\": "
             "[{\"type\": \"attack\", \"candidates\": {\"ids\": [\"H\", "
             "\"X\"]}, \"attempts_per_year\": 20, \"targeting\": "
             "\"betweenness\", \"p_success\": 1, \"duration\": 2}]}",
             net);
    fx_open(&f, text);
    fx_sample(&f, 0);
    assert_true(f.eb.n > 0);
    assert_int_equal(f.eb.ev[0].target, 1);
    fx_close(&f);
}

/* Cyber contagion: each infectious node has d - 1 = 2 infectious days
 * (duration 3), each with probability beta = 0.3 of infecting a given
 * neighbour, so p = 1 - 0.7^2 = 0.51.
 * Path A - B - C entered at A: B is infected with probability p, C with
 * p^2 = 0.2601 (only through B).  Star with centre X entered at X: each
 * leaf independently with p.  Entered at a leaf: the centre with p, each
 * other leaf with p^2.  Campaigns are counted by their entry node's events
 * (the entry is infected once per campaign); 100 years per replication
 * make edge effects at the horizon negligible. */
static void cyber_ratios(const char *net, const char *entry,
                         const double *want, int n_nodes, double beta,
                         int max_days)
{
    char text[2048];
    snprintf(text, sizeof text,
             "{\"horizon_days\": 36500, \"seed\": 21, \"network\": %s, "
             "\"threats\": [{\"type\": \"cyber\", \"entry\": {\"ids\": "
             "[\"%s\"]}, \"rate_per_year\": 1, \"beta\": %g, \"max_days\": "
             "%d, \"duration\": 3}]}",
             net, entry, beta, max_days);
    fixture f;
    fx_open(&f, text);
    double count[16] = {0};
    int e = rp_net_find(f.s->net, entry);
    for (int r = 0; r < 300; r++) {
        fx_sample(&f, (uint64_t)r);
        for (int k = 0; k < f.eb.n; k++) {
            assert_int_equal(f.eb.ev[k].duration, 3);
            count[f.eb.ev[k].target] += 1;
        }
    }
    double campaigns = count[e];
    assert_true(campaigns > 20000);
    for (int i = 0; i < n_nodes; i++) {
        double p = want[i], got = count[i] / campaigns;
        double se = sqrt(p * (1 - p) / campaigns);
        if (!(fabs(got - p) <= 5 * se + 1e-12))
            fail_msg("node %d: infected in %.4f of campaigns, want %.4f "
                     "(se %.4f)",
                     i, got, p, se);
    }
    fx_close(&f);
}

static void test_cyber_path_and_star(void **st)
{
    (void)st;
    const double p = 1 - 0.7 * 0.7;
    const char *path = "{\"nodes\": [{\"id\": \"A\"}, {\"id\": \"B\"}, "
                       "{\"id\": \"C\", \"demand\": 1}], \"edges\": "
                       "[{\"from\": \"A\", \"to\": \"B\"}, {\"from\": "
                       "\"B\", \"to\": \"C\"}]}";
    double w1[3] = {1, p, p * p};
    cyber_ratios(path, "A", w1, 3, 0.3, 30);
    double w2[3] = {p, 1, p}; /* entered in the middle */
    cyber_ratios(path, "B", w2, 3, 0.3, 30);
    /* max_days 1: only the day after entry, one chance: beta */
    double w3[3] = {1, 0.3, 0};
    cyber_ratios(path, "A", w3, 3, 0.3, 1);
    const char *star = "{\"nodes\": [{\"id\": \"X\"}, {\"id\": \"L1\"}, "
                       "{\"id\": \"L2\"}, {\"id\": \"L3\"}, {\"id\": \"L4\", "
                       "\"demand\": 1}], \"edges\": [{\"from\": \"L1\", "
                       "\"to\": \"X\"}, {\"from\": \"L2\", \"to\": \"X\"}, "
                       "{\"from\": \"L3\", \"to\": \"X\"}, {\"from\": \"X\", "
                       "\"to\": \"L4\"}]}";
    double w4[5] = {1, p, p, p, p};
    cyber_ratios(star, "X", w4, 5, 0.3, 30);
    double w5[5] = {p, 1, p * p, p * p, p * p};
    cyber_ratios(star, "L1", w5, 5, 0.3, 30);
}

/* Protection 1 on the middle of the path stops the contagion entirely. */
static void test_cyber_protection(void **st)
{
    (void)st;
    fixture f;
    fx_open_file(&f, "threats_cyber_protected.json");
    for (int r = 0; r < 100; r++) {
        fx_sample(&f, (uint64_t)r);
        for (int k = 0; k < f.eb.n; k++)
            assert_int_equal(f.eb.ev[k].target, 0);
    }
    fx_close(&f);
}

/* Edge hazards target edges; durations are not scaled. */
static void test_edge_hazard(void **st)
{
    (void)st;
    fixture f;
    fx_open_file(&f, "threats_edge_hazard.json");
    double n = 0;
    for (int r = 0; r < 2000; r++) {
        fx_sample(&f, (uint64_t)r);
        for (int k = 0; k < f.eb.n; k++) {
            assert_int_equal(f.eb.ev[k].is_edge, 1);
            assert_int_equal(f.eb.ev[k].target, 1);
            assert_int_equal(f.eb.ev[k].duration, 4);
            assert_true(f.eb.ev[k].onset >= 0 && f.eb.ev[k].onset < 365);
        }
        n += f.eb.n;
    }
    assert_true(fabs(n / 2000 - 12) < 5 * sqrt(12.0 / 2000));
    fx_close(&f);
}

static void test_threat_errors(void **st)
{
    (void)st;
    const char *cases[][2] = {
        {"{\"type\": \"earthquake\"}", "threats[0].type: unknown threat type "
                                       "\"earthquake\""},
        {"{\"type\": \"node_hazard\", \"nodes\": \"all\", \"duration\": 3}",
         "threats[0].rate_per_year: missing"},
        {"{\"type\": \"node_hazard\", \"nodes\": {\"kinds\": [\"mine\"]}, "
         "\"rate_per_year\": 1, \"duration\": 3}",
         "threats[0].nodes: selector matches no node"},
        {"{\"type\": \"regional\", \"regions\": [\"XX\"], \"rate_per_year\": "
         "1, \"duration\": 3}",
         "threats[0].regions[0]: no node is in region "
         "\"XX\""},
        {"{\"type\": \"attack\", \"candidates\": \"all\", "
         "\"attempts_per_year\": 1, \"p_success\": 1.5, \"duration\": 3}",
         "threats[0].p_success: must be a number in [0, 1] (got 1.5)"},
        {"{\"type\": \"attack\", \"candidates\": \"all\", "
         "\"attempts_per_year\": 1, \"p_success\": 0.5, \"duration\": 3, "
         "\"targeting\": \"size\"}",
         "threats[0].targeting: must be random"},
        {"{\"type\": \"cyber\", \"entry\": \"all\", \"rate_per_year\": 1, "
         "\"beta\": 0.1, \"duration\": 3, \"severity\": 2}",
         "threats[0].severity: must be in (0, 1] (got 2)"},
        {"{\"type\": \"scripted\", \"node\": \"Q\", \"onset\": 1, "
         "\"duration\": 2}",
         "threats[0].node: unknown node \"Q\""},
        {"{\"type\": \"edge_hazard\", \"edges\": {\"from\": {\"ids\": "
         "[\"C\"]}}, \"rate_per_year\": 1, \"duration\": 3}",
         "threats[0].edges: selector matches no edge"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char text[2048];
        snprintf(text, sizeof text,
                 "{\"network\": {\"nodes\": [{\"id\": \"S\", \"region\": "
                 "\"TW\"}, {\"id\": \"C\", \"demand\": 1}], \"edges\": "
                 "[{\"from\": \"S\", \"to\": \"C\"}]}, \"threats\": [%s]}",
                 cases[k][0]);
        rp_errors err;
        rp_scenario *s = NULL;
        assert_int_equal(tu_parse(text, &s, &err), RP_EINPUT);
        assert_true(tu_err_has(&err, cases[k][1]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_node_hazard_downtime),
        cmocka_unit_test(test_regional_poisson),
        cmocka_unit_test(test_attack_success_rate),
        cmocka_unit_test(test_attack_targeting),
        cmocka_unit_test(test_cyber_path_and_star),
        cmocka_unit_test(test_cyber_protection),
        cmocka_unit_test(test_edge_hazard),
        cmocka_unit_test(test_threat_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
