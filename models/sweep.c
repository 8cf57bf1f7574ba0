/* Structural sweep: attack and failure tolerance curves (docs/sweep.md).
 *
 * A curve is computed backwards: the network starts empty and the nodes
 * are added in reverse removal order.  After i additions the present nodes
 * are exactly those left when N - i have been removed, so every point of
 * the grid is read off one pass.  Adding a node
 *  - joins it to its present neighbours with union-find (union by size,
 *    path halving), keeping the largest component (Newman & Ziff 2000);
 *  - makes it functional if every input group of it already has a
 *    functional supplier (need[v] == 0: groups without one); a node that
 *    becomes functional raises the counter of every group it feeds, and a
 *    group whose counter goes 0 -> 1 lowers its buyer's need, which may
 *    make the buyer functional in turn (a stack of such events).
 * Functional sets only grow as nodes are added, so each edge is looked at
 * once per curve: O(N + E) with union-find's near-constant factor.  The
 * events start only from nodes with no unmet group (raw suppliers first),
 * so the result is the least fixed point: a cycle whose members need each
 * other and get nothing from outside never becomes functional. */
#include "ripple/sweep.h"

#include <gsl/gsl_rng.h>
#include <igraph/igraph.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/rng.h"

const char *const rp_sweep_order_name[RP_SWEEP_N_ORDERS] = {
    "random", "degree", "degree_adaptive", "betweenness", "flow", "demand"};

int rp_sweep_order_of(const char *name)
{
    for (int o = 0; o < RP_SWEEP_N_ORDERS; o++)
        if (strcmp(name, rp_sweep_order_name[o]) == 0)
            return o;
    return -1;
}

void rp_sweep_graph_free(rp_sweep_graph *g)
{
    if (g == NULL)
        return;
    free(g->e_from);
    free(g->e_to);
    free(g->adj_start);
    free(g->adj);
    free(g->grp_start);
    free(g->g_node);
    free(g->out_start);
    free(g->out_grp);
    free(g->F);
    free(g->flow);
    free(g->demand);
    free(g->unit_of);
    free(g->unit_start);
    free(g->unit_mem);
    free(g->g_internal);
    free(g);
}

static void *xcalloc(size_t n, size_t sz, int *bad)
{
    void *p = calloc(n ? n : 1, sz);
    if (p == NULL)
        *bad = 1;
    return p;
}

/* Counts start[v + 1] made the starts of a CSR (start[0] == 0). */
static void csr_starts(int *start, int N)
{
    for (int v = 0; v < N; v++)
        start[v + 1] += start[v];
}

/* The input groups, ids renumbered so that a node's groups are
 * consecutive: grp_start, G, g_node, and newid[q], the new id of group q.
 * buyer [E] and fill [N + 1]: scratch.  RP_OK, or the error added. */
static rp_status build_groups(rp_sweep_graph *g, const int *to,
                              const int *group, int *buyer, int *newid,
                              int *fill, rp_errors *err)
{
    const int N = g->N, E = g->E;
    int bad = 0;
    for (int k = 0; k < E; k++)
        buyer[k] = -1;
    for (int k = 0; k < E; k++) {
        int q = group[k];
        if (buyer[q] >= 0 && buyer[q] != to[k])
            return rp_err_add(err, "sweep: edge %d: group %d has two buyers",
                              k, q);
        buyer[q] = to[k];
    }
    for (int q = 0; q < E; q++)
        if (buyer[q] >= 0)
            g->grp_start[buyer[q] + 1]++;
    csr_starts(g->grp_start, N);
    g->G = g->grp_start[N];
    g->g_node = xcalloc((size_t)g->G, sizeof(int), &bad);
    if (bad)
        return rp_err_runtime(err, "out of memory");
    memcpy(fill, g->grp_start, (size_t)N * sizeof(int));
    for (int q = 0; q < E; q++)
        if (buyer[q] >= 0) {
            newid[q] = fill[buyer[q]]++;
            g->g_node[newid[q]] = buyer[q];
        }
    return RP_OK;
}

/* The groups each supplier feeds (out_start, out_grp) and the undirected
 * adjacency (adj_start, adj).  fill [N + 1]: scratch. */
static void build_links(rp_sweep_graph *g, const int *from, const int *to,
                        const int *group, const int *newid, int *fill)
{
    const int N = g->N, E = g->E;
    for (int k = 0; k < E; k++)
        g->out_start[from[k] + 1]++;
    csr_starts(g->out_start, N);
    memcpy(fill, g->out_start, (size_t)N * sizeof(int));
    for (int k = 0; k < E; k++)
        g->out_grp[fill[from[k]]++] = newid[group[k]];
    for (int k = 0; k < E; k++) {
        g->adj_start[from[k] + 1]++;
        g->adj_start[to[k] + 1]++;
    }
    csr_starts(g->adj_start, N);
    memcpy(fill, g->adj_start, (size_t)N * sizeof(int));
    for (int k = 0; k < E; k++) {
        g->adj[fill[from[k]]++] = to[k];
        g->adj[fill[to[k]]++] = from[k];
    }
}

/* Final demand (checked: >= 0, some > 0) and the orders' scores. */
static rp_status set_node_values(rp_sweep_graph *g, const double *F,
                                 const double *flow, const double *demand,
                                 rp_errors *err)
{
    g->sumF = 0;
    g->n_demand = 0;
    for (int v = 0; v < g->N; v++) {
        double f = F[v];
        if (!(f >= 0) || !isfinite(f))
            return rp_err_add(err, "sweep: node %d: final demand must be >= 0",
                              v);
        g->F[v] = f;
        g->sumF += f;
        g->n_demand += f > 0;
        g->flow[v] = flow != NULL ? flow[v] : 0;
        g->demand[v] = demand != NULL ? demand[v] : 0;
    }
    if (!(g->sumF > 0))
        return rp_err_add(err, "sweep: the network has no final demand");
    return RP_OK;
}

rp_status rp_sweep_graph_build(int N, int E, const int *from, const int *to,
                               const int *group, const double *F,
                               const double *flow, const double *demand,
                               rp_sweep_graph **out, rp_errors *err)
{
    *out = NULL;
    if (N < 1 || E < 0)
        return rp_err_add(err, "sweep: the network has no nodes");
    int bad = 0;
    rp_sweep_graph *g = calloc(1, sizeof *g);
    if (g == NULL)
        return rp_err_runtime(err, "out of memory");
    g->N = N;
    g->E = E;
    size_t n = (size_t)N, e = (size_t)E;
    g->e_from = xcalloc(e, sizeof(int), &bad);
    g->e_to = xcalloc(e, sizeof(int), &bad);
    g->adj_start = xcalloc(n + 1, sizeof(int), &bad);
    g->adj = xcalloc(2 * e, sizeof(int), &bad);
    g->grp_start = xcalloc(n + 1, sizeof(int), &bad);
    g->out_start = xcalloc(n + 1, sizeof(int), &bad);
    g->out_grp = xcalloc(e, sizeof(int), &bad);
    g->F = xcalloc(n, sizeof(double), &bad);
    g->flow = xcalloc(n, sizeof(double), &bad);
    g->demand = xcalloc(n, sizeof(double), &bad);
    int *buyer = xcalloc(e, sizeof(int), &bad); /* by group id */
    int *newid = xcalloc(e, sizeof(int), &bad);
    int *fill = xcalloc(n + 1, sizeof(int), &bad);
    rp_status st = RP_OK;
    if (bad)
        st = rp_err_runtime(err, "out of memory");
    for (int k = 0; st == RP_OK && k < E; k++) {
        if (from[k] < 0 || from[k] >= N || to[k] < 0 || to[k] >= N ||
            group[k] < 0 || group[k] >= E) {
            st = rp_err_add(err, "sweep: edge %d: node or group out of range",
                            k);
            break;
        }
        g->e_from[k] = from[k];
        g->e_to[k] = to[k];
    }
    if (st == RP_OK)
        st = build_groups(g, to, group, buyer, newid, fill, err);
    if (st == RP_OK) {
        build_links(g, from, to, group, newid, fill);
        st = set_node_values(g, F, flow, demand, err);
    }
    free(buyer);
    free(newid);
    free(fill);
    if (st != RP_OK) {
        rp_sweep_graph_free(g);
        return rp_err_status(err);
    }
    *out = g;
    return RP_OK;
}

rp_status rp_sweep_graph_set_units(rp_sweep_graph *g, int n, const int *a,
                                   const int *b, rp_errors *err)
{
    const int N = g->N;
    int bad = 0;
    int *root = xcalloc((size_t)N, sizeof(int), &bad);
    int *uf = xcalloc((size_t)N, sizeof(int), &bad);
    int *unit_of = xcalloc((size_t)N, sizeof(int), &bad);
    int *start = xcalloc((size_t)N + 1, sizeof(int), &bad);
    int *mem = xcalloc((size_t)N, sizeof(int), &bad);
    if (bad) {
        free(root);
        free(uf);
        free(unit_of);
        free(start);
        free(mem);
        return rp_err_runtime(err, "out of memory");
    }
    for (int v = 0; v < N; v++)
        uf[v] = v;
    for (int k = 0; k < n; k++) {
        if (a[k] < 0 || a[k] >= N || b[k] < 0 || b[k] >= N || a[k] == b[k]) {
            free(root);
            free(uf);
            free(unit_of);
            free(start);
            free(mem);
            return rp_err_add(err,
                              "sweep: dependency %d: two distinct "
                              "nodes needed",
                              k);
        }
        int x = a[k], y = b[k];
        while (uf[x] != x)
            x = uf[x] = uf[uf[x]];
        while (uf[y] != y)
            y = uf[y] = uf[uf[y]];
        if (x != y)
            uf[x > y ? x : y] = x < y ? x : y;
    }
    /* units: the components with two or more nodes, numbered by their
     * smallest node; members ascending */
    int U = 0;
    for (int v = 0; v < N; v++) {
        int x = v;
        while (uf[x] != x)
            x = uf[x];
        root[v] = x;
        unit_of[v] = -1;
    }
    int *size = start; /* counts first, then starts */
    for (int v = 0; v < N; v++)
        size[root[v]]++;
    for (int v = 0; v < N; v++)
        if (root[v] == v && size[v] > 1)
            uf[v] = U++; /* uf reused: root -> unit */
    for (int v = 0; v < N; v++)
        if (size[root[v]] > 1)
            unit_of[v] = uf[root[v]];
    memset(start, 0, ((size_t)N + 1) * sizeof(int));
    for (int v = 0; v < N; v++)
        if (unit_of[v] >= 0)
            start[unit_of[v] + 1]++;
    for (int u = 0; u < U; u++)
        start[u + 1] += start[u];
    memcpy(root, start, (size_t)U * sizeof(int)); /* fill positions */
    for (int v = 0; v < N; v++)
        if (unit_of[v] >= 0)
            mem[root[unit_of[v]]++] = v;
    free(root);
    free(uf);
    unsigned char *internal = calloc((size_t)(g->G ? g->G : 1), 1);
    if (internal == NULL) {
        free(unit_of);
        free(start);
        free(mem);
        return rp_err_runtime(err, "out of memory");
    }
    for (int u = 0; u < N; u++)
        for (int q = g->out_start[u]; q < g->out_start[u + 1]; q++) {
            int b2 = g->g_node[g->out_grp[q]];
            if (unit_of[u] >= 0 && unit_of[u] == unit_of[b2])
                internal[g->out_grp[q]] = 1;
        }
    free(g->unit_of);
    free(g->unit_start);
    free(g->unit_mem);
    free(g->g_internal);
    g->g_internal = internal;
    g->unit_of = unit_of;
    g->unit_start = start;
    g->unit_mem = mem;
    g->n_units = U;
    return RP_OK;
}

/* Value of final demand served through each node: d_j = F_j v_j + sum over
 * j's primary (non-standby) edges j -> k of share x d_k, the buyer's
 * demand split over its suppliers by baseline shares.  Without cycles it
 * is exact (reverse topological order); with cycles, Jacobi sweeps from
 * d = F v until the largest change is at most 1e-12 x max(1, max d), at
 * most 1000 (the paths of up to 1000 links). */
static void demand_through(const rp_model *m, double *d, double *tmp)
{
    const int N = m->N;
    for (int j = 0; j < N; j++)
        d[j] = m->F[j] * m->v[j];
    if (m->acyclic) {
        for (int t = N - 1; t >= 0; t--) {
            int j = m->topo[t];
            double s = m->F[j] * m->v[j];
            for (int q = m->out_start[j]; q < m->out_start[j + 1]; q++) {
                int e = m->out_edge[q];
                if (!m->e_standby[e])
                    s += m->e_share[e] * d[m->e_to[e]];
            }
            d[j] = s;
        }
        return;
    }
    for (int it = 0; it < 1000; it++) {
        double change = 0, big = 1;
        for (int j = 0; j < N; j++) {
            double s = m->F[j] * m->v[j];
            for (int q = m->out_start[j]; q < m->out_start[j + 1]; q++) {
                int e = m->out_edge[q];
                if (!m->e_standby[e])
                    s += m->e_share[e] * d[m->e_to[e]];
            }
            tmp[j] = s;
            change = fmax(change, fabs(s - d[j]));
            big = fmax(big, s);
        }
        memcpy(d, tmp, (size_t)N * sizeof *d);
        if (change <= 1e-12 * big)
            break;
    }
}

rp_status rp_sweep_graph_from_model(const rp_model *m, rp_sweep_graph **out,
                                    rp_errors *err)
{
    *out = NULL;
    size_t n = (size_t)m->N;
    double *flow = malloc((n ? n : 1) * sizeof *flow);
    double *dem = malloc((n ? n : 1) * sizeof *dem);
    double *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (flow == NULL || dem == NULL || tmp == NULL) {
        free(flow);
        free(dem);
        free(tmp);
        return rp_err_runtime(err, "out of memory");
    }
    for (int j = 0; j < m->N; j++)
        flow[j] = m->x0[j] * m->v[j];
    demand_through(m, dem, tmp);
    rp_status st = rp_sweep_graph_build(m->N, m->E, m->e_from, m->e_to,
                                        m->e_grp, m->F, flow, dem, out, err);
    free(flow);
    free(dem);
    free(tmp);
    return st;
}

/* ---- one curve ---- */

/* What a thread changes while adding nodes, packed so that touching a
 * node or a group costs one cache line: the curve is bound by memory
 * latency (random neighbours), not by arithmetic. */
typedef struct {
    double F;
    int need; /* input groups without a functional supplier */
    int nsup; /* functional suppliers, all groups */
    unsigned char present, func, dem, raw;
    int unit; /* its dependency unit, or -1 */
} node_st;

typedef struct {
    int cnt;   /* functional suppliers in the group */
    int buyer; /* the group's buyer */
} grp_st;

/* union-find: uf[v] < 0 a root of -uf[v] nodes, >= 0 the parent, ABSENT
 * a node not added yet */
#define ABSENT INT32_MIN

struct rp_sweep_ws {
    node_st *nd;
    grp_st *gs;
    int32_t *uf;
    int *ucnt; /* per unit: missing members + members' unmet groups */
    int *stack;
    /* adaptive degree: bucket lists */
    int *deg, *nxt, *prv, *head, maxdeg;
    int *tmp;
    unsigned char *gone;
    gsl_rng *r;
};

void rp_sweep_ws_free(rp_sweep_ws *w)
{
    if (w == NULL)
        return;
    free(w->nd);
    free(w->gs);
    free(w->uf);
    free(w->ucnt);
    free(w->stack);
    free(w->deg);
    free(w->nxt);
    free(w->prv);
    free(w->head);
    free(w->tmp);
    free(w->gone);
    if (w->r != NULL)
        gsl_rng_free(w->r);
    free(w);
}

rp_sweep_ws *rp_sweep_ws_alloc(const rp_sweep_graph *g)
{
    rp_sweep_ws *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    int bad = 0;
    size_t n = (size_t)g->N;
    w->maxdeg = 0;
    for (int v = 0; v < g->N; v++) {
        int d = g->adj_start[v + 1] - g->adj_start[v];
        if (d > w->maxdeg)
            w->maxdeg = d;
    }
    w->nd = xcalloc(n, sizeof *w->nd, &bad);
    w->gs = xcalloc((size_t)g->G, sizeof *w->gs, &bad);
    w->uf = xcalloc(n, sizeof *w->uf, &bad);
    w->ucnt = xcalloc((size_t)g->n_units, sizeof *w->ucnt, &bad);
    w->stack = xcalloc(n, sizeof(int), &bad);
    w->deg = xcalloc(n, sizeof(int), &bad);
    w->nxt = xcalloc(n, sizeof(int), &bad);
    w->prv = xcalloc(n, sizeof(int), &bad);
    w->head = xcalloc((size_t)w->maxdeg + 1, sizeof(int), &bad);
    w->tmp = xcalloc(n, sizeof(int), &bad);
    w->gone = xcalloc(n, 1, &bad);
    w->r = gsl_rng_alloc(rp_rng_philox);
    if (bad || w->r == NULL) {
        rp_sweep_ws_free(w);
        return NULL;
    }
    return w;
}

typedef struct {
    int largest;
    int avail;
    double served;
} tally;

static void reset(const rp_sweep_graph *g, rp_sweep_ws *w)
{
    const int N = g->N;
    for (int v = 0; v < N; v++) {
        node_st *s = &w->nd[v];
        s->F = g->F[v];
        s->need = g->grp_start[v + 1] - g->grp_start[v];
        s->nsup = 0;
        s->present = 0;
        s->func = 0;
        s->dem = g->F[v] > 0;
        s->raw = s->need == 0;
        s->unit = g->unit_of != NULL ? g->unit_of[v] : -1;
        w->uf[v] = ABSENT;
    }
    for (int q = 0; q < g->G; q++) {
        w->gs[q].cnt = 0;
        w->gs[q].buyer = g->g_node[q];
    }
    /* a group fed from inside its buyer's unit is met when the unit
     * starts (its members start together): counted as met from the
     * outset, so it neither holds the unit back nor releases it */
    for (int q = 0; g->g_internal != NULL && q < g->G; q++)
        if (g->g_internal[q]) {
            w->gs[q].cnt = 1;
            w->nd[g->g_node[q]].need--;
        }
    /* a unit waits for its members and their unmet groups */
    for (int u = 0; u < g->n_units; u++) {
        int c = 0;
        for (int q = g->unit_start[u]; q < g->unit_start[u + 1]; q++) {
            int v = g->unit_mem[q];
            c += w->nd[v].need + 1;
        }
        w->ucnt[u] = c;
    }
}

static int find(int32_t *uf, int v)
{
    while (uf[v] >= 0) {
        int p = uf[v];
        if (uf[p] >= 0)
            uf[v] = uf[p]; /* path halving */
        v = p;
    }
    return v;
}

/* The members of unit u become functional (pushed on the stack). */
static int push_unit(const rp_sweep_graph *g, rp_sweep_ws *w, int u, int top)
{
    for (int q = g->unit_start[u]; q < g->unit_start[u + 1]; q++) {
        int m = g->unit_mem[q];
        w->nd[m].func = 1;
        w->stack[top++] = m;
    }
    return top;
}

/* v (or v's unit) and everything it unlocks become functional */
static void activate(const rp_sweep_graph *g, rp_sweep_ws *w, int v, tally *t)
{
    int top = 0;
    if (w->nd[v].unit >= 0) {
        top = push_unit(g, w, w->nd[v].unit, top);
    } else {
        w->nd[v].func = 1;
        w->stack[top++] = v;
    }
    while (top > 0) {
        int u = w->stack[--top];
        t->served += w->nd[u].F;
        const int *og = g->out_grp;
        for (int q = g->out_start[u]; q < g->out_start[u + 1]; q++) {
            grp_st *gr = &w->gs[og[q]];
            node_st *b = &w->nd[gr->buyer];
            if (++b->nsup == 1 && b->present && b->dem)
                t->avail++; /* first functional supplier of a customer */
            if (++gr->cnt != 1)
                continue;
            --b->need;
            if (b->unit >= 0) {
                if (--w->ucnt[b->unit] == 0)
                    top = push_unit(g, w, b->unit, top);
            } else if (b->need == 0 && b->present && !b->func) {
                b->func = 1;
                w->stack[top++] = gr->buyer;
            }
        }
    }
}

/* Add node v back (present) */
__attribute__((always_inline)) static inline void
add_node(const rp_sweep_graph *g, rp_sweep_ws *w, int v, tally *t,
         int components)
{
    node_st *s = &w->nd[v];
    s->present = 1;
    if (components) {
        int32_t *uf = w->uf;
        int rv = v;
        uf[v] = -1;
        for (int q = g->adj_start[v]; q < g->adj_start[v + 1]; q++) {
            int u = g->adj[q];
            if (uf[u] == ABSENT)
                continue;
            int ru = find(uf, u);
            if (ru == rv)
                continue;
            if (uf[ru] < uf[rv]) { /* ru is the larger: it becomes root */
                int x = ru;
                ru = rv;
                rv = x;
            }
            uf[rv] += uf[ru];
            uf[ru] = rv;
        }
        if (-uf[rv] > t->largest)
            t->largest = -uf[rv];
    }
    /* available: a customer that is raw itself or has a functional
     * supplier */
    if (s->dem && (s->raw || s->nsup > 0))
        t->avail++;
    if (s->unit >= 0 ? --w->ucnt[s->unit] == 0 : s->need == 0)
        activate(g, w, v, t);
}

static long present_target(int N, int K, int k)
{
    double f = (double)k / (double)(K - 1);
    return (long)N - lround(f * (double)N);
}

/* How far ahead the nodes to add are prefetched: their adjacency lists
 * (2 D ahead) and then their neighbours' state (D ahead). */
enum { PF = 8 };

void rp_sweep_curve(const rp_sweep_graph *g, rp_sweep_ws *w, const int *order,
                    int K, double *giant, double *served, double *avail)
{
    const int N = g->N;
    reset(g, w);
    tally t = {0, 0, 0};
    int k = K - 1;
    double nd = g->n_demand > 0 ? (double)g->n_demand : 1.0;
    long next = present_target(N, K, k);
    for (long i = 0; i <= N; i++) {
        if (i > 0) {
            if (i + 2 * PF <= N) {
                int a = order[N - i - 2 * PF];
                __builtin_prefetch(&g->adj_start[a]);
                __builtin_prefetch(&g->out_start[a]);
            }
            if (i + PF <= N) {
                int a = order[N - i - PF];
                __builtin_prefetch(&w->nd[a], 1);
                for (int q = g->adj_start[a]; q < g->adj_start[a + 1]; q++)
                    __builtin_prefetch(&w->uf[g->adj[q]], 1);
                for (int q = g->out_start[a]; q < g->out_start[a + 1]; q++)
                    __builtin_prefetch(&w->gs[g->out_grp[q]], 1);
            }
            add_node(g, w, order[N - i], &t, 1);
        }
        while (k >= 0 && next == i) {
            giant[k] = (double)t.largest / (double)N;
            served[k] = t.served / g->sumF;
            avail[k] = (double)t.avail / nd;
            k--;
            next = k >= 0 ? present_target(N, K, k) : -1;
        }
    }
}

double rp_sweep_functional(const rp_sweep_graph *g, rp_sweep_ws *w,
                           const unsigned char *removed, unsigned char *func)
{
    reset(g, w);
    tally t = {0, 0, 0};
    for (int v = 0; v < g->N; v++)
        if (!removed[v])
            add_node(g, w, v, &t, 0);
    if (func != NULL)
        for (int v = 0; v < g->N; v++)
            func[v] = w->nd[v].func;
    return t.served / g->sumF;
}

/* ---- orders ---- */

typedef struct {
    double s;
    int v;
} scored;

static int by_score(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->s != y->s)
        return x->s > y->s ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v);
}

/* Directed betweenness over the supply links (as the attack threat's
 * targeting), igraph. */
static int betweenness(const rp_sweep_graph *g, double *out)
{
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_vector_int_t ev;
    if (igraph_vector_int_init(&ev, 2 * (igraph_integer_t)g->E) != 0)
        return -1;
    for (int e = 0; e < g->E; e++) {
        VECTOR(ev)[2 * e] = g->e_from[e];
        VECTOR(ev)[2 * e + 1] = g->e_to[e];
    }
    igraph_t ig;
    int rc = igraph_create(&ig, &ev, g->N, IGRAPH_DIRECTED);
    igraph_vector_int_destroy(&ev);
    if (rc != 0)
        return -1;
    igraph_vector_t res;
    if (igraph_vector_init(&res, 0) != 0) {
        igraph_destroy(&ig);
        return -1;
    }
    rc =
        igraph_betweenness(&ig, &res, igraph_vss_all(), IGRAPH_DIRECTED, NULL);
    if (rc == 0)
        for (int i = 0; i < g->N; i++)
            out[i] = VECTOR(res)[i];
    igraph_vector_destroy(&res);
    igraph_destroy(&ig);
    return rc == 0 ? 0 : -1;
}

void rp_sweep_rank_free(rp_sweep_rank *r)
{
    if (r == NULL)
        return;
    free(r->nodes);
    free(r->runs);
    r->nodes = r->runs = NULL;
}

rp_status rp_sweep_rank_build(const rp_sweep_graph *g, int order,
                              rp_sweep_rank *out, rp_errors *err)
{
    const int N = g->N;
    memset(out, 0, sizeof *out);
    out->order = order;
    scored *sc = malloc((size_t)N * sizeof *sc);
    out->nodes = malloc((size_t)N * sizeof *out->nodes);
    out->runs = malloc(((size_t)N + 1) * sizeof *out->runs);
    double *bw = NULL;
    if (sc == NULL || out->nodes == NULL || out->runs == NULL)
        goto oom;
    if (order == RP_SWEEP_BETWEENNESS) {
        bw = malloc((size_t)N * sizeof *bw);
        if (bw == NULL)
            goto oom;
        if (betweenness(g, bw) != 0) {
            free(bw);
            free(sc);
            rp_sweep_rank_free(out);
            return rp_err_runtime(err, "sweep: igraph could not compute the "
                                       "betweenness");
        }
    }
    for (int v = 0; v < N; v++) {
        double s = 0;
        switch (order) {
        case RP_SWEEP_DEGREE:
        case RP_SWEEP_DEGREE_ADAPTIVE:
            s = g->adj_start[v + 1] - g->adj_start[v];
            break;
        case RP_SWEEP_BETWEENNESS:
            s = bw[v];
            break;
        case RP_SWEEP_FLOW:
            s = g->flow[v];
            break;
        case RP_SWEEP_DEMAND:
            s = g->demand[v];
            break;
        default:
            break;
        }
        sc[v].s = s;
        sc[v].v = v;
    }
    qsort(sc, (size_t)N, sizeof *sc, by_score);
    out->n_runs = 0;
    for (int i = 0; i < N; i++) {
        out->nodes[i] = sc[i].v;
        if (i == 0 || sc[i].s != sc[i - 1].s)
            out->runs[out->n_runs++] = i;
    }
    out->runs[out->n_runs] = N;
    free(bw);
    free(sc);
    return RP_OK;
oom:
    free(bw);
    free(sc);
    rp_sweep_rank_free(out);
    return rp_err_runtime(err, "out of memory");
}

static void shuffle(gsl_rng *r, int *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)gsl_rng_uniform_int(r, (unsigned long)i + 1);
        int x = a[i];
        a[i] = a[j];
        a[j] = x;
    }
}

/* Highest current degree first: degrees fall as nodes go, so the top
 * bucket only moves down; ties in the order of a random permutation (the
 * replication's), a node whose degree drops going to the front of its
 * new bucket. */
static void adaptive(const rp_sweep_graph *g, rp_sweep_ws *w, int *out)
{
    const int N = g->N;
    int *perm = w->tmp;
    for (int v = 0; v < N; v++)
        perm[v] = v;
    shuffle(w->r, perm, N);
    for (int d = 0; d <= w->maxdeg; d++)
        w->head[d] = -1;
    /* build the buckets back to front, so each holds perm's order */
    for (int i = N - 1; i >= 0; i--) {
        int v = perm[i], d = g->adj_start[v + 1] - g->adj_start[v];
        w->deg[v] = d;
        w->prv[v] = -1;
        w->nxt[v] = w->head[d];
        if (w->head[d] >= 0)
            w->prv[w->head[d]] = v;
        w->head[d] = v;
    }
    unsigned char *gone = w->gone;
    memset(gone, 0, (size_t)N);
    int top = w->maxdeg;
    for (int t = 0; t < N; t++) {
        while (w->head[top] < 0)
            top--;
        int v = w->head[top];
        w->head[top] = w->nxt[v];
        if (w->nxt[v] >= 0)
            w->prv[w->nxt[v]] = -1;
        gone[v] = 1;
        out[t] = v;
        for (int q = g->adj_start[v]; q < g->adj_start[v + 1]; q++) {
            int u = g->adj[q];
            if (gone[u])
                continue;
            int d = w->deg[u];
            /* unlink u from bucket d, push it on bucket d - 1 */
            if (w->prv[u] >= 0)
                w->nxt[w->prv[u]] = w->nxt[u];
            else
                w->head[d] = w->nxt[u];
            if (w->nxt[u] >= 0)
                w->prv[w->nxt[u]] = w->prv[u];
            d--;
            w->deg[u] = d;
            w->prv[u] = -1;
            w->nxt[u] = w->head[d];
            if (w->head[d] >= 0)
                w->prv[w->head[d]] = u;
            w->head[d] = u;
        }
    }
}

void rp_sweep_order_draw(const rp_sweep_graph *g, const rp_sweep_rank *rank,
                         int order, uint64_t seed, uint64_t rep,
                         rp_sweep_ws *w, int *out)
{
    rp_rng_stream(w->r, seed, rep, 0, (uint32_t)order, RP_SWEEP_DRAW);
    if (order == RP_SWEEP_DEGREE_ADAPTIVE) {
        adaptive(g, w, out);
        return;
    }
    if (order == RP_SWEEP_RANDOM || rank == NULL) {
        for (int v = 0; v < g->N; v++)
            out[v] = v;
        shuffle(w->r, out, g->N);
        return;
    }
    memcpy(out, rank->nodes, (size_t)g->N * sizeof *out);
    for (int k = 0; k < rank->n_runs; k++) {
        int a = rank->runs[k], n = rank->runs[k + 1] - a;
        if (n > 1)
            shuffle(w->r, out + a, n);
    }
}

/* ---- replications ---- */

void rp_sweep_result_free(rp_sweep_result *r)
{
    if (r == NULL)
        return;
    free(r->fraction);
    for (int m = 0; m < RP_SWEEP_N_METRICS; m++) {
        free(r->mean[m]);
        free(r->lo[m]);
        free(r->hi[m]);
    }
    free(r->critical);
    free(r->p_served);
    free(r);
}

/* mean and the 95% normal interval of the mean from Welford's sums */
static void interval(double mean, double m2, int64_t R, double *lo, double *hi)
{
    if (R < 2) {
        *lo = *hi = NAN;
        return;
    }
    double se = sqrt(m2 / (double)(R - 1) / (double)R);
    *lo = mean - 1.959963984540054 * se;
    *hi = mean + 1.959963984540054 * se;
}

enum { BATCH = 256 };

/* The threads' working memory of rp_sweep_run. */
typedef struct {
    int T;            /* threads */
    int64_t nb;       /* replications a batch */
    rp_sweep_ws **ws; /* [T] */
    int **ord;        /* [T][N] removal order */
    double *buf;      /* [nb][3][K] the batch's curves */
    double *m2;       /* [3][K] Welford's sums of squares */
} run_ws;

static void run_ws_free(run_ws *r)
{
    for (int t = 0; r->ws != NULL && r->ord != NULL && t < r->T; t++) {
        rp_sweep_ws_free(r->ws[t]);
        free(r->ord[t]);
    }
    free(r->ws);
    free(r->ord);
    free(r->buf);
    free(r->m2);
}

/* 0, or -1 when out of memory (r then still to be freed). */
static int run_ws_alloc(const rp_sweep_graph *g, int T, int K, int64_t R,
                        run_ws *r)
{
    int bad = 0;
    memset(r, 0, sizeof *r);
    r->T = T;
    r->ws = xcalloc((size_t)T, sizeof *r->ws, &bad);
    r->ord = xcalloc((size_t)T, sizeof *r->ord, &bad);
    /* replications a batch: BATCH, fewer when the curves of a batch
     * would pass 2^23 values (64 MB), never fewer than the threads; the
     * sums do not depend on it (always in replication order) */
    int64_t nb = ((int64_t)1 << 23) / (3 * (int64_t)K);
    nb = nb > BATCH ? BATCH : nb < T ? T : nb;
    nb = R < nb ? R : nb;
    r->nb = nb;
    r->buf = xcalloc((size_t)nb * 3 * (size_t)K, sizeof(double), &bad);
    r->m2 = xcalloc(3 * (size_t)K, sizeof(double), &bad);
    if (bad)
        return -1;
    for (int t = 0; t < T; t++) {
        r->ws[t] = rp_sweep_ws_alloc(g);
        r->ord[t] = malloc((size_t)g->N * sizeof(int));
        if (r->ws[t] == NULL || r->ord[t] == NULL)
            return -1;
    }
    return 0;
}

/* The result's arrays for o (fraction filled in); NULL when out of
 * memory. */
static rp_sweep_result *result_alloc(const rp_sweep_graph *g,
                                     const rp_sweep_opts *o)
{
    const int K = o->K;
    int bad = 0;
    rp_sweep_result *res = calloc(1, sizeof *res);
    if (res == NULL)
        return NULL;
    res->N = g->N;
    res->K = K;
    res->R = o->R;
    res->q = o->q;
    res->n_orders = o->n_orders;
    memcpy(res->orders, o->orders, sizeof res->orders);
    size_t OK = (size_t)o->n_orders * (size_t)K;
    res->fraction = xcalloc((size_t)K, sizeof(double), &bad);
    for (int m = 0; m < RP_SWEEP_N_METRICS; m++) {
        res->mean[m] = xcalloc(OK, sizeof(double), &bad);
        res->lo[m] = xcalloc(OK, sizeof(double), &bad);
        res->hi[m] = xcalloc(OK, sizeof(double), &bad);
    }
    res->critical = xcalloc((size_t)o->n_orders, sizeof(double), &bad);
    if (bad) {
        rp_sweep_result_free(res);
        return NULL;
    }
    for (int k = 0; k < K; k++)
        res->fraction[k] = (double)k / (double)(K - 1);
    return res;
}

/* The curves of order number oi over all replications: their means,
 * intervals and critical fraction into res. */
static rp_status run_order(const rp_sweep_graph *g, const rp_sweep_opts *o,
                           int oi, run_ws *rw, rp_sweep_result *res,
                           rp_errors *err)
{
    const int K = o->K, T = rw->T;
    const int64_t R = o->R, nb = rw->nb;
    double *buf = rw->buf, *m2 = rw->m2;
    int order = o->orders[oi];
    rp_sweep_rank rank = {0};
    int ranked = order != RP_SWEEP_RANDOM && order != RP_SWEEP_DEGREE_ADAPTIVE;
    if (ranked && rp_sweep_rank_build(g, order, &rank, err) != RP_OK)
        return rp_err_status(err);
    double *mean[3];
    for (int m = 0; m < 3; m++) {
        mean[m] = res->mean[m] + (size_t)oi * (size_t)K;
    }
    memset(m2, 0, 3 * (size_t)K * sizeof *m2);
    for (int64_t r0 = 0; r0 < R; r0 += nb) {
        int64_t n = R - r0 < nb ? R - r0 : nb;
#pragma omp parallel for num_threads(T) schedule(dynamic, 1)
        for (int64_t b = 0; b < n; b++) {
            int t = omp_get_thread_num();
            double *c = buf + (size_t)b * 3 * (size_t)K;
            rp_sweep_order_draw(g, ranked ? &rank : NULL, order, o->seed,
                                (uint64_t)(r0 + b), rw->ws[t], rw->ord[t]);
            rp_sweep_curve(g, rw->ws[t], rw->ord[t], K, c, c + K, c + 2 * K);
        }
        /* in replication order: the same sums for any thread count */
        for (int64_t b = 0; b < n; b++) {
            double cnt = (double)(r0 + b + 1);
            const double *c = buf + (size_t)b * 3 * (size_t)K;
            for (int m = 0; m < 3; m++)
                for (int k = 0; k < K; k++) {
                    double x = c[m * K + k], d = x - mean[m][k];
                    mean[m][k] += d / cnt;
                    m2[m * K + k] += d * (x - mean[m][k]);
                }
        }
    }
    for (int m = 0; m < 3; m++)
        for (int k = 0; k < K; k++) {
            size_t at = (size_t)oi * (size_t)K + (size_t)k;
            interval(mean[m][k], m2[m * K + k], R, &res->lo[m][at],
                     &res->hi[m][at]);
        }
    res->critical[oi] = NAN;
    for (int k = 0; k < K && isnan(res->critical[oi]); k++)
        if (mean[RP_SWEEP_SERVED][k] < 0.5)
            res->critical[oi] = res->fraction[k];
    rp_sweep_rank_free(&rank);
    return RP_OK;
}

/* Independent failures: p_served and the served demand's mean and
 * interval into res.  Counts per node are integers, so the sum over
 * threads is exact in any order.  0, or -1 when out of memory. */
static int run_failures(const rp_sweep_graph *g, const rp_sweep_opts *o,
                        run_ws *rw, rp_sweep_result *res)
{
    const int N = g->N, T = rw->T;
    const int64_t R = o->R, nb = rw->nb;
    int bad = 0;
    res->p_served = xcalloc((size_t)N, sizeof(double), &bad);
    int64_t *served_cnt =
        xcalloc((size_t)T * (size_t)N, sizeof *served_cnt, &bad);
    double *fs = xcalloc((size_t)nb, sizeof(double), &bad);
    unsigned char **rm = xcalloc((size_t)T, sizeof *rm, &bad);
    for (int t = 0; !bad && t < T; t++)
        rm[t] = xcalloc((size_t)N, 1, &bad);
    double fmean = 0, fm2 = 0;
    for (int64_t r0 = 0; !bad && r0 < R; r0 += nb) {
        int64_t n = R - r0 < nb ? R - r0 : nb;
#pragma omp parallel for num_threads(T) schedule(dynamic, 1)
        for (int64_t b = 0; b < n; b++) {
            int t = omp_get_thread_num();
            rp_sweep_ws *w = rw->ws[t];
            rp_rng_stream(w->r, o->seed, (uint64_t)(r0 + b), 0,
                          RP_SWEEP_FAIL_TARGET, RP_SWEEP_DRAW);
            for (int v = 0; v < N; v++) {
                double q = o->q_node != NULL ? o->q_node[v] : o->q;
                rm[t][v] = gsl_rng_uniform(w->r) < q;
            }
            fs[b] = rp_sweep_functional(g, w, rm[t], NULL);
            int64_t *cn = served_cnt + (size_t)t * (size_t)N;
            for (int v = 0; v < N; v++)
                cn[v] += w->nd[v].func;
        }
        for (int64_t b = 0; b < n; b++) {
            double cnt = (double)(r0 + b + 1), d = fs[b] - fmean;
            fmean += d / cnt;
            fm2 += d * (fs[b] - fmean);
        }
    }
    if (!bad) {
        for (int v = 0; v < N; v++) {
            int64_t s = 0;
            for (int t = 0; t < T; t++)
                s += served_cnt[(size_t)t * (size_t)N + (size_t)v];
            res->p_served[v] = g->F[v] > 0 ? (double)s / (double)R : NAN;
        }
        res->fail_served[0] = fmean;
        interval(fmean, fm2, R, &res->fail_served[1], &res->fail_served[2]);
    }
    for (int t = 0; rm != NULL && t < T; t++)
        free(rm[t]);
    free(rm);
    free(fs);
    free(served_cnt);
    return bad ? -1 : 0;
}

rp_status rp_sweep_run(const rp_sweep_graph *g, const rp_sweep_opts *o,
                       rp_sweep_result **out, rp_errors *err)
{
    *out = NULL;
    const int T = o->threads > 0 ? o->threads : 1;
    if (o->K < 2 || o->R < 1)
        return rp_err_add(err, "sweep: needs 2 or more fractions and 1 or "
                               "more replications");
    rp_sweep_result *res = result_alloc(g, o);
    run_ws rw;
    if (res == NULL)
        return rp_err_runtime(err, "out of memory");
    if (run_ws_alloc(g, T, o->K, o->R, &rw) != 0)
        goto oom;
    for (int oi = 0; oi < o->n_orders; oi++)
        if (run_order(g, o, oi, &rw, res, err) != RP_OK)
            goto fail;
    if ((!isnan(o->q) || o->q_node != NULL) &&
        run_failures(g, o, &rw, res) != 0)
        goto oom;
    run_ws_free(&rw);
    *out = res;
    return RP_OK;
oom:
    rp_err_runtime(err, "out of memory");
fail:
    run_ws_free(&rw);
    rp_sweep_result_free(res);
    return rp_err_status(err);
}
