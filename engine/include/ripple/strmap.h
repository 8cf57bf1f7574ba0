/* A string -> int hash map (open addressing, SipHash-1-3 under a random
 * key per map, so that no input can make ids collide on purpose), for
 * the ids of an input.  Keys are borrowed, not copied: they must outlive the
 * map. */
#ifndef RIPPLE_STRMAP_H
#define RIPPLE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct rp_strmap {
    size_t cap; /* power of two */
    size_t count;
    const char **keys; /* NULL = empty slot */
    int *vals;
    uint64_t key[2]; /* the hash key, random */
    size_t probes;   /* occupied slots passed by insertions (for tests) */
} rp_strmap;

int rp_strmap_init(rp_strmap *m, size_t expected);
void rp_strmap_free(rp_strmap *m);
/* Insert key -> val.  Returns 1 if inserted, 0 if the key already existed
 * (*old set to its value), -1 on allocation failure. */
int rp_strmap_put(rp_strmap *m, const char *key, int val, int *old);
/* Value for key, or -1 when absent. */
int rp_strmap_get(const rp_strmap *m, const char *key);
/* SipHash-1-3 of len bytes under the key (k0, k1). */
uint64_t rp_siphash13(const void *data, size_t len, uint64_t k0, uint64_t k1);

#endif
