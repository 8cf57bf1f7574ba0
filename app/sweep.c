/* `ripple sweep`: the structural sweep of a scenario's network (attack and
 * failure tolerance curves, docs/sweep.md) and its HDF5 file (/sweep,
 * docs/formats.md).  The computation is models/sweep.c; this file reads
 * the command line, loads the scenario and writes the file. */
#define _GNU_SOURCE
#include "ripple/sweep.h"

#include <errno.h>
#include <getopt.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ripple/bounds.h"
#include "ripple/files.h"
#include "ripple/h5out.h"
#include "ripple/resources.h"
#include "ripple/sc_h5names.h"
#include "ripple/scenario.h"
#include "ripple/util.h"

/* ---- HDF5 (the results writer's helpers, include/ripple/h5out.h) ---- */

/* A dimension scale with its long_name and units (returned open). */
static hid_t scale(rp_h5w *w, hid_t loc, const char *name, hid_t ftype,
                   hid_t mtype, hsize_t n, const void *data,
                   const char *long_name, const char *units)
{
    hid_t d = rp_h5w_scale(w, loc, name, ftype, mtype, n, data);
    if (d >= 0) {
        rp_h5w_attr_str(w, d, "long_name", long_name);
        rp_h5w_attr_str(w, d, "units", units);
    }
    return d;
}

static void put_f64(rp_h5w *w, hid_t loc, const char *name, int rank,
                    const hsize_t *dims, const double *data,
                    const hid_t *scales, const char *long_name,
                    const char *units)
{
    for (int k = 0; k < rank; k++)
        if (scales[k] < 0)
            w->bad = 1;
    rp_h5w_put_doc(w, loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, rank, dims,
                   data, scales, long_name, units);
}

/* A scalar dataset with its long_name and units. */
static void put_scalar(rp_h5w *w, hid_t loc, const char *name, double v,
                       const char *long_name, const char *units)
{
    hid_t sp = H5Screate(H5S_SCALAR), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0);
    hid_t d = H5Dcreate2(loc, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, dcpl,
                         H5P_DEFAULT);
    if (d < 0 ||
        H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) < 0)
        w->bad = 1;
    if (d >= 0) {
        rp_h5w_attr_str(w, d, "long_name", long_name);
        rp_h5w_attr_str(w, d, "units", units);
        H5Dclose(d);
    }
    H5Pclose(dcpl);
    H5Sclose(sp);
}

static const char *const METRIC[RP_SWEEP_N_METRICS] = {
    "giant_component", "served_demand", "supply_availability"};
static const char *const METRIC_LONG[RP_SWEEP_N_METRICS] = {
    "share of all nodes in the largest connected component (links "
    "undirected)",
    "share of final demand whose customer is functional (AND over input "
    "groups, OR within a group, least fixed point)",
    "share of demand nodes present and raw or with a functional supplier"};

/* The root attributes of a sweep file. */
static void sweep_root_attrs(rp_h5w *w, const rp_scenario *s,
                             const rp_sweep_result *r, const char *command,
                             int threads)
{
    hid_t root = w->file;
    rp_h5w_attr_str(w, root, "filetype", "ripple-sweep");
    int32_t ver[2] = {RP_FORMAT_MAJOR, RP_FORMAT_MINOR};
    rp_h5w_attr_num(w, root, "format_version", H5T_STD_I32LE, H5T_NATIVE_INT32,
                    ver, 2);
    rp_h5w_attr_str(w, root, "ripple_version", RIPPLE_VERSION);
    int32_t v = RP_MODEL_VERSION;
    rp_h5w_attr_num(w, root, "model_version", H5T_STD_I32LE, H5T_NATIVE_INT32,
                    &v, 0);
    rp_h5w_attr_str(w, root, "run_kind", "sweep");
    rp_h5w_attr_str(w, root, "command", command ? command : "");
    rp_h5w_attr_str(w, root, "scenario_name", s->name);
    uint64_t seed = s->seed;
    rp_h5w_attr_num(w, root, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, &seed,
                    0);
    int64_t reps = r->R;
    rp_h5w_attr_num(w, root, "replications", H5T_STD_I64LE, H5T_NATIVE_INT64,
                    &reps, 0);
    v = threads;
    rp_h5w_attr_num(w, root, "threads", H5T_STD_I32LE, H5T_NATIVE_INT32, &v,
                    0);
    char *js = rp_scenario_resolved_json(s);
    if (js == NULL)
        w->bad = 1;
    else
        rp_h5w_attr_str(w, root, "scenario_json", js);
    free(js);
    char hex[65];
    if (rp_scenario_network_sha256(s, hex) == 0)
        rp_h5w_attr_str(w, root, RP_H5A_NETWORK_SHA256, hex);
}

/* The curves of group g: the order scale (returned in *order_scale, open;
 * -1 when there are no orders), each metric's mean and interval
 * [order, fraction] and critical_fraction [order].  fraction: the open
 * fraction scale; ts: the string type. */
static void sweep_curves(rp_h5w *w, hid_t g, const rp_sweep_result *r,
                         hid_t ts, hid_t fraction, hid_t *order_scale)
{
    const hsize_t O = (hsize_t)r->n_orders, K = (hsize_t)r->K;
    const char *names[RP_SWEEP_N_ORDERS];
    for (int k = 0; k < r->n_orders; k++)
        names[k] = rp_sweep_order_name[r->orders[k]];
    *order_scale = -1;
    if (O == 0)
        return;
    hid_t sc[2] = {-1, fraction};
    sc[0] = scale(w, g, "order", ts, ts, O, names,
                  "removal order (random, degree, degree_adaptive, "
                  "betweenness, flow, demand)",
                  "1");
    *order_scale = sc[0];
    hsize_t dk[2] = {O, K};
    for (int m = 0; m < RP_SWEEP_N_METRICS; m++) {
        char nm[64], ln[320];
        snprintf(nm, sizeof nm, "%s_mean", METRIC[m]);
        snprintf(ln, sizeof ln, "%s, mean over replications", METRIC_LONG[m]);
        put_f64(w, g, nm, 2, dk, r->mean[m], sc, ln, "1");
        snprintf(nm, sizeof nm, "%s_ci95_low", METRIC[m]);
        snprintf(ln, sizeof ln, "%s_mean, 95%% interval, low end", METRIC[m]);
        put_f64(w, g, nm, 2, dk, r->lo[m], sc, ln, "1");
        snprintf(nm, sizeof nm, "%s_ci95_high", METRIC[m]);
        snprintf(ln, sizeof ln, "%s_mean, 95%% interval, high end", METRIC[m]);
        put_f64(w, g, nm, 2, dk, r->hi[m], sc, ln, "1");
    }
    put_f64(w, g, "critical_fraction", 1, &O, r->critical, sc,
            "first fraction removed at which served_demand_mean is "
            "below 0.5",
            "1");
}

/* The independent failures of group g (when asked): p_served [node] with
 * its node scale (returned in *node_scale, open), the served demand's
 * mean and interval, and the fail_probability attribute. */
static void sweep_failures(rp_h5w *w, hid_t g, const rp_scenario *s,
                           const rp_sweep_result *r, hid_t ts,
                           hid_t *node_scale)
{
    const hsize_t N = (hsize_t)r->N;
    *node_scale = -1;
    if (r->p_served == NULL)
        return;
    *node_scale = scale(w, g, "node", ts, ts, N, s->net->id, "node id", "1");
    put_f64(w, g, "p_served", 1, &N, r->p_served, node_scale,
            "share of replications in which the node is functional "
            "under independent failures (NaN: no final demand)",
            "1");
    static const char *const fs[3] = {"fail_served_demand_mean",
                                      "fail_served_demand_ci95_low",
                                      "fail_served_demand_ci95_high"};
    static const char *const fl[3] = {
        "share of final demand served under independent failures, "
        "mean over replications",
        "fail_served_demand_mean, 95% interval, low end",
        "fail_served_demand_mean, 95% interval, high end"};
    for (int k = 0; k < 3; k++)
        put_scalar(w, g, fs[k], r->fail_served[k], fl[k], "1");
    if (!isnan(r->q))
        rp_h5w_attr_num(w, g, "fail_probability", H5T_IEEE_F64LE,
                        H5T_NATIVE_DOUBLE, &r->q, 0);
}

static rp_status write_sweep(const char *path, const rp_scenario *s,
                             const rp_sweep_result *r, const char *command,
                             int threads, int units, rp_errors *err)
{
    char tmp[PATH_MAX];
    rp_h5w w;
    if (rp_h5w_open(path, tmp, sizeof tmp, &w, err) != 0)
        return rp_err_status(err);
    sweep_root_attrs(&w, s, r, command, threads);

    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(gcpl, 0);
    hid_t g = H5Gcreate2(w.file, "/sweep", H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    if (g < 0)
        w.bad = 1;
    hid_t ts = H5Tcopy(H5T_C_S1);
    H5Tset_size(ts, H5T_VARIABLE);
    H5Tset_cset(ts, H5T_CSET_UTF8);
    hid_t sc[3] = {-1, -1, -1}; /* order, fraction, node */
    if (g >= 0) {
        rp_h5w_attr_str(
            &w, g, "confidence_interval",
            "normal interval of the mean over replications: mean +- "
            "1.96 standard deviations / sqrt(replications)");
        rp_h5w_attr_str(
            &w, g, "fixed_point",
            "least: functional nodes grow from the raw suppliers, so "
            "a cycle fed by nothing outside it is not functional");
        int32_t nu = units;
        rp_h5w_attr_num(&w, g, "dependency_units", H5T_STD_I32LE,
                        H5T_NATIVE_INT32, &nu, 0);
        sc[1] =
            scale(&w, g, "fraction", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                  (hsize_t)r->K, r->fraction, "share of nodes removed", "1");
        sweep_curves(&w, g, r, ts, sc[1], &sc[0]);
        sweep_failures(&w, g, s, r, ts, &sc[2]);
    }
    for (int k = 0; k < 3; k++)
        if (sc[k] >= 0)
            H5Dclose(sc[k]);
    H5Tclose(ts);
    if (g >= 0)
        H5Gclose(g);
    return rp_h5w_finish(path, tmp, &w, err);
}

/* ---- command line ---- */

static const char *HELP_SWEEP =
    "ripple sweep SCENARIO.json [options]\n"
    "  Structural sweep of the scenario's network (no stock, no time):\n"
    "  nodes removed in each order, and for each fraction removed the\n"
    "  giant component, the served demand (AND over input groups, OR\n"
    "  within one) and the supply availability; mean and 95% interval\n"
    "  over replications, and the critical fraction (served demand below\n"
    "  50%).  Writes /sweep in HDF5 (docs/sweep.md).\n"
    "  -o, --output OUT.h5      sweep file (default sweep.h5)\n"
    "  -r, --replications N     replications (default 100)\n"
    "  -s, --seed SEED          random seed (default: the scenario's)\n"
    "  -j, --threads N          OpenMP threads (default: all cores)\n"
    "      --fractions K        grid points from 0 to 1 removed (default "
    "101)\n"
    "      --orders LIST        comma-separated: random, degree,\n"
    "                           degree_adaptive, betweenness, flow, demand\n"
    "                           (default all), or none\n"
    "      --dependencies F.csv interdependence: lines NODE,PARTNER of nodes\n"
    "                           that need each other (Buldyrev et al.)\n"
    "      --fail-probability Q independent failures: each node fails with\n"
    "                           probability Q in each replication; adds\n"
    "                           /sweep/p_served [node]\n"
    "  -q, --quiet              print nothing but errors\n"
    "  -h, --help               this help\n";

/* A bad value of a sweep option: the error, then sweep's synopsis. */
static int bad_value(const char *opt, const char *what, const char *s)
{
    return rp_cli_bad_value("sweep", opt, what, s);
}

/* --dependencies FILE: lines "node,partner" (node ids of the network; a
 * first line "node,partner" is a header; empty lines and lines starting
 * with '#' are skipped): the two need each other. */
static rp_status read_dependencies(const char *path, const rp_network *net,
                                   rp_sweep_graph *g, rp_errors *err)
{
    char safe[256];
    rp_escape(path, safe, sizeof safe);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return rp_err_add(err, "%s: cannot open: %s", safe, strerror(errno));
    int n = 0, cap = 0, *a = NULL, *b = NULL, line = 0;
    char buf[4096];
    while (fgets(buf, sizeof buf, f) != NULL) {
        line++;
        size_t len = strlen(buf);
        if (len == sizeof buf - 1 && buf[len - 1] != '\n') {
            rp_err_add(err, "%s:%d: line too long", safe, line);
            break;
        }
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
                           buf[len - 1] == ' '))
            buf[--len] = '\0';
        char *p = buf;
        while (*p == ' ')
            p++;
        if (*p == '\0' || *p == '#' ||
            (line == 1 && strcmp(p, "node,partner") == 0))
            continue;
        char *comma = strchr(p, ',');
        if (comma == NULL || strchr(comma + 1, ',') != NULL) {
            rp_err_add(err, "%s:%d: expected NODE,PARTNER", safe, line);
            continue;
        }
        *comma = '\0';
        const char *id[2] = {p, comma + 1};
        int ix[2];
        for (int k = 0; k < 2; k++) {
            while (*id[k] == ' ')
                id[k]++;
            ix[k] = rp_net_find(net, id[k]);
            if (ix[k] < 0) {
                char sid[128];
                rp_escape(id[k], sid, sizeof sid);
                rp_err_add(err, "%s:%d: unknown node \"%s\"", safe, line, sid);
            }
        }
        if (ix[0] >= 0 && ix[0] == ix[1])
            rp_err_add(err, "%s:%d: a node cannot depend on itself", safe,
                       line);
        if (ix[0] < 0 || ix[1] < 0 || ix[0] == ix[1] || rp_err_any(err))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            int *na = realloc(a, (size_t)cap * sizeof *a);
            int *nb = na ? realloc(b, (size_t)cap * sizeof *b) : NULL;
            if (na != NULL)
                a = na;
            if (nb == NULL) {
                rp_err_runtime(err, "out of memory");
                break;
            }
            b = nb;
        }
        a[n] = ix[0];
        b[n] = ix[1];
        n++;
    }
    fclose(f);
    if (!rp_err_any(err) && n == 0)
        rp_err_add(err, "%s: no dependency pairs", safe);
    if (!rp_err_any(err))
        rp_sweep_graph_set_units(g, n, a, b, err);
    free(a);
    free(b);
    return rp_err_status(err);
}

/* CPU time of the process, all threads (the sweep's own figure on a busy
 * machine, where the wall clock counts other programs' time too) */
static double cpu_seconds(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return 0;
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* "random,degree": the orders, each once; "none": no curves */
static int parse_orders(const char *s, rp_sweep_opts *o)
{
    o->n_orders = 0;
    if (strcmp(s, "none") == 0)
        return 0;
    char buf[256];
    if (strlen(s) >= sizeof buf)
        return bad_value("--orders", "too long", s);
    strcpy(buf, s);
    size_t sl = strlen(s);
    if (sl > 0 && (s[0] == ',' || s[sl - 1] == ',' || strstr(s, ",,")))
        return bad_value("--orders", "an empty name in the list", s);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t != NULL;
         t = strtok_r(NULL, ",", &save)) {
        int k = rp_sweep_order_of(t);
        if (k < 0)
            return bad_value("--orders",
                             "each must be random, degree, degree_adaptive, "
                             "betweenness, flow or demand",
                             t);
        for (int q = 0; q < o->n_orders; q++)
            if (o->orders[q] == k)
                return bad_value("--orders", "an order is listed twice", t);
        o->orders[o->n_orders++] = k;
    }
    if (o->n_orders == 0)
        return bad_value("--orders", "names no order", s);
    return 0;
}

/* The command line of `ripple sweep`. */
typedef struct {
    const char *out, *scen, *deps;
    long long reps, seed, threads, K;
    double q; /* --fail-probability; NaN: not given */
    int quiet;
    rp_sweep_opts o; /* the orders; the rest is set after loading */
} sweep_args;

/* --fail-probability Q: a number in [0, 1]. */
static int parse_probability(const char *s, double *q)
{
    return rp_cli_real("sweep", "--fail-probability", s, 0, 1,
                       "must be a number in [0, 1]", q) != 0
               ? RP_EINPUT
               : 0;
}

/* The options and the scenario's path into a; -1 to go on, else the exit
 * status (0 after --help, RP_EINPUT after saying what is wrong). */
static int parse_sweep_args(int argc, char **argv, sweep_args *a)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"replications", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 'j'},
        {"fractions", required_argument, NULL, 'K'},
        {"orders", required_argument, NULL, 'O'},
        {"fail-probability", required_argument, NULL, 'Q'},
        {"dependencies", required_argument, NULL, 'D'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->out = "sweep.h5";
    a->reps = 100;
    a->seed = -1;
    a->K = 101;
    a->q = NAN;
    for (int k = 0; k < RP_SWEEP_N_ORDERS; k++)
        a->o.orders[k] = k;
    a->o.n_orders = RP_SWEEP_N_ORDERS;
    int c;
    optind = 1;
    while ((c = rp_cli_getopt(argc, argv, ":o:r:s:j:qh", longs)) != -1) {
        int bad = 0;
        switch (c) {
        case 'o':
            a->out = optarg;
            break;
        case 'r':
            bad = rp_cli_int("sweep", "-r", optarg, 1, RP_MAX_INT, &a->reps);
            break;
        case 's':
            bad = rp_cli_int("sweep", "-s", optarg, 0, RP_MAX_SEED, &a->seed);
            break;
        case 'j':
            bad = rp_cli_int("sweep", "-j", optarg, 1, RP_MAX_THREADS,
                             &a->threads);
            break;
        case 'K':
            bad = rp_cli_int("sweep", "--fractions", optarg, 2, 100000, &a->K);
            break;
        case 'O':
            bad = parse_orders(optarg, &a->o);
            break;
        case 'Q':
            bad = parse_probability(optarg, &a->q);
            break;
        case 'D':
            a->deps = optarg;
            break;
        case 'q':
            a->quiet = 1;
            break;
        case 'h':
            fputs(HELP_SWEEP, stdout);
            return 0;
        default:
            return rp_cli_option_error(c, argv, "sweep");
        }
        if (bad != 0)
            return RP_EINPUT;
    }
    if (rp_cli_one_arg(argc, argv, &a->scen, "sweep") != 0)
        return RP_EINPUT;
    if (a->scen == NULL)
        return rp_cli_missing("sweep", "a SCENARIO.json");
    return -1;
}

/* Independent failures: a node's own fail_probability, else Q (0 when
 * only some nodes give one and no Q is given).  When a node gives its
 * own, *q_node (allocated) holds every node's and a->o.q_node points to
 * it.  Refuses --orders none with no failures to draw. */
static rp_status sweep_fail_setup(const rp_network *net, sweep_args *a,
                                  double **q_node, rp_errors *err)
{
    int own = 0;
    for (int v = 0; v < net->n_nodes; v++)
        own += !isnan(net->fail_probability[v]);
    if (a->o.n_orders == 0 && isnan(a->q) && own == 0)
        return rp_err_add(err,
                          "%s: --orders none: give --fail-probability Q (or "
                          "fail_probability on nodes), or there is nothing "
                          "to do",
                          a->scen);
    if (own == 0)
        return RP_OK;
    *q_node = malloc((size_t)net->n_nodes * sizeof **q_node);
    if (*q_node == NULL)
        return rp_err_runtime(err, "out of memory");
    for (int v = 0; v < net->n_nodes; v++)
        (*q_node)[v] = !isnan(net->fail_probability[v])
                           ? net->fail_probability[v]
                       : isnan(a->q) ? 0.0
                                     : a->q;
    a->o.q_node = *q_node;
    return RP_OK;
}

/* The sweep's options from the command line and the loaded scenario (its
 * seed, unless -s gives one); a note when betweenness will take long. */
static void sweep_opts_set(sweep_args *a, rp_scenario *s,
                           const rp_sweep_graph *g)
{
    rp_sweep_opts *o = &a->o;
    if (a->seed >= 0)
        s->seed = (uint64_t)a->seed;
    int cap = rp_thread_cap();
    long long want = a->threads > 0 ? a->threads : omp_get_max_threads();
    o->threads = (int)(want < cap ? want : cap);
    o->K = (int)a->K;
    o->R = a->reps;
    o->seed = s->seed;
    o->q = a->q;
    s->replications = a->reps;
    for (int k = 0; k < o->n_orders; k++)
        if (o->orders[k] == RP_SWEEP_BETWEENNESS && !a->quiet &&
            (double)g->N * (double)g->E > 1e11)
            fprintf(stderr,
                    "ripple: note: betweenness on %s nodes and %s links "
                    "takes long (it grows as nodes x links); --orders can "
                    "leave it out\n",
                    RP_COUNT(g->N), RP_COUNT(g->E));
}

/* What the sweep wrote and found, on stdout: the times (loading, sweep
 * wall clock and CPU), each order's critical fraction and curves at 20%
 * removed, the served demand under independent failures. */
static void print_sweep(const sweep_args *a, const rp_sweep_graph *g,
                        const rp_sweep_result *res, double load_s,
                        double sweep_s, double cpu_s)
{
    const rp_sweep_opts *o = &a->o;
    /* (no orders, no curves: the fractions would count nothing) */
    char fr[48] = "";
    if (o->n_orders > 0)
        snprintf(fr, sizeof fr, ", %s fractions", RP_COUNT(o->K));
    printf("wrote %s: %s node%s, %s link%s, %s replication%s%s\n", a->out,
           RP_COUNT(g->N), rp_cli_s(g->N), RP_COUNT(g->E), rp_cli_s(g->E),
           RP_COUNT(a->reps), rp_cli_s(a->reps), fr);
    printf("time: loading %.3f s, sweep %.3f s (CPU %.3f s) on %s "
           "thread%s\n",
           load_s, sweep_s, cpu_s, RP_COUNT(o->threads), rp_cli_s(o->threads));
    if (o->n_orders > 0)
        printf("nodes removed in each order (shares 0..1, means over the "
               "replications):\n"
               "  critical   share of nodes removed when the served demand "
               "first falls below 50%%\n"
               "  giant@0.2  share of nodes in the largest connected "
               "component, 20%% removed\n"
               "  served@.2  share of final demand served, 20%% removed\n"
               "  avail@.2   share of demand nodes still supplied at all, "
               "20%% removed\n"
               "%-16s %9s %9s %9s %9s\n",
               "order", "critical", "giant@0.2", "served@.2", "avail@.2");
    int k20 = (int)lround(0.2 * (o->K - 1));
    for (int k = 0; k < o->n_orders; k++) {
        size_t at = (size_t)k * (size_t)o->K + (size_t)k20;
        printf("%-16s %9.3f %9.3f %9.3f %9.3f\n",
               rp_sweep_order_name[o->orders[k]], res->critical[k],
               res->mean[RP_SWEEP_GIANT][at], res->mean[RP_SWEEP_SERVED][at],
               res->mean[RP_SWEEP_AVAIL][at]);
    }
    if (res->p_served != NULL) {
        /* the interval needs two replications or more: '-' without */
        char lo[32] = "-", hi[32] = "-";
        if (!isnan(res->fail_served[1]))
            snprintf(lo, sizeof lo, "%.4f", res->fail_served[1]);
        if (!isnan(res->fail_served[2]))
            snprintf(hi, sizeof hi, "%.4f", res->fail_served[2]);
        printf("independent failures (q = %g): served demand %.4f "
               "[%s, %s] (share of final demand, mean [95%% CI])\n",
               a->q, res->fail_served[0], lo, hi);
    }
}

int rp_cmd_sweep(int argc, char **argv, const char *cmdline)
{
    sweep_args a;
    int rc = parse_sweep_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    rp_errors err;
    rp_err_init(&err);
    if (rp_out_check(a.out, a.quiet ? RP_OUT_QUIET : 0, &err) != RP_OK) {
        rp_cli_print_errors(&err);
        return rp_err_status(&err);
    }
    rp_scenario *s = NULL;
    rp_model *m = NULL;
    rp_sweep_graph *g = NULL;
    rp_sweep_result *res = NULL;
    double *q_node = NULL;
    double t0 = omp_get_wtime(), t1, t2, c1 = 0, c2 = 0;
    if (rp_scenario_load(a.scen, &s, &err) != RP_OK ||
        rp_cli_check_not_input(a.out, s, a.deps, &err) != RP_OK ||
        rp_model_build(s->net, &s->par, &m, &err) != RP_OK ||
        rp_sweep_graph_from_model(m, &g, &err) != RP_OK)
        goto done;
    t1 = omp_get_wtime();
    c1 = cpu_seconds();
    if (a.deps != NULL && read_dependencies(a.deps, s->net, g, &err) != RP_OK)
        goto done;
    if (sweep_fail_setup(s->net, &a, &q_node, &err) != RP_OK)
        goto done;
    sweep_opts_set(&a, s, g);
    if (rp_sweep_run(g, &a.o, &res, &err) != RP_OK)
        goto done;
    t2 = omp_get_wtime();
    c2 = cpu_seconds();
    rp_tmp_guard_signals();
    if (write_sweep(a.out, s, res, cmdline, a.o.threads, g->n_units, &err) !=
        RP_OK)
        goto done;
    if (!a.quiet)
        print_sweep(&a, g, res, t1 - t0, t2 - t1, c2 - c1);
done:
    if (rp_err_any(&err))
        rp_cli_print_errors(&err);
    free(q_node);
    rp_sweep_result_free(res);
    rp_sweep_graph_free(g);
    rp_model_free(m);
    rp_scenario_free(s);
    return rp_err_status(&err);
}
