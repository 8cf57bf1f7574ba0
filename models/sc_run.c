/* The supply-chain model behind the engine's table of functions
 * (ripple/mc.h): what a strategy prepares (its compiled model and threat
 * samplers), what a thread needs (a flow workspace, a random stream, event
 * buffers, the risk register's scratch), what a block of lanes simulates
 * (events sampled per replication, the flow kernel, per-node records and
 * register rows), how those are added up in replication order, and which
 * arrays a checkpoint holds.  rp_run is the supply chain's run on top. */
#include "ripple/run.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/register.h"
#include "ripple/rng.h"
#include "ripple/strategy.h"
#include "ripple/util.h"

/* A run: the scenario, the options, the results being filled and the
 * running per-node sums. */
typedef struct {
    const rp_scenario *s;
    const rp_run_opts *o;
    rp_results *res;
    rp_acc acc;
    double *sl; /* [R][T] the current strategy's daily service levels */
} sc_run;

/* A strategy: its model and its threats' prepared samplers. */
typedef struct {
    rp_model *m;
    void **preps;
    int K;    /* lanes */
    int mode; /* RP_FLOW_DENSE or RP_FLOW_SPARSE, for every replication */
} sc_strategy;

/* A thread's scratch. */
typedef struct {
    rp_flow_ws *w;
    gsl_rng *rng;
    rp_evbuf eb[RP_LANES];
    rp_reg_ws *rw; /* NULL without register */
    int32_t *att;  /* [RP_LANES][NT] attack attempts */
} sc_ws;

/* A node's part of a replication, when it has one. */
typedef struct {
    int32_t node, dis, imp;
    double lostv;
} node_rec;

/* A replication's output for the reduction: its node records, then (with
 * the register) its register row: alone, marg, shap (Shapley mode) [NT]
 * doubles, nev and att [NT] int32 and sampled. */
static size_t reg_bytes(const sc_run *c)
{
    if (c->res->reg_alone == NULL)
        return 0;
    size_t NT = (size_t)c->res->NT;
    return NT * (c->res->reg_shap ? 3 : 2) * sizeof(double) +
           2 * NT * sizeof(int32_t) + sizeof(int32_t);
}

/* Lanes unless asked otherwise (see rp_flow_lanes_for). */
static int lanes_for(const rp_model *m, int horizon, const rp_run_opts *o)
{
    if (o->lanes == 1 || o->lanes == RP_HALF || o->lanes == RP_LANES)
        return o->lanes;
    const int k = rp_flow_lanes_for(m, horizon, o->lane_budget);
    return o->max_lanes > 0 && k > o->max_lanes ? o->max_lanes : k;
}

/* The replications whose events choose a strategy's mode (with --dense
 * and --sparse not given: rp_flow_mode_for): always the first
 * RP_MODE_SAMPLE, however many the run has, so that replication r gives
 * the same bits in a run of any size. */
#define RP_MODE_SAMPLE 64
/* The share of node-days the pilot of strategy_mode must simulate for the
 * strategy to run dense.  Measured (one thread, 8 lanes, 128-512
 * replications, docs/performance.md): below 0.2 sparse ran 2-4.5x faster
 * but for one case, from 0.36 to 0.57 the two were within 20% but for
 * one case, from 0.6 up dense ran 1.2-2.5x faster but for one case. */
#define RP_MODE_DENSE_SHARE 0.6

static rp_status strategy_mode(const sc_run *c, sc_strategy *st,
                               rp_errors *err)
{
    const int T = c->res->T;
    st->mode = rp_flow_mode_for(st->m, c->o->dense, 0, 1, T);
    if (c->o->dense != RP_FLOW_AUTO || st->mode == RP_FLOW_DENSE)
        return RP_OK;
    gsl_rng *rng = gsl_rng_alloc(rp_rng_philox);
    rp_evbuf eb = {0}, all = {0}; /* all: the pilot's events, below */
    double hit = 0;
    int bad = rng == NULL;
    for (int64_t r = 0; r < RP_MODE_SAMPLE && !bad; r++) {
        bad = rp_run_events(c->s, st->m, st->preps, r, rng, &eb, NULL) != 0;
        if (!bad)
            hit += rp_flow_hit_days(eb.ev, eb.n, T);
        for (int q = 0; r < RP_LANES && q < eb.n && !bad; q++)
            bad = rp_evbuf_push(&all, eb.ev[q]) != 0;
        /* the sum only grows: once it makes the sample heavy, the rest of
         * the sample cannot change the choice (G100K-H, threats on every
         * node: the whole sample took 2.2 billion instructions, an eighth
         * of a run of -r 8 over 60 days; it now stops after about 17) */
        if (!bad && rp_flow_mode_for(st->m, RP_FLOW_AUTO, hit, RP_MODE_SAMPLE,
                                     T) == RP_FLOW_DENSE)
            break;
    }
    st->mode = rp_flow_mode_for(st->m, RP_FLOW_AUTO, hit, RP_MODE_SAMPLE, T);
    if (!bad && st->mode == RP_FLOW_SPARSE && hit > 0) {
        /* The pilot: one sparse lane with the events of the first
         * RP_LANES sample replications together, whose disturbed nodes
         * are about those of a block of RP_LANES lanes (the union of its
         * replications').  Dense when they reach RP_MODE_DENSE_SHARE of
         * the node-days (the pilot stops there). */
        const double limit = RP_MODE_DENSE_SHARE * (double)st->m->N * T;
        double nd = rp_flow_sparse_work(st->m, all.ev, all.n, T, limit);
        bad = nd < 0;
        if (!bad && nd >= limit)
            st->mode = RP_FLOW_DENSE;
    }
    rp_evbuf_free(&all);
    rp_evbuf_free(&eb);
    if (rng != NULL)
        gsl_rng_free(rng);
    if (bad)
        return rp_err_runtime(err, "out of memory");
    return RP_OK;
}

static rp_status sc_strategy_new(void *ctx, int si, void **out, rp_errors *err)
{
    sc_run *c = ctx;
    sc_strategy *st = calloc(1, sizeof *st);
    if (st == NULL)
        return rp_err_runtime(err, "out of memory");
    rp_status rs = rp_run_model(c->s, si, &st->m, err);
    if (rs == RP_OK)
        rs = rp_threats_prepare(c->s->threats, c->s->n_threats, st->m,
                                &st->preps, err);
    if (rs == RP_OK)
        rs = strategy_mode(c, st, err);
    if (rs != RP_OK) {
        if (st->preps != NULL)
            rp_threats_release(c->s->threats, c->s->n_threats, st->preps);
        rp_model_free(st->m);
        free(st);
        return rs;
    }
    st->K = lanes_for(st->m, c->s->horizon, c->o);
    *out = st;
    return RP_OK;
}

static void sc_strategy_free(void *ctx, void *sm)
{
    sc_run *c = ctx;
    sc_strategy *st = sm;
    if (st == NULL)
        return;
    rp_threats_release(c->s->threats, c->s->n_threats, st->preps);
    rp_model_free(st->m);
    free(st);
}

static int sc_lanes(void *ctx, const void *sm)
{
    (void)ctx;
    return ((const sc_strategy *)sm)->K;
}

static void sc_strategy_begin(void *ctx, int si)
{
    (void)si;
    sc_run *c = ctx;
    size_t N = (size_t)c->res->N;
#define ZERO_(f, t) memset(c->acc.f, 0, N * sizeof(t));
    RP_NODE_ACC(ZERO_)
#undef ZERO_
}

static void sc_ws_free(void *ctx, void *p)
{
    (void)ctx;
    sc_ws *ws = p;
    if (ws == NULL)
        return;
    rp_reg_ws_free(ws->rw);
    free(ws->att);
    for (int l = 0; l < RP_LANES; l++)
        rp_evbuf_free(&ws->eb[l]);
    if (ws->rng != NULL)
        gsl_rng_free(ws->rng);
    rp_flow_ws_free(ws->w);
    free(ws);
}

/* A thread's scratch for groups of at most `group` replications.  Its flow
 * workspace has the strategy's lanes, or fewer when no group can fill them
 * (-r 1: one lane, -r 2 .. 4: RP_HALF), so that a small run does not make
 * (and zero) eight lanes of state only to run one; the risk register's
 * runs share that workspace and batch many runs a replication, so with the
 * register on it keeps every lane.  The lanes never change results. */
static void *sc_ws_new(void *ctx, const void *sm, int group)
{
    const sc_run *c = ctx;
    const sc_strategy *st = sm;
    const int reg = c->res->reg_alone != NULL;
    int K = st->K;
    if (!reg && group == 1)
        K = 1;
    else if (!reg && group <= RP_HALF && K > RP_HALF)
        K = RP_HALF;
    sc_ws *ws = calloc(1, sizeof *ws);
    if (ws == NULL)
        return NULL;
    ws->w = rp_flow_ws_new_lanes(st->m, K);
    ws->rng = gsl_rng_alloc(rp_rng_philox);
    if (reg) {
        /* the register's runs follow the replications' in ws->w */
        ws->rw = rp_reg_ws_on(st->m, c->res->NT, c->o->reg, ws->w, st->K);
        ws->att =
            calloc((size_t)RP_LANES * (size_t)c->res->NT, sizeof *ws->att);
    }
    if (ws->w == NULL || ws->rng == NULL ||
        (reg && (ws->rw == NULL || ws->att == NULL))) {
        sc_ws_free(ctx, ws);
        return NULL;
    }
    rp_flow_set_options(ws->w, st->mode, INFINITY);
    return ws;
}

/* The register row of replication r (lane l) into p: events and attempts
 * per threat, and the subsets of its active threats simulated.  -1 out
 * of memory. */
static int register_rep(const sc_run *c, sc_ws *ws, int l, int64_t r,
                        double lost_value, char *p)
{
    const int NT = c->res->NT, T = c->res->T;
    const rp_evbuf *eb = &ws->eb[l];
    const int32_t *att = ws->att + (size_t)l * (size_t)NT;
    double *alone = (double *)(void *)p, *marg = alone + NT;
    double *shap = c->res->reg_shap ? marg + NT : NULL;
    int32_t *nev = (int32_t *)(void *)(marg + (shap ? 2 : 1) * NT);
    int32_t *natt = nev + NT, *sampled = natt + NT;
    for (int k = 0; k < NT; k++) {
        nev[k] = 0;
        natt[k] = att[k];
    }
    for (int e = 0; e < eb->n; e++) {
        const rp_event *ev = &eb->ev[e];
        /* counted as the `events` metric counts them */
        if (ev->onset < T && ev->onset + ev->duration > 0 &&
            ev->duration >= 1 && !ev->shared && ev->threat >= 0 &&
            ev->threat < NT)
            nev[ev->threat]++;
    }
    int smp = 0;
    int n =
        rp_reg_replication(ws->rw, eb->ev, eb->n, T, lost_value, c->s->seed,
                           (uint64_t)r, alone, marg, shap, &smp);
    *sampled = smp;
    return n < 0 ? -1 : 0;
}

static int sc_run_lanes(void *ctx, const void *sm, void *wsp, int64_t r0,
                        int used, void *recp, double *const *sl, void **out,
                        size_t *out_bytes)
{
    const sc_run *c = ctx;
    const sc_strategy *st = sm;
    sc_ws *ws = wsp;
    rp_metrics *rec = recp;
    const int N = c->res->N, NT = c->res->NT;
    const int reg = ws->rw != NULL;
    const rp_event *evp[RP_LANES];
    int nev[RP_LANES];
    for (int l = 0; l < used; l++) {
        out[l] = NULL;
        out_bytes[l] = 0;
    }
    for (int l = 0; l < used; l++) {
        if (rp_run_events(c->s, st->m, st->preps, r0 + l, ws->rng, &ws->eb[l],
                          reg ? ws->att + (size_t)l * (size_t)NT : NULL) != 0)
            return -1;
        evp[l] = ws->eb[l].ev;
        nev[l] = ws->eb[l].n;
    }
    if (rp_flow_run_lanes(st->m, ws->w, used, evp, nev, c->res->T, rec, sl) !=
        RP_OK)
        return -1;
    const size_t rb = reg_bytes(c);
    int cnt_of[RP_LANES];
    for (int l = 0; l < used; l++) {
        rp_flow_nodes nr = rp_flow_node_results_lane(ws->w, l);
        int cnt = 0;
        for (int i = 0; i < N; i++)
            cnt += nr.disrupted_days[i] > 0 || nr.impacted_days[i] > 0 ||
                   nr.lost_value[i] != 0;
        size_t bytes = (size_t)cnt * sizeof(node_rec) + rb;
        char *blob = malloc(bytes ? bytes : 1);
        if (blob == NULL)
            return -1;
        node_rec *rc = (node_rec *)(void *)blob;
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
        out[l] = blob;
        out_bytes[l] = bytes;
        cnt_of[l] = cnt;
    }
    /* the register runs in ws->w: after every lane's records are out */
    for (int l = 0; l < used && reg; l++)
        if (register_rep(c, ws, l, r0 + l, rec[l].lost_value,
                         (char *)out[l] +
                             (size_t)cnt_of[l] * sizeof(node_rec)) != 0)
            return -1;
    return 0;
}

/* Add replication r's node records to the running sums and put its
 * register row in place. */
static void sc_reduce(void *ctx, int si, int64_t r, const void *recp,
                      const void *out, size_t bytes)
{
    sc_run *c = ctx;
    rp_acc *acc = &c->acc;
    const rp_metrics *rec = recp;
    const size_t rb = reg_bytes(c);
    if (bytes < rb)
        return;
    size_t n = (bytes - rb) / sizeof(node_rec);
    const node_rec *rc = out;
    for (size_t k = 0; k < n; k++) {
        int i = rc[k].node;
        acc->dis_sum[i] += rc[k].dis;
        acc->imp_sum[i] += rc[k].imp;
        acc->dis_cnt[i] += rc[k].dis > 0;
        acc->imp_cnt[i] += rc[k].imp > 0;
        acc->lost_sum[i] += rc[k].lostv;
        if (rc[k].dis > 0)
            acc->crit_sum[i] += rec->lost_value;
    }
    if (rb == 0)
        return;
    rp_results *res = c->res;
    const size_t NT = (size_t)res->NT;
    const size_t row = (size_t)si * (size_t)res->R + (size_t)r;
    const char *p = (const char *)out + n * sizeof(node_rec);
    memcpy(res->reg_alone + row * NT, p, NT * sizeof(double));
    p += NT * sizeof(double);
    memcpy(res->reg_marg + row * NT, p, NT * sizeof(double));
    p += NT * sizeof(double);
    if (res->reg_shap != NULL) {
        memcpy(res->reg_shap + row * NT, p, NT * sizeof(double));
        p += NT * sizeof(double);
    }
    memcpy(res->reg_nev + row * NT, p, NT * sizeof(int32_t));
    p += NT * sizeof(int32_t);
    memcpy(res->reg_att + row * NT, p, NT * sizeof(int32_t));
    p += NT * sizeof(int32_t);
    memcpy(res->reg_sampled + row, p, sizeof(int32_t));
}

/* Node means of a finished strategy. */
static int sc_strategy_end(void *ctx, int si)
{
    const sc_run *c = ctx;
    rp_results *res = c->res;
    const rp_acc *acc = &c->acc;
    const int N = res->N;
    size_t off = (size_t)si * (size_t)N;
    double dR = (double)res->R;
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
    return 0;
}

/* The arrays of a checkpoint, in file order (layout 4 of
 * engine/checkpoint.c): writing, reading and the sizes checked on reading
 * all come from this one list; the per-node results and sums from their
 * own lists (ripple/run.h). */
#define COUNT_2(a, b) +1
#define COUNT_4(a, b, c, d) +1
enum {
    SC_NCHUNK = 1 RP_NODE_RESULTS(COUNT_4) + 2 RP_NODE_ACC(COUNT_2) + 2 + 6
};
#undef COUNT_2
#undef COUNT_4
_Static_assert(SC_NCHUNK <= RP_CKPT_MAX_CHUNKS,
               "more checkpoint arrays than a checkpoint holds");

static int chunks_of(rp_results *r, rp_acc *acc, double *sl, int64_t next,
                     rp_ckpt_chunk *c)
{
    size_t S = (size_t)r->S, N = (size_t)r->N, T = (size_t)r->T;
    size_t R = (size_t)r->R;
    size_t rows = r->reg_alone != NULL ? S * R * (size_t)r->NT : 0;
    int k = 0;
#define CHUNK_(p, n) c[k++] = (rp_ckpt_chunk){(void *)(p), (n)};
#define RESULT_(f, path, u, ln) CHUNK_(r->f, S *N * sizeof(double))
#define ACC_(f, t) CHUNK_(acc->f, N * sizeof(t))
    CHUNK_(r->rep, S * R * sizeof *r->rep)
    RP_NODE_RESULTS(RESULT_)
    CHUNK_(r->sl_mean, S * T * sizeof(double))
    CHUNK_(r->sl_q, S * T * RP_NQUANT * sizeof(double))
    RP_NODE_ACC(ACC_)
    CHUNK_(sl, (size_t)next * T * sizeof(double))
    CHUNK_(r->sl_below, S * T * sizeof(double))
    /* the risk register's rows (none without register: 0 bytes) */
    CHUNK_(r->reg_alone, rows * sizeof(double))
    CHUNK_(r->reg_marg, rows * sizeof(double))
    CHUNK_(r->reg_shap, r->reg_shap ? rows * sizeof(double) : 0)
    CHUNK_(r->reg_nev, rows * sizeof(int32_t))
    CHUNK_(r->reg_att, rows * sizeof(int32_t))
    CHUNK_(r->reg_sampled, r->reg_sampled ? S * R * sizeof(int32_t) : 0)
#undef ACC_
#undef RESULT_
#undef CHUNK_
    assert(k == SC_NCHUNK);
    return k;
}

static int sc_ckpt_chunks(void *ctx, int64_t next, rp_ckpt_chunk *c)
{
    sc_run *run = ctx;
    return chunks_of(run->res, &run->acc, run->sl, next, c);
}

static int rep_done(const rp_metrics *m)
{
    /* a simulated replication always has a fill rate > 0, or lost units
     * > 0, or a NaN fill rate: never all zero */
    for (int k = 0; k < RP_NMETRIC; k++)
        if (rp_metric_get(m, k) != 0)
            return 1;
    return 0;
}

/* Do the contents agree with the progress marker?  -1 if they do, else
 * the first replication (or node, as -2 - i) that disagrees. */
static int64_t inconsistent(const rp_ckpt_state *h, const rp_results *r,
                            const rp_acc *acc)
{
    for (int s = 0; s < r->S; s++)
        for (int64_t q = 0; q < r->R; q++) {
            int want = s < h->strategy || (s == h->strategy && q < h->next);
            if (rep_done(&r->rep[(size_t)s * (size_t)r->R + (size_t)q]) !=
                want)
                return (int64_t)s * r->R + q;
        }
    int64_t days = h->next * (int64_t)r->T;
    for (int i = 0; i < r->N; i++)
        if (acc->dis_cnt[i] < 0 || acc->dis_cnt[i] > h->next ||
            acc->imp_cnt[i] < 0 || acc->imp_cnt[i] > h->next ||
            acc->dis_sum[i] < acc->dis_cnt[i] || acc->dis_sum[i] > days ||
            acc->imp_sum[i] < acc->imp_cnt[i] || acc->imp_sum[i] > days)
            return -2 - i;
    return -1;
}

static int check_of(const rp_results *r, const rp_acc *acc,
                    const rp_ckpt_state *h, const char *path, rp_errors *err)
{
    int64_t bad = inconsistent(h, r, acc);
    if (bad >= 0) {
        rp_err_add(err,
                   "%s: damaged checkpoint: it says strategy %d is done "
                   "up to replication %lld, but replication %lld of "
                   "strategy %lld is %s",
                   path, (int)h->strategy, (long long)h->next,
                   (long long)(bad % r->R), (long long)(bad / r->R),
                   rep_done(&r->rep[bad]) ? "done" : "not done");
        return -1;
    }
    if (bad < -1) {
        rp_err_add(err,
                   "%s: damaged checkpoint: the running sums of node %lld "
                   "do not fit %s replications",
                   path, (long long)(-2 - bad), RP_COUNT(h->next));
        return -1;
    }
    return 0;
}

static int sc_ckpt_check(void *ctx, const rp_ckpt_state *st, const char *path,
                         rp_errors *err)
{
    const sc_run *run = ctx;
    return check_of(run->res, &run->acc, st, path, err);
}

/* The supply-chain model, as the engine drives it. */
static const rp_model_ops sc_ops = {
    .rec_bytes = sizeof(rp_metrics),
    .n_metrics = RP_NMETRIC,
    .metrics = rp_metric_defs,
    .loss_metric = RP_METRIC_lost_value,
    .strategy_new = sc_strategy_new,
    .strategy_free = sc_strategy_free,
    .lanes = sc_lanes,
    .strategy_begin = sc_strategy_begin,
    .ws_new = sc_ws_new,
    .ws_free = sc_ws_free,
    .run_lanes = sc_run_lanes,
    .reduce = sc_reduce,
    .strategy_end = sc_strategy_end,
    .ckpt_chunks = sc_ckpt_chunks,
    .ckpt_check = sc_ckpt_check,
    .model_version = RP_MODEL_VERSION,
};

_Static_assert(RP_LANES <= RP_MC_MAX_LANES && RP_MC_BLOCK % RP_LANES == 0,
               "the engine's blocks hold whole groups of lanes");

typedef struct {
    rp_results *r;
    rp_acc *acc;
    double *sl;
} ckpt_arg;

static int arg_chunks(void *p, int64_t next, rp_ckpt_chunk *c)
{
    ckpt_arg *a = p;
    return chunks_of(a->r, a->acc, a->sl, next, c);
}

static int arg_check(void *p, const rp_ckpt_state *st, const char *path,
                     rp_errors *err)
{
    const ckpt_arg *a = p;
    return check_of(a->r, a->acc, st, path, err);
}

rp_status rp_run_ckpt_read(const char *path, rp_ckpt_state *st, rp_results *r,
                           rp_acc *acc, double *sl, rp_errors *err)
{
    ckpt_arg a = {r, acc, sl};
    rp_ckpt_io io = {r->S,       r->N,      r->T, r->R, RP_MODEL_VERSION,
                     arg_chunks, arg_check, &a};
    return rp_ckpt_read(path, st, &io, err);
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

rp_loss_view rp_results_loss(const rp_results *r)
{
    rp_loss_view v = {r->S,           r->T,
                      r->R,           r->rep,
                      sizeof *r->rep, &rp_metric_defs[RP_METRIC_lost_value]};
    return v;
}

void rp_results_free(rp_results *r)
{
    if (r == NULL)
        return;
    free(r->rep);
#define FREE_(f, path, u, ln) free(r->f);
    RP_NODE_RESULTS(FREE_)
#undef FREE_
    free(r->sl_mean);
    free(r->sl_q);
    free(r->sl_below);
    free(r->reg_alone);
    free(r->reg_marg);
    free(r->reg_shap);
    free(r->reg_nev);
    free(r->reg_att);
    free(r->reg_sampled);
    free(r->x0);
    free(r->cap);
    free(r->ninv);
    free(r->edge_f0);
    free(r->edge_share);
    free(r);
}

#define RALLOC(p, n) RP_CALLOC_OR(p, n, goto oom)
#define NT_OR1(s) ((s)->n_threats > 0 ? (s)->n_threats : 1)

static void free_acc(rp_acc *a)
{
#define FREE_(f, t) free(a->f);
    RP_NODE_ACC(FREE_)
#undef FREE_
    memset(a, 0, sizeof *a);
}

/* The run's identity: the resolved scenario (seed, replications, horizon
 * included), the options that decide the arithmetic and the layout of the
 * metrics record.  0, or -1 out of memory. */
static int fingerprint(const rp_scenario *s, const rp_run_opts *o,
                       char hex[65])
{
    char *js = rp_scenario_resolved_json(s);
    if (js == NULL)
        return -1;
    size_t n = strlen(js) + strlen(rp_metrics_layout) + 80;
    char *id = malloc(n);
    if (id == NULL) {
        free(js);
        return -1;
    }
    /* (not the lanes: they change the time, never a result) */
    int w = snprintf(id, n, "%s|dense=%d|register=%d|metrics=%s", js, o->dense,
                     o->reg, rp_metrics_layout);
    free(js);
    int bad = rp_sha256_hex(id, (size_t)w, hex) != 0;
    free(id);
    return bad ? -1 : 0;
}

/* The results arrays of a run (strategies x replications, nodes, days,
 * register rows).  Returns RP_OK, or an error in err. */
static rp_status results_alloc(const rp_scenario *s, const rp_run_opts *o,
                               rp_results *res, rp_errors *err)
{
    const int S = s->n_strategies, N = s->net->n_nodes, E = s->net->n_edges;
    const int T = s->horizon;
    const int64_t R = s->replications;
    res->S = S;
    res->N = N;
    res->E = E;
    res->T = T;
    res->R = R;
    res->NT = s->n_threats;
    res->reg = o->reg;
    if (o->reg != RP_REG_NONE && s->n_threats > RP_REG_MAX_THREATS)
        return rp_err_add(err,
                          "the risk register handles at most %d threats (this "
                          "scenario has %d): run with --register none",
                          RP_REG_MAX_THREATS, s->n_threats);
    RALLOC(res->rep, (size_t)S * (size_t)R);
#define ALLOC_(f, path, u, ln) RALLOC(res->f, (size_t)S *(size_t)N);
    RP_NODE_RESULTS(ALLOC_)
#undef ALLOC_
    RALLOC(res->sl_mean, (size_t)S * (size_t)T);
    RALLOC(res->sl_q, (size_t)S * (size_t)T * RP_NQUANT);
    RALLOC(res->sl_below, (size_t)S * (size_t)T);
    if (o->reg != RP_REG_NONE) {
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
    return RP_OK;
oom:
    return rp_err_runtime(err, "out of memory allocating results");
}

/* What /network reports: the baseline strategy's model. */
static rp_status network_of(const rp_scenario *s, rp_results *res,
                            rp_errors *err)
{
    rp_model *m = NULL;
    rp_status st = rp_model_build(s->net, &s->par, &m, err);
    if (st != RP_OK)
        return st;
    memcpy(res->x0, m->x0, (size_t)res->N * sizeof(double));
    memcpy(res->cap, m->cap, (size_t)res->N * sizeof(double));
    memcpy(res->ninv, m->ninv, (size_t)res->N * sizeof(double));
    for (int q = 0; q < m->E; q++) {
        res->edge_f0[m->e_orig[q]] = m->e_f0[q];
        res->edge_share[m->e_orig[q]] = m->e_share[q];
    }
    rp_model_free(m);
    return RP_OK;
}

rp_status rp_run(const rp_scenario *s, const rp_run_opts *o, rp_results **out,
                 rp_errors *err)
{
    *out = NULL;
    rp_results *res = calloc(1, sizeof *res);
    sc_run c;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.o = o;
    c.res = res;
    if (res == NULL)
        return rp_err_runtime(err, "out of memory");
    if (results_alloc(s, o, res, err) != RP_OK)
        goto fail;
    const int T = s->horizon;
    c.sl = malloc((size_t)res->R * (size_t)T * sizeof *c.sl);
    if (c.sl == NULL)
        goto oom;
#define ALLOC_(f, t) RALLOC(c.acc.f, res->N);
    RP_NODE_ACC(ALLOC_)
#undef ALLOC_

    rp_mc_run run = {.S = res->S,
                     .T = T,
                     .N = res->N,
                     .R = res->R,
                     .rep = res->rep,
                     .series = c.sl,
                     .series_mean = res->sl_mean,
                     .series_q = res->sl_q,
                     .series_below = res->sl_below,
                     .threshold = s->par.service_target};
    if (fingerprint(s, o, run.fingerprint) != 0)
        goto oom;
    if (network_of(s, res, err) != RP_OK)
        goto fail;
    rp_mc_opts mo = {.threads = o->threads,
                     .progress = o->progress,
                     .progress_every = o->progress_every,
                     .checkpoint = o->checkpoint,
                     .resume = o->resume,
                     .stop_after = o->stop_after,
                     .rank = o->rank,
                     .ranks = o->ranks};
    rp_status st = rp_mc_run_all(&sc_ops, &c, &run, &mo, err);
    if (st == RP_ESTOPPED) {
        free_acc(&c.acc);
        free(c.sl);
        rp_results_free(res);
        return RP_ESTOPPED;
    }
    if (st != RP_OK)
        goto fail;
    free_acc(&c.acc);
    res->seconds = run.seconds;
    res->ran = run.ran;
    /* the event log is sampled again as the file is written (sc_output.c) */
    res->events = o->events && o->rank == 0;
    free(c.sl);
    *out = res;
    return RP_OK;
oom:
    rp_err_runtime(err, "out of memory allocating results");
fail:
    free_acc(&c.acc);
    free(c.sl);
    rp_results_free(res);
    return rp_err_status(err) ? rp_err_status(err) : RP_ERUNTIME;
}
