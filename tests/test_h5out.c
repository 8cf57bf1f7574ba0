/* The results file: every dataset written is read back and compared with
 * the in-memory results; dimension scales are attached; a failed write
 * leaves nothing behind. */
#define _POSIX_C_SOURCE 200809L
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ripple/h5out.h"
#include "testutil.h"

static double *rd(hid_t f, const char *path, size_t *n)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    if (d < 0)
        fail_msg("missing dataset %s", path);
    hid_t sp = H5Dget_space(d);
    *n = (size_t)H5Sget_simple_extent_npoints(sp);
    double *v = malloc((*n ? *n : 1) * sizeof *v);
    if (*n)
        assert_true(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
                            H5P_DEFAULT, v) >= 0);
    H5Sclose(sp);
    H5Dclose(d);
    return v;
}

static int same(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static void check_scales(hid_t f, const char *path, int rank)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t sp = H5Dget_space(d);
    assert_int_equal(H5Sget_simple_extent_ndims(sp), rank);
    for (int k = 0; k < rank; k++)
        if (H5DSget_num_scales(d, (unsigned)k) != 1)
            fail_msg("%s: axis %d has no dimension scale", path, k);
    H5Sclose(sp);
    H5Dclose(d);
}

/* /replication and /summary: every metric, every replication; the
 * golden numbers survive the trip. */
static void check_metrics(hid_t f, const rp_results *r)
{
    size_t n;
    for (int k = 0; k < RP_NMETRIC; k++) {
        char p[128];
        snprintf(p, sizeof p, "/replication/%s", rp_metric_names[k]);
        double *v = rd(f, p, &n);
        assert_int_equal(n, 3);
        for (size_t q = 0; q < n; q++)
            assert_true(same(v[q], rp_metric_get(&r->rep[q], k)));
        free(v);
        check_scales(f, p, 2);
        snprintf(p, sizeof p, "/summary/%s", rp_metric_names[k]);
        v = rd(f, p, &n);
        assert_int_equal(n, RP_NSTAT);
        assert_true(
            tu_close(v[RP_ST_MEAN], rp_metric_get(&r->rep[0], k), 1e-14));
        free(v);
        check_scales(f, p, 2);
    }
    double *lv = rd(f, "/summary/lost_value", &n);
    assert_true(tu_close(lv[RP_ST_MEAN], 3744.3358923164624, 1e-9));
    assert_true(lv[RP_ST_SD] < 1e-9 * lv[RP_ST_MEAN]);
    free(lv);
}

/* /node and /timeseries as in memory. */
static void check_nodes_days(hid_t f, const rp_scenario *s,
                             const rp_results *r)
{
    size_t n;
    const char *node_ds[] = {"disrupted_days_mean", "p_disrupted",
                             "impacted_days_mean",  "p_impacted",
                             "lost_value_mean",     "criticality"};
    const double *node_mem[] = {r->node_dis_mean,  r->node_p_dis,
                                r->node_imp_mean,  r->node_p_imp,
                                r->node_lost_mean, r->node_crit};
    for (int k = 0; k < 6; k++) {
        char p[128];
        snprintf(p, sizeof p, "/node/%s", node_ds[k]);
        double *v = rd(f, p, &n);
        assert_int_equal(n, (size_t)r->N);
        for (size_t q = 0; q < n; q++)
            assert_true(same(v[q], node_mem[k][q]));
        free(v);
        check_scales(f, p, 2);
    }
    double *v = rd(f, "/timeseries/service_level_mean", &n);
    assert_int_equal(n, (size_t)s->horizon);
    assert_memory_equal(v, r->sl_mean, n * sizeof *v);
    free(v);
    v = rd(f, "/timeseries/service_level_quantiles", &n);
    assert_int_equal(n, (size_t)s->horizon * RP_NQUANT);
    assert_memory_equal(v, r->sl_q, n * sizeof *v);
    free(v);
    check_scales(f, "/timeseries/service_level_quantiles", 3);
}

/* /network, /strategies and /comparison. */
static void check_network(hid_t f, const rp_scenario *s, const rp_results *r)
{
    size_t n;
    double *v = rd(f, "/network/node_baseline_output", &n);
    assert_memory_equal(v, r->x0, n * sizeof *v);
    free(v);
    v = rd(f, "/network/edge_baseline_flow", &n);
    assert_memory_equal(v, r->edge_f0, n * sizeof *v);
    free(v);
    v = rd(f, "/network/edge_lead_time", &n);
    for (size_t q = 0; q < n; q++)
        assert_true(v[q] == s->net->lead_time[q]);
    free(v);
    const char *net_ds[] = {
        "node_demand",     "node_capacity",   "node_inventory_days",
        "node_unit_value", "node_protection", "edge_from",
        "edge_to",         "edge_share",      "edge_ratio"};
    for (int k = 0; k < 9; k++) {
        char p[128];
        snprintf(p, sizeof p, "/network/%s", net_ds[k]);
        v = rd(f, p, &n);
        assert_true(n == (size_t)(k < 5 ? r->N : r->E));
        free(v);
        check_scales(f, p, 1);
    }
    v = rd(f, "/strategies/cost_per_year", &n);
    assert_int_equal(n, 1);
    free(v);
    v = rd(f, "/comparison/lost_value_delta_mean", &n);
    assert_true(v[0] == 0);
    free(v);
}

/* The root's attributes and dimension scales. */
static void check_root(hid_t f)
{
    int32_t ver[2];
    hid_t a = H5Aopen(f, "format_version", H5P_DEFAULT);
    H5Aread(a, H5T_NATIVE_INT32, ver);
    H5Aclose(a);
    assert_int_equal(ver[0], 2);
    assert_int_equal(ver[1], 0);
    const char *attrs[] = {"filetype",     "ripple_version", "created_utc",
                           "command",      "scenario_name",  "seed",
                           "replications", "horizon_days",   "threads",
                           "ranks",        "scenario_json",  "network_sha256"};
    for (int k = 0; k < 12; k++)
        if (H5Aexists(f, attrs[k]) <= 0)
            fail_msg("missing root attribute %s", attrs[k]);
    const char *scales[] = {"/strategy", "/edge", "/day", "/quantile",
                            "/stat"};
    for (int k = 0; k < 5; k++) {
        hid_t d = H5Dopen2(f, scales[k], H5P_DEFAULT);
        assert_true(d >= 0);
        assert_true(H5DSis_scale(d) > 0);
        H5Dclose(d);
    }
}

static void test_roundtrip(void **st)
{
    (void)st;
    rp_scenario *s = tu_load("golden/mixed.json");
    s->replications = 3;
    rp_errors err;
    rp_err_init(&err);
    rp_run_opts o = {.threads = 1};
    rp_results *r = NULL;
    assert_int_equal(rp_run(s, &o, &r, &err), RP_OK);
    char path[] = "/tmp/ripple_h5test_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    rp_h5_meta meta = {"ripple run test", 1, 1};
    assert_int_equal(rp_h5_write_run(path, s, r, &meta, &err), RP_OK);

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    check_metrics(f, r);
    check_nodes_days(f, s, r);
    check_network(f, s, r);
    check_root(f);
    H5Fclose(f);
    unlink(path);
    rp_results_free(r);
    rp_scenario_free(s);
}

static void test_failed_write_leaves_nothing(void **st)
{
    (void)st;
    rp_scenario *s = tu_load("golden/chain.json");
    rp_errors err;
    rp_err_init(&err);
    rp_run_opts o = {.threads = 1};
    rp_results *r = NULL;
    assert_int_equal(rp_run(s, &o, &r, &err), RP_OK);
    rp_h5_meta meta = {"t", 1, 1};
    assert_int_equal(
        rp_h5_write_run("/nonexistent-dir/out.h5", s, r, &meta, &err),
        RP_ERUNTIME);
    assert_true(access("/nonexistent-dir/out.h5", F_OK) != 0);
    rp_results_free(r);
    rp_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_failed_write_leaves_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
