/* Creating output files safely: see ripple/files.h. */
#define _GNU_SOURCE
#include "ripple/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int rp_path_add(char *buf, size_t n, const char *path, const char *suffix)
{
    size_t a = strlen(path), b = strlen(suffix);
    if (n == 0 || a + b + 1 > n) {
        if (n > 0)
            buf[0] = '\0';
        return -1;
    }
    memcpy(buf, path, a);
    memcpy(buf + a, suffix, b + 1);
    return 0;
}

/* 32-bit FNV-1a of this machine's name: temporary names say which machine
 * made them, so that a run on another machine sharing the directory is
 * never taken for a dead one. */
static uint32_t host_tag(void)
{
    char h[256] = "";
    if (gethostname(h, sizeof h - 1) != 0)
        h[0] = '\0';
    h[sizeof h - 1] = '\0';
    uint32_t x = 2166136261u;
    for (const char *p = h; *p; p++)
        x = (x ^ (unsigned char)*p) * 16777619u;
    return x;
}

static void random_tag(char out[7])
{
    static const char al[] = "abcdefghijklmnopqrstuvwxyz"
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static unsigned counter = 0;
    unsigned char b[6];
    if (getrandom(b, sizeof b, GRND_NONBLOCK) != (ssize_t)sizeof b) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
                     ((uint64_t)getpid() << 40) ^ (uint64_t)counter++ * 7919;
        for (int k = 0; k < 6; k++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            b[k] = (unsigned char)(x >> 56);
        }
    }
    for (int k = 0; k < 6; k++)
        out[k] = al[b[k] % (sizeof al - 1)];
    out[6] = '\0';
}

int rp_tmp_name(const char *path, char *tmp, size_t n)
{
    char rnd[7], suffix[64];
    random_tag(rnd);
    snprintf(suffix, sizeof suffix, ".tmp.%ld.%08x.%s", (long)getpid(),
             (unsigned)host_tag(), rnd);
    return rp_path_add(tmp, n, path, suffix);
}

/* ---- removal of temporary files on a fatal signal ---- */

#define NREG 4
static char reg_path[NREG][PATH_MAX];
static volatile sig_atomic_t reg_used[NREG];

void rp_tmp_register(const char *tmp)
{
    for (int k = 0; k < NREG; k++) {
        if (!reg_used[k]) {
            if (rp_path_add(reg_path[k], sizeof reg_path[k], tmp, "") == 0)
                reg_used[k] = 1;
            return;
        }
    }
}

void rp_tmp_forget(const char *tmp)
{
    for (int k = 0; k < NREG; k++)
        if (reg_used[k] && strcmp(reg_path[k], tmp) == 0)
            reg_used[k] = 0;
}

void rp_tmp_on_signal(int sig)
{
    for (int k = 0; k < NREG; k++)
        if (reg_used[k])
            unlink(reg_path[k]); /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

void rp_tmp_guard_signals(void)
{
    signal(SIGINT, rp_tmp_on_signal);
    signal(SIGTERM, rp_tmp_on_signal);
    signal(SIGHUP, rp_tmp_on_signal);
}

int rp_tmp_create(const char *path, char *tmp, size_t n)
{
    for (int tries = 0; tries < 64; tries++) {
        if (rp_tmp_name(path, tmp, n) != 0) {
            errno = ENAMETOOLONG;
            return -1;
        }
        rp_tmp_register(tmp);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0)
            return fd;
        int e = errno;
        rp_tmp_forget(tmp);
        if (e != EEXIST) {
            errno = e;
            return -1;
        }
    }
    errno = EEXIST;
    return -1;
}

/* ---- checks before the work starts ---- */

static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISLNK(m))
        return "a symbolic link";
    return "not a regular file";
}

/* A path as messages show it: long ones cut in the middle, so that the
 * reason after them still fits in a message. */
typedef struct {
    char s[200];
} shown_path;

static shown_path shown(const char *p)
{
    shown_path b;
    size_t n = strlen(p);
    if (n < sizeof b.s)
        memcpy(b.s, p, n + 1);
    else
        snprintf(b.s, sizeof b.s, "%.60s...%s", p, p + n - 120);
    return b;
}

/* An existing file at `p` (the output or one of its companions) must be a
 * regular file, not a link.  `what` names it in messages. */
static rp_status check_existing(const char *p, const char *what, int writable,
                                rp_errors *err)
{
    struct stat st;
    if (lstat(p, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return RP_OK; /* absent (the directory is checked next) */
        return rp_err_add(err, "%s: cannot use it as %s: %s", shown(p).s, what,
                          strerror(errno));
    }
    if (S_ISLNK(st.st_mode))
        return rp_err_add(err,
                          "%s: is a symbolic link; Ripple neither writes "
                          "through links nor replaces them (give the path "
                          "of the file itself as %s)",
                          shown(p).s, what);
    if (S_ISDIR(st.st_mode) && strcmp(what, "the output") == 0)
        return rp_err_add(err,
                          "%s: exists and is a directory; Ripple writes the "
                          "output only as a regular file (name a file inside "
                          "it: %s/NAME)",
                          shown(p).s, shown(p).s);
    if (!S_ISREG(st.st_mode))
        return rp_err_add(err,
                          "%s: exists and is %s; Ripple writes %s only as a "
                          "regular file and leaves this one alone",
                          shown(p).s, kind_of(st.st_mode), what);
    if (writable && access(p, W_OK) != 0)
        return rp_err_add(err,
                          "%s: exists and cannot be replaced (%s); remove it "
                          "or choose another output",
                          shown(p).s, strerror(errno));
    return RP_OK;
}

/* Is `s` (the part of a directory entry after "BASE.tmp.") one of our
 * temporary names?  1: PID.HOST.RANDOM (pid and host filled in);
 * 2: the PID-only names of earlier versions; 0: not ours. */
static int parse_tmp(const char *s, long *pid, unsigned *host)
{
    char *end;
    if (*s < '0' || *s > '9')
        return 0;
    errno = 0;
    long p = strtol(s, &end, 10);
    if (errno != 0 || p <= 0)
        return 0;
    *pid = p;
    if (*end == '\0')
        return 2;
    if (*end != '.')
        return 0;
    const char *h = end + 1;
    for (int k = 0; k < 8; k++) {
        char c = h[k];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return 0;
    }
    if (h[8] != '.')
        return 0;
    *host = (unsigned)strtoul(h, NULL, 16);
    const char *r = h + 9;
    for (int k = 0; k < 6; k++) {
        char c = r[k];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
              (c >= 'A' && c <= 'Z')))
            return 0;
    }
    return r[6] == '\0' ? 1 : 0;
}

/* Temporary files of `base` (and of its checkpoint) in `dir`, left by runs
 * that died: removed when made on this machine by this user and their
 * process is gone; reported otherwise (unless a live run may be writing
 * them). */
static void clean_stale(const char *dir, const char *base, int quiet)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    char pre[2][PATH_MAX];
    if (rp_path_add(pre[0], sizeof pre[0], base, ".tmp.") != 0 ||
        rp_path_add(pre[1], sizeof pre[1], base, ".ckpt.tmp.") != 0) {
        closedir(d);
        return;
    }
    unsigned me = host_tag();
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *rest = NULL;
        for (int k = 0; k < 2 && rest == NULL; k++)
            if (strncmp(e->d_name, pre[k], strlen(pre[k])) == 0)
                rest = e->d_name + strlen(pre[k]);
        long pid = 0;
        unsigned host = 0;
        int kind = rest ? parse_tmp(rest, &pid, &host) : 0;
        if (kind == 0)
            continue;
        char full[PATH_MAX];
        int n = snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        if (n < 0 || (size_t)n >= sizeof full)
            continue;
        struct stat st;
        if (lstat(full, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        int alive = kill((pid_t)pid, 0) == 0 || errno != ESRCH;
        int here = kind == 1 && host == me;
        if (here && !alive && st.st_uid == getuid()) {
            if (unlink(full) == 0) {
                if (!quiet)
                    fprintf(stderr,
                            "ripple: removed %s, left by an earlier run "
                            "(pid %ld) that is no longer running\n",
                            full, pid);
                continue;
            }
        }
        if (here && alive)
            continue; /* a run in progress may be writing it */
        if (!quiet)
            fprintf(stderr,
                    "ripple: warning: %s looks like the temporary file of an "
                    "interrupted run (pid %ld%s); remove it if no ripple is "
                    "writing it\n",
                    full, pid,
                    kind == 2 ? ", written by an earlier version"
                    : !here   ? ", on another machine"
                              : ", of another user");
    }
    closedir(d);
}

rp_status rp_out_check(const char *path, int flags, rp_errors *err)
{
    if (path == NULL || path[0] == '\0')
        return rp_err_add(err, "the output file name is empty");
    size_t len = strlen(path);
    if (len > RP_OUT_MAX)
        return rp_err_add(err,
                          "%.48s...: the output path is too long (%zu "
                          "characters; at most %d, so that its temporary and "
                          "checkpoint names fit in PATH_MAX = %d)",
                          path, len, RP_OUT_MAX, PATH_MAX);
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        return rp_err_add(err,
                          "%s: names a directory, not a file (name a file "
                          "inside it: %s%sNAME)",
                          shown(path).s, shown(path).s, *base ? "/" : "");
    char dir[PATH_MAX];
    if (slash == NULL)
        strcpy(dir, ".");
    else if (slash == path)
        strcpy(dir, "/");
    else {
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
    }
    if (check_existing(path, "the output", 1, err) != RP_OK)
        return RP_EINPUT;
    if (flags & RP_OUT_CKPT) {
        char c[PATH_MAX];
        if (rp_path_add(c, sizeof c, path, ".ckpt") != 0 ||
            check_existing(c, "a checkpoint", 0, err) != RP_OK)
            return RP_EINPUT;
        if (rp_path_add(c, sizeof c, path, ".lock") != 0 ||
            check_existing(c, "a lock file", 0, err) != RP_OK)
            return RP_EINPUT;
    }
    struct stat st;
    if (stat(dir, &st) != 0)
        return rp_err_add(err, "%s: cannot create the output in %s: %s",
                          shown(path).s, shown(dir).s, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return rp_err_add(err, "%s: cannot create the output in %s: %s",
                          shown(path).s, shown(dir).s, strerror(ENOTDIR));
    clean_stale(dir, base, flags & RP_OUT_QUIET);
    /* try it: a file with the longest name the output will need */
    char probe_for[PATH_MAX], tmp[PATH_MAX];
    if (rp_path_add(probe_for, sizeof probe_for, path,
                    flags & RP_OUT_CKPT ? ".ckpt" : "") != 0)
        return rp_err_add(err, "%.48s...: the output path is too long", path);
    int fd = rp_tmp_create(probe_for, tmp, sizeof tmp);
    int e = errno;
    if (fd < 0)
        return rp_err_add(err, "%s: cannot create the output in %s: %s%s",
                          shown(path).s, shown(dir).s, strerror(e),
                          e == ENAMETOOLONG
                              ? " (with the up to 36 characters Ripple adds "
                                "for its temporary files)"
                              : "");
    close(fd);
    unlink(tmp);
    rp_tmp_forget(tmp);
    return RP_OK;
}

/* ---- one run per output ---- */

rp_status rp_out_lock(const char *out, rp_lock *lk, rp_errors *err)
{
    lk->fd = -1;
    if (rp_path_add(lk->path, sizeof lk->path, out, ".lock") != 0)
        return rp_err_add(err, "%.48s...: the output path is too long", out);
    for (int tries = 0; tries < 16; tries++) {
        int fd =
            open(lk->path,
                 O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
        if (fd < 0)
            return rp_err_add(err, "%s: cannot create the lock file %s: %s",
                              shown(out).s, shown(lk->path).s,
                              strerror(errno));
        struct stat a, b;
        if (fstat(fd, &a) != 0 || !S_ISREG(a.st_mode)) {
            close(fd);
            return rp_err_add(err,
                              "%s: the lock file %s is not a regular file",
                              shown(out).s, shown(lk->path).s);
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            char buf[32] = "";
            ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
            buf[n > 0 ? n : 0] = '\0';
            long pid = strtol(buf, NULL, 10);
            close(fd);
            if (e == EWOULDBLOCK) {
                char who[48] = "another ripple run";
                if (pid > 0)
                    snprintf(who, sizeof who, "another ripple run (pid %ld)",
                             pid);
                return rp_err_add(err,
                                  "%s: %s is writing this output and its "
                                  "checkpoint; wait for it to end or choose "
                                  "another output",
                                  shown(out).s, who);
            }
            return rp_err_add(err, "%s: cannot lock %s: %s", shown(out).s,
                              shown(lk->path).s, strerror(e));
        }
        /* the file may have been removed by the run that held it, after we
         * opened it: then our lock is on nothing; start again */
        if (stat(lk->path, &b) != 0 || a.st_ino != b.st_ino ||
            a.st_dev != b.st_dev) {
            close(fd);
            continue;
        }
        char pid[32];
        int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
        if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
            /* the lock holds even if the pid cannot be recorded */
        }
        lk->fd = fd;
        return RP_OK;
    }
    return rp_err_add(err, "%s: cannot lock %s (it keeps changing)",
                      shown(out).s, shown(lk->path).s);
}

void rp_out_unlock(rp_lock *lk)
{
    if (lk->fd < 0)
        return;
    unlink(lk->path);
    close(lk->fd);
    lk->fd = -1;
}
