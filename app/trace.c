/* `ripple trace`: one replication day by day.
 *
 * The replication is the one `ripple run` simulates: the strategy's model
 * from rp_run_model and the events from rp_run_events (the same streams,
 * keyed by seed and replication number), so its totals are the run's, up
 * to rounding: the run steps replications eight at a time and skips quiet
 * days, the trace simulates every day of every node (dense) in one lane. */
#define _GNU_SOURCE
#include "ripple/trace.h"

#include <errno.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ripple/bounds.h"
#include "ripple/describe.h"
#include "ripple/files.h"
#include "ripple/h5out.h"
#include "ripple/rng.h"
#include "ripple/run.h"
#include "ripple/strategy.h"
#include "ripple/threat.h"
#include "ripple/util.h"

double rp_trace_node_bytes(int N, int T)
{
    return 6.0 * 8.0 * (double)N * (double)T;
}

void rp_trace_free(rp_trace *t)
{
    if (t == NULL)
        return;
    free(t->x);
    free(t->D);
    free(t->P);
    free(t->r);
    free(t->delta);
    free(t->h);
    free(t->S);
    free(t->sl);
    free(t->lost);
    if (t->group_label != NULL)
        for (int g = 0; g < t->G; g++)
            free(t->group_label[g]);
    free(t->group_label);
    free(t->group_node);
    free(t->x0);
    free(t);
}

static void *alloc_n(size_t n, size_t sz, int *bad)
{
    void *p = calloc(n ? n : 1, sz);
    if (p == NULL)
        *bad = 1;
    return p;
}

/* A trace of strategy si, replication r, for model m: every array
 * allocated (zero), the groups' labels ("buyer:input") and buyers, the
 * baseline output; NULL when out of memory. */
static rp_trace *trace_alloc(const rp_model *m, int T, int si, int64_t r)
{
    const int N = m->net->n_nodes, G = m->G;
    rp_trace *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->N = N;
    t->G = G;
    t->T = T;
    t->strategy = si;
    t->replication = r;
    int bad = 0;
    size_t TN = (size_t)T * (size_t)N;
    t->x = alloc_n(TN, sizeof(double), &bad);
    t->D = alloc_n(TN, sizeof(double), &bad);
    t->P = alloc_n(TN, sizeof(double), &bad);
    t->r = alloc_n(TN, sizeof(double), &bad);
    t->delta = alloc_n(TN, sizeof(double), &bad);
    t->h = alloc_n(TN, sizeof(double), &bad);
    t->S = alloc_n((size_t)T * (size_t)G, sizeof(double), &bad);
    t->sl = alloc_n((size_t)T, sizeof(double), &bad);
    t->lost = alloc_n((size_t)T, sizeof(double), &bad);
    t->group_label = alloc_n((size_t)G, sizeof(char *), &bad);
    t->group_node = alloc_n((size_t)G, sizeof(int32_t), &bad);
    t->x0 = alloc_n((size_t)N, sizeof(double), &bad);
    for (int g = 0; g < G && !bad; g++) {
        const char *buyer = m->net->id[m->g_node[g]];
        size_t n = strlen(buyer) + strlen(m->g_name[g]) + 2;
        t->group_label[g] = malloc(n);
        if (t->group_label[g] == NULL)
            bad = 1;
        else
            snprintf(t->group_label[g], n, "%s:%s", buyer, m->g_name[g]);
        t->group_node[g] = m->g_node[g];
    }
    if (bad) {
        rp_trace_free(t);
        return NULL;
    }
    memcpy(t->x0, m->x0, (size_t)N * sizeof(double));
    return t;
}

/* Replication t->replication of scenario s on model m, every node every
 * day, into t's arrays and metrics. */
static rp_status trace_simulate(const rp_scenario *s, const rp_model *m,
                                rp_trace *t, rp_errors *err)
{
    void **preps = NULL;
    gsl_rng *rng = NULL;
    rp_flow_ws *w = NULL;
    rp_evbuf eb;
    memset(&eb, 0, sizeof eb);
    rp_status st =
        rp_threats_prepare(s->threats, s->n_threats, m, &preps, err);
    if (st != RP_OK)
        return st;
    rng = gsl_rng_alloc(rp_rng_philox);
    w = rp_flow_ws_new(m);
    if (rng == NULL || w == NULL ||
        rp_run_events(s, m, preps, t->replication, rng, &eb, NULL) != 0) {
        st = rp_err_runtime(err, "out of memory");
        goto done;
    }
    /* dense: every node simulated every day, so every value is there */
    rp_flow_set_options(w, 1, INFINITY);
    rp_flow_trace tr = {.x = t->x,
                        .D = t->D,
                        .P = t->P,
                        .r = t->r,
                        .delta = t->delta,
                        .h = t->h,
                        .S = t->S,
                        .lost = t->lost};
    st = rp_flow_run(m, w, eb.ev, eb.n, t->T, &t->met, t->sl, &tr);
    if (st != RP_OK)
        rp_err_runtime(err, "out of memory");
done:
    rp_evbuf_free(&eb);
    rp_flow_ws_free(w);
    if (rng != NULL)
        gsl_rng_free(rng);
    rp_threats_release(s->threats, s->n_threats, preps);
    return st;
}

rp_status rp_trace_run(const rp_scenario *s, int si, int64_t r, rp_trace **out,
                       rp_errors *err)
{
    *out = NULL;
    if (si < 0 || si >= s->n_strategies)
        return rp_err_add(err, "strategy %d: the scenario has %d", si,
                          s->n_strategies);
    if (r < 0 || r >= s->replications)
        return rp_err_add(err,
                          "replication %lld: the run has replications 0 to "
                          "%lld",
                          (long long)r, (long long)s->replications - 1);
    const int T = s->horizon, N = s->net->n_nodes;
    double need = rp_trace_node_bytes(N, T);
    if (need > RP_TRACE_MAX_BYTES)
        return rp_err_add(err,
                          "a trace of %s nodes x %s days needs %.1f GiB for "
                          "its [day, node] arrays, more than the %.0f GiB "
                          "allowed",
                          RP_COUNT(N), RP_COUNT(T), need / 1073741824.0,
                          RP_TRACE_MAX_BYTES / 1073741824.0);
    rp_model *m = NULL;
    rp_status st = rp_run_model(s, si, &m, err);
    if (st != RP_OK)
        return st;
    rp_trace *t = trace_alloc(m, T, si, r);
    if (t == NULL)
        st = rp_err_runtime(err, "out of memory");
    else
        st = trace_simulate(s, m, t, err);
    rp_model_free(m);
    if (st != RP_OK) {
        rp_trace_free(t);
        return st;
    }
    *out = t;
    return RP_OK;
}

/* ---- HDF5 (the results writer's helpers, include/ripple/h5out.h) ---- */

/* A dimension scale with its long_name and units (returned open). */
static hid_t scale(rp_h5w *w, const char *name, hid_t ftype, hid_t mtype,
                   hsize_t n, const void *data, const char *long_name,
                   const char *units)
{
    hid_t d = rp_h5w_scale(w, w->file, name, ftype, mtype, n, data);
    if (d >= 0) {
        rp_h5w_attr_str(w, d, "long_name", long_name);
        rp_h5w_attr_str(w, d, "units", units);
    }
    return d;
}

static void put_f64(rp_h5w *w, const char *name, int rank, const hsize_t *dims,
                    const double *data, const hid_t *scales,
                    const char *long_name, const char *units)
{
    for (int k = 0; k < rank; k++)
        if (scales[k] < 0)
            w->bad = 1;
    rp_h5w_put_doc(w, w->file, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, rank,
                   dims, data, scales, long_name, units);
}

static void root_attrs(rp_h5w *w, const rp_scenario *s, const rp_trace *t,
                       const char *command)
{
    hid_t root = w->file;
    rp_h5w_attr_str(w, root, "filetype", "ripple-trace");
    int32_t ver[2] = {RP_FORMAT_MAJOR, RP_FORMAT_MINOR};
    rp_h5w_attr_num(w, root, "format_version", H5T_STD_I32LE, H5T_NATIVE_INT32,
                    ver, 2);
    rp_h5w_attr_str(w, root, "ripple_version", RIPPLE_VERSION);
    int32_t v = RP_MODEL_VERSION;
    rp_h5w_attr_num(w, root, "model_version", H5T_STD_I32LE, H5T_NATIVE_INT32,
                    &v, 0);
    rp_h5w_attr_str(w, root, "command", command ? command : "");
    rp_h5w_attr_str(w, root, "scenario_name", s->name);
    uint64_t seed = s->seed;
    rp_h5w_attr_num(w, root, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &seed,
                    0);
    int64_t rep = t->replication;
    rp_h5w_attr_num(w, root, "replication", H5T_STD_I64LE, H5T_NATIVE_INT64,
                    &rep, 0);
    rp_h5w_attr_str(w, root, "strategy", s->strategies[t->strategy].name);
    v = t->T;
    rp_h5w_attr_num(w, root, "horizon_days", H5T_STD_I32LE, H5T_NATIVE_INT32,
                    &v, 0);
    /* the replication's metrics, as `ripple run` records them */
    rp_h5w_attr_num(w, root, "lost_units", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                    &t->met.lost_units, 0);
    rp_h5w_attr_num(w, root, "lost_value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                    &t->met.lost_value, 0);
    v = t->met.events;
    rp_h5w_attr_num(w, root, "events", H5T_STD_I32LE, H5T_NATIVE_INT32, &v, 0);
    char *js = rp_scenario_resolved_json(s);
    if (js == NULL)
        w->bad = 1;
    else
        rp_h5w_attr_str(w, root, "scenario_json", js);
    free(js);
}

rp_status rp_trace_write(const char *path, const rp_scenario *s,
                         const rp_trace *t, const char *command,
                         rp_errors *err)
{
    char tmp[PATH_MAX];
    rp_h5w w;
    if (rp_h5w_open(path, tmp, sizeof tmp, &w, err) != 0)
        return rp_err_status(err);
    root_attrs(&w, s, t, command);
    const hsize_t T = (hsize_t)t->T, N = (hsize_t)t->N, G = (hsize_t)t->G;
    int64_t *days = malloc((size_t)(T ? T : 1) * sizeof *days);
    hid_t sc[3] = {-1, -1, -1};
    if (days == NULL) {
        w.bad = 1;
    } else {
        for (hsize_t d = 0; d < T; d++)
            days[d] = (int64_t)d;
        sc[0] = scale(&w, "day", H5T_STD_I64LE, H5T_NATIVE_INT64, T, days,
                      "day of the horizon (0 = the first)", "day");
        hid_t ts = H5Tcopy(H5T_C_S1);
        H5Tset_size(ts, H5T_VARIABLE);
        H5Tset_cset(ts, H5T_CSET_UTF8);
        sc[1] = scale(&w, "node", ts, ts, N, s->net->id, "node id", "1");
        sc[2] = scale(&w, "group", ts, ts, G, t->group_label,
                      "input group of a buyer (buyer id:input)", "1");
        H5Tclose(ts);
        hsize_t dn[2] = {T, N}, dg[2] = {T, G};
        hid_t s_dn[2] = {sc[0], sc[1]}, s_dg[2] = {sc[0], sc[2]};
        /* the [day, node] arrays */
        const struct {
            const char *name;
            const double *v;
            const char *long_name, *units;
        } per_node[] = {
            {"output", t->x, "output x of the node on the day (step 5)",
             "unit"},
            {"demand", t->D,
             "demand D on the node: final demand plus its buyers' orders "
             "of the day before, less link damage (step 3)",
             "unit"},
            {"producible", t->P,
             "producible P: damaged capacity limited by the stock of "
             "each input (step 4)",
             "unit"},
            {"fill_ratio", t->r,
             "fill ratio r = output / demand (0 without demand)", "1"},
            {"damage", t->delta,
             "damage delta of the node from the day's events (step 1)", "1"},
            {"health", t->h,
             "health h of the node and its supply base (step 8)", "1"}};
        for (size_t k = 0; k < sizeof per_node / sizeof *per_node; k++)
            put_f64(&w, per_node[k].name, 2, dn, per_node[k].v, s_dn,
                    per_node[k].long_name, per_node[k].units);
        put_f64(&w, "stock", 2, dg, t->S, s_dg,
                "on-hand stock of the input group after the day's arrivals, "
                "before consumption (what step 4 uses)",
                "unit");
        hid_t s_d[1] = {sc[0]};
        put_f64(&w, "service_level", 1, &T, t->sl, s_d,
                "service level SL: delivered / total final demand", "1");
        put_f64(&w, "lost_units", 1, &T, t->lost, s_d,
                "final demand lost on the day", "unit");
        hid_t s_g[1] = {sc[2]};
        if (sc[2] < 0)
            w.bad = 1;
        rp_h5w_put_doc(&w, w.file, "group_node", H5T_STD_I32LE,
                       H5T_NATIVE_INT32, 1, &G, t->group_node, s_g,
                       "buyer of the input group (node index)", "1");
        hid_t s_n[1] = {sc[1]};
        put_f64(&w, "baseline_output", 1, &N, t->x0, s_n,
                "baseline output x0 of the node", "unit");
    }
    for (int k = 0; k < 3; k++)
        if (sc[k] >= 0)
            H5Dclose(sc[k]);
    free(days);
    return rp_h5w_finish(path, tmp, &w, err);
}

/* ---- command line ---- */

static const char *HELP_TRACE =
    "ripple trace [SCENARIO.json] --replication N [options]\n"
    "  One replication of `ripple run`, day by day: output, demand,\n"
    "  producible, fill ratio, damage and health of every node, stock of\n"
    "  every input group, service level and lost units of every day.\n"
    "  Give the seed, replications and horizon of the run (the scenario's,\n"
    "  or the same overrides): the events depend on them.\n"
    "      --replication N   the replication, 0 .. replications - 1\n"
    "      --strategy NAME   the strategy (default baseline)\n"
    "  -o, --output F.h5     trace file (default trace.h5)\n"
    "  -r, --replications N  replications (overrides the scenario)\n"
    "  -s, --seed SEED       random seed (overrides the scenario)\n"
    "      --horizon DAYS    simulated days (overrides the scenario)\n"
    "  -q, --quiet           print nothing but errors\n"
    "  -h, --help            this help\n";

/* The command line of `ripple trace`. */
typedef struct {
    const char *out, *rep_arg, *strategy, *scen;
    long long reps, seed, horizon; /* overrides; -1: the scenario's */
    int quiet;
} trace_args;

/* The options and the scenario's path into a; -1 to go on, else the exit
 * status (0 after --help, RP_EINPUT after saying what is wrong). */
static int parse_trace_args(int argc, char **argv, trace_args *a)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"replication", required_argument, NULL, 'R'},
        {"strategy", required_argument, NULL, 'S'},
        {"replications", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'},
        {"horizon", required_argument, NULL, 'H'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    *a = (trace_args){.out = "trace.h5",
                      .strategy = "baseline",
                      .reps = -1,
                      .seed = -1,
                      .horizon = -1};
    int c;
    optind = 1;
    while ((c = rp_cli_getopt(argc, argv, ":o:r:s:qh", longs)) != -1) {
        int bad = 0;
        switch (c) {
        case 'o':
            a->out = optarg;
            break;
        case 'R':
            a->rep_arg = optarg;
            break;
        case 'S':
            a->strategy = optarg;
            break;
        case 'r':
            bad = rp_cli_int("trace", "-r", optarg, 1, RP_MAX_REPLICATIONS,
                             &a->reps);
            break;
        case 's':
            bad = rp_cli_int("trace", "-s", optarg, 0, RP_MAX_SEED, &a->seed);
            break;
        case 'H':
            bad = rp_cli_int("trace", "--horizon", optarg, 1, RP_MAX_HORIZON,
                             &a->horizon);
            break;
        case 'q':
            a->quiet = 1;
            break;
        case 'h':
            fputs(HELP_TRACE, stdout);
            return 0;
        default:
            return rp_cli_option_error(c, argv, "trace");
        }
        if (bad != 0)
            return RP_EINPUT;
    }
    if (rp_cli_one_arg(argc, argv, &a->scen, "trace") != 0)
        return RP_EINPUT;
    if (a->rep_arg == NULL)
        return rp_cli_missing("trace", "--replication N (which replication "
                                       "of the run to follow)");
    return -1;
}

/* The strategy named `name`, or -1 after saying which the scenario has
 * (and trace's synopsis, as after every bad option value). */
static int find_strategy(const rp_scenario *s, const char *name)
{
    for (int k = 0; k < s->n_strategies; k++)
        if (strcmp(s->strategies[k].name, name) == 0)
            return k;
    /* (names from the scenario hold no control characters) */
    size_t n = 1;
    for (int k = 0; k < s->n_strategies; k++)
        n += strlen(s->strategies[k].name) + 2;
    char *names = malloc(n), safe[256];
    if (names != NULL) {
        names[0] = '\0';
        for (int k = 0; k < s->n_strategies; k++) {
            if (k)
                strcat(names, ", ");
            strcat(names, s->strategies[k].name);
        }
    }
    rp_escape(name, safe, sizeof safe);
    fprintf(stderr,
            "ripple: error: --strategy: the scenario has no strategy "
            "'%s' (it has: %s)\n",
            safe, names ? names : "?");
    free(names);
    rp_cli_usage("trace");
    return -1;
}

int rp_cmd_trace(int argc, char **argv, const char *cmdline,
                 const char *default_json)
{
    trace_args a;
    int rc = parse_trace_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    rp_errors err;
    rp_err_init(&err);
    if (rp_out_check(a.out, a.quiet ? RP_OUT_QUIET : 0, &err) != RP_OK) {
        rp_cli_print_errors(&err);
        return rp_err_status(&err);
    }
    rp_scenario *s = NULL;
    rp_status st = a.scen != NULL
                       ? rp_scenario_load(a.scen, &s, &err)
                       : rp_scenario_parse("<bundled default.json>",
                                           default_json, NULL, &s, &err);
    if (st == RP_OK)
        st = rp_cli_check_not_input(a.out, s, NULL, &err);
    if (st != RP_OK) {
        rp_cli_print_errors(&err);
        rp_scenario_free(s);
        return rp_err_status(&err);
    }
    if (a.reps > 0)
        s->replications = a.reps;
    if (a.seed >= 0)
        s->seed = (uint64_t)a.seed;
    if (a.horizon > 0)
        s->horizon = (int)a.horizon;
    long long r;
    int si = -1;
    if (rp_cli_int("trace", "--replication", a.rep_arg, 0,
                   (long long)s->replications - 1, &r) != 0 ||
        (si = find_strategy(s, a.strategy)) < 0) {
        rp_scenario_free(s);
        return RP_EINPUT;
    }
    rp_trace *t = NULL;
    st = rp_trace_run(s, si, (int64_t)r, &t, &err);
    if (st == RP_OK) {
        rp_tmp_guard_signals(); /* a signal now: remove the half-written file
                                 */
        st = rp_trace_write(a.out, s, t, cmdline, &err);
    }
    if (st != RP_OK) {
        rp_cli_print_errors(&err);
        rp_trace_free(t);
        rp_scenario_free(s);
        return rp_err_status(&err);
    }
    char lu[32], lv[32];
    if (!a.quiet)
        printf("wrote %s: replication %lld of strategy %s, %s day%s, "
               "%s event%s, %s units of final demand lost (value %s, "
               "in %s)\n",
               a.out, r, s->strategies[si].name, RP_COUNT(t->T),
               rp_cli_s(t->T), RP_COUNT(t->met.events),
               rp_cli_s(t->met.events),
               rp_describe_num(lu, sizeof lu, t->met.lost_units),
               rp_describe_num(lv, sizeof lv, t->met.lost_value),
               rp_describe_money(s->currency));
    rp_trace_free(t);
    rp_scenario_free(s);
    return 0;
}
