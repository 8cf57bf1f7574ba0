/* cyber: malware campaigns that enter at one firm and spread along supply
 * links in both directions (docs/model.md).
 *
 * Campaign entries are a Poisson process; each enters at a node drawn
 * uniformly from `entry`.  A node infected on day t is down from day t (its
 * own duration and severity) and infectious from day t + 1 until its outage
 * ends; each such day it infects each uninfected neighbour with probability
 * beta (1 - protection of the neighbour).  Nothing spreads after
 * max_days from the entry, and a node is infected at most once per
 * campaign.
 *
 * Common random numbers: the uniform deciding "does j infect n on day d of
 * campaign k" is a pure function of (replication, threat, link j->n, k, d)
 * drawn by random access, and a node's outage duration and severity in
 * campaign k come from the node's own substream k.  Protection or recovery
 * treatments therefore act on exactly the same draws. */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/rng.h"
#include "ripple/threat.h"

typedef struct {
    int n_entry;
    int *entry;
    double rate, beta;
    int max_days;
    rp_impact imp;
} cyber;

typedef struct {
    int N;
    int *start; /* CSR of undirected neighbours; arc id = position */
    int *nbr;
} cyber_prep;

static const char *const KEYS[] = {
    "type",     "name",     "entry",    "rate_per_year", "beta",
    "max_days", "duration", "severity", "profile",       NULL};

static void free_data(void *data)
{
    cyber *h = data;
    if (h != NULL)
        free(h->entry);
    free(h);
}

static rp_status parse(rp_jctx *c, const cJSON *obj, const char *path,
                       const rp_network *net, void **data)
{
    int before = c->err->count + c->err->dropped;
    rp_json_check_keys(c, obj, path, KEYS);
    cyber *h = calloc(1, sizeof *h);
    if (h == NULL)
        return rp_err_runtime(c->err, "out of memory");
    rp_threat_rate(c, obj, path, "rate_per_year", &h->rate);
    rp_json_number(c, obj, path, "beta", &h->beta, 0, RP_UNIT, 1);
    double md;
    rp_json_number(c, obj, path, "max_days", &md, 30,
                   (rp_range){1, 36500, 0, 0, 1}, 0);
    h->max_days = (int)md;
    rp_impact_parse(c, obj, path, &h->imp);
    char p[300];
    rp_json_path(p, sizeof p, path, "entry");
    rp_threat_select(c, obj, path, "entry", net, 0, &h->entry, &h->n_entry);
    if (c->err->count + c->err->dropped > before || h->entry == NULL) {
        free_data(h);
        return rp_err_status(c->err) ? rp_err_status(c->err) : RP_EINPUT;
    }
    *data = h;
    return RP_OK;
}

static void free_prep(void *prep)
{
    cyber_prep *q = prep;
    if (q != NULL) {
        free(q->start);
        free(q->nbr);
    }
    free(q);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Undirected, de-duplicated neighbour lists of the model's supply links. */
static rp_status prepare(const void *data, const rp_model *m, void **prep,
                         rp_errors *err)
{
    (void)data;
    cyber_prep *q = calloc(1, sizeof *q);
    int *deg = calloc((size_t)m->N + 1, sizeof *deg);
    if (q == NULL || deg == NULL)
        goto oom;
    q->N = m->N;
    q->start = calloc((size_t)m->N + 1, sizeof *q->start);
    q->nbr = malloc((size_t)(2 * m->E + 1) * sizeof *q->nbr);
    if (q->start == NULL || q->nbr == NULL)
        goto oom;
    for (int e = 0; e < m->E; e++) {
        q->start[m->e_from[e] + 1]++;
        q->start[m->e_to[e] + 1]++;
    }
    for (int i = 0; i < m->N; i++)
        q->start[i + 1] += q->start[i];
    for (int e = 0; e < m->E; e++) {
        int a = m->e_from[e], b = m->e_to[e];
        q->nbr[q->start[a] + deg[a]++] = b;
        q->nbr[q->start[b] + deg[b]++] = a;
    }
    /* sort and drop duplicates (two edges between the same firms) */
    int w = 0;
    for (int i = 0; i < m->N; i++) {
        int a = q->start[i], b = q->start[i + 1];
        qsort(q->nbr + a, (size_t)(b - a), sizeof(int), cmp_int);
        q->start[i] = w;
        for (int k = a; k < b; k++)
            if (k == a || q->nbr[k] != q->nbr[k - 1])
                q->nbr[w++] = q->nbr[k];
    }
    q->start[m->N] = w;
    free(deg);
    *prep = q;
    return RP_OK;
oom:
    free(deg);
    free_prep(q);
    return rp_err_runtime(err, "out of memory");
}

typedef struct {
    int node;
    int32_t day, dur;
    double sev;
} infection;

/* Small open-addressing set of infected nodes for one campaign. */
typedef struct {
    int *slot;
    size_t cap;
} iset;

static int iset_has(const iset *s, int v)
{
    size_t i = ((size_t)v * 2654435761u) & (s->cap - 1);
    while (s->slot[i] >= 0) {
        if (s->slot[i] == v)
            return 1;
        i = (i + 1) & (s->cap - 1);
    }
    return 0;
}

static void iset_add(iset *s, int v)
{
    size_t i = ((size_t)v * 2654435761u) & (s->cap - 1);
    while (s->slot[i] >= 0)
        i = (i + 1) & (s->cap - 1);
    s->slot[i] = v;
}

static void draw_outage(const cyber *h, const rp_sample_ctx *ctx, int node,
                        uint32_t k, infection *inf)
{
    gsl_rng *r = ctx->rng;
    rp_rng_substream(r, ctx->seed, ctx->replication, ctx->threat,
                     (uint32_t)node, RP_DRAW_DURATION, k);
    inf->dur = rp_duration_days(rp_dist_sample(&h->imp.duration, r),
                                ctx->model->rf[node]);
    rp_rng_substream(r, ctx->seed, ctx->replication, ctx->threat,
                     (uint32_t)node, RP_DRAW_SEVERITY, k);
    inf->sev = rp_clamp_severity(rp_dist_sample(&h->imp.severity, r));
}

/* One campaign k entering at `entry` on day t0; appends its events. */
static int campaign(const cyber *h, const cyber_prep *q,
                    const rp_sample_ctx *ctx, uint32_t k, int entry,
                    int32_t t0, rp_evbuf *out)
{
    int cap = 16, n = 0;
    infection *inf = malloc((size_t)cap * sizeof *inf);
    iset set = {NULL, 64};
    set.slot = malloc(set.cap * sizeof *set.slot);
    if (inf == NULL || set.slot == NULL) {
        free(inf);
        free(set.slot);
        return -1;
    }
    memset(set.slot, 0xff, set.cap * sizeof *set.slot);
    inf[n].node = entry;
    inf[n].day = t0;
    draw_outage(h, ctx, entry, k, &inf[n]);
    n++;
    iset_add(&set, entry);
    int32_t last = t0 + h->max_days;
    if (last > ctx->horizon - 1)
        last = ctx->horizon - 1;
    for (int32_t t = t0 + 1; t <= last; t++) {
        int n_before = n;
        for (int a = 0; a < n_before; a++) {
            const infection *src = &inf[a];
            if (!(src->day < t && t <= src->day + src->dur - 1))
                continue;
            int j = src->node;
            for (int arc = q->start[j]; arc < q->start[j + 1]; arc++) {
                int nb = q->nbr[arc];
                if (iset_has(&set, nb))
                    continue;
                double p = h->beta * (1 - ctx->model->prot[nb]);
                double u = rp_rng_u01_at(
                    ctx->seed, ctx->replication, ctx->threat, (uint32_t)arc,
                    RP_DRAW_SPREAD, (k << 16) | (uint32_t)(t - t0));
                if (!(u < p))
                    continue;
                if (n == cap) {
                    cap *= 2;
                    infection *ni = realloc(inf, (size_t)cap * sizeof *ni);
                    if (ni == NULL) {
                        free(inf);
                        free(set.slot);
                        return -1;
                    }
                    inf = ni;
                    src = &inf[a];
                }
                if ((size_t)(n + 1) * 2 > set.cap) {
                    iset big = {NULL, set.cap * 4};
                    big.slot = malloc(big.cap * sizeof *big.slot);
                    if (big.slot == NULL) {
                        free(inf);
                        free(set.slot);
                        return -1;
                    }
                    memset(big.slot, 0xff, big.cap * sizeof *big.slot);
                    for (int z = 0; z < n; z++)
                        iset_add(&big, inf[z].node);
                    free(set.slot);
                    set = big;
                }
                inf[n].node = nb;
                inf[n].day = t;
                draw_outage(h, ctx, nb, k, &inf[n]);
                iset_add(&set, nb);
                n++;
            }
        }
    }
    int rc = 0;
    for (int a = 0; a < n && rc == 0; a++) {
        rp_event e = {inf[a].node,    inf[a].day, inf[a].dur, 0,
                      h->imp.profile, inf[a].sev, 0,          0};
        rc = rp_evbuf_push(out, e);
    }
    free(inf);
    free(set.slot);
    return rc;
}

static int sample(const void *data, const void *prep, const rp_sample_ctx *ctx,
                  rp_evbuf *out)
{
    const cyber *h = data;
    const cyber_prep *q = prep;
    unsigned n = rp_threat_count(ctx, h->rate, 0, 0);
    if (n > 65536)
        n = 65536; /* campaigns index 16-bit substreams */
    gsl_rng *r = ctx->rng;
    for (unsigned k = 0; k < n; k++) {
        /* draw k of the onset and entry streams */
        rp_rng_substream(r, ctx->seed, ctx->replication, ctx->threat, 0,
                         RP_DRAW_ONSET, k);
        int32_t t0 = (int32_t)floor(gsl_rng_uniform(r) * ctx->horizon);
        rp_rng_substream(r, ctx->seed, ctx->replication, ctx->threat, 0,
                         RP_DRAW_TARGET, k);
        int c = (int)floor(gsl_rng_uniform(r) * h->n_entry);
        if (c >= h->n_entry)
            c = h->n_entry - 1;
        if (campaign(h, q, ctx, k, h->entry[c], t0, out) != 0)
            return -1;
    }
    return 0;
}

const rp_threat_type rp_threat_cyber = {
    "cyber", parse, prepare, sample, free_data, free_prep,
};
