/* engine/resources.c: the thread cap, inputs that are not regular files,
 * the memory available and the estimate of a run and a stress test. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include <omp.h>

#include "ripple/resources.h"
#include "ripple/sc_memory.h"

/* tests/data/resources_chain.json over T days, R replications, with
 * hazards at S and M at `rate` a year and one scripted outage. */
static rp_scenario *scen(int T, int R, double rate)
{
    char *t = tu_read_with(
        "resources_chain.json",
        "\"horizon_days\": %d, \"replications\": %d, \"threats\": "
        "[{\"type\": \"node_hazard\", \"nodes\": {\"ids\": [\"S\", \"M\"]}, "
        "\"rate_per_year\": %g, \"duration\": 3}, {\"type\": \"scripted\", "
        "\"node\": \"S\", \"onset\": 3, \"duration\": 4}]",
        T, R, rate);
    rp_errors err;
    rp_scenario *s = NULL;
    assert_int_equal(tu_parse(t, &s, &err), RP_OK);
    free(t);
    return s;
}

static void test_thread_cap(void **st)
{
    (void)st;
    int cap = rp_thread_cap();
    assert_true(cap >= 8 && cap <= RP_MAX_THREADS);
    assert_true(cap >= omp_get_num_procs() || cap == RP_MAX_THREADS);
}

static void test_inputs(void **st)
{
    (void)st;
    char dir[] = "/tmp/ripple_res_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char fifo[256], file[256];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(file, sizeof file, "%s/f.json", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("{\"twenty bytes\": 1}\n", f);
    fclose(f);
    rp_errors err;
    rp_err_init(&err);
    size_t size = 0;
    /* a FIFO nobody writes to: refused at once, not waited on */
    assert_int_equal(rp_input_open(fifo, "the fifo", 0, &size, &err), -1);
    assert_true(tu_err_has(&err, "the fifo: is a FIFO (named pipe), not a "
                                 "regular file"));
    assert_int_equal(rp_input_open(dir, "d", 0, &size, &err), -1);
    assert_true(tu_err_has(&err, "d: is a directory, not a file"));
    assert_int_equal(rp_input_open("/dev/zero", "z", 0, &size, &err), -1);
    assert_true(tu_err_has(&err, "z: is a device, not a regular file"));
    assert_int_equal(rp_input_check(file, "small", 10, &err), -1);
    assert_true(tu_err_has(&err, "small: is 20 bytes; input files are "
                                 "limited to 10 bytes (10 bytes)"));
    int fd = rp_input_open(file, "ok", 20, &size, &err);
    assert_true(fd >= 0);
    assert_int_equal(size, 20);
    close(fd);
    /* through the JSON reader too */
    cJSON *doc = NULL;
    rp_err_init(&err);
    assert_int_equal(rp_json_read_file(fifo, fifo, &doc, &err), RP_EINPUT);
    assert_null(doc);
    unlink(fifo);
    unlink(file);
    rmdir(dir);
}

static void test_available(void **st)
{
    (void)st;
    char src[128];
    setenv("RIPPLE_MAX_MEMORY", "64M", 1);
    double a = rp_mem_available(src, sizeof src);
    /* what the limit leaves beside what the process holds */
    assert_true(a >= 0 && a <= 64.0 * 1048576);
    assert_string_equal(src, "what RIPPLE_MAX_MEMORY leaves");
    setenv("RIPPLE_MAX_MEMORY", "1.5TiB", 1);
    a = rp_mem_available(src, sizeof src);
    assert_true(a > 0 && a <= 1.5 * 1099511627776.0);
    setenv("RIPPLE_MAX_MEMORY", "lots", 1); /* not a size: ignored */
    double b = rp_mem_available(src, sizeof src);
    assert_true(b > 0 && strcmp(src, "what RIPPLE_MAX_MEMORY leaves") != 0);
    unsetenv("RIPPLE_MAX_MEMORY");
    assert_true(rp_mem_resident() > 0);
    char buf[32];
    rp_mem_format(1536.0 * 1048576, buf, sizeof buf);
    assert_string_equal(buf, "1.5 GiB");
    rp_mem_format(100, buf, sizeof buf);
    assert_string_equal(buf, "100 bytes");
}

static void test_events_bound(void **st)
{
    (void)st;
    /* 365 a year on two nodes for a year: 730 on average, and the
     * scripted event */
    rp_scenario *s = scen(365, 10, 365);
    double b = rp_events_bound(s);
    assert_true(b >= 731 + 6 * sqrt(730) && b < 1000);
    rp_scenario_free(s);
    s = scen(36500, 10, 3650); /* a century of ten a day on each */
    assert_true(rp_events_bound(s) > 730000);
    rp_scenario_free(s);
}

/* A regional threat's expected events count the nodes of each region it
 * lists: tallied by region in a small table, or, with more distinct
 * regions than that table holds, node by node. */
static void test_events_regional(void **st)
{
    (void)st;
    /* 600 nodes, node i in region "r<i % k>"; a regional threat on r1 and
     * r3 at 2 a year for a year */
    const int ks[3] = {4, 100, 600};
    for (int q = 0; q < 3; q++) {
        const int k = ks[q];
        size_t n = 0;
        char *t = malloc(600 * 64 + 512);
        assert_non_null(t);
        n += (size_t)sprintf(t + n, "{\"horizon_days\": 365, \"network\": "
                                    "{\"nodes\": [");
        for (int i = 0; i < 600; i++)
            n += (size_t)sprintf(
                t + n, "%s{\"id\": \"n%d\", \"region\": \"r%d\"%s}",
                i ? ", " : "", i, i % k, i == 599 ? ", \"demand\": 1" : "");
        sprintf(t + n, "], \"edges\": []}, \"threats\": [{"
                       "\"type\": \"regional\", \"regions\": "
                       "[\"r1\", \"r3\"], \"rate_per_year\": 2, "
                       "\"duration\": 3}]}");
        rp_errors err;
        rp_scenario *s = NULL;
        assert_int_equal(tu_parse(t, &s, &err), RP_OK);
        free(t);
        /* r1 and r3 hold 600 / k nodes each */
        assert_true(fabs(rp_events_mean(s) - 2 * 2 * (600.0 / k)) < 1e-9);
        rp_scenario_free(s);
    }
}

/* The parts follow the run's sizes: replications x days of daily service
 * levels, threads x workspaces, threads x lanes x events. */
static void test_plan(void **st)
{
    (void)st;
    rp_scenario *s = scen(365, 1000, 1);
    rp_errors err;
    rp_err_init(&err);
    rp_model *m = NULL;
    assert_int_equal(rp_model_build(s->net, &s->par, &m, &err), RP_OK);
    double ws = (double)rp_flow_ws_bytes(m, RP_LANES, s->horizon);
    rp_mem_plan a, b;
    rp_mem_plan_run(s, 1, RP_LANES, ws, rp_model_bytes(m), &a);
    rp_mem_plan_run(s, 4, RP_LANES, ws, rp_model_bytes(m), &b);
    assert_true(a.part[RP_MEM_DAILY] == 1000.0 * 365 * 8);
    assert_true(fabs(b.part[RP_MEM_WORKSPACE] - 4 * a.part[RP_MEM_WORKSPACE]) <
                1);
    assert_true(b.part[RP_MEM_EVENTS] == 4 * a.part[RP_MEM_EVENTS]);
    assert_true(a.part[RP_MEM_RESULTS] >= 3.0 * 1000 * sizeof(rp_metrics));
    assert_true(b.peak >= a.peak && a.peak == a.held + a.phase_bytes);
    char line[1024];
    rp_mem_plan_describe(&a, line, sizeof line);
    assert_non_null(strstr(line, "for a run (1,000 replications x 365 days x "
                                 "3 strategies, 1 thread x 8 lanes)"));
    /* refused when it does not fit, naming what to lower */
    s->replications = RP_MAX_REPLICATIONS;
    rp_mem_plan_run(s, 2, RP_LANES, ws, rp_model_bytes(m), &a);
    assert_int_equal(rp_mem_plan_check(&a, &err), -1);
    assert_true(tu_err_has(&err, "not enough memory: this run needs about"));
    assert_true(tu_err_has(&err, "use fewer replications (-r)"));
    rp_mem_plan sp;
    rp_mem_plan_stress(s, 2, RP_LANES, ws,
                       (double)rp_flow_ws_bytes(m, 1, s->horizon),
                       rp_model_bytes(m), &sp);
    assert_int_equal(rp_mem_plan_check(&sp, &err), 0);
    rp_model_free(m);
    rp_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thread_cap),
        cmocka_unit_test(test_inputs),
        cmocka_unit_test(test_available),
        cmocka_unit_test(test_events_bound),
        cmocka_unit_test(test_events_regional),
        cmocka_unit_test(test_plan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
