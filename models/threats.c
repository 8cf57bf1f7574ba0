/* The registry of threat types: one line per type. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/threat.h"

extern const rp_threat_type rp_threat_scripted;

static const rp_threat_type *const TYPES[] = {
    &rp_threat_scripted,
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
    out->n = 0;
    for (int i = 0; i < n; i++) {
        rp_sample_ctx ctx = {m, seed, rep, (uint32_t)i, T, rng};
        if (th[i].type->sample(th[i].data, preps[i], &ctx, out) != 0)
            return -1;
    }
    return 0;
}
