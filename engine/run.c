#define _POSIX_C_SOURCE 200809L
/* Replication loop.
 *
 * Replications run in blocks of BLOCK; within a block, threads take groups
 * of K replications (the lanes of one flow run, fixed by replication
 * number) on a dynamic schedule.  Each replication writes only its own
 * slots, and everything summed across replications is summed afterwards in
 * replication order.  That is what makes the results independent of the
 * thread (and rank) count. */
#include "ripple/run.h"

#include <gsl/gsl_sort.h>
#include <math.h>

#include "ripple/util.h"
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ripple/checkpoint.h"
#include "ripple/par.h"
#include "ripple/register.h"
#include "ripple/rng.h"
#include "ripple/stats.h"
#include "ripple/strategy.h"

const double rp_quantile_levels[RP_NQUANT] = {0.05, 0.25, 0.5, 0.75, 0.95};

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
    rp_acc acc;
    double last_write, write_cost;
    int64_t done_before;  /* replications of earlier strategies */
    double last_progress; /* when progress was last printed */
} run_ctx;

void rp_results_free(rp_results *r)
{
    if (r == NULL)
        return;
    free(r->rep);
    free(r->node_dis_mean);
    free(r->node_p_dis);
    free(r->node_imp_mean);
    free(r->node_p_imp);
    free(r->node_lost_mean);
    free(r->node_crit);
    free(r->sl_mean);
    free(r->sl_q);
    free(r->sl_below);
    free(r->reg_alone);
    free(r->reg_marg);
    free(r->reg_shap);
    free(r->reg_nev);
    free(r->reg_att);
    free(r->reg_sampled);
    free(r->ev_strategy);
    free(r->ev_threat);
    free(r->ev_target);
    free(r->ev_onset);
    free(r->ev_duration);
    free(r->ev_rep);
    free(r->ev_kind);
    free(r->ev_profile);
    free(r->ev_severity);
    free(r->x0);
    free(r->cap);
    free(r->ninv);
    free(r->edge_f0);
    free(r->edge_share);
    free(r);
}

typedef struct {
    int32_t node, dis, imp;
    double lostv;
} node_rec;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void progress(int mode, int S, int s, int64_t done, int64_t R,
                     double t0)
{
    double el = now_s() - t0;
    double total = (double)S * (double)R;
    double fin = (double)s * (double)R + (double)done;
    double rate = el > 0 ? fin / el : 0;
    double eta = rate > 0 ? (total - fin) / rate : 0;
    if (mode == RP_PROGRESS_LOG)
        fprintf(stderr,
                "ripple: progress: strategy %d/%d, replications %lld/%lld; "
                "%.0f of %.0f done (%.0f%%) in %.0f s, %.0f rep/s, ETA %.0f "
                "s\n",
                s + 1, S, (long long)done, (long long)R, fin, total,
                total > 0 ? 100 * fin / total : 100, el, rate, eta);
    else
        fprintf(stderr,
                "\r  strategy %d/%d  replications %lld/%lld  %.0f rep/s  "
                "ETA %.0f s   ",
                s + 1, S, (long long)done, (long long)R, rate, eta);
    fflush(stderr);
}

/* Progress after a block: on a terminal at most 4 times a second and at
 * the end of a strategy; in a log every o->progress_every seconds. */
static void maybe_progress(const rp_run_opts *o, double *last, int S, int s,
                           int64_t done, int64_t R, double t0)
{
    if (!o->progress)
        return;
    double now = now_s();
    if (o->progress == RP_PROGRESS_LOG) {
        double every =
            o->progress_every > 0 ? o->progress_every : RP_PROGRESS_EVERY;
        if (now - *last < every)
            return;
    } else if (!(now - *last > 0.25 || done == R)) {
        return;
    }
    progress(o->progress, S, s, done, R, t0);
    *last = now_s();
}

/* Lanes unless asked otherwise (see rp_flow_lanes_for). */
static int lanes_for(const rp_model *m, const rp_run_opts *o)
{
    if (o->lanes == 1 || o->lanes == RP_LANES)
        return o->lanes;
    return rp_flow_lanes_for(m);
}

/* Run one strategy's replications; fills its slices of res. */
/* What a block of replications needs while it runs. */
typedef struct {
    const rp_scenario *sc;
    const rp_model *m;
    const rp_run_opts *o;
    void **preps;
    rp_metrics *rep; /* this strategy's replications */
    double *sl;      /* [R][T] daily service levels */
    int T, N, K;
    node_rec **recs; /* [B] per replication of the block */
    int *nrec;
    /* this strategy's register rows ([R][NT]; NULL without register) */
    int NT;
    double *reg_alone, *reg_marg, *reg_shap;
    int32_t *reg_nev, *reg_att, *reg_sampled;
} block_ctx;

/* The register of one replication: events and attempts per threat, and
 * the subsets of its active threats simulated.  -1 out of memory. */
static int register_rep(block_ctx *bc, rp_reg_ws *rw, int64_t r,
                        const rp_evbuf *eb, const int32_t *att)
{
    const int NT = bc->NT;
    const size_t o = (size_t)r * (size_t)NT;
    for (int k = 0; k < NT; k++) {
        bc->reg_nev[o + k] = 0;
        bc->reg_att[o + k] = att[k];
    }
    for (int e = 0; e < eb->n; e++) {
        const rp_event *ev = &eb->ev[e];
        /* counted as the `events` metric counts them */
        if (ev->onset < bc->T && ev->onset + ev->duration > 0 &&
            ev->duration >= 1 && !ev->shared && ev->threat >= 0 &&
            ev->threat < NT)
            bc->reg_nev[o + ev->threat]++;
    }
    int sampled = 0;
    int n = rp_reg_replication(
        rw, eb->ev, eb->n, bc->T, bc->rep[r].lost_value, bc->sc->seed,
        (uint64_t)r, bc->reg_alone + o, bc->reg_marg + o,
        bc->reg_shap ? bc->reg_shap + o : NULL, &sampled);
    bc->reg_sampled[r] = sampled;
    return n < 0 ? -1 : 0;
}

/* Simulate replications b0 .. b1-1 (parallel, OpenMP).  -1 on failure. */
static int compute_block(block_ctx *bc, int64_t b0, int64_t b1)
{
    const rp_scenario *sc = bc->sc;
    const rp_model *m = bc->m;
    const int T = bc->T, N = bc->N, K = bc->K;
    int failed = 0;
#pragma omp parallel num_threads(bc->o->threads > 0 ? bc->o->threads          \
                                                    : omp_get_max_threads())
    {
        rp_flow_ws *w = rp_flow_ws_new_lanes(m, K);
        gsl_rng *rng = gsl_rng_alloc(rp_rng_philox);
        rp_evbuf eb[RP_LANES];
        memset(eb, 0, sizeof eb);
        const int reg = bc->reg_alone != NULL;
        rp_reg_ws *rw =
            reg ? rp_reg_ws_new(m, bc->NT, bc->o->reg, K, bc->o->dense) : NULL;
        int32_t *att =
            reg ? calloc((size_t)RP_LANES * (size_t)bc->NT, sizeof *att)
                : NULL;
        if (w != NULL)
            rp_flow_set_options(w, bc->o->dense, INFINITY);
        if (w == NULL || rng == NULL || (reg && (rw == NULL || att == NULL))) {
#pragma omp atomic write
            failed = 1;
        }
        /* lanes hold replications r0 .. r0+K-1: fixed by replication
         * number, whatever the thread or rank count */
#pragma omp for schedule(dynamic, 1)
        for (int64_t r0 = b0; r0 < b1; r0 += K) {
            int bad;
#pragma omp atomic read
            bad = failed;
            if (bad)
                continue;
            int used = (int)(b1 - r0 < K ? b1 - r0 : K);
            const rp_event *evp[RP_LANES];
            int nev[RP_LANES];
            double *slp[RP_LANES];
            for (int l = 0; l < used && !bad; l++) {
                int64_t r = r0 + l;
                if (rp_run_events(sc, m, bc->preps, r, rng, &eb[l],
                                  reg ? att + (size_t)l * (size_t)bc->NT
                                      : NULL) != 0)
                    bad = 1;
                evp[l] = eb[l].ev;
                nev[l] = eb[l].n;
                slp[l] = bc->sl + (size_t)r * (size_t)T;
            }
            if (bad || rp_flow_run_lanes(m, w, used, evp, nev, T, &bc->rep[r0],
                                         slp) != RP_OK) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            for (int l = 0; l < used; l++) {
                int64_t r = r0 + l;
                rp_flow_nodes nr = rp_flow_node_results_lane(w, l);
                int cnt = 0;
                for (int i = 0; i < N; i++)
                    cnt += nr.disrupted_days[i] > 0 ||
                           nr.impacted_days[i] > 0 || nr.lost_value[i] != 0;
                node_rec *rc = malloc((size_t)(cnt ? cnt : 1) * sizeof *rc);
                if (rc == NULL) {
#pragma omp atomic write
                    failed = 1;
                    break;
                }
                int k = 0;
                for (int i = 0; i < N; i++) {
                    if (nr.disrupted_days[i] > 0 || nr.impacted_days[i] > 0 ||
                        nr.lost_value[i] != 0) {
                        rc[k].node = i;
                        rc[k].dis = nr.disrupted_days[i];
                        rc[k].imp = nr.impacted_days[i];
                        rc[k].lostv = nr.lost_value[i];
                        k++;
                    }
                }
                bc->recs[r - b0] = rc;
                bc->nrec[r - b0] = cnt;
                if (reg &&
                    register_rep(bc, rw, r, &eb[l],
                                 att + (size_t)l * (size_t)bc->NT) != 0) {
#pragma omp atomic write
                    failed = 1;
                    break;
                }
            }
        }
        rp_reg_ws_free(rw);
        free(att);
        for (int l = 0; l < RP_LANES; l++)
            rp_evbuf_free(&eb[l]);
        gsl_rng_free(rng);
        rp_flow_ws_free(w);
    }
    return failed ? -1 : 0;
}

/* Add a block's per-node records to the running sums, in replication
 * order, and free them. */
static void reduce_block(block_ctx *bc, rp_acc *acc, int64_t b0, int64_t b1)
{
    for (int64_t r = b0; r < b1; r++) {
        node_rec *rc = bc->recs[r - b0];
        if (rc == NULL)
            continue;
        for (int k = 0; k < bc->nrec[r - b0]; k++) {
            int i = rc[k].node;
            acc->dis_sum[i] += rc[k].dis;
            acc->imp_sum[i] += rc[k].imp;
            acc->dis_cnt[i] += rc[k].dis > 0;
            acc->imp_cnt[i] += rc[k].imp > 0;
            acc->lost_sum[i] += rc[k].lostv;
            if (rc[k].dis > 0)
                acc->crit_sum[i] += bc->rep[r].lost_value;
        }
        free(rc);
        bc->recs[r - b0] = NULL;
    }
}

/* The register rows of `reps` replications in a block message. */
static size_t reg_bytes(const block_ctx *bc, size_t reps)
{
    if (bc->reg_alone == NULL)
        return 0;
    size_t rows = reps * (size_t)bc->NT;
    return rows * (3 * sizeof(double) + 2 * sizeof(int32_t)) +
           reps * sizeof(int32_t);
}

/* Copy them into the message at p (out = 1) or out of it; returns the
 * position after them. */
static char *reg_copy(block_ctx *bc, int64_t b0, size_t reps, char *p, int out)
{
    if (bc->reg_alone == NULL)
        return p;
    size_t o = (size_t)b0 * (size_t)bc->NT, rows = reps * (size_t)bc->NT;
    struct {
        void *a;
        size_t bytes;
    } part[6] = {
        {bc->reg_alone + o, rows * sizeof(double)},
        {bc->reg_marg + o, rows * sizeof(double)},
        {bc->reg_shap ? (void *)(bc->reg_shap + o) : NULL,
         rows * sizeof(double)},
        {bc->reg_nev + o, rows * sizeof(int32_t)},
        {bc->reg_att + o, rows * sizeof(int32_t)},
        {bc->reg_sampled + b0, reps * sizeof(int32_t)},
    };
    for (int q = 0; q < 6; q++) {
        if (part[q].a != NULL) {
            if (out)
                memcpy(p, part[q].a, part[q].bytes);
            else
                memcpy(part[q].a, p, part[q].bytes);
        }
        p += part[q].bytes; /* (an unused Shapley part travels as is) */
    }
    return p;
}

/* A finished block as one message: its metrics, daily service levels and
 * per-node records (MPI runs send it to rank 0). */
static void *pack_block(block_ctx *bc, int64_t b0, int64_t b1, size_t *n)
{
    size_t reps = (size_t)(b1 - b0), total = 0;
    for (size_t q = 0; q < reps; q++)
        total += (size_t)bc->nrec[q];
    *n = reps * sizeof(rp_metrics) + reps * (size_t)bc->T * sizeof(double) +
         reps * sizeof(int) + total * sizeof(node_rec) + reg_bytes(bc, reps);
    char *buf = malloc(*n ? *n : 1), *p = buf;
    if (buf == NULL)
        return NULL;
    memcpy(p, &bc->rep[b0], reps * sizeof(rp_metrics));
    p += reps * sizeof(rp_metrics);
    p = reg_copy(bc, b0, reps, p, 1);
    memcpy(p, bc->sl + (size_t)b0 * (size_t)bc->T,
           reps * (size_t)bc->T * sizeof(double));
    p += reps * (size_t)bc->T * sizeof(double);
    memcpy(p, bc->nrec, reps * sizeof(int));
    p += reps * sizeof(int);
    for (size_t q = 0; q < reps; q++) {
        memcpy(p, bc->recs[q], (size_t)bc->nrec[q] * sizeof(node_rec));
        p += (size_t)bc->nrec[q] * sizeof(node_rec);
        free(bc->recs[q]);
        bc->recs[q] = NULL;
    }
    return buf;
}

static int unpack_block(block_ctx *bc, int64_t b0, int64_t b1, const char *p,
                        size_t n)
{
    size_t reps = (size_t)(b1 - b0);
    size_t head = reps * sizeof(rp_metrics) +
                  reps * (size_t)bc->T * sizeof(double) + reps * sizeof(int) +
                  reg_bytes(bc, reps);
    if (n < head)
        return -1;
    memcpy(&bc->rep[b0], p, reps * sizeof(rp_metrics));
    p += reps * sizeof(rp_metrics);
    p = (const char *)reg_copy(bc, b0, reps, (char *)p, 0);
    memcpy(bc->sl + (size_t)b0 * (size_t)bc->T, p,
           reps * (size_t)bc->T * sizeof(double));
    p += reps * (size_t)bc->T * sizeof(double);
    memcpy(bc->nrec, p, reps * sizeof(int));
    p += reps * sizeof(int);
    size_t left = n - head;
    for (size_t q = 0; q < reps; q++) {
        size_t k = (size_t)bc->nrec[q] * sizeof(node_rec);
        if (k > left)
            return -1;
        bc->recs[q] = malloc(k ? k : 1);
        if (bc->recs[q] == NULL)
            return -1;
        memcpy(bc->recs[q], p, k);
        p += k;
        left -= k;
    }
    return 0;
}

/* Node means and the daily service level bands of a finished strategy
 * (target: the service target, for the share of replications below it). */
static int finish_strategy(const rp_run_opts *o, rp_results *res, int si,
                           const double *sl, const rp_acc *acc, double target)
{
    const int64_t R = res->R;
    const int T = res->T, N = res->N;
    size_t off = (size_t)si * (size_t)N;
    double dR = (double)R;
    for (int i = 0; i < N; i++) {
        res->node_dis_mean[off + i] = (double)acc->dis_sum[i] / dR;
        res->node_p_dis[off + i] = (double)acc->dis_cnt[i] / dR;
        res->node_imp_mean[off + i] = (double)acc->imp_sum[i] / dR;
        res->node_p_imp[off + i] = (double)acc->imp_cnt[i] / dR;
        res->node_lost_mean[off + i] = acc->lost_sum[i] / dR;
        res->node_crit[off + i] =
            acc->dis_cnt[i] > 0 ? acc->crit_sum[i] / (double)acc->dis_cnt[i]
                                : NAN;
    }
    double *sl_mean = res->sl_mean + (size_t)si * (size_t)T;
    double *sl_q = res->sl_q + (size_t)si * (size_t)T * RP_NQUANT;
    double *sl_below = res->sl_below + (size_t)si * (size_t)T;
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
                col[r] = sl[(size_t)r * (size_t)T + (size_t)t];
                sum += col[r];
                below += col[r] < target; /* as days_below_target counts */
            }
            sl_mean[t] = sum / (double)R;
            sl_below[t] = (double)below / (double)R;
            gsl_sort(col, 1, (size_t)R);
            for (int q = 0; q < RP_NQUANT; q++)
                sl_q[(size_t)t * RP_NQUANT + (size_t)q] =
                    col[rp_nearest_rank((size_t)R, rp_quantile_levels[q])];
        }
        free(col);
    }
    return qfail ? -1 : 0;
}

#define BLOCK 256 /* replications a block: a multiple of RP_LANES */

/* Across MPI ranks: every rank simulates the blocks b with b mod ranks ==
 * rank, then rank 0 takes all blocks in order and reduces them exactly as
 * a single process would, so any rank count gives the same bits. */
static int run_distributed(block_ctx *bc, rp_results *res, int si, run_ctx *cx,
                           double t0)
{
    rp_acc *acc = &cx->acc;
    const rp_run_opts *o = bc->o;
    const int64_t R = res->R;
    int64_t nblocks = (R + BLOCK - 1) / BLOCK;
    void **mine = calloc((size_t)nblocks, sizeof *mine);
    size_t *len = calloc((size_t)nblocks, sizeof *len);
    int bad = mine == NULL || len == NULL;
    for (int64_t bi = o->rank; bi < nblocks && !bad; bi += o->ranks) {
        int64_t b0 = bi * BLOCK, b1 = b0 + BLOCK < R ? b0 + BLOCK : R;
        if (compute_block(bc, b0, b1) != 0 ||
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
                reduce_block(bc, acc, b0, b1);
                maybe_progress(o, &cx->last_progress, res->S, si, b1, R, t0);
            }
        }
    }
    for (int64_t bi = 0; mine != NULL && bi < nblocks; bi++)
        free(mine[bi]);
    free(mine);
    free(len);
    return bad ? -1 : 0;
}

/* Run one strategy's replications from `start`; fills its slices of res. */
static rp_status run_strategy(const rp_scenario *sc, const rp_model *m, int si,
                              const rp_run_opts *o, rp_results *res,
                              double *sl, double t0, int64_t start,
                              run_ctx *cx, rp_errors *err)
{
    const int64_t R = res->R;
    void **preps = NULL;
    rp_status st =
        rp_threats_prepare(sc->threats, sc->n_threats, m, &preps, err);
    if (st != RP_OK)
        return st;
    block_ctx bc = {sc,
                    m,
                    o,
                    preps,
                    res->rep + (size_t)si * (size_t)R,
                    sl,
                    res->T,
                    res->N,
                    lanes_for(m, o),
                    calloc(BLOCK, sizeof(node_rec *)),
                    calloc(BLOCK, sizeof(int)),
                    res->NT,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL,
                    NULL};
    if (res->reg_alone != NULL) {
        size_t ro = (size_t)si * (size_t)R * (size_t)res->NT;
        bc.reg_alone = res->reg_alone + ro;
        bc.reg_marg = res->reg_marg + ro;
        bc.reg_shap = res->reg_shap ? res->reg_shap + ro : NULL;
        bc.reg_nev = res->reg_nev + ro;
        bc.reg_att = res->reg_att + ro;
        bc.reg_sampled = res->reg_sampled + (size_t)si * (size_t)R;
    }
    int failed = bc.recs == NULL || bc.nrec == NULL, stopped = 0;

    if (o->ranks > 1 && !failed) {
        failed = run_distributed(&bc, res, si, cx, t0) != 0;
    } else {
        for (int64_t b0 = start; b0 < R && !failed && !stopped; b0 += BLOCK) {
            int64_t b1 = b0 + BLOCK < R ? b0 + BLOCK : R;
            if (compute_block(&bc, b0, b1) != 0) {
                failed = 1;
                break;
            }
            reduce_block(&bc, &cx->acc, b0, b1);
            maybe_progress(o, &cx->last_progress, res->S, si, b1, R, t0);
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
                if (rp_ckpt_write(o->checkpoint, &cx->st, res, &cx->acc, sl,
                                  err) != RP_OK)
                    failed = 2;
                cx->last_write = now_s();
                cx->write_cost = cx->last_write - w0;
            }
            if (stop)
                stopped = 1;
        }
    }
    if (!failed && !stopped && o->rank == 0 &&
        finish_strategy(o, res, si, sl, &cx->acc, sc->par.service_target) != 0)
        failed = 1;
    for (int k = 0; k < BLOCK && bc.recs; k++)
        free(bc.recs[k]);
    free(bc.recs);
    free(bc.nrec);
    rp_threats_release(sc->threats, sc->n_threats, preps);
    if (failed == 2)
        return RP_ERUNTIME;
    if (failed)
        return rp_err_runtime(err, "out of memory or message failure during "
                                   "replications");
    if (stopped)
        return RP_ESTOPPED;
    return RP_OK;
}

rp_status rp_run_model(const rp_scenario *s, int si, rp_model **m,
                       rp_errors *err)
{
    const rp_network *net =
        s->strategies[si].net ? s->strategies[si].net : s->net;
    return rp_model_build(net, &s->par, m, err);
}

int rp_run_events(const rp_scenario *s, const rp_model *m, void *const *preps,
                  int64_t r, gsl_rng *rng, rp_evbuf *out, int32_t *attempts)
{
    return rp_threats_sample_counts(s->threats, s->n_threats, preps, m,
                                    s->seed, (uint64_t)r, s->horizon, rng, out,
                                    attempts);
}

/* The event log: every strategy's events of every replication, sampled
 * again (threats draw from streams keyed by seed, replication and threat,
 * so these are the events the replications ran on), in replication order.
 * -1 on failure. */
static int event_log(const rp_scenario *s, rp_results *res, rp_errors *err)
{
    const int T = res->T;
    int64_t cap = 0;
    gsl_rng *rng = gsl_rng_alloc(rp_rng_philox);
    rp_evbuf eb = {0};
    int bad = rng == NULL;
    for (int si = 0; si < res->S && !bad; si++) {
        rp_model *m = NULL;
        void **preps = NULL;
        if (rp_run_model(s, si, &m, err) != RP_OK ||
            rp_threats_prepare(s->threats, s->n_threats, m, &preps, err) !=
                RP_OK) {
            rp_model_free(m);
            bad = 1;
            break;
        }
        for (int64_t r = 0; r < res->R && !bad; r++) {
            if (rp_run_events(s, m, preps, r, rng, &eb, NULL) != 0) {
                bad = 1;
                break;
            }
            for (int e = 0; e < eb.n && !bad; e++) {
                const rp_event *ev = &eb.ev[e];
                if (ev->onset >= T || ev->onset + ev->duration <= 0 ||
                    ev->duration < 1)
                    continue;
                if (res->n_ev == cap) {
                    int64_t nc = cap ? 2 * cap : 4096;
#define GROW(p)                                                               \
    do {                                                                      \
        void *q_ = realloc(p, (size_t)nc * sizeof *(p));                      \
        if (q_ == NULL)                                                       \
            bad = 1;                                                          \
        else                                                                  \
            (p) = q_;                                                         \
    } while (0)
                    GROW(res->ev_strategy);
                    GROW(res->ev_threat);
                    GROW(res->ev_target);
                    GROW(res->ev_onset);
                    GROW(res->ev_duration);
                    GROW(res->ev_rep);
                    GROW(res->ev_kind);
                    GROW(res->ev_profile);
                    GROW(res->ev_severity);
#undef GROW
                    if (bad)
                        break;
                    cap = nc;
                }
                int64_t q = res->n_ev++;
                res->ev_strategy[q] = si;
                res->ev_rep[q] = r;
                res->ev_threat[q] = ev->threat;
                res->ev_kind[q] = ev->is_edge;
                res->ev_target[q] = ev->target;
                res->ev_onset[q] = ev->onset;
                res->ev_duration[q] = ev->duration;
                res->ev_severity[q] = ev->severity;
                res->ev_profile[q] = ev->profile;
            }
        }
        rp_threats_release(s->threats, s->n_threats, preps);
        rp_model_free(m);
    }
    rp_evbuf_free(&eb);
    if (rng != NULL)
        gsl_rng_free(rng);
    if (bad && rp_err_status(err) == RP_OK)
        rp_err_runtime(err, "out of memory writing the event log");
    return bad ? -1 : 0;
}

#define RALLOC(p, n) RP_CALLOC_OR(p, n, goto oom)
#define NT_OR1(s) ((s)->n_threats > 0 ? (s)->n_threats : 1)

static void free_acc(rp_acc *a)
{
    free(a->dis_sum);
    free(a->imp_sum);
    free(a->dis_cnt);
    free(a->imp_cnt);
    free(a->lost_sum);
    free(a->crit_sum);
    memset(a, 0, sizeof *a);
}

rp_status rp_run(const rp_scenario *s, const rp_run_opts *o, rp_results **out,
                 rp_errors *err)
{
    *out = NULL;
    rp_results *res = calloc(1, sizeof *res);
    double *sl = NULL;
    run_ctx cx;
    memset(&cx, 0, sizeof cx);
    if (res == NULL)
        return rp_err_runtime(err, "out of memory");
    int S = s->n_strategies, N = s->net->n_nodes, E = s->net->n_edges;
    int T = s->horizon;
    int64_t R = s->replications;
    res->S = S;
    res->N = N;
    res->E = E;
    res->T = T;
    res->R = R;
    RALLOC(res->rep, (size_t)S * (size_t)R);
    RALLOC(res->node_dis_mean, (size_t)S * (size_t)N);
    RALLOC(res->node_p_dis, (size_t)S * (size_t)N);
    RALLOC(res->node_imp_mean, (size_t)S * (size_t)N);
    RALLOC(res->node_p_imp, (size_t)S * (size_t)N);
    RALLOC(res->node_lost_mean, (size_t)S * (size_t)N);
    RALLOC(res->node_crit, (size_t)S * (size_t)N);
    RALLOC(res->sl_mean, (size_t)S * (size_t)T);
    RALLOC(res->sl_q, (size_t)S * (size_t)T * RP_NQUANT);
    RALLOC(res->sl_below, (size_t)S * (size_t)T);
    res->NT = s->n_threats;
    res->reg = o->reg;
    if (o->reg != RP_REG_NONE) {
        if (s->n_threats > RP_REG_MAX_THREATS) {
            rp_err_add(err,
                       "the risk register handles at most %d threats (this "
                       "scenario has %d): run with --register none",
                       RP_REG_MAX_THREATS, s->n_threats);
            goto fail;
        }
        size_t rows = (size_t)S * (size_t)R * (size_t)(NT_OR1(s));
        RALLOC(res->reg_alone, rows);
        RALLOC(res->reg_marg, rows);
        if (o->reg == RP_REG_SHAPLEY)
            RALLOC(res->reg_shap, rows);
        RALLOC(res->reg_nev, rows);
        RALLOC(res->reg_att, rows);
        RALLOC(res->reg_sampled, (size_t)S * (size_t)R);
    }
    RALLOC(res->x0, N);
    RALLOC(res->cap, N);
    RALLOC(res->ninv, N);
    RALLOC(res->edge_f0, E);
    RALLOC(res->edge_share, E);
    sl = malloc((size_t)R * (size_t)T * sizeof *sl);
    if (sl == NULL)
        goto oom;
    RALLOC(cx.acc.dis_sum, N);
    RALLOC(cx.acc.imp_sum, N);
    RALLOC(cx.acc.dis_cnt, N);
    RALLOC(cx.acc.imp_cnt, N);
    RALLOC(cx.acc.lost_sum, N);
    RALLOC(cx.acc.crit_sum, N);

    /* the run's identity: resolved scenario (seed, replications, horizon
     * included) and the options that decide the arithmetic */
    {
        char *js = rp_scenario_resolved_json(s);
        if (js == NULL)
            goto oom;
        size_t n = strlen(js);
        char *id = malloc(n + 64);
        if (id == NULL) {
            free(js);
            goto oom;
        }
        int w = snprintf(id, n + 64, "%s|dense=%d|lanes=%d|register=%d", js,
                         o->dense, o->lanes, o->reg);
        free(js);
        int bad = rp_sha256_hex(id, (size_t)w, cx.st.fingerprint) != 0;
        free(id);
        if (bad)
            goto oom;
    }
    int si0 = 0;
    int64_t next0 = 0;
    if (o->resume) {
        if (o->checkpoint == NULL) {
            rp_err_add(err, "--resume needs a checkpoint file");
            goto fail;
        }
        if (rp_ckpt_read(o->checkpoint, &cx.st, res, &cx.acc, sl, err) !=
            RP_OK)
            goto fail;
        si0 = cx.st.strategy;
        next0 = cx.st.next;
    }

    /* what /network reports: the baseline strategy's model */
    {
        rp_model *m = NULL;
        if (rp_model_build(s->net, &s->par, &m, err) != RP_OK)
            goto fail;
        memcpy(res->x0, m->x0, (size_t)N * sizeof(double));
        memcpy(res->cap, m->cap, (size_t)N * sizeof(double));
        memcpy(res->ninv, m->ninv, (size_t)N * sizeof(double));
        for (int q = 0; q < m->E; q++) {
            res->edge_f0[m->e_orig[q]] = m->e_f0[q];
            res->edge_share[m->e_orig[q]] = m->e_share[q];
        }
        rp_model_free(m);
    }

    double t0 = now_s();
    cx.last_write = t0;
    cx.last_progress = t0;
    for (int si = si0; si < S; si++) {
        rp_model *m = NULL;
        rp_status st = rp_run_model(s, si, &m, err);
        if (st != RP_OK)
            goto fail;
        int64_t start = si == si0 ? next0 : 0;
        if (start == 0) {
            memset(cx.acc.dis_sum, 0, (size_t)N * sizeof(int64_t));
            memset(cx.acc.imp_sum, 0, (size_t)N * sizeof(int64_t));
            memset(cx.acc.dis_cnt, 0, (size_t)N * sizeof(int64_t));
            memset(cx.acc.imp_cnt, 0, (size_t)N * sizeof(int64_t));
            memset(cx.acc.lost_sum, 0, (size_t)N * sizeof(double));
            memset(cx.acc.crit_sum, 0, (size_t)N * sizeof(double));
        }
        cx.done_before = (int64_t)si * R;
        st = run_strategy(s, m, si, o, res, sl, t0, start, &cx, err);
        rp_model_free(m);
        if (st == RP_ESTOPPED) {
            if (o->progress == RP_PROGRESS_TTY)
                fprintf(stderr, "\n");
            rp_err_runtime(err,
                           "stopped after %lld of %lld replications; "
                           "the checkpoint %s lets `ripple run --resume` "
                           "carry on",
                           (long long)(cx.done_before + cx.st.next),
                           (long long)R * S,
                           o->checkpoint ? o->checkpoint : "(none)");
            free_acc(&cx.acc);
            free(sl);
            rp_results_free(res);
            return RP_ESTOPPED;
        }
        if (st != RP_OK)
            goto fail;
    }
    free_acc(&cx.acc);
    res->seconds = now_s() - t0;
    res->events = o->events && o->rank == 0;
    if (res->events && event_log(s, res, err) != 0)
        goto fail;
    if (o->progress == RP_PROGRESS_TTY)
        fprintf(stderr, "\n");
    free(sl);
    *out = res;
    return RP_OK;
oom:
    rp_err_runtime(err, "out of memory allocating results");
fail:
    free_acc(&cx.acc);
    free(sl);
    rp_results_free(res);
    return rp_err_status(err) ? rp_err_status(err) : RP_ERUNTIME;
}
