/* Snapping back to the baseline and skipping quiet days (docs/performance.md,
 * "Work proportional to disruption") must agree with simulating every day,
 * within 1e-6 relative, on scenarios with overlapping disruptions and with
 * production cycles. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static int near(double a, double b)
{
    return fabs(a - b) <= 1e-6 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

static void compare(const char *file, int reps, long *sim_dense,
                    long *sim_skip)
{
    rp_scenario *s = tu_load(file);
    rp_errors err;
    rp_err_init(&err);
    rp_model *m = NULL;
    assert_int_equal(rp_model_build(s->net, &s->par, &m, &err), RP_OK);
    void **preps = NULL;
    assert_int_equal(
        rp_threats_prepare(s->threats, s->n_threats, m, &preps, &err), RP_OK);
    gsl_rng *rng = gsl_rng_alloc(rp_rng_philox);
    rp_evbuf eb = {0};
    rp_flow_ws *wd = rp_flow_ws_new(m), *ws = rp_flow_ws_new(m);
    rp_flow_set_options(wd, RP_FLOW_DENSE, INFINITY);
    rp_flow_set_options(ws, RP_FLOW_SPARSE, INFINITY);
    int T = s->horizon;
    double *sd = malloc((size_t)T * sizeof *sd);
    double *ss = malloc((size_t)T * sizeof *ss);
    *sim_dense = *sim_skip = 0;
    for (int r = 0; r < reps; r++) {
        assert_int_equal(rp_threats_sample(s->threats, s->n_threats, preps, m,
                                           s->seed, (uint64_t)r, T, rng, &eb),
                         0);
        rp_metrics a, b;
        rp_flow_run(m, wd, eb.ev, eb.n, T, &a, sd, NULL);
        rp_flow_run(m, ws, eb.ev, eb.n, T, &b, ss, NULL);
        *sim_dense += rp_flow_days_simulated(wd);
        *sim_skip += rp_flow_days_simulated(ws);
        for (int k = 0; k < RP_NMETRIC; k++)
            if (!near(rp_metric_get(&a, k), rp_metric_get(&b, k)))
                fail_msg("%s rep %d: %s dense %.17g, skipping %.17g", file, r,
                         rp_metric_names[k], rp_metric_get(&a, k),
                         rp_metric_get(&b, k));
        for (int t = 0; t < T; t++)
            if (!(fabs(sd[t] - ss[t]) <= 1e-6))
                fail_msg("%s rep %d day %d: SL %.17g vs %.17g", file, r, t,
                         sd[t], ss[t]);
        rp_flow_nodes nd = rp_flow_node_results(wd);
        rp_flow_nodes ns = rp_flow_node_results(ws);
        for (int i = 0; i < m->N; i++) {
            assert_int_equal(nd.disrupted_days[i], ns.disrupted_days[i]);
            assert_true(near(nd.lost_value[i], ns.lost_value[i]));
        }
    }
    free(sd);
    free(ss);
    rp_flow_ws_free(wd);
    rp_flow_ws_free(ws);
    rp_evbuf_free(&eb);
    gsl_rng_free(rng);
    rp_threats_release(s->threats, s->n_threats, preps);
    rp_model_free(m);
    rp_scenario_free(s);
}

/* Health two tiers up (tests/data/health_deep.json): Q -> R -> X, X a
 * standby supplier of P's part with no delay, beside A1 and A2.  Q is down
 * from day 5, so X's health is 0 from day 7 while X itself sleeps at its
 * baseline (nothing near it moves).  When A1 fails on day 20, P's group is
 * short on that very day and weighs X by its health: a sleeping X must not
 * show its baseline availability of 1 (that would send 45% of P's order to
 * a supplier that cannot ship, and lose 0.83 units more than the day-by-day
 * run). */
static void test_health_of_a_sleeping_standby(void **st)
{
    (void)st;
    long d, k;
    compare("health_deep.json", 1, &d, &k);
    rp_scenario *s = tu_load("health_deep.json");
    rp_metrics m;
    tu_run_one(s, &m, NULL);
    assert_true(m.lost_units > 300); /* the test is not vacuous */
    rp_scenario_free(s);
}

static void test_bundled_default(void **st)
{
    (void)st;
    long d, k;
    /* nine threat types at once, overlapping outages; replication 66 has
     * a distribution centre whose two ports both run dry, where an ulp of
     * stock left in one of them would take the centre's whole order (see
     * FN(dry) in models/flow_lanes.h) */
    compare("../../scenarios/default.json", 80, &d, &k);
    fprintf(stderr, "  default: %ld of %ld days simulated\n", k, d);
}

static void test_auto_chips(void **st)
{
    (void)st;
    long d, k;
    /* long lead times and suppliers that buyers abandon: replication 47
     * leaves a fab with no stock and no orders after its outage.  That
     * state is an equilibrium, but an unstable one, and the running sum
     * of what is in transit once drifted a hair below 0 in the dense run,
     * which read as an order, pulled the fab back into production and cut
     * the replication's loss by a third.  Kept at 0 or above, both paths
     * stay in the equilibrium the model's arithmetic gives. */
    compare("../../scenarios/auto_chips.json", 64, &d, &k);
    fprintf(stderr, "  auto_chips: %ld of %ld days simulated\n", k, d);
}

static void test_cycles_and_everything(void **st)
{
    (void)st;
    long d, k;
    /* scrap loop and every threat type: a network with a cycle is always
     * simulated day by day (see models/flow.c), so the two agree exactly */
    compare("all_threats.json", 150, &d, &k);
    assert_true(k == d);
    compare("golden/mixed.json", 1, &d, &k);
    compare("golden/standby.json", 1, &d, &k);
}

static void test_sparse_events_skip(void **st)
{
    (void)st;
    long d, k;
    compare("golden/chain.json", 1, &d, &k);
    /* a 12-day outage in 60 days: the quiet start is skipped, and the run
     * snaps back once the catch-up has settled */
    assert_true(k < d);
    fprintf(stderr, "  chain: %ld of %ld days simulated\n", k, d);
}

/* The driver with lockstep lanes (8 replications stepped together) and
 * without, with and without skipping: the same results within the model's
 * tolerance, replication by replication, strategy by strategy. */
static void test_lanes_and_dense_in_driver(void **st)
{
    (void)st;
    const char *files[] = {"../../scenarios/default.json", "all_threats.json"};
    for (int f = 0; f < 2; f++) {
        rp_scenario *s = tu_load(files[f]);
        s->replications = 37; /* not a multiple of the lane count */
        rp_results *res[4];
        rp_run_opts opts[4] = {{.threads = 2, .dense = 1, .lanes = 1},
                               {.threads = 2, .lanes = 1},
                               {.threads = 2, .lanes = 8},
                               {.threads = 2, .dense = 1, .lanes = 8}};
        for (int k = 0; k < 4; k++) {
            rp_errors err;
            rp_err_init(&err);
            assert_int_equal(rp_run(s, &opts[k], &res[k], &err), RP_OK);
        }
        size_t n = (size_t)res[0]->S * (size_t)res[0]->R;
        /* day by day, a lane computes what a single run computes: the same
         * bits (rings laid out differently, vector code, same arithmetic) */
        for (size_t q = 0; q < n; q++)
            for (int c = 0; c < RP_NMETRIC; c++) {
                double a = rp_metric_get(&res[0]->rep[q], c);
                double b = rp_metric_get(&res[3]->rep[q], c);
                if (memcmp(&a, &b, sizeof a) != 0)
                    fail_msg("%s: dense, 8 lanes, rep %zu %s: %.17g vs %.17g",
                             files[f], q, rp_metric_names[c], a, b);
            }
        assert_memory_equal(res[0]->sl_mean, res[3]->sl_mean,
                            (size_t)(res[0]->S * res[0]->T) * sizeof(double));
        for (int k = 1; k < 3; k++) {
            for (size_t q = 0; q < n; q++)
                for (int c = 0; c < RP_NMETRIC; c++)
                    if (!near(rp_metric_get(&res[0]->rep[q], c),
                              rp_metric_get(&res[k]->rep[q], c)))
                        fail_msg("%s: config %d rep %zu %s: %.17g vs %.17g",
                                 files[f], k, q, rp_metric_names[c],
                                 rp_metric_get(&res[0]->rep[q], c),
                                 rp_metric_get(&res[k]->rep[q], c));
            for (int i = 0; i < res[0]->S * res[0]->T; i++)
                assert_true(fabs(res[0]->sl_mean[i] - res[k]->sl_mean[i]) <=
                            1e-6);
        }
        for (int k = 0; k < 4; k++)
            rp_results_free(res[k]);
        rp_scenario_free(s);
    }
}

/* Small runs cost what they need: a block of one replication runs in one
 * lane whatever lane count the run was given, so `-r 1` (and the last
 * block of `-r 8k + 1`) gives the same bits with 8 lanes as with 1, sparse
 * and dense, with every threat type and with standby suppliers. */
static void test_single_replication_any_lanes(void **st)
{
    (void)st;
    const char *files[] = {"../../scenarios/default.json",
                           "../../scenarios/auto_chips.json",
                           "all_threats.json", "health_deep.json"};
    for (int f = 0; f < 4; f++) {
        rp_scenario *s = tu_load(files[f]);
        for (int R = 1; R <= 9; R += 8)
            for (uint64_t seed = 1; seed <= (R == 1 ? 6u : 1u); seed++)
                for (int dense = 0; dense <= 1; dense++) {
                    s->replications = R;
                    s->seed = seed;
                    rp_results *res[2];
                    for (int k = 0; k < 2; k++) {
                        rp_run_opts o = {.threads = 2,
                                         .dense = dense,
                                         .lanes = k ? RP_LANES : 1};
                        rp_errors err;
                        rp_err_init(&err);
                        assert_int_equal(rp_run(s, &o, &res[k], &err), RP_OK);
                    }
                    /* the single-replication block: replication R - 1 of
                     * each strategy */
                    for (int q = 0; q < res[0]->S; q++) {
                        size_t i = (size_t)q * (size_t)R + (size_t)(R - 1);
                        for (int c = 0; c < RP_NMETRIC; c++) {
                            double a = rp_metric_get(&res[0]->rep[i], c);
                            double b = rp_metric_get(&res[1]->rep[i], c);
                            if (memcmp(&a, &b, sizeof a) != 0)
                                fail_msg("%s R=%d seed %d%s: %s %.17g vs "
                                         "%.17g",
                                         files[f], R, (int)seed,
                                         dense ? " dense" : "",
                                         rp_metric_names[c], a, b);
                        }
                    }
                    if (R == 1)
                        assert_memory_equal(res[0]->sl_mean, res[1]->sl_mean,
                                            (size_t)(res[0]->S * res[0]->T) *
                                                sizeof(double));
                    for (int k = 0; k < 2; k++)
                        rp_results_free(res[k]);
                }
        rp_scenario_free(s);
    }
}

/* The lanes loop compiled for one instruction set (see models/flow.c)
 * gives the same results, bit for bit, as the generic one.  Run as
 * `test_skip simd ISA` (one ctest entry per ISA); where the CPU lacks ISA
 * the kernel cannot run here, and the test says so and exits with 77,
 * which ctest reports as skipped. */
static const char *simd_isa = "avx2";

static void test_simd_variant_identical(void **st)
{
    (void)st;
    const char *files[] = {"../../scenarios/default.json", "all_threats.json"};
    const char *isa[] = {"generic", simd_isa};
    for (int f = 0; f < 2; f++) {
        rp_scenario *s = tu_load(files[f]);
        s->replications = 21;
        rp_results *res[2];
        for (int k = 0; k < 2; k++) {
            setenv("RIPPLE_SIMD", isa[k], 1);
            assert_string_equal(rp_flow_simd(), isa[k]);
            rp_run_opts o = {.threads = 1, .lanes = 8};
            rp_errors err;
            rp_err_init(&err);
            assert_int_equal(rp_run(s, &o, &res[k], &err), RP_OK);
        }
        unsetenv("RIPPLE_SIMD");
        size_t n = (size_t)res[0]->S * (size_t)res[0]->R;
        for (size_t q = 0; q < n; q++)
            for (int c = 0; c < RP_NMETRIC; c++) {
                double a = rp_metric_get(&res[0]->rep[q], c);
                double b = rp_metric_get(&res[1]->rep[q], c);
                if (memcmp(&a, &b, sizeof a) != 0)
                    fail_msg("%s: %s rep %zu %s: %.17g vs %.17g", files[f],
                             isa[1], q, rp_metric_names[c], a, b);
            }
        assert_memory_equal(res[0]->sl_mean, res[1]->sl_mean,
                            (size_t)(res[0]->S * res[0]->T) * sizeof(double));
        for (int k = 0; k < 2; k++)
            rp_results_free(res[k]);
        rp_scenario_free(s);
    }
}

static int simd_main(const char *isa)
{
    /* without the ISA the generic kernel is what RIPPLE_SIMD=ISA gets */
    setenv("RIPPLE_SIMD", isa, 1);
    const char *got = rp_flow_simd();
    unsetenv("RIPPLE_SIMD");
    if (strcmp(got, isa) != 0) {
        fprintf(stderr,
                "SKIPPED: this CPU (or compiler) has no %s, so the %s "
                "kernel is not compared with the generic one here\n",
                isa, isa);
        return 77; /* ctest: SKIP_RETURN_CODE */
    }
    simd_isa = isa;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simd_variant_identical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "simd") == 0)
        return simd_main(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health_of_a_sleeping_standby),
        cmocka_unit_test(test_bundled_default),
        cmocka_unit_test(test_auto_chips),
        cmocka_unit_test(test_cycles_and_everything),
        cmocka_unit_test(test_sparse_events_skip),
        cmocka_unit_test(test_lanes_and_dense_in_driver),
        cmocka_unit_test(test_single_replication_any_lanes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
