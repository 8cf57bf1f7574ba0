/* The bounds every value must respect, however it arrives (input file,
 * scenario, strategy action, command-line option): one definition each,
 * so that a value the command line takes is never refused in a file, and
 * the reverse (docs/formats.md, "Limits").  A model bounds its own
 * quantities in its own headers, on top of these. */
#ifndef RIPPLE_BOUNDS_H
#define RIPPLE_BOUNDS_H

#include <stddef.h>

/* days simulated: horizon_days, --horizon */
#define RP_MAX_HORIZON 36500
/* replications, -r */
#define RP_MAX_REPLICATIONS 1000000000000LL
/* seed, -s: 2^53, the largest integer a JSON number holds exactly */
#define RP_MAX_SEED 9007199254740992LL
/* any other whole number (of days, as onsets and delays) when the key
 * states no tighter bound */
#define RP_MAX_INT 1000000000
/* the magnitude of any real value (a model's quantities, costs,
 * distribution parameters...): sums over days and over a model's parts of
 * products of two such values stay far from overflowing a double */
#define RP_MAX_MAGNITUDE 1e15
/* threads: at most 4 a core, and never more than this */
#define RP_MAX_THREADS 1024
/* input files (scenarios, a model's data): regular files of at most 1 GiB */
#define RP_MAX_INPUT_BYTES ((size_t)1 << 30)

#endif
