#define _POSIX_C_SOURCE 200809L
/* Reads a results file back and prints what a planner looks at first.
 *
 * A results file is input like any other: before anything is printed, the
 * whole file is checked against the format (docs/formats.md): every group
 * and dataset present through hard links, of the right type class, rank
 * and shape (sizes taken from the file's own dimension scales), stored in
 * the file itself with no filters but deflate, shuffle and fletcher32, and
 * holding at least the bytes its shape needs (allowing for deflate's
 * largest ratio), so that nothing is allocated for data the file does not
 * hold.  Every problem is reported as `FILE: OBJECT: expected ..., found
 * ...`; then nothing is printed (docs/robustness.md). */
#include "ripple/inspect.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ripple/h5out.h"
#include "ripple/run.h"
#include "ripple/stats.h"

/* Deflate never packs more than 1032 bytes into one; a little more. */
#define MAX_RATIO 1100
/* Longest string inspect accepts (a node id, a command line...). */
#define MAX_STR ((size_t)1 << 20)
#define MAX_HORIZON 36500

typedef struct {
    const char *path;
    hid_t file;
    rp_errors *err;
    int bad;
    uint64_t fsize; /* bytes of the file */
} h5r;

static void problem(h5r *r, const char *obj, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(h5r *r, const char *obj, const char *fmt, ...)
{
    char m[RP_ERR_MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    rp_err_add(r->err, "%s: %s: %s", r->path, obj, m);
    r->bad = 1;
}

static hid_t utf8_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

/* ---- what a type or a shape is, in words ---- */

enum { K_FLOAT, K_INT, K_STR };
static const char *const kind_words[] = {"floating-point numbers", "integers",
                                         "variable-length strings"};

static void type_words(hid_t t, char *b, size_t n)
{
    size_t sz = H5Tget_size(t);
    switch (H5Tget_class(t)) {
    case H5T_INTEGER:
        snprintf(b, n, "%zu-bit integers", sz * 8);
        break;
    case H5T_FLOAT:
        snprintf(b, n, "%zu-bit floating-point numbers", sz * 8);
        break;
    case H5T_STRING:
        if (H5Tis_variable_str(t) > 0)
            snprintf(b, n, "variable-length strings");
        else
            snprintf(b, n, "fixed-length strings of %zu bytes", sz);
        break;
    case H5T_COMPOUND:
        snprintf(b, n, "compound values");
        break;
    case H5T_ENUM:
        snprintf(b, n, "enumerated values");
        break;
    case H5T_ARRAY:
        snprintf(b, n, "arrays");
        break;
    case H5T_VLEN:
        snprintf(b, n, "variable-length sequences");
        break;
    case H5T_REFERENCE:
        snprintf(b, n, "references");
        break;
    default:
        snprintf(b, n, "values of another type");
        break;
    }
}

static int type_is(hid_t t, int kind)
{
    H5T_class_t c = H5Tget_class(t);
    size_t sz = H5Tget_size(t);
    if (kind == K_FLOAT)
        return c == H5T_FLOAT && (sz == 4 || sz == 8);
    if (kind == K_INT)
        return c == H5T_INTEGER && sz >= 1 && sz <= 8;
    return c == H5T_STRING && H5Tis_variable_str(t) > 0;
}

static void shape_words(char *b, size_t n, int rank, const hsize_t *d)
{
    size_t k = 0;
    k += (size_t)snprintf(b, n, "[");
    for (int i = 0; i < rank && k < n; i++)
        k += (size_t)snprintf(b + k, n - k, "%s%llu", i ? ", " : "",
                              (unsigned long long)d[i]);
    if (k < n)
        snprintf(b + k, n - k, "]");
}

/* ---- links and objects ---- */

/* Is every component of `p` a hard link that exists?  Reports otherwise.
 * `what` is "a group" or "a dataset" (for the last component). */
static int reachable(h5r *r, const char *p, const char *what)
{
    char part[256];
    size_t len = strlen(p);
    if (len >= sizeof part)
        return 0;
    for (size_t i = 1; i <= len; i++) {
        if (i < len && p[i] != '/')
            continue;
        memcpy(part, p, i);
        part[i] = '\0';
        htri_t ex = H5Lexists(r->file, part, H5P_DEFAULT);
        if (ex <= 0) {
            problem(r, part, "expected %s, found nothing",
                    i == len ? what : "a group");
            return 0;
        }
        H5L_info_t li;
        if (H5Lget_info(r->file, part, &li, H5P_DEFAULT) < 0 ||
            li.type != H5L_TYPE_HARD) {
            problem(r, part, "expected %s, found %s",
                    i == len ? what : "a group",
                    li.type == H5L_TYPE_SOFT ? "a soft link"
                                             : "an external or unknown link");
            return 0;
        }
    }
    return 1;
}

/* Open `p` as an object of type `want` (H5I_GROUP or H5I_DATASET). */
static hid_t open_obj(h5r *r, const char *p, H5I_type_t want)
{
    const char *what = want == H5I_GROUP ? "a group" : "a dataset";
    if (!reachable(r, p, what))
        return -1;
    hid_t o = H5Oopen(r->file, p, H5P_DEFAULT);
    if (o < 0) {
        problem(r, p, "expected %s, found an object HDF5 cannot open", what);
        return -1;
    }
    H5I_type_t got = H5Iget_type(o);
    if (got != want) {
        problem(r, p, "expected %s, found %s", what,
                got == H5I_GROUP     ? "a group"
                : got == H5I_DATASET ? "a dataset"
                                     : "a named datatype");
        H5Oclose(o);
        return -1;
    }
    return o;
}

/* ---- datasets ---- */

/* Dimensions of a results file, named by letter in the tables below. */
enum { D_S, D_R, D_N, D_E, D_T, D_Q, D_A, ND };
static const char dim_letters[] = "SRNETQA";
static const char *const dim_names[] = {
    "strategy", "replication", "node", "edge", "day", "quantile", "stat"};

typedef struct {
    hsize_t size[ND];
    int known[ND];
    const char *from[ND]; /* the dataset that gave the size */
} dims;

/* Stored the way Ripple stores data, and holding what its shape needs? */
static int storage_ok(h5r *r, const char *p, hid_t d, hid_t t, hsize_t n)
{
    hid_t pl = H5Dget_create_plist(d);
    int ok = pl >= 0;
    int deflated = 0;
    hsize_t chunked_expected = 0;
    if (ok) {
        H5D_layout_t lay = H5Pget_layout(pl);
        if (lay == H5D_CHUNKED) {
            hid_t sp = H5Dget_space(d);
            hsize_t dd[H5S_MAX_RANK], cd[H5S_MAX_RANK];
            int rank = H5Sget_simple_extent_dims(sp, dd, NULL);
            chunked_expected = 1;
            if (rank < 1 || H5Pget_chunk(pl, rank, cd) != rank)
                chunked_expected = 0;
            for (int k = 0; k < rank && chunked_expected; k++)
                chunked_expected *= cd[k] ? (dd[k] + cd[k] - 1) / cd[k] : 0;
            H5Sclose(sp);
            if (chunked_expected == 0 && n > 0) {
                problem(r, p, "expected a readable chunk layout, found none");
                ok = 0;
            }
        }
        if (lay != H5D_CONTIGUOUS && lay != H5D_CHUNKED &&
            lay != H5D_COMPACT) {
            problem(r, p,
                    "expected data stored in this file, found a %s dataset",
                    lay == H5D_VIRTUAL ? "virtual" : "differently laid out");
            ok = 0;
        }
        if (ok && H5Pget_external_count(pl) != 0) {
            problem(r, p,
                    "expected data stored in this file, found it stored in "
                    "an external file");
            ok = 0;
        }
        int nf = ok ? H5Pget_nfilters(pl) : 0;
        for (int k = 0; ok && k < nf; k++) {
            unsigned flags = 0, cd[8];
            size_t ncd = 8;
            char name[64];
            H5Z_filter_t f = H5Pget_filter2(pl, (unsigned)k, &flags, &ncd, cd,
                                            sizeof name, name, NULL);
            if (f == H5Z_FILTER_DEFLATE)
                deflated = 1;
            else if (f != H5Z_FILTER_SHUFFLE && f != H5Z_FILTER_FLETCHER32) {
                problem(r, p,
                        "expected no filters but deflate, shuffle and "
                        "fletcher32, found filter %d",
                        (int)f);
                ok = 0;
            }
        }
        H5Pclose(pl);
    }
    if (!ok || n == 0)
        return ok;
    if (deflated && H5Tget_class(t) == H5T_STRING) {
        problem(r, p, "expected uncompressed strings, found them compressed");
        return 0;
    }
    /* every chunk written (a chunk never written reads as fill values) */
    hsize_t missing = 0;
    if (chunked_expected > 0) {
        hsize_t nc = 0;
        hid_t sp = H5Dget_space(d);
        if (H5Dget_num_chunks(d, sp, &nc) < 0 || nc != chunked_expected)
            missing = nc < chunked_expected ? chunked_expected - nc : 1;
        H5Sclose(sp);
    }
    if (missing > 0) {
        problem(r, p,
                "expected its %llu values stored in the file, found %llu of "
                "its %llu chunks missing",
                (unsigned long long)n, (unsigned long long)missing,
                (unsigned long long)chunked_expected);
        return 0;
    }
    uint64_t need = (uint64_t)n * H5Tget_size(t);
    uint64_t have = H5Dget_storage_size(d);
    uint64_t can = deflated ? have * MAX_RATIO : have;
    if (have > r->fsize || can < need) {
        problem(r, p,
                "expected %llu bytes of values, found %llu bytes stored%s",
                (unsigned long long)need, (unsigned long long)have,
                deflated ? " (compressed)" : "");
        return 0;
    }
    return 1;
}

/* Check dataset `p`: `kind`, rank strlen(shape), each axis the size of the
 * dimension named by its letter in `shape` (an unknown dimension takes the
 * size found, within [lo, hi]).  Returns the open dataset, or -1. */
static hid_t check_ds(h5r *r, dims *dm, const char *p, int kind,
                      const char *shape, hsize_t lo, hsize_t hi)
{
    hid_t d = open_obj(r, p, H5I_DATASET);
    if (d < 0)
        return -1;
    int rank = (int)strlen(shape);
    hid_t t = H5Dget_type(d), sp = H5Dget_space(d);
    char want[400], got[160];
    int ok = t >= 0 && sp >= 0;
    if (ok && !type_is(t, kind)) {
        type_words(t, got, sizeof got);
        problem(r, p, "expected %s, found %s", kind_words[kind], got);
        ok = 0;
    }
    hsize_t found[H5S_MAX_RANK];
    int frank = 0;
    if (ok) {
        H5S_class_t sc = H5Sget_simple_extent_type(sp);
        frank = sc == H5S_SIMPLE ? H5Sget_simple_extent_ndims(sp) : 0;
        if (sc != H5S_SIMPLE || frank < 1 || frank > H5S_MAX_RANK ||
            H5Sget_simple_extent_dims(sp, found, NULL) < 0) {
            problem(r, p, "expected an array of rank %d, found %s", rank,
                    sc == H5S_SCALAR ? "a single value" : "no values");
            ok = 0;
        }
    }
    /* the expected shape, filling in dimensions not yet known */
    hsize_t exp[3] = {0, 0, 0};
    int fills[3] = {0, 0, 0};
    for (int k = 0; ok && k < rank; k++) {
        int di = (int)(strchr(dim_letters, shape[k]) - dim_letters);
        if (dm->known[di]) {
            exp[k] = dm->size[di];
        } else if (k < frank) {
            exp[k] = found[k];
            fills[k] = 1;
            if (found[k] < lo || found[k] > hi) {
                problem(r, p, "expected between %llu and %llu %ss, found %llu",
                        (unsigned long long)lo, (unsigned long long)hi,
                        dim_names[di], (unsigned long long)found[k]);
                ok = 0;
            }
        }
    }
    if (ok) {
        int same = frank == rank;
        for (int k = 0; same && k < rank; k++)
            same = found[k] == exp[k];
        if (!same) {
            size_t w = 0;
            w += (size_t)snprintf(want, sizeof want, "[");
            for (int k = 0; k < rank && w < sizeof want; k++) {
                int di = (int)(strchr(dim_letters, shape[k]) - dim_letters);
                /* a size taken from a scale says which */
                const char *src = dm->known[di] ? dm->from[di] : NULL;
                w += (size_t)snprintf(
                    want + w, sizeof want - w, "%s%llu %s%s%s%s",
                    k ? ", " : "", (unsigned long long)exp[k], dim_names[di],
                    src ? " (as " : "", src ? src : "", src ? ")" : "");
            }
            if (w < sizeof want)
                snprintf(want + w, sizeof want - w, "]");
            shape_words(got, sizeof got, frank, found);
            problem(r, p, "expected shape %s, found %s", want, got);
            ok = 0;
        }
    }
    hsize_t n = 1;
    for (int k = 0; ok && k < rank; k++) {
        if (found[k] != 0 && n > ((hsize_t)1 << 50) / found[k]) {
            problem(r, p,
                    "expected a size Ripple can write, found %s elements",
                    "more than 2^50");
            ok = 0;
        }
        n *= found[k];
    }
    ok = ok && storage_ok(r, p, d, t, n);
    if (ok) {
        for (int k = 0; k < rank; k++) {
            int di = (int)(strchr(dim_letters, shape[k]) - dim_letters);
            if (fills[k]) {
                dm->known[di] = 1;
                dm->size[di] = found[k];
                dm->from[di] = p;
            }
        }
    }
    if (t >= 0)
        H5Tclose(t);
    if (sp >= 0)
        H5Sclose(sp);
    if (!ok) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

static int check_only(h5r *r, dims *dm, const char *p, int kind,
                      const char *shape, hsize_t lo, hsize_t hi)
{
    hid_t d = check_ds(r, dm, p, kind, shape, lo, hi);
    if (d < 0)
        return -1;
    H5Dclose(d);
    return 0;
}

/* Values of a checked numeric dataset of n elements, as doubles. */
static double *read_f64(h5r *r, const char *p, hid_t d, hsize_t n)
{
    double *v = calloc(n ? (size_t)n : 1, sizeof *v);
    if (v == NULL) {
        problem(r, p, "expected %llu values, found too many to hold",
                (unsigned long long)n);
        return NULL;
    }
    if (n > 0 &&
        H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        problem(r, p, "expected readable values, found damaged data");
        free(v);
        return NULL;
    }
    return v;
}

static void free_strs(char **v, size_t n)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        if (v[i] != NULL)
            H5free_memory(v[i]);
    free(v);
}

/* Strings of a checked 1-D string dataset of n elements: all present and
 * each at most MAX_STR bytes, and together no larger than the file. */
static char **read_strs(h5r *r, const char *p, hid_t d, hsize_t n)
{
    hid_t t = utf8_type(), sp = H5Dget_space(d);
    char **v = NULL;
    hsize_t bytes = 0;
    if (n > 0 &&
        (H5Dvlen_get_buf_size(d, t, sp, &bytes) < 0 || bytes > r->fsize + n)) {
        problem(r, p, "expected strings stored in the file, found %s",
                bytes > r->fsize + n ? "more string bytes than the file holds"
                                     : "unreadable strings");
        goto out;
    }
    v = calloc(n ? (size_t)n : 1, sizeof *v);
    if (v == NULL) {
        problem(r, p, "expected %llu strings, found too many to hold",
                (unsigned long long)n);
        goto out;
    }
    if (n > 0 && H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        problem(r, p, "expected readable strings, found damaged data");
        free_strs(v, (size_t)n);
        v = NULL;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (v[i] == NULL || strlen(v[i]) > MAX_STR) {
            problem(r, p, "expected a string at %zu, found %s", i,
                    v[i] == NULL ? "none" : "one longer than 1 MiB");
            free_strs(v, (size_t)n);
            v = NULL;
            break;
        }
    }
out:
    H5Sclose(sp);
    H5Tclose(t);
    return v;
}

/* ---- attributes ---- */

/* Open attribute `name` of `loc` (object path `obj`, for messages). */
static hid_t open_attr(h5r *r, hid_t loc, const char *obj, const char *name,
                       int required)
{
    char where[128];
    snprintf(where, sizeof where, "%s attribute %s", obj, name);
    htri_t ex = H5Aexists(loc, name);
    if (ex <= 0) {
        if (required)
            problem(r, where, "expected an attribute, found nothing");
        return -1;
    }
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0)
        problem(r, where, "expected an attribute, found one HDF5 cannot open");
    return a;
}

/* Does attribute a hold `kind` values, `count` of them (0: one value, a
 * scalar or an array of one)? */
static int attr_shape_ok(h5r *r, hid_t a, const char *obj, const char *name,
                         int kind, hsize_t count)
{
    char where[128], got[96];
    snprintf(where, sizeof where, "%s attribute %s", obj, name);
    hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
    int ok = t >= 0 && sp >= 0;
    if (ok && !type_is(t, kind)) {
        type_words(t, got, sizeof got);
        problem(r, where, "expected %s, found %s", kind_words[kind], got);
        ok = 0;
    }
    if (ok) {
        H5S_class_t sc = H5Sget_simple_extent_type(sp);
        hsize_t dd[H5S_MAX_RANK];
        int rank = sc == H5S_SIMPLE ? H5Sget_simple_extent_ndims(sp) : 0;
        if (rank > 0 && H5Sget_simple_extent_dims(sp, dd, NULL) < 0)
            rank = -1;
        if (count == 0 && sc != H5S_SCALAR && !(rank == 1 && dd[0] == 1)) {
            if (rank > 0)
                shape_words(got, sizeof got, rank, dd);
            problem(r, where, "expected a single value, found %s",
                    rank > 0 ? got : "no values");
            ok = 0;
        } else if (count > 0 && (rank != 1 || dd[0] != count)) {
            if (rank > 0)
                shape_words(got, sizeof got, rank, dd);
            problem(r, where, "expected %llu values, found %s",
                    (unsigned long long)count,
                    rank > 0 ? got : "a single value");
            ok = 0;
        }
    }
    if (t >= 0)
        H5Tclose(t);
    if (sp >= 0)
        H5Sclose(sp);
    return ok;
}

/* A scalar string attribute of the root (NULL when missing or wrong;
 * free with H5free_memory). */
static char *attr_str(h5r *r, const char *name, int required)
{
    hid_t a = open_attr(r, r->file, "/", name, required);
    if (a < 0)
        return NULL;
    char *s = NULL;
    if (attr_shape_ok(r, a, "/", name, K_STR, 0)) {
        hid_t t = utf8_type();
        char where[128];
        snprintf(where, sizeof where, "/ attribute %s", name);
        if (H5Aread(a, t, &s) < 0 || s == NULL) {
            problem(r, where, "expected a string, found %s",
                    s == NULL ? "none" : "damaged data");
            s = NULL;
        } else if (strlen(s) > 64 * MAX_STR) {
            problem(r, where,
                    "expected a string of at most 64 MiB, found "
                    "a longer one");
            H5free_memory(s);
            s = NULL;
        }
        H5Tclose(t);
    }
    H5Aclose(a);
    return s;
}

/* An integer attribute of the root with `count` values (0: scalar). */
static int attr_ints(h5r *r, const char *name, hsize_t count, int64_t *v,
                     int required)
{
    hid_t a = open_attr(r, r->file, "/", name, required);
    if (a < 0)
        return -1;
    int ok = attr_shape_ok(r, a, "/", name, K_INT, count);
    if (ok && H5Aread(a, H5T_NATIVE_INT64, v) < 0) {
        char where[128];
        snprintf(where, sizeof where, "/ attribute %s", name);
        problem(r, where, "expected integers, found damaged data");
        ok = 0;
    }
    H5Aclose(a);
    return ok ? 0 : -1;
}

/* ---- the file, checked ---- */

typedef struct {
    char *kind, *name, *ver, *when, *cmd;
    int64_t horizon, reps, seed, threads, ranks;
    /* run files */
    size_t S, N;
    char **strat, **nodes;
    double *lv, *fr, *dbt, *dm, *dlo, *dhi, *pb, *roi, *vr, *cost;
    double *crit, *pdis, *pimp;
    /* stress files */
    char **ids;
    double *ttr, *tts, *pi, *rei, *exp;
} contents;

static void contents_free(contents *c, size_t nstress)
{
    H5free_memory(c->kind);
    H5free_memory(c->name);
    H5free_memory(c->ver);
    H5free_memory(c->when);
    H5free_memory(c->cmd);
    free_strs(c->strat, c->S);
    free_strs(c->nodes, c->N);
    free_strs(c->ids, nstress);
    double *all[] = {c->lv,   c->fr,  c->dbt, c->dm,   c->dlo,  c->dhi,
                     c->pb,   c->roi, c->vr,  c->cost, c->crit, c->pdis,
                     c->pimp, c->ttr, c->tts, c->pi,   c->rei,  c->exp};
    for (size_t k = 0; k < sizeof all / sizeof *all; k++)
        free(all[k]);
}

static void check_root(h5r *r, contents *c)
{
    static const char *const strs[] = {"ripple_version", "created_utc",
                                       "command",        "scenario_name",
                                       "scenario_json",  "network_sha256"};
    int64_t fv[2] = {0, 0};
    if (attr_ints(r, "format_version", 2, fv, 1) == 0 &&
        fv[0] != RP_FORMAT_MAJOR && fv[0] != 1)
        problem(r, "/ attribute format_version",
                "expected format %d.x, found %lld.%lld", RP_FORMAT_MAJOR,
                (long long)fv[0], (long long)fv[1]);
    c->kind = attr_str(r, "run_kind", 1);
    if (c->kind != NULL && strcmp(c->kind, "run") != 0 &&
        strcmp(c->kind, "stress") != 0)
        problem(r, "/ attribute run_kind",
                "expected \"run\" or \"stress\", found \"%.40s\"", c->kind);
    char **keep[] = {&c->ver, &c->when, &c->cmd, &c->name, NULL, NULL};
    for (size_t k = 0; k < sizeof strs / sizeof *strs; k++) {
        char *s = attr_str(r, strs[k], 1);
        if (keep[k] != NULL)
            *keep[k] = s;
        else
            H5free_memory(s);
    }
    int64_t mv = 0;
    attr_ints(r, "model_version", 0, &mv, 0); /* absent before version 2 */
    attr_ints(r, "seed", 0, &c->seed, 1);
    attr_ints(r, "replications", 0, &c->reps, 1);
    attr_ints(r, "horizon_days", 0, &c->horizon, 1);
    attr_ints(r, "threads", 0, &c->threads, 1);
    attr_ints(r, "ranks", 0, &c->ranks, 1);
}

#define BIG ((hsize_t)1 << 40)

static void check_run(h5r *r, contents *c)
{
    dims dm;
    memset(&dm, 0, sizeof dm);
    dm.known[D_Q] = 1;
    dm.size[D_Q] = RP_NQUANT;
    dm.from[D_Q] = NULL; /* fixed by the format */
    dm.known[D_A] = 1;
    dm.size[D_A] = RP_NSTAT;
    dm.from[D_A] = NULL;
    static const char *const groups[] = {
        "/network", "/strategies", "/replication", "/summary",
        "/node",    "/timeseries", "/comparison"};
    for (size_t k = 0; k < sizeof groups / sizeof *groups; k++) {
        hid_t g = open_obj(r, groups[k], H5I_GROUP);
        if (g >= 0)
            H5Oclose(g);
    }
    if (r->bad)
        return;
    /* the dimension scales, which give the sizes */
    hid_t ds = check_ds(r, &dm, "/strategy", K_STR, "S", 1, BIG);
    if (ds >= 0) {
        c->strat = read_strs(r, "/strategy", ds, dm.size[D_S]);
        if (c->strat != NULL)
            c->S = (size_t)dm.size[D_S];
        H5Dclose(ds);
    }
    check_only(r, &dm, "/edge", K_INT, "E", 0, BIG);
    check_only(r, &dm, "/day", K_INT, "T", 1, MAX_HORIZON);
    check_only(r, &dm, "/quantile", K_FLOAT, "Q", 0, 0);
    ds = check_ds(r, &dm, "/stat", K_STR, "A", 0, 0);
    if (ds >= 0) {
        char **st = read_strs(r, "/stat", ds, RP_NSTAT);
        for (int k = 0; st != NULL && k < RP_NSTAT; k++) {
            if (strcmp(st[k], rp_stat_names[k]) != 0) {
                problem(r, "/stat", "expected \"%s\" at %d, found \"%.40s\"",
                        rp_stat_names[k], k, st[k]);
                break;
            }
        }
        free_strs(st, RP_NSTAT);
        H5Dclose(ds);
    }
    ds = check_ds(r, &dm, "/network/node", K_STR, "N", 1, BIG);
    if (ds >= 0) {
        c->nodes = read_strs(r, "/network/node", ds, dm.size[D_N]);
        if (c->nodes != NULL)
            c->N = (size_t)dm.size[D_N];
        H5Dclose(ds);
    }
    check_only(r, &dm, "/replication/replication", K_INT, "R", 1, BIG);
    if (r->bad)
        return; /* sizes unknown: the rest cannot be checked */
    if (c->reps != (int64_t)dm.size[D_R])
        problem(r, "/ attribute replications",
                "expected %llu (the length of /replication/replication), "
                "found %lld",
                (unsigned long long)dm.size[D_R], (long long)c->reps);
    if (c->horizon != (int64_t)dm.size[D_T])
        problem(r, "/ attribute horizon_days",
                "expected %llu (the length of /day), found %lld",
                (unsigned long long)dm.size[D_T], (long long)c->horizon);

    static const struct {
        const char *p;
        int kind;
        const char *shape;
    } rest[] = {
        {"/network/edge", K_INT, "E"},
        {"/network/node_kind", K_STR, "N"},
        {"/network/node_region", K_STR, "N"},
        {"/network/node_demand", K_FLOAT, "N"},
        {"/network/node_capacity", K_FLOAT, "N"},
        {"/network/node_baseline_output", K_FLOAT, "N"},
        {"/network/node_inventory_days", K_FLOAT, "N"},
        {"/network/node_unit_value", K_FLOAT, "N"},
        {"/network/node_protection", K_FLOAT, "N"},
        {"/network/edge_from", K_INT, "E"},
        {"/network/edge_to", K_INT, "E"},
        {"/network/edge_lead_time", K_INT, "E"},
        {"/network/edge_input", K_STR, "E"},
        {"/network/edge_share", K_FLOAT, "E"},
        {"/network/edge_ratio", K_FLOAT, "E"},
        {"/network/edge_baseline_flow", K_FLOAT, "E"},
        {"/strategies/strategy", K_STR, "S"},
        {"/replication/strategy", K_STR, "S"},
        {"/summary/strategy", K_STR, "S"},
        {"/summary/stat", K_STR, "A"},
        {"/node/strategy", K_STR, "S"},
        {"/node/node", K_STR, "N"},
        {"/node/disrupted_days_mean", K_FLOAT, "SN"},
        {"/node/impacted_days_mean", K_FLOAT, "SN"},
        {"/node/lost_value_mean", K_FLOAT, "SN"},
        {"/timeseries/strategy", K_STR, "S"},
        {"/timeseries/day", K_INT, "T"},
        {"/timeseries/quantile", K_FLOAT, "Q"},
        {"/timeseries/service_level_mean", K_FLOAT, "ST"},
        {"/timeseries/service_level_quantiles", K_FLOAT, "STQ"},
        {"/comparison/strategy", K_STR, "S"},
    };
    for (size_t k = 0; k < sizeof rest / sizeof *rest; k++)
        check_only(r, &dm, rest[k].p, rest[k].kind, rest[k].shape, 0, 0);
    for (int k = 0; k < RP_NMETRIC; k++) {
        char p[96];
        snprintf(p, sizeof p, "/replication/%s", rp_metric_names[k]);
        check_only(r, &dm, p, k >= 4 ? K_INT : K_FLOAT, "SR", 0, 0);
        if (k == 1 || k == 2 || k == 4)
            continue; /* read below */
        snprintf(p, sizeof p, "/summary/%s", rp_metric_names[k]);
        check_only(r, &dm, p, K_FLOAT, "SA", 0, 0);
    }
    hid_t g = open_obj(r, "/strategies", H5I_GROUP);
    if (g >= 0) {
        hid_t a = open_attr(r, g, "/strategies", "actions_json", 1);
        if (a >= 0) {
            attr_shape_ok(r, a, "/strategies", "actions_json", K_STR,
                          dm.size[D_S]);
            H5Aclose(a);
        }
        H5Oclose(g);
    }
    /* what is printed */
    static const struct {
        const char *p;
        const char *shape;
        size_t off;
    } num[] = {
        {"/summary/lost_value", "SA", offsetof(contents, lv)},
        {"/summary/fill_rate", "SA", offsetof(contents, fr)},
        {"/summary/days_below_target", "SA", offsetof(contents, dbt)},
        {"/comparison/lost_value_delta_mean", "S", offsetof(contents, dm)},
        {"/comparison/lost_value_delta_ci95_low", "S",
         offsetof(contents, dlo)},
        {"/comparison/lost_value_delta_ci95_high", "S",
         offsetof(contents, dhi)},
        {"/comparison/prob_better", "S", offsetof(contents, pb)},
        {"/comparison/roi", "S", offsetof(contents, roi)},
        {"/comparison/variance_reduction", "S", offsetof(contents, vr)},
        {"/strategies/cost_per_year", "S", offsetof(contents, cost)},
        {"/node/criticality", "SN", offsetof(contents, crit)},
        {"/node/p_disrupted", "SN", offsetof(contents, pdis)},
        {"/node/p_impacted", "SN", offsetof(contents, pimp)},
    };
    for (size_t k = 0; k < sizeof num / sizeof *num; k++) {
        hid_t d = check_ds(r, &dm, num[k].p, K_FLOAT, num[k].shape, 0, 0);
        if (d < 0)
            continue;
        hsize_t n = 1;
        for (const char *q = num[k].shape; *q; q++)
            n *= dm.size[strchr(dim_letters, *q) - dim_letters];
        *(double **)((char *)c + num[k].off) = read_f64(r, num[k].p, d, n);
        H5Dclose(d);
    }
}

static size_t check_stress(h5r *r, contents *c)
{
    dims dm;
    memset(&dm, 0, sizeof dm);
    size_t n = 0;
    hid_t g = open_obj(r, "/stress", H5I_GROUP);
    if (g < 0)
        return 0;
    H5Oclose(g);
    hid_t d = check_ds(r, &dm, "/stress/node", K_STR, "N", 1, BIG);
    if (d < 0)
        return 0;
    c->ids = read_strs(r, "/stress/node", d, dm.size[D_N]);
    H5Dclose(d);
    if (c->ids == NULL)
        return 0;
    n = (size_t)dm.size[D_N];
    static const struct {
        const char *p;
        int kind;
        size_t off;
    } num[] = {
        {"/stress/ttr_days", K_INT, offsetof(contents, ttr)},
        {"/stress/tts_days", K_INT, offsetof(contents, tts)},
        {"/stress/performance_impact", K_FLOAT, offsetof(contents, pi)},
        {"/stress/rei", K_FLOAT, offsetof(contents, rei)},
        {"/stress/exposed", K_INT, offsetof(contents, exp)},
    };
    for (size_t k = 0; k < sizeof num / sizeof *num; k++) {
        d = check_ds(r, &dm, num[k].p, num[k].kind, "N", 0, 0);
        if (d < 0)
            continue;
        *(double **)((char *)c + num[k].off) = read_f64(r, num[k].p, d, n);
        H5Dclose(d);
    }
    check_only(r, &dm, "/stress/tested", K_INT, "N", 0, 0);
    return n;
}

/* ---- printing (only once everything is checked) ---- */

/* s with control characters shown as '?', cut to n - 1 bytes. */
static const char *clean(const char *s, char *b, size_t n)
{
    size_t k = 0;
    for (; s[k] != '\0' && k + 1 < n; k++) {
        unsigned char ch = (unsigned char)s[k];
        b[k] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    b[k] = '\0';
    return b;
}

static void fmt(char *b, size_t n, double v)
{
    if (isnan(v))
        snprintf(b, n, "-");
    else if (fabs(v) >= 1e6 || (fabs(v) < 1e-3 && v != 0))
        snprintf(b, n, "%.3e", v);
    else
        snprintf(b, n, "%.4g", v);
}

typedef struct {
    size_t idx;
    double key;
} ranked;

static int cmp_desc(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    /* NaN keys last */
    int xn = isnan(x->key), yn = isnan(y->key);
    if (xn != yn)
        return xn - yn;
    if (!xn && x->key != y->key)
        return x->key < y->key ? 1 : -1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int print_stress(FILE *f, const contents *c, size_t n, int brief)
{
    ranked *rk = malloc((n ? n : 1) * sizeof *rk);
    if (rk == NULL)
        return -1;
    size_t m = 0, nexp = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(c->ttr[i] >= 0))
            continue;
        nexp += c->exp[i] > 0;
        rk[m].idx = i;
        /* most exposed first: by REI, then by how short TTS is vs TTR */
        rk[m].key = c->rei[i] * 1e6 + (c->ttr[i] - c->tts[i]);
        m++;
    }
    qsort(rk, m, sizeof *rk, cmp_desc);
    fprintf(f, "\nstress test: %zu nodes tested, %zu exposed (TTS < TTR)\n", m,
            nexp);
    fprintf(f, "  %-24s %8s %8s %12s %6s %s\n", "node", "TTR", "TTS", "impact",
            "REI", "exposed");
    size_t show = brief ? 10 : 20;
    for (size_t q = 0; q < m && q < show; q++) {
        size_t i = rk[q].idx;
        char b[32], id[25];
        fmt(b, sizeof b, c->pi[i]);
        fprintf(f, "  %-24s %8.0f %8.0f %12s %6.3f %s\n",
                clean(c->ids[i], id, sizeof id), c->ttr[i], c->tts[i], b,
                c->rei[i], c->exp[i] > 0 ? "yes" : "no");
    }
    if (m > show)
        fprintf(f, "  ... %zu more in /stress\n", m - show);
    free(rk);
    return 0;
}

static int print_run(FILE *f, const contents *c, int brief)
{
    size_t S = c->S, N = c->N;
    char nm[21];
    fprintf(f,
            "\nlost value per replication (%zu strateg%s): final demand "
            "lost in %lld days, valued at the customers' unit_value\n",
            S, S == 1 ? "y" : "ies", (long long)c->horizon);
    fprintf(f, "  %-20s %12s %25s %12s %12s %10s %8s\n", "strategy", "mean",
            "95% CI of mean", "p95", "CVaR95", "fill rate", "days<tgt");
    for (size_t s = 0; s < S; s++) {
        const double *st = c->lv + s * RP_NSTAT;
        char a[32], lo[32], hi[32], p95[32], cv[32], ci[80];
        fmt(a, sizeof a, st[RP_ST_MEAN]);
        fmt(lo, sizeof lo, st[RP_ST_CI_LO]);
        fmt(hi, sizeof hi, st[RP_ST_CI_HI]);
        fmt(p95, sizeof p95, st[RP_ST_P95]);
        fmt(cv, sizeof cv, st[RP_ST_CVAR95]);
        snprintf(ci, sizeof ci, "[%s, %s]", lo, hi);
        fprintf(f, "  %-20s %12s %25s %12s %12s %10.5f %8.2f\n",
                clean(c->strat[s], nm, sizeof nm), a, ci, p95, cv,
                c->fr[s * RP_NSTAT + RP_ST_MEAN],
                c->dbt[s * RP_NSTAT + RP_ST_MEAN]);
    }
    if (S > 1) {
        ranked *rk = malloc(S * sizeof *rk);
        if (rk == NULL)
            return -1;
        for (size_t s = 1; s < S; s++) {
            rk[s - 1].idx = s;
            rk[s - 1].key = -c->dm[s];
        }
        qsort(rk, S - 1, sizeof *rk, cmp_desc);
        fprintf(f, "\nstrategies against baseline (paired, same events; "
                   "negative = less loss)\n");
        fprintf(f, "  %-20s %12s %27s %8s %10s %8s %9s\n", "strategy",
                "delta mean", "95% CI", "P(better)", "cost/yr", "ROI",
                "var.red.");
        for (size_t q = 0; q + 1 < S; q++) {
            size_t s = rk[q].idx;
            char a[32], lo[32], hi[32], co[32], ro[32], v[32], ci[72];
            fmt(a, sizeof a, c->dm[s]);
            fmt(lo, sizeof lo, c->dlo[s]);
            fmt(hi, sizeof hi, c->dhi[s]);
            fmt(co, sizeof co, c->cost[s]);
            fmt(ro, sizeof ro, c->roi[s]);
            fmt(v, sizeof v, c->vr[s]);
            snprintf(ci, sizeof ci, "[%s, %s]", lo, hi);
            fprintf(f, "  %-20s %12s %27s %8.3f %10s %8s %9s\n",
                    clean(c->strat[s], nm, sizeof nm), a, ci, c->pb[s], co, ro,
                    v);
        }
        size_t best = rk[0].idx;
        if (c->dhi[best] < 0)
            fprintf(f,
                    "  -> \"%s\" cuts expected loss by %.4g per "
                    "replication (95%% CI %.4g to %.4g)\n",
                    clean(c->strat[best], nm, sizeof nm), -c->dm[best],
                    -c->dhi[best], -c->dlo[best]);
        else
            fprintf(f, "  -> no strategy reduces loss significantly at "
                       "95%%\n");
        free(rk);
    }
    /* most critical nodes, baseline strategy */
    ranked *rk = malloc((N ? N : 1) * sizeof *rk);
    if (rk == NULL)
        return -1;
    size_t m = 0;
    for (size_t i = 0; i < N; i++) {
        if (isnan(c->crit[i]))
            continue;
        rk[m].idx = i;
        rk[m].key = c->crit[i] * c->pdis[i];
        m++;
    }
    qsort(rk, m, sizeof *rk, cmp_desc);
    if (m > 0) {
        /* criticality (written by the run): the mean, over the
         * replications in which the node was damaged, of the whole
         * replication's lost value; so it ranks what comes with a node's
         * disruption, not what the node alone causes */
        fprintf(f,
                "\nmost critical nodes (baseline), ranked by P x crit\n"
                "  P(disrupted)  share of replications in which an event hit "
                "the node itself\n"
                "  criticality   mean lost value of those replications (the "
                "whole network's\n"
                "                loss in %lld days, in unit_value's currency, "
                "whatever else was hit too)\n"
                "  P x crit      P(disrupted) x criticality: that loss "
                "averaged over all\n"
                "                replications, counting 0 where the node was "
                "not hit\n"
                "  P(impacted)   share of replications in which its output "
                "fell below baseline\n",
                (long long)c->horizon);
        fprintf(f, "  %-24s %12s %12s %12s %12s\n", "node", "P(disrupted)",
                "criticality", "P x crit", "P(impacted)");
    }
    size_t show = brief ? 5 : 10;
    for (size_t q = 0; q < m && q < show; q++) {
        size_t i = rk[q].idx;
        char cr[32], pc[32], id[25];
        fmt(cr, sizeof cr, c->crit[i]);
        fmt(pc, sizeof pc, rk[q].key);
        fprintf(f, "  %-24s %12.4f %12s %12s %12.4f\n",
                clean(c->nodes[i], id, sizeof id), c->pdis[i], cr, pc,
                c->pimp[i]);
    }
    if (m > show)
        fprintf(f, "  ... %zu more disrupted nodes in /node\n", m - show);
    free(rk);
    return 0;
}

static void print_head(FILE *f, const char *path, const contents *c)
{
    char v[64], w[64], nm[256];
    fprintf(f, "file        %s  (ripple %s, %s)\n", path,
            clean(c->ver, v, sizeof v), clean(c->when, w, sizeof w));
    fprintf(f, "scenario    %s\n",
            c->name[0] ? clean(c->name, nm, sizeof nm) : "(unnamed)");
    size_t n = strlen(c->cmd) + 1;
    char *cmd = malloc(n);
    fprintf(f, "command     %s\n", cmd ? clean(c->cmd, cmd, n) : "?");
    free(cmd);
    fprintf(f,
            "run         %lld days x %lld replications, seed %lld, "
            "%lld threads, %lld ranks\n",
            (long long)c->horizon, (long long)c->reps, (long long)c->seed,
            (long long)c->threads, (long long)c->ranks);
}

rp_status rp_inspect(FILE *f, const char *path, int brief, rp_errors *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return rp_err_add(err, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    int regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    close(fd);
    if (!regular)
        return rp_err_add(err, "%s: not a regular file", path);
    if (H5Fis_hdf5(path) <= 0)
        return rp_err_add(err, "%s: not an HDF5 file", path);
    h5r r = {path, H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT), err, 0,
             (uint64_t)st.st_size};
    if (r.file < 0)
        return rp_err_add(err,
                          "%s: cannot open as HDF5 (the file is truncated or "
                          "damaged)",
                          path);
    contents c;
    memset(&c, 0, sizeof c);
    size_t nstress = 0;
    char *ft = attr_str(&r, "filetype", 0);
    if (ft == NULL || strcmp(ft, "ripple-results") != 0) {
        H5free_memory(ft);
        H5Fclose(r.file);
        return rp_err_add(err,
                          "%s: not a Ripple results file (no filetype "
                          "\"ripple-results\")",
                          path);
    }
    H5free_memory(ft);
    check_root(&r, &c);
    if (!r.bad && strcmp(c.kind, "stress") == 0)
        nstress = check_stress(&r, &c);
    else if (!r.bad)
        check_run(&r, &c);
    H5Fclose(r.file);
    rp_status rs = RP_OK;
    if (r.bad) {
        rs = rp_err_status(err);
    } else {
        if (!brief)
            print_head(f, path, &c);
        int pr = strcmp(c.kind, "stress") == 0
                     ? print_stress(f, &c, nstress, brief)
                     : print_run(f, &c, brief);
        if (pr != 0)
            rs = rp_err_runtime(err, "%s: out of memory", path);
    }
    contents_free(&c, nstress);
    return rs;
}
