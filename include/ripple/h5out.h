/* The results file (HDF5, format 2; docs/formats.md describes it).
 * Files are written under a temporary name beside the target and renamed
 * at the end, so a failure never leaves a partial file behind. */
#ifndef RIPPLE_H5OUT_H
#define RIPPLE_H5OUT_H

#include <hdf5.h>

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

/* The writer's helpers, for other HDF5 files Ripple writes (`ripple
 * trace`): the same temporary file renamed into place, the same chunking,
 * deflate and attribute types.  A failing call sets w->bad; the file is
 * then removed by rp_h5w_finish, which reports it.  Units starting with
 * "V" take the currency (w->currency, "value" by default). */
typedef struct rp_h5w {
    hid_t file;
    int bad;
    const char *currency; /* the units of values */
} rp_h5w;

/* Create the temporary file beside `path` (its name in tmp[n]). */
int rp_h5w_open(const char *path, char *tmp, size_t n, rp_h5w *w,
                rp_errors *err);
/* Close it and rename it over `path`, or remove it and report why. */
rp_status rp_h5w_finish(const char *path, const char *tmp, rp_h5w *w,
                        rp_errors *err);
void rp_h5w_attr_str(rp_h5w *w, hid_t loc, const char *name, const char *val);
/* n = 0: a scalar; else a 1-D attribute of n values. */
void rp_h5w_attr_num(rp_h5w *w, hid_t loc, const char *name, hid_t ftype,
                     hid_t mtype, const void *val, hsize_t n);
/* A dimension scale (returned open; the caller closes it). */
hid_t rp_h5w_scale(rp_h5w *w, hid_t loc, const char *name, hid_t ftype,
                   hid_t mtype, hsize_t n, const void *data);
hid_t rp_h5w_scale_str(rp_h5w *w, hid_t loc, const char *name, hsize_t n,
                       const char *const *data);
/* A dataset (rank 1 to 3, C order) with its scales attached and its
 * long_name and units. */
void rp_h5w_put_doc(rp_h5w *w, hid_t loc, const char *name, hid_t ftype,
                    hid_t mtype, int rank, const hsize_t *dims,
                    const void *data, const hid_t *scales,
                    const char *long_name, const char *units);

#endif
