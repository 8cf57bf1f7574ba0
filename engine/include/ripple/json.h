/* JSON input helpers: parsing with file:line:column syntax errors and typed,
 * range-checked access that reports content errors by JSON path
 * ("net.json: nodes[3].capacity: must be a number > 0 (got -5)").
 * Built on cJSON. */
#ifndef RIPPLE_JSON_H
#define RIPPLE_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "ripple/bounds.h"
#include "ripple/error.h"

typedef struct rp_jctx {
    const char *file; /* label used in messages (as the user gave it) */
    rp_errors *err;
} rp_jctx;

/* Numeric constraint.  kind: 0 any real, 1 integer.  Bounds are ignored when
 * NaN.  lo_open/hi_open make the bound exclusive. */
typedef struct rp_range {
    double lo, hi;
    int lo_open, hi_open;
    int integer;
} rp_range;

extern const rp_range RP_ANY;        /* any finite number */
extern const rp_range RP_GE0;        /* >= 0 */
extern const rp_range RP_GT0;        /* > 0 */
extern const rp_range RP_UNIT;       /* [0, 1] */
extern const rp_range RP_UNIT_OPEN0; /* (0, 1] */
extern const rp_range RP_INT_GE0;    /* integer >= 0 */
extern const rp_range RP_INT_GE1;    /* integer >= 1 */
/* Every range is also held to what bounds.h allows any value: a bound
 * left open (NaN) means RP_MAX_MAGNITUDE for reals and RP_MAX_INT for
 * integers (and their negatives below).  This is the range with those
 * bounds filled in. */
rp_range rp_range_effective(rp_range r);

/* Read and parse a file.  Syntax errors: "FILE:LINE:COL: message". */
rp_status rp_json_read_file(const char *path, const char *label, cJSON **out,
                            rp_errors *err);
/* Parse text already in memory (label names it in messages). */
rp_status rp_json_parse(const char *label, const char *text, size_t len,
                        cJSON **out, rp_errors *err);

/* The same, the document held in a pool of large blocks instead of one
 * allocation per value (a large network: about a third less memory, and
 * faster).  Such a document is released with rp_json_pool_free(*pool),
 * never with cJSON_Delete, and nothing may be added to it or removed. */
typedef struct rp_json_pool rp_json_pool;
rp_status rp_json_read_file_pooled(const char *path, const char *label,
                                   cJSON **out, rp_json_pool **pool,
                                   rp_errors *err);
rp_status rp_json_parse_pooled(const char *label, const char *text, size_t len,
                               cJSON **out, rp_json_pool **pool,
                               rp_errors *err);
void rp_json_pool_free(rp_json_pool *pool);
/* The length of the text the pool's document was parsed from. */
size_t rp_json_pool_text_bytes(const rp_json_pool *pool);
/* The memory of a large allocation not yet written (n bytes at p) made
 * present at once, in 2 MiB pages where the kernel gives them on request,
 * instead of a page fault every 4 KiB as it is first written (on this
 * project's virtual machines a fault costs microseconds); the text read
 * and a network's arrays are made so.  Only a hint: below 2 MiB, or
 * where the kernel does not know the calls, nothing is done.  Writing to
 * memory already in use changes nothing in it. */
void rp_json_present(void *p, size_t n);
/* The number of items of array, an array of the pool's document, when
 * the parse kept it (it does for the longest ones, as a network's nodes
 * and edges); -1 when it did not, or pool is NULL: then count them. */
int rp_json_pool_array_size(const rp_json_pool *pool, const cJSON *array);
/* The bytes the pool's document takes in its blocks (what of them has
 * been touched). */
size_t rp_json_pool_bytes(const rp_json_pool *pool);

/* item's text as cJSON_PrintUnformatted prints it, byte for byte, written
 * faster (integers without snprintf, one buffer of hint + 1 bytes grown
 * only when short): a malloc'd string, its length in *len when len is not
 * NULL; NULL when out of memory or item holds what cJSON would not print
 * (a raw item without text, an unknown type). */
char *rp_json_print(const cJSON *item, size_t hint, size_t *len);

/* Report keys of obj not listed in allowed (NULL-terminated) and duplicate
 * keys.  Returns the number of problems reported. */
int rp_json_check_keys(rp_jctx *c, const cJSON *obj, const char *path,
                       const char *const *allowed);

/* rp_json_check_keys in the same single walk over obj's members that
 * finds them: slot[k] is set to the first member named allowed[k] (NULL
 * if there is none), so a caller reads each field without looking it up
 * again.  slot has as many entries as allowed has names. */
int rp_json_members(rp_jctx *c, const cJSON *obj, const char *path,
                    const char *const *allowed, const cJSON **slot);

/* Join a path and a key ("nodes[3]" + "capacity"). */
void rp_json_path(char *buf, size_t n, const char *path, const char *key);
void rp_json_index(char *buf, size_t n, const char *path, const char *key,
                   int i);
/* rp_json_index's text for index i when buf already holds the first plen
 * (< n) bytes of it (what rp_json_path(buf, n, path, key) writes): only
 * "[i]" is appended, cut as rp_json_index cuts.  For loops over the
 * items of one array. */
void rp_json_index_tail(char *buf, size_t n, size_t plen, int i);

/* Typed getters.  Return 1 if the key was present and valid, 0 if absent
 * (out set to dflt), -1 if invalid (error reported, out set to dflt).
 * required=1 reports a missing key as an error. */
int rp_json_number(rp_jctx *c, const cJSON *obj, const char *path,
                   const char *key, double *out, double dflt, rp_range r,
                   int required);
int rp_json_string(rp_jctx *c, const cJSON *obj, const char *path,
                   const char *key, const char **out, int required);
int rp_json_bool(rp_jctx *c, const cJSON *obj, const char *path,
                 const char *key, int *out, int dflt);
/* The same for a member already found (it: NULL when absent; key names
 * it in messages). */
int rp_json_number_item(rp_jctx *c, const cJSON *it, const char *path,
                        const char *key, double *out, double dflt, rp_range r,
                        int required);
int rp_json_string_item(rp_jctx *c, const cJSON *it, const char *path,
                        const char *key, const char **out, int required);
int rp_json_bool_item(rp_jctx *c, const cJSON *it, const char *path,
                      const char *key, int *out, int dflt);
/* Validate an already-fetched number item against a range. */
int rp_json_check_number(rp_jctx *c, const cJSON *item, const char *path,
                         double *out, rp_range r);
/* Report "FILE: PATH: must be WANT (got VALUE)"; returns -1. */
int rp_json_expected(rp_jctx *c, const cJSON *item, const char *path,
                     const char *want);
/* A number for messages: whole numbers up to 2^53 as integers, others in
 * the shortest form that reads back exactly. */
void rp_json_format_number(double v, char *buf, size_t n);
/* A short rendering of a value for messages ("-5", "\"abc\"", "an object"). */
void rp_json_brief(const cJSON *item, char *buf, size_t n);
/* Describe a range ("a number > 0", "an integer >= 1", "a number in [0, 1]").
 */
void rp_range_describe(rp_range r, char *buf, size_t n);

#endif
