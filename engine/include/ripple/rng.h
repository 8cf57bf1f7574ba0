/* Counter-based random streams: Philox4x32-10 (Salmon et al., SC'11, with
 * Random123's constants), exposed as a GSL generator so GSL's distributions
 * draw from it.
 *
 * A stream is named by (seed, replication, source, target, purpose) and
 * never by thread or rank, so any split of the work draws the same numbers
 * (docs/model.md).  The 64-bit seed is the Philox key; the counter
 * holds the draw index, the replication (40 bits), the purpose (8 bits),
 * the source (16 bits: the model's number for the random process that
 * draws) and the target (32 bits). */
#ifndef RIPPLE_RNG_H
#define RIPPLE_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* Draw purposes: one independent stream each.  The engine draws for
 * itself only to resample replications; purposes 1 .. RP_DRAW_MODEL_LAST
 * are the model's (it names them in a header of its own, as
 * models/include/ripple/draws.h). */
enum {
    RP_DRAW_MODEL_LAST = 8,
    RP_DRAW_BOOTSTRAP = 9 /* resamples of replications (prob_best) */
};

/* One Philox4x32-10 block. */
void rp_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2],
                      uint32_t out[4]);

extern const gsl_rng_type *rp_rng_philox;

/* Point r (allocated with gsl_rng_alloc(rp_rng_philox)) at the start of a
 * stream. */
void rp_rng_stream(gsl_rng *r, uint64_t seed, uint64_t replication,
                   uint32_t source, uint32_t target, uint32_t purpose);

/* The same, at substream sub (0..65535) of the stream: each substream has
 * 2^18 draws of its own.  Used where one target needs independent draws per
 * campaign or per attempt. */
void rp_rng_substream(gsl_rng *r, uint64_t seed, uint64_t replication,
                      uint32_t source, uint32_t target, uint32_t purpose,
                      uint32_t sub);

/* Random access: the uniform in (0, 1) with 53 random bits at position
 * (index) of a stream, without touching any generator state. */
double rp_rng_u01_at(uint64_t seed, uint64_t replication, uint32_t source,
                     uint32_t target, uint32_t purpose, uint32_t index);

#endif
