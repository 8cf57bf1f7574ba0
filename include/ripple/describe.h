/* The pre-flight summary `ripple validate` prints: size, structure, tiers,
 * baseline throughput and warnings an analyst should see before a long
 * run. */
#ifndef RIPPLE_DESCRIBE_H
#define RIPPLE_DESCRIBE_H

#include <stdio.h>

#include "ripple/model.h"
#include "ripple/scenario.h"

/* Tier of each node: hops downstream to the nearest node with final demand
 * (0 for those nodes), -1 if it reaches none. */
int rp_tiers(const rp_model *m, int *tier);
void rp_describe(FILE *f, const rp_scenario *s, const rp_model *m);

#endif
