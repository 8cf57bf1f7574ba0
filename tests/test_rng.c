/* engine/rng.c: Philox4x32-10 against Random123's known-answer vectors,
 * the GSL generator built on it, and stream keying. */
#include <gsl/gsl_randist.h>
#include <math.h>

#include "ripple/draws.h"
#include "testutil.h"

static void test_known_answers(void **st)
{
    (void)st;
    /* Random123 kat_vectors, "philox4x32 10" lines: ctr[4] key[2] -> out */
    const uint32_t v[3][10] = {
        {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
        {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
         0xffffffff, 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
        {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822,
         0x299f31d0, 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
    };
    for (int k = 0; k < 3; k++) {
        uint32_t out[4];
        rp_philox4x32_10(v[k], v[k] + 4, out);
        for (int i = 0; i < 4; i++)
            assert_int_equal(out[i], v[k][6 + i]);
    }
}

static void test_gsl_type_and_streams(void **st)
{
    (void)st;
    gsl_rng *a = gsl_rng_alloc(rp_rng_philox);
    gsl_rng *b = gsl_rng_alloc(rp_rng_philox);
    assert_string_equal(gsl_rng_name(a), "philox4x32-10");
    assert_true(gsl_rng_max(a) == 0xFFFFFFFFUL);
    /* stream (seed 7, rep 3, threat 1, target 9, onset): draws are the
     * Philox blocks of counter (i, 3, purpose << 16 | 1, 9) in order */
    rp_rng_stream(a, 7, 3, 1, 9, RP_DRAW_ONSET);
    uint32_t ctr[4] = {0, 3, (uint32_t)RP_DRAW_ONSET << 16 | 1, 9};
    uint32_t key[2] = {7, 0}, blk[4];
    for (uint32_t i = 0; i < 3; i++) {
        ctr[0] = i;
        rp_philox4x32_10(ctr, key, blk);
        for (int w = 0; w < 4; w++)
            assert_int_equal(gsl_rng_get(a), blk[w]);
    }
    /* the same stream again gives the same numbers; another target not */
    rp_rng_stream(a, 7, 3, 1, 9, RP_DRAW_ONSET);
    rp_rng_stream(b, 7, 3, 1, 9, RP_DRAW_ONSET);
    for (int i = 0; i < 100; i++)
        assert_true(gsl_rng_uniform(a) == gsl_rng_uniform(b));
    rp_rng_stream(b, 7, 3, 1, 10, RP_DRAW_ONSET);
    rp_rng_stream(a, 7, 3, 1, 9, RP_DRAW_ONSET);
    int same = 0;
    for (int i = 0; i < 100; i++)
        same += gsl_rng_get(a) == gsl_rng_get(b);
    assert_true(same < 3);
    /* high replication bits reach the counter */
    rp_rng_stream(a, 7, 3, 1, 9, RP_DRAW_ONSET);
    rp_rng_stream(b, 7, 3 + ((uint64_t)1 << 32), 1, 9, RP_DRAW_ONSET);
    assert_true(gsl_rng_get(a) != gsl_rng_get(b));
    gsl_rng_free(a);
    gsl_rng_free(b);
}

static void test_uniformity(void **st)
{
    (void)st;
    /* mean and variance of 10^6 uniforms, tolerance 5 standard errors */
    gsl_rng *r = gsl_rng_alloc(rp_rng_philox);
    rp_rng_stream(r, 1, 0, 0, 0, RP_DRAW_COUNT);
    const int n = 1000000;
    double s = 0, s2 = 0;
    for (int i = 0; i < n; i++) {
        double u = gsl_rng_uniform(r);
        s += u;
        s2 += u * u;
    }
    double mean = s / n, var = s2 / n - mean * mean;
    assert_true(fabs(mean - 0.5) < 5 * sqrt(1.0 / 12 / n));
    assert_true(fabs(var - 1.0 / 12) < 5 * sqrt(1.0 / 180 / n));
    /* random access uniforms lie strictly inside (0, 1) */
    double m2 = 0;
    for (uint32_t i = 0; i < 100000; i++) {
        double u = rp_rng_u01_at(1, 2, 3, 4, RP_DRAW_SPREAD, i);
        assert_true(u > 0 && u < 1);
        m2 += u;
    }
    assert_true(fabs(m2 / 100000 - 0.5) < 5 * sqrt(1.0 / 12 / 100000));
    /* GSL distributions draw from it: Poisson(3) mean */
    double ps = 0;
    for (int i = 0; i < 100000; i++)
        ps += gsl_ran_poisson(r, 3.0);
    assert_true(fabs(ps / 100000 - 3) < 5 * sqrt(3.0 / 100000));
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_gsl_type_and_streams),
        cmocka_unit_test(test_uniformity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
