/* models/register.c: the risk register of one replication against runs of
 * the flow kernel with subsets of its events.  On the network of
 * tests/data/all_threats.json with scripted events tagged by threat: the
 * standalone and marginal losses are those of the runs with the threat
 * alone and without it; threats with no event in the horizon get zeros;
 * Shapley values sum to the replication's loss, exactly computed up to
 * RP_REG_EXACT_MAX active threats and estimated (reproducibly) beyond;
 * lanes give what single runs give; on a workspace shared with
 * replications, what its own workspace gives.  The likelihood and consequence
 * classes follow their bands. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/register.h"
#include "testutil.h"

#define T 200
#define NT_MAX 16

/* Lost value of a run with the events of ev[0..n) whose threat is in
 * `keep` (a bit per threat). */
static double run_with(const rp_model *m, const rp_event *ev, int n,
                       uint32_t keep)
{
    rp_event sub[NT_MAX];
    int k = 0;
    for (int e = 0; e < n; e++)
        if (keep >> ev[e].threat & 1)
            sub[k++] = ev[e];
    rp_flow_ws *w = rp_flow_ws_new(m);
    assert_non_null(w);
    rp_flow_set_options(w, 0, INFINITY);
    rp_metrics met;
    assert_int_equal(rp_flow_run(m, w, sub, k, T, &met, NULL, NULL), RP_OK);
    rp_flow_ws_free(w);
    return met.lost_value;
}

static rp_model *model(rp_scenario **s)
{
    *s = tu_load("all_threats.json");
    rp_errors err;
    rp_err_init(&err);
    rp_model *m = NULL;
    assert_int_equal(rp_model_build((*s)->net, &(*s)->par, &m, &err), RP_OK);
    return m;
}

/* Three active threats (0, 1, 2) on Ore, Fab and Smelter, overlapping; a
 * fourth (3) whose event starts after the horizon; 4 and 5 without
 * events. */
static const rp_event EV3[] = {
    {0, 20, 30, 0, 0, 1.0, 0, 0}, /* Ore */
    {2, 35, 20, 0, 0, 0.7, 0, 1}, /* Fab */
    {1, 40, 25, 0, 0, 0.9, 0, 2}, /* Smelter */
    {4, T + 5, 10, 0, 0, 1.0, 0, 3},
};

static void test_marginal_and_exact_shapley(void **state)
{
    (void)state;
    rp_scenario *s;
    rp_model *m = model(&s);
    const int n = 4, nt = 6;
    double total = run_with(m, EV3, n, 0xF);
    assert_true(total > 0);
    rp_reg_ws *w = rp_reg_ws_new(m, nt, RP_REG_SHAPLEY, 1, 0);
    assert_non_null(w);
    double sa[6], mg[6], sh[6];
    int sampled = -1;
    /* every non-empty proper subset of the three active threats */
    assert_int_equal(
        rp_reg_replication(w, EV3, n, T, total, 7, 3, sa, mg, sh, &sampled),
        6);
    assert_int_equal(sampled, 0);
    double sum = 0;
    for (int k = 0; k < 3; k++) {
        assert_true(sa[k] > 0);
        assert_true(tu_close(sa[k], run_with(m, EV3, n, 1u << k), 1e-12));
        assert_true(tu_close(
            mg[k], total - run_with(m, EV3, n, 0xFu & ~(1u << k)), 1e-12));
        sum += sh[k];
    }
    assert_true(tu_close(sum, total, 1e-9));
    for (int k = 3; k < nt; k++) {
        assert_true(sa[k] == 0);
        assert_true(mg[k] == 0);
        assert_true(sh[k] == 0);
    }
    rp_reg_ws_free(w);

    /* marginal mode: the same standalone and marginal losses from each
     * threat alone and every threat but one (six runs) */
    w = rp_reg_ws_new(m, nt, RP_REG_MARGINAL, 1, 0);
    double sa2[6], mg2[6];
    assert_int_equal(rp_reg_replication(w, EV3, n, T, total, 7, 3, sa2, mg2,
                                        NULL, &sampled),
                     6);
    assert_memory_equal(sa2, sa, sizeof sa);
    assert_memory_equal(mg2, mg, sizeof mg);
    rp_reg_ws_free(w);

    /* lanes: what single runs give, up to rounding */
    w = rp_reg_ws_new(m, nt, RP_REG_SHAPLEY, RP_LANES, 0);
    double sa3[6], mg3[6], sh3[6];
    rp_reg_replication(w, EV3, n, T, total, 7, 3, sa3, mg3, sh3, &sampled);
    for (int k = 0; k < nt; k++) {
        assert_true(fabs(sa3[k] - sa[k]) <= 1e-9 * total);
        assert_true(fabs(mg3[k] - mg[k]) <= 1e-9 * total);
        assert_true(fabs(sh3[k] - sh[k]) <= 1e-9 * total);
    }
    rp_reg_ws_free(w);
    rp_model_free(m);
    rp_scenario_free(s);
}

/* One active threat: its standalone, marginal and Shapley loss are the
 * replication's, with no run at all. */
static void test_one_threat(void **state)
{
    (void)state;
    rp_scenario *s;
    rp_model *m = model(&s);
    double total = run_with(m, EV3, 1, 1);
    rp_reg_ws *w = rp_reg_ws_new(m, 6, RP_REG_SHAPLEY, 1, 0);
    double sa[6], mg[6], sh[6];
    int sampled;
    assert_int_equal(
        rp_reg_replication(w, EV3, 1, T, total, 7, 3, sa, mg, sh, &sampled),
        0);
    assert_true(sa[0] == total && mg[0] == total && sh[0] == total);
    rp_reg_ws_free(w);
    rp_model_free(m);
    rp_scenario_free(s);
}

/* More active threats than RP_REG_EXACT_MAX: Shapley values from random
 * orders, summing to the loss, the same for the same seed and
 * replication. */
static void test_sampled_shapley(void **state)
{
    (void)state;
    rp_scenario *s;
    rp_model *m = model(&s);
    enum { NA = RP_REG_EXACT_MAX + 2 };
    rp_event ev[NA];
    for (int k = 0; k < NA; k++)
        ev[k] = (rp_event){k % 4, 10 + 9 * k, 12, 0, 0, 0.6, 0, k};
    double total = run_with(m, ev, NA, (1u << NA) - 1);
    assert_true(total > 0);
    rp_reg_ws *w = rp_reg_ws_new(m, NA, RP_REG_SHAPLEY, RP_LANES, 0);
    double sa[NA], mg[NA], sh[NA], sh2[NA];
    int sampled = 0;
    assert_true(rp_reg_replication(w, ev, NA, T, total, 11, 5, sa, mg, sh,
                                   &sampled) > 2 * NA);
    assert_int_equal(sampled, 1);
    double sum = 0;
    for (int k = 0; k < NA; k++)
        sum += sh[k];
    assert_true(tu_close(sum, total, 1e-9));
    rp_reg_replication(w, ev, NA, T, total, 11, 5, sa, mg, sh2, &sampled);
    assert_memory_equal(sh, sh2, sizeof sh);
    rp_reg_ws_free(w);
    rp_model_free(m);
    rp_scenario_free(s);
}

/* On a workspace the caller owns (rp_reg_ws_on), as a run's thread uses
 * it: replications and the register's runs taking turns in it give the
 * register's own workspace's values bit for bit, and the workspace
 * outlives the register. */
static void test_shared_workspace(void **state)
{
    (void)state;
    rp_scenario *s;
    rp_model *m = model(&s);
    const int n = 4, nt = 6;
    double total = run_with(m, EV3, n, 0xF);
    rp_reg_ws *own = rp_reg_ws_new(m, nt, RP_REG_SHAPLEY, RP_LANES, 0);
    rp_flow_ws *fw = rp_flow_ws_new_lanes(m, RP_LANES);
    assert_non_null(own);
    assert_non_null(fw);
    rp_flow_set_options(fw, 0, INFINITY);
    rp_reg_ws *on = rp_reg_ws_on(m, nt, RP_REG_SHAPLEY, fw, RP_LANES);
    assert_non_null(on);
    double sa[6], mg[6], sh[6], sa2[6], mg2[6], sh2[6];
    int sampled, sampled2;
    assert_int_equal(
        rp_reg_replication(own, EV3, n, T, total, 7, 3, sa, mg, sh, &sampled),
        6);
    for (int round = 0; round < 2; round++) {
        /* a block of replications in the workspace first */
        const rp_event *evp[RP_LANES];
        int nev[RP_LANES];
        rp_metrics out[RP_LANES];
        for (int l = 0; l < RP_LANES; l++) {
            evp[l] = EV3 + l % 3;
            nev[l] = 1 + l % 2;
        }
        assert_int_equal(
            rp_flow_run_lanes(m, fw, RP_LANES, evp, nev, T, out, NULL), RP_OK);
        assert_int_equal(rp_reg_replication(on, EV3, n, T, total, 7, 3, sa2,
                                            mg2, sh2, &sampled2),
                         6);
        assert_memory_equal(sa2, sa, sizeof sa);
        assert_memory_equal(mg2, mg, sizeof mg);
        assert_memory_equal(sh2, sh, sizeof sh);
        assert_int_equal(sampled2, sampled);
    }
    rp_reg_ws_free(on);
    /* the workspace is still the caller's */
    const rp_event *ev1[1] = {EV3};
    int n1[1] = {n};
    rp_metrics met[1];
    assert_int_equal(rp_flow_run_lanes(m, fw, 1, ev1, n1, T, met, NULL),
                     RP_OK);
    assert_true(tu_close(met[0].lost_value, total, 1e-9));
    rp_flow_ws_free(fw);
    rp_reg_ws_free(own);
    rp_model_free(m);
    rp_scenario_free(s);
}

static void test_classes(void **state)
{
    (void)state;
    const double *b = rp_reg_likelihood_bands;
    assert_int_equal(rp_reg_class(b, 0), 1);
    assert_int_equal(rp_reg_class(b, 0.005), 1);
    assert_int_equal(rp_reg_class(b, 0.01), 2);
    assert_int_equal(rp_reg_class(b, 0.5), 3);
    assert_int_equal(rp_reg_class(b, 1), 4);
    assert_int_equal(rp_reg_class(b, 10), 5);
    assert_int_equal(rp_reg_class(b, 1e6), 5);
    b = rp_reg_consequence_bands;
    assert_int_equal(rp_reg_class(b, 0.0009), 1);
    assert_int_equal(rp_reg_class(b, 0.001), 2);
    assert_int_equal(rp_reg_class(b, 0.2), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marginal_and_exact_shapley),
        cmocka_unit_test(test_one_threat),
        cmocka_unit_test(test_sampled_shapley),
        cmocka_unit_test(test_shared_workspace),
        cmocka_unit_test(test_classes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
