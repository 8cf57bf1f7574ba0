/* Paired comparison of strategies against the baseline (strategy 0), per
 * replication: /comparison (docs/formats.md). */
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

/* Decisions with cost.  Per replication, a strategy's net benefit is the
 * lost value it saves against the baseline, scaled to a year (x 365 /
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
int rp_decide(const rp_results *r, const double *cost, uint64_t seed,
              rp_decision *out);

/* The risk register of one strategy and threat (see ripple/register.h). */
typedef struct rp_reg_row {
    double events_per_year;   /* events (as the `events` metric counts) */
    double p_any;             /* share of replications with one or more */
    double attempts_per_year; /* attacks: attempts; NaN for other types */
    double p_success;         /* attacks: events / attempts; NaN otherwise */
    double standalone_mean;   /* mean lost value, this threat alone */
    double marginal_mean, marginal_lo, marginal_hi; /* paired, 95% */
    double shapley;              /* mean Shapley value; NaN without it */
    double tail_marginal_cvar95; /* mean marginal loss over the
                                    replications at or above the var95 of
                                    total lost value */
    double loss_per_event;       /* standalone lost value / events */
    int likelihood_class, consequence_class; /* 1..5 */
} rp_reg_row;

/* out[S][NT], interaction[S] (total mean lost value minus the sum of the
 * threats' marginal means); is_attack[NT]; annual_value: the value of a
 * year's final demand (the consequence classes are shares of it).  -1 on
 * allocation failure or a run without register. */
int rp_register_summary(const rp_results *r, const int *is_attack,
                        double annual_value, rp_reg_row *out,
                        double *interaction);

#endif
