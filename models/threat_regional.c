/* regional: one Poisson process per listed region (typhoons, earthquakes,
 * floods); each event hits every node of the region on the same day, with
 * one duration draw (scaled by each node's recovery factor) and one
 * severity. */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/rng.h"
#include "ripple/threat.h"

typedef struct {
    int n_regions;
    int *start; /* CSR: nodes of region r are nodes[start[r]..start[r+1]) */
    int *nodes;
    double rate;
    rp_impact imp;
} regional;

static const char *const KEYS[] = {"type",          "name",     "regions",
                                   "rate_per_year", "duration", "severity",
                                   "profile",       NULL};

static void free_data(void *data)
{
    regional *h = data;
    if (h != NULL) {
        free(h->start);
        free(h->nodes);
    }
    free(h);
}

static rp_status parse(rp_jctx *c, const cJSON *obj, const char *path,
                       const rp_network *net, void **data)
{
    int before = c->err->count + c->err->dropped;
    rp_json_check_keys(c, obj, path, KEYS);
    regional *h = calloc(1, sizeof *h);
    if (h == NULL)
        return rp_err_runtime(c->err, "out of memory");
    rp_threat_rate(c, obj, path, "rate_per_year", &h->rate);
    rp_impact_parse(c, obj, path, &h->imp);
    const cJSON *regs = cJSON_GetObjectItemCaseSensitive(obj, "regions");
    char p[300];
    rp_json_path(p, sizeof p, path, "regions");
    if (!cJSON_IsArray(regs) || cJSON_GetArraySize(regs) == 0) {
        rp_err_add(c->err, "%s: %s: must be a non-empty list of region names",
                   c->file, p);
    } else {
        /* each listed region once; the nodes of each in one pass over
         * the network (a list of many regions against a large network
         * took nodes x regions of memory and time) */
        int nr = cJSON_GetArraySize(regs);
        h->n_regions = nr;
        h->start = calloc((size_t)nr + 2, sizeof *h->start);
        int *of = malloc(((size_t)net->n_nodes + 1) * sizeof *of);
        rp_strmap names;
        int have_map = rp_strmap_init(&names, (size_t)nr) == 0;
        if (h->start == NULL || of == NULL || !have_map) {
            if (have_map)
                rp_strmap_free(&names);
            free(of);
            free_data(h);
            return rp_err_runtime(c->err, "out of memory");
        }
        int r = 0;
        const cJSON *it;
        cJSON_ArrayForEach(it, regs)
        {
            int old;
            if (!cJSON_IsString(it))
                rp_err_add(c->err, "%s: %s[%d]: must be a string", c->file, p,
                           r);
            else if (rp_strmap_put(&names, it->valuestring, r, &old) == 0)
                rp_err_add(c->err,
                           "%s: %s[%d]: region \"%s\" is listed already (at "
                           "[%d])",
                           c->file, p, r, it->valuestring, old);
            r++;
        }
        for (int i = 0; i < net->n_nodes; i++) {
            of[i] = rp_strmap_get(&names, net->region[i]);
            if (of[i] >= 0)
                h->start[of[i] + 2]++;
        }
        for (int g = 0; g < nr; g++)
            h->start[g + 2] += h->start[g + 1];
        int used = h->start[nr + 1];
        h->nodes = malloc(((size_t)used + 1) * sizeof *h->nodes);
        if (h->nodes == NULL) {
            rp_strmap_free(&names);
            free(of);
            free_data(h);
            return rp_err_runtime(c->err, "out of memory");
        }
        /* nodes ascending within each region */
        for (int i = 0; i < net->n_nodes; i++)
            if (of[i] >= 0)
                h->nodes[h->start[of[i] + 1]++] = i;
        free(of);
        rp_strmap_free(&names);
        r = 0;
        cJSON_ArrayForEach(it, regs)
        {
            char twins[200];
            if (!cJSON_IsString(it) || h->start[r + 1] > h->start[r]) {
                r++;
                continue;
            }
            if (rp_net_case_twins(net, RP_NF_REGION, it->valuestring, twins,
                                  sizeof twins) > 0)
                rp_err_add(c->err,
                           "%s: %s[%d]: no node is in region \"%s\"; "
                           "did you mean %s?",
                           c->file, p, r, it->valuestring, twins);
            else
                rp_err_add(c->err,
                           "%s: %s[%d]: no node is in region "
                           "\"%s\"",
                           c->file, p, r, it->valuestring);
            r++;
        }
    }
    if (c->err->count + c->err->dropped > before) {
        free_data(h);
        return rp_err_status(c->err) ? rp_err_status(c->err) : RP_EINPUT;
    }
    *data = h;
    return RP_OK;
}

static int sample(const void *data, const void *prep, const rp_sample_ctx *ctx,
                  rp_evbuf *out)
{
    (void)prep;
    const regional *h = data;
    gsl_rng *r = ctx->rng;
    for (int g = 0; g < h->n_regions; g++) {
        unsigned n = rp_threat_count(ctx, h->rate, (uint32_t)g, 0);
        if (n == 0)
            continue;
        double *onset = malloc(n * 3 * sizeof(double));
        if (onset == NULL)
            return -1;
        double *dur = onset + n, *sev = onset + 2 * n;
        rp_rng_stream(r, ctx->seed, ctx->replication, ctx->threat, (uint32_t)g,
                      RP_DRAW_ONSET);
        for (unsigned k = 0; k < n; k++)
            onset[k] = floor(gsl_rng_uniform(r) * ctx->horizon);
        rp_rng_stream(r, ctx->seed, ctx->replication, ctx->threat, (uint32_t)g,
                      RP_DRAW_DURATION);
        for (unsigned k = 0; k < n; k++)
            dur[k] = rp_dist_sample(&h->imp.duration, r);
        rp_rng_stream(r, ctx->seed, ctx->replication, ctx->threat, (uint32_t)g,
                      RP_DRAW_SEVERITY);
        for (unsigned k = 0; k < n; k++)
            sev[k] = rp_clamp_severity(rp_dist_sample(&h->imp.severity, r));
        for (unsigned k = 0; k < n; k++) {
            for (int q = h->start[g]; q < h->start[g + 1]; q++) {
                int i = h->nodes[q];
                /* one regional event, counted once in `events` */
                rp_event e = {i,
                              (int32_t)onset[k],
                              rp_duration_days(dur[k], ctx->model->rf[i]),
                              0,
                              h->imp.profile,
                              sev[k],
                              (uint8_t)(q > h->start[g]),
                              0};
                if (rp_evbuf_push(out, e) != 0) {
                    free(onset);
                    return -1;
                }
            }
        }
        free(onset);
    }
    return 0;
}

const rp_threat_type rp_threat_regional = {
    "regional", parse, NULL, sample, free_data, NULL,
};
