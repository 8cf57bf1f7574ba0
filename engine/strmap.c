#include "ripple/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

int rp_strmap_init(rp_strmap *m, size_t expected)
{
    size_t cap = 16;
    while (cap < expected * 2 + 1)
        cap *= 2;
    m->cap = cap;
    m->count = 0;
    m->keys = calloc(cap, sizeof *m->keys);
    m->vals = calloc(cap, sizeof *m->vals);
    if (m->keys == NULL || m->vals == NULL) {
        rp_strmap_free(m);
        return -1;
    }
    return 0;
}

void rp_strmap_free(rp_strmap *m)
{
    free(m->keys);
    free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->count = 0;
}

static int grow(rp_strmap *m)
{
    rp_strmap n;
    if (rp_strmap_init(&n, m->cap) != 0)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] != NULL) {
            int dummy;
            rp_strmap_put(&n, m->keys[i], m->vals[i], &dummy);
        }
    }
    rp_strmap_free(m);
    *m = n;
    return 0;
}

int rp_strmap_put(rp_strmap *m, const char *key, int val, int *old)
{
    if ((m->count + 1) * 2 > m->cap && grow(m) != 0)
        return -1;
    size_t mask = m->cap - 1;
    size_t i = (size_t)hash_str(key) & mask;
    while (m->keys[i] != NULL) {
        if (strcmp(m->keys[i], key) == 0) {
            *old = m->vals[i];
            return 0;
        }
        i = (i + 1) & mask;
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->count++;
    return 1;
}

int rp_strmap_get(const rp_strmap *m, const char *key)
{
    if (m->cap == 0)
        return -1;
    size_t mask = m->cap - 1;
    size_t i = (size_t)hash_str(key) & mask;
    while (m->keys[i] != NULL) {
        if (strcmp(m->keys[i], key) == 0)
            return m->vals[i];
        i = (i + 1) & mask;
    }
    return -1;
}
