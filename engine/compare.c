#include "ripple/compare.h"

#include <math.h>
#include <stdlib.h>

#include "ripple/stats.h"

int rp_compare(const rp_results *r, const double *cost, rp_comparison *out)
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
        a[q] = r->rep[q].lost_value;
    double ma = rp_mean(a, (size_t)R), va = rp_var(a, (size_t)R);
    for (int s = 0; s < r->S; s++) {
        const rp_metrics *m = r->rep + (size_t)s * (size_t)R;
        int64_t better = 0;
        for (int64_t q = 0; q < R; q++) {
            b[q] = m[q].lost_value;
            d[q] = b[q] - a[q];
            better += b[q] < a[q];
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
