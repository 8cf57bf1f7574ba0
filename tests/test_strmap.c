/* engine/strmap.c: ids chosen to collide under the old unseeded FNV-1a
 * hash (all 80,000 in one slot of its table) are looked up in linear
 * time by the keyed hash, in the map and when a network is parsed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL
#define NIDS 80000
#define BITS 18 /* the old table's size for 80,000 ids: 2^18 slots */
#define IDLEN 16

static const char ALPHA[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

static uint64_t fnv_step(uint64_t h, unsigned char b)
{
    return (h ^ b) * FNV_PRIME;
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = FNV_OFFSET;
    for (; *s; s++)
        h = fnv_step(h, (unsigned char)*s);
    return h;
}

/* The inverse of an odd number modulo 2^64 (Newton's iteration). */
static uint64_t inverse(uint64_t a)
{
    uint64_t x = a;
    for (int i = 0; i < 6; i++)
        x *= 2 - a * x;
    return x;
}

/* n ids whose FNV-1a hashes agree in the low BITS bits: a prefix that
 * makes each one distinct, three free characters, and a last one that
 * lands on the target.  Returns a block of n strings of IDLEN bytes. */
static char *colliding_ids(int n)
{
    char *ids = calloc((size_t)n, IDLEN);
    assert_non_null(ids);
    const uint64_t mask = ((uint64_t)1 << BITS) - 1;
    const uint64_t u = (fnv1a("target") * inverse(FNV_PRIME)) & mask;
    const char *pos[256] = {0};
    for (const char *a = ALPHA; *a; a++)
        pos[(unsigned char)*a] = a;
    for (int i = 0; i < n; i++) {
        char *id = ids + (size_t)i * IDLEN;
        int len = snprintf(id, IDLEN, "c%d_", i);
        uint64_t s0 = fnv1a(id);
        int found = 0;
        for (int x = 0; x < 64 && !found; x++) {
            uint64_t s1 = fnv_step(s0, (unsigned char)ALPHA[x]);
            for (int y = 0; y < 64 && !found; y++) {
                uint64_t s2 = fnv_step(s1, (unsigned char)ALPHA[y]);
                for (int z = 0; z < 64 && !found; z++) {
                    uint64_t s3 = fnv_step(s2, (unsigned char)ALPHA[z]);
                    if (((s3 ^ u) & mask) >> 8 != 0)
                        continue;
                    unsigned char last = (unsigned char)((s3 ^ u) & 0xff);
                    if (pos[last] == NULL)
                        continue;
                    id[len] = ALPHA[x];
                    id[len + 1] = ALPHA[y];
                    id[len + 2] = ALPHA[z];
                    id[len + 3] = (char)last;
                    id[len + 4] = '\0';
                    found = 1;
                }
            }
        }
        assert_true(found);
    }
    /* they do collide under the old hash */
    uint64_t h0 = fnv1a(ids) & mask;
    for (int i = 1; i < n; i++)
        assert_true((fnv1a(ids + (size_t)i * IDLEN) & mask) == h0);
    return ids;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void test_map_colliding_ids(void **st)
{
    (void)st;
    char *ids = colliding_ids(NIDS);
    rp_strmap m;
    assert_int_equal(rp_strmap_init(&m, NIDS), 0);
    for (int i = 0; i < NIDS; i++) {
        int old;
        assert_int_equal(rp_strmap_put(&m, ids + (size_t)i * IDLEN, i, &old),
                         1);
    }
    /* the old hash passed n^2/2 = 3.2e9 occupied slots; a random hash at
     * half load passes about one per insertion */
    fprintf(stderr, "  %d colliding ids: %zu probes\n", NIDS, m.probes);
    assert_true(m.probes < (size_t)4 * NIDS);
    for (int i = 0; i < NIDS; i++)
        assert_int_equal(rp_strmap_get(&m, ids + (size_t)i * IDLEN), i);
    assert_int_equal(rp_strmap_get(&m, "absent"), -1);
    int old = -1;
    assert_int_equal(rp_strmap_put(&m, ids + 77 * IDLEN, 5, &old), 0);
    assert_int_equal(old, 77);
    rp_strmap_free(&m);
    free(ids);
}

/* Two maps hash differently (the key is random), and agree on answers. */
static void test_keys_differ(void **st)
{
    (void)st;
    rp_strmap a, b;
    assert_int_equal(rp_strmap_init(&a, 4), 0);
    assert_int_equal(rp_strmap_init(&b, 4), 0);
    assert_false(a.key[0] == b.key[0] && a.key[1] == b.key[1]);
    static const char *const k[] = {"S1", "M1", "C1", "x", ""};
    for (int i = 0; i < 5; i++) {
        int old;
        assert_int_equal(rp_strmap_put(&a, k[i], i, &old), 1);
        assert_int_equal(rp_strmap_put(&b, k[i], i, &old), 1);
    }
    for (int i = 0; i < 5; i++)
        assert_int_equal(rp_strmap_get(&a, k[i]), rp_strmap_get(&b, k[i]));
    rp_strmap_free(&a);
    rp_strmap_free(&b);
}

/* The file the audit wrote: a network of 80,000 such ids, with ten
 * strategies (each clones the network and its id map), validates in
 * about linear time: every network's id map passes about one occupied
 * slot an insertion, as above (the old hash took 100 s; the time is
 * printed, not asserted). */
static void test_network_colliding_ids(void **st)
{
    (void)st;
    char *ids = colliding_ids(NIDS);
    size_t cap = (size_t)NIDS * 64 + 4096, len = 0;
    char *txt = malloc(cap);
    assert_non_null(txt);
    len +=
        (size_t)snprintf(txt + len, cap - len,
                         "{\"horizon_days\": 10, \"network\": {\"nodes\": [");
    for (int i = 0; i < NIDS; i++)
        len += (size_t)snprintf(txt + len, cap - len,
                                "%s{\"id\": \"%s\", \"demand\": 1}",
                                i ? "," : "", ids + (size_t)i * IDLEN);
    len += (size_t)snprintf(txt + len, cap - len, "]}, \"strategies\": [");
    for (int k = 0; k < 10; k++)
        len +=
            (size_t)snprintf(txt + len, cap - len,
                             "%s{\"name\": \"s%d\", \"actions\": [{\"set\": "
                             "\"protection\", \"nodes\": {\"ids\": [\"%s\"]}, "
                             "\"value\": 0.5}]}",
                             k ? "," : "", k, ids + (size_t)k * IDLEN);
    len += (size_t)snprintf(txt + len, cap - len, "]}");
    assert_true(len < cap);
    double t0 = now_s();
    rp_scenario *s = NULL;
    rp_errors err;
    assert_int_equal(tu_parse(txt, &s, &err), RP_OK);
    assert_int_equal(s->n_strategies, 11);
    for (int k = 0; k < s->n_strategies; k++) {
        const rp_network *n =
            s->strategies[k].net ? s->strategies[k].net : s->net;
        rp_model *m = NULL;
        assert_int_equal(rp_model_build(n, &s->par, &m, &err), RP_OK);
        rp_model_free(m);
        assert_int_equal(rp_net_find(n, ids + 4321 * IDLEN), 4321);
        assert_true(n->ids.probes < (size_t)4 * NIDS);
    }
    double dt = now_s() - t0;
    fprintf(stderr, "  80,000 colliding ids, 10 strategies: %.2f s\n", dt);
    rp_scenario_free(s);
    free(txt);
    free(ids);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_colliding_ids),
        cmocka_unit_test(test_keys_differ),
        cmocka_unit_test(test_network_colliding_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
