/* The command line's shared habits (app/cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ripple/files.h"
#include "ripple/scenario.h"
#include "ripple/util.h"

/* Every command's synopsis (`ripple --help`): a command's first line
 * names it ("ripple CMD "), its further lines are indented. */
const char rp_cli_usage_text[] =
    "usage: ripple run      [SCENARIO.json] [-o OUT.h5] [-r N] [-s SEED] "
    "[-j THREADS]\n"
    "                       [--horizon DAYS] [--dense] [--lanes 1|4|8] "
    "[--quiet]\n"
    "                       [--resume] [--stop-after N] "
    "[--register marginal|shapley|none]\n"
    "                       [--events all|none]\n"
    "       ripple stress   SCENARIO.json [-o OUT.h5] [-j THREADS] [--quiet]\n"
    "       ripple trace    [SCENARIO.json] --replication N [--strategy "
    "NAME]\n"
    "                       [-o TRACE.h5] [-r N] [-s SEED] [--horizon DAYS]\n"
    "                       [--quiet]\n"
    "       ripple sweep    SCENARIO.json [-o OUT.h5] [-r N] [-s SEED] "
    "[-j THREADS]\n"
    "                       [--fractions K] [--orders random,degree,...]\n"
    "                       [--dependencies FILE.csv] [--fail-probability "
    "Q] [--quiet]\n"
    "       ripple validate SCENARIO.json|- [-r N] [-j THREADS] [--horizon "
    "DAYS]\n"
    "                       [--lanes 1|4|8] [--warnings all|summary]\n"
    "       ripple inspect  OUT.h5 [--format text|json|csv] [-o FILE|-]\n"
    "       ripple report   OUT.h5 [-o REPORT.html] [--quiet]\n"
    "       ripple generate -n NODES [--tiers K] [--degree D] [--regions R]\n"
    "                       [-s SEED] [-o NETWORK.json|-]\n"
    "       ripple export-network SCENARIO.json --csv DIR\n"
    "       ripple --version | --help | COMMAND --help | help COMMAND\n";

int rp_cli_usage(const char *cmd)
{
    const char *p = rp_cli_usage_text;
    size_t n = cmd != NULL ? strlen(cmd) : 0;
    int in = 0, found = 0;
    while (cmd != NULL && *p != '\0') {
        size_t len = strcspn(p, "\n") + 1; /* every line ends in \n */
        const char *w = p + strspn(p, " ");
        if (strncmp(w, "usage: ", 7) == 0)
            w += 7;
        if (strncmp(w, "ripple ", 7) == 0) {
            in = strncmp(w + 7, cmd, n) == 0 && w[7 + n] == ' ';
            if (in)
                fprintf(stderr, "usage: %.*s", (int)(len - (size_t)(w - p)),
                        w);
        } else if (in) {
            fprintf(stderr, "%.*s", (int)len, p);
        }
        found |= in;
        p += len;
    }
    if (!found)
        fputs(rp_cli_usage_text, stderr);
    else
        fprintf(stderr, "see 'ripple %s --help'\n", cmd);
    return RP_EINPUT;
}

const char *rp_cli_s(long long n)
{
    return n == 1 ? "" : "s";
}

void rp_cli_print_errors(const rp_errors *e)
{
    for (int i = 0; i < e->count; i++) {
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = strcmp(e->msg[i], e->msg[j]) == 0;
        if (!seen)
            fprintf(stderr, "ripple: error: %s\n", e->msg[i]);
    }
    if (e->dropped > 0)
        fprintf(stderr, "ripple: error: ... and %d more errors\n", e->dropped);
}

int rp_cli_bad_value(const char *cmd, const char *opt, const char *what,
                     const char *got)
{
    char safe[256];
    rp_escape(got, safe, sizeof safe);
    fprintf(stderr, "ripple: error: %s: %s (got '%s')\n", opt, what, safe);
    return rp_cli_usage(cmd);
}

int rp_cli_int(const char *cmd, const char *opt, const char *s, long long lo,
               long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    /* (strtoll skips leading spaces: ' 5' is not a number here) */
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi ||
        !(s[0] == '-' || s[0] == '+' || (s[0] >= '0' && s[0] <= '9'))) {
        char what[96];
        snprintf(what, sizeof what, "must be an integer in [%lld, %lld]", lo,
                 hi);
        rp_cli_bad_value(cmd, opt, what, s);
        return -1;
    }
    *out = v;
    return 0;
}

int rp_cli_is_decimal(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        p++;
        digits++;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
    }
    if (digits == 0)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

int rp_cli_real(const char *cmd, const char *opt, const char *s, double lo,
                double hi, const char *what, double *out)
{
    char *end;
    errno = 0;
    double v = rp_cli_is_decimal(s) ? strtod(s, &end) : NAN;
    /* (ERANGE with a result below the smallest normal double is an
     * underflow: 1e-320 is a number, read as near 0 as a double goes) */
    if (errno == ERANGE && fabs(v) < 1.0)
        errno = 0;
    if (errno != 0 || !(v >= lo && v <= hi)) {
        rp_cli_bad_value(cmd, opt, what, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* The word getopt reported last (argv[optind - 1]). */
static int bad_at;
/* The long options of the last call, for rp_cli_suggest. */
static const struct option *last_longs;

int rp_cli_getopt(int argc, char **argv, const char *shorts,
                  const struct option *longs)
{
    last_longs = longs;
    opterr = 0;
    int idx = -1;
    int c = getopt_long(argc, argv, shorts, longs, &idx);
    bad_at = optind - 1;
    if (c == -1 || idx < 0)
        return c;
    /* the word parsed: "--name", "--name=value", or "--name" before its
     * value (GNU getopt moves words it skipped only at its next call) */
    int at =
        optarg != NULL && optarg == argv[optind - 1] ? optind - 2 : optind - 1;
    const char *w = at >= 0 ? argv[at] : "";
    size_t n = strcspn(w + (strncmp(w, "--", 2) == 0 ? 2 : 0), "=");
    if (strncmp(w, "--", 2) == 0 && strlen(longs[idx].name) != n) {
        bad_at = at;
        return '?';
    }
    return c;
}

const char *rp_cli_bad_word(char **argv, char *buf, size_t n)
{
    rp_escape(argv[bad_at], buf, n);
    return buf;
}

const char *rp_cli_bad_raw(char **argv)
{
    return argv[bad_at];
}

/* Edit distance (insertions, deletions, substitutions) of a[0..n) and
 * b, at most 40 characters each (larger: 99). */
static int edit_distance(const char *a, size_t n, const char *b)
{
    size_t m = strlen(b);
    if (n > 40 || m > 40)
        return 99;
    int row[41];
    for (size_t j = 0; j <= m; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

const char *rp_cli_suggest(char **argv)
{
    return rp_cli_suggest_among(argv, NULL);
}

const char *rp_cli_suggest_among(char **argv, const char *codes)
{
    const char *w = argv[bad_at];
    if (last_longs == NULL || strncmp(w, "--", 2) != 0)
        return NULL;
    w += 2;
    size_t n = strcspn(w, "=");
    const char *best = NULL;
    int bestd = 3, ties = 0;
    for (const struct option *o = last_longs; o->name != NULL; o++) {
        if (codes != NULL && (o->flag != NULL || o->val <= 0 || o->val > 127 ||
                              strchr(codes, o->val) == NULL))
            continue; /* an option of the table this command refuses */
        /* a prefix ("--rep") is nearest; else a slip of at most two
         * letters in a word of four or more */
        int d = n > 0 && strncmp(o->name, w, n) == 0 ? 0
                : n >= 4 ? edit_distance(w, n, o->name)
                         : 99;
        if (d < bestd) {
            best = o->name;
            bestd = d;
            ties = 0;
        } else if (d == bestd) {
            ties++;
        }
    }
    return ties == 0 ? best : NULL;
}

int rp_cli_option_error(int c, char **argv, const char *cmd)
{
    char safe[256];
    rp_cli_bad_word(argv, safe, sizeof safe);
    const char *near = c == ':' ? NULL : rp_cli_suggest(argv);
    if (c == ':')
        fprintf(stderr, "ripple: error: option '%s' needs a value\n", safe);
    else if (near != NULL)
        fprintf(stderr,
                "ripple: error: unknown option '%s' for %s; did you mean "
                "'--%s'?\n",
                safe, cmd, near);
    else
        fprintf(stderr, "ripple: error: unknown option '%s' for %s\n", safe,
                cmd);
    return rp_cli_usage(cmd);
}

int rp_cli_one_arg(int argc, char **argv, const char **arg, const char *cmd)
{
    *arg = optind < argc ? argv[optind++] : NULL;
    if (optind < argc) {
        char safe[256];
        rp_escape(argv[optind], safe, sizeof safe);
        fprintf(stderr, "ripple: error: unexpected argument '%s'\n", safe);
        return rp_cli_usage(cmd);
    }
    return 0;
}

int rp_cli_missing(const char *cmd, const char *what)
{
    fprintf(stderr, "ripple: error: %s needs %s\n", cmd, what);
    return rp_cli_usage(cmd);
}

/* rp_cli_check_not_input for the file `path`, which the command writes as
 * `role` (NULL: the output itself); `opt` is the option that names it */
static rp_status check_one(const char *path, const char *role,
                           const struct rp_scenario *s, const char *extra,
                           const char *opt, rp_errors *err)
{
    struct stat so, si;
    if (path == NULL || stat(path, &so) != 0)
        return RP_OK; /* nothing there yet: nothing to replace */
    const rp_network *n = s != NULL ? s->net : NULL;
    const char *in[5] = {s != NULL ? s->file : NULL,
                         s != NULL ? s->net_file : NULL,
                         n != NULL ? n->nodes_file : NULL,
                         n != NULL ? n->edges_file : NULL, extra};
    static const char *const what[5] = {
        "the scenario", "its network file", "its nodes CSV file",
        "its edges CSV file", "the --dependencies file"};
    for (int k = 0; k < 5; k++) {
        if (in[k] == NULL || stat(in[k], &si) != 0 || si.st_dev != so.st_dev ||
            si.st_ino != so.st_ino)
            continue;
        char a[512], b[512];
        rp_escape(path, a, sizeof a);
        rp_escape(in[k], b, sizeof b);
        if (role != NULL)
            return rp_err_add(err,
                              "%s: is %s (%s), an input of this command; the "
                              "run writes %s there, which would replace it "
                              "(and remove it when the run ends): give "
                              "another %s",
                              a, what[k], b, role, opt);
        return rp_err_add(err,
                          "%s: is %s (%s), an input of this command; writing "
                          "the output there would replace it: give another %s",
                          a, what[k], b, opt);
    }
    return RP_OK;
}

rp_status rp_cli_check_not_input(const char *out, const struct rp_scenario *s,
                                 const char *extra, rp_errors *err)
{
    return check_one(out, NULL, s, extra, "-o", err);
}

rp_status rp_cli_check_not_input_opt(const char *out,
                                     const struct rp_scenario *s,
                                     const char *opt, rp_errors *err)
{
    return check_one(out, NULL, s, NULL, opt, err);
}

rp_status rp_cli_check_run_files(const char *out, const struct rp_scenario *s,
                                 rp_errors *err)
{
    static const char *const suffix[2] = {".ckpt", ".lock"};
    static const char *const role[2] = {"its checkpoint", "its lock file"};
    rp_status st = check_one(out, NULL, s, NULL, "-o", err);
    for (int k = 0; k < 2 && st == RP_OK; k++) {
        char p[PATH_MAX];
        if (rp_path_add(p, sizeof p, out, suffix[k]) == 0)
            st = check_one(p, role[k], s, NULL, "-o", err);
    }
    return st;
}
