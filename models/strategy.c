/* Strategies: parse the actions and apply them to a copy of the network.
 *
 * Common random numbers (docs/model.md) need nothing here: a strategy
 * changes only the network; the threat samplers draw the same numbers for
 * every strategy and apply them against the changed protection and
 * recovery factors. */
#include "ripple/strategy.h"
#include "ripple/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const STRAT_KEYS[] = {"name", "description",
                                         "cost_per_year", "actions", NULL};
static const char *const SET_KEYS[] = {"set", "nodes", "value", NULL};
static const char *const ADD_KEYS[] = {"add_edge", NULL};

static void strategy_clear(rp_strategy *s)
{
    free(s->actions_json);
    rp_net_free(s->net);
    for (int k = 0; k < s->n_added; k++)
        free(s->added_at[k]);
    free(s->added_at);
}

void rp_strategies_free(rp_strategy *s, int n)
{
    if (s == NULL)
        return;
    for (int i = 0; i < n; i++)
        strategy_clear(&s[i]);
    free(s);
}

static int apply_set(rp_jctx *c, rp_network *net, const cJSON *act,
                     const char *p)
{
    const char *what;
    if (rp_json_check_keys(c, act, p, SET_KEYS) > 0)
        return -1;
    if (rp_json_string(c, act, p, "set", &what, 1) < 0)
        return -1;
    double *field = NULL;
    rp_range r = RP_GE0;
    if (strcmp(what, "inventory_days") == 0) {
        field = net->inventory_days;
    } else if (strcmp(what, "protection") == 0) {
        field = net->protection;
        r = RP_UNIT;
    } else if (strcmp(what, "spare_capacity") == 0) {
        field = net->spare_capacity;
    } else if (strcmp(what, "recovery_factor") == 0) {
        field = net->recovery_factor;
        r = RP_GT0;
    } else {
        char q[300];
        rp_json_path(q, sizeof q, p, "set");
        rp_err_add(c->err,
                   "%s: %s: unknown setting \"%s\" (allowed: "
                   "inventory_days, protection, spare_capacity, "
                   "recovery_factor)",
                   c->file, q, what);
        return -1;
    }
    double v;
    if (rp_json_number(c, act, p, "value", &v, 0, r, 1) < 0)
        return -1;
    const cJSON *sel = cJSON_GetObjectItemCaseSensitive(act, "nodes");
    char q[300];
    rp_json_path(q, sizeof q, p, "nodes");
    if (sel == NULL) {
        rp_err_add(c->err, "%s: %s: missing (a node selector)", c->file, q);
        return -1;
    }
    unsigned char *mask = malloc((size_t)net->n_nodes);
    if (mask == NULL)
        return -1;
    int nm = rp_net_select_nodes(c, net, sel, q, mask);
    if (nm > 0)
        for (int i = 0; i < net->n_nodes; i++)
            if (mask[i])
                field[i] = v;
    free(mask);
    return nm > 0 ? 0 : -1;
}

/* An add_edge action's edge as read. */
typedef struct {
    const char *f, *t, *in; /* from, to, input (default: the supplier's id) */
    int fi, ti;             /* from and to as node indices */
    int sb;                 /* standby */
    double ratio, share, lt, b, d;
} added_edge;

/* from, to and input of edge object ed (path q): 0, or -1 after the
 * errors. */
static int added_ends(rp_jctx *c, const rp_network *net, const cJSON *ed,
                      const char *q, added_edge *a)
{
    a->in = NULL;
    if (rp_json_string(c, ed, q, "from", &a->f, 1) < 0 ||
        rp_json_string(c, ed, q, "to", &a->t, 1) < 0 ||
        rp_json_string(c, ed, q, "input", &a->in, 0) < 0)
        return -1;
    a->fi = rp_net_find(net, a->f);
    a->ti = rp_net_find(net, a->t);
    char qe[320];
    int bad = 0;
    if (a->fi < 0) {
        rp_json_path(qe, sizeof qe, q, "from");
        rp_net_unknown_node(c, net, qe, a->f);
        bad = 1;
    }
    if (a->ti < 0) {
        rp_json_path(qe, sizeof qe, q, "to");
        rp_net_unknown_node(c, net, qe, a->t);
        bad = 1;
    }
    if (bad)
        return -1;
    if (a->in == NULL)
        a->in = net->id[a->fi];
    return 0;
}

/* The numbers and standby flag of edge object ed (path q), checked
 * against each other: a standby edge has no share, a primary one needs
 * one and has no standby_share or activation_delay.  0, or -1 after the
 * errors. */
static int added_numbers(rp_jctx *c, const cJSON *ed, const char *q,
                         added_edge *a)
{
    int bad = 0;
    bad |= rp_json_number(c, ed, q, "ratio", &a->ratio, NAN, RP_GT0, 0) < 0;
    bad |=
        rp_json_number(c, ed, q, "lead_time", &a->lt, 1, RP_LEAD_TIME, 0) < 0;
    bad |= rp_json_bool(c, ed, q, "standby", &a->sb, 0) < 0;
    int has_share = rp_json_number(c, ed, q, "share", &a->share, NAN,
                                   (rp_range){0, 1, 1, 1, 0}, 0);
    int has_b = rp_json_number(c, ed, q, "standby_share", &a->b, 1, RP_GT0, 0);
    int has_d =
        rp_json_number(c, ed, q, "activation_delay", &a->d, 0, RP_INT_GE0, 0);
    bad |= has_share < 0 || has_b < 0 || has_d < 0;
    if (bad)
        return -1;
    if (a->sb && has_share > 0) {
        rp_err_add(c->err,
                   "%s: %s.share: a standby edge carries no "
                   "baseline share; use standby_share",
                   c->file, q);
        return -1;
    }
    if (!a->sb && has_share <= 0) {
        rp_err_add(c->err,
                   "%s: %s.share: missing (a number in (0, 1), the "
                   "new supplier's part of the input)",
                   c->file, q);
        return -1;
    }
    if (!a->sb && (has_b > 0 || has_d > 0)) {
        rp_err_add(c->err,
                   "%s: %s: standby_share and activation_delay "
                   "apply only to a standby edge",
                   c->file, q);
        return -1;
    }
    return 0;
}

/* The input group the edge joins must exist and not have its supplier
 * yet: its primaries into *nprim, the ratio of its last edge into
 * *gratio.  0, or -1 after the error. */
static int added_group(rp_jctx *c, const rp_network *net, const char *q,
                       const added_edge *a, int *nprim, double *gratio)
{
    int found = 0;
    *nprim = 0;
    *gratio = NAN;
    for (int e = 0; e < net->n_edges; e++) {
        if (net->to[e] != a->ti || strcmp(net->input[e], a->in) != 0)
            continue;
        found++;
        *gratio = net->ratio[e];
        if (!net->standby[e])
            (*nprim)++;
        if (net->from[e] == a->fi) {
            rp_err_add(c->err,
                       "%s: %s: \"%s\" already supplies input \"%s\" "
                       "of \"%s\"",
                       c->file, q, a->f, a->in, a->t);
            return -1;
        }
    }
    if (!found) {
        rp_err_add(c->err,
                   "%s: %s.input: \"%s\" has no input \"%s\"; an "
                   "added supplier must join an existing input (set "
                   "\"input\")",
                   c->file, q, a->t, a->in);
        return -1;
    }
    return 0;
}

static int apply_add(rp_jctx *c, rp_network *net, const cJSON *act,
                     const char *p)
{
    if (rp_json_check_keys(c, act, p, ADD_KEYS) > 0)
        return -1;
    char q[300];
    rp_json_path(q, sizeof q, p, "add_edge");
    const cJSON *ed = cJSON_GetObjectItemCaseSensitive(act, "add_edge");
    if (!cJSON_IsObject(ed)) {
        rp_err_add(c->err, "%s: %s: must be an edge object", c->file, q);
        return -1;
    }
    if (rp_json_check_keys(c, ed, q, rp_net_edge_keys) > 0)
        return -1;
    added_edge a;
    int nprim;
    double gratio;
    if (added_ends(c, net, ed, q, &a) != 0 ||
        added_numbers(c, ed, q, &a) != 0 ||
        added_group(c, net, q, &a, &nprim, &gratio) != 0)
        return -1;
    if (isnan(a.ratio))
        a.ratio = gratio;
    if (!a.sb) {
        /* make shares explicit, then scale them by (1 - s) */
        for (int e = 0; e < net->n_edges; e++) {
            if (net->to[e] != a.ti || strcmp(net->input[e], a.in) != 0 ||
                net->standby[e])
                continue;
            if (isnan(net->share[e]))
                net->share[e] = 1.0 / nprim;
            net->share[e] *= 1.0 - a.share;
        }
    }
    int e = rp_net_push_edge(net);
    if (e < 0)
        return -1;
    net->from[e] = a.fi;
    net->to[e] = a.ti;
    net->input[e] = a.in;
    net->ratio[e] = a.ratio;
    net->share[e] = a.sb ? 0 : a.share;
    net->lead_time[e] = (int)a.lt;
    net->standby[e] = (unsigned char)a.sb;
    net->standby_share[e] = a.b;
    net->activation_delay[e] = (int)a.d;
    return 0;
}

static int parse_one(rp_jctx *c, const cJSON *it, const char *p,
                     const rp_network *base, rp_strategy *s)
{
    int before = c->err->count + c->err->dropped;
    if (!cJSON_IsObject(it)) {
        rp_err_add(c->err, "%s: %s: must be an object", c->file, p);
        return -1;
    }
    rp_json_check_keys(c, it, p, STRAT_KEYS);
    const char *name, *desc;
    if (rp_json_string(c, it, p, "name", &name, 1) < 0)
        name = "";
    rp_json_string(c, it, p, "description", &desc, 0);
    s->name = name;
    rp_json_number(c, it, p, "cost_per_year", &s->cost_per_year, 0, RP_GE0, 0);
    const cJSON *acts = cJSON_GetObjectItemCaseSensitive(it, "actions");
    char q[300];
    rp_json_path(q, sizeof q, p, "actions");
    if (acts != NULL && !cJSON_IsArray(acts)) {
        rp_err_add(c->err, "%s: %s: must be a list", c->file, q);
        return -1;
    }
    int nadd = 0;
    const cJSON *a;
    cJSON_ArrayForEach(a, acts)
    {
        if (cJSON_GetObjectItemCaseSensitive(a, "add_edge") != NULL)
            nadd++;
    }
    s->actions_json = acts ? cJSON_PrintUnformatted(acts) : rp_strdup("[]");
    if (s->actions_json == NULL) {
        rp_err_runtime(c->err, "out of memory");
        return -1;
    }
    /* without actions the strategy runs the scenario's network: no copy
     * (4,000 empty strategies of a 2,025-node network took 4 GB) */
    if (cJSON_GetArraySize(acts) == 0)
        return c->err->count + c->err->dropped > before ? -1 : 0;
    s->net = rp_net_clone(base, nadd);
    s->added_at = calloc((size_t)nadd + 1, sizeof *s->added_at);
    if (s->net == NULL || s->added_at == NULL) {
        rp_err_runtime(c->err, "out of memory");
        return -1;
    }
    int k = 0;
    cJSON_ArrayForEach(a, acts)
    {
        char ap[320];
        rp_json_index(ap, sizeof ap, q, NULL, k);
        if (!cJSON_IsObject(a)) {
            rp_err_add(c->err, "%s: %s: must be an object", c->file, ap);
        } else if (cJSON_GetObjectItemCaseSensitive(a, "set") != NULL) {
            apply_set(c, s->net, a, ap);
        } else if (cJSON_GetObjectItemCaseSensitive(a, "add_edge") != NULL &&
                   apply_add(c, s->net, a, ap) == 0) {
            /* where it was asked for, for the model's messages */
            char at[400];
            snprintf(at, sizeof at, "%s: %s.add_edge", c->file, ap);
            s->added_at[s->n_added] = rp_strdup(at);
            if (s->added_at[s->n_added++] == NULL) {
                rp_err_runtime(c->err, "out of memory");
                return -1;
            }
        } else if (cJSON_GetObjectItemCaseSensitive(a, "add_edge") != NULL) {
            /* reported by apply_add */
        } else {
            rp_err_add(c->err,
                       "%s: %s: an action has \"set\" or "
                       "\"add_edge\"",
                       c->file, ap);
        }
        k++;
    }
    s->net->added_at = (const char *const *)s->added_at;
    return c->err->count + c->err->dropped > before ? -1 : 0;
}

rp_status rp_strategies_parse(rp_jctx *c, const cJSON *list,
                              const rp_network *net, rp_strategy **out,
                              int *n_out)
{
    int n = list ? cJSON_GetArraySize(list) : 0;
    rp_strategy *s = calloc((size_t)n + 1, sizeof *s);
    *out = NULL;
    *n_out = 0;
    if (s == NULL)
        return rp_err_runtime(c->err, "out of memory");
    s[0].name = "baseline";
    s[0].actions_json = rp_strdup("[]");
    int count = 1, bad = 0;
    const cJSON *it;
    int i = 0;
    cJSON_ArrayForEach(it, list)
    {
        char p[64];
        rp_json_index(p, sizeof p, "", "strategies", i);
        rp_strategy tmp;
        memset(&tmp, 0, sizeof tmp);
        if (parse_one(c, it, p, net, &tmp) < 0) {
            bad = 1;
        } else if (strcmp(tmp.name, "baseline") == 0) {
            const cJSON *acts =
                cJSON_GetObjectItemCaseSensitive(it, "actions");
            if (cJSON_GetArraySize(acts) > 0 || tmp.cost_per_year != 0) {
                rp_err_add(c->err,
                           "%s: %s.name: \"baseline\" is the "
                           "unchanged network; give this strategy another "
                           "name",
                           c->file, p);
                bad = 1;
            }
        } else {
            for (int j = 0; j < count; j++) {
                if (strcmp(s[j].name, tmp.name) == 0) {
                    rp_err_add(c->err,
                               "%s: %s.name: duplicate strategy "
                               "name \"%s\"",
                               c->file, p, tmp.name);
                    bad = 1;
                }
            }
            if (tmp.name[0] == '\0') {
                rp_err_add(c->err, "%s: %s.name: must not be empty", c->file,
                           p);
                bad = 1;
            }
            s[count++] = tmp;
            i++;
            continue;
        }
        strategy_clear(&tmp);
        i++;
    }
    if (bad || s[0].actions_json == NULL) {
        rp_strategies_free(s, count);
        return rp_err_status(c->err) ? rp_err_status(c->err) : RP_EINPUT;
    }
    *out = s;
    *n_out = count;
    return RP_OK;
}
