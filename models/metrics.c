/* The replication metrics' table, generated from RP_METRICS
 * (ripple/metrics.h). */
#include "ripple/metrics.h"

#include <stddef.h>

#define DEF_(f, t, loss, u, ln)                                               \
    {#f, ln, u, offsetof(rp_metrics, f), RP_METRIC_ISINT_##t, loss},
const rp_metric_def rp_metric_defs[RP_NMETRIC] = {RP_METRICS(DEF_)};
#undef DEF_

#define NAME_(f, t, loss, u, ln) #f,
const char *const rp_metric_names[RP_NMETRIC] = {RP_METRICS(NAME_)};
#undef NAME_

#define LOSS_(f, t, loss, u, ln) loss,
const int rp_metric_is_loss[RP_NMETRIC] = {RP_METRICS(LOSS_)};
#undef LOSS_

#define LAYOUT_F64 "f64"
#define LAYOUT_I32 "i32"
#define LAYOUT_(f, t, loss, u, ln) #f ":" LAYOUT_##t ","
const char rp_metrics_layout[] = RP_METRICS(LAYOUT_);
#undef LAYOUT_

/* doubles first, then int32s: no padding between fields */
#define SIZE_(f, t, loss, u, ln) +sizeof(RP_METRIC_CTYPE_##t)
_Static_assert(sizeof(rp_metrics) >= 0 RP_METRICS(SIZE_) &&
                   sizeof(rp_metrics) < 0 RP_METRICS(SIZE_) + sizeof(double),
               "rp_metrics has holes between its fields");
#undef SIZE_

double rp_metric_get(const rp_metrics *m, int k)
{
    return rp_metric_value(&rp_metric_defs[k], m);
}
