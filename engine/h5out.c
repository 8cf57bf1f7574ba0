/* HDF5 writer.
 *
 * Column datasets, chunked and deflated, little-endian, with dimension
 * scales attached so that h5netcdf/xarray label every axis.  The root holds
 * the scales strategy, day, quantile and stat (and a model's own).  HDF5
 * cannot hold a dataset and a group of the same name side by side, so a
 * scale named like a group (replication, for the group /replication)
 * cannot sit there.  And xarray, opening one group, loads
 * coordinate values only from that group.  So every group carries its own
 * copy of the scales its datasets use, and attaches those: each group opens
 * in xarray fully labelled on its own.  Object time
 * stamps are off, so two runs with the same inputs give the same bytes in
 * every dataset. */
#define _POSIX_C_SOURCE 200809L
#include "ripple/h5out.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ripple/compare.h"
#include "ripple/files.h"
#include "ripple/h5names.h"
#include "ripple/mc.h"
#include "ripple/stats.h"

typedef rp_h5w h5w;

/* What every dataset of a results file is: its long_name and units (CF
 * style: "day", "unit" for the model's quantities, "1" for ratios, shares and
 * indices, "count", "year-1"; "V" stands for the scenario's currency).  The
 * writer puts them on every dataset at the end; a dataset missing here and
 * in the model's table (rp_h5w.docs, which also documents the datasets the
 * model names in rp_h5_mc_names) fails the write (a test runs every kind of
 * file). */
static const rp_h5_doc DOC[] = {
    {RP_H5_STRATEGY, "strategy names (baseline first)", "1"},
    {RP_H5_DAY, "day of the horizon, from 0", "day"},
    {RP_H5_QUANTILE, "probability level of a quantile", "1"},
    {RP_H5_STAT, "statistic over replications", "1"},
    {RP_H5G_STRATEGIES "/" RP_H5S_STRATEGY, "strategy names", "1"},
    {RP_H5_STRATEGIES_COST, "cost of the strategy a year", "V year-1"},
    {RP_H5G_REPLICATION "/" RP_H5S_STRATEGY, "strategy names", "1"},
    {RP_H5G_REPLICATION "/" RP_H5S_REPLICATION, "replication index", "1"},
    {RP_H5G_SUMMARY "/" RP_H5S_STRATEGY, "strategy names", "1"},
    {RP_H5G_SUMMARY "/" RP_H5S_STAT, "statistic over replications", "1"},
    {RP_H5G_TIMESERIES "/" RP_H5S_STRATEGY, "strategy names", "1"},
    {RP_H5G_TIMESERIES "/" RP_H5S_DAY, "day of the horizon, from 0", "day"},
    {RP_H5G_TIMESERIES "/" RP_H5S_QUANTILE, "probability level of a quantile",
     "1"},
    {RP_H5G_COMPARISON "/" RP_H5S_STRATEGY, "strategy names", "1"},
    {RP_H5_CMP_PROB_BETTER,
     "share of replications in which the strategy loses less", "1"},
    {RP_H5_CMP_ROI, "(value saved a year - cost a year) / cost a year", "1"},
    {RP_H5_CMP_VAR_REDUCTION,
     "variance of the two runs' losses over the variance of their paired "
     "difference",
     "1"},
};

/* units with "V" (the currency) substituted */
static void units_of(const h5w *w, const char *u, char *out, size_t n)
{
    if (u[0] == 'V' && (u[1] == '\0' || u[1] == ' '))
        snprintf(out, n, "%s%s", w->currency, u + 1);
    else
        snprintf(out, n, "%s", u);
}

/* Put long_name and units on a dataset that has none yet (H5Ovisit). */
static herr_t document(hid_t root, const char *name, const H5O_info_t *info,
                       void *data);

/* HDF5 closes whatever is left open when the program exits.  After a
 * failed write (a full disk) a dataset that could not be flushed stays
 * open, and that clean-up, flushing it again, crashes (HDF5 1.10).  Every
 * file Ripple opens is closed by Ripple, so the library's exit handler is
 * not needed: it is switched off before the library starts. */
__attribute__((constructor)) static void no_hdf5_atexit(void)
{
    H5dont_atexit();
}

static hid_t str_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

static void attr_str(h5w *w, hid_t loc, const char *name, const char *val)
{
    hid_t t = str_type(), sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0 || H5Awrite(a, t, &val) < 0)
        w->bad = 1;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
}

static void attr_strs(h5w *w, hid_t loc, const char *name,
                      const char *const *vals, hsize_t n)
{
    hid_t t = str_type(), sp = H5Screate_simple(1, &n, NULL);
    hid_t a = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0 || H5Awrite(a, t, vals) < 0)
        w->bad = 1;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
}

static void attr_num(h5w *w, hid_t loc, const char *name, hid_t ftype,
                     hid_t mtype, const void *val, hsize_t n)
{
    hid_t sp = n == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, NULL);
    hid_t a = H5Acreate2(loc, name, ftype, sp, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0 || H5Awrite(a, mtype, val) < 0)
        w->bad = 1;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
}

/* Create a dataset without its data; rank 1..3; its chunk's dims in
 * ch_out (NULL: not wanted; 0s when it has no chunks).  Returns the open
 * dataset (caller closes). */
static hid_t create(h5w *w, hid_t loc, const char *name, hid_t ftype, int rank,
                    const hsize_t *dims, hsize_t *ch_out)
{
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0);
    hsize_t total = 1;
    for (int k = 0; k < rank; k++)
        total *= dims[k];
    if (total > 0) {
        hsize_t ch[3];
        for (int k = 0; k < rank; k++)
            ch[k] = dims[k];
        /* shrink leading axes first, to about 2^17 elements a chunk */
        for (int k = 0; k < rank; k++) {
            hsize_t prod = 1;
            for (int q = 0; q < rank; q++)
                prod *= ch[q];
            while (prod > ((hsize_t)1 << 17) && ch[k] > 1) {
                ch[k] = (ch[k] + 1) / 2;
                prod = 1;
                for (int q = 0; q < rank; q++)
                    prod *= ch[q];
            }
        }
        H5Pset_chunk(dcpl, rank, ch);
        if (H5Tget_class(ftype) != H5T_STRING) {
            H5Pset_shuffle(dcpl);
            H5Pset_deflate(dcpl, 4);
        }
        if (ch_out != NULL)
            memcpy(ch_out, ch, (size_t)rank * sizeof *ch);
    } else if (ch_out != NULL) {
        memset(ch_out, 0, (size_t)rank * sizeof *ch_out);
    }
    hid_t d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (d < 0)
        w->bad = 1;
    H5Pclose(dcpl);
    H5Sclose(sp);
    return d;
}

/* Create a dataset; rank 1..3; data in C order.  ftype is the file type,
 * mtype the memory type.  Returns the open dataset (caller closes). */
static hid_t dataset(h5w *w, hid_t loc, const char *name, hid_t ftype,
                     hid_t mtype, int rank, const hsize_t *dims,
                     const void *data)
{
    hid_t d = create(w, loc, name, ftype, rank, dims, NULL);
    hsize_t total = 1;
    for (int k = 0; k < rank; k++)
        total *= dims[k];
    if (d >= 0 && total > 0 &&
        H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        w->bad = 1;
    return d;
}

static void attach(h5w *w, hid_t d, const hid_t *scales, int rank)
{
    if (d < 0)
        return;
    for (int k = 0; k < rank; k++)
        if (scales[k] >= 0 && H5DSattach_scale(d, scales[k], (unsigned)k) < 0)
            w->bad = 1;
}

static void put(h5w *w, hid_t loc, const char *name, hid_t ftype, hid_t mtype,
                int rank, const hsize_t *dims, const void *data,
                const hid_t *scales)
{
    hid_t d = dataset(w, loc, name, ftype, mtype, rank, dims, data);
    attach(w, d, scales, rank);
    if (d >= 0)
        H5Dclose(d);
}

static void put_f64(h5w *w, hid_t loc, const char *name, int rank,
                    const hsize_t *dims, const double *data,
                    const hid_t *scales)
{
    put(w, loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, rank, dims, data,
        scales);
}

static void put_str(h5w *w, hid_t loc, const char *name, hsize_t n,
                    const char *const *data, const hid_t *scales)
{
    hid_t t = str_type();
    put(w, loc, name, t, t, 1, &n, data, scales);
    H5Tclose(t);
}

/* A dimension scale (closed by the caller). */
static hid_t scale(h5w *w, hid_t loc, const char *name, hid_t ftype,
                   hid_t mtype, hsize_t n, const void *data)
{
    hid_t d = dataset(w, loc, name, ftype, mtype, 1, &n, data);
    if (d < 0 || H5DSset_scale(d, name) < 0)
        w->bad = 1;
    return d;
}

static hid_t scale_str(h5w *w, hid_t loc, const char *name, hsize_t n,
                       const char *const *data)
{
    hid_t t = str_type();
    hid_t d = scale(w, loc, name, t, t, n, data);
    H5Tclose(t);
    return d;
}

static hid_t scale_index(h5w *w, hid_t loc, const char *name, hsize_t n)
{
    int64_t *v = malloc((size_t)(n ? n : 1) * sizeof *v);
    if (v == NULL) {
        w->bad = 1;
        return -1;
    }
    for (hsize_t i = 0; i < n; i++)
        v[i] = (int64_t)i;
    hid_t d = scale(w, loc, name, H5T_STD_I64LE, H5T_NATIVE_INT64, n, v);
    free(v);
    return d;
}

static hid_t group(h5w *w, const char *name)
{
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(gcpl, 0);
    hid_t g = H5Gcreate2(w->file, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    if (g < 0)
        w->bad = 1;
    return g;
}

static void close_all(hid_t *ids, int n)
{
    for (int i = 0; i < n; i++)
        if (ids[i] >= 0)
            H5Oclose(ids[i]);
}

/* The results go to a new temporary file beside `path` (created with
 * O_EXCL under an unpredictable name: nothing planted there is followed or
 * overwritten), renamed over `path` when complete. */
static int open_tmp(const char *path, char *tmp, size_t n, h5w *w,
                    rp_errors *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    w->file = -1;
    w->bad = 0;
    w->currency = "value";
    w->docs = NULL;
    w->n_docs = 0;
    int e = EEXIST;
    for (int tries = 0; tries < 64 && e == EEXIST; tries++) {
        if (rp_tmp_name(path, tmp, n) != 0) {
            rp_err_add(err, "%.48s...: the output path is too long", path);
            return -1;
        }
        rp_tmp_register(tmp);
        hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
        /* creation order of links is not tracked: nothing time-dependent */
        w->file = H5Fcreate(tmp, H5F_ACC_EXCL, fcpl, H5P_DEFAULT);
        H5Pclose(fcpl);
        if (w->file >= 0) {
            errno = 0; /* what a failed write sets is reported */
            return 0;
        }
        rp_tmp_forget(tmp);
        /* why: taken (try another name), or what the system says */
        struct stat st;
        if (lstat(tmp, &st) == 0)
            continue;
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        e = fd < 0 ? errno : 0;
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
    }
    rp_err_runtime(err, "%s: cannot create a temporary file beside it: %s",
                   path, e ? strerror(e) : "HDF5 refused to create it");
    return -1;
}

/* Put long_name and units on dataset d (its absolute path) from the tables:
 * the engine's datasets, then the model's (w->docs). */
static void document_ds(h5w *w, hid_t d, const char *path)
{
    const rp_h5_doc *doc = NULL;
    for (size_t k = 0; k < sizeof DOC / sizeof *DOC && !doc; k++)
        if (strcmp(DOC[k].path, path) == 0)
            doc = &DOC[k];
    for (size_t k = 0; k < w->n_docs && !doc; k++)
        if (strcmp(w->docs[k].path, path) == 0)
            doc = &w->docs[k];
    if (doc == NULL) {
        w->bad = 1;
        fprintf(stderr, "ripple: internal: dataset %s has no long_name\n",
                path);
    } else {
        attr_str(w, d, "long_name", doc->long_name);
        char units[96];
        units_of(w, doc->units, units, sizeof units);
        attr_str(w, d, "units", units);
    }
}

static herr_t document(hid_t root, const char *name, const H5O_info_t *info,
                       void *data)
{
    h5w *w = data;
    if (info->type != H5O_TYPE_DATASET)
        return 0;
    hid_t d = H5Oopen(root, name, H5P_DEFAULT);
    if (d < 0) {
        w->bad = 1;
        return 0;
    }
    if (H5Aexists(d, "long_name") <= 0) {
        char path[256];
        snprintf(path, sizeof path, "/%s", name);
        document_ds(w, d, path);
    }
    H5Oclose(d);
    return 0;
}

static rp_status finish_tmp(const char *path, const char *tmp, h5w *w,
                            rp_errors *err)
{
    if (!w->bad && H5Ovisit2(w->file, H5_INDEX_NAME, H5_ITER_INC, document, w,
                             H5O_INFO_BASIC) < 0)
        w->bad = 1;
    if (H5Fclose(w->file) < 0)
        w->bad = 1;
    if (w->bad) {
        /* the system's reason, when it is one a write gives */
        int e = errno;
        int io = e == ENOSPC || e == EFBIG || e == EDQUOT || e == EIO;
        unlink(tmp);
        rp_tmp_forget(tmp);
        return rp_err_runtime(err, "%s: writing HDF5 failed: %s", path,
                              io ? strerror(e) : "HDF5 reported an error");
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        rp_tmp_forget(tmp);
        return rp_err_runtime(err,
                              "%s: cannot move the finished file into "
                              "place: %s",
                              path, strerror(e));
    }
    rp_tmp_forget(tmp);
    return RP_OK;
}

/* A dataset with its long_name and units. */
static void put_doc(h5w *w, hid_t loc, const char *name, hid_t ftype,
                    hid_t mtype, int rank, const hsize_t *dims,
                    const void *data, const hid_t *scales,
                    const char *long_name, const char *units)
{
    hid_t d = dataset(w, loc, name, ftype, mtype, rank, dims, data);
    attach(w, d, scales, rank);
    if (d >= 0) {
        char u[96];
        units_of(w, units, u, sizeof u);
        attr_str(w, d, "long_name", long_name);
        attr_str(w, d, "units", u);
        H5Dclose(d);
    }
}

/* Values are in the scenario's currency (put_doc substitutes it). */
#define VALUE_UNITS "V"

/* /comparison: paired differences against the baseline (strategy 0). */
static void write_comparison(h5w *w, const rp_loss_view *r, const double *cost,
                             const char *const *snames, uint64_t seed,
                             const rp_h5_mc_names *nm)
{
    int S = r->S;
    rp_comparison *c = malloc((size_t)S * sizeof *c);
    rp_decision *dc = malloc((size_t)S * sizeof *dc);
    double *col = malloc((size_t)S * 10 * sizeof *col);
    int rec = -1;
    if (c == NULL || dc == NULL || col == NULL ||
        rp_compare(r, cost, c) != 0 ||
        (rec = rp_decide(r, cost, seed, dc)) < 0) {
        w->bad = 1;
        free(c);
        free(dc);
        free(col);
        return;
    }
    for (int s = 0; s < S; s++) {
        col[0 * S + s] = c[s].delta_mean;
        col[1 * S + s] = c[s].delta_lo;
        col[2 * S + s] = c[s].delta_hi;
        col[3 * S + s] = c[s].prob_better;
        col[4 * S + s] = c[s].roi;
        col[5 * S + s] = c[s].variance_reduction;
        col[6 * S + s] = dc[s].nb_mean;
        col[7 * S + s] = dc[s].nb_lo;
        col[8 * S + s] = dc[s].nb_hi;
        col[9 * S + s] = dc[s].prob_best;
    }
    const char *const names[6] = {nm->delta_mean, nm->delta_low,
                                  nm->delta_high, RP_H5_CMP_PROB_BETTER,
                                  RP_H5_CMP_ROI,  RP_H5_CMP_VAR_REDUCTION};
    hsize_t dS = (hsize_t)S;
    hid_t g = group(w, RP_H5G_COMPARISON);
    hid_t strat = scale_str(w, g, RP_H5S_STRATEGY, dS, snames);
    hid_t sc[1] = {strat};
    for (int k = 0; k < 6; k++)
        put_f64(w, g, names[k], 1, &dS, col + (size_t)k * (size_t)S, sc);
    char ln[160];
    snprintf(ln, sizeof ln,
             "mean annual net benefit: %s saved against the baseline a year, "
             "minus cost_per_year",
             nm->loss_words);
    put_doc(w, g, RP_H5_CMP_NB_MEAN, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &dS,
            col + 6 * (size_t)S, sc, ln, VALUE_UNITS " year-1");
    put_doc(w, g, RP_H5_CMP_NB_LOW, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &dS,
            col + 7 * (size_t)S, sc,
            "net_benefit_mean, paired 95% interval, low end",
            VALUE_UNITS " year-1");
    put_doc(w, g, RP_H5_CMP_NB_HIGH, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &dS,
            col + 8 * (size_t)S, sc,
            "net_benefit_mean, paired 95% interval, high end",
            VALUE_UNITS " year-1");
    put_doc(w, g, RP_H5_CMP_PROB_BEST, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1,
            &dS, col + 9 * (size_t)S, sc,
            "share of paired bootstrap resamples of the replications in "
            "which the strategy has the highest net benefit (baseline: 0)",
            "1");
    if (g >= 0) {
        attr_str(w, g, RP_H5A_CMP_RECOMMENDED, snames[rec]);
        attr_str(w, g, "recommendation",
                 S < 2      ? "no strategies besides the baseline: nothing "
                              "to compare or recommend"
                 : rec == 0 ? "no strategy pays for itself: keep the baseline"
                            : "the strategy with the highest mean net "
                              "benefit");
        int32_t nb = RP_BOOTSTRAP;
        attr_num(w, g, "bootstrap_resamples", H5T_STD_I32LE, H5T_NATIVE_INT32,
                 &nb, 0);
    }
    if (strat >= 0)
        H5Dclose(strat);
    if (g >= 0)
        H5Gclose(g);
    free(c);
    free(dc);
    free(col);
}

/* Root attributes shared by every results file. */
void rp_h5w_root_attrs(rp_h5w *w, const rp_h5_meta *meta,
                       const rp_h5_inputs *in, const char *kind)
{
    hid_t root = w->file;
    w->currency =
        in->currency != NULL && in->currency[0] ? in->currency : "value";
    attr_str(w, root, "filetype", "ripple-results");
    attr_str(w, root, "currency", in->currency != NULL ? in->currency : "");
    int32_t ver[2] = {RP_FORMAT_MAJOR, RP_FORMAT_MINOR};
    attr_num(w, root, "format_version", H5T_STD_I32LE, H5T_NATIVE_INT32, ver,
             2);
    attr_str(w, root, "ripple_version", RIPPLE_VERSION);
    int32_t mver = in->model_version;
    attr_num(w, root, "model_version", H5T_STD_I32LE, H5T_NATIVE_INT32, &mver,
             0); /* a scalar */
    char when[32];
    time_t now = time(NULL);
    struct tm tmv;
    gmtime_r(&now, &tmv);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    attr_str(w, root, "created_utc", when);
    attr_str(w, root, "command", meta->command ? meta->command : "");
    attr_str(w, root, "run_kind", kind);
    attr_str(w, root, "scenario_name",
             in->scenario_name ? in->scenario_name : "");
    uint64_t seed = in->seed;
    attr_num(w, root, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &seed, 0);
    int64_t reps = in->replications;
    attr_num(w, root, "replications", H5T_STD_I64LE, H5T_NATIVE_INT64, &reps,
             0);
    int32_t v = in->horizon;
    attr_num(w, root, "horizon_days", H5T_STD_I32LE, H5T_NATIVE_INT32, &v, 0);
    v = meta->threads;
    attr_num(w, root, "threads", H5T_STD_I32LE, H5T_NATIVE_INT32, &v, 0);
    v = meta->ranks;
    attr_num(w, root, "ranks", H5T_STD_I32LE, H5T_NATIVE_INT32, &v, 0);
    if (in->scenario_json == NULL)
        w->bad = 1;
    else
        attr_str(w, root, "scenario_json", in->scenario_json);
    if (in->input_sha256 == NULL || in->input_sha256_attr == NULL)
        w->bad = 1;
    else
        attr_str(w, root, in->input_sha256_attr, in->input_sha256);
}

/* /strategies: each strategy's cost and actions. */
static void write_strategies(h5w *w, const rp_h5_mc *v)
{
    hsize_t dS = (hsize_t)v->S;
    hid_t g = group(w, RP_H5G_STRATEGIES);
    hid_t strat = scale_str(w, g, RP_H5S_STRATEGY, dS, v->snames);
    hid_t ss[1] = {strat};
    put_f64(w, g, RP_H5_STRATEGIES_COST, 1, &dS, v->cost, ss);
    attr_strs(w, g, RP_H5A_STRATEGIES_ACTIONS, v->sacts, dS);
    H5Dclose(strat);
    H5Gclose(g);
}

/* /replication: every metric of every replication [strategy, replication],
 * integers as int32. */
static void write_replication(h5w *w, const rp_h5_mc *v)
{
    const int S = v->S;
    const int64_t R = v->R;
    const size_t n = (size_t)S * (size_t)R;
    const char *rep = v->rep;
    double *col = malloc(n * sizeof *col);
    int32_t *icol = malloc(n * sizeof *icol);
    if (col == NULL || icol == NULL) {
        w->bad = 1;
        goto done;
    }
    hid_t g = group(w, RP_H5G_REPLICATION);
    hid_t strat = scale_str(w, g, RP_H5S_STRATEGY, (hsize_t)S, v->snames);
    hid_t repl = scale_index(w, g, RP_H5S_REPLICATION, (hsize_t)R);
    hsize_t d2[2] = {(hsize_t)S, (hsize_t)R};
    hid_t sr[2] = {strat, repl};
    for (int k = 0; k < v->n_metrics; k++) {
        const rp_metric_def *md = &v->metrics[k];
        for (size_t q = 0; q < n; q++) {
            double x = rp_metric_value(md, rep + q * v->rec_bytes);
            col[q] = x;
            icol[q] = (int32_t)x;
        }
        if (md->is_int)
            put_doc(w, g, md->name, H5T_STD_I32LE, H5T_NATIVE_INT32, 2, d2,
                    icol, sr, md->long_name, md->units);
        else
            put_doc(w, g, md->name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, d2,
                    col, sr, md->long_name, md->units);
    }
    if (repl >= 0)
        H5Dclose(repl);
    H5Dclose(strat);
    H5Gclose(g);
done:
    free(col);
    free(icol);
}

/* /summary: the statistics over replications of every metric [strategy,
 * stat]. */
static void write_summary(h5w *w, const rp_h5_mc *v)
{
    const int S = v->S;
    const int64_t R = v->R;
    const char *rep = v->rep;
    double *col = malloc((size_t)R * sizeof *col);
    double *scratch = malloc((size_t)R * sizeof *scratch);
    double *stat = malloc((size_t)S * RP_NSTAT * sizeof *stat);
    if (col == NULL || scratch == NULL || stat == NULL) {
        w->bad = 1;
        goto done;
    }
    hid_t g = group(w, RP_H5G_SUMMARY);
    hid_t strat = scale_str(w, g, RP_H5S_STRATEGY, (hsize_t)S, v->snames);
    hid_t stn = scale_str(w, g, RP_H5S_STAT, RP_NSTAT, rp_stat_names);
    hsize_t ds[2] = {(hsize_t)S, RP_NSTAT};
    hid_t sst[2] = {strat, stn};
    for (int k = 0; k < v->n_metrics; k++) {
        const rp_metric_def *md = &v->metrics[k];
        for (int si = 0; si < S; si++) {
            for (int64_t q = 0; q < R; q++)
                col[q] = rp_metric_value(
                    md,
                    rep + ((size_t)si * (size_t)R + (size_t)q) * v->rec_bytes);
            rp_stats_compute(col, (size_t)R, md->is_loss,
                             stat + (size_t)si * RP_NSTAT, scratch);
        }
        char ln[160];
        snprintf(ln, sizeof ln, "%s: statistics over replications", md->name);
        put_doc(w, g, md->name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, ds, stat,
                sst, ln, md->units);
    }
    H5Dclose(stn);
    H5Dclose(strat);
    H5Gclose(g);
done:
    free(col);
    free(scratch);
    free(stat);
}

/* /timeseries: the daily series' mean, quantiles and share below the
 * threshold [strategy, day(, quantile)], named by the model. */
static void write_timeseries(h5w *w, const rp_h5_mc *v)
{
    const int S = v->S, T = v->T;
    hid_t g = group(w, RP_H5G_TIMESERIES);
    hid_t strat = scale_str(w, g, RP_H5S_STRATEGY, (hsize_t)S, v->snames);
    hid_t day = scale_index(w, g, RP_H5S_DAY, (hsize_t)T);
    hid_t quant = scale(w, g, RP_H5S_QUANTILE, H5T_IEEE_F64LE,
                        H5T_NATIVE_DOUBLE, RP_NQUANT, rp_quantile_levels);
    hsize_t dt[2] = {(hsize_t)S, (hsize_t)T};
    hid_t sd[2] = {strat, day};
    put_f64(w, g, v->names->ts_mean, 2, dt, v->series_mean, sd);
    hsize_t dq[3] = {(hsize_t)S, (hsize_t)T, RP_NQUANT};
    hid_t sdq[3] = {strat, day, quant};
    put_f64(w, g, v->names->ts_quantiles, 3, dq, v->series_q, sdq);
    /* documented at once, not at the end: the file's layout (where its
     * objects lie) stays that of earlier versions */
    hid_t d = dataset(w, g, v->names->ts_below, H5T_IEEE_F64LE,
                      H5T_NATIVE_DOUBLE, 2, dt, v->series_below);
    attach(w, d, sd, 2);
    if (d >= 0) {
        document_ds(w, d, v->names->ts_below);
        H5Dclose(d);
    }
    H5Dclose(quant);
    H5Dclose(day);
    H5Dclose(strat);
    H5Gclose(g);
}

void rp_h5_write_mc(rp_h5w *wp, const rp_h5_mc *v)
{
    h5w *const w = wp;
    const int S = v->S, T = v->T;
    const rp_h5_mc_names *nm = v->names;
    if (nm == NULL || !nm->ts_mean || !nm->ts_quantiles || !nm->ts_below ||
        !nm->delta_mean || !nm->delta_low || !nm->delta_high ||
        !nm->loss_words) {
        w->bad = 1; /* every name is required: a model's bug */
        fprintf(stderr, "ripple: internal: the model names no series or "
                        "loss datasets\n");
        return;
    }
    /* root scales (docs/formats.md); groups attach their own copies */
    hid_t ids[4];
    ids[0] = scale_str(w, w->file, RP_H5_STRATEGY, (hsize_t)S, v->snames);
    ids[1] = scale_index(w, w->file, RP_H5_DAY, (hsize_t)T);
    ids[2] = scale(w, w->file, RP_H5_QUANTILE, H5T_IEEE_F64LE,
                   H5T_NATIVE_DOUBLE, RP_NQUANT, rp_quantile_levels);
    ids[3] = scale_str(w, w->file, RP_H5_STAT, RP_NSTAT, rp_stat_names);
    write_strategies(w, v);
    write_replication(w, v);
    write_summary(w, v);
    write_timeseries(w, v);
    rp_loss_view lv = {
        S, T, v->R, v->rep, v->rec_bytes, &v->metrics[v->loss_metric]};
    write_comparison(w, &lv, v->cost, v->snames, v->seed, nm);
    close_all(ids, 4);
}

/* ---- the helpers for other writers (include/ripple/h5out.h) ---- */

int rp_h5w_open(const char *path, char *tmp, size_t n, rp_h5w *w,
                rp_errors *err)
{
    return open_tmp(path, tmp, n, w, err);
}

rp_status rp_h5w_finish(const char *path, const char *tmp, rp_h5w *w,
                        rp_errors *err)
{
    return finish_tmp(path, tmp, w, err);
}

void rp_h5w_attr_str(rp_h5w *w, hid_t loc, const char *name, const char *val)
{
    attr_str(w, loc, name, val);
}

void rp_h5w_attr_num(rp_h5w *w, hid_t loc, const char *name, hid_t ftype,
                     hid_t mtype, const void *val, hsize_t n)
{
    attr_num(w, loc, name, ftype, mtype, val, n);
}

hid_t rp_h5w_scale(rp_h5w *w, hid_t loc, const char *name, hid_t ftype,
                   hid_t mtype, hsize_t n, const void *data)
{
    return scale(w, loc, name, ftype, mtype, n, data);
}

hid_t rp_h5w_scale_str(rp_h5w *w, hid_t loc, const char *name, hsize_t n,
                       const char *const *data)
{
    return scale_str(w, loc, name, n, data);
}

void rp_h5w_put_doc(rp_h5w *w, hid_t loc, const char *name, hid_t ftype,
                    hid_t mtype, int rank, const hsize_t *dims,
                    const void *data, const hid_t *scales,
                    const char *long_name, const char *units)
{
    put_doc(w, loc, name, ftype, mtype, rank, dims, data, scales, long_name,
            units);
}

void rp_h5w_attr_strs(rp_h5w *w, hid_t loc, const char *name,
                      const char *const *vals, hsize_t n)
{
    attr_strs(w, loc, name, vals, n);
}

hid_t rp_h5w_group(rp_h5w *w, const char *name)
{
    return group(w, name);
}

hid_t rp_h5w_scale_index(rp_h5w *w, hid_t loc, const char *name, hsize_t n)
{
    return scale_index(w, loc, name, n);
}

void rp_h5w_put(rp_h5w *w, hid_t loc, const char *name, hid_t ftype,
                hid_t mtype, int rank, const hsize_t *dims, const void *data,
                const hid_t *scales)
{
    put(w, loc, name, ftype, mtype, rank, dims, data, scales);
}

void rp_h5w_put_str(rp_h5w *w, hid_t loc, const char *name, hsize_t n,
                    const char *const *data, const hid_t *scales)
{
    put_str(w, loc, name, n, data, scales);
}

hid_t rp_h5w_column(rp_h5w *w, hid_t loc, const char *name, hid_t ftype,
                    hsize_t n, const hid_t *scales, const char *long_name,
                    const char *units, hsize_t *chunk)
{
    hid_t d = create(w, loc, name, ftype, 1, &n, chunk);
    if (scales != NULL)
        attach(w, d, scales, 1);
    if (d >= 0 && long_name != NULL) {
        char u[96];
        units_of(w, units, u, sizeof u);
        attr_str(w, d, "long_name", long_name);
        attr_str(w, d, "units", u);
    }
    return d;
}

void rp_h5w_column_part(rp_h5w *w, hid_t d, hid_t mtype, hsize_t off,
                        hsize_t count, const void *data)
{
    if (d < 0 || count == 0)
        return;
    hid_t fs = H5Dget_space(d), ms = H5Screate_simple(1, &count, NULL);
    if (fs < 0 || ms < 0 ||
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, &off, NULL, &count, NULL) <
            0 ||
        H5Dwrite(d, mtype, ms, fs, H5P_DEFAULT, data) < 0)
        w->bad = 1;
    if (ms >= 0)
        H5Sclose(ms);
    if (fs >= 0)
        H5Sclose(fs);
}

void rp_h5w_set_scale(rp_h5w *w, hid_t d, const char *name)
{
    if (d < 0 || H5DSset_scale(d, name) < 0)
        w->bad = 1;
}
