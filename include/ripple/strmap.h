/* A string -> int hash map (open addressing, FNV-1a), for node ids.
 * Keys are borrowed, not copied: they must outlive the map. */
#ifndef RIPPLE_STRMAP_H
#define RIPPLE_STRMAP_H

#include <stddef.h>

typedef struct rp_strmap {
    size_t cap; /* power of two */
    size_t count;
    const char **keys; /* NULL = empty slot */
    int *vals;
} rp_strmap;

int rp_strmap_init(rp_strmap *m, size_t expected);
void rp_strmap_free(rp_strmap *m);
/* Insert key -> val.  Returns 1 if inserted, 0 if the key already existed
 * (*old set to its value), -1 on allocation failure. */
int rp_strmap_put(rp_strmap *m, const char *key, int val, int *old);
/* Value for key, or -1 when absent. */
int rp_strmap_get(const rp_strmap *m, const char *key);

#endif
