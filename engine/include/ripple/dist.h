/* Probability distributions of docs/formats.md, parsed from JSON and sampled
 * with GSL: a number (fixed), or {"dist": "fixed", "value": v}, uniform {min,
 * max}, exponential {mean}, lognormal {mean, sd} (of the variable itself),
 * gamma {shape, scale}, weibull {shape, scale}, triangular {min, mode,
 * max}, pert {min, mode, max}. */
#ifndef RIPPLE_DIST_H
#define RIPPLE_DIST_H

#include <gsl/gsl_rng.h>

#include "ripple/json.h"

typedef enum {
    RP_DIST_FIXED,
    RP_DIST_UNIFORM,
    RP_DIST_EXPONENTIAL,
    RP_DIST_LOGNORMAL,
    RP_DIST_GAMMA,
    RP_DIST_WEIBULL,
    RP_DIST_TRIANGULAR,
    RP_DIST_PERT
} rp_dist_kind;

typedef struct rp_dist {
    rp_dist_kind kind;
    double a, b, c; /* parameters, in the order of the comment above; for
                       lognormal: the log-scale mu and sigma */
} rp_dist;

/* Parse obj[key] (required unless dflt != NULL).  Values must lie in
 * (lo, hi]: positive = 1 requires every possible value > 0. */
int rp_dist_parse(rp_jctx *c, const cJSON *obj, const char *path,
                  const char *key, const rp_dist *dflt, int positive,
                  rp_dist *out);
double rp_dist_sample(const rp_dist *d, gsl_rng *r);
/* Mean of the distribution (for documentation and tests). */
double rp_dist_mean(const rp_dist *d);

#endif
