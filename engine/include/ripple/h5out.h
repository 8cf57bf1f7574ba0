/* The results file's writer (HDF5, format 2; docs/formats.md describes
 * it): what every file shares (root attributes, dimension scales, chunking,
 * deflate, long_name and units on every dataset) and the engine's own
 * groups.  A model writes its own groups with the same helpers.  Files are
 * written under a temporary name beside the target and renamed at the end,
 * so a failure never leaves a partial file behind. */
#ifndef RIPPLE_H5OUT_H
#define RIPPLE_H5OUT_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

#include "ripple/error.h"
#include "ripple/metric.h"

#define RP_FORMAT_MAJOR 2
#define RP_FORMAT_MINOR 0

typedef struct rp_h5_meta {
    const char *command; /* the command line */
    int threads, ranks;
} rp_h5_meta;

/* What the root records about the run's inputs (the model fills it). */
typedef struct rp_h5_inputs {
    const char *scenario_name, *currency; /* currency: units of "V" */
    const char *scenario_json;            /* the resolved input */
    const char *input_sha256;             /* of the model's input data, hex */
    const char *input_sha256_attr;        /* the root attribute holding it
                                             (the model names it) */
    uint64_t seed;
    int64_t replications;
    int32_t horizon, model_version;
} rp_h5_inputs;

/* long_name and units of a dataset, by path (CF style units; "V" the
 * currency).  The engine documents its own datasets; a model writing
 * groups of its own gives their table in rp_h5w.docs. */
typedef struct rp_h5_doc {
    const char *path, *long_name, *units;
} rp_h5_doc;

/* The writer's helpers, for other HDF5 files Ripple writes (`ripple
 * trace`): the same temporary file renamed into place, the same chunking,
 * deflate and attribute types.  A failing call sets w->bad; the file is
 * then removed by rp_h5w_finish, which reports it.  Units starting with
 * "V" take the currency (w->currency, "value" by default). */
typedef struct rp_h5w {
    hid_t file;
    int bad;
    const char *currency;  /* the units of values */
    const rp_h5_doc *docs; /* the model's datasets (NULL: none) */
    size_t n_docs;
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

/* A 1-D attribute of n strings. */
void rp_h5w_attr_strs(rp_h5w *w, hid_t loc, const char *name,
                      const char *const *vals, hsize_t n);
/* A group (returned open). */
hid_t rp_h5w_group(rp_h5w *w, const char *name);
/* A dimension scale 0 .. n-1 (int64; returned open). */
hid_t rp_h5w_scale_index(rp_h5w *w, hid_t loc, const char *name, hsize_t n);
/* A dataset documented by the tables (the engine's or w->docs). */
void rp_h5w_put(rp_h5w *w, hid_t loc, const char *name, hid_t ftype,
                hid_t mtype, int rank, const hsize_t *dims, const void *data,
                const hid_t *scales);
/* A 1-D dataset of n strings, documented by the tables. */
void rp_h5w_put_str(rp_h5w *w, hid_t loc, const char *name, hsize_t n,
                    const char *const *data, const hid_t *scales);
/* A 1-D dataset of n values whose data come in parts
 * (rp_h5w_column_part): created as the helpers above create one of n values
 * (the same chunks and filters, hence the same dataset once every value is
 * written), scales attached (NULL: none), with long_name and units (long_name
 * NULL: from the tables when the file is finished).  *chunk: the values a
 * chunk holds (0: none); parts made of whole chunks write each chunk once.
 * Returned open (the caller closes it). */
hid_t rp_h5w_column(rp_h5w *w, hid_t loc, const char *name, hid_t ftype,
                    hsize_t n, const hid_t *scales, const char *long_name,
                    const char *units, hsize_t *chunk);
/* Values [off, off + count) of such a dataset, from data (memory type
 * mtype). */
void rp_h5w_column_part(rp_h5w *w, hid_t d, hid_t mtype, hsize_t off,
                        hsize_t count, const void *data);
/* Make dataset d, named name, a dimension scale (as rp_h5w_scale does). */
void rp_h5w_set_scale(rp_h5w *w, hid_t d, const char *name);
/* The root's attributes (filetype, versions, the run's inputs; kind: the
 * run_kind attribute, "run" for a Monte Carlo run); sets w->currency. */
void rp_h5w_root_attrs(rp_h5w *w, const rp_h5_meta *meta,
                       const rp_h5_inputs *in, const char *kind);

/* What the model calls the engine's datasets that hold its quantities
 * (absolute paths; their long_name and units are in the model's table,
 * rp_h5w.docs): the daily series' mean [strategy, day], quantiles
 * [strategy, day, quantile] and share of replications below the threshold
 * [strategy, day] in /timeseries; the paired difference in the loss metric,
 * strategy minus baseline, its mean and 95% interval [strategy] in
 * /comparison.  loss_words: the loss in words, for the engine's own long
 * names ("mean annual net benefit: LOSS_WORDS saved against the baseline
 * a year, ..."). */
typedef struct rp_h5_mc_names {
    const char *ts_mean, *ts_quantiles, *ts_below;
    const char *delta_mean, *delta_low, *delta_high;
    const char *loss_words;
} rp_h5_mc_names;

/* The engine's part of a run's file: the root scales strategy, day,
 * quantile and stat, /strategies, /replication and /summary (a dataset per
 * metric), /timeseries and /comparison (on the loss metric). */
typedef struct rp_h5_mc {
    const rp_h5_mc_names *names; /* the model's (required) */
    int S, T;
    int64_t R;
    const char *const *snames; /* [S] strategy names, baseline first */
    const char *const *sacts;  /* [S] their actions as JSON */
    const double *cost;        /* [S] a year */
    uint64_t seed;             /* (the bootstrap's streams) */
    const void *rep;           /* [S][R] records of rec_bytes */
    size_t rec_bytes;
    int n_metrics, loss_metric;
    const rp_metric_def *metrics;
    const double *series_mean, *series_q, *series_below; /* see rp_mc_run */
} rp_h5_mc;
void rp_h5_write_mc(rp_h5w *w, const rp_h5_mc *v);

#endif
