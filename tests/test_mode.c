/* The automatic choice between the sparse and the dense loop
 * (models/sc_run.c, strategy_mode): made once per strategy, from the
 * events' hit node-days and a pilot run. */
#include <stdlib.h>
#include <string.h>

#include "ripple/flow.h"
#include "ripple/register.h"
#include "testutil.h"

/* The lost value of every replication of a run of s in mode `dense`
 * (RP_FLOW_*), 8 replications, no register or event log. */
static double *losses(const rp_scenario *s, int dense)
{
    rp_run_opts o = {.threads = 2, .reg = RP_REG_NONE, .dense = dense};
    rp_errors err;
    rp_err_init(&err);
    rp_results *r = NULL;
    assert_int_equal(rp_run(s, &o, &r, &err), RP_OK);
    rp_loss_view v = rp_results_loss(r);
    double *out = malloc((size_t)v.R * sizeof *out);
    assert_non_null(out);
    for (int64_t q = 0; q < v.R; q++)
        out[q] = rp_loss_at(&v, 0, q);
    rp_results_free(r);
    return out;
}

/* The automatic choice between the sparse and the dense loop, made once
 * for a study from a pilot run: Willems 38 (2,025 nodes) with its ten
 * scripted part outages disturbs about half of the node-days and runs
 * sparse; the same chain with a random hazard on every site at 0.002 a
 * year (events on 0.008% of the node-days, far below the threshold on
 * events alone) disturbs most of the chain in a block of eight
 * replications and runs dense.  Each with the bits of the mode it picked,
 * which differ from the other mode's (else the test could not tell). */
static void test_auto_mode_from_pilot(void **st)
{
    (void)st;
    const char *files[] = {"../../scenarios/willems38.json",
                           "willems38_hazards.json"};
    for (int hazard = 0; hazard < 2; hazard++) {
        rp_scenario *s = tu_load(files[hazard]);
        s->replications = 8;
        double *a = losses(s, RP_FLOW_AUTO), *d = losses(s, RP_FLOW_DENSE),
               *sp = losses(s, RP_FLOW_SPARSE);
        const size_t n = 8 * sizeof *a;
        assert_true(memcmp(d, sp, n) != 0);
        if (memcmp(a, hazard ? d : sp, n) != 0)
            fail_msg("%s: not the bits of the %s loop",
                     hazard ? "hazards everywhere" : "scripted outages",
                     hazard ? "dense" : "sparse");
        free(a);
        free(d);
        free(sp);
        rp_scenario_free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auto_mode_from_pilot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
