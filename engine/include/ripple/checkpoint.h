/* Checkpoints of a Monte Carlo run, so that an interrupted run continued
 * with `ripple run --resume` writes the same file as an uninterrupted one.
 *
 * What is saved is exactly what the driver needs to carry on: the arrays
 * the model lists (rp_model_ops.ckpt_chunks: the results of the strategies
 * already finished, the replication records and daily series done so far,
 * the model's running sums of the current strategy; sums are taken in
 * replication order, so carrying them on gives the same bits).  The file is
 * binary, for this machine only, and is written to a temporary name and
 * renamed.  It records its own size, the size of every array, and a SHA-256
 * checksum of the whole; a checkpoint that does not match them, or whose
 * contents disagree with its progress marker, is refused. */
#ifndef RIPPLE_CHECKPOINT_H
#define RIPPLE_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "ripple/error.h"

typedef struct rp_ckpt_state {
    char fingerprint[65]; /* run identity: scenario, seed, options */
    int strategy;         /* the strategy in progress */
    int64_t next;         /* its first replication not yet done */
} rp_ckpt_state;

/* One array of a checkpoint. */
typedef struct rp_ckpt_chunk {
    void *p;
    size_t bytes;
} rp_ckpt_chunk;

/* The most arrays a checkpoint holds.  The header records the sizes of
 * the first 24 (layout 4); those of any further arrays follow it, so a
 * larger table keeps the file layout of a smaller one.  A model's table
 * asserts at compile time that it fits (_Static_assert on its count); the
 * engine also refuses, with an error, a chunks() that returns more or
 * writes past c[RP_CKPT_MAX_CHUNKS - 1]. */
#define RP_CKPT_MAX_CHUNKS 64

/* What a checkpoint holds: the run's sizes and model version (recorded in
 * the header and checked on reading), its arrays in file order for a
 * progress marker `next` (chunks() fills c[], at most RP_CKPT_MAX_CHUNKS
 * of them, and returns how many; c[RP_CKPT_MAX_CHUNKS] is the engine's
 * guard, not to be touched), and the
 * check that the contents read agree with the marker (0, or -1 with a
 * message naming path). */
typedef struct rp_ckpt_io {
    int32_t S, N, T;
    int64_t R;
    int32_t model_version;
    int (*chunks)(void *arg, int64_t next, rp_ckpt_chunk *c);
    int (*check)(void *arg, const rp_ckpt_state *st, const char *path,
                 rp_errors *err);
    void *arg;
} rp_ckpt_io;

rp_status rp_ckpt_write(const char *path, const rp_ckpt_state *st,
                        const rp_ckpt_io *io, rp_errors *err);
/* Reads into the arrays io->chunks names after checking the file's size
 * and checksum, the run's fingerprint, sizes and model version, and (with
 * io->check) that the contents agree with the progress marker;
 * RP_EINPUT with a message naming the file otherwise. */
rp_status rp_ckpt_read(const char *path, rp_ckpt_state *st,
                       const rp_ckpt_io *io, rp_errors *err);

#endif
