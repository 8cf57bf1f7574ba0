/* node_hazard: independent Poisson processes of failures at each matched
 * node (fires, breakdowns, local floods).  docs/model.md. */
#include "ripple/threat.h"

static rp_status parse(rp_jctx *c, const cJSON *obj, const char *path,
                       const rp_network *net, void **data)
{
    return rp_hazard_parse(c, obj, path, net, "nodes", data);
}

static int sample(const void *data, const void *prep, const rp_sample_ctx *ctx,
                  rp_evbuf *out)
{
    (void)prep;
    const rp_hazard *h = data;
    for (int k = 0; k < h->n; k++) {
        int i = h->targets[k];
        if (rp_poisson_events(ctx, h->rate, (uint32_t)i, &h->imp,
                              ctx->model->rf[i], 0, out) != 0)
            return -1;
    }
    return 0;
}

const rp_threat_type rp_threat_node_hazard = {
    "node_hazard", parse, NULL, sample, rp_hazard_free, NULL,
};
