/* The Monte Carlo driver: every strategy, every replication, in parallel
 * (OpenMP), reduced in replication order so that results are bit-identical
 * for any number of threads. */
#ifndef RIPPLE_RUN_H
#define RIPPLE_RUN_H

#include <stdint.h>

#include "ripple/error.h"
#include "ripple/flow.h"
#include "ripple/scenario.h"

#define RP_NQUANT 5
#define RP_PROGRESS_TTY 1
#define RP_PROGRESS_LOG 2
#define RP_PROGRESS_EVERY 30.0 /* seconds between progress lines in logs */
extern const double rp_quantile_levels[RP_NQUANT]; /* 0.05 .. 0.95 */

typedef struct rp_run_opts {
    int threads;  /* 0: OpenMP's default */
    int progress; /* print progress to stderr: 0 no, RP_PROGRESS_TTY (one
                     line rewritten with \r), RP_PROGRESS_LOG (a plain line
                     every progress_every seconds, for batch logs) */
    double progress_every; /* RP_PROGRESS_LOG: seconds between lines (0:
                              RP_PROGRESS_EVERY) */
    int dense;             /* simulate every day (no snapping, no skipping) */
    int lanes; /* replications in lockstep: 1, RP_LANES, or 0 = auto */
    const char *checkpoint; /* checkpoint file, or NULL for none */
    int resume;             /* continue from the checkpoint */
    int64_t stop_after;     /* > 0: stop (as if interrupted) once this many
                               replications are done in all (a testing aid) */
    int rank, ranks;        /* MPI: this process and how many (0 = 1) */
    int reg;    /* risk register: RP_REG_NONE (0), RP_REG_MARGINAL or
                   RP_REG_SHAPLEY (ripple/register.h) */
    int events; /* keep the event log (rp_results.ev_*) */
} rp_run_opts;

/* rp_run's status when it stopped early (interrupted, or stop_after): the
 * checkpoint holds everything done so far.  The command line maps it to
 * exit status 1. */
#define RP_ESTOPPED ((rp_status)3)

/* Ask a running rp_run to stop at the next block and checkpoint (safe to
 * call from a signal handler). */
void rp_run_request_stop(void);

typedef struct rp_results {
    int S, N, E, T;
    int64_t R;
    rp_metrics *rep;        /* [S][R] */
    double *node_dis_mean;  /* [S][N] disrupted days, mean over reps */
    double *node_p_dis;     /* [S][N] share of reps with the node disrupted */
    double *node_imp_mean;  /* [S][N] */
    double *node_p_imp;     /* [S][N] */
    double *node_lost_mean; /* [S][N] lost value at the node, mean */
    double *node_crit;      /* [S][N] mean rep lost value when disrupted */
    double *sl_mean;        /* [S][T] */
    double *sl_q;           /* [S][T][RP_NQUANT] */
    double *sl_below;       /* [S][T] share of replications with SL < target */
    /* the risk register, per replication (NULL when the run has none):
     * [S][R][NT], NT = the scenario's threats */
    int NT, reg;
    double *reg_alone, *reg_marg, *reg_shap; /* lost value (shap: mode
                                                RP_REG_SHAPLEY only) */
    int32_t *reg_nev;     /* events of the threat (as the `events` metric) */
    int32_t *reg_att;     /* attack attempts, successful or not */
    int32_t *reg_sampled; /* [S][R] 1: Shapley values from sampled orders */
    /* the event log (rows in strategy, replication, threat order; none
     * without it): every event that touches the horizon */
    int events; /* 1: the log was kept (n_ev may be 0) */
    int64_t n_ev;
    int32_t *ev_strategy, *ev_threat, *ev_target, *ev_onset, *ev_duration;
    int64_t *ev_rep;
    uint8_t *ev_kind, *ev_profile; /* 0 node, 1 edge; 0 step, 1 linear */
    double *ev_severity;
    /* the baseline strategy's model, for /network */
    double *x0, *cap, *ninv;      /* [N] */
    double *edge_f0, *edge_share; /* [E] network (file) edge order */
    double seconds;               /* wall time of the replications */
} rp_results;

rp_status rp_run(const rp_scenario *s, const rp_run_opts *o, rp_results **out,
                 rp_errors *err);

/* What rp_run simulates for strategy si (0 = baseline), for tools that
 * replay one replication (`ripple trace`): the strategy's model (free it
 * with rp_model_free) ... */
rp_status rp_run_model(const rp_scenario *s, int si, rp_model **m,
                       rp_errors *err);
/* ... and the events of replication r under that model (preps from
 * rp_threats_prepare on it; rng a scratch rp_rng_philox generator); with
 * attempts (NULL: not counted), each threat's attack attempts.  The one
 * way replications, the register, the event log and traces get their
 * events.  0, or -1 out of memory. */
int rp_run_events(const rp_scenario *s, const rp_model *m, void *const *preps,
                  int64_t r, gsl_rng *rng, rp_evbuf *out, int32_t *attempts);
void rp_results_free(rp_results *r);

#endif
