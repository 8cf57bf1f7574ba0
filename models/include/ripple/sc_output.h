/* The supply-chain model's results and stress files (docs/formats.md):
 * the engine's groups (ripple/h5out.h) and the model's own (/network,
 * /node, /events, /threat, /risk_register; /stress). */
#ifndef RIPPLE_SC_OUTPUT_H
#define RIPPLE_SC_OUTPUT_H

#include "ripple/error.h"
#include "ripple/h5out.h"
#include "ripple/run.h"
#include "ripple/scenario.h"
#include "ripple/stress.h"

/* The results file of run r of s (the scenario as run, overrides
 * applied).  With r->events the event log is sampled again from s, a
 * chunk of /events at a time (models/sc_output.c). */
rp_status rp_h5_write_run(const char *path, const rp_scenario *s,
                          const rp_results *r, const rp_h5_meta *meta,
                          rp_errors *err);
rp_status rp_h5_write_stress(const char *path, const rp_scenario *s,
                             const rp_stress *st, const rp_h5_meta *meta,
                             rp_errors *err);

#endif
