/* Scripted threat: one fixed event on a node or on the edges between two
 * nodes (docs/model.md).  Deterministic and not scaled by strategies. */
#include <stdlib.h>
#include <string.h>

#include "ripple/threat.h"

typedef struct {
    int n;
    rp_event *ev; /* one per targeted edge, or one for a node */
} scripted;

static const char *const KEYS[] = {"type",     "name",    "node",
                                   "edge",     "onset",   "duration",
                                   "severity", "profile", NULL};
static const char *const EDGE_KEYS[] = {"from", "to", "input", NULL};

static rp_status parse(rp_jctx *c, const cJSON *obj, const char *path,
                       const rp_network *net, void **data)
{
    int before = c->err->count + c->err->dropped;
    rp_json_check_keys(c, obj, path, KEYS);
    double onset, dur, sev;
    rp_event proto;
    memset(&proto, 0, sizeof proto);
    rp_json_number(c, obj, path, "onset", &onset, 0, RP_INT_GE0, 1);
    rp_json_number(c, obj, path, "duration", &dur, 1, RP_INT_GE1, 1);
    rp_json_number(c, obj, path, "severity", &sev, 1, RP_UNIT_OPEN0, 0);
    rp_threat_profile(c, obj, path, &proto.profile);
    proto.onset = (int32_t)onset;
    proto.duration = (int32_t)dur;
    proto.severity = sev;
    const cJSON *node = cJSON_GetObjectItemCaseSensitive(obj, "node");
    const cJSON *edge = cJSON_GetObjectItemCaseSensitive(obj, "edge");
    char p[300];
    scripted *s = calloc(1, sizeof *s);
    if (s == NULL)
        return rp_err_runtime(c->err, "out of memory");
    if ((node == NULL) == (edge == NULL)) {
        rp_err_add(c->err, "%s: %s: give exactly one of \"node\" or \"edge\"",
                   c->file, path);
    } else if (node != NULL) {
        rp_json_path(p, sizeof p, path, "node");
        if (!cJSON_IsString(node)) {
            rp_err_add(c->err, "%s: %s: must be a node id", c->file, p);
        } else if (rp_net_find(net, node->valuestring) < 0) {
            rp_net_unknown_node(c, net, p, node->valuestring);
        } else {
            s->ev = malloc(sizeof *s->ev);
            if (s->ev == NULL) {
                free(s);
                return rp_err_runtime(c->err, "out of memory");
            }
            proto.target = rp_net_find(net, node->valuestring);
            s->ev[0] = proto;
            s->n = 1;
        }
    } else {
        rp_json_path(p, sizeof p, path, "edge");
        const char *f = NULL, *t = NULL, *in = NULL;
        if (!cJSON_IsObject(edge)) {
            rp_err_add(c->err, "%s: %s: must be {\"from\": ID, \"to\": ID}",
                       c->file, p);
        } else if (rp_json_check_keys(c, edge, p, EDGE_KEYS) == 0 &&
                   rp_json_string(c, edge, p, "from", &f, 1) > 0 &&
                   rp_json_string(c, edge, p, "to", &t, 1) > 0 &&
                   rp_json_string(c, edge, p, "input", &in, 0) >= 0) {
            int fi = rp_net_find(net, f), ti = rp_net_find(net, t);
            char q[320];
            if (fi < 0) {
                rp_json_path(q, sizeof q, p, "from");
                rp_net_unknown_node(c, net, q, f);
            }
            if (ti < 0) {
                rp_json_path(q, sizeof q, p, "to");
                rp_net_unknown_node(c, net, q, t);
            }
            if (fi >= 0 && ti >= 0) {
                s->ev = malloc((size_t)(net->n_edges + 1) * sizeof *s->ev);
                if (s->ev == NULL) {
                    free(s);
                    return rp_err_runtime(c->err, "out of memory");
                }
                for (int e = 0; e < net->n_edges; e++) {
                    if (net->from[e] == fi && net->to[e] == ti &&
                        (in == NULL || strcmp(in, net->input[e]) == 0)) {
                        proto.target = e;
                        proto.is_edge = 1;
                        s->ev[s->n++] = proto;
                    }
                }
                if (s->n == 0)
                    rp_err_add(c->err, "%s: %s: no edge from \"%s\" to \"%s\"",
                               c->file, p, f, t);
            }
        }
    }
    if (c->err->count + c->err->dropped > before) {
        free(s->ev);
        free(s);
        return RP_EINPUT;
    }
    *data = s;
    return RP_OK;
}

static int sample(const void *data, const void *prep, const rp_sample_ctx *ctx,
                  rp_evbuf *out)
{
    (void)prep;
    (void)ctx;
    const scripted *s = data;
    for (int i = 0; i < s->n; i++)
        if (rp_evbuf_push(out, s->ev[i]) != 0)
            return -1;
    return 0;
}

static void free_data(void *data)
{
    scripted *s = data;
    if (s != NULL)
        free(s->ev);
    free(s);
}

const rp_threat_type rp_threat_scripted = {
    "scripted", parse, NULL, sample, free_data, NULL,
};
