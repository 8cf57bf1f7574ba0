/* The supply network as the user wrote it (docs/model.md).
 *
 * Structure-of-arrays.  Strings are borrowed from the parsed JSON document,
 * which the owning scenario keeps alive.  Optional numbers are NaN when the
 * file left them out; rp_model_build() resolves the defaults. */
#ifndef RIPPLE_NETWORK_H
#define RIPPLE_NETWORK_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "ripple/error.h"
#include "ripple/json.h"
#include "ripple/strmap.h"

typedef struct rp_network {
    const char *name;
    const char *file; /* file label for messages */
    char prefix[64];  /* JSON path of the network object ("" or "network") */
    int n_edges_file; /* edges that came from the file (the rest: added) */
    /* where each added edge was asked for ("s.json: strategies[1].actions[0]
     * .add_edge"), for messages; [n_edges - n_edges_file], or NULL */
    const char *const *added_at;
    int n_nodes;
    const char **id, **kind, **region;
    const char **node_name; /* the node's "name", or its id */
    int *tag_start;         /* CSR: tags of node i are tags[tag_start[i]..] */
    const char **tags;
    double *demand;           /* F_i >= 0 */
    double *capacity;         /* NaN: (1 + spare) x0 */
    double *inventory_days;   /* NaN: scenario default */
    double *unit_value;       /* default 1 */
    double *protection;       /* default 0 */
    double *ttr_days;         /* NaN: stress.ttr_days */
    double *spare_capacity;   /* NaN: scenario default */
    double *recovery_factor;  /* default 1 */
    double *fail_probability; /* NaN: none (ripple sweep's independent
                                 failures then use --fail-probability) */

    int n_edges, cap_edges;
    int *from, *to;
    const char **input; /* input group name (default: supplier id) */
    double *ratio;      /* a_e > 0 */
    double *share;      /* NaN: equal split */
    int *lead_time;     /* >= 1 */
    unsigned char *standby;
    double *standby_share; /* b_e > 0 */
    int *activation_delay; /* d_e >= 0 */

    rp_strmap ids; /* id -> node index */

    /* a network read from CSV files (csvnet.h): the files and the line of
     * each node's and edge's record, for messages ("lanes.csv:5: share:
     * ..."); NULL otherwise.  Borrowed (the scenario owns them). */
    const char *nodes_file, *edges_file;
    const int *node_line, *edge_line;
} rp_network;

/* The keys an edge object may have (NULL-terminated); strategies' add_edge
 * takes the same. */
extern const char *const rp_net_edge_keys[];

/* lead_time of network edges and of edges strategies add: an integer in
 * [1, RP_MAX_LEAD_TIME] (docs/formats.md, "Limits"; the engine's bounds,
 * ripple/bounds.h, hold every other value) */
#define RP_MAX_LEAD_TIME 3650
extern const rp_range RP_LEAD_TIME;

/* Parse a network object.  path is the JSON path prefix for messages
 * ("" for a network file, "network" when inline).  All content errors are
 * reported; returns RP_EINPUT if there were any. */
rp_status rp_net_parse(rp_jctx *c, const cJSON *obj, const char *path,
                       rp_network **out);
/* The same for a network in the document of pool (a scenario's or a
 * network file's), whose parse counted the nodes and edges. */
rp_status rp_net_parse_pooled(rp_jctx *c, const cJSON *obj, const char *path,
                              const rp_json_pool *pool, rp_network **out);
/* Deep copy of the arrays (strings stay borrowed), with room for extra
 * edges. */
rp_network *rp_net_clone(const rp_network *n, int extra_edges);
void rp_net_free(rp_network *n);
int rp_net_find(const rp_network *n, const char *id);
/* The node and edge strings a selector value is compared with. */
typedef enum {
    RP_NF_ID,
    RP_NF_KIND,
    RP_NF_REGION,
    RP_NF_TAG,
    RP_NF_INPUT /* edges' input group names */
} rp_net_field;
/* Does some node (for RP_NF_INPUT: edge) have exactly the value s? */
int rp_net_has_value(const rp_network *n, rp_net_field f, const char *s);
/* The distinct values of field f that equal s but for (ASCII) case, up to
 * three, written into buf as "A" or "B"; returns how many (0: none). */
int rp_net_case_twins(const rp_network *n, rp_net_field f, const char *s,
                      char *buf, size_t size);
/* Report `FILE: PATH: unknown node "ID"`, with "did you mean" when only
 * case tells id from a node's id. */
void rp_net_unknown_node(rp_jctx *c, const rp_network *n, const char *path,
                         const char *id);
/* Append an edge (room must have been reserved by rp_net_clone). */
int rp_net_push_edge(rp_network *n);

/* Node selectors (docs/formats.md): "all" or {ids, kinds, regions, tags}.
 * Fills mask[n_nodes] with 0/1; returns the number matched, or -1 with an
 * error reported (a selector matching nothing is an error, and so is a
 * listed value that matches nothing but would match ignoring case). */
int rp_net_select_nodes(rp_jctx *c, const rp_network *n, const cJSON *sel,
                        const char *path, unsigned char *mask);
/* Edge selectors: {from: SEL, to: SEL, inputs: [..]} (each optional). */
int rp_net_select_edges(rp_jctx *c, const rp_network *n, const cJSON *sel,
                        const char *path, unsigned char *mask);

#endif
