/* One replication of a scenario, day by day (`ripple trace`): the
 * replication `ripple run` simulates with the same number, strategy and
 * seed (the same strategy model, the same event streams), simulated dense
 * so that every node has values on every day, and written to HDF5
 * (docs/formats.md, "Trace file"). */
#ifndef RIPPLE_TRACE_H
#define RIPPLE_TRACE_H

#include <stdint.h>

#include "ripple/error.h"
#include "ripple/flow.h"
#include "ripple/scenario.h"

/* The most a trace's [day, node] arrays may take (2 GiB). */
#define RP_TRACE_MAX_BYTES ((double)((int64_t)1 << 31))

typedef struct rp_trace {
    int N, G, T;
    int strategy;
    int64_t replication;
    /* [T][N] */
    double *x, *D, *P, *r, *delta, *h;
    double *S;           /* [T][G] stock after arrivals, model group order */
    double *sl, *lost;   /* [T] service level, final demand lost (units) */
    rp_metrics met;      /* the replication's metrics */
    char **group_label;  /* [G] "buyer:input" */
    int32_t *group_node; /* [G] buyer node index */
    double *x0;          /* [N] baseline output */
} rp_trace;

/* Bytes of the [day, node] arrays of a trace of N nodes and T days. */
double rp_trace_node_bytes(int N, int T);

/* Simulate replication r (0 <= r < s->replications) of strategy si (0 =
 * baseline) of scenario s.  RP_EINPUT when r or si is out of range or the
 * [day, node] arrays would pass RP_TRACE_MAX_BYTES. */
rp_status rp_trace_run(const rp_scenario *s, int si, int64_t r, rp_trace **out,
                       rp_errors *err);
void rp_trace_free(rp_trace *t);

/* Write the trace (to a temporary file beside path, renamed when done);
 * command: the command line, for the file's attributes. */
rp_status rp_trace_write(const char *path, const rp_scenario *s,
                         const rp_trace *t, const char *command,
                         rp_errors *err);

/* `ripple trace`: argv[0] is "trace"; default_json is the bundled scenario
 * (used without a SCENARIO.json).  Returns the exit status. */
int rp_cmd_trace(int argc, char **argv, const char *cmdline,
                 const char *default_json);

#endif
