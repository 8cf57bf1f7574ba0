/* Replication loop (ripple/mc.h): the engine side of a run.
 *
 * Replications run in blocks of RP_MC_BLOCK; within a block, threads take
 * groups of K replications (the lanes the model steps together, fixed by
 * replication number) in order, each the next group when it is free.
 * Each replication writes only its own slots, and everything summed
 * across replications is summed in replication order: the model's outputs
 * are handed back to it one replication at a time, in order (as soon as
 * every earlier one has been, so that only a few wait; across MPI ranks
 * a block at a time).  That is what makes the results independent of the
 * thread (and rank) count. */
#define _POSIX_C_SOURCE 200809L
#include "ripple/mc.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ripple/checkpoint.h"
#include "ripple/par.h"
#include "ripple/stats.h"
#include "ripple/util.h"

const double rp_quantile_levels[RP_NQUANT] = {0.05, 0.25, 0.5, 0.75, 0.95};

#define BLOCK RP_MC_BLOCK

/* The one piece of global state: a stop request from a signal handler,
 * which can reach nothing else. */
static volatile sig_atomic_t stop_requested = 0;

void rp_run_request_stop(void)
{
    stop_requested = 1;
}

/* Where a run stands, for checkpoints. */
typedef struct {
    rp_ckpt_state st;
    double last_write, write_cost;
    int64_t done_before;  /* replications of earlier strategies */
    double last_progress; /* when progress was last printed */
} run_ctx;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A rate for the progress line: grouped whole numbers from 100 up, and
 * below that two significant digits without an exponent (a study of a
 * million-node network runs at 0.063 rep/s, which "%.0f" printed as 0). */
static char *rate_str(char *b, size_t n, double rate)
{
    if (!(rate < 99.5))
        return rp_count_str(b, n, llround(rate));
    int dec = rate > 0 ? 1 - (int)floor(log10(rate)) : 0;
    snprintf(b, n, "%.*f", dec < 0 ? 0 : dec > 9 ? 9 : dec, rate);
    return b;
}

/* est > 0: `done` is an estimate, rank 0's share done times est ranks
 * (an MPI run), and the line says so with a "~". */
static void progress(int mode, int S, int s, int64_t done, int64_t R,
                     double t0, int est)
{
    double el = now_s() - t0;
    double total = (double)S * (double)R;
    double fin = (double)s * (double)R + (double)done;
    double rate = el > 0 ? fin / el : 0;
    double eta = rate > 0 ? (total - fin) / rate : 0;
    char how[80] = "";
    if (est > 0 && mode == RP_PROGRESS_LOG)
        snprintf(how, sizeof how, " (estimated: rank 0's share x %d ranks)",
                 est);
    else if (est > 0)
        snprintf(how, sizeof how, " (est.)");
    if (mode == RP_PROGRESS_LOG)
        fprintf(stderr,
                "ripple: progress: strategy %d/%d, replications %s%s/%s%s; "
                "%s of %s done (%.0f%%) in %s s, %s rep/s, ETA %s s\n",
                s + 1, S, est > 0 ? "~" : "", RP_COUNT(done), RP_COUNT(R), how,
                RP_COUNT(llround(fin)), RP_COUNT(llround(total)),
                total > 0 ? 100 * fin / total : 100, RP_COUNT(llround(el)),
                rate_str((char[28]){0}, 28, rate), RP_COUNT(llround(eta)));
    else
        fprintf(stderr,
                "\r  strategy %d/%d  replications %s%s/%s%s  %s rep/s  "
                "ETA %s s   ",
                s + 1, S, est > 0 ? "~" : "", RP_COUNT(done), RP_COUNT(R), how,
                rate_str((char[28]){0}, 28, rate), RP_COUNT(llround(eta)));
    fflush(stderr);
}

/* Progress when `done` replications of strategy s are reduced (after a
 * group of lanes and after a block; est > 0: an MPI run's estimate, see
 * progress()): on a terminal at most 4 times a second and at the end of a
 * strategy; in a log every o->progress_every seconds.  One thread at a
 * time calls it (the reduction's lock, or after the parallel region), so
 * lines never interleave; it reads the clock and prints, and changes no
 * result. */
static void maybe_progress(const rp_mc_opts *o, double *last, int S, int s,
                           int64_t done, int64_t R, double t0, int est)
{
    if (!o->progress)
        return;
    double now = now_s();
    if (o->progress == RP_PROGRESS_LOG) {
        double every =
            o->progress_every > 0 ? o->progress_every : RP_PROGRESS_EVERY;
        if (now - *last < every)
            return;
    } else if (!(now - *last > 0.25 || (done == R && est == 0))) {
        return;
    }
    progress(o->progress, S, s, done, R, t0, est);
    *last = now_s();
}

/* What a block of replications needs while it runs. */
typedef struct {
    const rp_model_ops *ops;
    void *ctx;
    const void *sm; /* the strategy's prepared model */
    const rp_mc_opts *o;
    int si;
    char *rep;      /* this strategy's records */
    size_t rb;      /* bytes a record */
    double *series; /* [R][T] daily series */
    int T, K;
    void **outs; /* [BLOCK] each replication's output for the reduction */
    size_t *nout;
    unsigned char *ready; /* [BLOCK] simulated, waiting for the reduction */
    /* progress within a block (maybe_progress's arguments) */
    double *last_progress, t0;
    int S;
    int64_t R;
    /* an MPI run (o->ranks > 1): the replications of this strategy rank 0
     * simulates, and those it has so far.  Rank 0 knows only its own
     * progress without asking the others (no message is added, so ranks
     * with unequal work never wait on one another for it): its share
     * done, times the whole strategy, is the estimate it prints. */
    int64_t mine, mine_done;
} block_ctx;

/* Replications of the strategy done, as rank 0 estimates them in an MPI
 * run: its own share done, scaled to the whole strategy. */
static int64_t mpi_estimate(const block_ctx *bc)
{
    if (bc->mine <= 0)
        return 0;
    int64_t e =
        (int64_t)((double)bc->R * (double)bc->mine_done / (double)bc->mine);
    return e < bc->R ? e : bc->R;
}

/* Hand replication r's output to the model (in replication order), and
 * free it. */
static void reduce_one(block_ctx *bc, int64_t b0, int64_t r)
{
    void *out = bc->outs[r - b0];
    if (out == NULL)
        return;
    bc->ops->reduce(bc->ctx, bc->si, r, bc->rep + (size_t)r * bc->rb, out,
                    bc->nout[r - b0]);
    free(out);
    bc->outs[r - b0] = NULL;
}

/* Hand a block's outputs to the model in replication order, and free
 * them. */
static void reduce_block(block_ctx *bc, int64_t b0, int64_t b1)
{
    for (int64_t r = b0; r < b1; r++)
        reduce_one(bc, b0, r);
}

/* Replications a group takes: the model's lanes, halved while the block
 * would leave a thread without a group (a run of 8 replications on 2
 * threads runs two groups of 4, not one of 8 on one thread).  Lanes
 * compute what each replication computes alone, so the grouping changes
 * the time, never the results. */
static int group_size(int lanes, int64_t reps, int threads)
{
    int k = lanes;
    while (k > 1 && (reps + k - 1) / k < threads)
        k /= 2;
    return k;
}

/* Simulate replications b0 .. b1-1 (parallel, OpenMP).  With `reduce`,
 * each group's outputs go to the model as soon as every replication
 * before them has gone (under a lock, in replication order: the same
 * order, and so the same sums, as reduce_block), and a thread waits
 * before starting a group RP_MC_WINDOW x threads groups or more past
 * the first unreduced one, so that only a few groups' outputs are held
 * instead of the block's.  -1 on failure. */
static int compute_block(block_ctx *bc, int64_t b0, int64_t b1, int reduce)
{
    const rp_model_ops *ops = bc->ops;
    const int threads =
        bc->o->threads > 0 ? bc->o->threads : omp_get_max_threads();
    const int T = bc->T, K = group_size(bc->K, b1 - b0, threads);
    int failed = 0;
    int64_t next = b0, /* the first replication not yet reduced */
        taken = b0;    /* the first group no thread has taken */
    omp_lock_t lock;
    omp_init_lock(&lock);
    memset(bc->ready, 0, BLOCK);
#pragma omp parallel num_threads(bc->o->threads > 0 ? bc->o->threads          \
                                                    : omp_get_max_threads())
    {
        void *ws = NULL; /* made with the thread's first group */
        const int64_t ahead =
            (int64_t)RP_MC_WINDOW * omp_get_num_threads() * K;
        /* a group holds replications r0 .. r0+K-1; the groups are taken
         * in order (the wait below counts on it) */
        for (;;) {
            int64_t r0;
#pragma omp atomic capture
            {
                r0 = taken;
                taken += K;
            }
            if (r0 >= b1)
                break;
            int bad;
#pragma omp atomic read
            bad = failed;
            /* (not tried again once a thread has failed: the block fails) */
            if (!bad && ws == NULL &&
                (ws = ops->ws_new(bc->ctx, bc->sm, K)) == NULL) {
#pragma omp atomic write
                failed = 1;
                bad = 1;
            }
            for (int64_t first = b0; reduce && !bad;) {
#pragma omp atomic read
                first = next;
                if (r0 < first + ahead)
                    break;
                struct timespec nap = {0, 100000};
                nanosleep(&nap, NULL);
#pragma omp atomic read
                bad = failed;
            }
            if (bad)
                continue;
            int used = (int)(b1 - r0 < K ? b1 - r0 : K);
            double *srs[RP_MC_MAX_LANES];
            for (int l = 0; l < used; l++)
                srs[l] = bc->series + (size_t)(r0 + l) * (size_t)T;
            if (ops->run_lanes(bc->ctx, bc->sm, ws, r0, used,
                               bc->rep + (size_t)r0 * bc->rb, srs,
                               bc->outs + (r0 - b0),
                               bc->nout + (r0 - b0)) != 0) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            if (!reduce) {
                /* an MPI run's block: rank 0's progress from its share
                 * (the lock only keeps the lines whole) */
                if (bc->o->progress && bc->mine > 0) {
                    omp_set_lock(&lock);
                    bc->mine_done += used;
                    maybe_progress(bc->o, bc->last_progress, bc->S, bc->si,
                                   mpi_estimate(bc), bc->R, bc->t0,
                                   bc->o->ranks);
                    omp_unset_lock(&lock);
                }
                continue;
            }
            omp_set_lock(&lock);
            memset(bc->ready + (r0 - b0), 1, (size_t)used);
            int64_t q = next;
            while (q < b1 && bc->ready[q - b0])
                reduce_one(bc, b0, q++);
#pragma omp atomic write
            next = q;
            /* progress from inside the block: a block can take minutes
             * on a large network */
            maybe_progress(bc->o, bc->last_progress, bc->S, bc->si, q, bc->R,
                           bc->t0, 0);
            omp_unset_lock(&lock);
        }
        if (ws != NULL)
            ops->ws_free(bc->ctx, ws);
    }
    omp_destroy_lock(&lock);
    return failed ? -1 : 0;
}

/* A finished block as one message: its records, daily series and outputs
 * (MPI runs send it to rank 0). */
static void *pack_block(block_ctx *bc, int64_t b0, int64_t b1, size_t *n)
{
    size_t reps = (size_t)(b1 - b0), total = 0;
    for (size_t q = 0; q < reps; q++)
        total += bc->nout[q];
    *n = reps * bc->rb + reps * (size_t)bc->T * sizeof(double) +
         reps * sizeof(size_t) + total;
    char *buf = malloc(*n ? *n : 1), *p = buf;
    if (buf == NULL)
        return NULL;
    memcpy(p, bc->rep + (size_t)b0 * bc->rb, reps * bc->rb);
    p += reps * bc->rb;
    memcpy(p, bc->series + (size_t)b0 * (size_t)bc->T,
           reps * (size_t)bc->T * sizeof(double));
    p += reps * (size_t)bc->T * sizeof(double);
    memcpy(p, bc->nout, reps * sizeof(size_t));
    p += reps * sizeof(size_t);
    for (size_t q = 0; q < reps; q++) {
        if (bc->nout[q] > 0)
            memcpy(p, bc->outs[q], bc->nout[q]);
        p += bc->nout[q];
        free(bc->outs[q]);
        bc->outs[q] = NULL;
    }
    return buf;
}

static int unpack_block(block_ctx *bc, int64_t b0, int64_t b1, const char *p,
                        size_t n)
{
    size_t reps = (size_t)(b1 - b0);
    size_t head = reps * bc->rb + reps * (size_t)bc->T * sizeof(double) +
                  reps * sizeof(size_t);
    if (n < head)
        return -1;
    memcpy(bc->rep + (size_t)b0 * bc->rb, p, reps * bc->rb);
    p += reps * bc->rb;
    memcpy(bc->series + (size_t)b0 * (size_t)bc->T, p,
           reps * (size_t)bc->T * sizeof(double));
    p += reps * (size_t)bc->T * sizeof(double);
    memcpy(bc->nout, p, reps * sizeof(size_t));
    p += reps * sizeof(size_t);
    size_t left = n - head;
    for (size_t q = 0; q < reps; q++) {
        size_t k = bc->nout[q];
        if (k > left)
            return -1;
        bc->outs[q] = malloc(k ? k : 1);
        if (bc->outs[q] == NULL)
            return -1;
        memcpy(bc->outs[q], p, k);
        p += k;
        left -= k;
    }
    return 0;
}

/* The daily series' bands of a finished strategy: mean, quantiles and the
 * share of replications below the threshold. */
static int finish_strategy(const rp_mc_opts *o, rp_mc_run *run, int si)
{
    const int64_t R = run->R;
    const int T = run->T;
    const double *ser = run->series;
    const double target = run->threshold;
    double *series_mean = run->series_mean + (size_t)si * (size_t)T;
    double *series_q = run->series_q + (size_t)si * (size_t)T * RP_NQUANT;
    double *series_below = run->series_below + (size_t)si * (size_t)T;
    int qfail = 0;
#pragma omp parallel num_threads(o->threads > 0 ? o->threads                  \
                                                : omp_get_max_threads())
    {
        double *col = malloc((size_t)R * sizeof *col);
        if (col == NULL) {
#pragma omp atomic write
            qfail = 1;
        }
#pragma omp for schedule(static)
        for (int t = 0; t < T; t++) {
            if (col == NULL)
                continue;
            double sum = 0;
            int64_t below = 0;
            for (int64_t r = 0; r < R; r++) {
                col[r] = ser[(size_t)r * (size_t)T + (size_t)t];
                sum += col[r];
                below += col[r] < target;
            }
            series_mean[t] = sum / (double)R;
            series_below[t] = (double)below / (double)R;
            gsl_sort(col, 1, (size_t)R);
            for (int q = 0; q < RP_NQUANT; q++)
                series_q[(size_t)t * RP_NQUANT + (size_t)q] =
                    col[rp_nearest_rank((size_t)R, rp_quantile_levels[q])];
        }
        free(col);
    }
    return qfail ? -1 : 0;
}

/* Across MPI ranks: every rank simulates the blocks b with b mod ranks ==
 * rank, then rank 0 takes all blocks in order and reduces them exactly as
 * a single process would, so any rank count gives the same bits. */
static int run_distributed(block_ctx *bc, const rp_mc_run *run, run_ctx *cx,
                           double t0)
{
    const rp_mc_opts *o = bc->o;
    const int64_t R = run->R;
    const int si = bc->si;
    int64_t nblocks = (R + BLOCK - 1) / BLOCK;
    bc->mine = bc->mine_done = 0; /* rank 0's share, for its progress */
    for (int64_t bi = o->rank; bi < nblocks; bi += o->ranks)
        bc->mine += bi * BLOCK + BLOCK < R ? BLOCK : R - bi * BLOCK;
    void **mine = calloc((size_t)nblocks, sizeof *mine);
    size_t *len = calloc((size_t)nblocks, sizeof *len);
    int bad = mine == NULL || len == NULL;
    for (int64_t bi = o->rank; bi < nblocks && !bad; bi += o->ranks) {
        int64_t b0 = bi * BLOCK, b1 = b0 + BLOCK < R ? b0 + BLOCK : R;
        if (compute_block(bc, b0, b1, 0) != 0 ||
            (mine[bi] = pack_block(bc, b0, b1, &len[bi])) == NULL)
            bad = 1;
    }
    if (o->rank != 0) {
        for (int64_t bi = o->rank; bi < nblocks && !bad; bi += o->ranks)
            bad |= rp_par_send0(mine[bi], len[bi], (int)(si * 4 + 1)) != 0;
    } else {
        for (int64_t bi = 0; bi < nblocks && !bad; bi++) {
            int64_t b0 = bi * BLOCK, b1 = b0 + BLOCK < R ? b0 + BLOCK : R;
            void *buf = mine[bi];
            size_t n = len[bi];
            int owner = (int)(bi % o->ranks);
            if (owner != 0 &&
                rp_par_recv(owner, (int)(si * 4 + 1), &buf, &n) != 0) {
                bad = 1;
                break;
            }
            bad |= unpack_block(bc, b0, b1, buf, n) != 0;
            if (owner != 0)
                free(buf);
            if (!bad) {
                reduce_block(bc, b0, b1);
                /* the blocks gathered so far are done for certain; the
                 * estimate may be ahead of them (exact once all are in) */
                int64_t est = mpi_estimate(bc);
                maybe_progress(o, &cx->last_progress, run->S, si,
                               b1 < est ? est : b1, R, t0,
                               b1 < R ? o->ranks : 0);
            }
        }
    }
    for (int64_t bi = 0; mine != NULL && bi < nblocks; bi++)
        free(mine[bi]);
    free(mine);
    free(len);
    return bad ? -1 : 0;
}

/* A checkpoint's description: the model's arrays. */
static rp_ckpt_io ckpt_io(const rp_model_ops *ops, void *ctx,
                          const rp_mc_run *run)
{
    rp_ckpt_io io = {
        run->S,           run->N,          run->T, run->R, ops->model_version,
        ops->ckpt_chunks, ops->ckpt_check, ctx};
    return io;
}

/* Run strategy si's replications from `start`. */
static rp_status run_strategy(const rp_model_ops *ops, void *ctx,
                              const void *sm, int si, rp_mc_run *run,
                              const rp_mc_opts *o, double t0, int64_t start,
                              run_ctx *cx, rp_errors *err)
{
    const int64_t R = run->R;
    block_ctx bc = {ops,
                    ctx,
                    sm,
                    o,
                    si,
                    (char *)run->rep + (size_t)si * (size_t)R * ops->rec_bytes,
                    ops->rec_bytes,
                    run->series,
                    run->T,
                    ops->lanes(ctx, sm),
                    calloc(BLOCK, sizeof(void *)),
                    calloc(BLOCK, sizeof(size_t)),
                    calloc(BLOCK, 1),
                    &cx->last_progress,
                    t0,
                    run->S,
                    R,
                    0,
                    0};
    int failed = bc.outs == NULL || bc.nout == NULL || bc.ready == NULL,
        stopped = 0;
    if (bc.K < 1 || bc.K > RP_MC_MAX_LANES || BLOCK % bc.K != 0)
        failed = 1;

    if (o->ranks > 1 && !failed) {
        failed = run_distributed(&bc, run, cx, t0) != 0;
    } else {
        for (int64_t b0 = start; b0 < R && !failed && !stopped; b0 += BLOCK) {
            int64_t b1 = b0 + BLOCK < R ? b0 + BLOCK : R;
            if (compute_block(&bc, b0, b1, 1) != 0) {
                failed = 1;
                break;
            }
            maybe_progress(o, &cx->last_progress, run->S, si, b1, R, t0, 0);
            /* a checkpoint every minute (or, for huge runs, at most 5% of
             * the time spent writing them), and when asked to stop */
            int stop = stop_requested ||
                       (o->stop_after > 0 &&
                        cx->done_before + b1 >= o->stop_after && b1 < R);
            double every = 20 * cx->write_cost > 60 ? 20 * cx->write_cost : 60;
            if (o->checkpoint != NULL &&
                (stop || now_s() - cx->last_write > every)) {
                cx->st.strategy = si;
                cx->st.next = b1;
                double w0 = now_s();
                rp_ckpt_io io = ckpt_io(ops, ctx, run);
                if (rp_ckpt_write(o->checkpoint, &cx->st, &io, err) != RP_OK)
                    failed = 2;
                cx->last_write = now_s();
                cx->write_cost = cx->last_write - w0;
            }
            if (stop)
                stopped = 1;
        }
    }
    if (!failed && !stopped && o->rank == 0 &&
        (ops->strategy_end(ctx, si) != 0 || finish_strategy(o, run, si) != 0))
        failed = 1;
    for (int k = 0; k < BLOCK && bc.outs; k++)
        free(bc.outs[k]);
    free(bc.outs);
    free(bc.nout);
    free(bc.ready);
    if (failed == 2)
        return RP_ERUNTIME;
    if (failed)
        return rp_err_runtime(err, "out of memory or message failure during "
                                   "replications");
    if (stopped)
        return RP_ESTOPPED;
    return RP_OK;
}

rp_status rp_mc_run_all(const rp_model_ops *ops, void *ctx, rp_mc_run *run,
                        const rp_mc_opts *o, rp_errors *err)
{
    run_ctx cx;
    memset(&cx, 0, sizeof cx);
    const int S = run->S;
    const int64_t R = run->R;
    memcpy(cx.st.fingerprint, run->fingerprint, sizeof cx.st.fingerprint);
    int si0 = 0;
    int64_t next0 = 0;
    if (o->resume) {
        if (o->checkpoint == NULL)
            return rp_err_add(err, "--resume needs a checkpoint file");
        rp_ckpt_io io = ckpt_io(ops, ctx, run);
        if (rp_ckpt_read(o->checkpoint, &cx.st, &io, err) != RP_OK)
            return rp_err_status(err);
        si0 = cx.st.strategy;
        next0 = cx.st.next;
    }

    double t0 = now_s();
    cx.last_write = t0;
    cx.last_progress = t0;
    for (int si = si0; si < S; si++) {
        void *sm = NULL;
        rp_status st = ops->strategy_new(ctx, si, &sm, err);
        if (st != RP_OK)
            return st;
        int64_t start = si == si0 ? next0 : 0;
        if (start == 0)
            ops->strategy_begin(ctx, si);
        cx.done_before = (int64_t)si * R;
        st = run_strategy(ops, ctx, sm, si, run, o, t0, start, &cx, err);
        ops->strategy_free(ctx, sm);
        if (st == RP_ESTOPPED) {
            if (o->progress == RP_PROGRESS_TTY)
                fprintf(stderr, "\n");
            rp_err_runtime(err,
                           "stopped after %s of %s replications; "
                           "the checkpoint %s lets `ripple run --resume` "
                           "carry on",
                           RP_COUNT(cx.done_before + cx.st.next),
                           RP_COUNT((long long)R * S),
                           o->checkpoint ? o->checkpoint : "(none)");
            return RP_ESTOPPED;
        }
        if (st != RP_OK)
            return st;
    }
    run->seconds = now_s() - t0;
    run->ran = (int64_t)S * R - ((int64_t)si0 * R + next0);
    if (o->progress == RP_PROGRESS_TTY)
        fprintf(stderr, "\n");
    return RP_OK;
}
