/* The bounds every value must respect, however it arrives (network file,
 * scenario, strategy action, command-line option): one definition each,
 * so that a value the command line takes is never refused in a file, and
 * the reverse (docs/formats.md, "Limits"). */
#ifndef RIPPLE_BOUNDS_H
#define RIPPLE_BOUNDS_H

#include <stddef.h>

/* days simulated: horizon_days, --horizon */
#define RP_MAX_HORIZON 36500
/* replications, -r */
#define RP_MAX_REPLICATIONS 1000000000000LL
/* seed, -s: 2^53, the largest integer a JSON number holds exactly */
#define RP_MAX_SEED 9007199254740992LL
/* lead_time of network edges and of edges strategies add */
#define RP_MAX_LEAD_TIME 3650
/* any other whole number of days (ttr_days, activation_delay, onsets...)
 * when the key states no tighter bound */
#define RP_MAX_INT 1000000000
/* the magnitude of any real value (demand, capacity, unit_value, costs,
 * distribution parameters...): sums such as unit_value x demand x horizon
 * x nodes stay far from overflowing a double */
#define RP_MAX_MAGNITUDE 1e15
/* threads: at most 4 a core, and never more than this */
#define RP_MAX_THREADS 1024
/* input files (scenarios, networks): regular files of at most 1 GiB */
#define RP_MAX_INPUT_BYTES ((size_t)1 << 30)

#endif
