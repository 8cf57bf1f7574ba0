/* Summary statistics of a sample, exactly as docs/formats.md defines them:
 * sd with n-1, se = sd/sqrt(n), ci95 = mean +- 1.96 se, nearest-rank
 * quantiles sorted[ceil(n p) - 1], VaR/CVaR at 95% and 99%. */
#ifndef RIPPLE_STATS_H
#define RIPPLE_STATS_H

#include <stddef.h>

enum {
    RP_ST_MEAN,
    RP_ST_SD,
    RP_ST_SE,
    RP_ST_CI_LO,
    RP_ST_CI_HI,
    RP_ST_MIN,
    RP_ST_P05,
    RP_ST_P50,
    RP_ST_P95,
    RP_ST_P99,
    RP_ST_MAX,
    RP_ST_VAR95,
    RP_ST_CVAR95,
    RP_ST_VAR99,
    RP_ST_CVAR99,
    RP_NSTAT
};

extern const char *const rp_stat_names[RP_NSTAT];

/* Index into sorted data of the nearest-rank p-quantile (0 <= p <= 1). */
size_t rp_nearest_rank(size_t n, double p);
/* Fill out[RP_NSTAT].  scratch holds n doubles (sorted copy).  loss=0 sets
 * VaR/CVaR to NaN (for metrics that are not losses).  n = 0 gives NaNs. */
void rp_stats_compute(const double *x, size_t n, int loss, double *out,
                      double *scratch);
/* Mean in index order (deterministic). */
double rp_mean(const double *x, size_t n);
/* Sample variance (n-1); NaN for n < 2. */
double rp_var(const double *x, size_t n);

#endif
