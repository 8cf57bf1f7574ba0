/* The supply-chain run's memory estimate (ripple/sc_memory.h): what a
 * model, its threats' events, a run and a stress test take, as parts of
 * the engine's plan (ripple/resources.h), which compares the peak with
 * what the machine leaves.  The formulas follow what rp_run and
 * rp_stress_run allocate (models/sc_run.c, engine/run.c, models/stress.c);
 * the engine's comment (engine/resources.c) gives the phases:
 *
 *   simulate = daily + records + threads x (workspace + lanes x events x
 *              EVENT_BYTES, + 40 bytes an event with the risk register,
 *              whose runs share the workspace)
 *   write    = R x S x 12 + R x 32 + HDF5 caches + the largest of its
 *              steps: the network's text three times (the root's
 *              attributes), the edges' labels (/network), the event log
 *              (a model built beside a replication's events, and a chunk
 *              of the log)
 *
 * with results = S R sizeof(rp_metrics) + S N 48 + S T 48 + N 72 + E 16,
 * daily = R T 8 and records = min(R, RP_MC_WINDOW x threads x lanes,
 * RP_MC_BLOCK) N 24 (the replications whose outputs wait for the
 * reduction, with every node hit). */
#include "ripple/sc_memory.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/flow.h"
#include "ripple/json.h"
#include "ripple/mc.h"
#include "ripple/network.h"

/* bytes an event takes in each lane: the replication's event buffer (up
 * to twice its count, as it grows by doubling), the lane's sorted copy,
 * and its index in the active list */
#define EVENT_BYTES (3.0 * sizeof(rp_event) + 8.0)
#define BLOCK_REPS ((double)RP_MC_BLOCK) /* replications a block */
#define NODE_REC_BYTES 24.0   /* a per-node record of a replication */
#define HDF5_SLACK 16777216.0 /* chunk caches and buffers of the writer */
/* the event log's chunk waiting to be written (2^17 rows of 46 bytes, the
 * index included: models/sc_output.c) and its ten datasets' chunk caches
 * (1 MiB each) */
#define LOG_CHUNK_BYTES (131072.0 * 46 + 10 * 1048576.0)

double rp_model_bytes(const rp_model *m)
{
    /* what a built model holds (models/model.c): nodes 8 doubles, 3 ints,
     * 4 flags; edges 8 ints, 3 doubles, a flag; groups 3 ints, a double, a
     * name, a flag.  Building takes at most MODEL_BUILD_EXTRA more for a
     * while (sort keys, a permutation, the cycle search), always less than
     * a flow workspace of the model (49 bytes an edge and 95 a node at
     * least), and no workspace exists while a model is built (a strategy's
     * model is built before its replications, and freed after them): the
     * phases count the workspaces, so the peak holds the building too. */
    return 80.0 * m->N + 57.0 * m->E + 29.0 * m->G + 4096.0;
}

/* bytes building a model takes for a while on top of rp_model_bytes */
#define MODEL_BUILD_EXTRA(N, E) (24.0 * (N) + 16.0 * (E))

/* How many nodes (edges) a selector matches; errors (the scenario is
 * valid: none) are thrown away. */
static double count_selected(const rp_network *net, const cJSON *sel,
                             int edges)
{
    if (sel == NULL)
        return 0;
    size_t total = (size_t)(edges ? net->n_edges : net->n_nodes);
    unsigned char *mask = malloc(total ? total : 1);
    rp_errors *junk = malloc(sizeof *junk);
    double n = 0;
    if (mask != NULL && junk != NULL) {
        rp_err_init(junk);
        rp_jctx c = {"", junk};
        int k = edges ? rp_net_select_edges(&c, net, sel, "", mask)
                      : rp_net_select_nodes(&c, net, sel, "", mask);
        n = k > 0 ? k : 0;
    } else {
        n = (double)total; /* the most it can be */
    }
    free(mask);
    free(junk);
    return n;
}

static double rate_of(const cJSON *t, const char *key)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(t, key);
    return cJSON_IsNumber(r) && r->valuedouble > 0 ? r->valuedouble : 0;
}

double rp_events_bound(const rp_scenario *s)
{
    double mean = rp_events_mean(s);
    return mean + 6 * sqrt(mean) + 16;
}

/* Nodes in the regions a regional threat lists (a region listed twice
 * counts twice).  The nodes are tallied once by region text, in a small
 * hash table (a network has a few distinct regions), and only the distinct
 * texts are compared with the list; with more distinct regions than the
 * table holds, every node's text is compared with every listed region.
 * (G100K-H: 12 regions listed, 100,000 nodes: 1.2 million strcmp.) */
#define REGION_SLOTS 512 /* a power of two; at most half of it used */
static double nodes_in_regions(const rp_network *net, const cJSON *regions)
{
    const char **text = calloc(REGION_SLOTS, sizeof *text);
    double *cnt = calloc(REGION_SLOTS, sizeof *cnt);
    int used = 0, ok = text != NULL && cnt != NULL;
    for (int i = 0; i < net->n_nodes && ok; i++) {
        const char *r = net->region[i];
        uint32_t h = 2166136261u; /* FNV-1a */
        for (const unsigned char *p = (const unsigned char *)r; *p; p++)
            h = (h ^ *p) * 16777619u;
        uint32_t k = h & (REGION_SLOTS - 1);
        while (text[k] != NULL && text[k] != r && strcmp(text[k], r) != 0)
            k = (k + 1) & (REGION_SLOTS - 1);
        if (text[k] == NULL) {
            if (2 * ++used > REGION_SLOTS) {
                ok = 0; /* too many: compare every node's text */
                break;
            }
            text[k] = r;
        }
        cnt[k]++;
    }
    double hit = 0;
    const cJSON *w;
    cJSON_ArrayForEach(w, regions)
    {
        if (!cJSON_IsString(w))
            continue;
        const char *want = w->valuestring;
        for (int k = 0; ok && k < REGION_SLOTS; k++)
            hit += text[k] != NULL && strcmp(text[k], want) == 0 ? cnt[k] : 0;
        for (int i = 0; !ok && i < net->n_nodes; i++)
            hit += net->region[i][0] == want[0] &&
                   strcmp(net->region[i], want) == 0;
    }
    free(text);
    free(cnt);
    return hit;
}

double rp_events_mean(const rp_scenario *s)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(s->doc, "threats");
    const rp_network *net = s->net;
    double years = (double)s->horizon / 365.0, mean = 0, fixed = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, list)
    {
        const cJSON *ty = cJSON_GetObjectItemCaseSensitive(t, "type");
        if (!cJSON_IsString(ty))
            continue;
        const char *type = ty->valuestring;
        if (strcmp(type, "node_hazard") == 0) {
            mean += rate_of(t, "rate_per_year") * years *
                    count_selected(
                        net, cJSON_GetObjectItemCaseSensitive(t, "nodes"), 0);
        } else if (strcmp(type, "edge_hazard") == 0) {
            mean += rate_of(t, "rate_per_year") * years *
                    count_selected(
                        net, cJSON_GetObjectItemCaseSensitive(t, "edges"), 1);
        } else if (strcmp(type, "regional") == 0) {
            /* every node of a listed region, for each listing */
            const double hit = nodes_in_regions(
                net, cJSON_GetObjectItemCaseSensitive(t, "regions"));
            mean += rate_of(t, "rate_per_year") * years * hit;
        } else if (strcmp(type, "attack") == 0) {
            mean += rate_of(t, "attempts_per_year") * years;
        } else if (strcmp(type, "cyber") == 0) {
            /* a campaign infects each node at most once */
            mean += rate_of(t, "rate_per_year") * years * net->n_nodes;
        } else if (strcmp(type, "scripted") == 0) {
            /* a node, or every edge between two nodes */
            fixed += cJSON_GetObjectItemCaseSensitive(t, "node") != NULL
                         ? 1
                         : (net->n_edges > 0 ? 4 : 1);
        }
    }
    return mean + fixed;
}

/* The workspace maps its large arrays on transparent huge pages where the
 * kernel offers them (models/flow.c): each is then resident in whole 2 MiB
 * pages, about 1 MiB more than it needs (8 such arrays at most).
 * Measured on Willems 38 with 8 lanes: 15 MiB a thread for 8.2 MiB of
 * arrays. */
static double huge_page_slack(double ws)
{
    static int thp = -1;
    if (thp < 0) {
        FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
        char line[128] = "";
        if (f != NULL) {
            if (fgets(line, sizeof line, f) == NULL)
                line[0] = '\0';
            fclose(f);
        }
        thp = strstr(line, "[never]") == NULL && line[0] != '\0';
    }
    if (!thp)
        return 0;
    double arrays = floor(ws / 1048576.0);
    return (arrays < 8 ? arrays : 8) * 1048576.0;
}

/* The length of the network's text in the resolved scenario (about the
 * text it was read from, when it is still a document). */
static double network_text_bytes(const rp_scenario *s)
{
    if (s->net_text != NULL)
        return (double)strlen(s->net_text);
    if (s->net_pool != NULL)
        return (double)rp_json_pool_text_bytes(s->net_pool);
    if (s->doc_pool != NULL) /* inline: within the scenario's text */
        return (double)rp_json_pool_text_bytes(s->doc_pool);
    return 0;
}

/* The bytes of /network's edge labels, "FROM->TO:input" and a pointer
 * each (models/sc_output.c). */
static double edge_label_bytes(const rp_network *n)
{
    /* each node's id measured once, not at each of its edges (G100K: 640
     * thousand strlen into a 100,000-node table no cache holds); an input
     * name shared with the edge before (one copy in a parsed network) once */
    size_t *idlen =
        malloc((size_t)(n->n_nodes > 0 ? n->n_nodes : 1) * sizeof *idlen);
    if (idlen != NULL)
        for (int i = 0; i < n->n_nodes; i++)
            idlen[i] = strlen(n->id[i]);
    double b = 0;
    const char *prev = NULL;
    size_t plen = 0;
    for (int e = 0; e < n->n_edges; e++) {
        const int f = n->from[e], t = n->to[e];
        if (n->input[e] != prev) {
            prev = n->input[e];
            plen = strlen(prev);
        }
        b += (double)((idlen ? idlen[f] : strlen(n->id[f])) +
                      (idlen ? idlen[t] : strlen(n->id[t])) + plen + 4 +
                      sizeof(char *));
    }
    free(idlen);
    return b;
}

/* Writing the file: its buffers, and the largest of the steps that follow
 * each other (models/sc_output.c): the root's attributes (the resolved
 * scenario, the network's text once more, which HDF5 copies twice more as
 * it writes the attribute: measured on G1M and G200K), /network (the edges'
 * labels), and the event log (log: its bytes, 0 without it).  The text
 * step also covers the run's fingerprint, before the replications (the
 * resolved scenario printed, and copied once with the options). */
static double write_bytes(const rp_scenario *s, double log)
{
    const double S = s->n_strategies, R = (double)s->replications;
    double step = 3 * network_text_bytes(s), lab = edge_label_bytes(s->net);
    if (lab > step)
        step = lab;
    if (log > step)
        step = log;
    return S * R * 12 + R * 32 + HDF5_SLACK + step;
}

/* The parts in the supply chain's words, with the options that reduce
 * them (what `ripple run` and `ripple stress` print when memory is
 * short). */
#define SC_PART_NAMES                                                         \
    {                                                                         \
        "program and input", "model", "flow workspaces", "event buffers",     \
            "results", "daily service levels",                                \
            "per-node records waiting for the sums", "sorting",               \
            "buffers, event log and scenario text"                            \
    }
/* (a stress test's workspaces: one lane or eight, whatever --lanes says) */
#define SC_PART_FIXES(workspace)                                              \
    {                                                                         \
        "a smaller network or fewer strategies", "a smaller network",         \
            workspace,                                                        \
            "fewer threads (-j), a shorter --horizon or lower threat rates",  \
            "fewer replications (-r) or strategies",                          \
            "fewer replications (-r) or a shorter --horizon",                 \
            "a smaller network", "fewer threads (-j) or replications (-r)",   \
            "a smaller network, or --events none"                             \
    }
static const rp_mem_words RUN_WORDS = {
    "run", "a run", SC_PART_NAMES,
    SC_PART_FIXES("fewer threads (-j) or --lanes 1")};
/* (a run in one lane already) */
static const rp_mem_words RUN_WORDS_1 = {"run", "a run", SC_PART_NAMES,
                                         SC_PART_FIXES("fewer threads (-j)")};
static const rp_mem_words STRESS_WORDS = {"stress test", "the stress test",
                                          SC_PART_NAMES,
                                          SC_PART_FIXES("fewer threads (-j)")};
#undef SC_PART_NAMES
#undef SC_PART_FIXES

void rp_mem_plan_run(const rp_scenario *s, int threads, int lanes,
                     double ws_bytes, double model_bytes, rp_mem_plan *p)
{
    memset(p, 0, sizeof *p);
    p->words = lanes > 1 ? &RUN_WORDS : &RUN_WORDS_1;
    const double S = s->n_strategies, N = s->net->n_nodes, E = s->net->n_edges,
                 T = s->horizon, R = (double)s->replications, J = threads;
    p->threads = threads;
    p->lanes = lanes;
    p->replications = s->replications;
    p->horizon = s->horizon;
    p->strategies = s->n_strategies;
    p->events_mean = rp_events_mean(s);
    p->events_per_rep = /* rp_events_bound(s), the mean counted once */
        p->events_mean + 6 * sqrt(p->events_mean) + 16;
    /* a run releases the network document before it starts */
    /* (the pool's blocks are counted whole, resident or not: a saving
     * above what is resident is not believed, and nothing is taken off) */
    const double res = rp_mem_resident(), save = rp_scenario_release_saving(s);
    p->part[RP_MEM_LOADED] = save < res ? res - save : res;
    p->part[RP_MEM_MODEL] = model_bytes;
    p->part[RP_MEM_WORKSPACE] = J * (ws_bytes + huge_page_slack(ws_bytes));
    p->part[RP_MEM_EVENTS] = J * lanes * p->events_per_rep * EVENT_BYTES;
    p->part[RP_MEM_RESULTS] = S * R * sizeof(rp_metrics) + S * N * 48 +
                              S * T * 8 * (1 + RP_NQUANT) + N * 72 + E * 16;
    p->part[RP_MEM_DAILY] = R * T * 8;
    /* the outputs waiting for the reduction: at most RP_MC_WINDOW groups
     * of lanes a thread, never more than a block (engine/run.c) */
    double waiting = (double)RP_MC_WINDOW * J * lanes;
    if (waiting > BLOCK_REPS)
        waiting = BLOCK_REPS;
    p->part[RP_MEM_RECORDS] = (R < waiting ? R : waiting) * N * NODE_REC_BYTES;
    p->part[RP_MEM_QUANTILES] = J * R * 8;
    p->part[RP_MEM_WRITE] = write_bytes(s, 0);
    rp_mem_plan_finish(p);
}

void rp_mem_plan_register(rp_mem_plan *p, const rp_scenario *s, int reg,
                          int events)
{
    const double S = s->n_strategies, R = (double)s->replications,
                 NT = s->n_threats > 0 ? s->n_threats : 1, J = p->threads;
    if (reg != 0) {
        /* the subsets of threats run in the thread's flow workspace, after
         * the replications' results are taken out of it (models/sc_run.c),
         * on a copy of each lane's events; and the register's rows:
         * marginal, standalone (and Shapley), events, attempts */
        p->part[RP_MEM_EVENTS] +=
            J * p->lanes * p->events_per_rep * (double)sizeof(rp_event);
        p->part[RP_MEM_RESULTS] += S * R * (NT * (reg == 2 ? 32 : 24) + 4);
    }
    /* the event log is not held: the writer samples the events again, one
     * strategy's model at a time (built beside them), once to count them
     * and once to write them a chunk at a time: one replication's events
     * (their buffer grows by doubling), the threats' samplers (at most a
     * cyber threat's neighbour lists) and a chunk of the log */
    if (events) {
        const double N = s->net->n_nodes, E = s->net->n_edges;
        double log = p->part[RP_MEM_MODEL] + MODEL_BUILD_EXTRA(N, E) +
                     2.0 * p->events_per_rep * (double)sizeof(rp_event) +
                     8.0 * (N + E) + LOG_CHUNK_BYTES;
        p->part[RP_MEM_WRITE] = write_bytes(s, log);
    }
    rp_mem_plan_finish(p);
}

void rp_mem_plan_stress(const rp_scenario *s, int threads, int lanes,
                        double ws_lanes, double ws_one, double model_bytes,
                        rp_mem_plan *p)
{
    memset(p, 0, sizeof *p);
    const double N = s->net->n_nodes, T = s->horizon, J = threads;
    p->single = 1;
    p->words = &STRESS_WORDS;
    p->threads = threads;
    p->lanes = lanes;
    p->horizon = s->horizon;
    p->strategies = 1;
    p->part[RP_MEM_LOADED] = rp_mem_resident();
    p->part[RP_MEM_MODEL] = model_bytes;
    /* the impact runs (lanes) and the TTS search (one lane) follow each
     * other: the larger of the two */
    double a = J * (ws_lanes + huge_page_slack(ws_lanes) + lanes * T * 8),
           b = J * (ws_one + huge_page_slack(ws_one) + T * 8);
    p->part[RP_MEM_WORKSPACE] = a > b ? a : b;
    p->part[RP_MEM_RESULTS] = N * 48;
    /* the root's attributes as a run's (write_bytes) */
    p->part[RP_MEM_WRITE] = N * 64 + HDF5_SLACK + 3 * network_text_bytes(s);
    rp_mem_plan_finish(p);
}
