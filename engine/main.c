/* ripple: the command line (SPEC.md "Command line").  Only this file
 * prints errors; everything below returns a status and an error list. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ripple/describe.h"
#include "ripple/files.h"
#include "ripple/generate.h"
#include "ripple/h5out.h"
#include "ripple/inspect.h"
#include "ripple/par.h"
#include "ripple/ripple.h"
#include "ripple/stress.h"
#include "ripple/trace.h"

extern const char rp_default_scenario[];

static const char *USAGE =
    "usage: ripple run      [SCENARIO.json] [-o OUT.h5] [-r N] [-s SEED] "
    "[-j THREADS]\n"
    "                       [--horizon DAYS] [--dense] [--lanes 1|8] "
    "[--quiet]\n"
    "       ripple stress   SCENARIO.json [-o OUT.h5] [-j THREADS] [--quiet]\n"
    "       ripple trace    [SCENARIO.json] --replication N [--strategy "
    "NAME]\n"
    "                       [-o TRACE.h5] [-r N] [-s SEED] [--horizon DAYS]\n"
    "       ripple validate SCENARIO.json\n"
    "       ripple inspect  OUT.h5\n"
    "       ripple generate -n NODES [--tiers K] [--degree D] [--regions R]\n"
    "                       [-s SEED] [-o NETWORK.json]\n"
    "       ripple --version | --help | COMMAND --help\n";

static const char *HELP_RUN =
    "ripple run [SCENARIO.json] [options]\n"
    "  Monte Carlo of the scenario's threats for every strategy; writes "
    "HDF5.\n"
    "  Without SCENARIO.json, runs the bundled default scenario.\n"
    "  -o, --output OUT.h5   results file (default results.h5)\n"
    "  -r, --replications N  replications (overrides the scenario)\n"
    "  -s, --seed SEED       random seed (overrides the scenario)\n"
    "  -j, --threads N       OpenMP threads (default: all cores)\n"
    "      --horizon DAYS    simulated days (overrides the scenario)\n"
    "      --lanes 1|8       replications stepped in lockstep (default 8;\n"
    "                        1 when 8 copies of the state pass 1 GiB)\n"
    "      --dense           simulate every day of every node (no skipping\n"
    "                        of quiet days; for checking and benchmarks)\n"
    "  -q, --quiet           print nothing but errors\n"
    "      --resume          continue an interrupted run from OUT.h5.ckpt\n"
    "                        (written every minute and on Ctrl-C); the\n"
    "                        result is the file an uninterrupted run writes\n"
    "      --stop-after N    stop as if interrupted once N replications are\n"
    "                        done (for testing --resume)\n";
static const char *HELP_STRESS =
    "ripple stress SCENARIO.json [options]\n"
    "  Simchi-Levi stress test: each selected node down for its TTR;\n"
    "  performance impact, REI, time-to-survive, exposure.\n"
    "  -o, --output OUT.h5   results file (default stress.h5)\n"
    "  -j, --threads N       OpenMP threads\n"
    "  -q, --quiet           print nothing but errors\n";
static const char *HELP_VALIDATE =
    "ripple validate SCENARIO.json\n"
    "  Check the scenario and network; print size, tiers, baseline and\n"
    "  warnings.  Exit 0 when valid, 2 when not.\n";
static const char *HELP_INSPECT =
    "ripple inspect OUT.h5\n"
    "  Summarise a results file: run metadata, metrics per strategy, the\n"
    "  strategy ranking, critical nodes, stress exposure.\n";

static const char *HELP_GENERATE =
    "ripple generate -n NODES [options]\n"
    "  Write a synthetic tiered network (network format) for benchmarks:\n"
    "  customers a quarter of the nodes, multi-sourced inputs, Zipf-like\n"
    "  supplier popularity (heavy-tailed degrees), regions.\n"
    "  -n, --nodes N      nodes (default 1000)\n"
    "      --tiers K      tiers including customers (default 5)\n"
    "      --degree D     mean supplier edges per buyer (default 5)\n"
    "      --regions R    regions (default 12)\n"
    "  -s, --seed S       random seed (default 1)\n"
    "  -o, --output F     output file (default: standard output)\n";

static void print_errors(const rp_errors *e)
{
    for (int i = 0; i < e->count; i++)
        fprintf(stderr, "ripple: error: %s\n", e->msg[i]);
    if (e->dropped > 0)
        fprintf(stderr, "ripple: error: ... and %d more errors\n", e->dropped);
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "ripple: error: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", USAGE);
    return RP_EINPUT;
}

/* Strict integer option parsing. */
static int parse_int(const char *opt, const char *s, long long lo,
                     long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr,
                "ripple: error: %s: must be an integer in [%lld, "
                "%lld] (got '%s')\n",
                opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

static char *join_args(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *s = malloc(n);
    if (s == NULL)
        return NULL;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

typedef struct {
    const char *scenario;
    const char *output;
    long long reps, seed, threads, horizon;
    int quiet, help, dense, resume;
    long long lanes, stop_after;
} cli_opts;

static int parse_opts(int argc, char **argv, cli_opts *o, int allow_run)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"replications", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 'j'},
        {"horizon", required_argument, NULL, 'H'},
        {"quiet", no_argument, NULL, 'q'},
        {"dense", no_argument, NULL, 'D'},
        {"lanes", required_argument, NULL, 'L'},
        {"resume", no_argument, NULL, 'U'},
        {"stop-after", required_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:r:s:j:qh", longs, NULL)) != -1) {
        /* these are for 'run' only (named by the option, as argv[optind -
         * 1] is the value of an option given as "-r 5") */
        static const char *const run_only[][2] = {
            {"r", "-r"},       {"s", "-s"},           {"H", "--horizon"},
            {"U", "--resume"}, {"A", "--stop-after"}, {"L", "--lanes"},
            {"D", "--dense"}};
        for (size_t q = 0;
             !allow_run && q < sizeof run_only / sizeof *run_only; q++)
            if (c == run_only[q][0][0])
                return usage_error("option '%s' applies to 'run' only",
                                   run_only[q][1]);
        switch (c) {
        case 'o':
            o->output = optarg;
            break;
        case 'r':
        case 's':
        case 'H':
            if (c == 'r' &&
                parse_int("-r", optarg, 1, 1000000000000LL, &o->reps) != 0)
                return RP_EINPUT;
            if (c == 's' &&
                parse_int("-s", optarg, 0, 9007199254740992LL, &o->seed) != 0)
                return RP_EINPUT;
            if (c == 'H' &&
                parse_int("--horizon", optarg, 1, 36500, &o->horizon) != 0)
                return RP_EINPUT;
            break;
        case 'j':
            if (parse_int("-j", optarg, 1, 4096, &o->threads) != 0)
                return RP_EINPUT;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'U':
            o->resume = 1;
            break;
        case 'A':
            if (parse_int("--stop-after", optarg, 1, 1000000000000LL,
                          &o->stop_after) != 0)
                return RP_EINPUT;
            break;
        case 'L':
            if (parse_int("--lanes", optarg, 1, 8, &o->lanes) != 0)
                return RP_EINPUT;
            if (o->lanes != 1 && o->lanes != RP_LANES)
                return usage_error("--lanes: must be 1 or 8 (got '%s')",
                                   optarg);
            break;
        case 'D':
            o->dense = 1;
            break;
        case 'h':
            o->help = 1;
            break;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        o->scenario = argv[optind++];
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    return RP_OK;
}

static rp_status load(const char *path, rp_scenario **s, rp_errors *err)
{
    if (path != NULL)
        return rp_scenario_load(path, s, err);
    return rp_scenario_parse("<bundled default.json>", rp_default_scenario,
                             NULL, s, err);
}

/* The common start of a command: options, --help, the required file.
 * Returns -1 to go on, or the exit status to return now. */
static int begin(int argc, char **argv, cli_opts *o, int allow_run,
                 const char *help, const char *need)
{
    int st = parse_opts(argc, argv, o, allow_run);
    if (st != RP_OK)
        return st;
    if (o->help) {
        fputs(help, stdout);
        return 0;
    }
    if (need != NULL && o->scenario == NULL)
        return usage_error("%s", need);
    return -1;
}

/* Build the model of every strategy once, so that validate reports every
 * problem a run would meet. */
static rp_status check_models(const rp_scenario *s, rp_errors *err)
{
    for (int i = 0; i < s->n_strategies; i++) {
        const rp_network *n =
            s->strategies[i].net ? s->strategies[i].net : s->net;
        rp_model *m = NULL;
        if (rp_model_build(n, &s->par, &m, err) == RP_OK) {
            void **preps = NULL;
            if (rp_threats_prepare(s->threats, s->n_threats, m, &preps, err) ==
                RP_OK)
                rp_threats_release(s->threats, s->n_threats, preps);
            rp_model_free(m);
        }
    }
    return rp_err_status(err);
}

static int cmd_validate(int argc, char **argv)
{
    cli_opts o = {0};
    int st = begin(argc, argv, &o, 0, HELP_VALIDATE,
                   "validate needs a SCENARIO.json");
    if (st >= 0)
        return st;
    rp_errors err;
    rp_err_init(&err);
    rp_scenario *s = NULL;
    if (load(o.scenario, &s, &err) != RP_OK ||
        check_models(s, &err) != RP_OK) {
        print_errors(&err);
        rp_scenario_free(s);
        return rp_err_status(&err);
    }
    rp_model *m = NULL;
    if (rp_model_build(s->net, &s->par, &m, &err) != RP_OK) {
        print_errors(&err);
        rp_scenario_free(s);
        return rp_err_status(&err);
    }
    rp_describe(stdout, s, m);
    rp_model_free(m);
    rp_scenario_free(s);
    return 0;
}

/* SIGINT/SIGTERM during a run: finish the current block, checkpoint, stop.
 * A second signal ends the program at once (removing any temporary file
 * being written). */
static void on_signal(int sig)
{
    rp_run_request_stop();
    signal(sig, rp_tmp_on_signal);
}

/* The output checked before any work (rank 0; every rank learns the
 * outcome, so that all stop together).  Returns the exit status. */
static int check_output(const char *out, int flags, int rank, int ranks)
{
    rp_errors err;
    rp_err_init(&err);
    int st = rank == 0 ? (int)rp_out_check(out, flags, &err) : 0;
    if (ranks > 1)
        st = rp_par_max_status(st);
    if (rank == 0)
        print_errors(&err);
    return st;
}

static int cmd_run(int argc, char **argv, const char *cmdline, int rank,
                   int ranks)
{
    cli_opts o = {0};
    o.reps = o.seed = o.horizon = -1;
    o.output = "results.h5";
    int st = begin(argc, argv, &o, 1, HELP_RUN, NULL);
    if (st >= 0)
        return st;
    st = check_output(o.output, RP_OUT_CKPT | (o.quiet ? RP_OUT_QUIET : 0),
                      rank, ranks);
    if (st != 0)
        return st;
    rp_errors err;
    rp_err_init(&err);
    rp_scenario *s = NULL;
    if (load(o.scenario, &s, &err) != RP_OK) {
        if (rank == 0)
            print_errors(&err);
        return rp_err_status(&err);
    }
    if (o.reps > 0)
        s->replications = o.reps;
    if (o.seed >= 0)
        s->seed = (uint64_t)o.seed;
    if (o.horizon > 0)
        s->horizon = (int)o.horizon;
    int threads = o.threads > 0 ? (int)o.threads : omp_get_max_threads();
    char ckpt[PATH_MAX];
    rp_path_add(ckpt, sizeof ckpt, o.output, ".ckpt"); /* fits: checked */
    if (ranks > 1 && (o.resume || o.stop_after > 0)) {
        if (rank == 0)
            fprintf(stderr,
                    "ripple: error: --resume and --stop-after work "
                    "in single-process runs only (this run has %d ranks)\n",
                    ranks);
        rp_scenario_free(s);
        return RP_EINPUT;
    }
    /* one run at a time per output: its checkpoint is not shared */
    rp_lock lock = {.fd = -1};
    if (ranks == 1 && rp_out_lock(o.output, &lock, &err) != RP_OK) {
        print_errors(&err);
        rp_scenario_free(s);
        return rp_err_status(&err);
    }
    rp_run_opts ro = {.threads = threads,
                      .progress = !o.quiet && isatty(2) && rank == 0,
                      .dense = o.dense,
                      .lanes = (int)o.lanes,
                      .checkpoint = ranks > 1 ? NULL : ckpt,
                      .resume = o.resume,
                      .stop_after = o.stop_after,
                      .rank = rank,
                      .ranks = ranks};
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    if (!o.quiet)
        fprintf(stderr,
                "ripple: %s: %d nodes, %d edges, %d threats, %d "
                "strategies, %lld replications x %d days, %d threads\n",
                o.scenario ? o.scenario : "bundled default scenario",
                s->net->n_nodes, s->net->n_edges, s->n_threats,
                s->n_strategies, (long long)s->replications, s->horizon,
                threads);
    rp_results *res = NULL;
    if (rp_run(s, &ro, &res, &err) != RP_OK) {
        if (rank == 0)
            print_errors(&err);
        rp_out_unlock(&lock);
        rp_scenario_free(s);
        return rp_err_status(&err) ? rp_err_status(&err) : RP_ERUNTIME;
    }
    if (rank != 0) { /* rank 0 holds the results and writes them */
        rp_results_free(res);
        rp_scenario_free(s);
        return 0;
    }
    rp_tmp_guard_signals(); /* a signal now: remove the file half written */
    rp_h5_meta meta = {cmdline, threads, ranks};
    if (rp_h5_write_run(o.output, s, res, &meta, &err) != RP_OK) {
        print_errors(&err);
        rp_out_unlock(&lock);
        rp_results_free(res);
        rp_scenario_free(s);
        return rp_err_status(&err);
    }
    unlink(ckpt); /* the run is complete: nothing left to resume */
    rp_out_unlock(&lock);
    if (!o.quiet) {
        double reps = (double)res->R * res->S;
        fprintf(stdout,
                "wrote %s: %d strateg%s x %lld replications in "
                "%.3f s (%.4g replications/s)\n",
                o.output, res->S, res->S == 1 ? "y" : "ies", (long long)res->R,
                res->seconds, res->seconds > 0 ? reps / res->seconds : 0);
        if (rp_inspect(stdout, o.output, 1, &err) != RP_OK)
            print_errors(&err);
    }
    rp_results_free(res);
    rp_scenario_free(s);
    return rp_err_status(&err);
}

static int cmd_stress(int argc, char **argv, const char *cmdline, int rank,
                      int ranks)
{
    cli_opts o = {0};
    o.output = "stress.h5";
    int st =
        begin(argc, argv, &o, 0, HELP_STRESS, "stress needs a SCENARIO.json");
    if (st >= 0)
        return st;
    st = check_output(o.output, o.quiet ? RP_OUT_QUIET : 0, rank, ranks);
    if (st != 0)
        return st;
    rp_tmp_guard_signals();
    rp_errors err;
    rp_err_init(&err);
    rp_scenario *s = NULL;
    rp_model *m = NULL;
    if (rp_scenario_load(o.scenario, &s, &err) != RP_OK ||
        rp_model_build(s->net, &s->par, &m, &err) != RP_OK) {
        if (rank == 0)
            print_errors(&err);
        rp_scenario_free(s);
        return rp_err_status(&err);
    }
    int N = s->net->n_nodes;
    /* under MPI each rank tests every ranks-th block of RP_LANES nodes
     * (the blocks the stress test steps in lockstep, so a node's results
     * do not depend on the rank count) */
    for (int i = 0; i < N; i++)
        if ((i / RP_LANES) % ranks != rank)
            s->stress_mask[i] = 0;
    int32_t *ttr = malloc((size_t)N * sizeof *ttr);
    if (ttr == NULL) {
        rp_model_free(m);
        rp_scenario_free(s);
        fprintf(stderr, "ripple: error: out of memory\n");
        return RP_ERUNTIME;
    }
    for (int i = 0; i < N; i++)
        ttr[i] = (int32_t)(isnan(s->net->ttr_days[i]) ? s->stress_ttr
                                                      : s->net->ttr_days[i]);
    int threads = o.threads > 0 ? (int)o.threads : omp_get_max_threads();
    rp_stress *res = NULL;
    rp_status rs =
        rp_stress_run(m, s->horizon, s->stress_mask, ttr, threads, &res, &err);
    if (rs == RP_OK && ranks > 1 && rp_stress_gather(res, rank) != 0)
        rs = rp_err_runtime(&err, "collecting the stress results failed");
    if (rs == RP_OK && rank != 0) {
        rp_stress_free(res);
        free(ttr);
        rp_model_free(m);
        rp_scenario_free(s);
        return 0;
    }
    if (rs == RP_OK) {
        rp_h5_meta meta = {cmdline, threads, ranks};
        rs = rp_h5_write_stress(o.output, s, res, &meta, &err);
    }
    if (rs == RP_OK && !o.quiet) {
        fprintf(stdout, "wrote %s\n", o.output);
        rp_inspect(stdout, o.output, 1, &err);
    }
    if (rp_err_any(&err))
        print_errors(&err);
    rp_stress_free(res);
    free(ttr);
    rp_model_free(m);
    rp_scenario_free(s);
    return rp_err_status(&err);
}

static int cmd_generate(int argc, char **argv)
{
    static const struct option longs[] = {
        {"nodes", required_argument, NULL, 'n'},
        {"tiers", required_argument, NULL, 'T'},
        {"degree", required_argument, NULL, 'd'},
        {"regions", required_argument, NULL, 'R'},
        {"seed", required_argument, NULL, 's'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    rp_gen_opts go;
    rp_gen_defaults(&go);
    const char *out = NULL;
    long long v;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":n:s:o:h", longs, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (parse_int("-n", optarg, 10, 100000000, &v) != 0)
                return RP_EINPUT;
            go.nodes = (long)v;
            break;
        case 'T':
            if (parse_int("--tiers", optarg, 2, 50, &v) != 0)
                return RP_EINPUT;
            go.tiers = (int)v;
            break;
        case 'd': {
            char *end;
            double d = strtod(optarg, &end);
            if (*end != '\0' || !(d >= 1 && d <= 100)) {
                fprintf(stderr,
                        "ripple: error: --degree: must be a number "
                        "in [1, 100] (got '%s')\n",
                        optarg);
                return RP_EINPUT;
            }
            go.degree = d;
            break;
        }
        case 'R':
            if (parse_int("--regions", optarg, 1, 10000, &v) != 0)
                return RP_EINPUT;
            go.regions = (int)v;
            break;
        case 's':
            if (parse_int("-s", optarg, 0, 9007199254740992LL, &v) != 0)
                return RP_EINPUT;
            go.seed = (uint64_t)v;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            fputs(HELP_GENERATE, stdout);
            return 0;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (go.tiers > rp_gen_max_tiers(go.nodes)) {
        fprintf(stderr,
                "ripple: error: --tiers: must be at most %ld for %ld nodes "
                "(a quarter are customers, and each supplier tier needs a "
                "node) (got %d)\n",
                rp_gen_max_tiers(go.nodes), go.nodes, go.tiers);
        return RP_EINPUT;
    }
    FILE *f = stdout;
    char tmp[PATH_MAX];
    if (out != NULL) {
        int st = check_output(out, 0, 0, 1);
        if (st != 0)
            return st;
        rp_tmp_guard_signals();
        int fd = rp_tmp_create(out, tmp, sizeof tmp);
        f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (f == NULL) {
            fprintf(stderr,
                    "ripple: error: %s: cannot create a temporary file "
                    "beside it: %s\n",
                    out, strerror(errno));
            if (fd >= 0) {
                close(fd);
                unlink(tmp);
            }
            rp_tmp_forget(tmp);
            return RP_ERUNTIME;
        }
    }
    long edges = rp_generate(f, &go);
    if (out != NULL) {
        int e = 0;
        if (ferror(f) || fflush(f) != 0)
            e = errno ? errno : EIO;
        if (fclose(f) != 0 && e == 0)
            e = errno;
        if (edges < 0 || e != 0 || rename(tmp, out) != 0) {
            if (e == 0)
                e = errno;
            unlink(tmp);
            rp_tmp_forget(tmp);
            fprintf(stderr, "ripple: error: %s: writing failed: %s\n", out,
                    strerror(e));
            return RP_ERUNTIME;
        }
        rp_tmp_forget(tmp);
        fprintf(stderr, "ripple: wrote %s: %ld nodes, %ld edges\n", out,
                go.nodes, edges);
    } else if (edges < 0) {
        fprintf(stderr, "ripple: error: writing the network failed\n");
        return RP_ERUNTIME;
    }
    return 0;
}

static int cmd_inspect(int argc, char **argv)
{
    cli_opts o = {0};
    int st =
        begin(argc, argv, &o, 0, HELP_INSPECT, "inspect needs a results file");
    if (st >= 0)
        return st;
    rp_errors err;
    rp_err_init(&err);
    if (rp_inspect(stdout, o.scenario, 0, &err) != RP_OK) {
        print_errors(&err);
        return rp_err_status(&err);
    }
    return 0;
}

static int dispatch(int argc, char **argv, int rank, int ranks);

int main(int argc, char **argv)
{
    int rank, ranks;
    rp_par_init(&argc, &argv, &rank, &ranks);
    int rc = dispatch(argc, argv, rank, ranks);
    rc = rp_par_max_status(rc);
    rp_par_finalize();
    return rc;
}

/* Under MPI every rank takes part in `run` (replications are shared out)
 * and `stress` (nodes are); the other commands are done by rank 0 alone. */
static int dispatch(int argc, char **argv, int rank, int ranks)
{
    gsl_set_error_handler_off();
    if (rank != 0 && (argc < 2 || (strcmp(argv[1], "run") != 0 &&
                                   strcmp(argv[1], "stress") != 0)))
        return 0;
    if (argc < 2) {
        fputs(USAGE, stderr);
        return RP_EINPUT;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("ripple %s (model version %d, results format %d.%d; %d lanes, "
               "%s)\n",
               RIPPLE_VERSION, RP_MODEL_VERSION, RP_FORMAT_MAJOR,
               RP_FORMAT_MINOR, RP_LANES, rp_flow_simd());
        return 0;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    char *cmdline = join_args(argc, argv);
    int rc;
    if (strcmp(cmd, "run") == 0)
        rc = cmd_run(argc - 1, argv + 1, cmdline, rank, ranks);
    else if (strcmp(cmd, "stress") == 0)
        rc = cmd_stress(argc - 1, argv + 1, cmdline, rank, ranks);
    else if (strcmp(cmd, "validate") == 0)
        rc = cmd_validate(argc - 1, argv + 1);
    else if (strcmp(cmd, "inspect") == 0)
        rc = cmd_inspect(argc - 1, argv + 1);
    else if (strcmp(cmd, "trace") == 0)
        rc = rp_cmd_trace(argc - 1, argv + 1, cmdline, rp_default_scenario);
    else if (strcmp(cmd, "generate") == 0)
        rc = cmd_generate(argc - 1, argv + 1);
    else
        rc = usage_error("unknown command '%s'", cmd);
    free(cmdline);
    return rc;
}
