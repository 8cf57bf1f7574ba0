/* The registry of threat types: one line per type. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <math.h>

#include "ripple/rng.h"
#include "ripple/threat.h"

extern const rp_threat_type rp_threat_scripted;
extern const rp_threat_type rp_threat_node_hazard;
extern const rp_threat_type rp_threat_regional;
extern const rp_threat_type rp_threat_edge_hazard;
extern const rp_threat_type rp_threat_attack;
extern const rp_threat_type rp_threat_cyber;

static const rp_threat_type *const TYPES[] = {
    &rp_threat_scripted,
    &rp_threat_node_hazard,
    &rp_threat_regional,
    &rp_threat_edge_hazard,
    &rp_threat_attack,
    &rp_threat_cyber,
    NULL,
};

const rp_threat_type *rp_threat_find(const char *name)
{
    for (int i = 0; TYPES[i] != NULL; i++)
        if (strcmp(TYPES[i]->name, name) == 0)
            return TYPES[i];
    return NULL;
}

void rp_threat_names(char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; TYPES[i] != NULL && used < n; i++) {
        int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "",
                         TYPES[i]->name);
        if (w > 0)
            used += (size_t)w;
    }
}

int rp_threats_all_scripted(const rp_threat *th, int n)
{
    for (int i = 0; i < n; i++)
        if (th[i].type != &rp_threat_scripted)
            return 0;
    return n > 0;
}

int rp_evbuf_push(rp_evbuf *b, rp_event e)
{
    if (b->n == b->cap) {
        int nc = b->cap ? b->cap * 2 : 16;
        rp_event *ne = realloc(b->ev, (size_t)nc * sizeof *ne);
        if (ne == NULL)
            return -1;
        b->ev = ne;
        b->cap = nc;
    }
    b->ev[b->n++] = e;
    return 0;
}

void rp_evbuf_free(rp_evbuf *b)
{
    free(b->ev);
    b->ev = NULL;
    b->n = b->cap = 0;
}

int rp_threat_profile(rp_jctx *c, const cJSON *obj, const char *path,
                      uint8_t *profile)
{
    const char *s;
    *profile = RP_PROFILE_STEP;
    int r = rp_json_string(c, obj, path, "profile", &s, 0);
    if (r <= 0)
        return r;
    if (strcmp(s, "step") == 0)
        return 1;
    if (strcmp(s, "linear") == 0) {
        *profile = RP_PROFILE_LINEAR;
        return 1;
    }
    char p[300];
    rp_json_path(p, sizeof p, path, "profile");
    rp_err_add(c->err, "%s: %s: must be \"step\" or \"linear\" (got \"%s\")",
               c->file, p, s);
    return -1;
}

rp_status rp_threats_prepare(const rp_threat *th, int n, const rp_model *m,
                             void ***preps, rp_errors *err)
{
    void **p = calloc((size_t)n + 1, sizeof *p);
    *preps = p;
    if (p == NULL)
        return rp_err_runtime(err, "out of memory");
    for (int i = 0; i < n; i++) {
        if (th[i].type->prepare == NULL)
            continue;
        rp_status st = th[i].type->prepare(th[i].data, m, &p[i], err);
        if (st != RP_OK) {
            rp_threats_release(th, n, p);
            *preps = NULL;
            return st;
        }
    }
    return RP_OK;
}

void rp_threats_release(const rp_threat *th, int n, void **preps)
{
    if (preps == NULL)
        return;
    for (int i = 0; i < n; i++)
        if (preps[i] != NULL && th[i].type->free_prep != NULL)
            th[i].type->free_prep(preps[i]);
    free(preps);
}

int rp_threats_sample(const rp_threat *th, int n, void *const *preps,
                      const rp_model *m, uint64_t seed, uint64_t rep, int T,
                      gsl_rng *rng, rp_evbuf *out)
{
    return rp_threats_sample_counts(th, n, preps, m, seed, rep, T, rng, out,
                                    NULL);
}

int rp_threats_sample_counts(const rp_threat *th, int n, void *const *preps,
                             const rp_model *m, uint64_t seed, uint64_t rep,
                             int T, gsl_rng *rng, rp_evbuf *out,
                             int32_t *attempts)
{
    out->n = 0;
    for (int i = 0; i < n; i++) {
        rp_sample_ctx ctx = {
            m, seed, rep, (uint32_t)i, T, rng, attempts ? &attempts[i] : NULL};
        if (attempts)
            attempts[i] = 0;
        int before = out->n;
        if (th[i].type->sample(th[i].data, preps[i], &ctx, out) != 0)
            return -1;
        for (int q = before; q < out->n; q++)
            out->ev[q].threat = i;
    }
    return 0;
}

int rp_impact_parse(rp_jctx *c, const cJSON *obj, const char *path,
                    rp_impact *imp)
{
    static const rp_dist one = {RP_DIST_FIXED, 1, 0, 0};
    int bad =
        rp_dist_parse(c, obj, path, "duration", NULL, 1, &imp->duration) < 0;
    int r = rp_dist_parse(c, obj, path, "severity", &one, 1, &imp->severity);
    bad |= r < 0;
    if (r > 0 && imp->severity.kind == RP_DIST_FIXED && imp->severity.a > 1) {
        char p[300];
        rp_json_path(p, sizeof p, path, "severity");
        rp_err_add(c->err, "%s: %s: must be in (0, 1] (got %g)", c->file, p,
                   imp->severity.a);
        bad = 1;
    }
    bad |= rp_threat_profile(c, obj, path, &imp->profile) < 0;
    return bad ? -1 : 0;
}

int rp_threat_rate(rp_jctx *c, const cJSON *obj, const char *path,
                   const char *key, double *rate)
{
    /* more than ten events a day at one target is a typo, and would fill
     * memory with events */
    const rp_range r = {0, 3650, 0, 0, 0};
    return rp_json_number(c, obj, path, key, rate, 0, r, 1) < 0 ? -1 : 0;
}

unsigned rp_threat_count(const rp_sample_ctx *ctx, double rate_per_year,
                         uint32_t target, uint32_t sub)
{
    double mu = rate_per_year * (double)ctx->horizon / 365.0;
    if (!(mu > 0))
        return 0;
    rp_rng_substream(ctx->rng, ctx->seed, ctx->replication, ctx->threat,
                     target, RP_DRAW_COUNT, sub);
    return gsl_ran_poisson(ctx->rng, mu);
}

int32_t rp_duration_days(double draw, double recovery_factor)
{
    double d = ceil(draw * recovery_factor);
    if (!(d >= 1))
        return 1;
    if (d > 1e9)
        return 1000000000;
    return (int32_t)d;
}

double rp_clamp_severity(double s)
{
    if (!(s > 1e-9))
        return 1e-9;
    return s > 1 ? 1 : s;
}

int rp_poisson_events(const rp_sample_ctx *ctx, double rate, uint32_t target,
                      const rp_impact *imp, double rf, int is_edge,
                      rp_evbuf *out)
{
    unsigned n = rp_threat_count(ctx, rate, target, 0);
    if (n == 0)
        return 0;
    int first = out->n;
    gsl_rng *r = ctx->rng;
    rp_rng_stream(r, ctx->seed, ctx->replication, ctx->threat, target,
                  RP_DRAW_ONSET);
    for (unsigned k = 0; k < n; k++) {
        rp_event e;
        memset(&e, 0, sizeof e);
        e.target = (int32_t)target;
        e.onset = (int32_t)floor(gsl_rng_uniform(r) * ctx->horizon);
        e.duration = 1;
        e.is_edge = (uint8_t)is_edge;
        e.profile = imp->profile;
        e.severity = 1;
        if (rp_evbuf_push(out, e) != 0)
            return -1;
    }
    rp_rng_stream(r, ctx->seed, ctx->replication, ctx->threat, target,
                  RP_DRAW_DURATION);
    for (unsigned k = 0; k < n; k++)
        out->ev[first + (int)k].duration =
            rp_duration_days(rp_dist_sample(&imp->duration, r), rf);
    rp_rng_stream(r, ctx->seed, ctx->replication, ctx->threat, target,
                  RP_DRAW_SEVERITY);
    for (unsigned k = 0; k < n; k++)
        out->ev[first + (int)k].severity =
            rp_clamp_severity(rp_dist_sample(&imp->severity, r));
    return 0;
}

int rp_threat_select(rp_jctx *c, const cJSON *obj, const char *path,
                     const char *key, const rp_network *net, int edges,
                     int **out, int *n)
{
    *out = NULL;
    *n = 0;
    char p[300];
    rp_json_path(p, sizeof p, path, key);
    const cJSON *sel = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (sel == NULL) {
        rp_err_add(c->err, "%s: %s: missing (%s selector)", c->file, p,
                   edges ? "an edge" : "a node");
        return -1;
    }
    int total = edges ? net->n_edges : net->n_nodes;
    unsigned char *mask = malloc((size_t)(total ? total : 1));
    if (mask == NULL) {
        rp_err_runtime(c->err, "out of memory");
        return -1;
    }
    int count = edges ? rp_net_select_edges(c, net, sel, p, mask)
                      : rp_net_select_nodes(c, net, sel, p, mask);
    if (count > 0) {
        *out = malloc((size_t)count * sizeof **out);
        if (*out == NULL) {
            free(mask);
            rp_err_runtime(c->err, "out of memory");
            return -1;
        }
        for (int i = 0; i < total; i++)
            if (mask[i])
                (*out)[(*n)++] = i;
    }
    free(mask);
    return count > 0 ? 0 : -1;
}

rp_status rp_hazard_parse(rp_jctx *c, const cJSON *obj, const char *path,
                          const rp_network *net, const char *key, void **data)
{
    const char *const keys[] = {"type",          "name",     key,
                                "rate_per_year", "duration", "severity",
                                "profile",       NULL};
    int before = c->err->count + c->err->dropped;
    rp_json_check_keys(c, obj, path, keys);
    rp_hazard *h = calloc(1, sizeof *h);
    if (h == NULL)
        return rp_err_runtime(c->err, "out of memory");
    rp_threat_rate(c, obj, path, "rate_per_year", &h->rate);
    rp_impact_parse(c, obj, path, &h->imp);
    rp_threat_select(c, obj, path, key, net, strcmp(key, "edges") == 0,
                     &h->targets, &h->n);
    if (c->err->count + c->err->dropped > before || h->targets == NULL) {
        rp_hazard_free(h);
        return rp_err_status(c->err) ? rp_err_status(c->err) : RP_EINPUT;
    }
    *data = h;
    return RP_OK;
}

void rp_hazard_free(void *data)
{
    rp_hazard *h = data;
    if (h != NULL)
        free(h->targets);
    free(h);
}
