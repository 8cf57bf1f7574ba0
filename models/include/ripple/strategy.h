/* Mitigation strategies (docs/formats.md, "Strategies"): a named list of
 * changes to the network with an annual cost.  Each strategy owns a modified
 * copy of the network; index 0 is always the unchanged baseline. */
#ifndef RIPPLE_STRATEGY_H
#define RIPPLE_STRATEGY_H

#include <cjson/cJSON.h>

#include "ripple/json.h"
#include "ripple/network.h"

typedef struct rp_strategy rp_strategy;

struct rp_strategy {
    const char *name;
    double cost_per_year;
    char *actions_json; /* the actions as given ("[]" for baseline) */
    rp_network *net;    /* owned copy, or NULL: use the scenario's network
                           (the baseline, and strategies without actions) */
    char **added_at;    /* where each added edge was asked for, in order
                           (net->added_at points here) */
    int n_added;
};

/* Parse the "strategies" list against net; fills *out with n+1 entries, the
 * first being the baseline.  An entry named "baseline" with no actions is
 * merged into the implicit baseline (it may set a cost of 0 only). */
rp_status rp_strategies_parse(rp_jctx *c, const cJSON *list,
                              const rp_network *net, rp_strategy **out,
                              int *n_out);
void rp_strategies_free(rp_strategy *s, int n);

#endif
