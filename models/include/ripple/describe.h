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
/* Nodes that can never produce: the greatest set in which a node produces
 * when its capacity is above 0 and each of its input groups has a supplier
 * (primary or standby) that produces.  Fills order[] with the others, those
 * whose own capacity is 0 first, and block[i] with what stops node i: -1
 * its capacity, g >= 0 its input group g, -2 nothing (it can produce).
 * Returns how many cannot produce, or -1 when out of memory. */
int rp_never_produce(const rp_model *m, int *order, int *block);
/* Print the summary and the warnings (see `ripple validate`). */
void rp_describe(FILE *f, const rp_scenario *s, const rp_model *m);

#endif
