/* `ripple inspect`: a readable summary of a results file. */
#ifndef RIPPLE_INSPECT_H
#define RIPPLE_INSPECT_H

#include <stdio.h>

#include "ripple/error.h"

/* What inspect prints: tables for people, or the same for machines. */
enum { RP_INSPECT_TEXT = 0, RP_INSPECT_JSON = 1, RP_INSPECT_CSV = 2 };

/* brief=1 prints only the tables (used after `ripple run`). */
rp_status rp_inspect(FILE *f, const char *path, int brief, rp_errors *err);

/* The same in `format` (RP_INSPECT_*); brief applies to text. */
rp_status rp_inspect_as(FILE *f, const char *path, int brief, int format,
                        rp_errors *err);

#endif
