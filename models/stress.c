/* The stress test.
 *
 * TTS is found by bisection on the outage length D: the loss of an outage
 * on days 0..D-1 cannot shrink when the outage grows (the model is monotone
 * in capacity), so "loses nothing" holds on an interval [0, TTS].  That
 * takes about log2(T) simulations per node instead of T. */
#include "ripple/stress.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>

#include "ripple/flow.h"

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

static int outage(const rp_model *m, rp_flow_ws *w, int node, int days, int T,
                  rp_metrics *met)
{
    rp_event e = {node, 0, days, 0, RP_PROFILE_STEP, 1.0, 0};
    return rp_flow_run(m, w, &e, days > 0 ? 1 : 0, T, met, NULL, NULL) ==
                   RP_OK
               ? 0
               : -1;
}

rp_status rp_stress_run(const rp_model *m, int T, const unsigned char *mask,
                        const int32_t *ttr, int threads, rp_stress **out,
                        rp_errors *err)
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
    if (!s->tested || !s->ttr || !s->tts || !s->pi || !s->rei ||
        !s->exposed || !s->sims) {
        rp_stress_free(s);
        return rp_err_runtime(err, "out of memory");
    }
    const double tol = 1e-9 * (double)T * m->sumF;
    int failed = 0;
#pragma omp parallel num_threads(threads > 0 ? threads : omp_get_max_threads())
    {
        rp_flow_ws *w = rp_flow_ws_new(m);
        if (w == NULL) {
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
            rp_metrics met;
            s->tested[i] = 1;
            s->ttr[i] = ttr[i];
            if (outage(m, w, i, ttr[i], T, &met) != 0) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            s->pi[i] = met.lost_value;
            int sims = 1;
            /* bisection: ok(lo) holds, ok(hi + 1) fails (or hi == T) */
            int lo = 0, hi = T;
            if (outage(m, w, i, T, T, &met) != 0) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            sims++;
            if (!(met.lost_units <= tol)) {
                hi = T - 1;
                while (lo < hi) {
                    int mid = lo + (hi - lo + 1) / 2;
                    if (outage(m, w, i, mid, T, &met) != 0) {
#pragma omp atomic write
                        failed = 1;
                        break;
                    }
                    sims++;
                    if (met.lost_units <= tol)
                        lo = mid;
                    else
                        hi = mid - 1;
                }
            } else {
                lo = T;
            }
            s->tts[i] = lo;
            s->sims[i] = sims;
            s->exposed[i] = (unsigned char)(lo < ttr[i]);
        }
        rp_flow_ws_free(w);
    }
    if (failed) {
        rp_stress_free(s);
        return rp_err_runtime(err, "out of memory in the stress test");
    }
    double maxpi = 0;
    for (int i = 0; i < N; i++)
        if (s->tested[i] && s->pi[i] > maxpi)
            maxpi = s->pi[i];
    for (int i = 0; i < N; i++)
        if (s->tested[i])
            s->rei[i] = maxpi > 0 ? s->pi[i] / maxpi : 0;
    *out = s;
    return RP_OK;
}
