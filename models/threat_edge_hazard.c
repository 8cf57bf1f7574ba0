/* edge_hazard: Poisson processes of transport disruptions on matched edges
 * (a strait closure, a rail line cut).  Edge events have no recovery
 * factor: treatments act on sites, not on the sea lanes between them. */
#include <stdlib.h>

#include "ripple/threat.h"

typedef struct {
    int n;
    int *edges; /* network (file order) edge indices */
    double rate;
    rp_impact imp;
} edge_hazard;

static const char *const KEYS[] = {"type", "name", "edges", "rate_per_year",
                                   "duration", "severity", "profile", NULL};

static rp_status parse(rp_jctx *c, const cJSON *obj, const char *path,
                       const rp_network *net, void **data)
{
    int before = c->err->count + c->err->dropped;
    rp_json_check_keys(c, obj, path, KEYS);
    edge_hazard *h = calloc(1, sizeof *h);
    if (h == NULL)
        return rp_err_runtime(c->err, "out of memory");
    rp_threat_rate(c, obj, path, "rate_per_year", &h->rate);
    rp_impact_parse(c, obj, path, &h->imp);
    rp_threat_select(c, obj, path, "edges", net, 1, &h->edges, &h->n);
    if (c->err->count + c->err->dropped > before || h->edges == NULL) {
        free(h->edges);
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
    const edge_hazard *h = data;
    for (int k = 0; k < h->n; k++)
        if (rp_poisson_events(ctx, h->rate, (uint32_t)h->edges[k], &h->imp, 1,
                              1, out) != 0)
            return -1;
    return 0;
}

static void free_data(void *data)
{
    edge_hazard *h = data;
    if (h != NULL)
        free(h->edges);
    free(h);
}

const rp_threat_type rp_threat_edge_hazard = {
    "edge_hazard", parse, NULL, sample, free_data, NULL,
};
