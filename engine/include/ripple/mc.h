/* The Monte Carlo engine's replication loop and the interface a model
 * plugs into it by (as ROSS drives its LPs through a table of functions).
 *
 * The engine runs S strategies x R replications of T days: it shares the
 * replications out in blocks (OpenMP threads in lanes of the model's
 * choosing, MPI ranks by block), reduces everything in replication order
 * (so results do not depend on the thread or rank count), keeps the daily
 * series' bands, writes and resumes checkpoints and reports progress.  It
 * knows nothing about what a replication simulates: the model fills a
 * record of metrics (described by a table of rp_metric_def), a daily
 * series, and an opaque per-replication output that the engine hands back
 * to the model, in replication order, to add to the model's own sums. */
#ifndef RIPPLE_MC_H
#define RIPPLE_MC_H

#include <stddef.h>
#include <stdint.h>

#include "ripple/checkpoint.h"
#include "ripple/error.h"
#include "ripple/metric.h"

#define RP_NQUANT 5
#define RP_PROGRESS_TTY 1
#define RP_PROGRESS_LOG 2
#define RP_PROGRESS_EVERY 30.0 /* seconds between progress lines in logs */
extern const double rp_quantile_levels[RP_NQUANT]; /* 0.05 .. 0.95 */

/* rp_mc_run's status when it stopped early (interrupted, or stop_after):
 * the checkpoint holds everything done so far.  The command line maps it
 * to exit status 1. */
#define RP_ESTOPPED ((rp_status)3)

/* Ask a running rp_mc_run to stop at the next block and checkpoint (safe
 * to call from a signal handler). */
void rp_run_request_stop(void);

/* Replications per block: the unit of work of a thread group, of an MPI
 * rank and of a checkpoint (a multiple of every lane count). */
#define RP_MC_BLOCK 256
/* Within a block, threads run at most RP_MC_WINDOW groups of lanes a
 * thread ahead of the first replication not yet reduced: at most
 * RP_MC_WINDOW x threads x lanes replications' outputs wait for the
 * reduction at a time (in a single process; MPI ranks hold whole
 * blocks). */
#define RP_MC_WINDOW 2
/* The most lanes a model may step together. */
#define RP_MC_MAX_LANES 8

/* A model, as the engine drives it.  ctx is the model's run (everything
 * the functions share); sm a strategy's prepared model; ws one thread's
 * scratch.  Functions returning int give 0, or -1 on failure (out of
 * memory). */
typedef struct rp_model_ops {
    /* the replication record: rec_bytes, its metrics, and the one the
     * engine compares strategies on (a loss, in value) */
    size_t rec_bytes;
    int n_metrics;
    const rp_metric_def *metrics;
    int loss_metric;

    /* strategy si: build (or release) what its replications share */
    rp_status (*strategy_new)(void *ctx, int si, void **sm, rp_errors *err);
    void (*strategy_free)(void *ctx, void *sm);
    /* replications it steps together at most (1 .. RP_MC_MAX_LANES,
     * dividing RP_MC_BLOCK).  The engine hands groups of this size, or of
     * half, a quarter ... when a block has fewer groups than threads: a
     * replication's results must not depend on the group it runs in */
    int (*lanes)(void *ctx, const void *sm);
    /* a new strategy starts: zero the running sums */
    void (*strategy_begin)(void *ctx, int si);

    /* one thread's scratch (NULL out of memory), made when the thread takes
     * its first group: `group`, the replications its groups hold at most
     * (lanes, or fewer in a small block: a run of one replication never
     * needs more than a one-lane scratch) */
    void *(*ws_new)(void *ctx, const void *sm, int group);
    void (*ws_free)(void *ctx, void *ws);
    /* replications r0 .. r0+used-1 (used <= lanes): records into
     * rec[0..used) (rec_bytes each), daily series into series[l][0..T), and
     * for each its output for the reduction in out[l] (malloc'ed, out_bytes[l]
     * bytes; the engine frees it) */
    int (*run_lanes)(void *ctx, const void *sm, void *ws, int64_t r0, int used,
                     void *rec, double *const *series, void **out,
                     size_t *out_bytes);
    /* add replication r's output to the sums (in replication order; rec
     * is its record) */
    void (*reduce)(void *ctx, int si, int64_t r, const void *rec,
                   const void *out, size_t bytes);
    /* strategy si is done: its sums become results */
    int (*strategy_end)(void *ctx, int si);

    /* checkpoints: every array to save, in file order, with progress
     * marker next (at most RP_CKPT_MAX_CHUNKS), and after reading one,
     * whether its contents agree with its marker (0, or -1 with a message
     * naming path) */
    int (*ckpt_chunks)(void *ctx, int64_t next, rp_ckpt_chunk *c);
    int (*ckpt_check)(void *ctx, const rp_ckpt_state *st, const char *path,
                      rp_errors *err);
    int32_t model_version; /* recorded in checkpoints */
} rp_model_ops;

typedef struct rp_mc_opts {
    int threads;  /* 0: OpenMP's default */
    int progress; /* 0 none, RP_PROGRESS_TTY (one line rewritten with \r),
                     RP_PROGRESS_LOG (a plain line every progress_every s) */
    double progress_every;  /* RP_PROGRESS_LOG: seconds (0: default) */
    const char *checkpoint; /* checkpoint file, or NULL for none */
    int resume;             /* continue from the checkpoint */
    int64_t stop_after;     /* > 0: stop (as if interrupted) once this many
                               replications are done in all (a testing aid) */
    int rank, ranks;        /* MPI: this process and how many (0 = 1) */
} rp_mc_opts;

/* What the engine fills; the caller allocates every array. */
typedef struct rp_mc_run {
    int S, T, N; /* N: the model's size, recorded in checkpoints */
    int64_t R;
    void *rep;            /* [S][R] records */
    double *series;       /* [R][T] scratch: the current strategy's series */
    double *series_mean;  /* [S][T] mean over replications */
    double *series_q;     /* [S][T][RP_NQUANT] quantiles */
    double *series_below; /* [S][T] share of replications below threshold */
    double threshold;     /* (strictly below) */
    char fingerprint[65]; /* the run's identity (a hash of the inputs and
                             options that decide the numbers): checkpoints
                             of another run are refused */
    double seconds;       /* out: wall time of the replications */
    int64_t ran;          /* out: replications run by this call (a resumed
                             run: those after its checkpoint) */
} rp_mc_run;

rp_status rp_mc_run_all(const rp_model_ops *ops, void *ctx, rp_mc_run *run,
                        const rp_mc_opts *o, rp_errors *err);

#endif
