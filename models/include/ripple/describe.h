/* The pre-flight summary `ripple validate` prints: size, structure, tiers,
 * baseline throughput and warnings an analyst should see before a long
 * run; and the words and numbers every command's text shares (amounts,
 * what money is counted in). */
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
/* Print the summary and the warnings (see `ripple validate`).  Every
 * warning is counted; beyond a few of a kind they are summed up in one
 * line (and only the shown ones are formatted), unless `all`, which
 * prints each on its own line.  The last line gives the count, and how
 * many of them the summary lines stand for. */
void rp_describe(FILE *f, const rp_scenario *s, const rp_model *m, int all);

/* The words for money when a scenario names no currency, in every text,
 * the HTML report and the results files' `units` attributes. */
#define RP_MONEY_UNNAMED "unit_value's currency"

/* What money is counted in: the scenario's currency ("EUR"), or
 * RP_MONEY_UNNAMED when it names none (NULL or ""). */
const char *rp_describe_money(const char *currency);

/* v as the text shows an amount (money, units, rates, ratios), into b (n
 * bytes; 32 are always enough); returns b.  From 1,000 on a whole number
 * with its thousands grouped ("1,500,000"; "-2,300"), below that 4
 * significant digits ("999.9", "12.35", "0.5"), never an exponent between
 * 0.001 and 1e15 ("1.235e+15", "2.500e-04" outside); "-" for NaN, 0 for
 * -0. */
char *rp_describe_num(char *b, size_t n, double v);

#endif
