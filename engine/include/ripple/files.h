/* Creating output files safely (docs/robustness.md).
 *
 * Every file Ripple writes (results, checkpoints, generated inputs) is
 * first written to a temporary file beside its target, created with
 * O_CREAT | O_EXCL under a name nobody can predict
 * (TARGET.tmp.PID.HOST.RANDOM), and renamed over the target when complete.
 * The target is checked before any work starts: it must be a regular file
 * or not exist, and its directory must accept new files. */
#ifndef RIPPLE_FILES_H
#define RIPPLE_FILES_H

#include <limits.h>
#include <stddef.h>

#include "ripple/error.h"

/* The longest suffix Ripple appends to an output name
 * (".ckpt.tmp." + a 10-digit pid + ".hhhhhhhh.rrrrrr"). */
#define RP_SUFFIX_MAX 36
/* The longest output name accepted. */
#define RP_OUT_MAX (PATH_MAX - 1 - RP_SUFFIX_MAX)

enum {
    RP_OUT_CKPT = 1, /* the output has a checkpoint and a lock (`run`) */
    RP_OUT_QUIET = 2 /* no notes about cleaned-up files */
};

/* Check an output path before the work starts: not empty, short enough for
 * its companion names, not an existing directory, device, FIFO, socket or
 * symbolic link, not a read-only file, and in a directory where a file can
 * be created (tried).  Temporary files of this output left by a dead run
 * on this machine are removed (noted on stderr); others are reported.
 * RP_EINPUT with a message naming `path` when the output cannot be
 * written. */
rp_status rp_out_check(const char *path, int flags, rp_errors *err);

/* buf = path + suffix; -1 (buf empty) when that does not fit in n. */
int rp_path_add(char *buf, size_t n, const char *path, const char *suffix);

/* A fresh, unpredictable temporary name beside `path`; -1 when it does not
 * fit in n. */
int rp_tmp_name(const char *path, char *tmp, size_t n);

/* Create a new temporary file beside `path` (O_CREAT | O_EXCL, mode 0666
 * less the umask) and register it for removal on a fatal signal.  Returns
 * the descriptor and its name in tmp, or -1 with errno set. */
int rp_tmp_create(const char *path, char *tmp, size_t n);

/* Temporary files to remove when a signal ends the program (at most 4 at a
 * time).  Register before creating, forget after renaming or removing. */
void rp_tmp_register(const char *tmp);
void rp_tmp_forget(const char *tmp);
/* Remove the registered temporary files and die of the signal: install
 * for SIGINT, SIGTERM and SIGHUP (rp_tmp_guard_signals) or call from a
 * handler of one's own. */
void rp_tmp_on_signal(int sig);
void rp_tmp_guard_signals(void);

/* An output claimed by one run (`run` claims OUT.lock with flock, so that
 * two runs with one output never share its checkpoint).  The kernel drops
 * the claim when the process dies. */
typedef struct rp_lock {
    int fd;
    char path[PATH_MAX];
} rp_lock;

/* RP_EINPUT naming the output when another process holds it. */
rp_status rp_out_lock(const char *out, rp_lock *lk, rp_errors *err);
/* Remove the lock file and let go (nothing when not held). */
void rp_out_unlock(rp_lock *lk);

#endif
