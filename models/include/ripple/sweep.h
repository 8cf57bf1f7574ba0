/* Structural sweep (`ripple sweep`, docs/sweep.md): how much of a network
 * can fail before the chain falls apart.  Nodes are removed in an order
 * (random, by degree, adaptive degree, betweenness, flow, demand) and, for
 * every fraction removed on a grid, three curves are measured: the giant
 * component, the served demand (AND over input groups, OR within a group,
 * least fixed point from the raw suppliers) and the supply availability.
 * Each whole curve costs O(N + E): nodes are added back in reverse
 * removal order, with union-find for the components (Newman & Ziff 2000)
 * and counters per input group for the AND/OR cascade.  An independent-
 * failure mode gives each customer's probability of being served.
 *
 * The sweep ignores stock, capacity and time: it is structural. */
#ifndef RIPPLE_SWEEP_H
#define RIPPLE_SWEEP_H

#include <stdint.h>

#include "ripple/error.h"
#include "ripple/model.h"

/* The purpose number of the sweep's random streams (rng.h's purposes end
 * well below it): stream (seed, replication, 0, order, RP_SWEEP_DRAW) for
 * an order's ties, and target RP_SWEEP_FAIL_TARGET for independent
 * failures. */
#define RP_SWEEP_DRAW 64
#define RP_SWEEP_FAIL_TARGET 0xFFFFu

enum {
    RP_SWEEP_RANDOM,
    RP_SWEEP_DEGREE,
    RP_SWEEP_DEGREE_ADAPTIVE,
    RP_SWEEP_BETWEENNESS,
    RP_SWEEP_FLOW,
    RP_SWEEP_DEMAND,
    RP_SWEEP_N_ORDERS
};
/* "random", "degree", ... in the order of the enum */
extern const char *const rp_sweep_order_name[RP_SWEEP_N_ORDERS];
/* The order of a name, or -1. */
int rp_sweep_order_of(const char *name);

/* The three curves */
enum { RP_SWEEP_GIANT, RP_SWEEP_SERVED, RP_SWEEP_AVAIL, RP_SWEEP_N_METRICS };

/* The network as the sweep sees it (owns its arrays). */
typedef struct rp_sweep_graph {
    int N, E, G;
    int *e_from, *e_to;       /* [E] supply links */
    int *adj_start, *adj;     /* undirected CSR: [N+1], [2E] */
    int *grp_start;           /* [N+1] input groups of node v */
    int *g_node;              /* [G] the group's buyer */
    int *out_start, *out_grp; /* [N+1], [E]: the groups a supplier feeds */
    double *F;                /* [N] final demand */
    double *flow;             /* [N] score of the flow order */
    double *demand;           /* [N] score of the demand order */
    double sumF;
    int n_demand; /* nodes with F > 0 */
    /* dependency units (rp_sweep_graph_set_units): unit_of[v] or -1;
     * members of unit u in unit_mem[unit_start[u] ..]; NULL when none */
    int n_units;
    int *unit_of, *unit_start, *unit_mem;
    unsigned char *g_internal; /* [G] a supplier in the buyer's unit */
} rp_sweep_graph;

/* A graph from supply links: edge e runs from[e] -> to[e] and belongs to
 * the buyer's input group group[e] (0 <= group[e] < E; the edges of one
 * group must share the buyer; ids need not be dense).  F: final demand
 * [N] (sum > 0).  flow and demand: the scores of those orders, or NULL
 * (zeros). */
rp_status rp_sweep_graph_build(int N, int E, const int *from, const int *to,
                               const int *group, const double *F,
                               const double *flow, const double *demand,
                               rp_sweep_graph **out, rp_errors *err);
/* The graph of a compiled model: every edge (standby ones too) in its
 * group, flow = baseline output x value, demand = value of final demand
 * served through the node (docs/sweep.md). */
rp_status rp_sweep_graph_from_model(const rp_model *m, rp_sweep_graph **out,
                                    rp_errors *err);
void rp_sweep_graph_free(rp_sweep_graph *g);

/* Interdependence (Buldyrev et al. 2010): a[k] and b[k] need each other
 * (e.g. a plant and the power or IT site it runs on).  Nodes joined by
 * such pairs form a unit that is functional only as a whole: every member
 * present and every member's input groups fed (a group with a supplier
 * inside the unit is fed when the unit runs).  (Treating the partner as
 * one more input group would, under the least fixed point, never start a
 * pair that needs each other.)  Dependency pairs do not join components
 * of the giant-component curve.  Call before rp_sweep_ws_alloc. */
rp_status rp_sweep_graph_set_units(rp_sweep_graph *g, int n, const int *a,
                                   const int *b, rp_errors *err);

/* Working memory of one thread. */
typedef struct rp_sweep_ws rp_sweep_ws;
rp_sweep_ws *rp_sweep_ws_alloc(const rp_sweep_graph *g);
void rp_sweep_ws_free(rp_sweep_ws *w);

/* One whole curve: order[0..N-1] is the removal order (a permutation);
 * fractions removed k / (K - 1), k = 0..K-1 (K >= 2), the first
 * round(f N) nodes of order removed.  Writes giant[K], served[K],
 * avail[K] (fractions of N, of total final demand, of demand nodes). */
void rp_sweep_curve(const rp_sweep_graph *g, rp_sweep_ws *w, const int *order,
                    int K, double *giant, double *served, double *avail);

/* The functional nodes when removed[v] != 0 are gone (least fixed point
 * from the raw suppliers): func[v] = 1 or 0.  Returns the served demand
 * fraction. */
double rp_sweep_functional(const rp_sweep_graph *g, rp_sweep_ws *w,
                           const unsigned char *removed, unsigned char *func);

/* Ranked orders: nodes by score, highest first, ties in runs shuffled per
 * replication. */
typedef struct rp_sweep_rank {
    int order;  /* RP_SWEEP_... */
    int *nodes; /* [N] highest score first, ties by index */
    int *runs;  /* [n_runs + 1] start of each run of equal scores */
    int n_runs;
} rp_sweep_rank;

/* Rank the nodes for an order (betweenness: igraph, directed, once). */
rp_status rp_sweep_rank_build(const rp_sweep_graph *g, int order,
                              rp_sweep_rank *out, rp_errors *err);
void rp_sweep_rank_free(rp_sweep_rank *r);
/* Removal order of replication rep (ties shuffled with the stream
 * (seed, rep, 0, order, RP_SWEEP_DRAW)); degree_adaptive is computed here
 * (rank may be NULL for it). */
void rp_sweep_order_draw(const rp_sweep_graph *g, const rp_sweep_rank *rank,
                         int order, uint64_t seed, uint64_t rep,
                         rp_sweep_ws *w, int *out);

typedef struct rp_sweep_opts {
    int K;        /* grid points (>= 2) */
    int n_orders; /* 0: no curves */
    int orders[RP_SWEEP_N_ORDERS];
    int64_t R; /* replications */
    uint64_t seed;
    int threads;
    double q;             /* independent failure probability; NaN: none */
    const double *q_node; /* [N] per-node probabilities, or NULL */
} rp_sweep_opts;

typedef struct rp_sweep_result {
    int N, K, n_orders;
    int orders[RP_SWEEP_N_ORDERS];
    int64_t R;
    double *fraction; /* [K] */
    /* [metric][n_orders * K]: mean, 95% confidence interval of the mean */
    double *mean[RP_SWEEP_N_METRICS], *lo[RP_SWEEP_N_METRICS],
        *hi[RP_SWEEP_N_METRICS];
    double *critical; /* [n_orders]: first fraction with served mean < 0.5 */
    /* independent failures (p_served NULL when not asked) */
    double q;
    double *p_served;      /* [N] NaN for nodes without final demand */
    double fail_served[3]; /* served demand: mean, ci95 low, high */
} rp_sweep_result;

rp_status rp_sweep_run(const rp_sweep_graph *g, const rp_sweep_opts *o,
                       rp_sweep_result **out, rp_errors *err);
void rp_sweep_result_free(rp_sweep_result *r);

/* `ripple sweep` (app/sweep.c): argv[0] is "sweep"; returns the exit
 * status (0, 1 runtime failure, 2 bad input). */
int rp_cmd_sweep(int argc, char **argv, const char *cmdline);

/* `ripple report` of a sweep file (app/sweep_report.c): is `path` one
 * (HDF5 with filetype "ripple-sweep")?  And its page: the curves of every
 * order with their bands, the critical fractions, the least-served
 * customers; a damaged file gives RP_EINPUT naming the object. */
int rp_sweep_is_file(const char *path);
rp_status rp_sweep_report(const char *in, const char *out, rp_errors *err);

#endif
