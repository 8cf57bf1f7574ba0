/* Conformance: the four golden cases computed by an independent
 * implementation of MODEL.md (tests/data/golden, copied from shared/golden).
 * Agreement required: 1e-9 relative, day by day and on every metric. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

    double *sl = calloc((size_t)s->horizon, sizeof *sl);
    rp_metrics m;
    tu_run_one(s, &m, sl);
    const cJSON *esl = cJSON_GetObjectItemCaseSensitive(exp, "service_level");
    assert_int_equal(cJSON_GetArraySize(esl), s->horizon);
    for (int t = 0; t < s->horizon; t++) {
        double want = cJSON_GetArrayItem(esl, t)->valuedouble;
        if (!tu_close(sl[t], want, 1e-9))
            fail_msg("%s: SL(%d) = %.17g, want %.17g", name, t, sl[t], want);
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
            fail_msg("%s: %s = %.17g, want %.17g", name, mets[i].k, mets[i].v,
                     want);
    }
    free(sl);
    cJSON_Delete(exp);
    rp_scenario_free(s);
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
            rp_stress_run(m, s->horizon, mask, ttr, threads, &res, &err),
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
        cmocka_unit_test(test_substitutes),
        cmocka_unit_test(test_standby),
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_chain_stress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
