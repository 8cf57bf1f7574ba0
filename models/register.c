/* The risk register (see include/ripple/register.h): subsets of a
 * replication's active threats simulated in lanes, and the marginal,
 * standalone and Shapley losses of each threat from them. */
#include "ripple/register.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/rng.h"

/* Likelihood: rare (< 1 in 100 years), unlikely (< 1 in 10), possible
 * (< 1 a year), likely (< 10 a year), almost certain.  Consequence: a
 * year with the threat loses < 0.1%, 0.1-1%, 1-5%, 5-20%, >= 20% of the
 * year's final demand value. */
const double rp_reg_likelihood_bands[4] = {0.01, 0.1, 1.0, 10.0};
const double rp_reg_consequence_bands[4] = {0.001, 0.01, 0.05, 0.2};

int rp_reg_class(const double *bands, double v)
{
    int c = 1;
    for (int i = 0; i < 4; i++)
        if (v >= bands[i])
            c = i + 2;
    return c;
}

struct rp_reg_ws {
    const rp_model *m;
    rp_flow_ws *flow;
    int own_flow; /* 1: flow is the register's own (rp_reg_ws_new) */
    int K, n_threats, mode;
    rp_event *buf[RP_LANES]; /* each lane's events */
    int cap;
    uint64_t *masks; /* the subsets to simulate */
    double *vals;    /* their lost value */
    int n_masks, cap_masks;
    gsl_rng *rng;
};

void rp_reg_ws_free(rp_reg_ws *w)
{
    if (w == NULL)
        return;
    if (w->own_flow)
        rp_flow_ws_free(w->flow);
    for (int l = 0; l < RP_LANES; l++)
        free(w->buf[l]);
    free(w->masks);
    free(w->vals);
    if (w->rng != NULL)
        gsl_rng_free(w->rng);
    free(w);
}

/* The scratch without its flow workspace. */
static rp_reg_ws *reg_ws(const rp_model *m, int n_threats, int mode, int lanes)
{
    rp_reg_ws *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->m = m;
    w->K = lanes;
    w->n_threats = n_threats;
    w->mode = mode;
    w->rng = gsl_rng_alloc(rp_rng_philox);
    if (w->rng == NULL) {
        rp_reg_ws_free(w);
        return NULL;
    }
    return w;
}

rp_reg_ws *rp_reg_ws_new(const rp_model *m, int n_threats, int mode, int lanes,
                         int dense)
{
    rp_reg_ws *w = reg_ws(m, n_threats, mode, lanes);
    if (w == NULL)
        return NULL;
    w->own_flow = 1;
    w->flow = rp_flow_ws_new_lanes(m, lanes);
    if (w->flow == NULL) {
        rp_reg_ws_free(w);
        return NULL;
    }
    rp_flow_set_options(w->flow, dense, INFINITY);
    return w;
}

rp_reg_ws *rp_reg_ws_on(const rp_model *m, int n_threats, int mode,
                        rp_flow_ws *flow, int lanes)
{
    rp_reg_ws *w = reg_ws(m, n_threats, mode, lanes);
    if (w != NULL)
        w->flow = flow;
    return w;
}

static int want(rp_reg_ws *w, uint64_t mask)
{
    if (w->n_masks == w->cap_masks) {
        int nc = w->cap_masks ? 2 * w->cap_masks : 64;
        uint64_t *p = realloc(w->masks, (size_t)nc * sizeof *p);
        if (p == NULL)
            return -1;
        w->masks = p;
        double *v = realloc(w->vals, (size_t)nc * sizeof *v);
        if (v == NULL)
            return -1;
        w->vals = v;
        w->cap_masks = nc;
    }
    w->masks[w->n_masks++] = mask;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* v(mask) over the active threats act[]: 0 for none, total for all, else
 * the simulated value (masks are sorted and unique). */
static double value(const rp_reg_ws *w, uint64_t mask, uint64_t full,
                    double total)
{
    if (mask == 0)
        return 0;
    if (mask == full)
        return total;
    int lo = 0, hi = w->n_masks - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (w->masks[mid] == mask)
            return w->vals[mid];
        if (w->masks[mid] < mask)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NAN; /* not reached: every mask used was simulated */
}

/* Simulate every wanted subset, K at a time. */
static int simulate(rp_reg_ws *w, const rp_event *ev, int nev, int T,
                    const int *bit)
{
    if (nev > w->cap) {
        for (int l = 0; l < RP_LANES; l++) {
            free(w->buf[l]);
            w->buf[l] = malloc((size_t)nev * sizeof *w->buf[l]);
            if (w->buf[l] == NULL) {
                w->cap = 0;
                return -1;
            }
        }
        w->cap = nev;
    }
    for (int q0 = 0; q0 < w->n_masks; q0 += w->K) {
        int used = w->n_masks - q0 < w->K ? w->n_masks - q0 : w->K;
        const rp_event *evp[RP_LANES];
        int n[RP_LANES];
        rp_metrics out[RP_LANES];
        for (int l = 0; l < used; l++) {
            uint64_t mask = w->masks[q0 + l];
            n[l] = 0;
            for (int e = 0; e < nev; e++) {
                int b = bit[ev[e].threat];
                if (b >= 0 && (mask >> b & 1))
                    w->buf[l][n[l]++] = ev[e];
            }
            evp[l] = w->buf[l];
        }
        if (rp_flow_run_lanes(w->m, w->flow, used, evp, n, T, out, NULL) !=
            RP_OK)
            return -1;
        for (int l = 0; l < used; l++)
            w->vals[q0 + l] = out[l].lost_value;
    }
    return 0;
}

/* A random order of 0..n-1 (Fisher-Yates; the same draws in both passes
 * over the orders, which restart the same stream). */
static void shuffle(gsl_rng *rng, int *perm, int n)
{
    for (int i = 0; i < n; i++)
        perm[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)gsl_rng_uniform_int(rng, (unsigned long)i + 1);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}

/* The threats with an event that touches the horizon, numbered in threat
 * order: bit[k] is threat k's bit (-1 when inactive), act[i] the threat of
 * bit i.  Returns how many. */
static int active_threats(int nt, const rp_event *ev, int nev, int T, int *bit,
                          int *act)
{
    int n = 0;
    for (int k = 0; k < nt; k++)
        bit[k] = -1;
    for (int e = 0; e < nev; e++) {
        int k = ev[e].threat;
        if (k < 0 || k >= nt || bit[k] >= 0 || ev[e].onset >= T ||
            ev[e].onset + ev[e].duration <= 0 || ev[e].duration < 1)
            continue;
        bit[k] = 0; /* numbered below, in threat order */
    }
    for (int k = 0; k < nt; k++)
        if (bit[k] >= 0) {
            bit[k] = n;
            act[n++] = k;
        }
    return n;
}

/* The subsets of the n active threats (all of them: full) to simulate:
 * every one for an exact Shapley value; else each threat alone and every
 * threat but one, and with sampled Shapley values every prefix of the
 * random orders; sorted and unique.  0, or -1 out of memory. */
static int plan_subsets(rp_reg_ws *w, int n, uint64_t full, int shap,
                        int exact, uint64_t seed, uint64_t rep)
{
    w->n_masks = 0;
    if (exact) {
        for (uint64_t s = 1; s < full; s++)
            if (want(w, s) != 0)
                return -1;
        return 0;
    }
    if (n > 1)
        for (int i = 0; i < n; i++)
            if (want(w, (uint64_t)1 << i) != 0 ||
                want(w, full & ~((uint64_t)1 << i)) != 0)
                return -1;
    if (shap) {
        /* random orders: every prefix is a subset to simulate */
        rp_rng_stream(w->rng, seed, rep, 0xFFFF, 0, RP_DRAW_SHAPLEY);
        for (int p = 0; p < RP_REG_PERMS; p++) {
            int perm[RP_REG_MAX_THREATS];
            shuffle(w->rng, perm, n);
            uint64_t s = 0;
            for (int i = 0; i + 1 < n; i++) {
                s |= (uint64_t)1 << perm[i];
                if (want(w, s) != 0)
                    return -1;
            }
        }
    }
    if (w->n_masks > 0) /* masks is NULL when there are none */
        qsort(w->masks, (size_t)w->n_masks, sizeof *w->masks, cmp_u64);
    int u = 0;
    for (int q = 0; q < w->n_masks; q++)
        if (u == 0 || w->masks[q] != w->masks[u - 1])
            w->masks[u++] = w->masks[q];
    w->n_masks = u;
    return 0;
}

/* Exact Shapley values of the n active threats act[] from every subset:
 * phi_i = sum over S without i of |S|! (n-|S|-1)! / n! (v(S+i) - v(S)). */
static void exact_shapley(const rp_reg_ws *w, int n, uint64_t full,
                          double total, const int *act, double *shapley)
{
    double fact[RP_REG_EXACT_MAX + 1];
    fact[0] = 1;
    for (int i = 1; i <= n; i++)
        fact[i] = fact[i - 1] * i;
    for (int i = 0; i < n; i++) {
        const uint64_t b = (uint64_t)1 << i;
        double phi = 0;
        for (uint64_t s = 0; s <= full; s++) {
            if (s & b)
                continue;
            int k = __builtin_popcountll(s);
            double wgt = fact[k] * fact[n - k - 1] / fact[n];
            phi += wgt *
                   (value(w, s | b, full, total) - value(w, s, full, total));
        }
        shapley[act[i]] = phi;
    }
}

/* Shapley values estimated from RP_REG_PERMS random orders (the same ones
 * plan_subsets drew: the stream restarts). */
static void sampled_shapley(rp_reg_ws *w, int n, uint64_t full, double total,
                            const int *act, double *shapley, uint64_t seed,
                            uint64_t rep)
{
    double phi[RP_REG_MAX_THREATS] = {0};
    rp_rng_stream(w->rng, seed, rep, 0xFFFF, 0, RP_DRAW_SHAPLEY);
    for (int p = 0; p < RP_REG_PERMS; p++) {
        int perm[RP_REG_MAX_THREATS];
        shuffle(w->rng, perm, n);
        uint64_t s = 0;
        double prev = 0;
        for (int i = 0; i < n; i++) {
            s |= (uint64_t)1 << perm[i];
            double v = value(w, s, full, total);
            phi[perm[i]] += v - prev;
            prev = v;
        }
    }
    for (int i = 0; i < n; i++)
        shapley[act[i]] = phi[i] / RP_REG_PERMS;
}

int rp_reg_replication(rp_reg_ws *w, const rp_event *ev, int nev, int T,
                       double total, uint64_t seed, uint64_t rep,
                       double *standalone, double *marginal, double *shapley,
                       int *sampled)
{
    const int nt = w->n_threats;
    for (int k = 0; k < nt; k++) {
        standalone[k] = marginal[k] = 0;
        if (shapley != NULL)
            shapley[k] = 0;
    }
    *sampled = 0;
    int bit[RP_REG_MAX_THREATS], act[RP_REG_MAX_THREATS];
    const int n = active_threats(nt, ev, nev, T, bit, act);
    if (n == 0)
        return 0;
    const uint64_t full = n == 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
    int shap = w->mode == RP_REG_SHAPLEY && n > 1;
    int exact = shap && n <= RP_REG_EXACT_MAX;
    if (plan_subsets(w, n, full, shap, exact, seed, rep) != 0 ||
        simulate(w, ev, nev, T, bit) != 0)
        return -1;
    for (int i = 0; i < n; i++) {
        uint64_t b = (uint64_t)1 << i;
        standalone[act[i]] = value(w, b, full, total);
        marginal[act[i]] = total - value(w, full & ~b, full, total);
    }
    if (shapley == NULL)
        return w->n_masks;
    if (n == 1)
        shapley[act[0]] = total;
    else if (exact)
        exact_shapley(w, n, full, total, act, shapley);
    else {
        *sampled = 1;
        sampled_shapley(w, n, full, total, act, shapley, seed, rep);
    }
    return w->n_masks;
}
