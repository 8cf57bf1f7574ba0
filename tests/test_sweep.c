/* Tests of the structural sweep (models/sweep.c): percolation on
 * Erdos-Renyi graphs against the exact solution, AND/OR trees under
 * independent failures against their recursion, a cyclic network worked
 * out by hand, the incremental curve against recomputation from scratch,
 * the adaptive degree order, and independence of the thread count. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/sweep.h"
#include "testutil.h"

/* a small deterministic generator for building test graphs */
static uint64_t rnd_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

/* G(N, M) with M = c N / 2 links, each its own input group */
static rp_sweep_graph *er_graph(int N, double c)
{
    int E = (int)lround(c * N / 2);
    int *from = malloc((size_t)E * sizeof *from);
    int *to = malloc((size_t)E * sizeof *to);
    int *grp = malloc((size_t)E * sizeof *grp);
    double *F = calloc((size_t)N, sizeof *F);
    assert_non_null(from);
    assert_non_null(to);
    assert_non_null(grp);
    assert_non_null(F);
    for (int e = 0; e < E; e++) {
        int a = (int)(rnd() % (uint64_t)N), b;
        do
            b = (int)(rnd() % (uint64_t)N);
        while (b == a);
        from[e] = a;
        to[e] = b;
        grp[e] = e;
    }
    F[0] = 1;
    rp_errors err;
    rp_err_init(&err);
    rp_sweep_graph *g = NULL;
    assert_int_equal(
        rp_sweep_graph_build(N, E, from, to, grp, F, NULL, NULL, &g, &err),
        RP_OK);
    free(from);
    free(to);
    free(grp);
    free(F);
    return g;
}

/* S = p (1 - exp(-c S)), the non-trivial root (iterated from S = 1) */
static double er_giant(double p, double c)
{
    double S = 1;
    for (int i = 0; i < 100000; i++)
        S = p * (1 - exp(-c * S));
    return S;
}

static void test_erdos_renyi(void **state)
{
    (void)state;
    const int N = 40000, K = 11;
    rp_sweep_graph *g = er_graph(N, 4.0);
    rp_sweep_opts o;
    memset(&o, 0, sizeof o);
    o.K = K;
    o.n_orders = 1;
    o.orders[0] = RP_SWEEP_RANDOM;
    o.R = 10;
    o.seed = 7;
    o.threads = 2;
    o.q = NAN;
    rp_sweep_result *r = NULL;
    rp_errors err;
    rp_err_init(&err);
    assert_int_equal(rp_sweep_run(g, &o, &r, &err), RP_OK);
    /* p = share present: removed fractions 0.5, 0.2 and 0 are grid
     * points 5, 2 and 0 of 0, 0.1, .., 1 */
    const double p[3] = {0.5, 0.8, 1.0};
    for (int i = 0; i < 3; i++) {
        int k = (int)lround((1 - p[i]) * (K - 1));
        double want = er_giant(p[i], 4.0);
        double got = r->mean[RP_SWEEP_GIANT][k];
        print_message("p = %.1f: giant %.4f, exact %.4f\n", p[i], got, want);
        assert_true(fabs(got - want) < 0.01);
    }
    /* all removed: nothing left */
    assert_true(r->mean[RP_SWEEP_GIANT][K - 1] == 0);
    rp_sweep_result_free(r);
    rp_sweep_graph_free(g);
}

/* A tree: the root needs k input groups of m alternatives each, every
 * alternative a tree of depth h - 1; depth 0 is a raw supplier. */
typedef struct {
    int n, e, cap, groups;
    int *from, *to, *grp;
} edges;

static int tree(edges *x, int k, int m, int h, int *next)
{
    int me = (*next)++;
    if (h == 0)
        return me;
    for (int a = 0; a < k; a++) {
        int gid = x->groups++; /* fewer groups than edges */
        for (int b = 0; b < m; b++) {
            int child = tree(x, k, m, h - 1, next);
            assert_true(x->e < x->cap);
            x->from[x->e] = child;
            x->to[x->e] = me;
            x->grp[x->e] = gid;
            x->e++;
        }
    }
    return me;
}

static void test_and_or_tree(void **state)
{
    (void)state;
    const int k = 2, m = 3, h = 3;
    const double q = 0.2;
    int N = 0, pw = 1;
    for (int d = 0; d <= h; d++, pw *= k * m)
        N += pw;
    edges x = {0, 0, N, 0, NULL, NULL, NULL};
    x.from = malloc((size_t)N * sizeof(int));
    x.to = malloc((size_t)N * sizeof(int));
    x.grp = malloc((size_t)N * sizeof(int));
    int next = 0;
    int root = tree(&x, k, m, h, &next);
    assert_int_equal(next, N);
    assert_int_equal(x.e, N - 1);
    double *F = calloc((size_t)N, sizeof *F);
    F[root] = 1;
    rp_errors err;
    rp_err_init(&err);
    rp_sweep_graph *g = NULL;
    assert_int_equal(rp_sweep_graph_build(N, x.e, x.from, x.to, x.grp, F, NULL,
                                          NULL, &g, &err),
                     RP_OK);
    rp_sweep_opts o;
    memset(&o, 0, sizeof o);
    o.K = 2;
    o.n_orders = 0;
    o.R = 20000;
    o.seed = 11;
    o.threads = 2;
    o.q = q;
    rp_sweep_result *r = NULL;
    assert_int_equal(rp_sweep_run(g, &o, &r, &err), RP_OK);
    double R = 1 - q;
    for (int d = 1; d <= h; d++)
        R = (1 - q) * pow(1 - pow(1 - R, m), k);
    double se = sqrt(R * (1 - R) / (double)o.R);
    print_message("AND/OR tree: served %.4f, recursion %.4f, SE %.4f\n",
                  r->p_served[root], R, se);
    assert_true(fabs(r->p_served[root] - R) < 5 * se);
    /* the served demand is the root's (the only customer) */
    assert_true(fabs(r->fail_served[0] - r->p_served[root]) < 1e-12);
    /* nodes without final demand: NaN */
    assert_true(isnan(r->p_served[root == 0 ? 1 : 0]));
    rp_sweep_result_free(r);
    rp_sweep_graph_free(g);
    free(F);
    free(x.from);
    free(x.to);
    free(x.grp);
}

/* The cyclic network, worked out by hand.
 *
 *   R1, R2 raw suppliers (0, 1)
 *   A (2): input groups {R1} and {B, R2} (B or R2)
 *   B (3): one group {A}                       A and B form a cycle
 *   C (4): customer, demand 1, group {B}
 *   D (5): customer, demand 1, group {A}
 *   E (6): customer, demand 1, group {H}
 *   H (7): group {E}                           a loop fed by nothing
 *
 * All present: R1, R2 functional; A has R1 and R2, so it is; then B (A),
 * C (B), D (A).  E and H need each other and nothing outside feeds them:
 * the least fixed point leaves them out.  Served: C + D = 2 of 3.
 * Without R2: A needs B or R2, B needs A: neither starts (the greatest
 * fixed point would keep them running on each other).  Served 0.
 * Without B: A still has R2; D is served, C is not: 1 of 3.
 * Without R1: A's first group is empty: nothing but the raws.  Served 0.
 * Supply availability (customers with a functional supplier): all
 * present, C and D have one, E's supplier H is not functional: 2 of 3. */
static rp_sweep_graph *hand_graph(void)
{
    int from[] = {0, 3, 1, 2, 3, 2, 7, 6};
    int to[] = {2, 2, 2, 3, 4, 5, 6, 7};
    int grp[] = {0, 1, 1, 3, 4, 5, 6, 7};
    double F[8] = {0, 0, 0, 0, 1, 1, 1, 0};
    rp_errors err;
    rp_err_init(&err);
    rp_sweep_graph *g = NULL;
    assert_int_equal(
        rp_sweep_graph_build(8, 8, from, to, grp, F, NULL, NULL, &g, &err),
        RP_OK);
    return g;
}

static void test_cycle_by_hand(void **state)
{
    (void)state;
    rp_sweep_graph *g = hand_graph();
    rp_sweep_ws *w = rp_sweep_ws_alloc(g);
    unsigned char rm[8], fn[8];
    memset(rm, 0, sizeof rm);
    assert_true(fabs(rp_sweep_functional(g, w, rm, fn) - 2.0 / 3) < 1e-15);
    const unsigned char want_all[8] = {1, 1, 1, 1, 1, 1, 0, 0};
    assert_memory_equal(fn, want_all, 8);
    rm[1] = 1; /* R2 */
    assert_true(rp_sweep_functional(g, w, rm, fn) == 0);
    const unsigned char want_no_r2[8] = {1, 0, 0, 0, 0, 0, 0, 0};
    assert_memory_equal(fn, want_no_r2, 8);
    rm[1] = 0;
    rm[3] = 1; /* B */
    assert_true(fabs(rp_sweep_functional(g, w, rm, fn) - 1.0 / 3) < 1e-15);
    const unsigned char want_no_b[8] = {1, 1, 1, 0, 0, 1, 0, 0};
    assert_memory_equal(fn, want_no_b, 8);
    rm[3] = 0;
    rm[0] = 1; /* R1 */
    assert_true(rp_sweep_functional(g, w, rm, fn) == 0);
    /* the curve: remove H, E, C, D, B, A, R2, R1 (order[0] first) */
    int order[8] = {7, 6, 4, 5, 3, 2, 1, 0};
    double gi[9], se[9], av[9];
    rp_sweep_curve(g, w, order, 9, gi, se, av);
    /* k removed = k of 8 (grid of 9 points) */
    const double served[9] = {2. / 3, 2. / 3, 2. / 3, 1. / 3, 0, 0, 0, 0, 0};
    const double avail[9] = {2. / 3, 2. / 3, 2. / 3, 1. / 3, 0, 0, 0, 0, 0};
    /* components: {R1,R2,A,B,C,D} and {E,H}; removing H, E leaves the
     * six; then C (5), D (4), B (3), A: R1 and R2 apart (1), R2 (1), R1 */
    const double giant[9] = {6. / 8, 6. / 8, 6. / 8, 5. / 8, 4. / 8,
                             3. / 8, 1. / 8, 1. / 8, 0};
    for (int k = 0; k < 9; k++) {
        assert_true(fabs(se[k] - served[k]) < 1e-15);
        assert_true(fabs(av[k] - avail[k]) < 1e-15);
        assert_true(fabs(gi[k] - giant[k]) < 1e-15);
    }
    rp_sweep_ws_free(w);
    rp_sweep_graph_free(g);
}

/* Interdependence by hand: R raw feeds plant A; P is A's power site (raw,
 * no supply links); A and P need each other.  C (demand 1) buys from A.
 * Q and S, two raw sites that need each other, and T (demand 1) buys from
 * Q.  All present: {A, P} is a unit whose members are present and fed:
 * A, P, C functional; {Q, S} too: T served.  Served 2/2.  Without P: A
 * stops (its partner is gone), so C: served 1/2.  Without S: Q stops, T
 * is not served: 1/2.  Without R: A's group is empty; A and P stop
 * together (P needs A too). */
static void test_units_by_hand(void **state)
{
    (void)state;
    /* nodes: R 0, A 1, P 2, C 3, Q 4, S 5, T 6 */
    int from[] = {0, 1, 4}, to[] = {1, 3, 6}, grp[] = {0, 1, 2};
    double F[7] = {0, 0, 0, 1, 0, 0, 1};
    int da[] = {1, 4}, db[] = {2, 5};
    rp_errors err;
    rp_err_init(&err);
    rp_sweep_graph *g = NULL;
    assert_int_equal(
        rp_sweep_graph_build(7, 3, from, to, grp, F, NULL, NULL, &g, &err),
        RP_OK);
    assert_int_equal(rp_sweep_graph_set_units(g, 2, da, db, &err), RP_OK);
    assert_int_equal(g->n_units, 2);
    rp_sweep_ws *w = rp_sweep_ws_alloc(g);
    unsigned char rm[7] = {0}, fn[7];
    assert_true(rp_sweep_functional(g, w, rm, fn) == 1);
    const unsigned char all[7] = {1, 1, 1, 1, 1, 1, 1};
    assert_memory_equal(fn, all, 7);
    rm[2] = 1; /* P */
    assert_true(rp_sweep_functional(g, w, rm, fn) == 0.5);
    assert_false(fn[1]);
    rm[2] = 0;
    rm[5] = 1; /* S */
    assert_true(rp_sweep_functional(g, w, rm, fn) == 0.5);
    assert_false(fn[4]);
    rm[5] = 0;
    rm[0] = 1; /* R */
    assert_true(rp_sweep_functional(g, w, rm, fn) == 0.5);
    assert_false(fn[1] || fn[2]);
    /* a node in no pair, and a self-pair refused */
    assert_int_equal(g->unit_of[0], -1);
    int bad[] = {3};
    assert_int_equal(rp_sweep_graph_set_units(g, 1, bad, bad, &err),
                     RP_EINPUT);
    rp_sweep_ws_free(w);
    rp_sweep_graph_free(g);
    /* a unit whose member supplies the other: X (raw) feeds Y, X and Y
     * need each other, Z (demand 1) buys from Y.  Y's group is fed from
     * inside the unit, so the unit starts: served 1; without X, 0. */
    int f2[] = {0, 1}, t2[] = {1, 2}, g2[] = {0, 1}, ux[] = {0}, uy[] = {1};
    double F2[3] = {0, 0, 1};
    assert_int_equal(
        rp_sweep_graph_build(3, 2, f2, t2, g2, F2, NULL, NULL, &g, &err),
        RP_OK);
    assert_int_equal(rp_sweep_graph_set_units(g, 1, ux, uy, &err), RP_OK);
    w = rp_sweep_ws_alloc(g);
    unsigned char rm2[3] = {0, 0, 0};
    assert_true(rp_sweep_functional(g, w, rm2, NULL) == 1);
    rm2[0] = 1;
    assert_true(rp_sweep_functional(g, w, rm2, NULL) == 0);
    rp_sweep_ws_free(w);
    rp_sweep_graph_free(g);
}

/* ---- the incremental curve against recomputation from scratch ---- */

static int naive_largest(const rp_sweep_graph *g, const unsigned char *rm,
                         int *comp, int *queue)
{
    int best = 0;
    for (int v = 0; v < g->N; v++)
        comp[v] = -1;
    for (int s = 0; s < g->N; s++) {
        if (rm[s] || comp[s] >= 0)
            continue;
        int h = 0, t = 0;
        queue[t++] = s;
        comp[s] = s;
        while (h < t) {
            int v = queue[h++];
            for (int q = g->adj_start[v]; q < g->adj_start[v + 1]; q++) {
                int u = g->adj[q];
                if (!rm[u] && comp[u] < 0) {
                    comp[u] = s;
                    queue[t++] = u;
                }
            }
        }
        if (t > best)
            best = t;
    }
    return best;
}

/* the least fixed point by repeated passes: functional when present and
 * every group has a functional supplier; a dependency unit only when that
 * holds for all its members */
static void naive_functional(const rp_sweep_graph *g, const rp_sweep_graph *x,
                             const int *from, const int *grp,
                             const unsigned char *rm, unsigned char *fn)
{
    (void)x;
    memset(fn, 0, (size_t)g->N);
    int *has = malloc((size_t)g->E * sizeof *has);
    for (int changed = 1; changed;) {
        changed = 0;
        /* group ids in these tests are edge indices of the group's first
         * edge; has[id] = some supplier of the group is functional */
        for (int e = 0; e < g->E; e++)
            has[e] = 0;
        for (int e = 0; e < g->E; e++)
            if (fn[from[e]] ||
                (g->unit_of != NULL && g->unit_of[from[e]] >= 0 &&
                 g->unit_of[from[e]] == g->unit_of[g->e_to[e]]))
                has[grp[e]] = 1; /* (a supplier in the unit: fed when the
                                     unit runs) */
        unsigned char *cand = calloc((size_t)g->N, 1);
        for (int v = 0; v < g->N; v++) {
            int ok = !rm[v];
            for (int e = 0; e < g->E && ok; e++)
                if (g->e_to[e] == v && !has[grp[e]])
                    ok = 0;
            cand[v] = (unsigned char)ok;
        }
        for (int v = 0; v < g->N; v++) {
            int ok = cand[v];
            if (ok && g->unit_of != NULL && g->unit_of[v] >= 0) {
                int u = g->unit_of[v];
                for (int q = g->unit_start[u]; q < g->unit_start[u + 1]; q++)
                    ok = ok && cand[g->unit_mem[q]];
            }
            if (ok && !fn[v]) {
                fn[v] = 1;
                changed = 1;
            }
        }
        free(cand);
    }
    free(has);
}

/* A random network for test_curve_against_scratch: N nodes, E links
 * (cycles allowed), each into one of three input groups of its buyer,
 * final demand on some nodes (always on node 0). */
typedef struct {
    int N, E;
    int *from, *to, *grp;
    double *F;
} scratch_net;

static scratch_net scratch_random(void)
{
    scratch_net x;
    x.N = 5 + (int)(rnd() % 40);
    x.E = (int)(rnd() % (uint64_t)(3 * x.N));
    const int N = x.N, E = x.E;
    x.from = malloc(((size_t)E + 1) * sizeof(int));
    x.to = malloc(((size_t)E + 1) * sizeof(int));
    x.grp = malloc(((size_t)E + 1) * sizeof(int));
    x.F = calloc((size_t)N, sizeof *x.F);
    int *gfirst = malloc(((size_t)N * 3) * sizeof(int));
    for (int i = 0; i < 3 * N; i++)
        gfirst[i] = -1;
    for (int e = 0; e < E; e++) {
        /* cycles allowed; buyer's group 0..2 */
        int a = (int)(rnd() % (uint64_t)N), b;
        do
            b = (int)(rnd() % (uint64_t)N);
        while (b == a);
        int slot = b * 3 + (int)(rnd() % 3);
        if (gfirst[slot] < 0)
            gfirst[slot] = e;
        x.from[e] = a;
        x.to[e] = b;
        x.grp[e] = gfirst[slot];
    }
    for (int v = 0; v < N; v++)
        x.F[v] = rnd() % 3 == 0 ? (double)(1 + rnd() % 5) : 0;
    x.F[0] = 2;
    free(gfirst);
    return x;
}

static void scratch_free(scratch_net *x)
{
    free(x->from);
    free(x->to);
    free(x->grp);
    free(x->F);
}

/* The three curves of removal order `order` at k removed, recomputed from
 * scratch (rm, fn, comp, queue: scratch of N). */
static void check_point(const rp_sweep_graph *g, const scratch_net *x,
                        const int *order, int k, double gi, double se,
                        double av, unsigned char *rm, unsigned char *fn,
                        int *comp, int *queue)
{
    const int N = x->N;
    memset(rm, 0, (size_t)N);
    for (int i = 0; i < k; i++)
        rm[order[i]] = 1;
    naive_functional(g, NULL, x->from, x->grp, rm, fn);
    double served = 0;
    int dem = 0, avail = 0;
    for (int v = 0; v < N; v++) {
        served += fn[v] ? x->F[v] : 0;
        if (x->F[v] > 0) {
            dem++;
            int fed = g->grp_start[v] == g->grp_start[v + 1];
            for (int e = 0; e < x->E; e++)
                if (x->to[e] == v && fn[x->from[e]])
                    fed = 1;
            avail += !rm[v] && fed;
        }
    }
    int big = naive_largest(g, rm, comp, queue);
    assert_true(fabs(gi - (double)big / N) < 1e-12);
    assert_true(fabs(se - served / g->sumF) < 1e-12);
    assert_true(fabs(av - (double)avail / dem) < 1e-12);
}

/* Removal order o of replication `trial`: a permutation, its curve at
 * every count removed as recomputed from scratch, and rp_sweep_functional
 * with a third removed as the naive fixed point. */
static void check_order(const rp_sweep_graph *g, rp_sweep_ws *w,
                        const scratch_net *x, int o, int trial)
{
    const int N = x->N;
    rp_errors err;
    rp_err_init(&err);
    int *order = malloc((size_t)N * sizeof *order);
    int *comp = malloc((size_t)N * sizeof *comp);
    int *queue = malloc((size_t)N * sizeof *queue);
    unsigned char *rm = malloc((size_t)N), *fn = malloc((size_t)N);
    rp_sweep_rank rank = {0};
    int ranked = o != RP_SWEEP_RANDOM && o != RP_SWEEP_DEGREE_ADAPTIVE;
    if (ranked)
        assert_int_equal(rp_sweep_rank_build(g, o, &rank, &err), RP_OK);
    rp_sweep_order_draw(g, ranked ? &rank : NULL, o, 3, (uint64_t)trial, w,
                        order);
    /* a permutation */
    memset(rm, 0, (size_t)N);
    for (int i = 0; i < N; i++) {
        assert_false(rm[order[i]]);
        rm[order[i]] = 1;
    }
    const int K = N + 1; /* every count removed */
    double *gi = malloc((size_t)K * sizeof(double));
    double *se = malloc((size_t)K * sizeof(double));
    double *av = malloc((size_t)K * sizeof(double));
    rp_sweep_curve(g, w, order, K, gi, se, av);
    for (int k = 0; k < K; k++)
        check_point(g, x, order, k, gi[k], se[k], av[k], rm, fn, comp, queue);
    /* the same through rp_sweep_functional */
    memset(rm, 0, (size_t)N);
    for (int i = 0; i < N / 3; i++)
        rm[order[i]] = 1;
    unsigned char *fn2 = malloc((size_t)N);
    rp_sweep_functional(g, w, rm, fn2);
    naive_functional(g, NULL, x->from, x->grp, rm, fn);
    assert_memory_equal(fn, fn2, (size_t)N);
    free(fn2);
    free(gi);
    free(se);
    free(av);
    rp_sweep_rank_free(&rank);
    free(order);
    free(comp);
    free(queue);
    free(rm);
    free(fn);
}

static void test_curve_against_scratch(void **state)
{
    (void)state;
    rp_errors err;
    rp_err_init(&err);
    for (int trial = 0; trial < 30; trial++) {
        scratch_net x = scratch_random();
        const int N = x.N;
        rp_sweep_graph *g = NULL;
        assert_int_equal(rp_sweep_graph_build(N, x.E, x.from, x.to, x.grp, x.F,
                                              NULL, NULL, &g, &err),
                         RP_OK);
        if (trial % 2 == 1) { /* dependency pairs, some chained */
            int n = N / 4, da[64], db[64];
            for (int k = 0; k < n; k++) {
                da[k] = (int)(rnd() % (uint64_t)N);
                do
                    db[k] = (int)(rnd() % (uint64_t)N);
                while (db[k] == da[k]);
            }
            assert_int_equal(rp_sweep_graph_set_units(g, n, da, db, &err),
                             RP_OK);
            assert_true(g->n_units >= 1);
        }
        rp_sweep_ws *w = rp_sweep_ws_alloc(g);
        for (int o = 0; o < RP_SWEEP_N_ORDERS; o++)
            check_order(g, w, &x, o, trial);
        scratch_free(&x);
        rp_sweep_ws_free(w);
        rp_sweep_graph_free(g);
    }
}

/* Adaptive degree: each node removed has the highest degree among the
 * nodes left at its turn; static degree: degrees never rise along it */
static void test_degree_orders(void **state)
{
    (void)state;
    rp_sweep_graph *g = er_graph(500, 3.0);
    rp_sweep_ws *w = rp_sweep_ws_alloc(g);
    int *order = malloc(500 * sizeof *order);
    int *deg = malloc(500 * sizeof *deg);
    unsigned char *gone = calloc(500, 1);
    rp_sweep_order_draw(g, NULL, RP_SWEEP_DEGREE_ADAPTIVE, 5, 0, w, order);
    for (int v = 0; v < 500; v++)
        deg[v] = g->adj_start[v + 1] - g->adj_start[v];
    for (int t = 0; t < 500; t++) {
        int v = order[t], best = 0;
        assert_false(gone[v]);
        for (int u = 0; u < 500; u++)
            if (!gone[u] && deg[u] > best)
                best = deg[u];
        assert_int_equal(deg[v], best);
        gone[v] = 1;
        for (int q = g->adj_start[v]; q < g->adj_start[v + 1]; q++)
            if (!gone[g->adj[q]])
                deg[g->adj[q]]--;
    }
    rp_errors err;
    rp_err_init(&err);
    rp_sweep_rank rank;
    assert_int_equal(rp_sweep_rank_build(g, RP_SWEEP_DEGREE, &rank, &err),
                     RP_OK);
    rp_sweep_order_draw(g, &rank, RP_SWEEP_DEGREE, 5, 1, w, order);
    for (int t = 1; t < 500; t++)
        assert_true(g->adj_start[order[t] + 1] - g->adj_start[order[t]] <=
                    g->adj_start[order[t - 1] + 1] -
                        g->adj_start[order[t - 1]]);
    /* ties are shuffled per replication: another replication differs */
    int *other = malloc(500 * sizeof *other);
    rp_sweep_order_draw(g, &rank, RP_SWEEP_DEGREE, 5, 2, w, other);
    assert_true(memcmp(order, other, 500 * sizeof *order) != 0);
    free(other);
    rp_sweep_rank_free(&rank);
    free(gone);
    free(deg);
    free(order);
    rp_sweep_ws_free(w);
    rp_sweep_graph_free(g);
}

/* 1 and 3 threads: the same bits */
static void test_threads(void **state)
{
    (void)state;
    rp_sweep_graph *g = er_graph(3000, 2.5);
    rp_sweep_opts o;
    memset(&o, 0, sizeof o);
    o.K = 21;
    o.n_orders = 3;
    o.orders[0] = RP_SWEEP_RANDOM;
    o.orders[1] = RP_SWEEP_DEGREE_ADAPTIVE;
    o.orders[2] = RP_SWEEP_BETWEENNESS;
    o.R = 300; /* more than one batch */
    o.seed = 99;
    o.q = 0.1;
    rp_sweep_result *r[2] = {NULL, NULL};
    rp_errors err;
    rp_err_init(&err);
    for (int i = 0; i < 2; i++) {
        o.threads = i == 0 ? 1 : 3;
        assert_int_equal(rp_sweep_run(g, &o, &r[i], &err), RP_OK);
    }
    size_t n = 3 * 21 * sizeof(double);
    for (int m = 0; m < RP_SWEEP_N_METRICS; m++) {
        assert_memory_equal(r[0]->mean[m], r[1]->mean[m], n);
        assert_memory_equal(r[0]->lo[m], r[1]->lo[m], n);
        assert_memory_equal(r[0]->hi[m], r[1]->hi[m], n);
    }
    assert_memory_equal(r[0]->critical, r[1]->critical, 3 * sizeof(double));
    assert_memory_equal(r[0]->p_served, r[1]->p_served, 3000 * sizeof(double));
    assert_memory_equal(r[0]->fail_served, r[1]->fail_served,
                        3 * sizeof(double));
    /* intervals hold the mean; random removal has a band */
    assert_true(r[0]->lo[RP_SWEEP_GIANT][5] < r[0]->mean[RP_SWEEP_GIANT][5]);
    assert_true(r[0]->hi[RP_SWEEP_GIANT][5] > r[0]->mean[RP_SWEEP_GIANT][5]);
    rp_sweep_result_free(r[0]);
    rp_sweep_result_free(r[1]);
    rp_sweep_graph_free(g);
}

static void test_bad_graphs(void **state)
{
    (void)state;
    rp_errors err;
    rp_err_init(&err);
    rp_sweep_graph *g = NULL;
    int from[] = {0, 1}, to[] = {2, 3}, grp[] = {0, 0};
    double F[4] = {0, 0, 1, 1};
    assert_int_equal(
        rp_sweep_graph_build(4, 2, from, to, grp, F, NULL, NULL, &g, &err),
        RP_EINPUT);
    assert_null(g);
    assert_true(tu_err_has(&err, "two buyers"));
    double F0[4] = {0, 0, 0, 0};
    int grp2[] = {0, 1};
    rp_err_init(&err);
    assert_int_equal(
        rp_sweep_graph_build(4, 2, from, to, grp2, F0, NULL, NULL, &g, &err),
        RP_EINPUT);
    assert_true(tu_err_has(&err, "no final demand"));
    assert_int_equal(rp_sweep_order_of("degree_adaptive"),
                     RP_SWEEP_DEGREE_ADAPTIVE);
    assert_int_equal(rp_sweep_order_of("Degree"), -1);
}

/* From a scenario's model: standby suppliers count as alternatives */
static void test_from_model(void **state)
{
    (void)state;
    const char *js =
        "{\"name\": \"t\", \"horizon_days\": 10, \"replications\": 1,"
        " \"network\": {\"nodes\": ["
        " {\"id\": \"a\"}, {\"id\": \"b\", \"capacity\": 5},"
        " {\"id\": \"c\", \"demand\": 2}],"
        " \"edges\": [{\"from\": \"a\", \"to\": \"c\", \"input\": \"x\"},"
        " {\"from\": \"b\", \"to\": \"c\", \"input\": \"x\","
        " \"standby\": true}]}}";
    rp_scenario *s = NULL;
    rp_errors err;
    rp_err_init(&err);
    rp_status st = tu_parse(js, &s, &err);
    for (int i = 0; i < err.count; i++)
        print_message("%s\n", err.msg[i]);
    assert_int_equal(st, RP_OK);
    rp_model *m = NULL;
    assert_int_equal(rp_model_build(s->net, &s->par, &m, &err), RP_OK);
    rp_sweep_graph *g = NULL;
    assert_int_equal(rp_sweep_graph_from_model(m, &g, &err), RP_OK);
    assert_int_equal(g->G, 1);
    rp_sweep_ws *w = rp_sweep_ws_alloc(g);
    unsigned char rm[3] = {1, 0, 0}; /* a gone: the standby b serves */
    assert_true(rp_sweep_functional(g, w, rm, NULL) == 1);
    rm[1] = 1;
    assert_true(rp_sweep_functional(g, w, rm, NULL) == 0);
    /* demand through a: all of c's demand (share 1); b: none (standby) */
    assert_true(g->demand[0] == 2 && g->demand[1] == 0 && g->demand[2] == 2);
    rp_sweep_ws_free(w);
    rp_sweep_graph_free(g);
    rp_model_free(m);
    rp_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_erdos_renyi),
        cmocka_unit_test(test_and_or_tree),
        cmocka_unit_test(test_cycle_by_hand),
        cmocka_unit_test(test_units_by_hand),
        cmocka_unit_test(test_curve_against_scratch),
        cmocka_unit_test(test_degree_orders),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_bad_graphs),
        cmocka_unit_test(test_from_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
