/* Small helpers shared by the modules. */
#ifndef RIPPLE_UTIL_H
#define RIPPLE_UTIL_H

#include <stddef.h>

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

#endif
