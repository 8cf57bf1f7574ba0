/* Probability distributions (ripple/dist.h): parsed from a scenario's JSON,
 * checked, sampled with GSL, and their means. */
#include "ripple/dist.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

static const char *const KEYS_FIXED[] = {"dist", "value", NULL};
static const char *const KEYS_UNIFORM[] = {"dist", "min", "max", NULL};
static const char *const KEYS_EXP[] = {"dist", "mean", NULL};
static const char *const KEYS_LOGN[] = {"dist", "mean", "sd", NULL};
static const char *const KEYS_SHAPE[] = {"dist", "shape", "scale", NULL};
static const char *const KEYS_TRI[] = {"dist", "min", "mode", "max", NULL};

int rp_dist_parse(rp_jctx *c, const cJSON *obj, const char *path,
                  const char *key, const rp_dist *dflt, int positive,
                  rp_dist *out)
{
    char p[300];
    rp_json_path(p, sizeof p, path, key);
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    memset(out, 0, sizeof *out);
    if (it == NULL) {
        if (dflt != NULL) {
            *out = *dflt;
            return 0;
        }
        rp_err_add(c->err, "%s: %s: missing (a number or a distribution)",
                   c->file, p);
        return -1;
    }
    rp_range lo = positive ? RP_GT0 : RP_GE0;
    if (cJSON_IsNumber(it)) {
        out->kind = RP_DIST_FIXED;
        return rp_json_check_number(c, it, p, &out->a, lo) < 0 ? -1 : 1;
    }
    if (!cJSON_IsObject(it))
        return rp_json_expected(c, it, p, "a number or a distribution object");
    const char *name;
    if (rp_json_string(c, it, p, "dist", &name, 1) < 0)
        return -1;
    int before = c->err->count + c->err->dropped;
    if (strcmp(name, "fixed") == 0) {
        out->kind = RP_DIST_FIXED;
        rp_json_check_keys(c, it, p, KEYS_FIXED);
        rp_json_number(c, it, p, "value", &out->a, 0, lo, 1);
    } else if (strcmp(name, "uniform") == 0) {
        out->kind = RP_DIST_UNIFORM;
        rp_json_check_keys(c, it, p, KEYS_UNIFORM);
        rp_json_number(c, it, p, "min", &out->a, 0, RP_GE0, 1);
        rp_json_number(c, it, p, "max", &out->b, 0, RP_GE0, 1);
        if (c->err->count + c->err->dropped == before && !(out->b > out->a))
            rp_err_add(c->err,
                       "%s: %s: max must be greater than min (got "
                       "min %g, max %g)",
                       c->file, p, out->a, out->b);
        else if (positive && out->a <= 0 &&
                 c->err->count + c->err->dropped == before)
            rp_err_add(c->err, "%s: %s.min: must be > 0 (got %g)", c->file, p,
                       out->a);
    } else if (strcmp(name, "exponential") == 0) {
        out->kind = RP_DIST_EXPONENTIAL;
        rp_json_check_keys(c, it, p, KEYS_EXP);
        rp_json_number(c, it, p, "mean", &out->a, 0, RP_GT0, 1);
    } else if (strcmp(name, "lognormal") == 0) {
        out->kind = RP_DIST_LOGNORMAL;
        rp_json_check_keys(c, it, p, KEYS_LOGN);
        double m = 1, sd = 0;
        rp_json_number(c, it, p, "mean", &m, 1, RP_GT0, 1);
        rp_json_number(c, it, p, "sd", &sd, 0, RP_GE0, 1);
        /* moments of the variable -> parameters of its logarithm */
        double s2 = log1p((sd * sd) / (m * m));
        out->a = log(m) - 0.5 * s2;
        out->b = sqrt(s2);
    } else if (strcmp(name, "gamma") == 0 || strcmp(name, "weibull") == 0) {
        out->kind = name[0] == 'g' ? RP_DIST_GAMMA : RP_DIST_WEIBULL;
        rp_json_check_keys(c, it, p, KEYS_SHAPE);
        rp_json_number(c, it, p, "shape", &out->a, 1, RP_GT0, 1);
        rp_json_number(c, it, p, "scale", &out->b, 1, RP_GT0, 1);
    } else if (strcmp(name, "triangular") == 0 || strcmp(name, "pert") == 0) {
        out->kind = name[0] == 't' ? RP_DIST_TRIANGULAR : RP_DIST_PERT;
        rp_json_check_keys(c, it, p, KEYS_TRI);
        rp_json_number(c, it, p, "min", &out->a, 0, RP_GE0, 1);
        rp_json_number(c, it, p, "mode", &out->b, 0, RP_GE0, 1);
        rp_json_number(c, it, p, "max", &out->c, 0, RP_GE0, 1);
        if (c->err->count + c->err->dropped == before &&
            !(out->a <= out->b && out->b <= out->c && out->a < out->c))
            rp_err_add(c->err,
                       "%s: %s: need min <= mode <= max and min < "
                       "max (got %g, %g, %g)",
                       c->file, p, out->a, out->b, out->c);
        else if (positive && out->a <= 0 &&
                 c->err->count + c->err->dropped == before)
            rp_err_add(c->err, "%s: %s.min: must be > 0 (got %g)", c->file, p,
                       out->a);
    } else {
        char q[320];
        rp_json_path(q, sizeof q, p, "dist");
        rp_err_add(c->err,
                   "%s: %s: unknown distribution \"%s\" (known: "
                   "fixed, uniform, exponential, lognormal, gamma, weibull, "
                   "triangular, pert)",
                   c->file, q, name);
        return -1;
    }
    return c->err->count + c->err->dropped > before ? -1 : 1;
}

double rp_dist_sample(const rp_dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case RP_DIST_FIXED:
        return d->a;
    case RP_DIST_UNIFORM:
        return gsl_ran_flat(r, d->a, d->b);
    case RP_DIST_EXPONENTIAL:
        return gsl_ran_exponential(r, d->a);
    case RP_DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, d->a, d->b);
    case RP_DIST_GAMMA:
        return gsl_ran_gamma(r, d->a, d->b);
    case RP_DIST_WEIBULL:
        return gsl_ran_weibull(r, d->b, d->a); /* GSL: (scale, shape) */
    case RP_DIST_TRIANGULAR: {
        double u = gsl_rng_uniform(r);
        double lo = d->a, m = d->b, hi = d->c;
        double f = (m - lo) / (hi - lo);
        if (u < f)
            return lo + sqrt(u * (hi - lo) * (m - lo));
        return hi - sqrt((1 - u) * (hi - lo) * (hi - m));
    }
    case RP_DIST_PERT: {
        double lo = d->a, m = d->b, hi = d->c;
        double al = 1 + 4 * (m - lo) / (hi - lo);
        double be = 1 + 4 * (hi - m) / (hi - lo);
        return lo + (hi - lo) * gsl_ran_beta(r, al, be);
    }
    }
    return d->a;
}

double rp_dist_mean(const rp_dist *d)
{
    switch (d->kind) {
    case RP_DIST_FIXED:
        return d->a;
    case RP_DIST_UNIFORM:
        return 0.5 * (d->a + d->b);
    case RP_DIST_EXPONENTIAL:
        return d->a;
    case RP_DIST_LOGNORMAL:
        return exp(d->a + 0.5 * d->b * d->b);
    case RP_DIST_GAMMA:
        return d->a * d->b;
    case RP_DIST_WEIBULL:
        return d->b * tgamma(1 + 1 / d->a);
    case RP_DIST_TRIANGULAR:
        return (d->a + d->b + d->c) / 3;
    case RP_DIST_PERT:
        return (d->a + 4 * d->b + d->c) / 6;
    }
    return d->a;
}
