/* A string -> int hash map: open addressing with linear probing, keyed by
 * SipHash-1-3 under a random key drawn for each map.
 *
 * Ids come from input files, so the hash must not be predictable: with a
 * fixed hash (FNV-1a before) anyone can write 80,000 ids that fall into
 * one slot and make every insertion walk all the others (quadratic: 9 s
 * instead of a quarter of one).  The key changes nothing a user sees: the
 * map only answers lookups, and nothing iterates over it in slot order
 * except grow(), which re-inserts. */
#define _GNU_SOURCE
#include "ripple/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static uint64_t rotl(uint64_t x, int b)
{
    return (x << b) | (x >> (64 - b));
}

#define SIPROUND                                                              \
    do {                                                                      \
        v0 += v1;                                                             \
        v1 = rotl(v1, 13);                                                    \
        v1 ^= v0;                                                             \
        v0 = rotl(v0, 32);                                                    \
        v2 += v3;                                                             \
        v3 = rotl(v3, 16);                                                    \
        v3 ^= v2;                                                             \
        v0 += v3;                                                             \
        v3 = rotl(v3, 21);                                                    \
        v3 ^= v0;                                                             \
        v2 += v1;                                                             \
        v1 = rotl(v1, 17);                                                    \
        v1 ^= v2;                                                             \
        v2 = rotl(v2, 32);                                                    \
    } while (0)

uint64_t rp_siphash13(const void *data, size_t len, uint64_t k0, uint64_t k1)
{
    const unsigned char *p = data;
    uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
    uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
    uint64_t v3 = 0x7465646279746573ULL ^ k1;
    size_t full = len & ~(size_t)7;
    for (size_t i = 0; i < full; i += 8) {
        uint64_t m = 0;
        for (int k = 7; k >= 0; k--)
            m = (m << 8) | p[i + (size_t)k];
        v3 ^= m;
        SIPROUND;
        v0 ^= m;
    }
    uint64_t b = (uint64_t)len << 56;
    for (size_t k = 0; k < (len & 7); k++)
        b |= (uint64_t)p[full + k] << (8 * k);
    v3 ^= b;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

/* 128 random bits for a map's key: the kernel's, or failing that the
 * clock, an address and a counter, mixed. */
static void new_key(uint64_t key[2])
{
    if (getrandom(key, 2 * sizeof *key, GRND_NONBLOCK) ==
        (ssize_t)(2 * sizeof *key))
        return;
    static uint64_t counter;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t seed[3] = {(uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30),
                        (uint64_t)(uintptr_t)key, ++counter};
    key[0] = rp_siphash13(seed, sizeof seed, 0x0123456789abcdefULL, 1);
    key[1] = rp_siphash13(seed, sizeof seed, 0xfedcba9876543210ULL, 2);
}

static size_t slot_of(const rp_strmap *m, const char *key)
{
    return (size_t)rp_siphash13(key, strlen(key), m->key[0], m->key[1]) &
           (m->cap - 1);
}

int rp_strmap_init(rp_strmap *m, size_t expected)
{
    size_t cap = 16;
    while (cap < expected * 2 + 1)
        cap *= 2;
    m->cap = cap;
    m->count = 0;
    m->probes = 0;
    new_key(m->key);
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
    n.probes = m->probes;
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
    size_t i = slot_of(m, key);
    while (m->keys[i] != NULL) {
        m->probes++;
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
    size_t i = slot_of(m, key);
    while (m->keys[i] != NULL) {
        if (strcmp(m->keys[i], key) == 0)
            return m->vals[i];
        i = (i + 1) & mask;
    }
    return -1;
}
