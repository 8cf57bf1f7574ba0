/* Summary statistics of a sample (ripple/stats.h) as docs/formats.md defines
 * them: mean, sd, nearest-rank quantiles, VaR and CVaR. */
#include "ripple/stats.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <string.h>

const char *const rp_stat_names[RP_NSTAT] = {
    "mean", "sd",  "se",  "ci95_low", "ci95_high", "min",   "p05",   "p50",
    "p95",  "p99", "max", "var95",    "cvar95",    "var99", "cvar99"};

size_t rp_nearest_rank(size_t n, double p)
{
    /* ceil(n p) - 1, guarding against n p landing a hair above an integer
     * through rounding of p (0.95 * 100 must give rank 95, not 96) */
    double np = (double)n * p;
    double k = ceil(np - 1e-9 * (np > 1 ? np : 1));
    if (k < 1)
        k = 1;
    if (k > (double)n)
        k = (double)n;
    return (size_t)k - 1;
}

double rp_mean(const double *x, size_t n)
{
    if (n == 0)
        return NAN;
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return s / (double)n;
}

double rp_var(const double *x, size_t n)
{
    if (n < 2)
        return NAN;
    double m = rp_mean(x, n), s = 0;
    for (size_t i = 0; i < n; i++)
        s += (x[i] - m) * (x[i] - m);
    return s / (double)(n - 1);
}

static double cvar(const double *sorted, size_t n, double a)
{
    double v = sorted[rp_nearest_rank(n, a)];
    double s = 0;
    for (size_t i = 0; i < n; i++)
        if (sorted[i] > v)
            s += sorted[i] - v;
    return v + s / ((double)n * (1 - a));
}

void rp_stats_compute(const double *x, size_t n, int loss, double *out,
                      double *scratch)
{
    for (int k = 0; k < RP_NSTAT; k++)
        out[k] = NAN;
    if (n == 0)
        return;
    double mean = rp_mean(x, n);
    double sd = sqrt(rp_var(x, n));
    double se = sd / sqrt((double)n);
    out[RP_ST_MEAN] = mean;
    out[RP_ST_SD] = sd;
    out[RP_ST_SE] = se;
    out[RP_ST_CI_LO] = mean - 1.96 * se;
    out[RP_ST_CI_HI] = mean + 1.96 * se;
    memcpy(scratch, x, n * sizeof *x);
    gsl_sort(scratch, 1, n);
    out[RP_ST_MIN] = scratch[0];
    out[RP_ST_MAX] = scratch[n - 1];
    out[RP_ST_P05] = scratch[rp_nearest_rank(n, 0.05)];
    out[RP_ST_P50] = scratch[rp_nearest_rank(n, 0.50)];
    out[RP_ST_P95] = scratch[rp_nearest_rank(n, 0.95)];
    out[RP_ST_P99] = scratch[rp_nearest_rank(n, 0.99)];
    if (loss) {
        out[RP_ST_VAR95] = scratch[rp_nearest_rank(n, 0.95)];
        out[RP_ST_CVAR95] = cvar(scratch, n, 0.95);
        out[RP_ST_VAR99] = scratch[rp_nearest_rank(n, 0.99)];
        out[RP_ST_CVAR99] = cvar(scratch, n, 0.99);
    }
}
