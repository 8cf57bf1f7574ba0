/* The supply-chain model's draw purposes (ripple/rng.h): one independent
 * stream each, keyed with the seed, the replication, the threat (the
 * stream's source) and the target.  The numbers are part of the results:
 * changing one changes every replication's events. */
#ifndef RIPPLE_DRAWS_H
#define RIPPLE_DRAWS_H

#include "ripple/rng.h"

enum {
    RP_DRAW_COUNT = 1, /* number of events */
    RP_DRAW_ONSET = 2,
    RP_DRAW_DURATION = 3,
    RP_DRAW_SEVERITY = 4,
    RP_DRAW_SUCCESS = 5, /* attack success */
    RP_DRAW_TARGET = 6,  /* attack target / cyber entry choice */
    RP_DRAW_SPREAD = 7,  /* cyber contagion */
    RP_DRAW_SHAPLEY = 8  /* orders of threats (risk register, sampled) */
};
_Static_assert((int)RP_DRAW_SHAPLEY <= (int)RP_DRAW_MODEL_LAST,
               "the model's draw purposes stay below the engine's");

#endif
