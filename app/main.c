/* ripple: the command line (docs/formats.md, "Command line").  Only this file
 * prints errors; everything below returns a status and an error list. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "ripple/csvnet.h"
#include "ripple/describe.h"
#include "ripple/files.h"
#include "ripple/generate.h"
#include "ripple/h5out.h"
#include "ripple/inspect.h"
#include "ripple/par.h"
#include "ripple/register.h"
#include "ripple/report.h"
#include "ripple/resources.h"
#include "ripple/ripple.h"
#include "ripple/stress.h"
#include "ripple/sweep.h"
#include "ripple/trace.h"
#include "ripple/util.h"

extern const char rp_default_scenario[];

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
    "      --lanes 1|4|8     replications stepped in lockstep; never changes\n"
    "                        results.  Default: the most whose own state "
    "fits\n"
    "                        a thread's share of an eighth of the memory\n"
    "                        available (that share 1 GiB at least), fewer if\n"
    "                        the whole run would not fit; asked for, it is\n"
    "                        kept, and the run refused if it does not fit\n"
    "      --dense           simulate every day of every node (no skipping\n"
    "                        of quiet days; for checking and benchmarks)\n"
    "      --register MODE   risk register by threat: marginal (default:\n"
    "                        frequency, standalone, marginal and tail loss,\n"
    "                        classes), shapley (adds Shapley values) or none\n"
    "      --events all|none the event log /events (default all)\n"
    "  -q, --quiet           print nothing but errors\n"
    "                        (otherwise progress on stderr: on a terminal "
    "one\n"
    "                        line kept up to date, in a log a line every 30 "
    "s\n"
    "                        or every $RIPPLE_PROGRESS_SECONDS)\n"
    "      --resume          continue an interrupted run from OUT.h5.ckpt\n"
    "                        (written every minute and on Ctrl-C); the\n"
    "                        result is the file an uninterrupted run writes\n"
    "      --stop-after N    stop as if interrupted once N replications are\n"
    "                        done (for testing --resume)\n"
    "  -h, --help            this help\n";
static const char *HELP_STRESS =
    "ripple stress SCENARIO.json [options]\n"
    "  Simchi-Levi stress test: each selected node down for its TTR;\n"
    "  performance impact, REI, time-to-survive, exposure.  Nodes run in\n"
    "  lanes (8, 4 or 1, as the memory allows; never a change of result).\n"
    "  -o, --output OUT.h5   results file (default stress.h5)\n"
    "  -j, --threads N       OpenMP threads\n"
    "  -q, --quiet           print nothing but errors\n"
    "  -h, --help            this help\n";
static const char *HELP_VALIDATE =
    "ripple validate SCENARIO.json|- [options]\n"
    "  Check the scenario and network; print size, tiers, baseline and\n"
    "  warnings, and the memory a run and a stress test of it need.  Exit\n"
    "  0 when valid, 2 when not.  '-' reads the scenario from standard\n"
    "  input (a network path is then relative to the current directory).\n"
    "  The options plan a run with them instead (as `ripple run` takes\n"
    "  them):\n"
    "  -r, --replications N  replications\n"
    "  -j, --threads N       OpenMP threads\n"
    "      --horizon DAYS    simulated days\n"
    "      --lanes 1|4|8     replications stepped in lockstep (plans the run\n"
    "                        with them; the stress test chooses its own)\n"
    "      --warnings W      all: every warning on its own line; summary\n"
    "                        (the default): a few of a kind, and one line\n"
    "                        sums up the rest (the last line says how\n"
    "                        many it stands for)\n"
    "  -h, --help            this help\n";
static const char *HELP_EXPORT =
    "ripple export-network SCENARIO.json --csv DIR\n"
    "  Write the scenario's network as DIR/nodes.csv and DIR/edges.csv\n"
    "  (comma-separated, the fields the network sets; DIR is created when\n"
    "  missing).  A scenario names them with \"network\": {\"nodes_csv\":\n"
    "  ..., \"edges_csv\": ...}.\n"
    "      --csv DIR      the directory to write to\n"
    "  -h, --help         this help\n";
static const char *HELP_INSPECT =
    "ripple inspect OUT.h5 [options]\n"
    "  Summarise a results file: run metadata, metrics per strategy, the\n"
    "  strategies ranked by net benefit a year and the recommendation,\n"
    "  critical nodes, the risk register by threat with its likelihood x\n"
    "  consequence matrix, the worst replications and their events, stress\n"
    "  exposure.  The file is checked against the format first.\n"
    "      --format F    text (default), json (one object) or csv (a table\n"
    "                    a section, each after a '# section' line)\n"
    "  -o, --output F    write to F (complete or not at all) instead of\n"
    "                    standard output ('-': standard output)\n"
    "  -h, --help        this help\n";

static const char *HELP_GENERATE =
    "ripple generate [-n NODES] [options]\n"
    "  Write a synthetic tiered network (network format) for benchmarks:\n"
    "  customers a quarter of the nodes, multi-sourced inputs, Zipf-like\n"
    "  supplier popularity (heavy-tailed degrees), regions.\n"
    "  -n, --nodes N      nodes (default 1000)\n"
    "      --tiers K      tiers including customers (default 5)\n"
    "      --degree D     most inputs a buyer that is not a customer has\n"
    "                     (1..D, each from 1-3 suppliers; default 5)\n"
    "      --regions R    regions (default 12)\n"
    "  -s, --seed S       random seed (default 1)\n"
    "  -o, --output F     output file (default, or '-': standard output)\n"
    "  -h, --help         this help\n";

/* The command being run (NULL before one is known): a usage error prints
 * its synopsis only. */
static const char *usage_cmd;

/* fmt has one %s, for arg (a command-line word, printed escaped); then the
 * command's synopsis. */
static int usage_error(const char *fmt, const char *arg)
{
    char safe[512];
    rp_escape(arg, safe, sizeof safe);
    fprintf(stderr, "ripple: error: ");
    fprintf(stderr, fmt, safe);
    fprintf(stderr, "\n");
    return rp_cli_usage(usage_cmd);
}

/* After getopt: a missing value or an unknown option (or one spelt in
 * part), named; the guess at what was meant is one of the options whose
 * codes are in `allowed` (NULL: any of the table's). */
static int option_error(int c, char **argv, const char *allowed)
{
    const char *near = c == ':' ? NULL : rp_cli_suggest_among(argv, allowed);
    char fmt[128];
    if (near != NULL) /* a name from the options table: no '%' */
        snprintf(fmt, sizeof fmt, "unknown option '%%s'; did you mean '--%s'?",
                 near);
    return usage_error(c == ':'       ? "option '%s' needs a value"
                       : near != NULL ? fmt
                                      : "unknown option '%s'",
                       rp_cli_bad_raw(argv));
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
    const char *reg;    /* --register: marginal (NULL), shapley, none */
    const char *events; /* --events: all (NULL), none */
    const char *format; /* --format (inspect): text (NULL), json, csv */
    int warnings_all;   /* --warnings all (validate) */
} cli_opts;

/* An option this command does not take (named by the option, as
 * argv[optind - 1] is the value of an option given as "-r 5"): the usage
 * error's status, or -1 when the command takes it. */
static int refuse_option(int c, const char *cmd, const char *allowed)
{
    static const char *const names[][2] = {
        {"o", "-o"},       {"r", "-r"},           {"s", "-s"},
        {"j", "-j"},       {"H", "--horizon"},    {"q", "-q"},
        {"U", "--resume"}, {"A", "--stop-after"}, {"L", "--lanes"},
        {"D", "--dense"},  {"G", "--register"},   {"V", "--events"},
        {"F", "--format"}, {"W", "--warnings"}};
    for (size_t q = 0; q < sizeof names / sizeof *names; q++) {
        if (c != names[q][0][0] || strchr(allowed, c) != NULL)
            continue;
        char msg[160];
        if (strchr("rsHUALDGV", c) != NULL)
            snprintf(msg, sizeof msg, "option '%%s' applies to 'run' only%s",
                     strchr("rHL", c) != NULL
                         ? " (and to 'validate', for its memory estimate)"
                         : "");
        else
            snprintf(msg, sizeof msg, "option '%%s' does not apply to '%s'",
                     cmd);
        return usage_error(msg, names[q][1]);
    }
    return -1;
}

/* An option's value checked against its words (`what` names them in the
 * message, which has a %s for the value); 0 when it is one of them. */
static int one_of(const char *arg, const char *const *words, const char *what)
{
    for (int k = 0; words[k] != NULL; k++)
        if (strcmp(arg, words[k]) == 0)
            return 0;
    return usage_error(what, arg);
}

/* Option c (getopt's code, its value in optarg) into o.  RP_OK, or the
 * usage error's status (an unknown option's guess among `allowed`). */
static int set_option(int c, cli_opts *o, char **argv, const char *allowed)
{
    static const char *const regs[] = {"marginal", "shapley", "none", NULL};
    static const char *const evs[] = {"all", "none", NULL};
    static const char *const fmts[] = {"text", "json", "csv", NULL};
    static const char *const warns[] = {"all", "summary", NULL};
    switch (c) {
    case 'o':
        o->output = optarg;
        return RP_OK;
    case 'r': /* the bounds of the scenario's keys (bounds.h) */
        return rp_cli_int(usage_cmd, "-r", optarg, 1, RP_MAX_REPLICATIONS,
                          &o->reps) != 0
                   ? RP_EINPUT
                   : RP_OK;
    case 's':
        return rp_cli_int(usage_cmd, "-s", optarg, 0, RP_MAX_SEED, &o->seed) !=
                       0
                   ? RP_EINPUT
                   : RP_OK;
    case 'H':
        return rp_cli_int(usage_cmd, "--horizon", optarg, 1, RP_MAX_HORIZON,
                          &o->horizon) != 0
                   ? RP_EINPUT
                   : RP_OK;
    case 'j':
        return rp_cli_int(usage_cmd, "-j", optarg, 1, 4096, &o->threads) != 0
                   ? RP_EINPUT
                   : RP_OK;
    case 'q':
        o->quiet = 1;
        return RP_OK;
    case 'U':
        o->resume = 1;
        return RP_OK;
    case 'A':
        return rp_cli_int(usage_cmd, "--stop-after", optarg, 1,
                          RP_MAX_REPLICATIONS, &o->stop_after) != 0
                   ? RP_EINPUT
                   : RP_OK;
    case 'L':
        if (rp_cli_int(usage_cmd, "--lanes", optarg, 0, INT_MAX, &o->lanes) !=
            0)
            return RP_EINPUT;
        if (o->lanes != 1 && o->lanes != RP_HALF && o->lanes != RP_LANES)
            return usage_error("--lanes: must be 1, 4 or 8 (got '%s')",
                               optarg);
        return RP_OK;
    case 'D':
        o->dense = 1;
        return RP_OK;
    case 'G':
        o->reg = optarg;
        return one_of(optarg, regs,
                      "--register: marginal, shapley or none (got '%s')");
    case 'V':
        o->events = optarg;
        return one_of(optarg, evs, "--events: all or none (got '%s')");
    case 'F':
        o->format = optarg;
        return one_of(optarg, fmts, "--format: text, json or csv (got '%s')");
    case 'W':
        o->warnings_all = strcmp(optarg, "all") == 0;
        return one_of(optarg, warns, "--warnings: all or summary (got '%s')");
    case 'h':
        o->help = 1;
        return RP_OK;
    default:
        return option_error(c, argv, allowed);
    }
}

/* The options a command takes: `allowed` lists their codes (above). */
static int parse_opts(int argc, char **argv, cli_opts *o, const char *cmd,
                      const char *allowed)
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
        {"register", required_argument, NULL, 'G'},
        {"events", required_argument, NULL, 'V'},
        {"format", required_argument, NULL, 'F'},
        {"warnings", required_argument, NULL, 'W'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    optind = 1;
    int c;
    while ((c = rp_cli_getopt(argc, argv, ":o:r:s:j:qh", longs)) != -1) {
        int st = refuse_option(c, cmd, allowed);
        if (st >= 0)
            return st;
        st = set_option(c, o, argv, allowed);
        if (st != RP_OK)
            return st;
    }
    if (optind < argc)
        o->scenario = argv[optind++];
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    return RP_OK;
}

/* The scenario from standard input (`validate -`), at most the input
 * limit; a network path in it is relative to the current directory. */
static rp_status load_stdin(rp_scenario **s, rp_errors *err)
{
    const char *label = "<stdin>";
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap + 1);
    if (buf == NULL)
        return rp_err_runtime(err, "%s: out of memory", label);
    for (;;) {
        if (len == cap) {
            if (cap >= RP_MAX_INPUT_BYTES) {
                free(buf);
                return rp_err_add(err, "%s: more than %s bytes", label,
                                  RP_COUNT(RP_MAX_INPUT_BYTES));
            }
            cap *= 2;
            char *b = realloc(buf, cap + 1);
            if (b == NULL) {
                free(buf);
                return rp_err_runtime(err, "%s: out of memory", label);
            }
            buf = b;
        }
        ssize_t got = read(0, buf + len, cap - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(buf);
            return rp_err_add(err, "%s: read error: %s", label, strerror(e));
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    buf[len] = '\0';
    rp_status st;
    if (memchr(buf, '\0', len) != NULL)
        st = rp_err_add(err, "%s: NUL byte in JSON text", label);
    else
        st = rp_scenario_parse(label, buf, "", s, err);
    free(buf);
    return st;
}

static rp_status load(const char *path, rp_scenario **s, rp_errors *err)
{
    if (path != NULL && strcmp(path, "-") == 0)
        return load_stdin(s, err);
    if (path != NULL)
        return rp_scenario_load(path, s, err);
    return rp_scenario_parse("<bundled default.json>", rp_default_scenario,
                             NULL, s, err);
}

/* --register's mode (marginal when not given). */
static int reg_mode(const char *arg)
{
    if (arg == NULL || strcmp(arg, "marginal") == 0)
        return RP_REG_MARGINAL;
    return strcmp(arg, "shapley") == 0 ? RP_REG_SHAPLEY : RP_REG_NONE;
}

/* The common start of a command: options, --help, the required file.
 * Returns -1 to go on, or the exit status to return now. */
static int begin(int argc, char **argv, cli_opts *o, const char *cmd,
                 const char *allowed, const char *help, const char *need)
{
    int st = parse_opts(argc, argv, o, cmd, allowed);
    if (st != RP_OK)
        return st;
    if (o->help) {
        fputs(help, stdout);
        return 0;
    }
    if (need != NULL && o->scenario == NULL)
        return usage_error("%s", need);
    /* the commands that plan their memory: a ceiling that cannot be read
     * is an error, not no ceiling */
    const char *env = getenv("RIPPLE_MAX_MEMORY");
    if ((strcmp(cmd, "run") == 0 || strcmp(cmd, "stress") == 0 ||
         strcmp(cmd, "validate") == 0) &&
        env != NULL && env[0] != '\0' && rp_mem_parse_size(env) < 0) {
        char safe[128];
        rp_escape(env, safe, sizeof safe);
        fprintf(stderr,
                "ripple: error: RIPPLE_MAX_MEMORY: \"%s\" is not a size "
                "(bytes, or a number with K, M, G or T: powers of 1024, "
                "for example 700M or 2G)\n",
                safe);
        return RP_EINPUT;
    }
    return -1;
}

/* begin() on one rank of an MPI run: every rank parses the same command
 * line to the same end, and rank 0 alone says so (a usage error and the
 * synopsis, or --help, once; the others' words go to /dev/null). */
static int begin_rank(int rank, int argc, char **argv, cli_opts *o,
                      const char *cmd, const char *allowed, const char *help,
                      const char *need)
{
    if (rank == 0)
        return begin(argc, argv, o, cmd, allowed, help, need);
    fflush(stdout);
    fflush(stderr);
    int out = dup(1), err = dup(2), null = open("/dev/null", O_WRONLY);
    int quiet = out >= 0 && err >= 0 && null >= 0;
    if (quiet) {
        dup2(null, 1);
        dup2(null, 2);
    }
    int st = begin(argc, argv, o, cmd, allowed, help, need);
    fflush(stdout);
    fflush(stderr);
    if (quiet) {
        dup2(out, 1);
        dup2(err, 2);
    }
    if (out >= 0)
        close(out);
    if (err >= 0)
        close(err);
    if (null >= 0)
        close(null);
    return st;
}

/* The thread count: -j, else OMP_NUM_THREADS or every core, but never
 * more than rp_thread_cap() (with a note, unless quiet).  Every parallel
 * region then uses it (OMP_NUM_THREADS=100000 overflowed the stack). */
static int resolve_threads(long long asked, int quiet)
{
    int cap = rp_thread_cap();
    long long want = asked > 0 ? asked : omp_get_max_threads();
    if (want > cap) {
        if (!quiet)
            fprintf(stderr,
                    "ripple: note: %s asks for %s threads; using %s (at "
                    "most 4 a core, %s cores here, and at most %s)\n",
                    asked > 0 ? "-j" : "OMP_NUM_THREADS", RP_COUNT(want),
                    RP_COUNT(cap), RP_COUNT(omp_get_num_procs()),
                    RP_COUNT(RP_MAX_THREADS));
        want = cap;
    }
    omp_set_num_threads((int)want);
    return (int)want;
}

/* -r, -s and --horizon override the scenario. */
static void apply_overrides(rp_scenario *s, const cli_opts *o)
{
    if (o->reps > 0)
        s->replications = o->reps;
    if (o->seed >= 0)
        s->seed = (uint64_t)o->seed;
    if (o->horizon > 0)
        s->horizon = (int)o->horizon;
}

/* Bytes a thread's workspace may take for lanes (rp_flow_lane_budget):
 * measured once per command, so the plan and the run agree. */
static double lane_budget(int threads)
{
    return rp_flow_lane_budget(rp_mem_available(NULL, 0), threads);
}

/* The largest model and workspaces over the strategies, for the memory
 * estimate. */
typedef struct {
    double model, ws, ws_one;
    double ws_half;    /* the workspace with RP_HALF lanes at most */
    int lanes;         /* the baseline's */
    int st_lanes;      /* a stress test's (of the baseline) */
    double st_ws;      /* its workspace */
    double st_ws_half; /* with RP_HALF lanes at most */
} model_sizes;

/* Lost values are sums of unit_value x quantity over days and nodes: with
 * every value bounded (bounds.h) they stay finite unless ratios multiply
 * the baseline output along a chain past any sensible size. */
static void check_magnitudes(const rp_scenario *s, const rp_model *m,
                             rp_errors *err)
{
    int worst = -1;
    double most = 0;
    for (int i = 0; i < m->N; i++) {
        double q = m->x0[i] > m->F[i] ? m->x0[i] : m->F[i];
        double v = m->v[i] * q;
        if (!(v <= most)) {
            most = v;
            worst = i;
        }
    }
    /* orders can run a few times the baseline while stocks refill */
    if (worst >= 0 && !(most * 100.0 * s->horizon * m->N < 1e300)) {
        const rp_network *n = m->net;
        char place[400];
        if (n->node_line != NULL) /* a CSV network: the node's line */
            snprintf(place, sizeof place, "%s:%d", n->nodes_file,
                     n->node_line[worst]);
        else
            snprintf(place, sizeof place, "%s: %s%snodes[%d]", n->file,
                     n->prefix, n->prefix[0] ? "." : "", worst);
        char big[32];
        rp_err_add(err,
                   "%s: unit_value x baseline output is %s "
                   "(\"%s\"): lost values over %s days would overflow; "
                   "lower the ratios, demands or unit values",
                   place, rp_describe_num(big, sizeof big, most), n->id[worst],
                   RP_COUNT(s->horizon));
    }
}

/* Build the baseline's model and the model of every strategy with a
 * network of its own (the others run the baseline's), so that every
 * problem a run would meet is reported before any work starts, and each
 * once: a problem of the scenario's network for the baseline alone (the
 * strategies' copies would repeat it), one that a strategy's actions
 * bring with the strategy's name (unless the message locates it in the
 * strategy already).  With `prepare`, the threats are prepared against
 * each model too.  Notes the largest model and workspace (with `lanes`
 * lanes, or each model's own when 0).  With `keep`, the baseline's model
 * is handed back in *keep (NULL if it could not be built) instead of
 * being freed. */
static rp_status check_models(const rp_scenario *s, int lanes, double budget,
                              int prepare, model_sizes *sz, rp_model **keep,
                              rp_errors *err)
{
    if (keep != NULL)
        *keep = NULL;
    memset(sz, 0, sizeof *sz);
    rp_errors *mine = malloc(sizeof *mine);
    if (mine == NULL)
        return rp_err_runtime(err, "out of memory");
    for (int i = 0; i < s->n_strategies; i++) {
        if (i > 0 && s->strategies[i].net == NULL)
            continue;
        const rp_network *n =
            s->strategies[i].net ? s->strategies[i].net : s->net;
        rp_err_init(mine);
        rp_model *m = NULL;
        if (rp_model_build(n, &s->par, &m, mine) == RP_OK) {
            check_magnitudes(s, m, mine);
            int k =
                lanes > 0 ? lanes : rp_flow_lanes_for(m, s->horizon, budget);
            if (i == 0) {
                sz->lanes = k;
                sz->st_lanes = rp_flow_lanes_for(m, s->horizon, budget);
                sz->st_ws =
                    (double)rp_flow_ws_bytes(m, sz->st_lanes, s->horizon);
                sz->st_ws_half = (double)rp_flow_ws_bytes(
                    m, sz->st_lanes < RP_HALF ? sz->st_lanes : RP_HALF,
                    s->horizon);
            }
            double b = rp_model_bytes(m),
                   w = (double)rp_flow_ws_bytes(m, k, s->horizon),
                   w1 = (double)rp_flow_ws_bytes(m, 1, s->horizon),
                   wh = (double)rp_flow_ws_bytes(m, k < RP_HALF ? k : RP_HALF,
                                                 s->horizon);
            sz->model = b > sz->model ? b : sz->model;
            sz->ws = w > sz->ws ? w : sz->ws;
            sz->ws_half = wh > sz->ws_half ? wh : sz->ws_half;
            sz->ws_one = w1 > sz->ws_one ? w1 : sz->ws_one;
            void **preps = NULL;
            if (prepare && rp_threats_prepare(s->threats, s->n_threats, m,
                                              &preps, mine) == RP_OK)
                rp_threats_release(s->threats, s->n_threats, preps);
            if (i == 0 && keep != NULL)
                *keep = m;
            else
                rp_model_free(m);
        }
        for (int q = 0; q < mine->count; q++) {
            if (i == 0 || strstr(mine->msg[q], "strategies[") != NULL)
                rp_err_add(err, "%s", mine->msg[q]);
            else
                rp_err_add(err, "%s (with the actions of strategy \"%s\")",
                           mine->msg[q], s->strategies[i].name);
        }
        err->dropped += mine->dropped;
        err->runtime |= mine->runtime;
        if (i == 0 && rp_err_any(mine))
            break;
    }
    free(mine);
    return rp_err_status(err);
}

/* The plan of a run with the lanes chosen (sz->lanes), or, when those were
 * not asked for (`asked` 0) and the memory cannot hold them, with fewer:
 * lanes change the time, never the results, so they give way before a run
 * is refused.  0 when the run fits, with *plan and *lanes those it runs
 * with; -1 when not even one lane fits, with *plan, *lanes and the error
 * (in err) those of the fewest lanes tried: what is short even then. */
static int plan_fitting(const rp_scenario *s, const model_sizes *sz, int asked,
                        int threads, int reg, int events, rp_mem_plan *plan,
                        int *lanes, rp_errors *err)
{
    /* (reg < 0: a stress test's plan, with sz->st_*) */
    const int k0 = reg < 0 ? sz->st_lanes : sz->lanes;
    const int K[3] = {k0, k0 < RP_HALF ? k0 : RP_HALF, 1};
    const double W[3] = {reg < 0 ? sz->st_ws : sz->ws,
                         reg < 0 ? sz->st_ws_half : sz->ws_half, sz->ws_one};
    const int tries = asked > 0 ? 1 : 3;
    rp_errors *trial = malloc(sizeof *trial);
    if (trial == NULL) {
        rp_err_runtime(err, "out of memory");
        return -1;
    }
    for (int q = 0; q < tries; q++) {
        if (q > 0 && K[q] == K[q - 1])
            continue;
        rp_mem_plan p;
        if (reg < 0) {
            rp_mem_plan_stress(s, threads, K[q], W[q], sz->ws_one, sz->model,
                               &p);
        } else {
            rp_mem_plan_run(s, threads, K[q], W[q], sz->model, &p);
            rp_mem_plan_register(&p, s, reg, events);
        }
        /* (on failure, the plan and the error of the fewest lanes tried:
         * the shortfall that is left) */
        *plan = p;
        *lanes = K[q];
        rp_err_init(trial);
        if (rp_mem_plan_check(&p, trial) == 0) {
            free(trial);
            return 0;
        }
    }
    for (int q = 0; q < trial->count; q++)
        rp_err_add(err, "%s", trial->msg[q]);
    free(trial);
    return -1;
}

/* What run and stress say when their lanes gave way to fewer (rank 0,
 * unless quiet). */
static void note_lanes(int chosen, int running)
{
    fprintf(stderr,
            "ripple: note: %d lanes a thread would not fit the memory; "
            "running %d (lanes change the time, never the results)\n",
            chosen, running);
}

/* The memory a run (and a stress test) of s would take, printed by
 * validate. */
static void print_memory(FILE *f, const rp_scenario *s, int asked, int threads,
                         const model_sizes *sz)
{
    rp_mem_plan run, st;
    int lanes;
    rp_errors *err = malloc(sizeof *err);
    if (err == NULL)
        return;
    rp_err_init(err);
    const int fits = plan_fitting(s, sz, asked, threads, RP_REG_MARGINAL, 1,
                                  &run, &lanes, err) == 0;
    rp_errors *serr = malloc(sizeof *serr);
    if (serr == NULL) {
        free(err);
        return;
    }
    rp_err_init(serr);
    int st_lanes;
    const int st_fits =
        plan_fitting(s, sz, 0, threads, -1, 0, &st, &st_lanes, serr) == 0;
    char src[128], avail[32], line[1024];
    double a = rp_mem_available(src, sizeof src);
    rp_mem_plan_describe(&run, line, sizeof line);
    fprintf(f, "memory      %s\n", line);
    rp_mem_plan_describe(&st, line, sizeof line);
    fprintf(f, "            %s\n", line);
    if (a >= 0) {
        rp_mem_format(a, avail, sizeof avail);
        fprintf(f, "            %s available (%s)\n", avail, src);
    }
    if (fits && lanes < sz->lanes)
        fprintf(f,
                "note: %d lanes a thread would not fit the memory; a run "
                "takes %d (lanes change the time, never the results)\n",
                sz->lanes, lanes);
    if (st_fits && st_lanes < sz->st_lanes)
        fprintf(f,
                "note: %d lanes a thread would not fit the memory; a stress "
                "test takes %d\n",
                sz->st_lanes, st_lanes);
    if (!fits)
        fprintf(f, "warning: %s\n", err->msg[0]);
    else if (!st_fits)
        fprintf(f, "warning: %s\n", serr->msg[0]);
    free(serr);
    free(err);
}

static int cmd_validate(int argc, char **argv)
{
    cli_opts o = {0};
    o.reps = o.seed = o.horizon = -1;
    int st = begin(argc, argv, &o, "validate", "rjHLWh", HELP_VALIDATE,
                   "validate needs a SCENARIO.json");
    if (st >= 0)
        return st;
    rp_errors err;
    rp_err_init(&err);
    rp_scenario *s = NULL;
    model_sizes sz;
    rp_model *m = NULL; /* the baseline's, built once for both uses */
    if (load(o.scenario, &s, &err) == RP_OK)
        apply_overrides(s, &o);
    int threads = resolve_threads(o.threads, 0);
    if (s == NULL || check_models(s, (int)o.lanes, lane_budget(threads), 1,
                                  &sz, &m, &err) != RP_OK) {
        rp_cli_print_errors(&err);
        rp_model_free(m);
        rp_scenario_free(s);
        return rp_err_status(&err);
    }
    rp_describe(stdout, s, m, o.warnings_all);
    rp_model_free(m); /* (not held when the plan reads what is) */
    print_memory(stdout, s, (int)o.lanes, threads, &sz);
    rp_scenario_free(s);
    return 0;
}

/* Seconds between progress lines when stderr is not a terminal (a batch
 * log): RIPPLE_PROGRESS_SECONDS if it is a positive number, else 30. */
static double progress_every(void)
{
    const char *env = getenv("RIPPLE_PROGRESS_SECONDS");
    if (env == NULL || *env == '\0')
        return RP_PROGRESS_EVERY;
    char *end = NULL;
    double v = strtod(env, &end);
    if (*end != '\0' || !(v > 0) || !isfinite(v)) {
        fprintf(stderr,
                "ripple: note: RIPPLE_PROGRESS_SECONDS=%s is not a positive "
                "number of seconds; progress every %.0f s\n",
                env, RP_PROGRESS_EVERY);
        return RP_PROGRESS_EVERY;
    }
    return v;
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
        rp_cli_print_errors(&err);
    return st;
}

/* Every problem of the strategies' models, and the memory, before any
 * work (each rank checks its own machine; all stop together); the run
 * needs the network document only as text from there on, so it is
 * released first (the plan then counts what the process holds without
 * it).  The exit status (0: go on), errors printed. */
static int run_checks(rp_scenario *s, const cli_opts *o, int threads,
                      double budget, int rank, int ranks, int *max_lanes,
                      rp_errors *err)
{
    model_sizes sz;
    int bad =
            check_models(s, (int)o->lanes, budget, 0, &sz, NULL, err) != RP_OK,
        mem = 0;
    if (!bad)
        bad = rp_scenario_release_network(s, err) != RP_OK;
    if (!bad) {
        rp_mem_plan plan;
        mem = bad =
            plan_fitting(s, &sz, (int)o->lanes, threads, reg_mode(o->reg),
                         o->events == NULL || strcmp(o->events, "all") == 0,
                         &plan, max_lanes, err) != 0;
        if (!bad && *max_lanes < sz.lanes && rank == 0 && !o->quiet)
            note_lanes(sz.lanes, *max_lanes);
    }
    int stq = bad ? (int)rp_err_status(err) : 0;
    if (ranks > 1)
        stq = rp_par_max_status(stq);
    if (stq != 0 && (rank == 0 || mem))
        rp_cli_print_errors(err);
    return stq;
}

/* Rank 0's end of a run: the results file (its checkpoint then goes) and,
 * unless quiet, the summary.  The exit status, errors printed. */
static int write_results(const rp_scenario *s, const rp_results *res,
                         const cli_opts *o, const rp_h5_meta *meta,
                         const char *ckpt, rp_errors *err)
{
    rp_tmp_guard_signals(); /* a signal now: remove the file half written */
    if (rp_h5_write_run(o->output, s, res, meta, err) != RP_OK) {
        rp_cli_print_errors(err);
        return rp_err_status(err);
    }
    unlink(ckpt); /* the run is complete: nothing left to resume */
    if (!o->quiet) {
        /* the rate of what this process ran (a resumed run: since the
         * checkpoint) */
        double ran = (double)res->ran;
        char resumed[96] = "";
        if (res->ran != res->R * res->S)
            snprintf(resumed, sizeof resumed, "; resumed: %s run now",
                     RP_COUNT(res->ran));
        char rate[32];
        rp_describe_num(rate, sizeof rate,
                        res->seconds > 0 ? ran / res->seconds : 0);
        fprintf(stdout,
                "wrote %s: %s strateg%s x %s replication%s%s in "
                "%.3f s (%s replications/s)\n",
                o->output, RP_COUNT(res->S), res->S == 1 ? "y" : "ies",
                RP_COUNT(res->R), rp_cli_s(res->R), resumed, res->seconds,
                rate);
        if (rp_inspect(stdout, o->output, 1, err) != RP_OK)
            rp_cli_print_errors(err);
    }
    return rp_err_status(err);
}

static int cmd_run(int argc, char **argv, const char *cmdline, int rank,
                   int ranks)
{
    cli_opts o = {0};
    o.reps = o.seed = o.horizon = -1;
    o.output = "results.h5";
    int st = begin_rank(rank, argc, argv, &o, "run", "orsjHqDLUAGVh", HELP_RUN,
                        NULL);
    if (st >= 0)
        return st;
    st = check_output(o.output, RP_OUT_CKPT | (o.quiet ? RP_OUT_QUIET : 0),
                      rank, ranks);
    if (st != 0)
        return st;
    rp_errors err;
    rp_err_init(&err);
    rp_scenario *s = NULL;
    if (load(o.scenario, &s, &err) != RP_OK ||
        rp_cli_check_run_files(o.output, s, &err) != RP_OK) {
        if (rank == 0)
            rp_cli_print_errors(&err);
        rp_scenario_free(s);
        return rp_err_status(&err);
    }
    apply_overrides(s, &o);
    int threads = resolve_threads(o.threads, o.quiet || rank != 0);
    const double budget = lane_budget(threads);
    int max_lanes = RP_LANES;
    st = run_checks(s, &o, threads, budget, rank, ranks, &max_lanes, &err);
    if (st != 0) {
        rp_scenario_free(s);
        return st;
    }
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
        rp_cli_print_errors(&err);
        rp_scenario_free(s);
        return rp_err_status(&err);
    }
    rp_run_opts ro = {
        .threads = threads,
        .progress = o.quiet || rank != 0 ? 0
                    : isatty(2)          ? RP_PROGRESS_TTY
                                         : RP_PROGRESS_LOG,
        .progress_every = o.quiet || rank != 0 ? 0 : progress_every(),
        .dense = o.dense,
        .lanes = (int)o.lanes,
        .lane_budget = budget,
        .max_lanes = max_lanes,
        .checkpoint = ranks > 1 ? NULL : ckpt,
        .resume = o.resume,
        .stop_after = o.stop_after,
        .rank = rank,
        .ranks = ranks,
        .reg = reg_mode(o.reg),
        .events = o.events == NULL || strcmp(o.events, "all") == 0};
    /* under MPI a signal ends a rank at once (a distributed run keeps no
     * checkpoint to stop at, and mpirun ends the other ranks) */
    if (ranks == 1) {
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
    }
    char rk[48] = ""; /* MPI: the ranks too */
    if (ranks > 1)
        snprintf(rk, sizeof rk, " a rank, %s ranks", RP_COUNT(ranks));
    if (!o.quiet && rank == 0)
        fprintf(stderr,
                "ripple: %s: %s node%s, %s edge%s, %s threat%s, %s "
                "strateg%s, %s replication%s x %s day%s, %s thread%s%s\n",
                o.scenario ? o.scenario : "bundled default scenario",
                RP_COUNT(s->net->n_nodes), rp_cli_s(s->net->n_nodes),
                RP_COUNT(s->net->n_edges), rp_cli_s(s->net->n_edges),
                RP_COUNT(s->n_threats), rp_cli_s(s->n_threats),
                RP_COUNT(s->n_strategies), s->n_strategies == 1 ? "y" : "ies",
                RP_COUNT(s->replications), rp_cli_s(s->replications),
                RP_COUNT(s->horizon), rp_cli_s(s->horizon), RP_COUNT(threads),
                rp_cli_s(threads), rk);
    /* (a what-if study of scripted events needs no Monte Carlo) */
    if (!o.quiet && rank == 0 && s->replications > 1 &&
        rp_threats_all_scripted(s->threats, s->n_threats))
        fprintf(stderr,
                "ripple: note: every threat is scripted (none is drawn at "
                "random), so the %s replications simulate the same events "
                "and give the same results; -r 1 gives them too\n",
                RP_COUNT(s->replications));
    rp_results *res = NULL;
    if (rp_run(s, &ro, &res, &err) != RP_OK) {
        if (rank == 0)
            rp_cli_print_errors(&err);
        rp_out_unlock(&lock);
        rp_scenario_free(s);
        return rp_err_status(&err) ? rp_err_status(&err) : RP_ERUNTIME;
    }
    if (rank != 0) { /* rank 0 holds the results and writes them */
        rp_results_free(res);
        rp_scenario_free(s);
        return 0;
    }
    rp_h5_meta meta = {cmdline, threads, ranks};
    st = write_results(s, res, &o, &meta, ckpt, &err);
    rp_out_unlock(&lock);
    rp_results_free(res);
    rp_scenario_free(s);
    return st;
}

static int cmd_stress(int argc, char **argv, const char *cmdline, int rank,
                      int ranks)
{
    cli_opts o = {0};
    o.output = "stress.h5";
    int st = begin_rank(rank, argc, argv, &o, "stress", "ojqh", HELP_STRESS,
                        "stress needs a SCENARIO.json");
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
        rp_cli_check_not_input(o.output, s, NULL, &err) != RP_OK ||
        rp_model_build(s->net, &s->par, &m, &err) != RP_OK) {
        if (rank == 0)
            rp_cli_print_errors(&err);
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
    int threads = resolve_threads(o.threads, o.quiet || rank != 0);
    /* values and memory before any work (each rank checks its machine) */
    int lanes = 1;
    {
        const int K = rp_flow_lanes_for(m, s->horizon, lane_budget(threads)),
                  Kh = K < RP_HALF ? K : RP_HALF;
        model_sizes sz = {.model = rp_model_bytes(m),
                          .ws_one = (double)rp_flow_ws_bytes(m, 1, s->horizon),
                          .st_lanes = K,
                          .st_ws = (double)rp_flow_ws_bytes(m, K, s->horizon),
                          .st_ws_half =
                              (double)rp_flow_ws_bytes(m, Kh, s->horizon)};
        rp_mem_plan plan;
        check_magnitudes(s, m, &err);
        int bad = rp_err_any(&err) || plan_fitting(s, &sz, 0, threads, -1, 0,
                                                   &plan, &lanes, &err) != 0;
        if (!bad && lanes < K && rank == 0 && !o.quiet)
            note_lanes(K, lanes);
        int stq = bad ? RP_EINPUT : 0;
        if (ranks > 1)
            stq = rp_par_max_status(stq);
        if (stq != 0) {
            if (bad)
                rp_cli_print_errors(&err);
            free(ttr);
            rp_model_free(m);
            rp_scenario_free(s);
            return stq;
        }
    }
    rp_stress *res = NULL;
    rp_status rs = rp_stress_run(m, s->horizon, s->stress_mask, ttr, threads,
                                 lanes, &res, &err);
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
        rp_cli_print_errors(&err);
    rp_stress_free(res);
    free(ttr);
    rp_model_free(m);
    rp_scenario_free(s);
    return rp_err_status(&err);
}

/* A text output (not "-") written under a temporary name beside it and
 * renamed into place by text_close: *f, or the exit status on a failure
 * (printed). */
static int text_open(const char *out, char *tmp, size_t n, FILE **f)
{
    int st = check_output(out, 0, 0, 1);
    if (st != 0)
        return st;
    rp_tmp_guard_signals();
    int fd = rp_tmp_create(out, tmp, n);
    *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (*f == NULL) {
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
    return 0;
}

/* Close f and move it into place, or remove it (`failed`: the writer
 * failed, and said why unless `say`); 0, or the exit status (the reason
 * printed). */
static int text_close(FILE *f, const char *out, const char *tmp, int failed,
                      int say)
{
    int e = 0;
    if (ferror(f) || fflush(f) != 0)
        e = errno ? errno : EIO;
    if (fclose(f) != 0 && e == 0)
        e = errno;
    if (failed || e != 0 || rename(tmp, out) != 0) {
        if (e == 0)
            e = errno;
        unlink(tmp);
        rp_tmp_forget(tmp);
        if (!failed || say)
            fprintf(stderr, "ripple: error: %s: writing failed: %s\n", out,
                    strerror(e ? e : EIO));
        return RP_ERUNTIME;
    }
    rp_tmp_forget(tmp);
    return 0;
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
    int c;
    while ((c = rp_cli_getopt(argc, argv, ":n:s:o:h", longs)) != -1) {
        switch (c) {
        case 'n':
            if (rp_cli_int("generate", "-n", optarg, 10, 100000000, &v) != 0)
                return RP_EINPUT;
            go.nodes = (long)v;
            break;
        case 'T':
            if (rp_cli_int("generate", "--tiers", optarg, 2, 50, &v) != 0)
                return RP_EINPUT;
            go.tiers = (int)v;
            break;
        case 'd':
            if (rp_cli_real("generate", "--degree", optarg, 1, 100,
                            "must be a number in [1, 100]", &go.degree) != 0)
                return RP_EINPUT;
            break;
        case 'R':
            if (rp_cli_int("generate", "--regions", optarg, 1, 10000, &v) != 0)
                return RP_EINPUT;
            go.regions = (int)v;
            break;
        case 's':
            if (rp_cli_int("generate", "-s", optarg, 0, 9007199254740992LL,
                           &v) != 0)
                return RP_EINPUT;
            go.seed = (uint64_t)v;
            break;
        case 'o':
            out = strcmp(optarg, "-") == 0 ? NULL : optarg; /* stdout */
            break;
        case 'h':
            fputs(HELP_GENERATE, stdout);
            return 0;
        default:
            return option_error(c, argv, NULL);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (go.tiers > rp_gen_max_tiers(go.nodes)) {
        fprintf(stderr,
                "ripple: error: --tiers: must be at most %s for %s nodes "
                "(a quarter are customers, and each supplier tier needs a "
                "node) (got %d)\n",
                RP_COUNT(rp_gen_max_tiers(go.nodes)), RP_COUNT(go.nodes),
                go.tiers);
        return rp_cli_usage("generate");
    }
    FILE *f = stdout;
    char tmp[PATH_MAX];
    if (out != NULL) {
        int st = text_open(out, tmp, sizeof tmp, &f);
        if (st != 0)
            return st;
    }
    long edges = rp_generate(f, &go);
    if (out != NULL) {
        int st = text_close(f, out, tmp, edges < 0, 1);
        if (st != 0)
            return st;
        fprintf(stderr, "ripple: wrote %s: %s nodes, %s edges\n", out,
                RP_COUNT(go.nodes), RP_COUNT(edges));
    } else if (edges < 0) {
        fprintf(stderr, "ripple: error: writing the network failed\n");
        return RP_ERUNTIME;
    }
    return 0;
}

static int cmd_export(int argc, char **argv)
{
    static const struct option longs[] = {
        {"csv", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *dir = NULL, *scen = NULL;
    optind = 1;
    int c;
    while ((c = rp_cli_getopt(argc, argv, ":h", longs)) != -1) {
        switch (c) {
        case 'c':
            dir = optarg;
            break;
        case 'h':
            fputs(HELP_EXPORT, stdout);
            return 0;
        default:
            return option_error(c, argv, NULL);
        }
    }
    if (optind < argc)
        scen = argv[optind++];
    if (optind < argc)
        return usage_error("unexpected argument '%s'", argv[optind]);
    if (scen == NULL)
        return usage_error("%s", "export-network needs a SCENARIO.json");
    if (dir == NULL || dir[0] == '\0')
        return usage_error("%s", "export-network needs --csv DIR");
    rp_errors err;
    rp_err_init(&err);
    rp_scenario *s = NULL;
    rp_status st = load(scen, &s, &err);
    /* neither table may replace one of the scenario's files (a CSV network
     * exported into its own folder would be rewritten in the export's form) */
    for (int t = 0; t < 2 && st == RP_OK; t++) {
        char *p = rp_csvnet_table_path(dir, t);
        st = p == NULL ? rp_err_runtime(&err, "out of memory")
                       : rp_cli_check_not_input_opt(p, s, "--csv DIR", &err);
        free(p);
    }
    if (st != RP_OK ||
        rp_csvnet_write(rp_scenario_network_doc(s), dir, &err) != RP_OK) {
        rp_cli_print_errors(&err);
        rp_scenario_free(s);
        return rp_err_status(&err);
    }
    char safe[512];
    rp_escape(dir, safe, sizeof safe);
    size_t n = strlen(safe); /* `pharma/` names pharma/nodes.csv */
    while (n > 1 && safe[n - 1] == '/')
        safe[--n] = '\0';
    fprintf(stderr,
            "ripple: wrote %s/nodes.csv (%s nodes) and %s/edges.csv (%s "
            "edges)\n",
            safe, RP_COUNT(s->net->n_nodes), safe,
            RP_COUNT(s->net->n_edges_file));
    rp_scenario_free(s);
    return 0;
}

/* The results file a command reads: its first argument that is not an
 * option (or the value of -o). */
static const char *input_arg(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0 ||
            strcmp(argv[i], "--format") == 0) {
            i++;
            continue;
        }
        if (argv[i][0] != '-')
            return argv[i];
    }
    return "(no file)";
}

/* Run a command that reads a results file in a child process.  The HDF5
 * library (1.10) can read past its own buffers on some damaged files
 * before Ripple's checks see the data (fuzzing found such files; see
 * docs/robustness.md): a crash of the child becomes an error naming the
 * file, with exit status 2 and nothing on stdout.  With `capture`, what
 * the command prints on stdout is held back until it has succeeded. */
static int guarded(int (*fn)(int, char **, FILE *), int argc, char **argv,
                   int capture)
{
    fflush(stdout);
    fflush(stderr);
    int pfd[2] = {-1, -1};
    if (capture && pipe(pfd) != 0)
        return fn(argc, argv, stdout);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        if (capture) {
            close(pfd[0]);
            close(pfd[1]);
        }
        return fn(argc, argv, stdout);
    }
    if (pid == 0) {
        /* the child ends with its parent (a `timeout` or kill of ripple
         * would leave it reading, or spinning in the library, alone) */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) /* it ended before prctl */
            _exit(RP_ERUNTIME);
        if (!capture) {
            int rc = fn(argc, argv, stdout);
            fflush(stdout);
            fflush(stderr);
            _exit(rc);
        }
        close(pfd[0]);
        char *buf = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&buf, &len);
        int rc = mem != NULL ? fn(argc, argv, mem) : RP_ERUNTIME;
        if (mem != NULL)
            fclose(mem);
        if (rc == 0)
            for (size_t off = 0; off < len;) {
                ssize_t w = write(pfd[1], buf + off, len - off);
                if (w <= 0)
                    break;
                off += (size_t)w;
            }
        free(buf);
        close(pfd[1]);
        fflush(stdout); /* (--help prints there directly) */
        fflush(stderr);
        _exit(rc);
    }
    char *out = NULL;
    size_t n = 0, cap = 0;
    if (capture) {
        close(pfd[1]);
        for (;;) {
            if (n == cap) {
                size_t nc = cap ? 2 * cap : 65536;
                char *q = realloc(out, nc);
                if (q == NULL)
                    break;
                out = q;
                cap = nc;
            }
            ssize_t r = read(pfd[0], out + n, cap - n);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            n += (size_t)r;
        }
        close(pfd[0]);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    int rc;
    if (WIFSIGNALED(status)) {
        char b[512];
        rp_escape(input_arg(argc, argv), b, sizeof b);
        fprintf(stderr,
                "ripple: error: %s: damaged: the HDF5 library failed while "
                "reading it (signal %d); the file cannot be used\n",
                b, WTERMSIG(status));
        rc = RP_EINPUT;
    } else {
        rc = WIFEXITED(status) ? WEXITSTATUS(status) : RP_ERUNTIME;
        if (rc == 0 && n > 0)
            fwrite(out, 1, n, stdout);
    }
    free(out);
    return rc;
}

static int inspect_to(int argc, char **argv, FILE *out);

static int cmd_inspect(int argc, char **argv)
{
    return guarded(inspect_to, argc, argv, 1);
}

static int report_to(int argc, char **argv, FILE *out)
{
    (void)out;
    return rp_cmd_report(argc, argv);
}

static int inspect_to(int argc, char **argv, FILE *out)
{
    cli_opts o = {0};
    int st = begin(argc, argv, &o, "inspect", "hFo", HELP_INSPECT,
                   "inspect needs a results file");
    if (st >= 0)
        return st;
    int format = o.format == NULL || strcmp(o.format, "text") == 0
                     ? RP_INSPECT_TEXT
                 : strcmp(o.format, "json") == 0 ? RP_INSPECT_JSON
                                                 : RP_INSPECT_CSV;
    /* -o FILE: the summary there, complete or not at all; "-": stdout */
    const char *file =
        o.output != NULL && strcmp(o.output, "-") != 0 ? o.output : NULL;
    struct stat si, so;
    if (file != NULL && stat(o.scenario, &si) == 0 && stat(file, &so) == 0 &&
        si.st_dev == so.st_dev && si.st_ino == so.st_ino)
        return usage_error("%s: is the results file itself; give another -o",
                           file);
    char tmp[PATH_MAX];
    if (file != NULL && (st = text_open(file, tmp, sizeof tmp, &out)) != 0)
        return st;
    rp_errors err;
    rp_err_init(&err);
    st = rp_inspect_as(out, o.scenario, 0, format, &err);
    if (file != NULL && text_close(out, file, tmp, st != RP_OK, 0) != 0 &&
        st == RP_OK)
        return RP_ERUNTIME;
    if (st != RP_OK) {
        rp_cli_print_errors(&err);
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
    if (argc < 2)
        return rp_cli_usage(NULL);
    const char *cmd = argv[1];
    const int is_version =
        strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0;
    const int is_help = strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
                        strcmp(cmd, "help") == 0;
    if (is_help && argc == 3 && argv[2][0] != '-') {
        /* `ripple help run`: what `ripple run --help` prints */
        static char help_opt[] = "--help";
        char *sub[] = {argv[0], argv[2], help_opt, NULL};
        return dispatch(3, sub, rank, ranks);
    }
    if ((is_version || is_help) && argc > 2) {
        /* (`ripple --version x` printed the version and exited 0, which
         * hid a mistyped command line from a script) */
        fprintf(stderr, "ripple: error: '%s' takes no arguments (got '%s')\n",
                cmd, argv[2]);
        return rp_cli_usage(NULL);
    }
    if (is_version) {
#ifdef RIPPLE_HAVE_MPI
        const char *mpi = ", MPI";
#else
        const char *mpi = "";
#endif
        printf("ripple %s (model version %d, results format %d.%d; %d lanes, "
               "%s%s)\n",
               RIPPLE_VERSION, RP_MODEL_VERSION, RP_FORMAT_MAJOR,
               RP_FORMAT_MINOR, RP_LANES, rp_flow_simd(), mpi);
        return 0;
    }
    if (is_help) {
        fputs(rp_cli_usage_text, stdout);
        return 0;
    }
    char *cmdline = join_args(argc, argv);
    int rc;
    usage_cmd = cmd;
    if (strcmp(cmd, "run") == 0)
        rc = cmd_run(argc - 1, argv + 1, cmdline, rank, ranks);
    else if (strcmp(cmd, "stress") == 0)
        rc = cmd_stress(argc - 1, argv + 1, cmdline, rank, ranks);
    else if (strcmp(cmd, "validate") == 0)
        rc = cmd_validate(argc - 1, argv + 1);
    else if (strcmp(cmd, "inspect") == 0)
        rc = cmd_inspect(argc - 1, argv + 1);
    else if (strcmp(cmd, "report") == 0)
        rc = guarded(report_to, argc - 1, argv + 1, 0);
    else if (strcmp(cmd, "trace") == 0)
        rc = rp_cmd_trace(argc - 1, argv + 1, cmdline, rp_default_scenario);
    else if (strcmp(cmd, "sweep") == 0)
        rc = rp_cmd_sweep(argc - 1, argv + 1, cmdline);
    else if (strcmp(cmd, "generate") == 0)
        rc = cmd_generate(argc - 1, argv + 1);
    else if (strcmp(cmd, "export-network") == 0)
        rc = cmd_export(argc - 1, argv + 1);
    else {
        usage_cmd = NULL; /* the whole usage text */
        rc = usage_error("unknown command '%s'", cmd);
    }
    free(cmdline);
    return rc;
}
