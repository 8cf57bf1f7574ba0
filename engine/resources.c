/* Resources decided before work starts (see resources.h).
 *
 * A memory plan is a list of parts (the model fills them, and may name
 * them in its own words: rp_mem_words); its phases do not overlap in time, so
 * the peak is what is held throughout plus the largest phase:
 *
 *   held     = loaded + model + results
 *   simulate = daily + records + workspaces + event buffers
 *   bands    = daily + threads x R x 8 (sorting)
 *   write    = the file's buffers
 *   peak     = held + max(simulate, bands, write) */
#define _GNU_SOURCE
#include "ripple/resources.h"
#include "ripple/util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

int rp_thread_cap(void)
{
    int procs = omp_get_num_procs();
    long cap = 4L * (procs > 0 ? procs : 1);
    if (cap < 8)
        cap = 8;
    return cap > RP_MAX_THREADS ? RP_MAX_THREADS : (int)cap;
}

/* ---- input files ------------------------------------------------------- */

static const char *not_regular(mode_t mode)
{
    if (S_ISDIR(mode))
        return "is a directory, not a file";
    if (S_ISFIFO(mode))
        return "is a FIFO (named pipe), not a regular file; inputs are "
               "read from regular files only";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "is a device, not a regular file; inputs are read from "
               "regular files only";
    if (S_ISSOCK(mode))
        return "is a socket, not a regular file";
    if (!S_ISREG(mode))
        return "is not a regular file";
    return NULL;
}

static int check_stat(const struct stat *st, const char *label,
                      size_t max_bytes, rp_errors *err)
{
    const char *why = not_regular(st->st_mode);
    if (why != NULL) {
        rp_err_add(err, "%s: %s", label, why);
        return -1;
    }
    if (max_bytes > 0 && (uint64_t)st->st_size > (uint64_t)max_bytes) {
        char have[32], lim[32];
        rp_mem_format((double)st->st_size, have, sizeof have);
        rp_mem_format((double)max_bytes, lim, sizeof lim);
        rp_err_add(err, "%s: is %s; input files are limited to %s (%zu bytes)",
                   label, have, lim, max_bytes);
        return -1;
    }
    return 0;
}

int rp_input_open(const char *path, const char *label, size_t max_bytes,
                  size_t *size, rp_errors *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        rp_err_add(err, "%s: cannot open: %s", label, strerror(errno));
        return -1;
    }
    if (check_stat(&st, label, max_bytes, err) != 0)
        return -1;
    /* O_NONBLOCK: should a FIFO have taken the file's place since, the
     * open returns at once, and fstat then refuses it */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        rp_err_add(err, "%s: cannot open: %s", label, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || check_stat(&st, label, max_bytes, err) != 0) {
        close(fd);
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    *size = (size_t)st.st_size;
    return fd;
}

int rp_input_check(const char *path, const char *label, size_t max_bytes,
                   rp_errors *err)
{
    size_t size;
    int fd = rp_input_open(path, label, max_bytes, &size, err);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

/* ---- memory available ----------------------------------------------------
 */

/* The number after `key` in a "Key:   123 kB" file, in bytes (-1: none). */
static double status_value(const char *file, const char *key)
{
    FILE *f = fopen(file, "r");
    if (f == NULL)
        return -1;
    char line[256];
    double v = -1;
    size_t kl = strlen(key);
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
            double x;
            char unit[16] = "";
            int n = sscanf(line + kl + 1, "%lf %15s", &x, unit);
            if (n >= 1)
                v = x * (strcmp(unit, "kB") == 0 ? 1024.0 : 1.0);
            break;
        }
    }
    fclose(f);
    return v;
}

/* A number of bytes in a one-line file ("max" or unreadable: -1). */
static double file_number(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char buf[64] = "";
    double v = -1;
    if (fgets(buf, sizeof buf, f) != NULL && buf[0] >= '0' && buf[0] <= '9')
        v = strtod(buf, NULL);
    fclose(f);
    return v;
}

static void take(double v, const char *what, double *best, char *src, size_t n)
{
    if (v >= 0 && (*best < 0 || v < *best)) {
        *best = v;
        snprintf(src, n, "%s", what);
    }
}

/* What the cgroup's memory limit leaves (v2: the least over the cgroup
 * and its parents; v1: the memory controller's cgroup), or -1. */
static double cgroup_left(void)
{
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (f == NULL)
        return -1;
    char line[1024], v2[1024] = "", v1[1024] = "";
    int have2 = 0, have1 = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "0::", 3) == 0) {
            snprintf(v2, sizeof v2, "%s", line + 3);
            have2 = 1;
        } else {
            char *c = strchr(line, ':');
            char *d = c ? strchr(c + 1, ':') : NULL;
            if (c && d) {
                *d = '\0';
                /* the controller list holds "memory" */
                char *ctl = c + 1, *tok, *save = NULL;
                for (tok = strtok_r(ctl, ",", &save); tok;
                     tok = strtok_r(NULL, ",", &save))
                    if (strcmp(tok, "memory") == 0) {
                        snprintf(v1, sizeof v1, "%s", d + 1);
                        have1 = 1;
                    }
            }
        }
    }
    fclose(f);
    double best = -1;
    char path[1200];
    if (have2) {
        /* the cgroup, then its parents; "/" is the root of the cgroup
         * namespace (a container's own limit lives there) */
        for (;;) {
            const char *dir = strcmp(v2, "/") == 0 ? "" : v2;
            snprintf(path, sizeof path, "/sys/fs/cgroup%s/memory.max", dir);
            double lim = file_number(path);
            snprintf(path, sizeof path, "/sys/fs/cgroup%s/memory.current",
                     dir);
            double cur = file_number(path);
            if (lim >= 0 && cur >= 0) {
                double left = lim > cur ? lim - cur : 0;
                if (best < 0 || left < best)
                    best = left;
            }
            char *slash = strrchr(v2, '/');
            if (slash == NULL || dir[0] == '\0')
                break;
            if (slash == v2)
                v2[1] = '\0';
            else
                *slash = '\0';
        }
    }
    if (have1) {
        /* the cgroup's directory, or (inside a container, which sees its
         * own cgroup at the top of the mount) the mount's */
        snprintf(path, sizeof path,
                 "/sys/fs/cgroup/memory%s/memory.limit_in_bytes", v1);
        double lim = file_number(path);
        snprintf(path, sizeof path,
                 "/sys/fs/cgroup/memory%s/memory.usage_in_bytes", v1);
        double cur = file_number(path);
        if (lim < 0 || cur < 0) {
            lim = file_number("/sys/fs/cgroup/memory/memory.limit_in_bytes");
            cur = file_number("/sys/fs/cgroup/memory/memory.usage_in_bytes");
        }
        /* "no limit" reads as a number near 2^63 */
        if (lim >= 0 && lim < 4e18 && cur >= 0) {
            double left = lim > cur ? lim - cur : 0;
            if (best < 0 || left < best)
                best = left;
        }
    }
    return best;
}

double rp_mem_parse_size(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || !(v >= 0) || !isfinite(v))
        return -1;
    double mult = 1;
    switch (*end) {
    case 'k':
    case 'K':
        mult = 1024.0;
        end++;
        break;
    case 'm':
    case 'M':
        mult = 1048576.0;
        end++;
        break;
    case 'g':
    case 'G':
        mult = 1073741824.0;
        end++;
        break;
    case 't':
    case 'T':
        mult = 1099511627776.0;
        end++;
        break;
    default:
        break;
    }
    if (*end == 'i' || *end == 'I')
        end++;
    if (*end == 'b' || *end == 'B')
        end++;
    return *end == '\0' ? v * mult : -1;
}

double rp_mem_available(char *source, size_t n)
{
    double best = -1;
    char src[128] = "";
    take(status_value("/proc/meminfo", "MemAvailable"),
         "MemAvailable in /proc/meminfo", &best, src, sizeof src);
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        double used = status_value("/proc/self/status", "VmSize");
        double left = (double)rl.rlim_cur - (used > 0 ? used : 0);
        take(left > 0 ? left : 0, "what RLIMIT_AS (ulimit -v) leaves", &best,
             src, sizeof src);
    }
    if (getrlimit(RLIMIT_DATA, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        double used = status_value("/proc/self/status", "VmData");
        double left = (double)rl.rlim_cur - (used > 0 ? used : 0);
        take(left > 0 ? left : 0, "what RLIMIT_DATA (ulimit -d) leaves", &best,
             src, sizeof src);
    }
    take(cgroup_left(), "what the cgroup's memory limit leaves", &best, src,
         sizeof src);
    const char *env = getenv("RIPPLE_MAX_MEMORY");
    if (env != NULL && env[0] != '\0') {
        double v = rp_mem_parse_size(env);
        if (v >= 0) {
            double held = rp_mem_resident();
            double left = v - held;
            take(left > 0 ? left : 0, "what RIPPLE_MAX_MEMORY leaves", &best,
                 src, sizeof src);
        }
    }
    if (source != NULL && n > 0)
        snprintf(source, n, "%s", src);
    return best;
}

double rp_mem_resident(void)
{
    double v = status_value("/proc/self/status", "VmRSS");
    return v > 0 ? v : 0;
}

void rp_mem_format(double bytes, char *buf, size_t n)
{
    static const char *const unit[] = {"bytes", "KiB", "MiB", "GiB",
                                       "TiB",   "PiB", "EiB"};
    int u = 0;
    double v = bytes;
    while (v >= 1024 && u < 6) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, n, "%.0f %s", v, unit[u]);
    else if (!isfinite(v))
        snprintf(buf, n, "more than can be counted");
    else
        snprintf(buf, n, "%.*f %s", v < 10 ? 1 : 0, v, unit[u]);
}

/* ---- the estimate ------------------------------------------------------- */

/* The parts of each phase (the held parts aside). */
static const int PHASE_PARTS[3][5] = {
    {RP_MEM_WORKSPACE, RP_MEM_EVENTS, RP_MEM_DAILY, RP_MEM_RECORDS, -1},
    {RP_MEM_QUANTILES, RP_MEM_DAILY, -1, -1, -1},
    {RP_MEM_WRITE, -1, -1, -1, -1}};
static const char *const PHASE_NAME[3] = {"simulating", "for the daily bands",
                                          "writing the file"};

void rp_mem_plan_finish(rp_mem_plan *p)
{
    p->held = p->part[RP_MEM_LOADED] + p->part[RP_MEM_MODEL] +
              p->part[RP_MEM_RESULTS];
    p->phase_bytes = -1;
    for (int ph = 0; ph < 3; ph++) {
        double b = 0;
        for (int q = 0; q < 5 && PHASE_PARTS[ph][q] >= 0; q++)
            b += p->part[PHASE_PARTS[ph][q]];
        if (b > p->phase_bytes) {
            p->phase_bytes = b;
            p->phase = ph;
        }
    }
    p->peak = p->held + p->phase_bytes;
}

/* The engine's own words, where the model gives none. */
static const char *const PART_NAME[RP_MEM_NPARTS] = {
    "input",
    "model",
    "workspaces",
    "sampled inputs",
    "results",
    "daily series",
    "records waiting for the sums",
    "sorting",
    "output buffers"};

/* What reduces each part (the engine's own words). */
static const char *const PART_FIX[RP_MEM_NPARTS] = {
    "a smaller input",
    "a smaller model",
    "fewer threads",
    "fewer threads or a shorter horizon",
    "fewer replications or strategies",
    "fewer replications or a shorter horizon",
    "a smaller model",
    "fewer threads or replications",
    "fewer replications or strategies"};

static const char *part_name(const rp_mem_plan *p, int k)
{
    return p->words && p->words->name[k] ? p->words->name[k] : PART_NAME[k];
}

static const char *part_fix(const rp_mem_plan *p, int k)
{
    return p->words && p->words->fix[k] ? p->words->fix[k] : PART_FIX[k];
}

static const char *plan_what(const rp_mem_plan *p)
{
    return p->words && p->words->what ? p->words->what : "run";
}

static const char *plan_title(const rp_mem_plan *p)
{
    return p->words && p->words->title ? p->words->title : "a run";
}

static void part_text(const rp_mem_plan *p, int k, char *buf, size_t n)
{
    char b[32];
    rp_mem_format(p->part[k], b, sizeof b);
    if ((k == RP_MEM_WORKSPACE || k == RP_MEM_EVENTS ||
         k == RP_MEM_QUANTILES) &&
        p->threads > 1) {
        char e[32];
        rp_mem_format(p->part[k] / p->threads, e, sizeof e);
        snprintf(buf, n, "%s %s (%d threads x %s)", part_name(p, k), b,
                 p->threads, e);
    } else {
        snprintf(buf, n, "%s %s", part_name(p, k), b);
    }
}

/* Append to buf (size n, used bytes in *used). */
static void add(char *buf, size_t n, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add(char *buf, size_t n, size_t *used, const char *fmt, ...)
{
    if (*used + 1 >= n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *used, n - *used, fmt, ap);
    va_end(ap);
    if (w > 0)
        *used = *used + (size_t)w < n ? *used + (size_t)w : n - 1;
}

/* The parts listed (ending at -1), largest first, leaving out those under
 * 1% of the estimate (but not all of them). */
static void list_parts(const rp_mem_plan *p, const int *parts, char *buf,
                       size_t n, size_t *used)
{
    int order[RP_MEM_NPARTS], m = 0;
    for (int q = 0; q < RP_MEM_NPARTS && parts[q] >= 0; q++)
        order[m++] = parts[q];
    for (int a = 0; a < m; a++)
        for (int b = a + 1; b < m; b++)
            if (p->part[order[b]] > p->part[order[a]]) {
                int t = order[a];
                order[a] = order[b];
                order[b] = t;
            }
    for (int q = 0; q < m; q++) {
        if (q > 0 && p->part[order[q]] < 0.01 * p->peak)
            break;
        char t[160];
        part_text(p, order[q], t, sizeof t);
        add(buf, n, used, "%s%s", q ? ", " : "", t);
    }
}

void rp_mem_plan_describe(const rp_mem_plan *p, char *buf, size_t n)
{
    char tot[32], held[32], ph[32];
    rp_mem_format(p->peak, tot, sizeof tot);
    rp_mem_format(p->held, held, sizeof held);
    rp_mem_format(p->phase_bytes, ph, sizeof ph);
    size_t used = 0;
    buf[0] = '\0';
    if (p->single)
        add(buf, n, &used,
            "about %s for %s (%s day%s, %d thread%s x %d "
            "lane%s): ",
            tot, plan_title(p), RP_COUNT(p->horizon),
            p->horizon == 1 ? "" : "s", p->threads, p->threads == 1 ? "" : "s",
            p->lanes, p->lanes == 1 ? "" : "s");
    else
        add(buf, n, &used,
            "about %s for %s (%s replication%s x %s day%s x %d "
            "strateg%s, %d thread%s x %d lane%s): ",
            tot, plan_title(p), RP_COUNT(p->replications),
            p->replications == 1 ? "" : "s", RP_COUNT(p->horizon),
            p->horizon == 1 ? "" : "s", p->strategies,
            p->strategies == 1 ? "y" : "ies", p->threads,
            p->threads == 1 ? "" : "s", p->lanes, p->lanes == 1 ? "" : "s");
    static const int HELD[] = {RP_MEM_LOADED, RP_MEM_MODEL, RP_MEM_RESULTS,
                               -1};
    add(buf, n, &used, "%s held (", held);
    list_parts(p, HELD, buf, n, &used);
    add(buf, n, &used, ") + %s %s (", ph, PHASE_NAME[p->phase]);
    list_parts(p, PHASE_PARTS[p->phase], buf, n, &used);
    add(buf, n, &used, ")");
}

int rp_mem_plan_check(const rp_mem_plan *p, rp_errors *err)
{
    char src[128];
    double avail = rp_mem_available(src, sizeof src);
    double need = p->peak - p->part[RP_MEM_LOADED];
    if (avail < 0 || need <= avail)
        return 0;
    /* the largest parts: of the largest phase, and the results */
    int big = RP_MEM_RESULTS;
    for (int q = 0; q < 5 && PHASE_PARTS[p->phase][q] >= 0; q++)
        if (p->part[PHASE_PARTS[p->phase][q]] > p->part[big])
            big = PHASE_PARTS[p->phase][q];
    if (p->part[RP_MEM_MODEL] > p->part[big])
        big = RP_MEM_MODEL;
    char needs[32], have[32], held[32], line[1024];
    rp_mem_format(need, needs, sizeof needs);
    rp_mem_format(avail, have, sizeof have);
    rp_mem_format(p->part[RP_MEM_LOADED], held, sizeof held);
    rp_mem_plan_describe(p, line, sizeof line);
    const char *fix = part_fix(p, big);
    rp_err_add(err,
               "not enough memory: this %s needs about %s more than the %s "
               "held now, and %s is available (%s).  The largest part is the "
               "%s: use %s.  Estimate: %s",
               plan_what(p), needs, held, have, src, part_name(p, big), fix,
               line);
    return -1;
}
