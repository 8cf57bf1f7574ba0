/* Checked reading of HDF5 results files, shared by `ripple inspect` and
 * `ripple report`: every problem is reported as `FILE: OBJECT: expected
 * ..., found ...` into an rp_errors, and marks the reader bad, so that the
 * caller prints nothing of a damaged file. */
#ifndef RIPPLE_APP_H5READ_H
#define RIPPLE_APP_H5READ_H

#include <hdf5.h>
#include <stdint.h>

#include "ripple/error.h"

/* Longest string read (a node id, a command line...). */
#define RP_H5R_MAX_STR ((size_t)1 << 20)

typedef struct rp_h5r {
    const char *path; /* the file, for messages */
    hid_t file;
    rp_errors *err;
    int bad;        /* a problem was reported */
    uint64_t fsize; /* bytes of the file */
} rp_h5r;

/* What values a dataset or attribute must hold. */
enum rp_h5r_kind {
    RP_H5R_FLOAT, /* 32- or 64-bit floating point */
    RP_H5R_INT,   /* integers of 1 to 8 bytes */
    RP_H5R_STR,   /* variable-length strings */
    RP_H5R_NUM    /* either of the first two */
};
extern const char *const rp_h5r_kind_words[];

/* Open `path` read-only after checking it is a regular HDF5 file (its size
 * in r->fsize); RP_OK, or an input error naming the file. */
rp_status rp_h5r_open(rp_h5r *r, const char *path, rp_errors *err);

/* RP_OK, or an input error naming the file when a global heap collection
 * of the regular file `path` is not whole (HDF5 1.10 loops forever or
 * reads past its buffer on some such files): rp_h5r_open checks it, and
 * whoever reads a file with the HDF5 library before that calls it first.
 * A file that cannot be opened, or is not a regular file, passes (the
 * reader says why). */
rp_status rp_h5r_check_heaps(const char *path, rp_errors *err);

void rp_h5r_problem(rp_h5r *r, const char *obj, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

hid_t rp_h5r_utf8_type(void);
void rp_h5r_type_words(hid_t t, char *b, size_t n);
int rp_h5r_type_is(hid_t t, int kind);
void rp_h5r_shape_words(char *b, size_t n, int rank, const hsize_t *d);

/* Is every component of `p` a hard link that exists?  Silent. */
int rp_h5r_exists(rp_h5r *r, const char *p);
/* The same, reporting what is missing; `what` names the last component
 * ("a group", "a dataset"). */
int rp_h5r_reachable(rp_h5r *r, const char *p, const char *what);
/* Open `p` as an object of type `want` (H5I_GROUP or H5I_DATASET). */
hid_t rp_h5r_open_obj(rp_h5r *r, const char *p, H5I_type_t want);
/* Open dataset `p` of `kind` and `rank` dimensions `want` (a 0 in want:
 * any size above 0, stored in want). */
hid_t rp_h5r_open_sized(rp_h5r *r, const char *p, int kind, int rank,
                        hsize_t *want);

/* Values of an open numeric dataset of n elements, as doubles. */
double *rp_h5r_read_f64(rp_h5r *r, const char *p, hid_t d, hsize_t n);
/* Strings of an open 1-D string dataset of n elements: all present, each
 * at most RP_H5R_MAX_STR bytes, together no larger than the file.  Free
 * with rp_h5r_free_strs. */
char **rp_h5r_read_strs(rp_h5r *r, const char *p, hid_t d, hsize_t n);
void rp_h5r_free_strs(char **v, size_t n);

/* Attribute `name` of `loc` (object path `obj`, for messages); -1 when
 * absent (reported when required) or wrong (reported). */
hid_t rp_h5r_open_attr(rp_h5r *r, hid_t loc, const char *obj, const char *name,
                       int required);
/* Does attribute a hold `kind` values, `count` of them (0: one value, a
 * scalar or an array of one)? */
int rp_h5r_attr_shape_ok(rp_h5r *r, hid_t a, const char *obj, const char *name,
                         int kind, hsize_t count);
/* A single string attribute (NULL when missing or wrong; free with
 * H5free_memory). */
char *rp_h5r_attr_str(rp_h5r *r, hid_t loc, const char *obj, const char *name,
                      int required);
/* `count` values (0: one) of `kind` of an attribute, read as `mtype` into
 * v; 0, or -1 when absent or wrong. */
int rp_h5r_attr_nums(rp_h5r *r, hid_t loc, const char *obj, const char *name,
                     int kind, hsize_t count, hid_t mtype, void *v,
                     int required);

#endif
