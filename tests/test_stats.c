/* engine/stats.c and engine/dist.c: the statistics docs/formats.md defines, on
 * samples whose answers are known, and the distributions' moments. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ripple/dist.h"
#include "ripple/draws.h"
#include "testutil.h"

static void test_losses_1_to_100(void **st)
{
    (void)st;
    double x[100], scratch[100], out[RP_NSTAT];
    for (int i = 0; i < 100; i++)
        x[i] = 100 - i; /* unsorted on purpose */
    rp_stats_compute(x, 100, 1, out, scratch);
    assert_true(out[RP_ST_MEAN] == 50.5);
    /* sd = sqrt(sum (i - 50.5)^2 / 99) = sqrt(841.6666...) */
    assert_true(tu_close(out[RP_ST_SD], sqrt(100.0 * 101 / 12), 1e-14));
    assert_true(tu_close(out[RP_ST_SE], out[RP_ST_SD] / 10, 1e-15));
    assert_true(out[RP_ST_CI_LO] == 50.5 - 1.96 * out[RP_ST_SE]);
    assert_true(out[RP_ST_MIN] == 1 && out[RP_ST_MAX] == 100);
    assert_true(out[RP_ST_P05] == 5);
    assert_true(out[RP_ST_P50] == 50);
    assert_true(out[RP_ST_P95] == 95);
    assert_true(out[RP_ST_P99] == 99);
    /* docs/formats.md: var95 = 95, cvar95 = 95 + (1+2+3+4+5) / (100 x 0.05) =
     * 98 */
    assert_true(out[RP_ST_VAR95] == 95);
    assert_true(tu_close(out[RP_ST_CVAR95], 98, 1e-14));
    /* var99 = 99, cvar99 = 99 + 1 / (100 x 0.01) = 100 */
    assert_true(out[RP_ST_VAR99] == 99);
    assert_true(tu_close(out[RP_ST_CVAR99], 100, 1e-14));
    /* not loss-like: no VaR/CVaR */
    rp_stats_compute(x, 100, 0, out, scratch);
    assert_true(isnan(out[RP_ST_VAR95]) && isnan(out[RP_ST_CVAR99]));
}

static void test_small_samples(void **st)
{
    (void)st;
    double x[1] = {7}, scratch[1], out[RP_NSTAT];
    rp_stats_compute(x, 1, 1, out, scratch);
    assert_true(out[RP_ST_MEAN] == 7 && isnan(out[RP_ST_SD]));
    assert_true(out[RP_ST_P05] == 7 && out[RP_ST_VAR99] == 7);
    assert_true(out[RP_ST_CVAR95] == 7);
    /* nearest rank: ceil(n p) - 1 */
    assert_int_equal(rp_nearest_rank(10, 0.95), 9);
    assert_int_equal(rp_nearest_rank(20, 0.95), 18);
    assert_int_equal(rp_nearest_rank(1000, 0.99), 989);
    assert_int_equal(rp_nearest_rank(3, 0.5), 1);
    assert_int_equal(rp_nearest_rank(7, 0.0), 0);
}

static void check_dist(const char *json, double mean, double sd)
{
    rp_errors err;
    rp_err_init(&err);
    rp_jctx c = {"d.json", &err};
    cJSON *o = cJSON_Parse(json);
    rp_dist d;
    assert_int_equal(rp_dist_parse(&c, o, "", "duration", NULL, 1, &d), 1);
    cJSON_Delete(o);
    assert_true(tu_close(rp_dist_mean(&d), mean, 1e-12));
    gsl_rng *r = gsl_rng_alloc(rp_rng_philox);
    rp_rng_stream(r, 3, 0, 0, 0, RP_DRAW_DURATION);
    const int n = 200000;
    double s = 0;
    for (int i = 0; i < n; i++) {
        double v = rp_dist_sample(&d, r);
        assert_true(v > 0);
        s += v;
    }
    gsl_rng_free(r);
    double se = sd / sqrt(n);
    if (!(fabs(s / n - mean) <= 5 * se + 1e-12))
        fail_msg("%s: sample mean %g, want %g (se %g)", json, s / n, mean, se);
}

static void test_distributions(void **st)
{
    (void)st;
    check_dist("{\"duration\": 30}", 30, 0);
    check_dist("{\"duration\": {\"dist\": \"fixed\", \"value\": 4}}", 4, 0);
    check_dist("{\"duration\": {\"dist\": \"uniform\", \"min\": 10, \"max\": "
               "20}}",
               15, 10 / sqrt(12));
    check_dist("{\"duration\": {\"dist\": \"exponential\", \"mean\": 12}}", 12,
               12);
    check_dist("{\"duration\": {\"dist\": \"lognormal\", \"mean\": 20, "
               "\"sd\": 8}}",
               20, 8);
    check_dist("{\"duration\": {\"dist\": \"gamma\", \"shape\": 2, "
               "\"scale\": 5}}",
               10, sqrt(50));
    /* Weibull shape 2, scale 10: mean 10 Gamma(1.5) = 8.8623 */
    check_dist("{\"duration\": {\"dist\": \"weibull\", \"shape\": 2, "
               "\"scale\": 10}}",
               10 * tgamma(1.5),
               10 * sqrt(tgamma(2) - tgamma(1.5) * tgamma(1.5)));
    check_dist("{\"duration\": {\"dist\": \"triangular\", \"min\": 1, "
               "\"mode\": 4, \"max\": 10}}",
               5, sqrt((1 + 16 + 100 - 4 - 10 - 40) / 18.0));
    check_dist("{\"duration\": {\"dist\": \"pert\", \"min\": 2, \"mode\": 5, "
               "\"max\": 14}}",
               6, 12 * sqrt(8.0 / 252));
}

static void test_distribution_errors(void **st)
{
    (void)st;
    const char *bad[][2] = {
        {"{\"d\": {\"dist\": \"normal\", \"mean\": 1}}",
         "d.dist: unknown distribution \"normal\""},
        {"{\"d\": {\"dist\": \"uniform\", \"min\": 5, \"max\": 2}}",
         "max must be greater than min"},
        {"{\"d\": {\"dist\": \"exponential\"}}", "d.mean: missing"},
        {"{\"d\": {\"dist\": \"gamma\", \"shape\": -1, \"scale\": 2}}",
         "d.shape: must be a number > 0 (got -1)"},
        {"{\"d\": {\"dist\": \"pert\", \"min\": 5, \"mode\": 9, \"max\": 7}}",
         "need min <= mode <= max"},
        {"{\"d\": {\"dist\": \"fixed\", \"value\": 1, \"sd\": 2}}",
         "d.sd: unknown key"},
        {"{\"d\": -3}", "d: must be a number > 0 (got -3)"},
        {"{\"d\": \"long\"}", "d: must be a number or a distribution"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        rp_errors err;
        rp_err_init(&err);
        rp_jctx c = {"d.json", &err};
        cJSON *o = cJSON_Parse(bad[k][0]);
        rp_dist d;
        assert_int_equal(rp_dist_parse(&c, o, "", "d", NULL, 1, &d), -1);
        assert_true(tu_err_has(&err, bad[k][1]));
        cJSON_Delete(o);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_losses_1_to_100),
        cmocka_unit_test(test_small_samples),
        cmocka_unit_test(test_distributions),
        cmocka_unit_test(test_distribution_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
