/* Paired comparison of strategies against the baseline (strategy 0), per
 * replication: SPEC.md's /comparison. */
#ifndef RIPPLE_COMPARE_H
#define RIPPLE_COMPARE_H

#include "ripple/run.h"

typedef struct rp_comparison {
    double delta_mean, delta_lo, delta_hi; /* strategy - baseline lost value */
    double prob_better;                    /* share with strictly less loss */
    double roi;                            /* NaN without a cost */
    double variance_reduction;             /* NaN if differences constant */
} rp_comparison;

/* out[S]; cost[S] per year.  Returns -1 on allocation failure. */
int rp_compare(const rp_results *r, const double *cost, rp_comparison *out);

#endif
