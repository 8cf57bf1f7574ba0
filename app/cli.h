/* What every command of the command line shares: printing errors, strict
 * integer options, and long options spelt in full. */
#ifndef RIPPLE_APP_CLI_H
#define RIPPLE_APP_CLI_H

#include <getopt.h>
#include <stddef.h>

#include "ripple/error.h"

/* Print every error of e on stderr once ("ripple: error: ..."), even where
 * two parts of the work reported the same. */
void rp_cli_print_errors(const rp_errors *e);

/* s as an integer in [lo, hi] into *out; 0, or -1 after printing why
 * (naming the option `opt`). */
int rp_cli_int(const char *opt, const char *s, long long lo, long long hi,
               long long *out);

/* getopt_long (opterr off, `shorts` starting with ':'), except that a
 * long option must be spelt in full: getopt_long's matching of an
 * unambiguous prefix ("--rep" for "--replications") would let a script
 * break when a later option shares the prefix.  A prefix is returned as
 * '?', an unknown option. */
int rp_cli_getopt(int argc, char **argv, const char *shorts,
                  const struct option *longs);

/* The word of argv that getopt's last '?' or ':' is about, escaped. */
const char *rp_cli_bad_word(char **argv, char *buf, size_t n);
/* The same word as it was given. */
const char *rp_cli_bad_raw(char **argv);

/* After getopt's ':' or '?' for command `cmd`: say which option lacks its
 * value or is unknown; returns RP_EINPUT. */
int rp_cli_option_error(int c, char **argv, const char *cmd);

/* The one argument left after the options (NULL when none); RP_EINPUT
 * after saying so when there are more. */
int rp_cli_one_arg(int argc, char **argv, const char **arg);

#endif
