/* The risk register: what each threat adds to the loss of a replication.
 *
 * A replication's events are sampled once, with every threat; each event
 * carries the index of its threat, and a threat's draws never depend on
 * the other threats, so the loss "with threats S only" is the run of the
 * events of the threats in S.  A threat with no event in a replication
 * adds nothing to it, so only subsets of the threats active in that
 * replication are simulated, several at a time in lanes.
 *
 * Per replication and threat k (0 for threats without an event):
 *   standalone  lost value with threat k alone
 *   marginal    lost value with every threat minus that without threat k
 *   shapley     threat k's Shapley value in the game v(S) = lost value with
 *               the threats S (v of no threat = 0): exact when at most
 *               RP_REG_EXACT_MAX threats are active, else estimated from
 *               RP_REG_PERMS random orders of the active threats (a stream
 *               keyed by the seed and the replication); the values sum to
 *               the replication's lost value either way. */
#ifndef RIPPLE_REGISTER_H
#define RIPPLE_REGISTER_H

#include <stdint.h>

#include "ripple/draws.h"
#include "ripple/flow.h"
#include "ripple/model.h"

typedef struct rp_results rp_results;

enum { RP_REG_NONE = 0, RP_REG_MARGINAL = 1, RP_REG_SHAPLEY = 2 };
#define RP_REG_EXACT_MAX 10
#define RP_REG_PERMS 256
#define RP_REG_MAX_THREATS 64

typedef struct rp_reg_ws rp_reg_ws;

/* Scratch for one thread: runs of model m (its lane count decided as the
 * main run decides it), dense as the main run, in a flow workspace of its
 * own. NULL out of memory. */
rp_reg_ws *rp_reg_ws_new(const rp_model *m, int n_threats, int mode, int lanes,
                         int dense);
/* The same on a flow workspace of m with `lanes` lanes that the caller
 * owns, options set (a thread's workspace for its replications: each
 * rp_reg_replication overwrites what its last run left there, so take a
 * replication's results out of it first).  NULL out of memory. */
rp_reg_ws *rp_reg_ws_on(const rp_model *m, int n_threats, int mode,
                        rp_flow_ws *flow, int lanes);
void rp_reg_ws_free(rp_reg_ws *w);

/* One replication: its events ev[0..nev) (tagged with their threat), its
 * horizon T and its lost value with every threat (total, from the main
 * run).  Writes standalone, marginal and (mode RP_REG_SHAPLEY) shapley
 * [n_threats]; *sampled = 1 when the Shapley values were estimated.
 * Returns the number of runs simulated, or -1 out of memory. */
int rp_reg_replication(rp_reg_ws *w, const rp_event *ev, int nev, int T,
                       double total, uint64_t seed, uint64_t rep,
                       double *standalone, double *marginal, double *shapley,
                       int *sampled);

/* Likelihood (events a year) and consequence (mean lost value of a year
 * with at least one event of the threat, as a share of the year's final
 * demand value) classes 1..5, and the lower bounds of classes 2..5. */
extern const double rp_reg_likelihood_bands[4];
extern const double rp_reg_consequence_bands[4];
int rp_reg_class(const double *bands, double v);

/* The risk register of one strategy and threat (/risk_register). */
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
