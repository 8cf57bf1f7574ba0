/* Small helpers shared by the modules. */
#ifndef RIPPLE_UTIL_H
#define RIPPLE_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* p = calloc(n, sizeof *p), at least one element; on failure run
 * `on_fail` (a statement: goto, return...). */
#define RP_CALLOC_OR(p, n, on_fail)                                           \
    do {                                                                      \
        size_t n_ = (size_t)(n);                                              \
        (p) = calloc(n_ ? n_ : 1, sizeof *(p));                               \
        if ((p) == NULL) {                                                    \
            on_fail;                                                          \
        }                                                                     \
    } while (0)

/* strdup for C11; NULL on allocation failure. */
char *rp_strdup(const char *s);

/* The UTF-8 sequence at s (n bytes left): its length (1-4) with the code
 * point in *cp, or 0 when it is not UTF-8 (a stray continuation byte, an
 * overlong form, a surrogate, past U+10FFFF, cut short). */
int rp_utf8_next(const char *s, size_t n, uint32_t *cp);
/* C0 controls, DEL and C1 controls (U+0080-U+009F): characters that can
 * steer a terminal when printed. */
int rp_is_control(uint32_t cp);
/* s made safe to print into out (n bytes, always terminated): control
 * characters as \n, \t, \r, \x1b or \u0085, bytes that are not UTF-8 as
 * \xff; cut at a whole character when it does not fit. */
void rp_escape(const char *s, char *out, size_t n);
/* rp_escape of the `len` bytes at s, which may hold NUL bytes (written
 * \x00): text that is not a C string, such as a CSV cell. */
void rp_escape_n(const char *s, size_t len, char *out, size_t n);

/* Does text[0..len) begin with a UTF-16 byte-order mark?  1 little-endian,
 * 2 big-endian, 0 not (input files must be UTF-8: such a file is refused
 * as what it is rather than by its first odd byte). */
int rp_utf16_bom(const char *text, size_t len);

/* v as every human-readable text shows a count (nodes, edges,
 * replications, warnings): from 1,000 on with a comma before each group
 * of three digits ("319,339", "-2,300"; "999" as it is), into b (n
 * bytes; 28 are always enough, shorter is cut); returns b.  Machine-
 * readable output (CSV, JSON, HDF5) keeps plain digits. */
char *rp_count_str(char *b, size_t n, long long v);
/* rp_count_str into a buffer that lives to the end of the enclosing
 * block: RP_COUNT(m->N) as a "%s" argument, several in one printf. */
#define RP_COUNT(v) rp_count_str((char[28]){0}, 28, (long long)(v))

#endif
