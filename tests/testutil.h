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

#ifndef RIPPLE_TEST_DATA
#define RIPPLE_TEST_DATA "tests/data"
#endif

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
