/* Checkpoints of a Monte Carlo run, so that an interrupted run continued
 * with `ripple run --resume` writes the same file as an uninterrupted one.
 *
 * What is saved is exactly what the driver needs to carry on: the results
 * of the strategies already finished, the replication metrics and daily
 * service levels done so far, and the running per-node sums of the current
 * strategy (sums are taken in replication order, so carrying them on gives
 * the same bits).  The file is binary, for this machine only, and is
 * written to a temporary name and renamed.  It records its own size, the
 * size of every array, and a SHA-256 checksum of the whole; a checkpoint
 * that does not match them, or whose contents disagree with its progress
 * marker, is refused. */
#ifndef RIPPLE_CHECKPOINT_H
#define RIPPLE_CHECKPOINT_H

#include <stdint.h>

#include "ripple/error.h"
#include "ripple/run.h"

/* Running per-node sums of the current strategy. */
typedef struct rp_acc {
    int64_t *dis_sum, *imp_sum, *dis_cnt, *imp_cnt;
    double *lost_sum, *crit_sum;
} rp_acc;

typedef struct rp_ckpt_state {
    char fingerprint[65]; /* run identity: scenario, seed, options */
    int strategy;         /* the strategy in progress */
    int64_t next;         /* its first replication not yet done */
} rp_ckpt_state;

rp_status rp_ckpt_write(const char *path, const rp_ckpt_state *st,
                        const rp_results *r, const rp_acc *acc,
                        const double *sl, rp_errors *err);
/* Reads into r, acc and sl (allocated for the same sizes) after checking
 * the file's size and checksum, the run's fingerprint and sizes, and that
 * the contents agree with the progress marker; RP_EINPUT with a message
 * naming the file otherwise. */
rp_status rp_ckpt_read(const char *path, rp_ckpt_state *st, rp_results *r,
                       rp_acc *acc, double *sl, rp_errors *err);

#endif
