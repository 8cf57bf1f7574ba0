/* rp_run's promise of reproducibility, without Python: the same scenario
 * and seed give the same results file, dataset for dataset and bit for
 * bit, for 1, 2 and 7 threads and after a run stopped part-way is resumed
 * from its checkpoint (every threat type, four strategies, the risk
 * register and the event log of tests/data/all_threats.json), and for 1
 * and 8 lanes.  The Python read-back test checks the same through the
 * command line. */
#define _POSIX_C_SOURCE 200809L
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ripple/flow.h"
#include "ripple/h5out.h"
#include "ripple/register.h"
#include "testutil.h"

/* Run the scenario with these options and write the results file PATH;
 * returns rp_run's status (the file is written only on RP_OK). */
static rp_status run_to(const rp_scenario *s, const rp_run_opts *o,
                        const char *path)
{
    rp_errors err;
    rp_err_init(&err);
    rp_results *r = NULL;
    rp_status st = rp_run(s, o, &r, &err);
    for (int i = 0; i < err.count; i++)
        fprintf(stderr, "  %s\n", err.msg[i]);
    if (st == RP_OK) {
        rp_h5_meta meta = {"test_run", o->threads, 1};
        assert_int_equal(rp_h5_write_run(path, s, r, &meta, &err), RP_OK);
    }
    rp_results_free(r);
    return st;
}

static rp_run_opts opts(int threads)
{
    rp_run_opts o = {.threads = threads, .reg = RP_REG_MARGINAL, .events = 1};
    return o;
}

typedef struct {
    hid_t other;   /* the file compared with */
    int datasets;  /* datasets compared */
    int different; /* datasets that differ */
} cmp_ctx;

/* The values of dataset d as bytes (variable-length strings as their
 * characters, each ended by its NUL); *n their count. */
static char *values(hid_t d, size_t *n)
{
    hid_t ft = H5Dget_type(d), sp = H5Dget_space(d);
    hssize_t cnt = H5Sget_simple_extent_npoints(sp);
    assert_true(cnt >= 0);
    char *out = NULL;
    if (H5Tget_class(ft) == H5T_STRING && H5Tis_variable_str(ft) > 0) {
        hid_t mt = H5Tcopy(ft); /* its character set too */
        char **s = calloc((size_t)cnt + 1, sizeof *s);
        assert_non_null(s);
        assert_true(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, s) >= 0);
        size_t len = 0;
        for (hssize_t i = 0; i < cnt; i++)
            len += strlen(s[i] ? s[i] : "") + 1;
        out = malloc(len + 1);
        assert_non_null(out);
        *n = 0;
        for (hssize_t i = 0; i < cnt; i++) {
            size_t k = strlen(s[i] ? s[i] : "") + 1;
            memcpy(out + *n, s[i] ? s[i] : "", k);
            *n += k;
        }
        H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, s);
        free(s);
        H5Tclose(mt);
    } else {
        hid_t mt = H5Tget_native_type(ft, H5T_DIR_ASCEND);
        *n = (size_t)cnt * H5Tget_size(mt);
        out = malloc(*n + 1);
        assert_non_null(out);
        if (cnt > 0)
            assert_true(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, out) >=
                        0);
        H5Tclose(mt);
    }
    H5Sclose(sp);
    H5Tclose(ft);
    return out;
}

/* H5Ovisit callback: dataset NAME of the first file against the other. */
static herr_t cmp_one(hid_t root, const char *name, const H5O_info_t *info,
                      void *vc)
{
    cmp_ctx *c = vc;
    if (info->type != H5O_TYPE_DATASET)
        return 0;
    c->datasets++;
    hid_t a = H5Dopen2(root, name, H5P_DEFAULT);
    hid_t b = H5Lexists(c->other, name, H5P_DEFAULT) > 0
                  ? H5Dopen2(c->other, name, H5P_DEFAULT)
                  : H5I_INVALID_HID;
    int same = 0;
    if (a >= 0 && b >= 0) {
        size_t na, nb;
        char *va = values(a, &na), *vb = values(b, &nb);
        same = na == nb && memcmp(va, vb, na) == 0;
        free(va);
        free(vb);
    }
    if (!same) {
        c->different++;
        fprintf(stderr, "  /%s differs\n", name);
    }
    if (a >= 0)
        H5Dclose(a);
    if (b >= 0)
        H5Dclose(b);
    return 0;
}

/* Every dataset of file A is in file B with the same values; returns how
 * many were compared (the test fails on any difference). */
static int same_datasets(const char *pa, const char *pb)
{
    hid_t a = H5Fopen(pa, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t b = H5Fopen(pb, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(a >= 0 && b >= 0);
    cmp_ctx c = {b, 0, 0};
    assert_true(H5Ovisit2(a, H5_INDEX_NAME, H5_ITER_INC, cmp_one, &c,
                          H5O_INFO_BASIC) >= 0);
    H5Fclose(a);
    H5Fclose(b);
    assert_int_equal(c.different, 0);
    return c.datasets;
}

/* A temporary path (the file itself removed: the writers create it). */
static void tmp_path(char *path, size_t n, const char *tag)
{
    snprintf(path, n, "/tmp/ripple_test_run_%s_XXXXXX", tag);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
}

static void test_threads_same_bits(void **st)
{
    (void)st;
    rp_scenario *s = tu_load("all_threats.json");
    char p1[64], p2[64], p7[64];
    tmp_path(p1, sizeof p1, "j1");
    tmp_path(p2, sizeof p2, "j2");
    tmp_path(p7, sizeof p7, "j7");
    rp_run_opts o1 = opts(1), o2 = opts(2), o7 = opts(7);
    assert_int_equal(run_to(s, &o1, p1), RP_OK);
    assert_int_equal(run_to(s, &o2, p2), RP_OK);
    assert_int_equal(run_to(s, &o7, p7), RP_OK);
    /* every group is there: replication, summary, timeseries, node,
     * network, comparison, register, events ... */
    assert_true(same_datasets(p1, p2) > 60);
    assert_true(same_datasets(p1, p7) > 60);
    /* and nothing more in the others */
    same_datasets(p7, p1);
    unlink(p1);
    unlink(p2);
    unlink(p7);
    rp_scenario_free(s);
}

/* Groups smaller than the lanes: 6 replications on 2 threads run as two
 * groups (4 and 2, in the RP_HALF-lane loop), on 1 thread as one group of
 * 8 lanes with 6 used, and with --lanes 1 one by one: the same bits. */
static void test_small_groups_same_bits(void **st)
{
    (void)st;
    rp_scenario *s = tu_load("all_threats.json");
    s->replications = 6;
    char p1[64], p2[64], p8[64];
    tmp_path(p1, sizeof p1, "g1");
    tmp_path(p2, sizeof p2, "g2");
    tmp_path(p8, sizeof p8, "g8");
    rp_run_opts o1 = opts(1), o2 = opts(2), o8 = opts(1);
    o1.lanes = 1;
    o2.lanes = o8.lanes = RP_LANES;
    assert_int_equal(run_to(s, &o1, p1), RP_OK);
    assert_int_equal(run_to(s, &o2, p2), RP_OK);
    assert_int_equal(run_to(s, &o8, p8), RP_OK);
    assert_true(same_datasets(p1, p2) > 60);
    assert_true(same_datasets(p1, p8) > 60);
    unlink(p1);
    unlink(p2);
    unlink(p8);
    rp_scenario_free(s);
}

static void test_resume_same_bits(void **st)
{
    (void)st;
    rp_scenario *s = tu_load("all_threats.json");
    char ref[64], out[64], ckpt[64];
    tmp_path(ref, sizeof ref, "ref");
    tmp_path(out, sizeof out, "res");
    tmp_path(ckpt, sizeof ckpt, "ckpt");
    rp_run_opts o = opts(2);
    assert_int_equal(run_to(s, &o, ref), RP_OK);
    /* stopped after 700 of 4 x 300 replications: a checkpoint, no file
     * (in eight lanes, resumed below in one: lanes are no part of a run's
     * identity, as they change no result) */
    o.checkpoint = ckpt;
    o.lanes = RP_LANES;
    o.stop_after = 700;
    {
        rp_errors err;
        rp_err_init(&err);
        rp_results *r = NULL;
        assert_int_equal(rp_run(s, &o, &r, &err), RP_ESTOPPED);
        /* counts grouped as in every line meant for a reader (where it
         * stops, at 700 or past it, depends on the threads' groups) */
        assert_true(tu_err_has(&err, "stopped after "));
        assert_true(
            tu_err_has(&err, " of 1,200 replications; the checkpoint"));
        rp_results_free(r);
    }
    assert_int_equal(access(out, F_OK), -1);
    assert_int_equal(access(ckpt, F_OK), 0);
    /* another seed is another run: its checkpoint is refused */
    o.stop_after = 0;
    o.resume = 1;
    uint64_t seed = s->seed;
    s->seed = seed + 1;
    assert_int_equal(run_to(s, &o, out), RP_EINPUT);
    s->seed = seed;
    /* resumed with 3 threads and one lane: the uninterrupted run's
     * datasets */
    o.threads = 3;
    o.lanes = 1;
    assert_int_equal(run_to(s, &o, out), RP_OK);
    assert_true(same_datasets(ref, out) > 60);
    same_datasets(out, ref);
    unlink(ref);
    unlink(out);
    unlink(ckpt);
    rp_scenario_free(s);
}

/* A replication gives the same bits alone (one lane) as in a block of
 * four or eight (four: the lanes chosen when eight copies of the state do
 * not fit the memory), in the sparse loop too (where nodes snap back to their
 * baseline lane by lane): every threat type (all_threats), standby suppliers
 * two tiers deep (health_deep), and a 2,025-node network that runs sparse by
 * itself (Willems 38), each by default and with the sparse loop forced. */
static void test_lanes_same_bits(void **st)
{
    (void)st;
    const char *files[] = {"all_threats.json", "health_deep.json",
                           "../../scenarios/willems38.json"};
    for (int f = 0; f < 3; f++) {
        rp_scenario *s = tu_load(files[f]);
        /* two full blocks of eight lanes and a part one (and a test that
         * stays short under the sanitizers) */
        s->replications = 20;
        for (int mode = RP_FLOW_AUTO; mode <= RP_FLOW_SPARSE;
             mode += RP_FLOW_SPARSE) {
            char p1[64], p4[64], p8[64];
            tmp_path(p1, sizeof p1, "l1");
            tmp_path(p4, sizeof p4, "l4");
            tmp_path(p8, sizeof p8, "l8");
            rp_run_opts o1 = opts(2), o4 = opts(2), o8 = opts(2);
            o1.lanes = 1;
            o4.lanes = RP_HALF;
            o8.lanes = RP_LANES;
            o1.dense = o4.dense = o8.dense = mode;
            assert_int_equal(run_to(s, &o1, p1), RP_OK);
            assert_int_equal(run_to(s, &o4, p4), RP_OK);
            assert_int_equal(run_to(s, &o8, p8), RP_OK);
            if (same_datasets(p1, p8) <= 60)
                fail_msg("%s, mode %d: 1 and 8 lanes differ", files[f], mode);
            if (same_datasets(p1, p4) <= 60)
                fail_msg("%s, mode %d: 1 and 4 lanes differ", files[f], mode);
            unlink(p1);
            unlink(p4);
            unlink(p8);
        }
        rp_scenario_free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_same_bits),
        cmocka_unit_test(test_small_groups_same_bits),
        cmocka_unit_test(test_resume_same_bits),
        cmocka_unit_test(test_lanes_same_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
