/* A run of the supply-chain model: every strategy, every replication, by
 * the engine's replication loop (ripple/mc.h) driving the model through
 * its table of functions (models/sc_run.c); results bit-identical for any
 * number of threads and ranks.  rp_run stops early with RP_ESTOPPED
 * (interrupted, or stop_after; see rp_run_request_stop). */
#ifndef RIPPLE_RUN_H
#define RIPPLE_RUN_H

#include <stdint.h>

#include "ripple/compare.h"
#include "ripple/error.h"
#include "ripple/flow.h"
#include "ripple/mc.h"
#include "ripple/sc_h5names.h"
#include "ripple/scenario.h"

typedef struct rp_run_opts {
    int threads;  /* 0: OpenMP's default */
    int progress; /* print progress to stderr: 0 no, RP_PROGRESS_TTY (one
                     line rewritten with \r), RP_PROGRESS_LOG (a plain line
                     every progress_every seconds, for batch logs) */
    double progress_every; /* RP_PROGRESS_LOG: seconds between lines (0:
                              RP_PROGRESS_EVERY) */
    int dense;             /* simulate every day (no snapping, no skipping) */
    int lanes; /* replications in lockstep: 1, RP_HALF, RP_LANES, or 0 =
                  auto (rp_flow_lanes_for with lane_budget) */
    double lane_budget;     /* auto lanes: bytes a thread's workspace may take
                               (rp_flow_lane_budget; 0: RP_LANE_BUDGET) */
    int max_lanes;          /* auto lanes: at most this many (0: no limit) */
    const char *checkpoint; /* checkpoint file, or NULL for none */
    int resume;             /* continue from the checkpoint */
    int64_t stop_after;     /* > 0: stop (as if interrupted) once this many
                               replications are done in all (a testing aid) */
    int rank, ranks;        /* MPI: this process and how many (0 = 1) */
    int reg;    /* risk register: RP_REG_NONE (0), RP_REG_MARGINAL or
                   RP_REG_SHAPLEY (ripple/register.h) */
    int events; /* keep the event log (rp_results.ev_*) */
} rp_run_opts;

/* Per-node results of a strategy, [S][N] each, over replications:
 * X(field of rp_results, dataset in /node, units, long_name).  The
 * fields, their allocation, their place in checkpoints and their datasets
 * with long_name and units are generated from this list; how the running
 * sums (RP_NODE_ACC) become them is sc_strategy_end (models/sc_run.c). */
#define RP_NODE_RESULTS(X)                                                    \
    X(node_dis_mean, RP_H5_NODE_DIS_MEAN, "day",                              \
      "days hit by an event, mean")                                           \
    X(node_p_dis, RP_H5_NODE_P_DIS, "1",                                      \
      "share of replications in which an event hit it")                       \
    X(node_imp_mean, RP_H5_NODE_IMP_MEAN, "day",                              \
      "days with output below baseline, mean")                                \
    X(node_p_imp, RP_H5_NODE_P_IMP, "1",                                      \
      "share of replications in which its output fell below baseline")        \
    X(node_lost_mean, RP_H5_NODE_LOST_MEAN, "V",                              \
      "value of its final demand lost, mean")                                 \
    X(node_crit, RP_H5_NODE_CRITICALITY, "V",                                 \
      "mean lost value of the whole network over the replications in which "  \
      "an event hit the node")

/* Running per-node sums of the current strategy, X(field, type), [N]
 * each (carried by checkpoints in this order). */
#define RP_NODE_ACC(X)                                                        \
    X(dis_sum, int64_t)                                                       \
    X(imp_sum, int64_t)                                                       \
    X(dis_cnt, int64_t)                                                       \
    X(imp_cnt, int64_t)                                                       \
    X(lost_sum, double)                                                       \
    X(crit_sum, double)

typedef struct rp_results {
    int S, N, E, T;
    int64_t R;
    rp_metrics *rep; /* [S][R] */
#define RP_NODE_FIELD_(f, path, units, ln) double *f;
    RP_NODE_RESULTS(RP_NODE_FIELD_) /* [S][N] each */
#undef RP_NODE_FIELD_
    double *sl_mean;  /* [S][T] */
    double *sl_q;     /* [S][T][RP_NQUANT] */
    double *sl_below; /* [S][T] share of replications with SL < target */
    /* the risk register, per replication (NULL when the run has none):
     * [S][R][NT], NT = the scenario's threats */
    int NT, reg;
    double *reg_alone, *reg_marg, *reg_shap; /* lost value (shap: mode
                                                RP_REG_SHAPLEY only) */
    int32_t *reg_nev;     /* events of the threat (as the `events` metric) */
    int32_t *reg_att;     /* attack attempts, successful or not */
    int32_t *reg_sampled; /* [S][R] 1: Shapley values from sampled orders */
    /* 1: the results file gets the event log (every event that touches
     * the horizon), which rp_h5_write_run samples again as it writes it:
     * it is not held here */
    int events;
    /* the baseline strategy's model, for /network */
    double *x0, *cap, *ninv;      /* [N] */
    double *edge_f0, *edge_share; /* [E] network (file) edge order */
    double seconds;               /* wall time of the replications */
    int64_t ran; /* replications run in this process (resumed: since the
                    checkpoint) */
} rp_results;

typedef struct rp_acc {
#define RP_ACC_FIELD_(f, t) t *f;
    RP_NODE_ACC(RP_ACC_FIELD_)
#undef RP_ACC_FIELD_
} rp_acc;

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
/* The run's lost values, as the engine's comparisons read them. */
rp_loss_view rp_results_loss(const rp_results *r);

/* Read a checkpoint of a run with r's sizes into r, acc and sl (allocated
 * as rp_run allocates them; `ripple run --resume` reads them so, and the
 * fuzzing target too).  st->fingerprint: the run's identity. */
rp_status rp_run_ckpt_read(const char *path, rp_ckpt_state *st, rp_results *r,
                           rp_acc *acc, double *sl, rp_errors *err);

#endif
