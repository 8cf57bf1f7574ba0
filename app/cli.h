/* What every command of the command line shares: printing errors, strict
 * integer options, and long options spelt in full. */
#ifndef RIPPLE_APP_CLI_H
#define RIPPLE_APP_CLI_H

#include <getopt.h>
#include <stddef.h>

#include "ripple/error.h"

/* Every command's synopsis, as `ripple --help` prints it. */
extern const char rp_cli_usage_text[];

/* After a usage error of command `cmd`: its synopsis only and "see
 * 'ripple CMD --help'" on stderr (every command's when cmd is NULL or
 * unknown).  Returns RP_EINPUT, the exit status of usage errors. */
int rp_cli_usage(const char *cmd);

/* "s" after a count other than 1 ("1 day", "2 days"). */
const char *rp_cli_s(long long n);

/* Print every error of e on stderr once ("ripple: error: ..."), even where
 * two parts of the work reported the same. */
void rp_cli_print_errors(const rp_errors *e);

/* A bad value of option `opt` of command `cmd`: "ripple: error: OPT:
 * WHAT (got 'GOT')" (GOT escaped), then cmd's synopsis, as after every
 * other usage error.  Returns RP_EINPUT. */
int rp_cli_bad_value(const char *cmd, const char *opt, const char *what,
                     const char *got);

/* s as an integer in [lo, hi] into *out; 0, or -1 after printing why
 * (naming the option `opt`) and cmd's synopsis (rp_cli_bad_value). */
int rp_cli_int(const char *cmd, const char *opt, const char *s, long long lo,
               long long hi, long long *out);

/* Is s a plain decimal number: an optional sign, digits with at most one
 * point (a digit on one side of it at least), an optional exponent; no
 * spaces, hexadecimal, "inf" or "nan", which strtod would take too? */
int rp_cli_is_decimal(const char *s);

/* s as a plain decimal number (rp_cli_is_decimal) in [lo, hi] into *out;
 * 0, or -1 after printing why (rp_cli_bad_value, `what` says what the
 * option takes).  A value too small for a double is 0 (or its sign's). */
int rp_cli_real(const char *cmd, const char *opt, const char *s, double lo,
                double hi, const char *what, double *out);

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
/* The long option (name without "--") that word most likely meant: the
 * only one it is a prefix of, or the only one within two letters of it;
 * NULL when there is none or no single one. */
const char *rp_cli_suggest(char **argv);
/* The same among the options whose code (getopt's `val`) is in `codes`
 * (NULL: all): a table shared by commands that take different options
 * suggests only one the command takes. */
const char *rp_cli_suggest_among(char **argv, const char *codes);

/* After getopt's ':' or '?' for command `cmd`: say which option lacks its
 * value or is unknown, then cmd's synopsis; returns RP_EINPUT. */
int rp_cli_option_error(int c, char **argv, const char *cmd);

/* The one argument left after the options (NULL when none); RP_EINPUT
 * after saying so (and cmd's synopsis) when there are more. */
int rp_cli_one_arg(int argc, char **argv, const char **arg, const char *cmd);

/* "CMD needs WHAT", then cmd's synopsis; returns RP_EINPUT. */
int rp_cli_missing(const char *cmd, const char *what);

struct rp_scenario;
/* RP_OK, or RP_EINPUT with an error in err when the output `out` is one of
 * the files the command read: the scenario s (its file, its network file
 * or CSV files) or `extra` (sweep's --dependencies file; NULL when none).
 * Writing the output (a temporary file renamed over `out`) would replace that
 * input. Files are compared by device and inode, so another name of the same
 * file counts; an output that does not exist yet is never an input. */
rp_status rp_cli_check_not_input(const char *out, const struct rp_scenario *s,
                                 const char *extra, rp_errors *err);

/* The same for an output named by another option than -o (`opt`, as the
 * message names it: export-network's "--csv DIR"). */
rp_status rp_cli_check_not_input_opt(const char *out,
                                     const struct rp_scenario *s,
                                     const char *opt, rp_errors *err);

/* rp_cli_check_not_input for `run`, which also writes OUT.ckpt (its
 * checkpoint, removed when the run completes) and OUT.lock (held while it
 * runs, truncated to its pid and removed at the end): neither may be one of
 * the scenario's files either. */
rp_status rp_cli_check_run_files(const char *out, const struct rp_scenario *s,
                                 rp_errors *err);

#endif
