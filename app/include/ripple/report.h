/* `ripple report`: a results file as one self-contained HTML page for a
 * manager (docs/report.md): inline SVG charts and CSS, no scripts, no
 * network access, laid out for A4 portrait. */
#ifndef RIPPLE_REPORT_H
#define RIPPLE_REPORT_H

#include <stddef.h>

#include "ripple/error.h"

/* Write the report of results file `in` to `out` (through a temporary file
 * beside it, renamed when complete).  A results file that is not what the
 * format says gives RP_EINPUT with `IN: OBJECT: expected ..., found ...`
 * messages and no output.  `notes` (may be NULL) receives the number of
 * parts left out because their group is absent from the file. */
rp_status rp_report(const char *in, const char *out, int *notes,
                    rp_errors *err);

/* Write the `len` bytes of `page` to `out` through a temporary file beside
 * it, flushed to disk and renamed when complete (nothing left behind on
 * failure, an error naming `out`).  Both pages, run/stress and sweep, go
 * through it. */
rp_status rp_report_write(const char *out, const char *page, size_t len,
                          rp_errors *err);

/* The command line: ripple report OUT.h5 [-o REPORT.html] [-q]. */
int rp_cmd_report(int argc, char **argv);

#endif
