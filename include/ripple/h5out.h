/* The results file (HDF5, format 1; docs/formats.md describes it).
 * Files are written under a temporary name beside the target and renamed
 * at the end, so a failure never leaves a partial file behind. */
#ifndef RIPPLE_H5OUT_H
#define RIPPLE_H5OUT_H

#include "ripple/error.h"
#include "ripple/run.h"
#include "ripple/scenario.h"
#include "ripple/stress.h"

#define RP_FORMAT_MAJOR 2
#define RP_FORMAT_MINOR 0

typedef struct rp_h5_meta {
    const char *command; /* the command line */
    int threads, ranks;
} rp_h5_meta;

rp_status rp_h5_write_run(const char *path, const rp_scenario *s,
                          const rp_results *r, const rp_h5_meta *meta,
                          rp_errors *err);
rp_status rp_h5_write_stress(const char *path, const rp_scenario *s,
                             const rp_stress *st, const rp_h5_meta *meta,
                             rp_errors *err);

#endif
