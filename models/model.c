/* Model compilation and the baseline steady state (docs/model.md). */
#include "ripple/model.h"

#include <math.h>
#include <stdint.h>

#include "ripple/strmap.h"
#include "ripple/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rp_params_default(rp_params *p)
{
    p->replenishment_days = 6;
    p->spare_capacity = 0.1;
    p->inventory_days = 7;
    p->service_target = 0.99;
}

void rp_model_free(rp_model *m)
{
    if (m == NULL)
        return;
    free(m->F);
    free(m->cap);
    free(m->x0);
    free(m->v);
    free(m->prot);
    free(m->ninv);
    free(m->rf);
    free(m->cap_given);
    free(m->grp_start);
    free(m->out_start);
    free(m->out_edge);
    free(m->g_node);
    free(m->g_ratio);
    free(m->g_estart);
    free(m->g_name);
    free(m->g_nprim);
    free(m->e_from);
    free(m->e_to);
    free(m->e_grp);
    free(m->e_L);
    free(m->e_delay);
    free(m->e_orig);
    free(m->e_standby);
    free(m->e_share);
    free(m->e_b);
    free(m->e_f0);
    free(m->e_of_orig);
    free(m->topo);
    free(m->simple);
    free(m->g_merged);
    free(m->avail_read);
    free(m->health_read);
    free(m->h0);
    free(m);
}

/* "net.json: edges[3]" ("lanes.csv:5" for a CSV network) or, for edges a
 * strategy added, a description. */
static void edge_label(const rp_network *n, int e, char *buf, size_t len)
{
    if (e < n->n_edges_file && n->edge_line != NULL) {
        snprintf(buf, len, "%s:%d", n->edges_file, n->edge_line[e]);
    } else if (e < n->n_edges_file) {
        if (n->prefix[0])
            snprintf(buf, len, "%s: %s.edges[%d]", n->file, n->prefix, e);
        else
            snprintf(buf, len, "%s: edges[%d]", n->file, e);
    } else if (n->added_at != NULL) {
        snprintf(buf, len, "%s", n->added_at[e - n->n_edges_file]);
    } else {
        snprintf(buf, len, "%s: added edge %s -> %s", n->file,
                 n->id[n->from[e]], n->id[n->to[e]]);
    }
}

static void node_label(const rp_network *n, int i, char *buf, size_t len)
{
    if (n->node_line != NULL)
        snprintf(buf, len, "%s:%d", n->nodes_file, n->node_line[i]);
    else if (n->prefix[0])
        snprintf(buf, len, "%s: %s.nodes[%d]", n->file, n->prefix, i);
    else
        snprintf(buf, len, "%s: nodes[%d]", n->file, i);
}

/* The place of a field of an edge (node) in messages: "net.json:
 * edges[3].share", or "lanes.csv:5: share" for a CSV network. */
static void edge_field(const rp_network *n, int e, const char *key, char *buf,
                       size_t len)
{
    char lab[360];
    edge_label(n, e, lab, sizeof lab);
    int csv = e < n->n_edges_file && n->edge_line != NULL;
    snprintf(buf, len, "%s%s%s", lab, csv ? ": " : ".", key);
}

static void node_field(const rp_network *n, int i, const char *key, char *buf,
                       size_t len)
{
    char lab[360];
    node_label(n, i, lab, sizeof lab);
    snprintf(buf, len, "%s%s%s", lab, n->node_line != NULL ? ": " : ".", key);
}

/* An edge's place within its buyer: (rank of its input name, file
 * order). */
typedef struct {
    int rank;
    int idx;
} edge_key;

static int cmp_edge(const void *a, const void *b)
{
    const edge_key *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The edges in the order (buyer, input name, file order): perm[q] is the
 * network edge at place q, rank[e] the place of edge e's input name among
 * the distinct names in strcmp order (so names compare as integers).  The
 * order is total, so this is the order a sort of the whole list by those
 * keys gives, found by hashing the names once, sorting the few distinct
 * ones, a counting sort by buyer and a sort of each buyer's edges.
 * Returns 0, or -1 when out of memory. */
static int order_edges(const rp_network *net, int *perm, int *rank)
{
    int N = net->n_nodes, E = net->n_edges, rc = -1;
    rp_strmap names;
    if (rp_strmap_init(&names, 16) != 0)
        return -1;
    const char **distinct = malloc((size_t)(E ? E : 1) * sizeof *distinct);
    int *pos = calloc((size_t)N + 2, sizeof *pos);
    int *place = malloc((size_t)(E ? E : 1) * sizeof *place);
    edge_key *keys = NULL;
    if (distinct == NULL || pos == NULL || place == NULL)
        goto done;
    int nd = 0;
    /* the names last met, by address: a parsed document shares one copy
     * of a repeated name (engine/json.c), so most edges are found here
     * without hashing */
    struct {
        const char *s;
        int r;
    } met[16] = {{NULL, 0}};
    for (int e = 0; e < E; e++) {
        const char *s = net->input[e];
        size_t h = ((uintptr_t)s >> 3) & 15;
        if (met[h].s == s) {
            rank[e] = met[h].r;
            continue;
        }
        int old, r = rp_strmap_put(&names, s, nd, &old);
        if (r < 0)
            goto done;
        if (r == 1)
            distinct[nd++] = s;
        rank[e] = r == 1 ? nd - 1 : old;
        met[h].s = s;
        met[h].r = rank[e];
    }
    /* distinct names in strcmp order; rank[] from first-seen to that */
    qsort(distinct, (size_t)nd, sizeof *distinct, cmp_name);
    for (int d = 0; d < nd; d++) {
        int old;
        rp_strmap_put(&names, distinct[d], 0, &old);
        place[old] = d;
    }
    for (int e = 0; e < E; e++)
        rank[e] = place[rank[e]];
    /* by buyer, file order kept (stable counting sort) */
    for (int e = 0; e < E; e++)
        pos[net->to[e] + 2]++;
    for (int k = 0; k < N; k++)
        pos[k + 2] += pos[k + 1];
    for (int e = 0; e < E; e++)
        perm[pos[net->to[e] + 1]++] = e;
    /* each buyer's edges by (input rank, file order) */
    int most = 0;
    for (int k = 0; k < N; k++)
        if (pos[k + 1] - pos[k] > most)
            most = pos[k + 1] - pos[k];
    keys = malloc((size_t)(most ? most : 1) * sizeof *keys);
    if (keys == NULL)
        goto done;
    for (int k = 0; k < N; k++) {
        int a = pos[k], b = pos[k + 1], sorted = 1;
        for (int q = a + 1; q < b && sorted; q++)
            sorted = rank[perm[q - 1]] <= rank[perm[q]];
        if (sorted)
            continue; /* (file order within a rank already) */
        for (int q = a; q < b; q++) {
            keys[q - a].rank = rank[perm[q]];
            keys[q - a].idx = perm[q];
        }
        qsort(keys, (size_t)(b - a), sizeof *keys, cmp_edge);
        for (int q = a; q < b; q++)
            perm[q] = keys[q - a].idx;
    }
    rc = 0;
done:
    rp_strmap_free(&names);
    free(distinct);
    free(pos);
    free(place);
    free(keys);
    return rc;
}

#define ALLOC(p, n) RP_CALLOC_OR(p, n, goto oom)

/* Iterative Tarjan: mark nodes on a cycle of baseline-carrying edges. */
static void mark_cycles(const rp_model *m, unsigned char *oncyc)
{
    int N = m->N;
    int *idx = malloc((size_t)N * sizeof(int));
    int *low = malloc((size_t)N * sizeof(int));
    int *stk = malloc((size_t)N * sizeof(int));
    int *cs_node = malloc((size_t)N * sizeof(int));
    int *cs_pos = malloc((size_t)N * sizeof(int));
    unsigned char *on = calloc((size_t)N, 1);
    if (!idx || !low || !stk || !cs_node || !cs_pos || !on)
        goto done;
    for (int i = 0; i < N; i++)
        idx[i] = -1;
    int counter = 0, sp = 0;
    for (int root = 0; root < N; root++) {
        if (idx[root] >= 0)
            continue;
        int cp = 0;
        cs_node[cp] = root;
        cs_pos[cp] = m->out_start[root];
        cp++;
        idx[root] = low[root] = counter++;
        stk[sp++] = root;
        on[root] = 1;
        while (cp > 0) {
            int v = cs_node[cp - 1];
            if (cs_pos[cp - 1] < m->out_start[v + 1]) {
                int e = m->out_edge[cs_pos[cp - 1]++];
                if (m->e_standby[e])
                    continue;
                int w = m->e_to[e];
                if (idx[w] < 0) {
                    idx[w] = low[w] = counter++;
                    stk[sp++] = w;
                    on[w] = 1;
                    cs_node[cp] = w;
                    cs_pos[cp] = m->out_start[w];
                    cp++;
                } else if (on[w] && idx[w] < low[v]) {
                    low[v] = idx[w];
                }
            } else {
                cp--;
                if (cp > 0) {
                    int u = cs_node[cp - 1];
                    if (low[v] < low[u])
                        low[u] = low[v];
                }
                if (low[v] == idx[v]) {
                    int size = 0, w;
                    int top = sp;
                    do {
                        w = stk[--sp];
                        on[w] = 0;
                        size++;
                    } while (w != v);
                    if (size > 1)
                        for (int q = sp; q < top; q++)
                            oncyc[stk[q]] = 1;
                }
            }
        }
    }
done:
    free(idx);
    free(low);
    free(stk);
    free(cs_node);
    free(cs_pos);
    free(on);
}

/* Health (docs/model.md, "Health"): which nodes need it, and its value
 * at baseline.
 *
 * A node's health matters only through the availability its buyers read
 * (avail_read), and health travels down primary edges, so it is needed at
 * the nodes whose availability is read and at every node upstream of them
 * over primary edges.
 *
 * At baseline every health is 1, up to rounding: shares that sum to 1
 * within 1e-9, or a capacity within 1e-9 below the baseline output, can
 * leave it a few ulps below.  h0 is the fixed point of the daily rule with
 * no damage, so that a node at baseline reproduces its health exactly
 * (found by sweeping the rule from 1; exact after depth + 1 sweeps on a
 * network without cycles, and stopped after 64 sweeps on one with a cycle,
 * whose runs are simulated day by day anyway). */
static int model_health(rp_model *m)
{
    const int N = m->N;
    m->health_read = calloc((size_t)N + 1, 1);
    m->h0 = malloc(((size_t)N + 1) * sizeof *m->h0);
    int *stack = malloc(((size_t)N + 1) * sizeof *stack);
    if (m->health_read == NULL || m->h0 == NULL || stack == NULL) {
        free(stack);
        return -1;
    }
    int n = 0;
    for (int j = 0; j < N; j++)
        if (m->avail_read[j]) {
            m->health_read[j] = 1;
            stack[n++] = j;
        }
    while (n > 0) {
        int k = stack[--n];
        for (int e = m->g_estart[m->grp_start[k]];
             e < m->g_estart[m->grp_start[k + 1]]; e++) {
            int i = m->e_from[e];
            if (!m->e_standby[e] && !m->health_read[i]) {
                m->health_read[i] = 1;
                stack[n++] = i;
            }
        }
    }
    free(stack);
    for (int j = 0; j < N; j++)
        m->h0[j] = 1.0;
    for (int sweep = 0; sweep < (m->acyclic ? N + 1 : 64); sweep++) {
        int changed = 0;
        for (int p = 0; p < N; p++) {
            int j = m->topo[p];
            double h = rp_health_capacity(m, j, 0.0);
            for (int g = m->grp_start[j]; g < m->grp_start[j + 1]; g++) {
                double sum = 0;
                for (int e = m->g_estart[g]; e < m->g_estart[g + 1]; e++)
                    if (!m->e_standby[e])
                        sum += m->e_share[e] * m->h0[m->e_from[e]];
                h = rp_health_min(h, rp_health_min(1.0, sum));
            }
            changed |= h != m->h0[j];
            m->h0[j] = h;
        }
        if (!changed)
            break;
    }
    return 0;
}

/* ---- the steps of rp_model_build ---------------------------------------
 * Each returns 0, or -1 when out of memory, unless it says otherwise. */

/* Node and edge arrays allocated (zeroed), N and E set. */
static int alloc_arrays(rp_model *m, int N, int E)
{
    m->N = N;
    m->E = E;
    ALLOC(m->F, N);
    ALLOC(m->cap, N);
    ALLOC(m->x0, N);
    ALLOC(m->v, N);
    ALLOC(m->prot, N);
    ALLOC(m->ninv, N);
    ALLOC(m->rf, N);
    ALLOC(m->cap_given, N);
    ALLOC(m->grp_start, N + 1);
    ALLOC(m->out_start, N + 1);
    ALLOC(m->out_edge, E);
    ALLOC(m->e_from, E);
    ALLOC(m->e_to, E);
    ALLOC(m->e_grp, E);
    ALLOC(m->e_L, E);
    ALLOC(m->e_delay, E);
    ALLOC(m->e_orig, E);
    ALLOC(m->e_standby, E);
    ALLOC(m->e_share, E);
    ALLOC(m->e_b, E);
    ALLOC(m->e_f0, E);
    ALLOC(m->e_of_orig, E);
    return 0;
oom:
    return -1;
}

/* Per-node parameters with the scenario's defaults filled in, and the
 * total final demand. */
static void node_params(rp_model *m, const rp_network *net,
                        const rp_params *par)
{
    double sumF = 0;
    for (int i = 0; i < m->N; i++) {
        m->F[i] = net->demand[i];
        sumF += m->F[i];
        m->v[i] = net->unit_value[i];
        m->prot[i] = net->protection[i];
        m->ninv[i] = isnan(net->inventory_days[i]) ? par->inventory_days
                                                   : net->inventory_days[i];
        m->rf[i] = net->recovery_factor[i];
    }
    m->sumF = sumF;
}

/* Input groups (a buyer's edges of one input name) and the edges in group
 * order: g_*, e_* (but e_f0), e_of_orig, max_lead and grp_start. */
static int build_groups(rp_model *m, const rp_network *net)
{
    int N = m->N, E = m->E, rc = -1;
    int *perm = malloc((size_t)(E ? E : 1) * sizeof *perm);
    int *erank = malloc((size_t)(E ? E : 1) * sizeof *erank);
    if (perm == NULL || erank == NULL || order_edges(net, perm, erank) != 0)
        goto done;
    int G = 0;
    for (int q = 0; q < E; q++) {
        int e = perm[q];
        if (q == 0 || net->to[e] != net->to[perm[q - 1]] ||
            erank[e] != erank[perm[q - 1]])
            G++;
    }
    m->G = G;
    ALLOC(m->g_node, G);
    ALLOC(m->g_ratio, G);
    ALLOC(m->g_estart, G + 1);
    ALLOC(m->g_name, G);
    ALLOC(m->g_nprim, G);
    int g = -1;
    for (int q = 0; q < E; q++) {
        int e = perm[q];
        if (q == 0 || net->to[e] != net->to[perm[q - 1]] ||
            erank[e] != erank[perm[q - 1]]) {
            g++;
            m->g_node[g] = net->to[e];
            m->g_ratio[g] = net->ratio[e];
            m->g_estart[g] = q;
            m->g_name[g] = net->input[e];
        }
        m->e_from[q] = net->from[e];
        m->e_to[q] = net->to[e];
        m->e_grp[q] = g;
        m->e_L[q] = net->lead_time[e];
        m->e_delay[q] = net->activation_delay[e];
        m->e_orig[q] = e;
        m->e_of_orig[e] = q;
        m->e_standby[q] = net->standby[e];
        m->e_share[q] = net->share[e];
        m->e_b[q] = net->standby_share[e];
        if (net->lead_time[e] > m->max_lead)
            m->max_lead = net->lead_time[e];
    }
    if (G > 0)
        m->g_estart[G] = E;
    /* groups of each node (groups are sorted by buyer) */
    for (int k = 0, gg = 0; k <= N; k++) {
        while (gg < G && m->g_node[gg] < k)
            gg++;
        m->grp_start[k] = gg;
    }
    rc = 0;
oom:
done:
    free(perm);
    free(erank);
    return rc;
}

/* Each node's out-edges (out_start, out_edge: CSR by supplier). */
static int build_out_edges(rp_model *m)
{
    int N = m->N, E = m->E;
    for (int q = 0; q < E; q++)
        m->out_start[m->e_from[q] + 1]++;
    for (int i = 0; i < N; i++)
        m->out_start[i + 1] += m->out_start[i];
    int *fill = calloc((size_t)N + 1, sizeof(int));
    if (fill == NULL)
        return -1;
    for (int q = 0; q < E; q++) {
        int j = m->e_from[q];
        m->out_edge[m->out_start[j] + fill[j]++] = q;
    }
    free(fill);
    return 0;
}

/* The kernel's shortcuts: simple nodes, merged one-day inputs, which
 * availabilities are read (simple, g_merged, avail_read). */
static int classify(rp_model *m)
{
    int N = m->N, E = m->E;
    ALLOC(m->simple, N);
    for (int i = 0; i < N; i++) {
        m->simple[i] = 2; /* (1 below if some input has a ring) */
        for (int q = m->grp_start[i]; q < m->grp_start[i + 1]; q++)
            if (m->g_estart[q + 1] - m->g_estart[q] != 1 ||
                m->e_standby[m->g_estart[q]])
                m->simple[i] = 0;
    }
    /* A one-day input of a simple node keeps no ring: its stock slot holds
     * the stock plus the shipment on its way (see flow.c). */
    ALLOC(m->g_merged, m->G);
    for (int q = 0; q < E; q++) {
        int merged = m->simple[m->e_to[q]] != 0 && m->e_L[q] == 1;
        m->g_merged[m->e_grp[q]] = (unsigned char)merged;
        if (!merged && m->simple[m->e_to[q]])
            m->simple[m->e_to[q]] = 1; /* not every input merged */
    }
    ALLOC(m->avail_read, N);
    for (int q = 0; q < E; q++) {
        int gq = m->e_grp[q];
        if (m->g_estart[gq + 1] - m->g_estart[gq] > 1 || m->e_standby[q])
            m->avail_read[m->e_from[q]] = 1;
    }
    return 0;
oom:
    return -1;
}

/* topo and acyclic: suppliers before buyers, when the network has no
 * cycle at all (standby edges count): by level (the longest chain of
 * suppliers behind a node, found with Kahn's algorithm), and by node
 * number within a level, so the day's pass walks each level's edges in
 * the order they are stored; node order when there is a cycle. */
static int order_nodes(rp_model *m)
{
    int N = m->N, E = m->E;
    ALLOC(m->topo, N);
    int *indeg = calloc((size_t)N + 1, sizeof(int));
    int *level = calloc((size_t)N + 1, sizeof(int));
    int *cnt = calloc((size_t)N + 2, sizeof(int));
    if (indeg == NULL || level == NULL || cnt == NULL) {
        free(indeg);
        free(level);
        free(cnt);
        return -1;
    }
    for (int q = 0; q < E; q++)
        indeg[m->e_to[q]]++;
    int head = 0, tail = 0;
    for (int i = 0; i < N; i++)
        if (indeg[i] == 0)
            m->topo[tail++] = i;
    while (head < tail) {
        int j = m->topo[head++];
        for (int k = m->out_start[j]; k < m->out_start[j + 1]; k++) {
            int b = m->e_to[m->out_edge[k]];
            if (level[j] + 1 > level[b])
                level[b] = level[j] + 1;
            if (--indeg[b] == 0)
                m->topo[tail++] = b;
        }
    }
    if (tail == N) {
        for (int i = 0; i < N; i++)
            cnt[level[i] + 1]++;
        for (int v = 0; v < N; v++)
            cnt[v + 1] += cnt[v];
        for (int i = 0; i < N; i++)
            m->topo[cnt[level[i]]++] = i;
    }
    free(level);
    free(cnt);
    free(indeg);
    m->acyclic = tail == N;
    if (!m->acyclic)
        for (int i = 0; i < N; i++)
            m->topo[i] = i;
    return 0;
oom:
    return -1;
}

/* pipe_len: ring slots, L for every edge but the merged ones (the
 * workspace lays them out, see flow.c), and one spare. */
static void count_ring_slots(rp_model *m)
{
    m->pipe_len = 1;
    for (int q = 0; q < m->E; q++)
        if (!m->g_merged[m->e_grp[q]])
            m->pipe_len += m->e_L[q];
}

/* g_nprim and the default shares (1 / primaries), with the group checks
 * reported: equal ratios, no edge twice, primaries present, shares
 * summing to 1. */
static void check_groups(rp_model *m, const rp_network *net, rp_errors *err)
{
    char lab[400], lab2[400];
    for (int g = 0; g < m->G; g++) {
        int a = m->g_estart[g], b = m->g_estart[g + 1];
        int nprim = 0;
        for (int q = a; q < b; q++) {
            if (m->e_standby[q])
                continue;
            nprim++;
        }
        m->g_nprim[g] = nprim;
        for (int q = a + 1; q < b; q++) {
            if (net->ratio[m->e_orig[q]] != m->g_ratio[g]) {
                edge_field(net, m->e_orig[q], "ratio", lab, sizeof lab);
                edge_label(net, m->e_orig[a], lab2, sizeof lab2);
                rp_err_add(err,
                           "%s: %.17g differs from the ratio %.17g "
                           "of the same input \"%s\" of \"%s\" (%s)",
                           lab, net->ratio[m->e_orig[q]], m->g_ratio[g],
                           m->g_name[g], net->id[m->g_node[g]], lab2);
            }
            if (net->from[m->e_orig[q]] == net->from[m->e_orig[q - 1]]) {
                edge_label(net, m->e_orig[q], lab, sizeof lab);
                rp_err_add(err, "%s: duplicate edge %s -> %s for input \"%s\"",
                           lab, net->id[m->e_from[q]], net->id[m->e_to[q]],
                           m->g_name[g]);
            }
        }
        if (nprim == 0) {
            edge_label(net, m->e_orig[a], lab, sizeof lab);
            rp_err_add(err,
                       "%s: input \"%s\" of \"%s\" has only standby "
                       "suppliers; at least one must carry baseline flow",
                       lab, m->g_name[g], net->id[m->g_node[g]]);
            continue;
        }
        double sum = 0;
        for (int q = a; q < b; q++) {
            if (m->e_standby[q]) {
                m->e_share[q] = 0;
                continue;
            }
            if (isnan(m->e_share[q]))
                m->e_share[q] = 1.0 / nprim;
            sum += m->e_share[q];
        }
        if (fabs(sum - 1) > 1e-9) {
            edge_field(net, m->e_orig[a], "share", lab, sizeof lab);
            rp_err_add(err,
                       "%s: shares of input \"%s\" of \"%s\" sum "
                       "to %.12g, must sum to 1",
                       lab, m->g_name[g], net->id[m->g_node[g]], sum);
        }
    }
}

/* The baseline x0 = F + M x0 by Jacobi sweeps from x = F, and sweeps.
 * Returns 1 if it converged, 0 if not (a sweep went non-finite, or 100,000
 * did not settle), -1 when out of memory. */
static int solve_baseline(rp_model *m)
{
    int N = m->N, E = m->E;
    double *xn = calloc((size_t)(N ? N : 1), sizeof *xn);
    if (xn == NULL)
        return -1;
    memcpy(m->x0, m->F, (size_t)N * sizeof(double));
    int converged = 0;
    int sweep;
    for (sweep = 1; sweep <= 100000; sweep++) {
        memcpy(xn, m->F, (size_t)N * sizeof(double));
        for (int q = 0; q < E; q++) {
            if (m->e_standby[q])
                continue;
            xn[m->e_from[q]] +=
                m->e_share[q] * m->g_ratio[m->e_grp[q]] * m->x0[m->e_to[q]];
        }
        double change = 0, xmax = 0;
        int finite = 1;
        for (int i = 0; i < N; i++) {
            double d = fabs(xn[i] - m->x0[i]);
            if (d > change)
                change = d;
            if (xn[i] > xmax)
                xmax = xn[i];
            if (!isfinite(xn[i]))
                finite = 0;
        }
        double *t = m->x0;
        m->x0 = xn;
        xn = t;
        if (!finite)
            break;
        if (change <= 1e-12 * (xmax > 1 ? xmax : 1)) {
            converged = 1;
            break;
        }
    }
    m->sweeps = sweep;
    free(xn);
    return converged;
}

/* has_cycle; when the baseline did not converge, the error naming the
 * largest node on a cycle.  Returns 0, or -1 when out of memory. */
static int note_cycles(rp_model *m, const rp_network *net, int converged,
                       rp_errors *err)
{
    int N = m->N;
    unsigned char *oncyc = calloc((size_t)N ? (size_t)N : 1, 1);
    if (oncyc == NULL)
        return -1;
    mark_cycles(m, oncyc);
    for (int i = 0; i < N; i++)
        m->has_cycle |= oncyc[i];
    if (!converged) {
        int worst = -1;
        for (int i = 0; i < N; i++)
            if (oncyc[i] && (worst < 0 || !(m->x0[i] <= m->x0[worst])))
                worst = i;
        if (worst < 0)
            worst = 0;
        char lab[400];
        node_label(net, worst, lab, sizeof lab);
        rp_err_add(err,
                   "%s: baseline does not converge: \"%s\" lies on a "
                   "production cycle that amplifies itself (each unit needs "
                   "more than one unit of itself back)",
                   lab, net->id[worst]);
    }
    free(oncyc);
    return 0;
}

/* cap and cap_given from the given capacities or the spare capacity over
 * the baseline; a given capacity below the baseline is reported. */
static void set_capacities(rp_model *m, const rp_network *net,
                           const rp_params *par, rp_errors *err)
{
    char lab[400];
    for (int i = 0; i < m->N; i++) {
        double sig = isnan(net->spare_capacity[i]) ? par->spare_capacity
                                                   : net->spare_capacity[i];
        if (!isnan(net->capacity[i])) {
            m->cap[i] = net->capacity[i];
            m->cap_given[i] = 1;
            if (m->cap[i] < m->x0[i] * (1 - 1e-9)) {
                node_field(net, i, "capacity", lab, sizeof lab);
                rp_err_add(err,
                           "%s: %.10g is below the baseline "
                           "output %.10g of \"%s\"",
                           lab, m->cap[i], m->x0[i], net->id[i]);
            }
            if (!isnan(net->spare_capacity[i])) {
                /* a spare-capacity treatment never lowers a given capacity */
                double c2 = (1 + sig) * m->x0[i];
                if (c2 > m->cap[i])
                    m->cap[i] = c2;
            }
        } else {
            m->cap[i] = (1 + sig) * m->x0[i];
        }
    }
}

/* e_f0, each edge's baseline flow; a standby supplier that could never
 * produce (no baseline output, no capacity) is reported. */
static void edge_flows(rp_model *m, const rp_network *net, rp_errors *err)
{
    char lab[400];
    for (int q = 0; q < m->E; q++) {
        int j = m->e_from[q];
        if (m->e_standby[q] && m->x0[j] <= 0 && !m->cap_given[j] &&
            !(m->cap[j] > 0)) {
            edge_label(net, m->e_orig[q], lab, sizeof lab);
            rp_err_add(err,
                       "%s: standby supplier \"%s\" has no baseline "
                       "output, so it needs an explicit capacity",
                       lab, net->id[j]);
        }
        m->e_f0[q] =
            m->e_standby[q]
                ? 0
                : m->e_share[q] * m->g_ratio[m->e_grp[q]] * m->x0[m->e_to[q]];
    }
}

rp_status rp_model_build(const rp_network *net, const rp_params *par,
                         rp_model **out, rp_errors *err)
{
    *out = NULL;
    int before = err->count + err->dropped;
#define FAILED (err->count + err->dropped > before)
    rp_model *m = calloc(1, sizeof *m);
    if (m == NULL)
        return rp_err_runtime(err, "out of memory");
    m->net = net;
    m->par = *par;
    /* the structure: arrays, groups, adjacency, shortcuts, node order */
    if (alloc_arrays(m, net->n_nodes, net->n_edges) != 0)
        goto oom;
    node_params(m, net, par);
    if (build_groups(m, net) != 0 || build_out_edges(m) != 0 ||
        classify(m) != 0 || order_nodes(m) != 0)
        goto oom;
    count_ring_slots(m);
    check_groups(m, net, err);
    if (FAILED)
        goto fail;
    if (!(m->sumF > 0)) {
        rp_err_add(err, "%s: no node has final demand > 0: nothing to serve",
                   net->file);
        goto fail;
    }
    /* the baseline and what follows from it */
    int converged = solve_baseline(m);
    if (converged < 0 || note_cycles(m, net, converged, err) != 0)
        goto oom;
    if (!converged)
        goto fail;
    set_capacities(m, net, par, err);
    edge_flows(m, net, err);
    if (FAILED)
        goto fail;
    if (model_health(m) != 0)
        goto oom;
    *out = m;
    return RP_OK;
#undef FAILED
oom:
    rp_model_free(m);
    return rp_err_runtime(err, "out of memory building the model");
fail:
    rp_model_free(m);
    return rp_err_status(err) ? rp_err_status(err) : RP_EINPUT;
}
