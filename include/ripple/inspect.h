/* `ripple inspect`: a readable summary of a results file. */
#ifndef RIPPLE_INSPECT_H
#define RIPPLE_INSPECT_H

#include <stdio.h>

#include "ripple/error.h"

/* brief=1 prints only the tables (used after `ripple run`). */
rp_status rp_inspect(FILE *f, const char *path, int brief, rp_errors *err);

#endif
