/* node_hazard: independent Poisson processes of failures at each matched
 * node (fires, breakdowns, local floods).  MODEL.md section 5. */
#include <stdlib.h>

#include "ripple/threat.h"

typedef struct {
    int n;
    int *nodes;
    double rate;
    rp_impact imp;
} node_hazard;

static const char *const KEYS[] = {"type", "name", "nodes", "rate_per_year",
                                   "duration", "severity", "profile", NULL};

static rp_status parse(rp_jctx *c, const cJSON *obj, const char *path,
                       const rp_network *net, void **data)
{
    int before = c->err->count + c->err->dropped;
    rp_json_check_keys(c, obj, path, KEYS);
    node_hazard *h = calloc(1, sizeof *h);
    if (h == NULL)
        return rp_err_runtime(c->err, "out of memory");
    rp_threat_rate(c, obj, path, "rate_per_year", &h->rate);
    rp_impact_parse(c, obj, path, &h->imp);
    rp_threat_select(c, obj, path, "nodes", net, 0, &h->nodes, &h->n);
    if (c->err->count + c->err->dropped > before || h->nodes == NULL) {
        free(h->nodes);
        free(h);
        return rp_err_status(c->err) ? rp_err_status(c->err) : RP_EINPUT;
    }
    *data = h;
    return RP_OK;
}

static int sample(const void *data, const void *prep, const rp_sample_ctx *ctx,
                  rp_evbuf *out)
{
    (void)prep;
    const node_hazard *h = data;
    for (int k = 0; k < h->n; k++) {
        int i = h->nodes[k];
        if (rp_poisson_events(ctx, h->rate, (uint32_t)i, &h->imp,
                              ctx->model->rf[i], 0, out) != 0)
            return -1;
    }
    return 0;
}

static void free_data(void *data)
{
    node_hazard *h = data;
    if (h != NULL)
        free(h->nodes);
    free(h);
}

const rp_threat_type rp_threat_node_hazard = {
    "node_hazard", parse, NULL, sample, free_data, NULL,
};
