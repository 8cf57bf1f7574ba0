#define _POSIX_C_SOURCE 200809L
/* HDF5 writer.
 *
 * Column datasets, chunked and deflated, little-endian, with dimension
 * scales attached so that h5netcdf/xarray label every axis.  The root holds
 * the scales strategy, edge, day, quantile and stat.  HDF5 cannot hold a
 * dataset and a group of the same name side by side, so "node" and
 * "replication" (names taken at the root by the groups /node and
 * /replication) cannot sit there.  And xarray, opening one group, loads
 * coordinate values only from that group.  So every group carries its own
 * copy of the scales its datasets use, and attaches those: each group opens
 * in xarray fully labelled on its own.  Object time
 * stamps are off, so two runs with the same inputs give the same bytes in
 * every dataset. */
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
#include "ripple/register.h"
#include "ripple/stats.h"
#include "ripple/strategy.h"

typedef rp_h5w h5w;

/* What every dataset of a results file is: its long_name and units (CF
 * style: "day", "unit" for goods, "1" for ratios, shares and indices,
 * "count", "year-1"; "V" stands for the scenario's currency).  The writer
 * puts them on every dataset at the end; a dataset missing here fails the
 * write (a test runs every kind of file). */
static const struct {
    const char *path, *long_name, *units;
} DOC[] = {
    {"/strategy", "strategy names (baseline first)", "1"},
    {"/edge", "edge index, the network file's order", "1"},
    {"/day", "day of the horizon, from 0", "day"},
    {"/quantile", "probability level of a quantile", "1"},
    {"/stat", "statistic over replications", "1"},
    {"/threat", "threat names, the scenario's order", "1"},
    {"/network/node", "node id", "1"},
    {"/network/edge", "edge index", "1"},
    {"/network/node_name", "node name (its id if unnamed)", "1"},
    {"/network/node_kind", "node kind", "1"},
    {"/network/node_region", "node region", "1"},
    {"/network/node_demand", "final demand", "unit day-1"},
    {"/network/node_capacity", "capacity", "unit day-1"},
    {"/network/node_baseline_output", "baseline output", "unit day-1"},
    {"/network/node_inventory_days", "days of input stock held at baseline",
     "day"},
    {"/network/node_unit_value", "value of a unit of final demand",
     "V unit-1"},
    {"/network/node_protection", "protection against attacks", "1"},
    {"/network/edge_from", "supplier (node index)", "1"},
    {"/network/edge_to", "buyer (node index)", "1"},
    {"/network/edge_label", "edge as FROM->TO:input", "1"},
    {"/network/edge_lead_time", "lead time", "day"},
    {"/network/edge_input", "the buyer's input group", "1"},
    {"/network/edge_share", "baseline share of the input group", "1"},
    {"/network/edge_ratio", "units of input per unit of the buyer's output",
     "1"},
    {"/network/edge_baseline_flow", "baseline flow", "unit day-1"},
    {"/strategies/strategy", "strategy names", "1"},
    {"/strategies/cost_per_year", "cost of the strategy a year", "V year-1"},
    {"/replication/strategy", "strategy names", "1"},
    {"/replication/replication", "replication index", "1"},
    {"/summary/strategy", "strategy names", "1"},
    {"/summary/stat", "statistic over replications", "1"},
    {"/node/strategy", "strategy names", "1"},
    {"/node/node", "node id", "1"},
    {"/node/node_name", "node name (its id if unnamed)", "1"},
    {"/node/node_kind", "node kind", "1"},
    {"/node/node_region", "node region", "1"},
    {"/node/disrupted_days_mean", "days hit by an event, mean", "day"},
    {"/node/p_disrupted", "share of replications in which an event hit it",
     "1"},
    {"/node/impacted_days_mean", "days with output below baseline, mean",
     "day"},
    {"/node/p_impacted",
     "share of replications in which its output fell below baseline", "1"},
    {"/node/lost_value_mean", "value of its final demand lost, mean", "V"},
    {"/node/criticality",
     "mean lost value of the whole network over the replications in which "
     "an event hit the node",
     "V"},
    {"/timeseries/strategy", "strategy names", "1"},
    {"/timeseries/day", "day of the horizon, from 0", "day"},
    {"/timeseries/quantile", "probability level of a quantile", "1"},
    {"/timeseries/service_level_mean", "daily service level, mean", "1"},
    {"/timeseries/service_level_quantiles",
     "daily service level, quantiles over replications", "1"},
    {"/timeseries/p_below_target",
     "share of replications with the day's service level below "
     "service_target",
     "1"},
    {"/comparison/strategy", "strategy names", "1"},
    {"/comparison/lost_value_delta_mean",
     "mean paired difference in lost value, strategy minus baseline", "V"},
    {"/comparison/lost_value_delta_ci95_low",
     "lost_value_delta_mean, 95% interval, low end", "V"},
    {"/comparison/lost_value_delta_ci95_high",
     "lost_value_delta_mean, 95% interval, high end", "V"},
    {"/comparison/prob_better",
     "share of replications in which the strategy loses less", "1"},
    {"/comparison/roi", "(value saved a year - cost a year) / cost a year",
     "1"},
    {"/comparison/variance_reduction",
     "variance of the two runs' losses over the variance of their paired "
     "difference",
     "1"},
    {"/risk_register/strategy", "strategy names", "1"},
    {"/risk_register/threat", "threat names", "1"},
    {"/events/event", "event index", "1"},
    {"/stress/node", "node id", "1"},
    {"/stress/ttr_days", "time to recover", "day"},
    {"/stress/tts_days", "time to survive", "day"},
    {"/stress/performance_impact",
     "value of final demand lost with the node down for its time to "
     "recover",
     "V"},
    {"/stress/rei", "performance impact over the largest one", "1"},
    {"/stress/exposed", "1: time to survive shorter than time to recover",
     "1"},
    {"/stress/tested", "1: the node was stress tested", "1"},
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

/* Create a dataset; rank 1..3; data in C order.  ftype is the file type,
 * mtype the memory type.  Returns the open dataset (caller closes). */
static hid_t dataset(h5w *w, hid_t loc, const char *name, hid_t ftype,
                     hid_t mtype, int rank, const hsize_t *dims,
                     const void *data)
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
    }
    hid_t d = H5Dcreate2(loc, name, ftype, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (d < 0 || (total > 0 &&
                  H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0))
        w->bad = 1;
    H5Pclose(dcpl);
    H5Sclose(sp);
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

static void put_i32(h5w *w, hid_t loc, const char *name, int rank,
                    const hsize_t *dims, const int32_t *data,
                    const hid_t *scales)
{
    put(w, loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, rank, dims, data,
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

/* Root attributes shared by run and stress files. */
static void root_attrs(h5w *w, const rp_scenario *s, const rp_h5_meta *meta,
                       const char *kind)
{
    hid_t root = w->file;
    w->currency =
        s->currency != NULL && s->currency[0] ? s->currency : "value";
    attr_str(w, root, "filetype", "ripple-results");
    attr_str(w, root, "currency", s->currency != NULL ? s->currency : "");
    int32_t ver[2] = {RP_FORMAT_MAJOR, RP_FORMAT_MINOR};
    attr_num(w, root, "format_version", H5T_STD_I32LE, H5T_NATIVE_INT32, ver,
             2);
    attr_str(w, root, "ripple_version", RIPPLE_VERSION);
    int32_t mver = RP_MODEL_VERSION;
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
    attr_str(w, root, "scenario_name", s->name);
    uint64_t seed = s->seed;
    attr_num(w, root, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &seed, 0);
    int64_t reps = s->replications;
    attr_num(w, root, "replications", H5T_STD_I64LE, H5T_NATIVE_INT64, &reps,
             0);
    int32_t v = s->horizon;
    attr_num(w, root, "horizon_days", H5T_STD_I32LE, H5T_NATIVE_INT32, &v, 0);
    v = meta->threads;
    attr_num(w, root, "threads", H5T_STD_I32LE, H5T_NATIVE_INT32, &v, 0);
    v = meta->ranks;
    attr_num(w, root, "ranks", H5T_STD_I32LE, H5T_NATIVE_INT32, &v, 0);
    char *js = rp_scenario_resolved_json(s);
    if (js == NULL)
        w->bad = 1;
    else
        attr_str(w, root, "scenario_json", js);
    free(js);
    char hex[65];
    if (rp_scenario_network_sha256(s, hex) != 0)
        w->bad = 1;
    else
        attr_str(w, root, "network_sha256", hex);
}

/* /network: what the network looked like (baseline strategy). */
static void write_network(h5w *w, const rp_scenario *s, const double *x0,
                          const double *cap, const double *ninv,
                          const double *f0, const double *share)
{
    const rp_network *n = s->net;
    hsize_t N = (hsize_t)n->n_nodes, E = (hsize_t)n->n_edges;
    hid_t g = group(w, "/network");
    hid_t node = scale_str(w, g, "node", N, n->id);
    hid_t edge = scale_index(w, g, "edge", E);
    hid_t ns[1] = {node}, es[1] = {edge};
    put_str(w, g, "node_name", N, n->node_name, ns);
    put_str(w, g, "node_kind", N, n->kind, ns);
    put_str(w, g, "node_region", N, n->region, ns);
    put_f64(w, g, "node_demand", 1, &N, n->demand, ns);
    put_f64(w, g, "node_capacity", 1, &N, cap, ns);
    put_f64(w, g, "node_baseline_output", 1, &N, x0, ns);
    put_f64(w, g, "node_inventory_days", 1, &N, ninv, ns);
    put_f64(w, g, "node_unit_value", 1, &N, n->unit_value, ns);
    put_f64(w, g, "node_protection", 1, &N, n->protection, ns);
    int32_t *iv = malloc((size_t)(E ? E : 1) * sizeof *iv);
    if (iv == NULL) {
        w->bad = 1;
    } else {
        memcpy(iv, n->from, (size_t)E * sizeof *iv);
        put_i32(w, g, "edge_from", 1, &E, iv, es);
        memcpy(iv, n->to, (size_t)E * sizeof *iv);
        put_i32(w, g, "edge_to", 1, &E, iv, es);
        memcpy(iv, n->lead_time, (size_t)E * sizeof *iv);
        put_i32(w, g, "edge_lead_time", 1, &E, iv, es);
        free(iv);
    }
    put_str(w, g, "edge_input", E, n->input, es);
    {
        /* "FROM->TO:input" */
        size_t len = 0;
        for (hsize_t e = 0; e < E; e++)
            len += strlen(n->id[n->from[e]]) + strlen(n->id[n->to[e]]) +
                   strlen(n->input[e]) + 4;
        char *buf = malloc(len ? len : 1);
        const char **lab = malloc((size_t)(E ? E : 1) * sizeof *lab);
        if (buf == NULL || lab == NULL) {
            w->bad = 1;
        } else {
            char *p = buf;
            for (hsize_t e = 0; e < E; e++) {
                lab[e] = p;
                p += sprintf(p, "%s->%s:%s", n->id[n->from[e]],
                             n->id[n->to[e]], n->input[e]) +
                     1;
            }
            put_str(w, g, "edge_label", E, lab, es);
        }
        free(buf);
        free(lab);
    }
    put_f64(w, g, "edge_share", 1, &E, share, es);
    put_f64(w, g, "edge_ratio", 1, &E, n->ratio, es);
    put_f64(w, g, "edge_baseline_flow", 1, &E, f0, es);
    if (node >= 0)
        H5Dclose(node);
    if (edge >= 0)
        H5Dclose(edge);
    if (g >= 0)
        H5Gclose(g);
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
        size_t k = 0;
        while (k < sizeof DOC / sizeof *DOC && strcmp(DOC[k].path, path) != 0)
            k++;
        if (k == sizeof DOC / sizeof *DOC) {
            w->bad = 1;
            fprintf(stderr, "ripple: internal: dataset %s has no long_name\n",
                    path);
        } else {
            attr_str(w, d, "long_name", DOC[k].long_name);
            char units[96];
            units_of(w, DOC[k].units, units, sizeof units);
            attr_str(w, d, "units", units);
        }
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

/* /risk_register: per strategy and threat, what each threat adds to the
 * loss (see include/ripple/register.h and compare.h). */
static void write_register(h5w *w, const rp_scenario *s, const rp_results *r,
                           const char *const *snames,
                           const char *const *tnames)
{
    const int S = r->S, NT = r->NT;
    if (r->reg_alone == NULL || NT == 0)
        return;
    size_t n = (size_t)S * (size_t)NT;
    rp_reg_row *row = malloc(n * sizeof *row);
    double *col = malloc(n * sizeof *col);
    int32_t *icol = malloc(n * sizeof *icol);
    double *inter = malloc((size_t)S * sizeof *inter);
    int *att = malloc((size_t)NT * sizeof *att);
    if (row == NULL || col == NULL || icol == NULL || inter == NULL ||
        att == NULL)
        goto oom;
    for (int k = 0; k < NT; k++)
        att[k] = strcmp(s->threats[k].type->name, "attack") == 0;
    double annual = 0;
    for (int i = 0; i < s->net->n_nodes; i++)
        annual += s->net->demand[i] * s->net->unit_value[i];
    annual *= 365.0;
    if (rp_register_summary(r, att, annual, row, inter) != 0)
        goto oom;
    hid_t g = group(w, "/risk_register");
    hid_t st = scale_str(w, g, "strategy", (hsize_t)S, snames);
    hid_t th = scale_str(w, g, "threat", (hsize_t)NT, tnames);
    hsize_t d2[2] = {(hsize_t)S, (hsize_t)NT}, d1 = (hsize_t)S;
    hid_t sc2[2] = {st, th}, sc1[1] = {st};
    static const struct {
        const char *name, *long_name, *units;
        size_t off;
    } f[] = {
        {"events_per_year", "events a year", "year-1",
         offsetof(rp_reg_row, events_per_year)},
        {"p_any", "share of replications with at least one event", "1",
         offsetof(rp_reg_row, p_any)},
        {"attempts_per_year", "attack attempts a year (NaN: not an attack)",
         "year-1", offsetof(rp_reg_row, attempts_per_year)},
        {"p_success",
         "share of attack attempts that succeed (NaN: not an "
         "attack)",
         "1", offsetof(rp_reg_row, p_success)},
        {"standalone_mean", "mean lost value with this threat alone",
         VALUE_UNITS, offsetof(rp_reg_row, standalone_mean)},
        {"marginal_mean",
         "mean lost value with every threat minus that without this one",
         VALUE_UNITS, offsetof(rp_reg_row, marginal_mean)},
        {"marginal_ci95_low", "marginal_mean, 95% interval, low end",
         VALUE_UNITS, offsetof(rp_reg_row, marginal_lo)},
        {"marginal_ci95_high", "marginal_mean, 95% interval, high end",
         VALUE_UNITS, offsetof(rp_reg_row, marginal_hi)},
        {"shapley",
         "mean Shapley value of the threat's lost value (NaN: "
         "not computed, run --register shapley)",
         VALUE_UNITS, offsetof(rp_reg_row, shapley)},
        {"tail_marginal_cvar95",
         "mean marginal lost value over the replications at or above the "
         "95% quantile of total lost value",
         VALUE_UNITS, offsetof(rp_reg_row, tail_marginal_cvar95)},
        {"loss_per_event", "lost value with this threat alone per event of it",
         VALUE_UNITS, offsetof(rp_reg_row, loss_per_event)},
    };
    for (size_t q = 0; q < sizeof f / sizeof f[0]; q++) {
        for (size_t i = 0; i < n; i++)
            col[i] = *(const double *)((const char *)&row[i] + f[q].off);
        put_doc(w, g, f[q].name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, d2, col,
                sc2, f[q].long_name, f[q].units);
    }
    {
        /* the Shapley method, on the dataset */
        int64_t sampled = 0;
        for (size_t i = 0; i < (size_t)S * (size_t)r->R; i++)
            sampled += r->reg_sampled[i];
        char method[64];
        if (r->reg_shap == NULL)
            snprintf(method, sizeof method, "none");
        else if (sampled == 0)
            snprintf(method, sizeof method, "exact");
        else
            snprintf(method, sizeof method, "sampled:%d", RP_REG_PERMS);
        hid_t d = H5Dopen2(g, "shapley", H5P_DEFAULT);
        if (d >= 0) {
            attr_str(w, d, "method", method);
            H5Dclose(d);
        }
    }
    for (size_t i = 0; i < n; i++)
        icol[i] = row[i].likelihood_class;
    put_doc(w, g, "likelihood_class", H5T_STD_I32LE, H5T_NATIVE_INT32, 2, d2,
            icol, sc2, "likelihood class, 1 (rare) to 5 (almost certain)",
            "1");
    for (size_t i = 0; i < n; i++)
        icol[i] = row[i].consequence_class;
    put_doc(w, g, "consequence_class", H5T_STD_I32LE, H5T_NATIVE_INT32, 2, d2,
            icol, sc2, "consequence class, 1 (minor) to 5 (severe)", "1");
    {
        hid_t d = H5Dopen2(g, "likelihood_class", H5P_DEFAULT);
        if (d >= 0) {
            attr_num(w, d, "bands_events_per_year", H5T_IEEE_F64LE,
                     H5T_NATIVE_DOUBLE, rp_reg_likelihood_bands, 4);
            H5Dclose(d);
        }
        d = H5Dopen2(g, "consequence_class", H5P_DEFAULT);
        if (d >= 0) {
            attr_num(w, d, "bands_share_of_annual_demand_value",
                     H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                     rp_reg_consequence_bands, 4);
            H5Dclose(d);
        }
    }
    put_doc(w, g, "interaction", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &d1,
            inter, sc1,
            "total mean lost value minus the sum of the threats' marginal "
            "means",
            VALUE_UNITS);
    attr_str(w, g, "mode", r->reg == RP_REG_SHAPLEY ? "shapley" : "marginal");
    if (th >= 0)
        H5Dclose(th);
    if (st >= 0)
        H5Dclose(st);
    if (g >= 0)
        H5Gclose(g);
    goto done;
oom:
    w->bad = 1;
done:
    free(row);
    free(col);
    free(icol);
    free(inter);
    free(att);
}

/* /events: the event log, a row an event (see rp_results.ev_*). */
static void write_events(h5w *w, const rp_results *r)
{
    hsize_t n = (hsize_t)r->n_ev;
    hid_t g = group(w, "/events");
    hid_t ev = scale_index(w, g, "event", n);
    hid_t sc[1] = {ev};
    const hid_t I32 = H5T_STD_I32LE, U8 = H5T_STD_U8LE;
    put_doc(w, g, "strategy", I32, H5T_NATIVE_INT32, 1, &n, r->ev_strategy, sc,
            "strategy index (/strategy)", "1");
    put_doc(w, g, "replication", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, &n,
            r->ev_rep, sc, "replication index", "1");
    put_doc(w, g, "threat", I32, H5T_NATIVE_INT32, 1, &n, r->ev_threat, sc,
            "threat index (/threat)", "1");
    put_doc(w, g, "target_kind", U8, H5T_NATIVE_UINT8, 1, &n, r->ev_kind, sc,
            "0: a node (/node), 1: an edge (/edge)", "1");
    put_doc(w, g, "target", I32, H5T_NATIVE_INT32, 1, &n, r->ev_target, sc,
            "node or edge index", "1");
    put_doc(w, g, "onset", I32, H5T_NATIVE_INT32, 1, &n, r->ev_onset, sc,
            "first day of the event", "day");
    put_doc(w, g, "duration", I32, H5T_NATIVE_INT32, 1, &n, r->ev_duration, sc,
            "days the event lasts", "day");
    put_doc(w, g, "severity", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &n,
            r->ev_severity, sc, "share of capacity lost (first day)", "1");
    put_doc(w, g, "profile", U8, H5T_NATIVE_UINT8, 1, &n, r->ev_profile, sc,
            "0: step, 1: linear recovery", "1");
    if (ev >= 0)
        H5Dclose(ev);
    if (g >= 0)
        H5Gclose(g);
}

/* /comparison: paired differences against the baseline (strategy 0). */
static void write_comparison(h5w *w, const rp_results *r, const double *cost,
                             const char *const *snames, uint64_t seed)
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
    static const char *const names[6] = {"lost_value_delta_mean",
                                         "lost_value_delta_ci95_low",
                                         "lost_value_delta_ci95_high",
                                         "prob_better",
                                         "roi",
                                         "variance_reduction"};
    hsize_t dS = (hsize_t)S;
    hid_t g = group(w, "/comparison");
    hid_t strat = scale_str(w, g, "strategy", dS, snames);
    hid_t sc[1] = {strat};
    for (int k = 0; k < 6; k++)
        put_f64(w, g, names[k], 1, &dS, col + (size_t)k * (size_t)S, sc);
    put_doc(w, g, "net_benefit_mean", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1,
            &dS, col + 6 * (size_t)S, sc,
            "mean annual net benefit: lost value saved against the baseline "
            "a year, minus cost_per_year",
            VALUE_UNITS " year-1");
    put_doc(w, g, "net_benefit_ci95_low", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1,
            &dS, col + 7 * (size_t)S, sc,
            "net_benefit_mean, paired 95% interval, low end",
            VALUE_UNITS " year-1");
    put_doc(w, g, "net_benefit_ci95_high", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
            1, &dS, col + 8 * (size_t)S, sc,
            "net_benefit_mean, paired 95% interval, high end",
            VALUE_UNITS " year-1");
    put_doc(w, g, "prob_best", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, &dS,
            col + 9 * (size_t)S, sc,
            "share of paired bootstrap resamples of the replications in "
            "which the strategy has the highest net benefit (baseline: 0)",
            "1");
    if (g >= 0) {
        attr_str(w, g, "recommended", snames[rec]);
        attr_str(w, g, "recommendation",
                 rec == 0 ? "no strategy pays for itself: keep the baseline"
                          : "the strategy with the highest mean net benefit");
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

rp_status rp_h5_write_run(const char *path, const rp_scenario *s,
                          const rp_results *r, const rp_h5_meta *meta,
                          rp_errors *err)
{
    char tmp[PATH_MAX];
    h5w w;
    if (open_tmp(path, tmp, sizeof tmp, &w, err) != 0)
        return RP_ERUNTIME;
    root_attrs(&w, s, meta, "run");
    int S = r->S, N = r->N, T = r->T;
    int64_t R = r->R;
    const char **snames = malloc((size_t)S * sizeof *snames);
    const char **sacts = malloc((size_t)S * sizeof *sacts);
    double *cost = malloc((size_t)S * sizeof *cost);
    double *col = malloc((size_t)((size_t)S * (size_t)R) * sizeof *col);
    double *scratch = malloc((size_t)R * sizeof *scratch);
    int32_t *icol = malloc((size_t)((size_t)S * (size_t)R) * sizeof *icol);
    double *stat = malloc((size_t)S * RP_NSTAT * sizeof *stat);
    hid_t ids[8];
    for (int k = 0; k < 8; k++)
        ids[k] = -1;
    if (!snames || !sacts || !cost || !col || !scratch || !icol || !stat) {
        w.bad = 1;
        goto done;
    }
    for (int si = 0; si < S; si++) {
        snames[si] = s->strategies[si].name;
        sacts[si] = s->strategies[si].actions_json;
        cost[si] = s->strategies[si].cost_per_year;
    }
    /* root scales (docs/formats.md); groups attach their own copies */
    ids[0] = scale_str(&w, w.file, "/strategy", (hsize_t)S, snames);
    ids[1] = scale_index(&w, w.file, "/edge", (hsize_t)s->net->n_edges);
    ids[2] = scale_index(&w, w.file, "/day", (hsize_t)T);
    ids[3] = scale(&w, w.file, "/quantile", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                   RP_NQUANT, rp_quantile_levels);
    ids[4] = scale_str(&w, w.file, "/stat", RP_NSTAT, rp_stat_names);

    write_network(&w, s, r->x0, r->cap, r->ninv, r->edge_f0, r->edge_share);

    hsize_t dS = (hsize_t)S;
    hid_t g = group(&w, "/strategies");
    hid_t strat = scale_str(&w, g, "strategy", dS, snames);
    hid_t ss[1] = {strat};
    put_f64(&w, g, "cost_per_year", 1, &dS, cost, ss);
    attr_strs(&w, g, "actions_json", sacts, dS);
    H5Dclose(strat);
    H5Gclose(g);

    /* /replication */
    g = group(&w, "/replication");
    strat = scale_str(&w, g, "strategy", dS, snames);
    hid_t rep = scale_index(&w, g, "replication", (hsize_t)R);
    hsize_t d2[2] = {(hsize_t)S, (hsize_t)R};
    hid_t sr[2] = {strat, rep};
    for (int k = 0; k < RP_NMETRIC; k++) {
        const rp_metric_def *md = &rp_metric_defs[k];
        for (size_t q = 0; q < (size_t)S * (size_t)R; q++) {
            double v = rp_metric_value(md, &r->rep[q]);
            col[q] = v;
            icol[q] = (int32_t)v;
        }
        if (md->is_int)
            put_doc(&w, g, md->name, H5T_STD_I32LE, H5T_NATIVE_INT32, 2, d2,
                    icol, sr, md->long_name, md->units);
        else
            put_doc(&w, g, md->name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, d2,
                    col, sr, md->long_name, md->units);
    }
    if (rep >= 0)
        H5Dclose(rep);
    H5Dclose(strat);
    H5Gclose(g);

    /* /summary */
    g = group(&w, "/summary");
    strat = scale_str(&w, g, "strategy", dS, snames);
    hid_t stn = scale_str(&w, g, "stat", RP_NSTAT, rp_stat_names);
    hsize_t ds[2] = {(hsize_t)S, RP_NSTAT};
    hid_t sst[2] = {strat, stn};
    for (int k = 0; k < RP_NMETRIC; k++) {
        const rp_metric_def *md = &rp_metric_defs[k];
        for (int si = 0; si < S; si++) {
            for (int64_t q = 0; q < R; q++)
                col[q] =
                    rp_metric_value(md, &r->rep[(size_t)si * (size_t)R + q]);
            rp_stats_compute(col, (size_t)R, md->is_loss,
                             stat + (size_t)si * RP_NSTAT, scratch);
        }
        char ln[160];
        snprintf(ln, sizeof ln, "%s: statistics over replications", md->name);
        put_doc(&w, g, md->name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, ds,
                stat, sst, ln, md->units);
    }
    H5Dclose(stn);
    H5Dclose(strat);
    H5Gclose(g);

    /* /node */
    g = group(&w, "/node");
    strat = scale_str(&w, g, "strategy", dS, snames);
    hid_t node = scale_str(&w, g, "node", (hsize_t)N, s->net->id);
    hsize_t dn[2] = {(hsize_t)S, (hsize_t)N};
    hid_t sn[2] = {strat, node};
    {
        hsize_t n1 = (hsize_t)N;
        put_str(&w, g, "node_name", n1, s->net->node_name, &node);
        put_str(&w, g, "node_kind", n1, s->net->kind, &node);
        put_str(&w, g, "node_region", n1, s->net->region, &node);
    }
    put_f64(&w, g, "disrupted_days_mean", 2, dn, r->node_dis_mean, sn);
    put_f64(&w, g, "p_disrupted", 2, dn, r->node_p_dis, sn);
    put_f64(&w, g, "impacted_days_mean", 2, dn, r->node_imp_mean, sn);
    put_f64(&w, g, "p_impacted", 2, dn, r->node_p_imp, sn);
    put_f64(&w, g, "lost_value_mean", 2, dn, r->node_lost_mean, sn);
    put_f64(&w, g, "criticality", 2, dn, r->node_crit, sn);
    if (node >= 0)
        H5Dclose(node);
    H5Dclose(strat);
    H5Gclose(g);

    /* /timeseries */
    g = group(&w, "/timeseries");
    strat = scale_str(&w, g, "strategy", dS, snames);
    hid_t day = scale_index(&w, g, "day", (hsize_t)T);
    hid_t quant = scale(&w, g, "quantile", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                        RP_NQUANT, rp_quantile_levels);
    hsize_t dt[2] = {(hsize_t)S, (hsize_t)T};
    hid_t sd[2] = {strat, day};
    put_f64(&w, g, "service_level_mean", 2, dt, r->sl_mean, sd);
    hsize_t dq[3] = {(hsize_t)S, (hsize_t)T, RP_NQUANT};
    hid_t sdq[3] = {strat, day, quant};
    put_f64(&w, g, "service_level_quantiles", 3, dq, r->sl_q, sdq);
    {
        hid_t d = dataset(&w, g, "p_below_target", H5T_IEEE_F64LE,
                          H5T_NATIVE_DOUBLE, 2, dt, r->sl_below);
        attach(&w, d, sd, 2);
        if (d >= 0) {
            attr_str(&w, d, "long_name",
                     "share of replications with the day's service level "
                     "below service_target");
            attr_str(&w, d, "units", "1");
            H5Dclose(d);
        }
    }
    H5Dclose(quant);
    H5Dclose(day);
    H5Dclose(strat);
    H5Gclose(g);

    write_comparison(&w, r, cost, snames, s->seed);
    if (r->events)
        write_events(&w, r);
    {
        /* /threat: the scenario's threat names (type and index if unnamed) */
        int NT = s->n_threats;
        char *buf = malloc((size_t)(NT ? NT : 1) * 48);
        const char **names = malloc((size_t)(NT ? NT : 1) * sizeof *names);
        if (buf == NULL || names == NULL) {
            w.bad = 1;
        } else if (NT > 0) {
            for (int k = 0; k < NT; k++) {
                const rp_threat *t = &s->threats[k];
                if (t->name != NULL && t->name[0]) {
                    names[k] = t->name;
                } else {
                    snprintf(buf + (size_t)k * 48, 48, "%.30s %d",
                             t->type->name, k);
                    names[k] = buf + (size_t)k * 48;
                }
            }
            hid_t t = scale_str(&w, w.file, "/threat", (hsize_t)NT, names);
            if (t >= 0)
                H5Dclose(t);
            write_register(&w, s, r, snames, names);
        }
        free(buf);
        free(names);
    }
done:
    close_all(ids, 8);
    free(snames);
    free(sacts);
    free(cost);
    free(col);
    free(scratch);
    free(icol);
    free(stat);
    return finish_tmp(path, tmp, &w, err);
}

rp_status rp_h5_write_stress(const char *path, const rp_scenario *s,
                             const rp_stress *st, const rp_h5_meta *meta,
                             rp_errors *err)
{
    char tmp[PATH_MAX];
    h5w w;
    if (open_tmp(path, tmp, sizeof tmp, &w, err) != 0)
        return RP_ERUNTIME;
    root_attrs(&w, s, meta, "stress");
    hsize_t N = (hsize_t)st->N;
    hid_t g = group(&w, "/stress");
    hid_t node = scale_str(&w, g, "node", N, s->net->id);
    hid_t ns[1] = {node};
    put_i32(&w, g, "ttr_days", 1, &N, st->ttr, ns);
    put_i32(&w, g, "tts_days", 1, &N, st->tts, ns);
    put_f64(&w, g, "performance_impact", 1, &N, st->pi, ns);
    put_f64(&w, g, "rei", 1, &N, st->rei, ns);
    put(&w, g, "exposed", H5T_STD_U8LE, H5T_NATIVE_UINT8, 1, &N, st->exposed,
        ns);
    put(&w, g, "tested", H5T_STD_U8LE, H5T_NATIVE_UINT8, 1, &N, st->tested,
        ns);
    if (node >= 0)
        H5Dclose(node);
    if (g >= 0)
        H5Gclose(g);
    return finish_tmp(path, tmp, &w, err);
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
