/* The supply-chain model's groups of a results file (ripple/sc_output.h):
 * /network (the baseline), /node (per-node results), /events (the event
 * log), /threat and /risk_register, and the stress test's /stress, written
 * with the engine's helpers (ripple/h5out.h) around the engine's own
 * groups.  Their long_name and units are in SC_DOC. */
#define _POSIX_C_SOURCE 200809L
#include "ripple/sc_output.h"

#include <hdf5.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/describe.h"
#include "ripple/h5out.h"
#include "ripple/register.h"
#include "ripple/rng.h"
#include "ripple/sc_h5names.h"
#include "ripple/strategy.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

typedef rp_h5w h5w;

/* What every dataset of the model's groups is: long_name and units (CF
 * style: "day", "unit" for goods, "1" for ratios, shares and indices,
 * "count", "year-1"; "V" stands for the scenario's currency).  Datasets
 * written with put_doc carry theirs at the call. */
static const rp_h5_doc SC_DOC[] = {
    /* the engine's datasets the model names (SC_NAMES) */
    {RP_H5_TS_MEAN, "daily service level, mean", "1"},
    {RP_H5_TS_QUANTILES, "daily service level, quantiles over replications",
     "1"},
    {RP_H5_TS_BELOW,
     "share of replications with the day's service level below "
     "service_target",
     "1"},
    {RP_H5_CMP_DELTA_MEAN,
     "mean paired difference in lost value, strategy minus baseline", "V"},
    {RP_H5_CMP_DELTA_LOW, "lost_value_delta_mean, 95% interval, low end", "V"},
    {RP_H5_CMP_DELTA_HIGH, "lost_value_delta_mean, 95% interval, high end",
     "V"},
    /* the model's groups */
    {RP_H5_EDGE, "edge index, the network file's order", "1"},
    {RP_H5_THREAT, "threat names, the scenario's order", "1"},
    {RP_H5G_NETWORK "/" RP_H5S_NODE, "node id", "1"},
    {RP_H5G_NETWORK "/" RP_H5S_EDGE, "edge index", "1"},
    {RP_H5_NET_NODE_NAME, "node name (its id if unnamed)", "1"},
    {RP_H5_NET_NODE_KIND, "node kind", "1"},
    {RP_H5_NET_NODE_REGION, "node region", "1"},
    {RP_H5_NET_DEMAND, "final demand", "unit day-1"},
    {RP_H5_NET_CAPACITY, "capacity", "unit day-1"},
    {RP_H5_NET_BASELINE_OUTPUT, "baseline output", "unit day-1"},
    {RP_H5_NET_INVENTORY_DAYS, "days of input stock held at baseline", "day"},
    {RP_H5_NET_UNIT_VALUE, "value of a unit of final demand", "V unit-1"},
    {RP_H5_NET_PROTECTION, "protection against attacks", "1"},
    {RP_H5_NET_EDGE_FROM, "supplier (node index)", "1"},
    {RP_H5_NET_EDGE_TO, "buyer (node index)", "1"},
    {RP_H5_NET_EDGE_LABEL, "edge as FROM->TO:input", "1"},
    {RP_H5_NET_LEAD_TIME, "lead time", "day"},
    {RP_H5_NET_EDGE_INPUT, "the buyer's input group", "1"},
    {RP_H5_NET_EDGE_SHARE, "baseline share of the input group", "1"},
    {RP_H5_NET_EDGE_RATIO, "units of input per unit of the buyer's output",
     "1"},
    {RP_H5_NET_BASELINE_FLOW, "baseline flow", "unit day-1"},
    {RP_H5G_NODE "/" RP_H5S_STRATEGY, "strategy names", "1"},
    {RP_H5G_NODE "/" RP_H5S_NODE, "node id", "1"},
    {RP_H5_NODE_NAME, "node name (its id if unnamed)", "1"},
    {RP_H5_NODE_KIND, "node kind", "1"},
    {RP_H5_NODE_REGION, "node region", "1"},
#define DOC_(f, path, units, ln) {path, ln, units},
    RP_NODE_RESULTS(DOC_)
#undef DOC_
        {RP_H5G_REGISTER "/" RP_H5S_STRATEGY, "strategy names", "1"},
    {RP_H5G_REGISTER "/" RP_H5S_THREAT, "threat names", "1"},
    {RP_H5G_EVENTS "/" RP_H5S_EVENT, "event index", "1"},
    {RP_H5G_STRESS "/" RP_H5S_NODE, "node id", "1"},
    {RP_H5_STRESS_TTR, "time to recover", "day"},
    {RP_H5_STRESS_TTS, "time to survive", "day"},
    {RP_H5_STRESS_PI,
     "value of final demand lost with the node down for its time to "
     "recover",
     "V"},
    {RP_H5_STRESS_REI, "performance impact over the largest one", "1"},
    {RP_H5_STRESS_EXPOSED, "1: time to survive shorter than time to recover",
     "1"},
    {RP_H5_STRESS_TESTED, "1: the node was stress tested", "1"},
};

/* What the model calls the engine's datasets of its quantities: the daily
 * series is the service level, the loss the lost value (sc_h5names.h). */
static const rp_h5_mc_names SC_NAMES = {.ts_mean = RP_H5_TS_MEAN,
                                        .ts_quantiles = RP_H5_TS_QUANTILES,
                                        .ts_below = RP_H5_TS_BELOW,
                                        .delta_mean = RP_H5_CMP_DELTA_MEAN,
                                        .delta_low = RP_H5_CMP_DELTA_LOW,
                                        .delta_high = RP_H5_CMP_DELTA_HIGH,
                                        .loss_words = "lost value"};

static void put(h5w *w, hid_t loc, const char *name, hid_t ftype, hid_t mtype,
                int rank, const hsize_t *dims, const void *data,
                const hid_t *scales)
{
    rp_h5w_put(w, loc, name, ftype, mtype, rank, dims, data, scales);
}

static void put_f64(h5w *w, hid_t loc, const char *name, int rank,
                    const hsize_t *dims, const double *data,
                    const hid_t *scales)
{
    put(w, loc, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, rank, dims, data,
        scales);
}

static void put_i32(h5w *w, hid_t loc, const char *name, int rank,
                    const hsize_t *dims, const int32_t *data,
                    const hid_t *scales)
{
    put(w, loc, name, H5T_STD_I32LE, H5T_NATIVE_INT32, rank, dims, data,
        scales);
}

static void put_str(h5w *w, hid_t loc, const char *name, hsize_t n,
                    const char *const *data, const hid_t *scales)
{
    rp_h5w_put_str(w, loc, name, n, data, scales);
}

#define put_doc rp_h5w_put_doc
#define attr_str rp_h5w_attr_str
#define attr_num rp_h5w_attr_num
#define scale_str rp_h5w_scale_str
#define scale_index rp_h5w_scale_index
#define group rp_h5w_group

/* Values are in the scenario's currency, or RP_MONEY_UNNAMED (put_doc
 * substitutes it). */
#define VALUE_UNITS "V"

/* /network: what the network looked like (baseline strategy). */
static void write_network(h5w *w, const rp_scenario *s, const double *x0,
                          const double *cap, const double *ninv,
                          const double *f0, const double *share)
{
    const rp_network *n = s->net;
    hsize_t N = (hsize_t)n->n_nodes, E = (hsize_t)n->n_edges;
    hid_t g = group(w, RP_H5G_NETWORK);
    hid_t node = scale_str(w, g, RP_H5S_NODE, N, n->id);
    hid_t edge = scale_index(w, g, RP_H5S_EDGE, E);
    hid_t ns[1] = {node}, es[1] = {edge};
    put_str(w, g, RP_H5_NET_NODE_NAME, N, n->node_name, ns);
    put_str(w, g, RP_H5_NET_NODE_KIND, N, n->kind, ns);
    put_str(w, g, RP_H5_NET_NODE_REGION, N, n->region, ns);
    put_f64(w, g, RP_H5_NET_DEMAND, 1, &N, n->demand, ns);
    put_f64(w, g, RP_H5_NET_CAPACITY, 1, &N, cap, ns);
    put_f64(w, g, RP_H5_NET_BASELINE_OUTPUT, 1, &N, x0, ns);
    put_f64(w, g, RP_H5_NET_INVENTORY_DAYS, 1, &N, ninv, ns);
    put_f64(w, g, RP_H5_NET_UNIT_VALUE, 1, &N, n->unit_value, ns);
    put_f64(w, g, RP_H5_NET_PROTECTION, 1, &N, n->protection, ns);
    int32_t *iv = malloc((size_t)(E ? E : 1) * sizeof *iv);
    if (iv == NULL) {
        w->bad = 1;
    } else {
        memcpy(iv, n->from, (size_t)E * sizeof *iv);
        put_i32(w, g, RP_H5_NET_EDGE_FROM, 1, &E, iv, es);
        memcpy(iv, n->to, (size_t)E * sizeof *iv);
        put_i32(w, g, RP_H5_NET_EDGE_TO, 1, &E, iv, es);
        memcpy(iv, n->lead_time, (size_t)E * sizeof *iv);
        put_i32(w, g, RP_H5_NET_LEAD_TIME, 1, &E, iv, es);
        free(iv);
    }
    put_str(w, g, RP_H5_NET_EDGE_INPUT, E, n->input, es);
    {
        /* "FROM->TO:input" */
        size_t len = 0;
        for (hsize_t e = 0; e < E; e++)
            len += strlen(n->id[n->from[e]]) + strlen(n->id[n->to[e]]) +
                   strlen(n->input[e]) + 4;
        char *buf = malloc(len ? len : 1);
        const char **lab = malloc((size_t)(E ? E : 1) * sizeof *lab);
        if (buf == NULL || lab == NULL) {
            w->bad = 1;
        } else {
            char *p = buf;
            for (hsize_t e = 0; e < E; e++) {
                lab[e] = p;
                p += sprintf(p, "%s->%s:%s", n->id[n->from[e]],
                             n->id[n->to[e]], n->input[e]) +
                     1;
            }
            put_str(w, g, RP_H5_NET_EDGE_LABEL, E, lab, es);
        }
        free(buf);
        free(lab);
    }
    put_f64(w, g, RP_H5_NET_EDGE_SHARE, 1, &E, share, es);
    put_f64(w, g, RP_H5_NET_EDGE_RATIO, 1, &E, n->ratio, es);
    put_f64(w, g, RP_H5_NET_BASELINE_FLOW, 1, &E, f0, es);
    if (node >= 0)
        H5Dclose(node);
    if (edge >= 0)
        H5Dclose(edge);
    if (g >= 0)
        H5Gclose(g);
}

/* The register's rows [S][NT] and interaction[S] of run r (attacks and the
 * value of a year's final demand from the scenario); -1 out of memory. */
static int register_rows(const rp_scenario *s, const rp_results *r,
                         rp_reg_row *row, double *inter)
{
    const int NT = r->NT;
    int *att = malloc((size_t)NT * sizeof *att);
    if (att == NULL)
        return -1;
    for (int k = 0; k < NT; k++)
        att[k] = strcmp(s->threats[k].type->name, "attack") == 0;
    double annual = 0;
    for (int i = 0; i < s->net->n_nodes; i++)
        annual += s->net->demand[i] * s->net->unit_value[i];
    annual *= 365.0;
    int rc = rp_register_summary(r, att, annual, row, inter);
    free(att);
    return rc;
}

/* The register's real columns [S][NT] (dims d2, scales sc2) from its rows;
 * col holds n doubles. */
static void put_register_values(h5w *w, hid_t g, const rp_reg_row *row,
                                size_t n, double *col, const hsize_t *d2,
                                const hid_t *sc2)
{
    static const struct {
        const char *name, *long_name, *units;
        size_t off;
    } f[] = {
        {RP_H5_REG_EVENTS_PER_YEAR, "events a year", "year-1",
         offsetof(rp_reg_row, events_per_year)},
        {RP_H5_REG_P_ANY, "share of replications with at least one event", "1",
         offsetof(rp_reg_row, p_any)},
        {RP_H5_REG_ATTEMPTS, "attack attempts a year (NaN: not an attack)",
         "year-1", offsetof(rp_reg_row, attempts_per_year)},
        {RP_H5_REG_P_SUCCESS,
         "share of attack attempts that succeed (NaN: not an "
         "attack)",
         "1", offsetof(rp_reg_row, p_success)},
        {RP_H5_REG_STANDALONE, "mean lost value with this threat alone",
         VALUE_UNITS, offsetof(rp_reg_row, standalone_mean)},
        {RP_H5_REG_MARGINAL,
         "mean lost value with every threat minus that without this one",
         VALUE_UNITS, offsetof(rp_reg_row, marginal_mean)},
        {RP_H5_REG_MARGINAL_LOW, "marginal_mean, 95% interval, low end",
         VALUE_UNITS, offsetof(rp_reg_row, marginal_lo)},
        {RP_H5_REG_MARGINAL_HIGH, "marginal_mean, 95% interval, high end",
         VALUE_UNITS, offsetof(rp_reg_row, marginal_hi)},
        {RP_H5_REG_SHAPLEY,
         "mean Shapley value of the threat's lost value (NaN: "
         "not computed, run --register shapley)",
         VALUE_UNITS, offsetof(rp_reg_row, shapley)},
        {RP_H5_REG_TAIL,
         "mean marginal lost value over the replications at or above the "
         "95% quantile of total lost value",
         VALUE_UNITS, offsetof(rp_reg_row, tail_marginal_cvar95)},
        {RP_H5_REG_LOSS_PER_EVENT,
         "lost value with this threat alone per event of it", VALUE_UNITS,
         offsetof(rp_reg_row, loss_per_event)},
    };
    for (size_t q = 0; q < sizeof f / sizeof f[0]; q++) {
        for (size_t i = 0; i < n; i++)
            col[i] = *(const double *)((const char *)&row[i] + f[q].off);
        put_doc(w, g, f[q].name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, d2, col,
                sc2, f[q].long_name, f[q].units);
    }
}

/* The Shapley method ("none", "exact" or "sampled:PERMS"), as an attribute
 * of the Shapley dataset. */
static void shapley_method_attr(h5w *w, hid_t g, const rp_results *r)
{
    int64_t sampled = 0;
    for (size_t i = 0; i < (size_t)r->S * (size_t)r->R; i++)
        sampled += r->reg_sampled[i];
    char method[64];
    if (r->reg_shap == NULL)
        snprintf(method, sizeof method, "none");
    else if (sampled == 0)
        snprintf(method, sizeof method, "exact");
    else
        snprintf(method, sizeof method, "sampled:%d", RP_REG_PERMS);
    hid_t d = H5Dopen2(g, RP_H5_REG_SHAPLEY, H5P_DEFAULT);
    if (d >= 0) {
        attr_str(w, d, "method", method);
        H5Dclose(d);
    }
}

/* The likelihood and consequence classes [S][NT], each with its bands as
 * an attribute; icol holds n ints. */
static void put_register_classes(h5w *w, hid_t g, const rp_reg_row *row,
                                 size_t n, int32_t *icol, const hsize_t *d2,
                                 const hid_t *sc2)
{
    for (size_t i = 0; i < n; i++)
        icol[i] = row[i].likelihood_class;
    put_doc(w, g, RP_H5_REG_LIKELIHOOD, H5T_STD_I32LE, H5T_NATIVE_INT32, 2, d2,
            icol, sc2, "likelihood class, 1 (rare) to 5 (almost certain)",
            "1");
    for (size_t i = 0; i < n; i++)
        icol[i] = row[i].consequence_class;
    put_doc(w, g, RP_H5_REG_CONSEQUENCE, H5T_STD_I32LE, H5T_NATIVE_INT32, 2,
            d2, icol, sc2, "consequence class, 1 (minor) to 5 (severe)", "1");
    hid_t d = H5Dopen2(g, RP_H5_REG_LIKELIHOOD, H5P_DEFAULT);
    if (d >= 0) {
        attr_num(w, d, "bands_events_per_year", H5T_IEEE_F64LE,
                 H5T_NATIVE_DOUBLE, rp_reg_likelihood_bands, 4);
        H5Dclose(d);
    }
    d = H5Dopen2(g, RP_H5_REG_CONSEQUENCE, H5P_DEFAULT);
    if (d >= 0) {
        attr_num(w, d, "bands_share_of_annual_demand_value", H5T_IEEE_F64LE,
                 H5T_NATIVE_DOUBLE, rp_reg_consequence_bands, 4);
        H5Dclose(d);
    }
}

/* /risk_register: per strategy and threat, what each threat adds to the
 * loss (see include/ripple/register.h and compare.h). */
static void write_register(h5w *w, const rp_scenario *s, const rp_results *r,
                           const char *const *snames,
                           const char *const *tnames)
{
    const int S = r->S, NT = r->NT;
    if (r->reg_alone == NULL || NT == 0)
        return;
    size_t n = (size_t)S * (size_t)NT;
    rp_reg_row *row = malloc(n * sizeof *row);
    double *col = malloc(n * sizeof *col);
    int32_t *icol = malloc(n * sizeof *icol);
    double *inter = malloc((size_t)S * sizeof *inter);
    if (row == NULL || col == NULL || icol == NULL || inter == NULL ||
        register_rows(s, r, row, inter) != 0) {
        w->bad = 1;
        goto done;
    }
    hid_t g = group(w, RP_H5G_REGISTER);
    hid_t st = scale_str(w, g, RP_H5S_STRATEGY, (hsize_t)S, snames);
    hid_t th = scale_str(w, g, RP_H5S_THREAT, (hsize_t)NT, tnames);
    hsize_t d2[2] = {(hsize_t)S, (hsize_t)NT}, d1 = (hsize_t)S;
    hid_t sc2[2] = {st, th}, sc1[1] = {st};
    put_register_values(w, g, row, n, col, d2, sc2);
    shapley_method_attr(w, g, r);
    put_register_classes(w, g, row, n, icol, d2, sc2);
    put_doc(w, g, RP_H5_REG_INTERACTION, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1,
            &d1, inter, sc1,
            "total mean lost value minus the sum of the threats' marginal "
            "means",
            VALUE_UNITS);
    attr_str(w, g, "mode", r->reg == RP_REG_SHAPLEY ? "shapley" : "marginal");
    if (th >= 0)
        H5Dclose(th);
    if (st >= 0)
        H5Dclose(st);
    if (g >= 0)
        H5Gclose(g);
done:
    free(row);
    free(col);
    free(icol);
    free(inter);
}

/* Every event of the run's log, strategy by strategy and replication by
 * replication, sampled again (threats draw from streams keyed by seed,
 * replication and threat, so these are the events the replications ran
 * on; one strategy's model at a time): each one that touches the horizon
 * goes to row(ctx, ...).  0, or -1 with an error. */
static int each_event(const rp_scenario *s, const rp_results *r,
                      int (*row)(void *ctx, int si, int64_t rep,
                                 const rp_event *ev),
                      void *ctx, rp_errors *err)
{
    const int T = r->T;
    gsl_rng *rng = gsl_rng_alloc(rp_rng_philox);
    rp_evbuf eb = {0};
    int bad = rng == NULL;
    for (int si = 0; si < r->S && !bad; si++) {
        rp_model *m = NULL;
        void **preps = NULL;
        if (rp_run_model(s, si, &m, err) != RP_OK ||
            rp_threats_prepare(s->threats, s->n_threats, m, &preps, err) !=
                RP_OK) {
            rp_model_free(m);
            bad = 1;
            break;
        }
        for (int64_t q = 0; q < r->R && !bad; q++) {
            bad = rp_run_events(s, m, preps, q, rng, &eb, NULL) != 0;
            for (int e = 0; e < eb.n && !bad; e++) {
                const rp_event *ev = &eb.ev[e];
                if (ev->onset < T && ev->onset + ev->duration > 0 &&
                    ev->duration >= 1)
                    bad = row(ctx, si, q, ev) != 0;
            }
        }
        rp_threats_release(s->threats, s->n_threats, preps);
        rp_model_free(m);
    }
    rp_evbuf_free(&eb);
    if (rng != NULL)
        gsl_rng_free(rng);
    if (bad && rp_err_status(err) == RP_OK)
        rp_err_runtime(err, "out of memory writing the event log");
    return bad ? -1 : 0;
}

static int count_row(void *ctx, int si, int64_t rep, const rp_event *ev)
{
    (void)si;
    (void)rep;
    (void)ev;
    ++*(hsize_t *)ctx;
    return 0;
}

/* The event log's columns (the scale, then the datasets in the order they
 * are created), and the rows of a chunk waiting to be written. */
enum {
    EV_INDEX,
    EV_STRATEGY,
    EV_REP,
    EV_THREAT,
    EV_KIND,
    EV_TARGET,
    EV_ONSET,
    EV_DURATION,
    EV_SEVERITY,
    EV_PROFILE,
    EV_COLS
};
typedef struct {
    h5w *w;
    hid_t d[EV_COLS];
    hsize_t n, chunk; /* rows in all; rows a chunk */
    hsize_t off, k;   /* rows written; rows buffered */
    int64_t *index, *rep;
    int32_t *strategy, *threat, *target, *onset, *duration;
    uint8_t *kind, *profile;
    double *severity;
} ev_log;

/* Write the buffered rows. */
static void ev_flush(ev_log *L)
{
    h5w *w = L->w;
    const hsize_t o = L->off, k = L->k;
    rp_h5w_column_part(w, L->d[EV_INDEX], H5T_NATIVE_INT64, o, k, L->index);
    rp_h5w_column_part(w, L->d[EV_STRATEGY], H5T_NATIVE_INT32, o, k,
                       L->strategy);
    rp_h5w_column_part(w, L->d[EV_REP], H5T_NATIVE_INT64, o, k, L->rep);
    rp_h5w_column_part(w, L->d[EV_THREAT], H5T_NATIVE_INT32, o, k, L->threat);
    rp_h5w_column_part(w, L->d[EV_KIND], H5T_NATIVE_UINT8, o, k, L->kind);
    rp_h5w_column_part(w, L->d[EV_TARGET], H5T_NATIVE_INT32, o, k, L->target);
    rp_h5w_column_part(w, L->d[EV_ONSET], H5T_NATIVE_INT32, o, k, L->onset);
    rp_h5w_column_part(w, L->d[EV_DURATION], H5T_NATIVE_INT32, o, k,
                       L->duration);
    rp_h5w_column_part(w, L->d[EV_SEVERITY], H5T_NATIVE_DOUBLE, o, k,
                       L->severity);
    rp_h5w_column_part(w, L->d[EV_PROFILE], H5T_NATIVE_UINT8, o, k,
                       L->profile);
    L->off += k;
    L->k = 0;
}

/* A row of the log; a chunk's worth is written at once. */
static int log_row(void *ctx, int si, int64_t rep, const rp_event *ev)
{
    ev_log *L = ctx;
    if (L->off + L->k >= L->n)
        return -1; /* more events than counted: not reached */
    const hsize_t q = L->k++;
    L->index[q] = (int64_t)(L->off + q);
    L->strategy[q] = si;
    L->rep[q] = rep;
    L->threat[q] = ev->threat;
    L->kind[q] = ev->is_edge;
    L->target[q] = ev->target;
    L->onset[q] = ev->onset;
    L->duration[q] = ev->duration;
    L->severity[q] = ev->severity;
    L->profile[q] = ev->profile;
    if (L->k == L->chunk)
        ev_flush(L);
    return L->w->bad ? -1 : 0;
}

/* /events: the event log, a row an event in strategy, replication and
 * threat order.  It is not held in memory: the events are sampled once to
 * count them (the datasets' chunks depend on their length), and again to
 * write them a chunk at a time, so the file holds what a dataset written
 * whole would. */
static void write_events(h5w *w, const rp_scenario *s, const rp_results *r,
                         rp_errors *err)
{
    ev_log L = {.w = w};
    for (int c = 0; c < EV_COLS; c++)
        L.d[c] = -1;
    if (each_event(s, r, count_row, &L.n, err) != 0) {
        w->bad = 1;
        return;
    }
    hid_t g = group(w, RP_H5G_EVENTS);
    const hid_t I32 = H5T_STD_I32LE, U8 = H5T_STD_U8LE;
    L.d[EV_INDEX] = rp_h5w_column(w, g, RP_H5S_EVENT, H5T_STD_I64LE, L.n, NULL,
                                  NULL, NULL, &L.chunk);
    rp_h5w_set_scale(w, L.d[EV_INDEX], RP_H5S_EVENT);
    hid_t sc[1] = {L.d[EV_INDEX]};
#define COL_(c, name, ftype, long_name, units)                                \
    L.d[c] = rp_h5w_column(w, g, name, ftype, L.n, sc, long_name, units, NULL)
    COL_(EV_STRATEGY, RP_H5_EV_STRATEGY, I32, "strategy index (/strategy)",
         "1");
    COL_(EV_REP, RP_H5_EV_REPLICATION, H5T_STD_I64LE, "replication index",
         "1");
    COL_(EV_THREAT, RP_H5_EV_THREAT, I32, "threat index (/threat)", "1");
    COL_(EV_KIND, RP_H5_EV_TARGET_KIND, U8,
         "0: a node (/node), 1: an edge (/edge)", "1");
    COL_(EV_TARGET, RP_H5_EV_TARGET, I32, "node or edge index", "1");
    COL_(EV_ONSET, RP_H5_EV_ONSET, I32, "first day of the event", "day");
    COL_(EV_DURATION, RP_H5_EV_DURATION, I32, "days the event lasts", "day");
    COL_(EV_SEVERITY, RP_H5_EV_SEVERITY, H5T_IEEE_F64LE,
         "share of capacity lost (first day)", "1");
    COL_(EV_PROFILE, RP_H5_EV_PROFILE, U8, "0: step, 1: linear recovery", "1");
#undef COL_
    if (L.n > 0 && !w->bad) {
        size_t k = (size_t)L.chunk;
        L.index = malloc(k * sizeof *L.index);
        L.rep = malloc(k * sizeof *L.rep);
        L.strategy = malloc(k * sizeof *L.strategy);
        L.threat = malloc(k * sizeof *L.threat);
        L.target = malloc(k * sizeof *L.target);
        L.onset = malloc(k * sizeof *L.onset);
        L.duration = malloc(k * sizeof *L.duration);
        L.kind = malloc(k);
        L.profile = malloc(k);
        L.severity = malloc(k * sizeof *L.severity);
        if (!L.index || !L.rep || !L.strategy || !L.threat || !L.target ||
            !L.onset || !L.duration || !L.kind || !L.profile || !L.severity) {
            rp_err_runtime(err, "out of memory writing the event log");
            w->bad = 1;
        } else if (each_event(s, r, log_row, &L, err) != 0) {
            w->bad = 1;
        } else {
            if (L.k > 0)
                ev_flush(&L);
            if (L.off != L.n)
                w->bad = 1; /* fewer events than counted: not reached */
        }
        free(L.index);
        free(L.rep);
        free(L.strategy);
        free(L.threat);
        free(L.target);
        free(L.onset);
        free(L.duration);
        free(L.kind);
        free(L.profile);
        free(L.severity);
    }
    for (int c = EV_COLS - 1; c >= 0; c--)
        if (L.d[c] >= 0)
            H5Dclose(L.d[c]);
    if (g >= 0)
        H5Gclose(g);
}

/* Open the file (a temporary beside path, name in tmp[PATH_MAX]) with the
 * model's doc table and the root attributes: the command line's (meta)
 * and the scenario's.  0, or -1 with an error. */
static int begin(const char *path, char *tmp, h5w *w, const rp_scenario *s,
                 const rp_h5_meta *meta, const char *kind, rp_errors *err)
{
    if (rp_h5w_open(path, tmp, PATH_MAX, w, err) != 0)
        return -1;
    w->docs = SC_DOC;
    w->n_docs = sizeof SC_DOC / sizeof *SC_DOC;
    char *js = rp_scenario_resolved_json(s), hex[65];
    rp_h5_inputs in = {
        .scenario_name = s->name,
        .currency = s->currency,
        .scenario_json = js,
        .input_sha256 = rp_scenario_network_sha256(s, hex) == 0 ? hex : NULL,
        .input_sha256_attr = RP_H5A_NETWORK_SHA256,
        .seed = s->seed,
        .replications = s->replications,
        .horizon = s->horizon,
        .model_version = RP_MODEL_VERSION};
    rp_h5w_root_attrs(w, meta, &in, kind);
    /* money's units: the currency, or the words inspect and the report
     * use when none is named (the root's currency attribute stays "") */
    w->currency = rp_describe_money(s->currency);
    free(js);
    return 0;
}

/* /node: the per-node results [strategy, node] and each node's name, kind
 * and region. */
static void write_nodes(h5w *w, const rp_scenario *s, const rp_results *r,
                        const char *const *snames)
{
    const int S = r->S, N = r->N;
    hid_t g = group(w, RP_H5G_NODE);
    hid_t strat = scale_str(w, g, RP_H5S_STRATEGY, (hsize_t)S, snames);
    hid_t node = scale_str(w, g, RP_H5S_NODE, (hsize_t)N, s->net->id);
    hsize_t dn[2] = {(hsize_t)S, (hsize_t)N};
    hid_t sn[2] = {strat, node};
    hsize_t n1 = (hsize_t)N;
    put_str(w, g, RP_H5_NODE_NAME, n1, s->net->node_name, &node);
    put_str(w, g, RP_H5_NODE_KIND, n1, s->net->kind, &node);
    put_str(w, g, RP_H5_NODE_REGION, n1, s->net->region, &node);
#define PUT_(f, path, u, ln) put_f64(w, g, path, 2, dn, r->f, sn);
    RP_NODE_RESULTS(PUT_)
#undef PUT_
    if (node >= 0)
        H5Dclose(node);
    if (strat >= 0)
        H5Dclose(strat);
    if (g >= 0)
        H5Gclose(g);
}

/* /threat: the scenario's threat names (type and index if unnamed), and
 * with them /risk_register. */
static void write_threats(h5w *w, const rp_scenario *s, const rp_results *r,
                          const char *const *snames)
{
    int NT = s->n_threats;
    char *buf = malloc((size_t)(NT ? NT : 1) * 48);
    const char **names = malloc((size_t)(NT ? NT : 1) * sizeof *names);
    if (buf == NULL || names == NULL) {
        w->bad = 1;
    } else if (NT > 0) {
        for (int k = 0; k < NT; k++) {
            const rp_threat *t = &s->threats[k];
            if (t->name != NULL && t->name[0]) {
                names[k] = t->name;
            } else {
                snprintf(buf + (size_t)k * 48, 48, "%.30s %d", t->type->name,
                         k);
                names[k] = buf + (size_t)k * 48;
            }
        }
        hid_t t = scale_str(w, w->file, RP_H5_THREAT, (hsize_t)NT, names);
        if (t >= 0)
            H5Dclose(t);
        write_register(w, s, r, snames, names);
    }
    free(buf);
    free(names);
}

rp_status rp_h5_write_run(const char *path, const rp_scenario *s,
                          const rp_results *r, const rp_h5_meta *meta,
                          rp_errors *err)
{
    char tmp[PATH_MAX];
    h5w w;
    if (begin(path, tmp, &w, s, meta, "run", err) != 0)
        return RP_ERUNTIME;
    int S = r->S;
    const char **snames = malloc((size_t)S * sizeof *snames);
    const char **sacts = malloc((size_t)S * sizeof *sacts);
    double *cost = malloc((size_t)S * sizeof *cost);
    if (!snames || !sacts || !cost) {
        w.bad = 1;
        goto done;
    }
    for (int si = 0; si < S; si++) {
        snames[si] = s->strategies[si].name;
        sacts[si] = s->strategies[si].actions_json;
        cost[si] = s->strategies[si].cost_per_year;
    }
    /* the engine's groups */
    rp_h5_mc v = {.names = &SC_NAMES,
                  .S = S,
                  .T = r->T,
                  .R = r->R,
                  .snames = snames,
                  .sacts = sacts,
                  .cost = cost,
                  .seed = s->seed,
                  .rep = r->rep,
                  .rec_bytes = sizeof *r->rep,
                  .n_metrics = RP_NMETRIC,
                  .loss_metric = RP_METRIC_lost_value,
                  .metrics = rp_metric_defs,
                  .series_mean = r->sl_mean,
                  .series_q = r->sl_q,
                  .series_below = r->sl_below};
    rp_h5_write_mc(&w, &v);

    /* the root's edge scale (docs/formats.md) and /network */
    hid_t edge = scale_index(&w, w.file, RP_H5_EDGE, (hsize_t)s->net->n_edges);
    if (edge >= 0)
        H5Dclose(edge);
    write_network(&w, s, r->x0, r->cap, r->ninv, r->edge_f0, r->edge_share);
    write_nodes(&w, s, r, snames);
    if (r->events)
        write_events(&w, s, r, err);
    write_threats(&w, s, r, snames);
done:
    free(snames);
    free(sacts);
    free(cost);
    return rp_h5w_finish(path, tmp, &w, err);
}

rp_status rp_h5_write_stress(const char *path, const rp_scenario *s,
                             const rp_stress *st, const rp_h5_meta *meta,
                             rp_errors *err)
{
    char tmp[PATH_MAX];
    h5w w;
    if (begin(path, tmp, &w, s, meta, "stress", err) != 0)
        return RP_ERUNTIME;
    hsize_t N = (hsize_t)st->N;
    hid_t g = group(&w, RP_H5G_STRESS);
    hid_t node = scale_str(&w, g, RP_H5S_NODE, N, s->net->id);
    hid_t ns[1] = {node};
    put_i32(&w, g, RP_H5_STRESS_TTR, 1, &N, st->ttr, ns);
    put_i32(&w, g, RP_H5_STRESS_TTS, 1, &N, st->tts, ns);
    put_f64(&w, g, RP_H5_STRESS_PI, 1, &N, st->pi, ns);
    put_f64(&w, g, RP_H5_STRESS_REI, 1, &N, st->rei, ns);
    put(&w, g, RP_H5_STRESS_EXPOSED, H5T_STD_U8LE, H5T_NATIVE_UINT8, 1, &N,
        st->exposed, ns);
    put(&w, g, RP_H5_STRESS_TESTED, H5T_STD_U8LE, H5T_NATIVE_UINT8, 1, &N,
        st->tested, ns);
    if (node >= 0)
        H5Dclose(node);
    if (g >= 0)
        H5Gclose(g);
    return rp_h5w_finish(path, tmp, &w, err);
}
