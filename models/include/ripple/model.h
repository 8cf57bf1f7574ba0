/* The compiled model: a network with defaults resolved, input groups built,
 * the baseline of docs/model.md solved, and everything laid out for the
 * daily loop (structure-of-arrays, CSR adjacency, edges ordered by group). */
#ifndef RIPPLE_MODEL_H
#define RIPPLE_MODEL_H

#include "ripple/error.h"
#include "ripple/network.h"

/* The version of the model this engine computes: 2 adds the health of
 * each node and its supply base to the availability buyers judge
 * suppliers by (docs/model.md, "Health"). */
#define RP_MODEL_VERSION 2

typedef struct rp_params {
    double replenishment_days; /* tau > 0 (default 6) */
    double spare_capacity;     /* sigma >= 0 (default 0.1) */
    double inventory_days;     /* default n_i (default 7) */
    double service_target;     /* default 0.99 */
} rp_params;

void rp_params_default(rp_params *p);

typedef struct rp_model {
    const rp_network *net; /* borrowed */
    rp_params par;
    int N, E, G;
    int sweeps;    /* baseline iterations used */
    int has_cycle; /* some baseline flow runs in a cycle */
    /* nodes */
    double *F, *cap, *x0, *v, *prot, *ninv, *rf;
    unsigned char *cap_given;
    int *grp_start; /* N+1: groups of node k */
    int *out_start; /* N+1: out-edges of node j in out_edge[] */
    int *out_edge;  /* internal edge indices */
    double sumF;
    /* groups */
    int *g_node;
    double *g_ratio;
    int *g_estart; /* G+1: edges of group g are g_estart[g].. */
    const char **g_name;
    int *g_nprim; /* non-standby edges in the group */
    /* edges, internal (group) order */
    int *e_from, *e_to, *e_grp, *e_L, *e_delay, *e_orig;
    unsigned char *e_standby;
    double *e_share, *e_b, *e_f0;
    int *e_of_orig; /* network edge index -> internal index */
    long pipe_len;  /* ring slots in all (laid out by the workspace) */
    /* nodes with every supplier before its buyers, if the network has no
     * cycle (acyclic = 1; standby edges count); else node order */
    int *topo;
    int acyclic;
    /* N: every input group of the node has one supplier, not standby (1),
     * and every one of them is a merged one-day input (2); else 0 */
    unsigned char *simple;
    /* G: the group is the one-day input of a simple node: its stock slot
     * carries the shipment on its way, and it has no ring */
    unsigned char *g_merged;
    /* N: some buyer weighs the node's availability (docs/model.md: the
     * node supplies a group of several edges, or a standby edge); for the
     * others availability is never read, and not computed */
    unsigned char *avail_read;
    /* N: the node's health is needed (its availability is read, or it
     * supplies such a node over primary edges, at any distance) */
    unsigned char *health_read;
    double *h0; /* N: health at baseline (1 up to rounding) */
    int max_lead;
} rp_model;

/* The capacity part of node j's health, c_j, under damage delta:
 * min(1, cap (1 - delta) / x0) for a node with baseline output, else 1
 * unless it is down completely. */
static inline double rp_health_capacity(const rp_model *m, int j, double delta)
{
    if (m->x0[j] > 0) {
        double c = m->cap[j] * (1.0 - delta) / m->x0[j];
        return c < 1.0 ? c : 1.0;
    }
    return delta < 1.0 ? 1.0 : 0.0;
}

static inline double rp_health_min(double a, double b)
{
    return a < b ? a : b;
}

/* Build and solve.  Errors (bad groups, non-converging cycle, capacity below
 * baseline, no final demand) are reported with the network's file label. */
rp_status rp_model_build(const rp_network *net, const rp_params *par,
                         rp_model **out, rp_errors *err);
void rp_model_free(rp_model *m);

#endif
