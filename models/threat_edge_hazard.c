/* edge_hazard: Poisson processes of transport disruptions on matched edges
 * (a strait closure, a rail line cut).  Edge events have no recovery
 * factor: treatments act on sites, not on the sea lanes between them. */
#include "ripple/threat.h"

static rp_status parse(rp_jctx *c, const cJSON *obj, const char *path,
                       const rp_network *net, void **data)
{
    return rp_hazard_parse(c, obj, path, net, "edges", data);
}

static int sample(const void *data, const void *prep, const rp_sample_ctx *ctx,
                  rp_evbuf *out)
{
    (void)prep;
    const rp_hazard *h = data;
    for (int k = 0; k < h->n; k++)
        if (rp_poisson_events(ctx, h->rate, (uint32_t)h->targets[k], &h->imp,
                              1, 1, out) != 0)
            return -1;
    return 0;
}

const rp_threat_type rp_threat_edge_hazard = {
    "edge_hazard", parse, NULL, sample, rp_hazard_free, NULL,
};
