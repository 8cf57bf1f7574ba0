/* Shared helpers for the cmocka tests. */
#ifndef RIPPLE_TESTUTIL_H
#define RIPPLE_TESTUTIL_H

/* cmocka needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ripple/ripple.h"

#ifndef RIPPLE_TEST_DATA /* tests/data: CMake gives its absolute path */
#error "RIPPLE_TEST_DATA must name the tests/data directory"
#endif

/* Test inputs longer than a few lines live in tests/data (RIPPLE_TEST_DATA,
 * an absolute path given by CMake, so the tests run from any directory). */

/* The text of tests/data/NAME, NUL-terminated (free it); fails the test if
 * it cannot be read. */
char *tu_read(const char *name);
/* tests/data/NAME, a JSON object, with the members that FMT (printf style,
 * e.g. "\"seed\": %d") makes added at its end (free it). */
char *tu_read_with(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Load a scenario from tests/data/NAME; fails the test on error. */
rp_scenario *tu_load(const char *name);
/* Parse scenario JSON text; returns status, fills err. */
rp_status tu_parse(const char *text, rp_scenario **out, rp_errors *err);
/* Does any message in err contain needle? */
int tu_err_has(const rp_errors *err, const char *needle);
/* Run one replication of strategy 0 (scripted events); sl may be NULL. */
void tu_run_one(rp_scenario *s, rp_metrics *m, double *sl);
/* Relative closeness. */
int tu_close(double a, double b, double rel);

#endif
