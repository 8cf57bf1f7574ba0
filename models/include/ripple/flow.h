/* The daily flow model (docs/model.md): one replication of a
 * compiled model under a list of events. */
#ifndef RIPPLE_FLOW_H
#define RIPPLE_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "ripple/metrics.h"
#include "ripple/model.h"

enum { RP_PROFILE_STEP = 0, RP_PROFILE_LINEAR = 1 };

/* One disruption: a node or an edge at reduced capacity for a while. */
typedef struct rp_event {
    int32_t target;   /* node index, or network (file order) edge index */
    int32_t onset;    /* first day */
    int32_t duration; /* days >= 1 */
    uint8_t is_edge;
    uint8_t profile;
    double severity; /* (0, 1] */
    uint8_t shared;  /* 1: another part of an event already counted (the
                        other nodes a regional event hits) */
    int32_t threat;  /* index of the threat in the scenario that made it */
} rp_event;

/* rp_metrics, the metrics of one replication: ripple/metrics.h. */

/* Per-thread scratch, sized once for a model; nothing is allocated inside
 * the daily loop. */
typedef struct rp_flow_ws rp_flow_ws;

/* Replications stepped together by rp_flow_run_lanes. */
#define RP_LANES 8
/* Groups of two to RP_HALF replications run in a loop of RP_HALF lanes. */
#define RP_HALF 4

/* Bytes one thread's workspace may take for lanes by default (at least;
 * see rp_flow_lane_budget). */
#define RP_LANE_BUDGET 1073741824.0

/* The lane count for runs of this model over `horizon` days (<= 0: any) on
 * a thread whose workspace may take `budget` bytes: RP_LANES, RP_HALF or
 * 1, the most lanes whose state fits (1 when none does).  Lanes change the
 * time a run takes, never its results (every lane computes what its
 * replication computes alone), so the choice may depend on the machine. */
int rp_flow_lanes_for(const rp_model *m, int horizon, double budget);

/* The budget of rp_flow_lanes_for for one of `threads` threads, given the
 * bytes `available` to the process (< 0: unknown): an eighth of what is
 * available, shared by the threads, so that a run leaves most of the
 * machine to its own records and to other work, and RP_LANE_BUDGET at
 * least (the memory plan still refuses a run that does not fit). */
double rp_flow_lane_budget(double available, int threads);

/* Bytes of a workspace of this model with this many lanes once it has run
 * `horizon` days (for memory estimates made before anything is allocated;
 * horizon <= 0: any horizon).  A workspace's pipelines are made by its
 * first run, min(L, horizon) slots an edge of lead time L (exact: see
 * models/flow.c), and made anew only for a longer run. */
size_t rp_flow_ws_bytes(const rp_model *m, int lanes, int horizon);

/* Scratch for single runs (one lane). */
rp_flow_ws *rp_flow_ws_new(const rp_model *m);
/* Scratch for lanes = 1, RP_HALF or RP_LANES replications in lockstep. */
rp_flow_ws *rp_flow_ws_new_lanes(const rp_model *m, int lanes);
int rp_flow_lanes(const rp_flow_ws *w);
/* The instruction set the lanes loop uses here: "avx512", "avx2" or
 * "generic" (RIPPLE_SIMD in the environment can ask for a narrower one). */
const char *rp_flow_simd(void);
void rp_flow_ws_free(rp_flow_ws *w);

/* Per-node results of the last run, valid until the next run. */
typedef struct rp_flow_nodes {
    const int32_t *disrupted_days; /* days with delta_i > 0 */
    const int32_t *impacted_days;  /* days with x_i < (1 - 1e-6) x0_i */
    const double *lost_value;      /* sum over days of v_i lost_i */
} rp_flow_nodes;

/* Optional daily traces of a run (`ripple trace`, tests, debugging); each
 * pointer may be NULL (not captured).  Node arrays are [T][N] in node
 * order, stock [T][G] in the model's group order (m->g_node, m->g_name).
 * x is captured in every run; the others only in dense runs (see
 * rp_flow_set_options: RP_FLOW_DENSE, or RP_FLOW_AUTO on a small network),
 * where every node is simulated every day. */
typedef struct rp_flow_trace {
    double *x;     /* [T][N] output (step 5) */
    double *D;     /* [T][N] demand (step 3) */
    double *P;     /* [T][N] producible (step 4) */
    double *r;     /* [T][N] fill ratio output / demand (0 without demand) */
    double *delta; /* [T][N] damage (step 1) */
    double *h;     /* [T][N] health (step 8), every node, also those whose
                      health no buyer reads */
    double *S;     /* [T][G] stock of each input group after today's arrivals
                      (step 2), before consumption: what step 4 uses */
    double *lost;  /* [T] final demand lost that day, units */
} rp_flow_trace;

/* Simulate T days.  events need not be sorted.  sl (may be NULL) receives
 * SL(t) for t = 0..T-1.  Returns RP_ERUNTIME only on allocation failure
 * (growing the event buffer). */
rp_status rp_flow_run(const rp_model *m, rp_flow_ws *w, const rp_event *ev,
                      int nev, int T, rp_metrics *out, double *sl,
                      const rp_flow_trace *trace);
rp_flow_nodes rp_flow_node_results(const rp_flow_ws *w);
rp_flow_nodes rp_flow_node_results_lane(const rp_flow_ws *w, int lane);

/* Run `used` (<= lanes of w) replications in lockstep: lane l gets the
 * events ev[l][0..nev[l]) and writes out[l] and, when sl and sl[l] are not
 * NULL, sl[l][0..T).  Each lane gets what rp_flow_run would give it, bit
 * for bit, when the mode is fixed (RP_FLOW_DENSE or RP_FLOW_SPARSE; with
 * RP_FLOW_AUTO a block of heavy events may run dense as a whole).  A block
 * of one replication (used = 1) runs in one lane, as rp_flow_run. */
rp_status rp_flow_run_lanes(const rp_model *m, rp_flow_ws *w, int used,
                            const rp_event *const *ev, const int *nev, int T,
                            rp_metrics *out, double *const *sl);

/* How a run simulates (the `dense` of rp_flow_set_options):
 * RP_FLOW_DENSE every node every day (no snapping back to the baseline, no
 * skipping of quiet days); RP_FLOW_SPARSE only the disturbed part of the
 * network, and no quiet day; RP_FLOW_AUTO (the default) sparse, except on
 * networks of at most RP_FLOW_DENSE_NODES nodes and for blocks whose
 * events hit a large share of the node-days, where the bookkeeping costs
 * more than it saves (docs/performance.md), and on networks with a
 * production cycle (always dense: see models/flow.c).  The choice depends
 * on the network and the block's events, never on timing. */
enum { RP_FLOW_AUTO = 0, RP_FLOW_DENSE = 1, RP_FLOW_SPARSE = 2 };
#define RP_FLOW_DENSE_NODES 256

/* Node-days that the events ev[0..nev) hit over [0, T) (an event on a
 * link counts for its two ends). */
double rp_flow_hit_days(const rp_event *ev, int nev, int T);

/* How every run of a Monte Carlo study of model m simulates under option
 * `dense` (RP_FLOW_*): RP_FLOW_DENSE or RP_FLOW_SPARSE, from the network
 * and, with RP_FLOW_AUTO, the node-days hit in a sample of `runs` runs of
 * T days.  Deciding once for the study (not per block of lanes) makes a
 * replication's results independent of the lanes it shares a block with. */
int rp_flow_mode_for(const rp_model *m, int dense, double hit_days, long runs,
                     int T);
/* The nodes a sparse run of one replication's events (one lane, T days)
 * simulates, summed over the days (a skipped day counts none); the run
 * stops once that passes `limit`.  -1 out of memory. */
double rp_flow_sparse_work(const rp_model *m, const rp_event *ev, int nev,
                           int T, double limit);

/* dense: RP_FLOW_AUTO (0), RP_FLOW_DENSE (1) or RP_FLOW_SPARSE;
 * stop_lost_units ends a run as soon as more units than that are lost
 * (INFINITY: never; the stress test's TTS search uses it).  Defaults:
 * RP_FLOW_AUTO and INFINITY. */
void rp_flow_set_options(rp_flow_ws *w, int dense, double stop_lost_units);
/* Days the last run actually simulated (the rest were skipped). */
long rp_flow_days_simulated(const rp_flow_ws *w);
/* Active events the last run visited in its damage step, summed over days
 * and lanes: what that step cost (events that can change nothing more are
 * dropped, so this stays near days x events active at once). */
long rp_flow_event_steps(const rp_flow_ws *w);

/* Severity of event e on day t (0 outside its days). */
double rp_event_severity(const rp_event *e, int t);

#endif
