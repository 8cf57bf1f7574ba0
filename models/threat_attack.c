/* attack: an adversary's attempts (sabotage, theft, intrusion) arrive as a
 * Poisson process; each picks a target among the candidates by a score and
 * succeeds with probability p_success (1 - protection).  Only successes
 * become events.  docs/model.md.
 *
 * Common random numbers: attempt j (in the order the attempts were drawn)
 * always uses draw j of the target, success, duration and severity
 * streams, so a strategy that raises protection turns exactly the attempts
 * whose uniform falls between the two thresholds into failures, and one
 * that speeds up recovery shortens exactly the same outages. */
#include <gsl/gsl_rng.h>
#include <igraph/igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/rng.h"
#include "ripple/threat.h"

enum { T_RANDOM, T_DEGREE, T_BETWEENNESS, T_FLOW, T_DEMAND };
static const char *const TARGETING[] = {"random", "degree", "betweenness",
                                        "flow",   "demand", NULL};

typedef struct {
    int n;
    int *cand; /* candidate node indices, ascending */
    double rate, p;
    int targeting, ranked;
    rp_impact imp;
} attack;

typedef struct {
    double *score; /* [n] per candidate */
    double total;
    int *order; /* [n] candidates by score, highest first (ranked) */
} attack_prep;

static const char *const KEYS[] = {
    "type",      "name",    "candidates", "attempts_per_year",
    "targeting", "choice",  "p_success",  "duration",
    "severity",  "profile", NULL};

static void free_data(void *data)
{
    attack *a = data;
    if (a != NULL)
        free(a->cand);
    free(a);
}

static rp_status parse(rp_jctx *c, const cJSON *obj, const char *path,
                       const rp_network *net, void **data)
{
    int before = c->err->count + c->err->dropped;
    rp_json_check_keys(c, obj, path, KEYS);
    attack *a = calloc(1, sizeof *a);
    if (a == NULL)
        return rp_err_runtime(c->err, "out of memory");
    rp_threat_rate(c, obj, path, "attempts_per_year", &a->rate);
    rp_json_number(c, obj, path, "p_success", &a->p, 0, RP_UNIT, 1);
    rp_impact_parse(c, obj, path, &a->imp);
    const char *s;
    char p[300];
    a->targeting = T_RANDOM;
    if (rp_json_string(c, obj, path, "targeting", &s, 0) > 0) {
        int k;
        for (k = 0; TARGETING[k] != NULL; k++)
            if (strcmp(TARGETING[k], s) == 0)
                break;
        if (TARGETING[k] == NULL) {
            rp_json_path(p, sizeof p, path, "targeting");
            rp_err_add(c->err,
                       "%s: %s: must be random, degree, betweenness, "
                       "flow or demand (got \"%s\")",
                       c->file, p, s);
        } else {
            a->targeting = k;
        }
    }
    a->ranked = 1;
    if (rp_json_string(c, obj, path, "choice", &s, 0) > 0) {
        if (strcmp(s, "weighted") == 0) {
            a->ranked = 0;
        } else if (strcmp(s, "ranked") != 0) {
            rp_json_path(p, sizeof p, path, "choice");
            rp_err_add(c->err,
                       "%s: %s: must be ranked or weighted (got "
                       "\"%s\")",
                       c->file, p, s);
        }
    }
    rp_json_path(p, sizeof p, path, "candidates");
    rp_threat_select(c, obj, path, "candidates", net, 0, &a->cand, &a->n);
    if (c->err->count + c->err->dropped > before || a->cand == NULL) {
        free_data(a);
        return rp_err_status(c->err) ? rp_err_status(c->err) : RP_EINPUT;
    }
    *data = a;
    return RP_OK;
}

static void free_prep(void *prep)
{
    attack_prep *q = prep;
    if (q != NULL) {
        free(q->score);
        free(q->order);
    }
    free(q);
}

/* Directed betweenness of every node over all supply links (igraph). */
static int betweenness(const rp_model *m, double *out)
{
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_vector_int_t ev;
    if (igraph_vector_int_init(&ev, 2 * (igraph_integer_t)m->E) != 0)
        return -1;
    for (int e = 0; e < m->E; e++) {
        VECTOR(ev)[2 * e] = m->e_from[e];
        VECTOR(ev)[2 * e + 1] = m->e_to[e];
    }
    igraph_t g;
    int rc = igraph_create(&g, &ev, m->N, IGRAPH_DIRECTED);
    igraph_vector_int_destroy(&ev);
    if (rc != 0)
        return -1;
    igraph_vector_t res;
    if (igraph_vector_init(&res, 0) != 0) {
        igraph_destroy(&g);
        return -1;
    }
    rc = igraph_betweenness(&g, &res, igraph_vss_all(), IGRAPH_DIRECTED, NULL);
    if (rc == 0)
        for (int i = 0; i < m->N; i++)
            out[i] = VECTOR(res)[i];
    igraph_vector_destroy(&res);
    igraph_destroy(&g);
    return rc == 0 ? 0 : -1;
}

/* Sum of F v over the nodes downstream of i (i included). */
static double downstream_demand(const rp_model *m, int i, int *stamp, int mark,
                                int *queue)
{
    int head = 0, tail = 0;
    double sum = 0;
    queue[tail++] = i;
    stamp[i] = mark;
    while (head < tail) {
        int j = queue[head++];
        sum += m->F[j] * m->v[j];
        for (int q = m->out_start[j]; q < m->out_start[j + 1]; q++) {
            int k = m->e_to[m->out_edge[q]];
            if (stamp[k] != mark) {
                stamp[k] = mark;
                queue[tail++] = k;
            }
        }
    }
    return sum;
}

typedef struct {
    double score;
    int k;
} scored;

static int by_score(const void *x, const void *y)
{
    const scored *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return (a->k > b->k) - (a->k < b->k);
}

static rp_status prepare(const void *data, const rp_model *m, void **prep,
                         rp_errors *err)
{
    const attack *a = data;
    attack_prep *q = calloc(1, sizeof *q);
    if (q == NULL)
        return rp_err_runtime(err, "out of memory");
    q->score = calloc((size_t)a->n, sizeof *q->score);
    q->order = malloc((size_t)a->n * sizeof *q->order);
    double *all = NULL;
    int *stamp = NULL, *queue = NULL;
    if (q->score == NULL || q->order == NULL)
        goto oom;
    switch (a->targeting) {
    case T_RANDOM:
        for (int k = 0; k < a->n; k++)
            q->score[k] = 1;
        break;
    case T_DEGREE: {
        for (int k = 0; k < a->n; k++) {
            int i = a->cand[k];
            double deg = m->out_start[i + 1] - m->out_start[i];
            for (int g = m->grp_start[i]; g < m->grp_start[i + 1]; g++)
                deg += m->g_estart[g + 1] - m->g_estart[g];
            q->score[k] = deg;
        }
        break;
    }
    case T_BETWEENNESS:
        all = malloc((size_t)m->N * sizeof *all);
        if (all == NULL || betweenness(m, all) != 0)
            goto oom;
        for (int k = 0; k < a->n; k++)
            q->score[k] = all[a->cand[k]];
        break;
    case T_FLOW:
        for (int k = 0; k < a->n; k++)
            q->score[k] = m->x0[a->cand[k]] * m->v[a->cand[k]];
        break;
    default:
        stamp = calloc((size_t)m->N, sizeof *stamp);
        queue = malloc((size_t)m->N * sizeof *queue);
        if (stamp == NULL || queue == NULL)
            goto oom;
        for (int k = 0; k < a->n; k++)
            q->score[k] =
                downstream_demand(m, a->cand[k], stamp, k + 1, queue);
        break;
    }
    q->total = 0;
    for (int k = 0; k < a->n; k++)
        q->total += q->score[k];
    /* a weighted choice among all-zero scores falls back to uniform */
    if (!(q->total > 0)) {
        for (int k = 0; k < a->n; k++)
            q->score[k] = 1;
        q->total = a->n;
    }
    scored *sc = malloc((size_t)a->n * sizeof *sc);
    if (sc == NULL)
        goto oom;
    for (int k = 0; k < a->n; k++) {
        sc[k].score = q->score[k];
        sc[k].k = k;
    }
    qsort(sc, (size_t)a->n, sizeof *sc, by_score);
    for (int k = 0; k < a->n; k++)
        q->order[k] = sc[k].k;
    free(sc);
    free(all);
    free(stamp);
    free(queue);
    *prep = q;
    return RP_OK;
oom:
    free(all);
    free(stamp);
    free(queue);
    free_prep(q);
    return rp_err_runtime(err, "attack targeting scores could not be "
                               "computed (out of memory or graph error)");
}

typedef struct {
    int32_t onset;
    int idx; /* generation order */
} attempt;

static int by_onset(const void *x, const void *y)
{
    const attempt *a = x, *b = y;
    if (a->onset != b->onset)
        return a->onset < b->onset ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

static int sample(const void *data, const void *prep, const rp_sample_ctx *ctx,
                  rp_evbuf *out)
{
    const attack *a = data;
    const attack_prep *q = prep;
    unsigned n = rp_threat_count(ctx, a->rate, 0, 0);
    if (ctx->attempts != NULL)
        *ctx->attempts += (int32_t)n;
    if (n == 0)
        return 0;
    gsl_rng *r = ctx->rng;
    attempt *at = malloc(n * sizeof *at);
    double *u = malloc(n * 4 * sizeof *u);
    if (at == NULL || u == NULL) {
        free(at);
        free(u);
        return -1;
    }
    double *ut = u, *us = u + n, *dur = u + 2 * n, *sev = u + 3 * n;
    rp_rng_stream(r, ctx->seed, ctx->replication, ctx->threat, 0,
                  RP_DRAW_ONSET);
    for (unsigned j = 0; j < n; j++) {
        at[j].onset = (int32_t)floor(gsl_rng_uniform(r) * ctx->horizon);
        at[j].idx = (int)j;
    }
    rp_rng_stream(r, ctx->seed, ctx->replication, ctx->threat, 0,
                  RP_DRAW_TARGET);
    for (unsigned j = 0; j < n; j++)
        ut[j] = gsl_rng_uniform(r);
    rp_rng_stream(r, ctx->seed, ctx->replication, ctx->threat, 0,
                  RP_DRAW_SUCCESS);
    for (unsigned j = 0; j < n; j++)
        us[j] = gsl_rng_uniform(r);
    rp_rng_stream(r, ctx->seed, ctx->replication, ctx->threat, 0,
                  RP_DRAW_DURATION);
    for (unsigned j = 0; j < n; j++)
        dur[j] = rp_dist_sample(&a->imp.duration, r);
    rp_rng_stream(r, ctx->seed, ctx->replication, ctx->threat, 0,
                  RP_DRAW_SEVERITY);
    for (unsigned j = 0; j < n; j++)
        sev[j] = rp_clamp_severity(rp_dist_sample(&a->imp.severity, r));
    qsort(at, n, sizeof *at, by_onset);
    int rc = 0;
    for (unsigned k = 0; k < n && rc == 0; k++) {
        int j = at[k].idx;
        int c; /* candidate position */
        if (a->ranked && a->targeting != T_RANDOM) {
            c = q->order[k % (unsigned)a->n];
        } else if (a->targeting == T_RANDOM) {
            c = (int)floor(ut[j] * a->n);
            if (c >= a->n)
                c = a->n - 1;
        } else {
            double x = ut[j] * q->total, acc = 0;
            c = a->n - 1;
            for (int i = 0; i < a->n; i++) {
                acc += q->score[i];
                if (x < acc) {
                    c = i;
                    break;
                }
            }
        }
        int node = a->cand[c];
        if (!(us[j] < a->p * (1 - ctx->model->prot[node])))
            continue;
        rp_event e = {node,
                      at[k].onset,
                      rp_duration_days(dur[j], ctx->model->rf[node]),
                      0,
                      a->imp.profile,
                      sev[j],
                      0,
                      0};
        rc = rp_evbuf_push(out, e);
    }
    free(at);
    free(u);
    return rc;
}

const rp_threat_type rp_threat_attack = {
    "attack", parse, prepare, sample, free_data, free_prep,
};
