/* Resources decided before work starts (see resources.h).
 *
 * The memory estimate follows what rp_run and rp_stress_run allocate
 * (engine/run.c, models/stress.c, engine/h5out.c); its phases do not
 * overlap in time, so the peak is what is held throughout plus the
 * largest phase:
 *
 *   held     = loaded + model + results
 *   simulate = daily + records + threads x (workspace + lanes x events x
 *              EVENT_BYTES)
 *   bands    = daily + threads x R x 8
 *   write    = R x S x 12 + R x 32 + HDF5 caches
 *   peak     = held + max(simulate, bands, write)
 *
 * with results = S R sizeof(rp_metrics) + S N 48 + S T 48 + N 72 + E 16,
 * daily = R T 8 and records = 256 N 24 (a block of replications with every
 * node hit). */
#define _GNU_SOURCE
#include "ripple/resources.h"

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

#include "ripple/flow.h"
#include "ripple/json.h"
#include "ripple/run.h"
#include "ripple/strategy.h"

/* bytes an event takes in each lane: the replication's event buffer (up
 * to twice its count, as it grows by doubling), the lane's sorted copy,
 * and its index in the active list */
#define EVENT_BYTES (3.0 * sizeof(rp_event) + 8.0)
#define BLOCK_REPS 256.0      /* replications a block (engine/run.c) */
#define NODE_REC_BYTES 24.0   /* a per-node record of a replication */
#define HDF5_SLACK 16777216.0 /* chunk caches and buffers of the writer */

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

static double parse_size(const char *s)
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
        double v = parse_size(env);
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

double rp_model_bytes(const rp_model *m)
{
    /* nodes: 8 doubles, 6 ints or flags; edges: 9 ints, 3 doubles, a flag
     * (and while building: the sort keys, a permutation); groups */
    return 120.0 * m->N + 96.0 * m->E + 40.0 * m->G + 4096.0;
}

/* How many nodes (edges) a selector matches; errors (the scenario is
 * valid: none) are thrown away. */
static double count_selected(const rp_network *net, const cJSON *sel,
                             int edges)
{
    if (sel == NULL)
        return 0;
    size_t total = (size_t)(edges ? net->n_edges : net->n_nodes);
    unsigned char *mask = malloc(total ? total : 1);
    rp_errors *junk = malloc(sizeof *junk);
    double n = 0;
    if (mask != NULL && junk != NULL) {
        rp_err_init(junk);
        rp_jctx c = {"", junk};
        int k = edges ? rp_net_select_edges(&c, net, sel, "", mask)
                      : rp_net_select_nodes(&c, net, sel, "", mask);
        n = k > 0 ? k : 0;
    } else {
        n = (double)total; /* the most it can be */
    }
    free(mask);
    free(junk);
    return n;
}

static double rate_of(const cJSON *t, const char *key)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(t, key);
    return cJSON_IsNumber(r) && r->valuedouble > 0 ? r->valuedouble : 0;
}

double rp_events_bound(const rp_scenario *s)
{
    double mean = rp_events_mean(s);
    return mean + 6 * sqrt(mean) + 16;
}

double rp_events_mean(const rp_scenario *s)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(s->doc, "threats");
    const rp_network *net = s->net;
    double years = (double)s->horizon / 365.0, mean = 0, fixed = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, list)
    {
        const cJSON *ty = cJSON_GetObjectItemCaseSensitive(t, "type");
        if (!cJSON_IsString(ty))
            continue;
        const char *type = ty->valuestring;
        if (strcmp(type, "node_hazard") == 0) {
            mean += rate_of(t, "rate_per_year") * years *
                    count_selected(
                        net, cJSON_GetObjectItemCaseSensitive(t, "nodes"), 0);
        } else if (strcmp(type, "edge_hazard") == 0) {
            mean += rate_of(t, "rate_per_year") * years *
                    count_selected(
                        net, cJSON_GetObjectItemCaseSensitive(t, "edges"), 1);
        } else if (strcmp(type, "regional") == 0) {
            /* every node of a listed region, for each listing */
            double hit = 0;
            const cJSON *r;
            cJSON_ArrayForEach(r,
                               cJSON_GetObjectItemCaseSensitive(t, "regions"))
            {
                if (!cJSON_IsString(r))
                    continue;
                for (int i = 0; i < net->n_nodes; i++)
                    hit += strcmp(net->region[i], r->valuestring) == 0;
            }
            mean += rate_of(t, "rate_per_year") * years * hit;
        } else if (strcmp(type, "attack") == 0) {
            mean += rate_of(t, "attempts_per_year") * years;
        } else if (strcmp(type, "cyber") == 0) {
            /* a campaign infects each node at most once */
            mean += rate_of(t, "rate_per_year") * years * net->n_nodes;
        } else if (strcmp(type, "scripted") == 0) {
            /* a node, or every edge between two nodes */
            fixed += cJSON_GetObjectItemCaseSensitive(t, "node") != NULL
                         ? 1
                         : (net->n_edges > 0 ? 4 : 1);
        }
    }
    return mean + fixed;
}

/* The workspace maps its large arrays on transparent huge pages where the
 * kernel offers them (models/flow.c): each is then resident in whole 2 MiB
 * pages, about 1 MiB more than it needs (8 such arrays at most).
 * Measured on Willems 38 with 8 lanes: 15 MiB a thread for 8.2 MiB of
 * arrays. */
static double huge_page_slack(double ws)
{
    static int thp = -1;
    if (thp < 0) {
        FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
        char line[128] = "";
        if (f != NULL) {
            if (fgets(line, sizeof line, f) == NULL)
                line[0] = '\0';
            fclose(f);
        }
        thp = strstr(line, "[never]") == NULL && line[0] != '\0';
    }
    if (!thp)
        return 0;
    double arrays = floor(ws / 1048576.0);
    return (arrays < 8 ? arrays : 8) * 1048576.0;
}

/* The parts of each phase (the held parts aside). */
static const int PHASE_PARTS[3][5] = {
    {RP_MEM_WORKSPACE, RP_MEM_EVENTS, RP_MEM_DAILY, RP_MEM_RECORDS, -1},
    {RP_MEM_QUANTILES, RP_MEM_DAILY, -1, -1, -1},
    {RP_MEM_WRITE, -1, -1, -1, -1}};
static const char *const PHASE_NAME[3] = {"simulating", "for the daily bands",
                                          "writing the file"};

static void finish(rp_mem_plan *p)
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

void rp_mem_plan_run(const rp_scenario *s, int threads, int lanes,
                     double ws_bytes, double model_bytes, rp_mem_plan *p)
{
    memset(p, 0, sizeof *p);
    const double S = s->n_strategies, N = s->net->n_nodes, E = s->net->n_edges,
                 T = s->horizon, R = (double)s->replications, J = threads;
    p->threads = threads;
    p->lanes = lanes;
    p->replications = s->replications;
    p->horizon = s->horizon;
    p->strategies = s->n_strategies;
    p->events_per_rep = rp_events_bound(s);
    p->events_mean = rp_events_mean(s);
    p->part[RP_MEM_LOADED] = rp_mem_resident();
    p->part[RP_MEM_MODEL] = model_bytes;
    p->part[RP_MEM_WORKSPACE] = J * (ws_bytes + huge_page_slack(ws_bytes));
    p->part[RP_MEM_EVENTS] = J * lanes * p->events_per_rep * EVENT_BYTES;
    p->part[RP_MEM_RESULTS] = S * R * sizeof(rp_metrics) + S * N * 48 +
                              S * T * 8 * (1 + RP_NQUANT) + N * 72 + E * 16;
    p->part[RP_MEM_DAILY] = R * T * 8;
    p->part[RP_MEM_RECORDS] =
        (R < BLOCK_REPS ? R : BLOCK_REPS) * N * NODE_REC_BYTES;
    p->part[RP_MEM_QUANTILES] = J * R * 8;
    p->part[RP_MEM_WRITE] = S * R * 12 + R * 32 + HDF5_SLACK;
    finish(p);
}

void rp_mem_plan_register(rp_mem_plan *p, const rp_scenario *s, int reg,
                          int events, double ws_bytes)
{
    const double S = s->n_strategies, R = (double)s->replications,
                 NT = s->n_threats > 0 ? s->n_threats : 1, J = p->threads;
    if (reg != 0) {
        /* a second flow workspace a thread for the subsets of threats, and
         * the register's rows: marginal, standalone (and Shapley), events,
         * attempts */
        p->part[RP_MEM_WORKSPACE] +=
            J * (ws_bytes + huge_page_slack(ws_bytes));
        p->part[RP_MEM_RESULTS] += S * R * (NT * (reg == 2 ? 32 : 24) + 4);
    }
    /* the event log, a row of 37 bytes an event, kept to the end: over
     * many replications their mean count (plus a margin of six standard
     * deviations of the total) */
    if (events) {
        double total = S * R * p->events_mean;
        p->part[RP_MEM_RESULTS] += (total + 6 * sqrt(total) + 16) * 37.0;
    }
    finish(p);
}

void rp_mem_plan_stress(const rp_scenario *s, int threads, int lanes,
                        double ws_lanes, double ws_one, double model_bytes,
                        rp_mem_plan *p)
{
    memset(p, 0, sizeof *p);
    const double N = s->net->n_nodes, T = s->horizon, J = threads;
    p->stress = 1;
    p->threads = threads;
    p->lanes = lanes;
    p->horizon = s->horizon;
    p->strategies = 1;
    p->part[RP_MEM_LOADED] = rp_mem_resident();
    p->part[RP_MEM_MODEL] = model_bytes;
    /* the impact runs (lanes) and the TTS search (one lane) follow each
     * other: the larger of the two */
    double a = J * (ws_lanes + huge_page_slack(ws_lanes) + lanes * T * 8),
           b = J * (ws_one + huge_page_slack(ws_one) + T * 8);
    p->part[RP_MEM_WORKSPACE] = a > b ? a : b;
    p->part[RP_MEM_RESULTS] = N * 48;
    p->part[RP_MEM_WRITE] = N * 64 + HDF5_SLACK;
    finish(p);
}

static const char *const PART_NAME[RP_MEM_NPARTS] = {
    "input and networks",
    "model",
    "flow workspaces",
    "event buffers",
    "results",
    "daily service levels",
    "per-node records of a block",
    "sorting",
    "buffers"};

/* What reduces each part. */
static const char *const PART_FIX[RP_MEM_NPARTS] = {
    "a smaller network or fewer strategies",
    "a smaller network",
    "fewer threads (-j) or --lanes 1",
    "fewer threads (-j), a shorter --horizon or lower threat rates",
    "fewer replications (-r) or strategies",
    "fewer replications (-r) or a shorter --horizon",
    "a smaller network",
    "fewer threads (-j) or replications (-r)",
    "fewer replications (-r) or strategies"};

static void part_text(const rp_mem_plan *p, int k, char *buf, size_t n)
{
    char b[32];
    rp_mem_format(p->part[k], b, sizeof b);
    if ((k == RP_MEM_WORKSPACE || k == RP_MEM_EVENTS ||
         k == RP_MEM_QUANTILES) &&
        p->threads > 1) {
        char e[32];
        rp_mem_format(p->part[k] / p->threads, e, sizeof e);
        snprintf(buf, n, "%s %s (%d threads x %s)", PART_NAME[k], b,
                 p->threads, e);
    } else {
        snprintf(buf, n, "%s %s", PART_NAME[k], b);
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
    if (p->stress)
        add(buf, n, &used,
            "about %s for the stress test (%d days, %d thread%s x %d "
            "lanes): ",
            tot, p->horizon, p->threads, p->threads == 1 ? "" : "s", p->lanes);
    else
        add(buf, n, &used,
            "about %s for a run (%lld replications x %d days x %d "
            "strateg%s, %d thread%s x %d lane%s): ",
            tot, (long long)p->replications, p->horizon, p->strategies,
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
    const char *fix = p->stress && big == RP_MEM_WORKSPACE
                          ? "fewer threads (-j)"
                          : PART_FIX[big];
    rp_err_add(err,
               "not enough memory: this %s needs about %s more than the %s "
               "held now, and %s is available (%s).  The largest part is the "
               "%s: use %s.  Estimate: %s",
               p->stress ? "stress test" : "run", needs, held, have, src,
               PART_NAME[big], fix, line);
    return -1;
}
