/* Checked reading of results files (app/h5read.h): the checks and the
 * messages `ripple inspect` and `ripple report` share. */
#define _POSIX_C_SOURCE 200809L
#include "h5read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const rp_h5r_kind_words[] = {"floating-point numbers", "integers",
                                         "variable-length strings", "numbers"};

/* Little-endian unsigned integer of n bytes at b. */
static uint64_t le_uint(const unsigned char *b, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

/* The global heap collections of the file (where variable-length strings
 * live), walked object by object as the HDF5 library (1.10) decodes them,
 * before the library sees them: a collection whose walk does not advance
 * (a free-space object of size 0: the library then loops forever) or runs
 * past its end (an object larger than the collection: the library reads
 * past its buffer), or a collection past the end of the file.  A
 * collection begins "GCOL", version 1, three zero bytes and its size
 * (8 bytes: the lengths of the files Ripple writes and reads); each object
 * a 2-byte index, 2-byte reference count, 4 reserved bytes and its 8-byte
 * size, then the data padded to 8 bytes; index 0 is the free space, its
 * size counting its header.  0, or -1 with the offset of the damaged
 * collection in *bad. */
static int heaps_ok(int fd, uint64_t fsize, uint64_t *bad)
{
    enum { WIN = 1 << 20 };
    unsigned char *scan = malloc(WIN), *obj = malloc(WIN);
    int rc = 0;
    uint64_t base = 0;
    if (scan == NULL || obj == NULL) {
        free(scan);
        free(obj);
        return 0; /* no memory for the check: the library's own then */
    }
    while (rc == 0 && base < fsize) {
        ssize_t got = pread(fd, scan, WIN, (off_t)base);
        if (got < 16)
            break;
        for (ssize_t i = 0; rc == 0 && i + 16 <= got; i++) {
            if (memcmp(scan + i, "GCOL\1\0\0\0", 8) != 0)
                continue;
            uint64_t at = base + (uint64_t)i, size = le_uint(scan + i + 8, 8);
            if (size < 16 || size > fsize - at) {
                rc = -1;
                *bad = at;
                break;
            }
            /* the objects, through a window of the file */
            uint64_t p = at + 16, end = at + size, w0 = 0, wn = 0;
            while (p < end && end - p >= 16) {
                if (p < w0 || p + 16 > w0 + wn) {
                    ssize_t g = pread(fd, obj, WIN, (off_t)p);
                    if (g < 16)
                        break;
                    w0 = p;
                    wn = (uint64_t)g;
                }
                const unsigned char *h = obj + (p - w0);
                uint64_t idx = le_uint(h, 2), osz = le_uint(h + 8, 8);
                uint64_t need =
                    idx > 0
                        ? (osz > end - p ? UINT64_MAX : 16 + (osz + 7) / 8 * 8)
                        : osz;
                if (need == 0 || need > end - p) {
                    rc = -1;
                    *bad = at;
                    break;
                }
                p += need;
            }
        }
        if (got < WIN)
            break;
        base += (uint64_t)got - 15; /* a signature across the boundary */
    }
    free(scan);
    free(obj);
    return rc;
}

/* heaps_ok, with the error naming the file. */
static rp_status heaps_check(int fd, uint64_t fsize, const char *path,
                             rp_errors *err)
{
    uint64_t bad = 0;
    if (heaps_ok(fd, fsize, &bad) == 0)
        return RP_OK;
    return rp_err_add(err,
                      "%s: damaged: the global heap (variable-length "
                      "strings) at byte %llu is not whole; the file "
                      "cannot be used (write it again with the command "
                      "that made it)",
                      path, (unsigned long long)bad);
}

rp_status rp_h5r_check_heaps(const char *path, rp_errors *err)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return RP_OK; /* the reader that opens it says why */
    struct stat st;
    rp_status s = RP_OK;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        s = heaps_check(fd, (uint64_t)st.st_size, path, err);
    close(fd);
    return s;
}

rp_status rp_h5r_open(rp_h5r *r, const char *path, rp_errors *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    *r = (rp_h5r){path, -1, err, 0, 0};
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return rp_err_add(err, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    int regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    /* a scenario or network given by mistake: its first character, after
     * white space, opens a JSON object */
    char head[64];
    ssize_t got = regular ? read(fd, head, sizeof head) : 0;
    int json = 0;
    for (ssize_t i = 0; i < got; i++) {
        if (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' ||
            head[i] == '\r')
            continue;
        json = head[i] == '{';
        break;
    }
    if (!regular) {
        close(fd);
        return rp_err_add(err, "%s: not a regular file", path);
    }
    if (H5Fis_hdf5(path) <= 0) {
        close(fd);
        return rp_err_add(err,
                          json ? "%s: not an HDF5 file but JSON (a scenario "
                                 "or a network?): ripple run simulates a "
                                 "scenario and writes the .h5 file this "
                                 "command reads"
                               : "%s: not an HDF5 file (give the .h5 file "
                                 "a ripple command wrote, such as ripple "
                                 "run's -o)",
                          path);
    }
    rp_status hs = heaps_check(fd, (uint64_t)st.st_size, path, err);
    close(fd);
    if (hs != RP_OK)
        return hs;
    r->fsize = (uint64_t)st.st_size;
    r->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (r->file < 0)
        return rp_err_add(err,
                          "%s: cannot open as HDF5 (the file is truncated or "
                          "damaged: write it again with the command that "
                          "made it)",
                          path);
    return RP_OK;
}

void rp_h5r_problem(rp_h5r *r, const char *obj, const char *fmt, ...)
{
    char m[RP_ERR_MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    rp_err_add(r->err, "%s: %s: %s", r->path, obj, m);
    r->bad = 1;
}

hid_t rp_h5r_utf8_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

/* A type class in words; %zu: the size, in bits for numbers and in bytes
 * for fixed-length strings. */
static const struct {
    H5T_class_t cls;
    const char *words;
} TYPE_WORDS[] = {{H5T_INTEGER, "%zu-bit integers"},
                  {H5T_FLOAT, "%zu-bit floating-point numbers"},
                  {H5T_STRING, "fixed-length strings of %zu bytes"},
                  {H5T_COMPOUND, "compound values"},
                  {H5T_ENUM, "enumerated values"},
                  {H5T_ARRAY, "arrays"},
                  {H5T_VLEN, "variable-length sequences"},
                  {H5T_REFERENCE, "references"}};

void rp_h5r_type_words(hid_t t, char *b, size_t n)
{
    H5T_class_t c = H5Tget_class(t);
    size_t sz = H5Tget_size(t);
    const char *w = "values of another type";
    for (size_t k = 0; k < sizeof TYPE_WORDS / sizeof *TYPE_WORDS; k++)
        if (TYPE_WORDS[k].cls == c)
            w = TYPE_WORDS[k].words;
    if (c == H5T_STRING && H5Tis_variable_str(t) > 0)
        w = "variable-length strings";
    if (strstr(w, "%zu") == NULL)
        snprintf(b, n, "%s", w);
    else
        snprintf(b, n, w, c == H5T_STRING ? sz : sz * 8);
}

int rp_h5r_type_is(hid_t t, int kind)
{
    H5T_class_t c = H5Tget_class(t);
    size_t sz = H5Tget_size(t);
    if (kind == RP_H5R_NUM)
        return rp_h5r_type_is(t, RP_H5R_FLOAT) ||
               rp_h5r_type_is(t, RP_H5R_INT);
    if (kind == RP_H5R_FLOAT)
        return c == H5T_FLOAT && (sz == 4 || sz == 8);
    if (kind == RP_H5R_INT)
        return c == H5T_INTEGER && sz >= 1 && sz <= 8;
    return c == H5T_STRING && H5Tis_variable_str(t) > 0;
}

void rp_h5r_shape_words(char *b, size_t n, int rank, const hsize_t *d)
{
    size_t k = 0;
    k += (size_t)snprintf(b, n, "[");
    for (int i = 0; i < rank && k < n; i++)
        k += (size_t)snprintf(b + k, n - k, "%s%llu", i ? ", " : "",
                              (unsigned long long)d[i]);
    if (k < n)
        snprintf(b + k, n - k, "]");
}

/* Is every component of `p` a hard link that exists?  With `what` ("a
 * group", "a dataset": the last component), report what is not; NULL:
 * silently. */
static int walk(rp_h5r *r, const char *p, const char *what)
{
    char part[256];
    size_t len = strlen(p);
    if (what == NULL && strcmp(p, "/") == 0)
        return 1;
    if (len >= sizeof part)
        return 0;
    for (size_t i = 1; i <= len; i++) {
        if (i < len && p[i] != '/')
            continue;
        memcpy(part, p, i);
        part[i] = '\0';
        H5L_info_t li;
        li.type = H5L_TYPE_ERROR;
        int ex = H5Lexists(r->file, part, H5P_DEFAULT) > 0;
        if (ex && H5Lget_info(r->file, part, &li, H5P_DEFAULT) >= 0 &&
            li.type == H5L_TYPE_HARD)
            continue;
        const char *w = i == len ? what : "a group";
        if (what != NULL && !ex)
            rp_h5r_problem(r, part, "expected %s, found nothing", w);
        else if (what != NULL)
            rp_h5r_problem(r, part, "expected %s, found %s", w,
                           li.type == H5L_TYPE_SOFT
                               ? "a soft link"
                               : "an external or unknown link");
        return 0;
    }
    return 1;
}

int rp_h5r_exists(rp_h5r *r, const char *p)
{
    return walk(r, p, NULL);
}

int rp_h5r_reachable(rp_h5r *r, const char *p, const char *what)
{
    return walk(r, p, what);
}

/* Open `p` as an object of type `want` (H5I_GROUP or H5I_DATASET). */
hid_t rp_h5r_open_obj(rp_h5r *r, const char *p, H5I_type_t want)
{
    const char *what = want == H5I_GROUP ? "a group" : "a dataset";
    if (!rp_h5r_reachable(r, p, what))
        return -1;
    hid_t o = H5Oopen(r->file, p, H5P_DEFAULT);
    if (o < 0) {
        rp_h5r_problem(r, p, "expected %s, found an object HDF5 cannot open",
                       what);
        return -1;
    }
    H5I_type_t got = H5Iget_type(o);
    if (got != want) {
        rp_h5r_problem(r, p, "expected %s, found %s", what,
                       got == H5I_GROUP     ? "a group"
                       : got == H5I_DATASET ? "a dataset"
                                            : "a named datatype");
        H5Oclose(o);
        return -1;
    }
    return o;
}

hid_t rp_h5r_open_sized(rp_h5r *r, const char *p, int kind, int rank,
                        hsize_t *want)
{
    hid_t d = rp_h5r_open_obj(r, p, H5I_DATASET);
    if (d < 0)
        return -1;
    char ws[96], fs[96], ts[64];
    hid_t t = H5Dget_type(d), sp = H5Dget_space(d);
    int ok = t >= 0 && rp_h5r_type_is(t, kind);
    if (!ok) {
        snprintf(ts, sizeof ts, "an unreadable type");
        if (t >= 0)
            rp_h5r_type_words(t, ts, sizeof ts);
        rp_h5r_problem(r, p, "expected %s, found %s", rp_h5r_kind_words[kind],
                       ts);
    }
    hsize_t got[H5S_MAX_RANK];
    int grank = -1;
    if (ok && sp >= 0 && H5Sget_simple_extent_type(sp) == H5S_SIMPLE)
        grank = H5Sget_simple_extent_dims(sp, got, NULL);
    int same = grank == rank;
    for (int k = 0; same && k < rank; k++)
        same = want[k] == 0 ? got[k] > 0 : got[k] == want[k];
    if (ok && !same) {
        rp_h5r_shape_words(ws, sizeof ws, rank, want);
        if (grank >= 0)
            rp_h5r_shape_words(fs, sizeof fs, grank, got);
        else
            snprintf(fs, sizeof fs, "no array");
        rp_h5r_problem(r, p, "expected shape %s, found %s", ws, fs);
        ok = 0;
    }
    for (int k = 0; ok && k < rank; k++)
        want[k] = got[k];
    if (sp >= 0)
        H5Sclose(sp);
    if (t >= 0)
        H5Tclose(t);
    if (!ok) {
        H5Oclose(d);
        return -1;
    }
    return d;
}

/* Values of a checked numeric dataset of n elements, as doubles. */
double *rp_h5r_read_f64(rp_h5r *r, const char *p, hid_t d, hsize_t n)
{
    double *v = calloc(n ? (size_t)n : 1, sizeof *v);
    if (v == NULL) {
        rp_h5r_problem(r, p, "expected %llu values, found too many to hold",
                       (unsigned long long)n);
        return NULL;
    }
    if (n > 0 &&
        H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
        rp_h5r_problem(r, p, "expected readable values, found damaged data");
        free(v);
        return NULL;
    }
    return v;
}

void rp_h5r_free_strs(char **v, size_t n)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* The strings of one read, allocated by HDF5 through this budget: at most
 * `left` bytes in all, each allocation remembered so that a read that
 * fails halfway frees what it had allocated.  (A separate sizing pass,
 * H5Dvlen_get_buf_size, costs HDF5 a megabyte-sized zeroed buffer per
 * string: three quarters of `ripple run`'s time on a 100,000-node
 * network went there.) */
typedef struct {
    uint64_t left;
    void **p;
    size_t n, cap;
    int refused; /* an allocation went over the budget */
} str_budget;

static void *budget_alloc(size_t size, void *info)
{
    str_budget *b = info;
    if ((uint64_t)size > b->left) {
        b->refused = 1;
        return NULL;
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        void **p = realloc(b->p, cap * sizeof *p);
        if (p == NULL)
            return NULL;
        b->p = p;
        b->cap = cap;
    }
    void *v = malloc(size ? size : 1);
    if (v != NULL) {
        b->left -= (uint64_t)size;
        b->p[b->n++] = v;
    }
    return v;
}

static void budget_free(void *v, void *info)
{
    str_budget *b = info;
    for (size_t i = b->n; v != NULL && i-- > 0;)
        if (b->p[i] == v) {
            b->p[i] = b->p[--b->n];
            break;
        }
    free(v);
}

/* Read the n strings of d into v through a budget of the file's size
 * (plus a terminator each); 0, or -1 with nothing left allocated and
 * *over set when the strings would exceed the budget. */
static int read_budgeted(rp_h5r *r, hid_t d, hid_t t, hsize_t n, char **v,
                         int *over)
{
    str_budget b = {r->fsize + n, NULL, 0, 0, 0};
    hid_t x = H5Pcreate(H5P_DATASET_XFER);
    int ok =
        x >= 0 &&
        H5Pset_vlen_mem_manager(x, budget_alloc, &b, budget_free, &b) >= 0 &&
        H5Dread(d, t, H5S_ALL, H5S_ALL, x, v) >= 0;
    if (x >= 0)
        H5Pclose(x);
    *over = b.refused;
    if (!ok) {
        for (size_t i = 0; i < b.n; i++)
            free(b.p[i]);
        memset(v, 0, (size_t)n * sizeof *v);
    }
    free(b.p);
    return ok ? 0 : -1;
}

/* Strings of a checked 1-D string dataset of n elements: all present and
 * each at most RP_H5R_MAX_STR bytes, and together no larger than the file. */
char **rp_h5r_read_strs(rp_h5r *r, const char *p, hid_t d, hsize_t n)
{
    hid_t t = rp_h5r_utf8_type();
    char **v = calloc(n ? (size_t)n : 1, sizeof *v);
    int over = 0;
    if (v == NULL) {
        rp_h5r_problem(r, p, "expected %llu strings, found too many to hold",
                       (unsigned long long)n);
        goto out;
    }
    if (n > 0 && read_budgeted(r, d, t, n, v, &over) < 0) {
        rp_h5r_problem(r, p, "expected strings stored in the file, found %s",
                       over ? "more string bytes than the file holds"
                            : "unreadable strings");
        free(v);
        v = NULL;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (v[i] == NULL || strlen(v[i]) > RP_H5R_MAX_STR) {
            rp_h5r_problem(r, p, "expected a string at %zu, found %s", i,
                           v[i] == NULL ? "none" : "one longer than 1 MiB");
            rp_h5r_free_strs(v, (size_t)n);
            v = NULL;
            break;
        }
    }
out:
    H5Tclose(t);
    return v;
}

/* ---- attributes ---- */

/* Open attribute `name` of `loc` (object path `obj`, for messages). */
hid_t rp_h5r_open_attr(rp_h5r *r, hid_t loc, const char *obj, const char *name,
                       int required)
{
    char where[256];
    snprintf(where, sizeof where, "%s attribute %s", obj, name);
    htri_t ex = H5Aexists(loc, name);
    if (ex <= 0) {
        if (required)
            rp_h5r_problem(r, where, "expected an attribute, found nothing");
        return -1;
    }
    hid_t a = H5Aopen(loc, name, H5P_DEFAULT);
    if (a < 0)
        rp_h5r_problem(r, where,
                       "expected an attribute, found one HDF5 cannot open");
    return a;
}

/* Does attribute a hold `kind` values, `count` of them (0: one value, a
 * scalar or an array of one)? */
int rp_h5r_attr_shape_ok(rp_h5r *r, hid_t a, const char *obj, const char *name,
                         int kind, hsize_t count)
{
    char where[256], got[96];
    snprintf(where, sizeof where, "%s attribute %s", obj, name);
    hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
    int ok = t >= 0 && sp >= 0;
    if (ok && !rp_h5r_type_is(t, kind)) {
        rp_h5r_type_words(t, got, sizeof got);
        rp_h5r_problem(r, where, "expected %s, found %s",
                       rp_h5r_kind_words[kind], got);
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
                rp_h5r_shape_words(got, sizeof got, rank, dd);
            rp_h5r_problem(r, where, "expected a single value, found %s",
                           rank > 0 ? got : "no values");
            ok = 0;
        } else if (count > 0 && (rank != 1 || dd[0] != count)) {
            if (rank > 0)
                rp_h5r_shape_words(got, sizeof got, rank, dd);
            rp_h5r_problem(r, where, "expected %llu values, found %s",
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

/* A scalar string attribute of `loc` (object `obj`; NULL when missing or
 * wrong; free with H5free_memory). */
char *rp_h5r_attr_str(rp_h5r *r, hid_t loc, const char *obj, const char *name,
                      int required)
{
    hid_t a = rp_h5r_open_attr(r, loc, obj, name, required);
    if (a < 0)
        return NULL;
    char *s = NULL;
    if (rp_h5r_attr_shape_ok(r, a, obj, name, RP_H5R_STR, 0)) {
        hid_t t = rp_h5r_utf8_type();
        char where[256];
        snprintf(where, sizeof where, "%s attribute %s", obj, name);
        if (H5Aread(a, t, &s) < 0 || s == NULL) {
            rp_h5r_problem(r, where, "expected a string, found %s",
                           s == NULL ? "none" : "damaged data");
            s = NULL;
        } else if (strlen(s) > r->fsize) {
            /* stored whole in the file (attributes are not compressed),
             * so no longer than it: the writer's scenario_json of a huge
             * network passes, a damaged length does not */
            rp_h5r_problem(r, where,
                           "expected a string no longer than the file "
                           "(%llu bytes), found a longer one",
                           (unsigned long long)r->fsize);
            H5free_memory(s);
            s = NULL;
        }
        H5Tclose(t);
    }
    H5Aclose(a);
    return s;
}

int rp_h5r_attr_nums(rp_h5r *r, hid_t loc, const char *obj, const char *name,
                     int kind, hsize_t count, hid_t mtype, void *v,
                     int required)
{
    hid_t a = rp_h5r_open_attr(r, loc, obj, name, required);
    if (a < 0)
        return -1;
    int ok = rp_h5r_attr_shape_ok(r, a, obj, name, kind, count);
    if (ok && H5Aread(a, mtype, v) < 0) {
        char where[256];
        snprintf(where, sizeof where, "%s attribute %s", obj, name);
        rp_h5r_problem(r, where, "expected %s, found damaged data",
                       kind == RP_H5R_INT ? "integers" : "numbers");
        ok = 0;
    }
    H5Aclose(a);
    return ok ? 0 : -1;
}
