#include "ripple/describe.h"

#include <stdlib.h>
#include <string.h>

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
        fprintf(f, "%s %s %d", i ? "," : "", t[i].key, t[i].count);
    if (k == 64)
        fprintf(f, ", ...");
    fprintf(f, "\n");
}

void rp_describe(FILE *f, const rp_scenario *s, const rp_model *m)
{
    const rp_network *n = m->net;
    fprintf(f, "scenario    %s  (%s)\n", s->name[0] ? s->name : "(unnamed)",
            s->file);
    fprintf(f, "network     %s: %d nodes, %d edges, %d input groups\n",
            n->name[0] ? n->name : "(unnamed)", m->N, m->E, m->G);
    fprintf(f,
            "run         %d days x %lld replications, seed %llu; %d "
            "threats, %d strategies (baseline included)\n",
            s->horizon, (long long)s->replications,
            (unsigned long long)s->seed, s->n_threats, s->n_strategies);
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
            fprintf(f, " t%d=%d", d, c);
        }
        if (depth > 12)
            fprintf(f, " ...");
        if (unreached)
            fprintf(f, ", %d reach no final demand", unreached);
        fprintf(f, "\n");
    }
    free(tier);

    double thr = 0, val = 0;
    for (int i = 0; i < m->N; i++) {
        thr += m->x0[i];
        val += m->F[i] * m->v[i];
    }
    fprintf(f,
            "baseline    final demand %.6g units/day (value %.6g/day); "
            "total output %.6g units/day; solved in %d sweeps\n",
            m->sumF, val, thr, m->sweeps);

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
            "inputs      %d multi-sourced, %d single-sourced without "
            "backup, %d with a standby supplier (%d standby edges)\n",
            multi, single, withsb, nsb);

    /* warnings */
    int nw = 0, shown = 0;
    for (int i = 0; i < m->N; i++) {
        int is_standby_supplier = 0;
        for (int q = m->out_start[i]; q < m->out_start[i + 1]; q++)
            is_standby_supplier |= m->e_standby[m->out_edge[q]];
        if (m->x0[i] <= 0 && !is_standby_supplier) {
            if (shown++ < 10)
                fprintf(f,
                        "warning: node \"%s\" serves no final demand "
                        "(baseline output 0)\n",
                        n->id[i]);
            nw++;
        }
    }
    if (shown > 10)
        fprintf(f, "warning: ... and %d more nodes serving no demand\n",
                shown - 10);
    shown = 0;
    for (int g = 0; g < m->G; g++) {
        int sb = 0;
        for (int e = m->g_estart[g]; e < m->g_estart[g + 1]; e++)
            sb += m->e_standby[e];
        if (m->g_nprim[g] == 1 && sb == 0) {
            if (shown++ < 10)
                fprintf(f,
                        "warning: input \"%s\" of \"%s\" is "
                        "single-sourced (from \"%s\")\n",
                        m->g_name[g], n->id[m->g_node[g]],
                        n->id[m->e_from[m->g_estart[g]]]);
            nw++;
        }
    }
    if (shown > 10)
        fprintf(f, "warning: ... and %d more single-sourced inputs\n",
                shown - 10);
    fprintf(f, "ok: %s is valid (%d warning%s)\n", s->file, nw,
            nw == 1 ? "" : "s");
}
