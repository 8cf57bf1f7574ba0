/* The command line's shared habits (app/cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/util.h"

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

int rp_cli_int(const char *opt, const char *s, long long lo, long long hi,
               long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
        char safe[256];
        rp_escape(s, safe, sizeof safe);
        fprintf(stderr,
                "ripple: error: %s: must be an integer in [%lld, %lld] (got "
                "'%s')\n",
                opt, lo, hi, safe);
        return -1;
    }
    *out = v;
    return 0;
}

/* The word getopt reported last (argv[optind - 1]). */
static int bad_at;

int rp_cli_getopt(int argc, char **argv, const char *shorts,
                  const struct option *longs)
{
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

int rp_cli_option_error(int c, char **argv, const char *cmd)
{
    char safe[256];
    rp_cli_bad_word(argv, safe, sizeof safe);
    if (c == ':')
        fprintf(stderr, "ripple: error: option '%s' needs a value\n", safe);
    else
        fprintf(stderr, "ripple: error: unknown option '%s' for %s\n", safe,
                cmd);
    return RP_EINPUT;
}

int rp_cli_one_arg(int argc, char **argv, const char **arg)
{
    *arg = optind < argc ? argv[optind++] : NULL;
    if (optind < argc) {
        char safe[256];
        rp_escape(argv[optind], safe, sizeof safe);
        fprintf(stderr, "ripple: error: unexpected argument '%s'\n", safe);
        return RP_EINPUT;
    }
    return 0;
}
