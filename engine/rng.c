/* Counter-based random streams (ripple/rng.h): Philox4x32-10 as a GSL
 * generator, one stream per (seed, replication, source, target, purpose). */
#include "ripple/rng.h"

#include <string.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

void rp_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2],
                      uint32_t out[4])
{
    uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
    uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; round++) {
        if (round > 0) {
            k0 += PHILOX_W0;
            k1 += PHILOX_W1;
        }
        uint64_t p0 = (uint64_t)PHILOX_M0 * c0;
        uint64_t p1 = (uint64_t)PHILOX_M1 * c2;
        uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
        uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

typedef struct {
    uint32_t key[2];
    uint32_t ctr[4];
    uint32_t buf[4];
    int used; /* words of buf consumed; 4 = refill */
} philox_state;

static void stream_ctr(uint32_t ctr[4], uint64_t replication, uint32_t source,
                       uint32_t target, uint32_t purpose)
{
    ctr[0] = 0; /* draw block index */
    ctr[1] = (uint32_t)replication;
    ctr[2] = ((uint32_t)(replication >> 32) & 0xFFu) << 24 |
             (purpose & 0xFFu) << 16 | (source & 0xFFFFu);
    ctr[3] = target;
}

static unsigned long philox_get(void *vs)
{
    philox_state *s = vs;
    if (s->used >= 4) {
        rp_philox4x32_10(s->ctr, s->key, s->buf);
        s->ctr[0]++;
        s->used = 0;
    }
    return s->buf[s->used++];
}

static double philox_get_double(void *vs)
{
    return (double)philox_get(vs) / 4294967296.0;
}

static void philox_set(void *vs, unsigned long seed)
{
    philox_state *s = vs;
    memset(s, 0, sizeof *s);
    s->key[0] = (uint32_t)seed;
    s->key[1] = (uint32_t)((uint64_t)seed >> 32);
    s->used = 4;
}

static const gsl_rng_type philox_type = {
    "philox4x32-10", 0xFFFFFFFFUL,     0, sizeof(philox_state), philox_set,
    philox_get,      philox_get_double};

const gsl_rng_type *rp_rng_philox = &philox_type;

void rp_rng_stream(gsl_rng *r, uint64_t seed, uint64_t replication,
                   uint32_t source, uint32_t target, uint32_t purpose)
{
    philox_state *s = r->state;
    s->key[0] = (uint32_t)seed;
    s->key[1] = (uint32_t)(seed >> 32);
    stream_ctr(s->ctr, replication, source, target, purpose);
    s->used = 4;
}

void rp_rng_substream(gsl_rng *r, uint64_t seed, uint64_t replication,
                      uint32_t source, uint32_t target, uint32_t purpose,
                      uint32_t sub)
{
    rp_rng_stream(r, seed, replication, source, target, purpose);
    philox_state *s = r->state;
    s->ctr[0] = (sub & 0xFFFFu) << 16;
}

double rp_rng_u01_at(uint64_t seed, uint64_t replication, uint32_t source,
                     uint32_t target, uint32_t purpose, uint32_t index)
{
    uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
    uint32_t ctr[4], out[4];
    stream_ctr(ctr, replication, source, target, purpose);
    ctr[0] = index;
    rp_philox4x32_10(ctr, key, out);
    uint64_t bits = ((uint64_t)out[0] << 21) | ((uint64_t)out[1] >> 11);
    return ((double)bits + 0.5) / 9007199254740992.0;
}
