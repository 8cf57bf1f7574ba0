/* The stress test.
 *
 * First the performance impact of every tested node: one run each with the
 * node down for its TTR, eight nodes at a time in lockstep lanes (nodes
 * 8b .. 8b+7 share a block, whatever the thread or rank count, so the
 * results do not depend on either).  Then TTS, node by node, one lane at a
 * time: each probe stops at its first loss, which lanes cannot do.
 *
 * TTS is found by bisection on the outage length D: the loss of an outage
 * on days 0..D-1 cannot shrink when the outage grows (the model is monotone
 * in capacity), so "loses nothing" holds on an interval [0, TTS].  That
 * takes about log2(T) simulations per node instead of T. */
#include "ripple/stress.h"

/* no fused multiply-add, as in the flow kernel (see models/flow_lanes.h) */
#if !defined(__GNUC__) || defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#include <math.h>
#include <omp.h>
#include <stdlib.h>

#include "ripple/flow.h"
#include "ripple/par.h"

/* the loss below which a run counts as losing nothing, as a share of the
 * horizon's final demand (far above rounding, far below a lost unit) */
#define RP_STRESS_LOSS_TOL 1e-9

void rp_stress_free(rp_stress *s)
{
    if (s == NULL)
        return;
    free(s->tested);
    free(s->ttr);
    free(s->tts);
    free(s->pi);
    free(s->rei);
    free(s->exposed);
    free(s->sims);
    free(s);
}

/* One run with node down (severity 1) on days 0..days-1.  With stop set,
 * the run ends at the first day that loses anything (the TTS search only
 * asks whether a loss happens); *first_loss gets the day the loss first
 * exceeded tol (T if it never did). */
static int outage(const rp_model *m, rp_flow_ws *w, int node, int days, int T,
                  double tol, int stop, rp_metrics *met, double *sl,
                  int *first_loss)
{
    rp_event e = {node, 0, days, 0, RP_PROFILE_STEP, 1.0, 0, 0};
    rp_flow_set_options(w, 0, stop ? tol : INFINITY);
    if (rp_flow_run(m, w, &e, days > 0 ? 1 : 0, T, met, sl, NULL) != RP_OK)
        return -1;
    if (first_loss != NULL) {
        /* the day the loss first exceeded tol: the last day simulated */
        *first_loss = T;
        if (met->lost_units > tol) {
            *first_loss = T - 1;
            for (int t = 1; t < T; t++)
                if (isnan(sl[t])) {
                    *first_loss = t - 1;
                    break;
                }
        }
    }
    return 0;
}

/* The first day on which the TTR run's cumulative loss passed tol, if that
 * happened while the node was still down (T otherwise).  sl: the run's
 * daily service levels. */
static int first_loss_in_outage(const double *sl, int ttr, int T, double sumF,
                                double tol)
{
    double cum = 0;
    for (int t = 0; t < T && t < ttr; t++) {
        cum += (1.0 - sl[t]) * sumF;
        if (cum > tol)
            return t;
    }
    return T;
}

/* The TTR run of every tested node, K nodes at a time (nodes
 * K b .. K b + K - 1 in block b): performance impact into s->pi, and the
 * first loss during the outage into first[].  -1 out of memory. */
static int impact_runs(const rp_model *m, int T, int K,
                       const unsigned char *mask, const int32_t *ttr,
                       int threads, double tol, rp_stress *s, int *first)
{
    const int N = m->N;
    const int nblocks = (N + K - 1) / K;
    int failed = 0;
#pragma omp parallel num_threads(threads > 0 ? threads : omp_get_max_threads())
    {
        rp_flow_ws *w = rp_flow_ws_new_lanes(m, K);
        double *sl = malloc((size_t)K * (size_t)(T > 0 ? T : 1) * sizeof *sl);
        if (w == NULL || sl == NULL) {
#pragma omp atomic write
            failed = 1;
        } else {
            rp_flow_set_options(w, 0, INFINITY);
        }
#pragma omp for schedule(dynamic, 1)
        for (int b = 0; b < nblocks; b++) {
            if (w == NULL || sl == NULL)
                continue;
            rp_event ev[RP_LANES];
            const rp_event *evp[RP_LANES];
            int nev[RP_LANES], node[RP_LANES], used = 0;
            double *slp[RP_LANES];
            for (int i = b * K; i < N && i < (b + 1) * K; i++) {
                if (!mask[i])
                    continue;
                ev[used] =
                    (rp_event){i, 0, ttr[i], 0, RP_PROFILE_STEP, 1.0, 0, 0};
                evp[used] = &ev[used];
                nev[used] = ttr[i] > 0 ? 1 : 0;
                slp[used] = sl + (size_t)used * (size_t)T;
                node[used++] = i;
            }
            if (used == 0)
                continue;
            rp_metrics met[RP_LANES];
            if (rp_flow_run_lanes(m, w, used, evp, nev, T, met, slp) !=
                RP_OK) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            for (int l = 0; l < used; l++) {
                s->pi[node[l]] = met[l].lost_value;
                first[node[l]] = first_loss_in_outage(slp[l], ttr[node[l]], T,
                                                      m->sumF, tol);
            }
        }
        rp_flow_ws_free(w);
        free(sl);
    }
    return failed ? -1 : 0;
}

/* REI = PI / max PI over the tested nodes (0 when every PI is 0). */
static void set_rei(rp_stress *s)
{
    double maxpi = 0;
    for (int i = 0; i < s->N; i++)
        if (s->tested[i] && s->pi[i] > maxpi)
            maxpi = s->pi[i];
    for (int i = 0; i < s->N; i++)
        s->rei[i] = s->tested[i] ? (maxpi > 0 ? s->pi[i] / maxpi : 0) : NAN;
}

/* Node i's time to survive.  An outage for the whole horizon first loses
 * on day F.  An outage of F + 1 days or more follows the same path up to
 * day F, so it loses too: TTS lies in [0, F].  Bisect there; each probe
 * stops at its first loss.  If the TTR run already lost before its outage
 * ended (first < T), it followed the full outage's path up to then: that
 * day is F, no extra run needed.  *sims counts the runs, the TTR run
 * included.  -1 out of memory. */
static int tts_search(const rp_model *m, rp_flow_ws *w, int i, int T,
                      double tol, int first, double *sl, int32_t *tts,
                      int *sims)
{
    rp_metrics met;
    *sims = 1;
    if (first < T) {
        met.lost_units = INFINITY; /* loses: bisect below */
    } else {
        ++*sims;
        if (outage(m, w, i, T, T, tol, 1, &met, sl, &first) != 0)
            return -1;
    }
    if (met.lost_units <= tol) {
        *tts = T;
        return 0;
    }
    /* ok(lo) holds; find the largest ok D in [lo, hi] */
    int lo = 0, hi = first < T ? first : T;
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (outage(m, w, i, mid, T, tol, 1, &met, sl, NULL) != 0)
            return -1;
        ++*sims;
        if (met.lost_units <= tol)
            lo = mid;
        else
            hi = mid - 1;
    }
    *tts = lo;
    return 0;
}

rp_status rp_stress_run(const rp_model *m, int T, const unsigned char *mask,
                        const int32_t *ttr, int threads, int lanes,
                        rp_stress **out, rp_errors *err)
{
    *out = NULL;
    int N = m->N;
    rp_stress *s = calloc(1, sizeof *s);
    if (s == NULL)
        return rp_err_runtime(err, "out of memory");
    s->N = N;
    s->tested = calloc((size_t)N, 1);
    s->ttr = calloc((size_t)N, sizeof(int32_t));
    s->tts = calloc((size_t)N, sizeof(int32_t));
    s->pi = calloc((size_t)N, sizeof(double));
    s->rei = calloc((size_t)N, sizeof(double));
    s->exposed = calloc((size_t)N, 1);
    s->sims = calloc((size_t)N, sizeof(int32_t));
    if (!s->tested || !s->ttr || !s->tts || !s->pi || !s->rei || !s->exposed ||
        !s->sims) {
        rp_stress_free(s);
        return rp_err_runtime(err, "out of memory");
    }
    /* a loss counts once it passes 1e-9 of the horizon's final demand:
     * a run whose rounding leaves an ulp of loss loses nothing */
    const double tol = RP_STRESS_LOSS_TOL * (double)T * m->sumF;
    int *firstv = malloc((size_t)(N > 0 ? N : 1) * sizeof *firstv);
    if (firstv == NULL ||
        impact_runs(m, T,
                    lanes == 1 || lanes == RP_HALF || lanes == RP_LANES
                        ? lanes
                        : rp_flow_lanes_for(m, T, 0),
                    mask, ttr, threads, tol, s, firstv) != 0) {
        free(firstv);
        rp_stress_free(s);
        return rp_err_runtime(err, "out of memory in the stress test");
    }
    int failed = 0;
#pragma omp parallel num_threads(threads > 0 ? threads : omp_get_max_threads())
    {
        rp_flow_ws *w = rp_flow_ws_new(m);
        double *sl = malloc((size_t)(T > 0 ? T : 1) * sizeof *sl);
        if (w == NULL || sl == NULL) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(dynamic, 1)
        for (int i = 0; i < N; i++) {
            if (w == NULL || !mask[i]) {
                s->ttr[i] = s->tts[i] = -1;
                s->pi[i] = s->rei[i] = NAN;
                continue;
            }
            s->tested[i] = 1;
            s->ttr[i] = ttr[i];
            int sims = 0;
            if (tts_search(m, w, i, T, tol, firstv[i], sl, &s->tts[i],
                           &sims) != 0) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            s->sims[i] = sims;
            s->exposed[i] = (unsigned char)(s->tts[i] < ttr[i]);
        }
        rp_flow_ws_free(w);
        free(sl);
    }
    free(firstv);
    if (failed) {
        rp_stress_free(s);
        return rp_err_runtime(err, "out of memory in the stress test");
    }
    set_rei(s);
    *out = s;
    return RP_OK;
}

int rp_stress_gather(rp_stress *s, int rank)
{
    size_t N = (size_t)s->N;
    double *v = calloc(6 * N + 1, sizeof *v);
    if (v == NULL)
        return -1;
    for (size_t i = 0; i < N; i++) {
        if (!s->tested[i])
            continue;
        v[i] = 1;
        v[N + i] = s->ttr[i];
        v[2 * N + i] = s->tts[i];
        v[3 * N + i] = s->pi[i];
        v[4 * N + i] = s->exposed[i];
        v[5 * N + i] = s->sims[i];
    }
    /* each node was tested on one rank: the sums are exact */
    int rc = rp_par_sum0(v, 6 * N, rank);
    if (rc == 0 && rank == 0) {
        for (size_t i = 0; i < N; i++) {
            s->tested[i] = v[i] > 0;
            s->ttr[i] = s->tested[i] ? (int32_t)v[N + i] : -1;
            s->tts[i] = s->tested[i] ? (int32_t)v[2 * N + i] : -1;
            s->pi[i] = s->tested[i] ? v[3 * N + i] : NAN;
            s->exposed[i] = (unsigned char)(v[4 * N + i] > 0);
            s->sims[i] = (int32_t)v[5 * N + i];
        }
        set_rei(s);
    }
    free(v);
    return rc;
}
