/* Paired comparison of strategies against the baseline (strategy 0), per
 * replication, on the model's loss metric: /comparison (docs/formats.md). */
#ifndef RIPPLE_COMPARE_H
#define RIPPLE_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "ripple/metric.h"

/* The loss of every replication of every strategy: the metric `loss` of
 * the records rep[S][R] (rec_bytes each); T the horizon in days (for
 * figures a year). */
typedef struct rp_loss_view {
    int S, T;
    int64_t R;
    const void *rep;
    size_t rec_bytes;
    const rp_metric_def *loss;
} rp_loss_view;

static inline double rp_loss_at(const rp_loss_view *v, int s, int64_t q)
{
    size_t i = (size_t)s * (size_t)v->R + (size_t)q;
    return rp_metric_value(v->loss, (const char *)v->rep + i * v->rec_bytes);
}

typedef struct rp_comparison {
    double delta_mean, delta_lo, delta_hi; /* strategy - baseline loss */
    double prob_better; /* share with less loss, beyond rounding (1e-9) */
    double roi;         /* NaN without a cost */
    double variance_reduction; /* NaN if differences constant */
} rp_comparison;

/* out[S]; cost[S] per year.  Returns -1 on allocation failure. */
int rp_compare(const rp_loss_view *r, const double *cost, rp_comparison *out);

/* Decisions with cost.  Per replication, a strategy's net benefit is the
 * loss it saves against the baseline, scaled to a year (x 365 /
 * horizon), minus its cost per year; 0 for the baseline. */
#define RP_BOOTSTRAP 1000
typedef struct rp_decision {
    double nb_mean, nb_lo, nb_hi; /* mean, paired 95% interval */
    double prob_best; /* share of RP_BOOTSTRAP resamples of the replications
                         (streams keyed by the seed) in which it has the
                         highest mean net benefit (the baseline counts 0;
                         ties go to the earlier strategy) */
} rp_decision;

/* out[S].  Returns the recommended strategy: the one with the highest
 * mean net benefit if that is > 0, else 0 (the baseline: no strategy pays
 * for itself); -1 on allocation failure. */
int rp_decide(const rp_loss_view *r, const double *cost, uint64_t seed,
              rp_decision *out);

#endif
