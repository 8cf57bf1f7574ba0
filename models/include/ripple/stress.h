/* Simchi-Levi's stress test (docs/model.md): for each node, the loss
 * of a full outage lasting its time-to-recover (performance impact, REI)
 * and the longest outage it survives without loss (time-to-survive). */
#ifndef RIPPLE_STRESS_H
#define RIPPLE_STRESS_H

#include <stdint.h>

#include "ripple/error.h"
#include "ripple/model.h"

typedef struct rp_stress {
    int N;
    unsigned char *tested;  /* [N] nodes the scenario asked for */
    int32_t *ttr, *tts;     /* [N] days; -1 when not tested */
    double *pi, *rei;       /* [N] performance impact (lost value), REI;
                               NaN when not tested */
    unsigned char *exposed; /* [N] TTS < TTR */
    int32_t *sims;          /* [N] simulations the TTS search used */
} rp_stress;

/* mask[N] selects the nodes; ttr[N] their times to recover (days >= 1).
 * Parallel over nodes with `threads` threads (0: default), `lanes` nodes
 * a block (1, RP_HALF or RP_LANES; 0: rp_flow_lanes_for's default); the
 * lanes change the time, never the results. */
rp_status rp_stress_run(const rp_model *m, int T, const unsigned char *mask,
                        const int32_t *ttr, int threads, int lanes,
                        rp_stress **out, rp_errors *err);
void rp_stress_free(rp_stress *s);
/* MPI: each rank tested its share of the nodes; collect everything on rank
 * 0 (exact: every value comes from one rank) and recompute REI there.
 * 0, or -1 on failure. */
int rp_stress_gather(rp_stress *s, int rank);

#endif
