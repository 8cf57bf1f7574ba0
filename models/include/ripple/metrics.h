/* The supply-chain model's replication metrics (docs/model.md), declared
 * once.  Everything else is generated from RP_METRICS: the rp_metrics
 * record the flow kernel fills, the table the engine writes /replication
 * and /summary from (names, units, long_name, loss or not, integer or not),
 * rp_metric_get, and the record layout that checkpoints and MPI messages
 * carry.  Adding a metric: a line here, the kernel that computes it. */
#ifndef RIPPLE_METRICS_H
#define RIPPLE_METRICS_H

#include <stdint.h>

#include "ripple/metric.h"

/* X(field, type, is_loss, units, long_name); type F64 (double) or I32
 * (int32_t); doubles first, then integers (the record has no holes). */
#define RP_METRICS(X)                                                         \
    X(lost_units, F64, 1, "unit", "final demand lost over the horizon")       \
    X(lost_value, F64, 1, "V", "value of final demand lost over the horizon") \
    X(fill_rate, F64, 0, "1", "share of final demand delivered")              \
    X(min_service, F64, 0, "1", "lowest daily service level")                 \
    X(days_below_target, I32, 1, "day",                                       \
      "days with service below service_target")                               \
    X(longest_outage, I32, 1, "day",                                          \
      "longest run of days with service below service_target")                \
    X(nodes_disrupted, I32, 1, "count", "nodes hit by an event")              \
    X(nodes_impacted, I32, 1, "count",                                        \
      "nodes whose output fell below baseline")                               \
    X(events, I32, 1, "count", "events that touch the horizon")

#define RP_METRIC_CTYPE_F64 double
#define RP_METRIC_CTYPE_I32 int32_t
#define RP_METRIC_ISINT_F64 0
#define RP_METRIC_ISINT_I32 1

/* Metrics of one replication. */
typedef struct rp_metrics {
#define RP_METRIC_FIELD_(f, t, loss, u, ln) RP_METRIC_CTYPE_##t f;
    RP_METRICS(RP_METRIC_FIELD_)
#undef RP_METRIC_FIELD_
} rp_metrics;

/* RP_METRIC_lost_units, ... (column indices), RP_NMETRIC. */
enum {
#define RP_METRIC_ENUM_(f, t, loss, u, ln) RP_METRIC_##f,
    RP_METRICS(RP_METRIC_ENUM_)
#undef RP_METRIC_ENUM_
        RP_NMETRIC
};

/* The table, in RP_METRICS order (models/metrics.c). */
extern const rp_metric_def rp_metric_defs[RP_NMETRIC];
extern const char *const rp_metric_names[RP_NMETRIC];
extern const int rp_metric_is_loss[RP_NMETRIC];
double rp_metric_get(const rp_metrics *m, int k);
/* "lost_units:f64,lost_value:f64,...": the record's layout, part of a
 * run's identity (a checkpoint of another layout is refused). */
extern const char rp_metrics_layout[];

#endif
