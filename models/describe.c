/* `ripple validate`'s pre-flight summary (ripple/describe.h): size, tiers,
 * baseline throughput and the warnings to read before a long run; and the
 * wording of amounts and money that every command's text shares. */
#include "ripple/describe.h"

#include "ripple/strategy.h"
#include "ripple/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *rp_describe_money(const char *currency)
{
    return currency != NULL && currency[0] ? currency : RP_MONEY_UNNAMED;
}

/* What the scenario's money is counted in. */
static const char *money(const rp_scenario *s)
{
    return rp_describe_money(s->currency);
}

char *rp_describe_num(char *b, size_t n, double v)
{
    double a = fabs(v);
    if (n == 0)
        return b;
    if (v == 0) /* -0 (a saving of nothing, negated) prints as 0 */
        v = 0;
    if (isnan(v)) {
        snprintf(b, n, "-");
    } else if (isinf(v) || a >= 1e15 || (a < 1e-3 && v != 0)) {
        snprintf(b, n, "%.3e", v);
    } else if (a < 999.95) { /* below what %.4g rounds to 1000 */
        snprintf(b, n, "%.4g", v);
    } else {
        /* the whole number, a comma before each group of 3 digits
         * (nearbyint rounds a tie to even, as "%.0f" does) */
        rp_count_str(b, n, (long long)nearbyint(v));
    }
    return b;
}

/* "s" for a count other than 1. */
static const char *plural(long long n)
{
    return n == 1 ? "" : "s";
}

int rp_tiers(const rp_model *m, int *tier)
{
    int N = m->N;
    int *queue = malloc((size_t)N * sizeof *queue);
    if (queue == NULL)
        return -1;
    int head = 0, tail = 0;
    for (int i = 0; i < N; i++) {
        tier[i] = -1;
        if (m->F[i] > 0) {
            tier[i] = 0;
            queue[tail++] = i;
        }
    }
    /* upstream walk: from buyer k to each supplier of its groups */
    while (head < tail) {
        int k = queue[head++];
        for (int g = m->grp_start[k]; g < m->grp_start[k + 1]; g++)
            for (int e = m->g_estart[g]; e < m->g_estart[g + 1]; e++) {
                int j = m->e_from[e];
                if (tier[j] < 0) {
                    tier[j] = tier[k] + 1;
                    queue[tail++] = j;
                }
            }
    }
    free(queue);
    return 0;
}

typedef struct {
    const char *key;
    int count;
} tally;

/* Count distinct strings (small lists: linear scan is fine for output). */
static int tally_add(tally *t, int n, int cap, const char *key)
{
    /* by address first: a parsed network shares one copy of a repeated
     * kind or region, and no two entries hold the same text */
    for (int i = 0; i < n; i++)
        if (t[i].key == key) {
            t[i].count++;
            return n;
        }
    for (int i = 0; i < n; i++)
        if (strcmp(t[i].key, key) == 0) {
            t[i].count++;
            return n;
        }
    if (n < cap) {
        t[n].key = key;
        t[n].count = 1;
        return n + 1;
    }
    return n;
}

static void print_tally(FILE *f, const char *label, const rp_network *n,
                        const char **field)
{
    tally t[64];
    int k = 0;
    for (int i = 0; i < n->n_nodes; i++)
        k = tally_add(t, k, 64, field[i][0] ? field[i] : "(none)");
    fprintf(f, "  %-10s", label);
    for (int i = 0; i < k; i++)
        fprintf(f, "%s %s %s", i ? "," : "", t[i].key, RP_COUNT(t[i].count));
    if (k == 64)
        fprintf(f, ", ...");
    fprintf(f, "\n");
}

int rp_never_produce(const rp_model *m, int *order, int *block)
{
    int N = m->N, G = m->G;
    int *live = malloc(((size_t)G + 1) * sizeof *live);
    if (live == NULL)
        return -1;
    /* live[g]: edges of group g whose supplier is not (yet) known to be
     * unable to produce; a node is dropped when its capacity is 0 or one
     * of its groups has none left.  Dropping only ever removes, so this
     * reaches the greatest fixed point, cycles included. */
    for (int g = 0; g < G; g++)
        live[g] = m->g_estart[g + 1] - m->g_estart[g];
    int n = 0;
    for (int i = 0; i < N; i++) {
        block[i] = -2;
        if (!(m->cap[i] > 0)) {
            block[i] = -1;
            order[n++] = i;
        }
    }
    for (int head = 0; head < n; head++) {
        int j = order[head];
        for (int q = m->out_start[j]; q < m->out_start[j + 1]; q++) {
            int g = m->e_grp[m->out_edge[q]];
            int k = m->g_node[g];
            if (--live[g] == 0 && block[k] == -2) {
                block[k] = g;
                order[n++] = k;
            }
        }
    }
    free(live);
    return n;
}

/* The reason node i (block[i] != -2) can never produce, for a message. */
static void never_reason(char *b, size_t size, const rp_model *m, int i,
                         const int *block)
{
    const rp_network *n = m->net;
    int g = block[i];
    if (g < 0) {
        snprintf(b, size,
                 "its capacity is 0 (no baseline output and no explicit "
                 "capacity)");
        return;
    }
    int w = snprintf(b, size,
                     "its input \"%s\" comes only from nodes that can never "
                     "produce (",
                     m->g_name[g]);
    int shown = 0;
    for (int e = m->g_estart[g]; e < m->g_estart[g + 1] && w >= 0; e++) {
        if ((size_t)w >= size)
            return;
        if (shown == 3) {
            w += snprintf(b + w, size - (size_t)w, ", ...");
            break;
        }
        w += snprintf(b + w, size - (size_t)w, "%s\"%s\"", shown ? ", " : "",
                      n->id[m->e_from[e]]);
        shown++;
    }
    if (w >= 0 && (size_t)w < size)
        snprintf(b + w, size - (size_t)w, ")");
}

#define SHOW_NODES 5

/* Nodes that can never produce although something may ask them to: they
 * supply some edge, or have final demand.  Marks them in listed[] (with
 * mark) and skips those already listed.  SHOW_NODES of them (all with
 * `all`) get a line each, which *shown counts; the rest one line naming a
 * few.  Returns how many it found. */
static long warn_never_produce(FILE *f, const rp_model *m,
                               const char *strategy, unsigned char *listed,
                               unsigned char mark, int all, long *shown)
{
    int N = m->N;
    int *order = malloc(((size_t)N + 1) * sizeof *order);
    int *block = malloc(((size_t)N + 1) * sizeof *block);
    int n = order && block ? rp_never_produce(m, order, block) : -1;
    char pre[300] = "";
    if (strategy != NULL)
        snprintf(pre, sizeof pre, "strategy \"%s\": ", strategy);
    long found = 0, lines = 0;
    char more[400];
    int wm = 0;
    for (int q = 0; q < n; q++) {
        int i = order[q];
        int supplies = m->out_start[i + 1] > m->out_start[i];
        if (listed[i] || !(supplies || m->F[i] > 0))
            continue;
        listed[i] = mark;
        found++;
        if (all || found <= SHOW_NODES) {
            char why[400];
            never_reason(why, sizeof why, m, i, block);
            fprintf(f, "warning: %snode \"%s\" can never produce: %s\n", pre,
                    m->net->id[i], why);
            lines++;
        } else if (found <= 2 * SHOW_NODES && wm >= 0 &&
                   (size_t)wm < sizeof more) {
            wm += snprintf(more + wm, sizeof more - (size_t)wm, "%s\"%s\"",
                           found > SHOW_NODES + 1 ? ", " : "", m->net->id[i]);
        }
    }
    *shown += lines;
    if (found > lines)
        fprintf(f,
                "warning: %s... and %s more node%s can never produce: "
                "%s%s\n",
                pre, RP_COUNT(found - lines), plural(found - lines),
                wm > 0 ? more : "", found > 2 * SHOW_NODES ? ", ..." : "");
    free(order);
    free(block);
    return found;
}

#define SHOW_IDLE 10

/* Nodes with no baseline output that no buyer keeps as a standby (and
 * that the list above has not named already): SHOW_IDLE of them (all
 * with `all`) a line each, which *shown counts, the rest counted in one
 * line.  Returns how many there are. */
static long warn_no_demand(FILE *f, const rp_model *m,
                           const unsigned char *listed, int all, long *shown)
{
    long nw = 0, lines = 0;
    for (int i = 0; i < m->N; i++) {
        int is_standby_supplier = 0;
        for (int q = m->out_start[i]; q < m->out_start[i + 1]; q++)
            is_standby_supplier |= m->e_standby[m->out_edge[q]];
        if (m->x0[i] <= 0 && !is_standby_supplier &&
            !(listed != NULL && listed[i] == 1)) {
            if (all || nw < SHOW_IDLE) {
                fprintf(f,
                        "warning: node \"%s\" serves no final demand "
                        "(baseline output 0)\n",
                        m->net->id[i]);
                lines++;
            }
            nw++;
        }
    }
    *shown += lines;
    if (nw > lines)
        fprintf(f, "warning: ... and %s more node%s serving no demand\n",
                RP_COUNT(nw - lines), plural(nw - lines));
    return nw;
}

/* The network object of the scenario (its own file, or inline). */
static const cJSON *network_obj(const rp_scenario *s)
{
    if (s->net_doc != NULL)
        return s->net_doc;
    return cJSON_GetObjectItemCaseSensitive(s->doc, "network");
}

/* Threats sharing a name (two unnamed scripted outages are both
 * "scripted"): the risk register and the event log tell them apart only
 * by their row.  One warning a repeated name. */
static long warn_same_names(FILE *f, const rp_scenario *s)
{
    long nw = 0;
    for (int i = 0; i < s->n_threats; i++) {
        int first = 1, n = 1;
        for (int k = 0; k < s->n_threats; k++)
            if (k != i &&
                strcmp(s->threats[k].name, s->threats[i].name) == 0) {
                first &= k > i;
                n++;
            }
        if (n > 1 && first) {
            fprintf(
                f,
                "warning: %s threats are named \"%s\"; the risk register "
                "lists them as %s rows of that name: give each a \"name\"\n",
                RP_COUNT(n), s->threats[i].name, RP_COUNT(n));
            nw++;
        }
    }
    return nw;
}

#define SHOW_VALUELESS 3

/* Whether node i (the i-th of the file's nodes) has final demand and no
 * unit_value. */
static int valueless(const cJSON *it, const rp_model *m, int i)
{
    return i < m->N && m->F[i] > 0 &&
           cJSON_GetObjectItemCaseSensitive(it, "unit_value") == NULL;
}

/* One warning for all the nodes with final demand whose unit_value the
 * file leaves out (their losses count at the default value 1), naming
 * SHOW_VALUELESS of them (all with `all`).  Returns 1 when there are
 * any, else 0. */
static long warn_unit_value(FILE *f, const rp_scenario *s, const rp_model *m,
                            int all)
{
    const cJSON *nodes =
        cJSON_GetObjectItemCaseSensitive(network_obj(s), "nodes");
    if (!cJSON_IsArray(nodes))
        return 0;
    long cnt = 0;
    int i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, nodes) cnt += valueless(it, m, i++);
    if (cnt == 0)
        return 0;
    if (cnt == 1)
        fprintf(f, "warning: 1 node with demand has no unit_value (");
    else
        fprintf(f, "warning: %s nodes with demand have no unit_value (",
                RP_COUNT(cnt));
    long named = 0;
    i = 0;
    for (it = nodes->child; it != NULL && (all || named < SHOW_VALUELESS);
         it = it->next, i++)
        if (valueless(it, m, i))
            fprintf(f, "%s\"%s\"", named++ ? ", " : "", m->net->id[i]);
    fprintf(f, "%s); %s lost units are valued at 1 each (in %s)\n",
            named < cnt ? ", ..." : "", cnt == 1 ? "its" : "their", money(s));
    return 1;
}

static int single_sourced(const rp_model *m, int g)
{
    int sb = 0;
    for (int e = m->g_estart[g]; e < m->g_estart[g + 1]; e++)
        sb += m->e_standby[e];
    return m->g_nprim[g] == 1 && sb == 0;
}

static void print_kinds(FILE *f, const char *label, const tally *t, int k,
                        int cap)
{
    fprintf(f, "  %s", label);
    for (int i = 0; i < k; i++)
        fprintf(f, "%s %s %s", i ? "," : "", t[i].key, RP_COUNT(t[i].count));
    if (k == cap)
        fprintf(f, ", ...");
    fprintf(f, "\n");
}

static int cmp_tally(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->key, y->key);
}

#define SHOW_SINGLE 5

/* Inputs with one supplier and no standby.  A few (all with `all`) are
 * listed one a line, which *shown counts; more are summarised by the
 * suppliers' and the buyers' kinds, with the largest baseline flows among
 * them, and only the summary's lines are formatted.  Returns how many
 * there are. */
static long warn_single_sourced(FILE *f, const rp_model *m, int all,
                                long *shown)
{
    const rp_network *n = m->net;
    long cnt = 0;
    for (int g = 0; g < m->G; g++)
        cnt += single_sourced(m, g);
    if (all || cnt <= SHOW_SINGLE) {
        *shown += cnt;
        for (int g = 0; g < m->G; g++)
            if (single_sourced(m, g))
                fprintf(f,
                        "warning: input \"%s\" of \"%s\" is "
                        "single-sourced (from \"%s\")\n",
                        m->g_name[g], n->id[m->g_node[g]],
                        n->id[m->e_from[m->g_estart[g]]]);
        return cnt;
    }
    enum { CAP = 16 };
    tally sup[CAP], buy[CAP];
    int ks = 0, kb = 0;
    int top[SHOW_SINGLE], ntop = 0; /* edges, largest flow first */
    for (int g = 0; g < m->G; g++) {
        if (!single_sourced(m, g))
            continue;
        int e = m->g_estart[g], j = m->e_from[e], k = m->g_node[g];
        ks = tally_add(sup, ks, CAP, n->kind[j][0] ? n->kind[j] : "(none)");
        kb = tally_add(buy, kb, CAP, n->kind[k][0] ? n->kind[k] : "(none)");
        int pos = ntop < SHOW_SINGLE ? ntop++ : SHOW_SINGLE;
        while (pos > 0 && m->e_f0[top[pos - 1]] < m->e_f0[e]) {
            if (pos < SHOW_SINGLE)
                top[pos] = top[pos - 1];
            pos--;
        }
        if (pos < SHOW_SINGLE)
            top[pos] = e;
    }
    qsort(sup, (size_t)ks, sizeof *sup, cmp_tally);
    qsort(buy, (size_t)kb, sizeof *buy, cmp_tally);
    fprintf(f,
            "warning: %s inputs are single-sourced (one supplier, no "
            "standby); this summary stands for their %s warnings\n",
            RP_COUNT(cnt), RP_COUNT(cnt));
    print_kinds(f, "by supplier kind:", sup, ks, CAP);
    print_kinds(f, "by buyer kind:   ", buy, kb, CAP);
    fprintf(f, "  largest baseline flows among them (units/day):\n");
    for (int q = 0; q < ntop; q++) {
        int e = top[q];
        char fl[32];
        fprintf(f, "  %12s  \"%s\" -> \"%s\" (input \"%s\")\n",
                rp_describe_num(fl, sizeof fl, m->e_f0[e]),
                n->id[m->e_from[e]], n->id[m->e_to[e]],
                m->g_name[m->e_grp[e]]);
    }
    return cnt;
}

void rp_describe(FILE *f, const rp_scenario *s, const rp_model *m, int all)
{
    const rp_network *n = m->net;
    fprintf(f, "scenario    %s  (%s)\n", s->name[0] ? s->name : "(unnamed)",
            s->file);
    fprintf(f, "network     %s: %s node%s, %s edge%s, %s input group%s\n",
            n->name[0] ? n->name : "(unnamed)", RP_COUNT(m->N), plural(m->N),
            RP_COUNT(m->E), plural(m->E), RP_COUNT(m->G), plural(m->G));
    fprintf(f,
            "run         %s day%s x %s replication%s, seed %llu; %s "
            "threat%s, %s strateg%s (baseline included)\n",
            RP_COUNT(s->horizon), plural(s->horizon),
            RP_COUNT(s->replications), plural(s->replications),
            (unsigned long long)s->seed, RP_COUNT(s->n_threats),
            plural(s->n_threats), RP_COUNT(s->n_strategies),
            s->n_strategies == 1 ? "y" : "ies");
    if (s->replications > 1 &&
        rp_threats_all_scripted(s->threats, s->n_threats))
        fprintf(f,
                "            every threat is scripted (none is drawn at "
                "random): the %s replications are all the same, and -r 1 "
                "gives the same results\n",
                RP_COUNT(s->replications));
    print_tally(f, "kinds", n, n->kind);
    print_tally(f, "regions", n, n->region);

    int *tier = malloc((size_t)m->N * sizeof *tier);
    if (tier != NULL && rp_tiers(m, tier) == 0) {
        int depth = 0, unreached = 0;
        for (int i = 0; i < m->N; i++) {
            if (tier[i] > depth)
                depth = tier[i];
            unreached += tier[i] < 0;
        }
        fprintf(f, "  %-10sdepth %d:", "tiers", depth);
        for (int d = 0; d <= depth && d <= 12; d++) {
            int c = 0;
            for (int i = 0; i < m->N; i++)
                c += tier[i] == d;
            fprintf(f, " t%d=%s", d, RP_COUNT(c));
        }
        if (depth > 12)
            fprintf(f, " ...");
        if (unreached)
            fprintf(f, ", %s reach no final demand", RP_COUNT(unreached));
        fprintf(f, "\n");
    }
    free(tier);

    double thr = 0, val = 0;
    for (int i = 0; i < m->N; i++) {
        thr += m->x0[i];
        val += m->F[i] * m->v[i];
    }
    char fd[32], fv[32], ft[32];
    fprintf(f,
            "baseline    final demand %s units/day (value %s/day, in "
            "%s); total output %s units/day; solved in %s sweep%s\n",
            rp_describe_num(fd, sizeof fd, m->sumF),
            rp_describe_num(fv, sizeof fv, val), money(s),
            rp_describe_num(ft, sizeof ft, thr), RP_COUNT(m->sweeps),
            plural(m->sweeps));

    int multi = 0, single = 0, withsb = 0, nsb = 0;
    for (int g = 0; g < m->G; g++) {
        int sb = 0;
        for (int e = m->g_estart[g]; e < m->g_estart[g + 1]; e++)
            sb += m->e_standby[e];
        nsb += sb;
        withsb += sb > 0;
        if (m->g_nprim[g] > 1)
            multi++;
        else if (sb == 0)
            single++;
    }
    fprintf(f,
            "inputs      %s multi-sourced, %s single-sourced without "
            "backup, %s with a standby supplier (%s standby edge%s)\n",
            RP_COUNT(multi), RP_COUNT(single), RP_COUNT(withsb), RP_COUNT(nsb),
            plural(nsb));

    /* warnings: every one counted, those beyond a few of a kind summed
     * up in a line (and not formatted) unless `all` */
    long nw = 0, shown = 0;
    unsigned char *listed = calloc((size_t)m->N + 1, 1);
    if (listed != NULL)
        nw += warn_never_produce(f, m, NULL, listed, 1, all, &shown);
    for (int k = 1; k < s->n_strategies && listed != NULL; k++) {
        /* a strategy's own network (an added standby supplier, say) can
         * hold nodes that never produce where the baseline has none */
        if (s->strategies[k].net == NULL)
            continue;
        rp_errors err;
        rp_err_init(&err);
        rp_model *ms = NULL;
        if (rp_model_build(s->strategies[k].net, &s->par, &ms, &err) == RP_OK)
            nw += warn_never_produce(f, ms, s->strategies[k].name, listed, 2,
                                     all, &shown);
        rp_model_free(ms);
    }
    nw += warn_no_demand(f, m, listed, all, &shown);
    free(listed);
    long one = warn_unit_value(f, s, m, all) + warn_same_names(f, s);
    nw += one;
    shown += one;
    nw += warn_single_sourced(f, m, all, &shown);
    if (shown >= nw)
        fprintf(f, "ok: %s is valid (%s warning%s)\n", s->file, RP_COUNT(nw),
                plural(nw));
    else if (shown == 0)
        fprintf(f,
                "ok: %s is valid (%s warning%s, summed up above; "
                "--warnings all shows each on its own line)\n",
                s->file, RP_COUNT(nw), plural(nw));
    else
        fprintf(f,
                "ok: %s is valid (%s warnings: %s shown, %s summed up "
                "above; --warnings all shows each on its own line)\n",
                s->file, RP_COUNT(nw), RP_COUNT(shown), RP_COUNT(nw - shown));
}
