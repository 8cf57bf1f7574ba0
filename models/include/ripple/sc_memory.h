/* The supply-chain run's memory estimate: the parts of the engine's plan
 * (ripple/resources.h) for a run or a stress test of a scenario. */
#ifndef RIPPLE_SC_MEMORY_H
#define RIPPLE_SC_MEMORY_H

#include "ripple/model.h"
#include "ripple/resources.h"
#include "ripple/scenario.h"

/* What a model takes (its arrays and the transient ones of building it). */
double rp_model_bytes(const rp_model *m);
/* A bound on the events of one replication (mean plus six standard
 * deviations of the Poisson counts, from the threats of the document). */
double rp_events_bound(const rp_scenario *s);
/* The mean number of events of a replication (for sums over many
 * replications, where the bound above would add its margin each time). */
double rp_events_mean(const rp_scenario *s);

/* Add what the risk register (reg: 0 none, 1 marginal, 2 Shapley) and
 * the event log (events) take to a run's plan. */
void rp_mem_plan_register(rp_mem_plan *p, const rp_scenario *s, int reg,
                          int events);
/* Plan a run of s (replications and horizon as set, overrides applied):
 * ws_bytes and model_bytes are the largest over the strategies' models,
 * lanes the lanes per replication block. */
void rp_mem_plan_run(const rp_scenario *s, int threads, int lanes,
                     double ws_bytes, double model_bytes, rp_mem_plan *p);
/* Plan a stress test: ws_lanes and ws_one are the workspace sizes with the
 * stress test's lanes and with one lane. */
void rp_mem_plan_stress(const rp_scenario *s, int threads, int lanes,
                        double ws_lanes, double ws_one, double model_bytes,
                        rp_mem_plan *p);
#endif
