/* A replication metric as the engine sees it: a named field of the model's
 * per-replication record, with what the results file says about it.  The
 * engine writes /replication and /summary, compares strategies and checks
 * checkpoints from a table of these, so it never names a metric itself;
 * the model declares its list once (models: ripple/metrics.h). */
#ifndef RIPPLE_METRIC_H
#define RIPPLE_METRIC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct rp_metric_def {
    const char *name;      /* dataset name in /replication and /summary */
    const char *long_name; /* its long_name attribute */
    const char *units;     /* CF units; "V" stands for the currency */
    size_t offset;         /* of the field in the record */
    int is_int;            /* 1: an int32_t field, 0: a double */
    int is_loss; /* 1: larger is worse (VaR and CVaR on the upper tail) */
} rp_metric_def;

/* The metric's value in a record, as a double. */
static inline double rp_metric_value(const rp_metric_def *d, const void *rec)
{
    const char *p = (const char *)rec + d->offset;
    if (d->is_int) {
        int32_t v;
        memcpy(&v, p, sizeof v);
        return v;
    }
    double v;
    memcpy(&v, p, sizeof v);
    return v;
}

#endif
