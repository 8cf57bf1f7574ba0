/* Strategies against the baseline (ripple/compare.h): paired differences per
 * replication and the net-benefit decision, on the model's loss metric. */
#include "ripple/compare.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>

#include "ripple/rng.h"
#include "ripple/stats.h"

/* Two losses that agree to this relative tolerance are the same loss.  The
 * same replication simulated along two paths (a strategy that changes
 * nothing this replication touches, or the dense and the sparse kernel)
 * can differ by rounding in the last bits, about 1e-13 relative; such a
 * difference must not count as "better".  Real effects of a strategy are
 * many orders of magnitude larger. */
#define RP_LOSS_TIE_REL 1e-9

/* b is a smaller loss than a, beyond rounding */
static int less_loss(double b, double a)
{
    double scale = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return b < a - RP_LOSS_TIE_REL * scale;
}

int rp_compare(const rp_loss_view *r, const double *cost, rp_comparison *out)
{
    int64_t R = r->R;
    double *a = malloc((size_t)R * sizeof *a);
    double *b = malloc((size_t)R * sizeof *b);
    double *d = malloc((size_t)R * sizeof *d);
    if (a == NULL || b == NULL || d == NULL) {
        free(a);
        free(b);
        free(d);
        return -1;
    }
    for (int64_t q = 0; q < R; q++)
        a[q] = rp_loss_at(r, 0, q);
    double ma = rp_mean(a, (size_t)R), va = rp_var(a, (size_t)R);
    for (int s = 0; s < r->S; s++) {
        int64_t better = 0;
        for (int64_t q = 0; q < R; q++) {
            b[q] = rp_loss_at(r, s, q);
            d[q] = b[q] - a[q];
            better += less_loss(b[q], a[q]);
        }
        double md = rp_mean(d, (size_t)R), vd = rp_var(d, (size_t)R);
        double se = sqrt(vd / (double)R);
        rp_comparison *c = &out[s];
        c->delta_mean = md;
        c->delta_lo = md - 1.96 * se;
        c->delta_hi = md + 1.96 * se;
        c->prob_better = (double)better / (double)R;
        double saved = (ma - rp_mean(b, (size_t)R)) * 365.0 / (double)r->T;
        c->roi = cost[s] > 0 ? (saved - cost[s]) / cost[s] : NAN;
        c->variance_reduction =
            vd > 0 ? (va + rp_var(b, (size_t)R)) / vd : NAN;
    }
    free(a);
    free(b);
    free(d);
    return 0;
}

int rp_decide(const rp_loss_view *r, const double *cost, uint64_t seed,
              rp_decision *out)
{
    const int64_t R = r->R;
    const int S = r->S;
    const double scale = 365.0 / (double)r->T;
    double *nb = malloc((size_t)S * (size_t)R * sizeof *nb);
    int64_t *idx = malloc((size_t)R * sizeof *idx);
    gsl_rng *rng = gsl_rng_alloc(rp_rng_philox);
    if (nb == NULL || idx == NULL || rng == NULL) {
        free(nb);
        free(idx);
        if (rng != NULL)
            gsl_rng_free(rng);
        return -1;
    }
    /* per replication: saved value a year minus the cost */
    for (int s = 0; s < S; s++)
        for (int64_t q = 0; q < R; q++)
            nb[(size_t)s * (size_t)R + (size_t)q] =
                s == 0 ? 0.0
                       : (rp_loss_at(r, 0, q) - rp_loss_at(r, s, q)) * scale -
                             cost[s];
    int best = 0;
    for (int s = 0; s < S; s++) {
        const double *x = nb + (size_t)s * (size_t)R;
        double m = rp_mean(x, (size_t)R);
        double se = sqrt(rp_var(x, (size_t)R) / (double)R);
        out[s].nb_mean = m;
        out[s].nb_lo = m - 1.96 * se;
        out[s].nb_hi = m + 1.96 * se;
        out[s].prob_best = 0;
        if (s > 0 && m > out[best].nb_mean)
            best = s;
    }
    /* paired bootstrap: the same resampled replications for every
     * strategy; resample b draws from its own stream */
    for (int b = 0; b < RP_BOOTSTRAP && R > 0; b++) {
        rp_rng_stream(rng, seed, (uint64_t)b, 0xFFFF, 0, RP_DRAW_BOOTSTRAP);
        for (int64_t q = 0; q < R; q++)
            idx[q] = (int64_t)gsl_rng_uniform_int(rng, (unsigned long)R);
        int arg = 0;
        double top = 0;
        for (int s = 1; s < S; s++) {
            const double *x = nb + (size_t)s * (size_t)R;
            double acc = 0;
            for (int64_t q = 0; q < R; q++)
                acc += x[idx[q]];
            acc /= (double)R;
            if (acc > top) {
                top = acc;
                arg = s;
            }
        }
        out[arg].prob_best += 1; /* (a count: exact) */
    }
    /* the share of resamples, divided once: summing 1/B a thousand times
     * would leave a certain best at 1 + 7e-16 */
    for (int s = 0; s < S; s++)
        out[s].prob_best /= RP_BOOTSTRAP;
    free(nb);
    free(idx);
    gsl_rng_free(rng);
    return out[best].nb_mean > 0 ? best : 0;
}
