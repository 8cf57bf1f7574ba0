/* Reads a results file back and prints what a planner looks at first.
 *
 * A results file is input like any other: before anything is printed, the
 * whole file is checked against the format (docs/formats.md): every group
 * and dataset present through hard links, of the right type class, rank
 * and shape (sizes taken from the file's own dimension scales), stored in
 * the file itself with no filters but deflate, shuffle and fletcher32, and
 * holding at least the bytes its shape needs (allowing for deflate's
 * largest ratio), so that nothing is allocated for data the file does not
 * hold.  Every problem is reported as `FILE: OBJECT: expected ..., found
 * ...`; then nothing is printed (docs/robustness.md). */
#define _POSIX_C_SOURCE 200809L
#include "ripple/inspect.h"

#include <errno.h>
#include <hdf5.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h5read.h"
#include "ripple/describe.h"
#include "ripple/h5names.h"
#include "ripple/h5out.h"
#include "ripple/run.h"
#include "ripple/sc_h5names.h"
#include "ripple/stats.h"
#include "ripple/util.h"

/* Deflate never packs more than 1032 bytes into one; a little more. */
#define MAX_RATIO 1100
#define MAX_HORIZON 36500

typedef rp_h5r h5r;
/* (short names for the tables below) */
enum { K_FLOAT = RP_H5R_FLOAT, K_INT = RP_H5R_INT, K_STR = RP_H5R_STR };

/* ---- tables: one description for text, JSON and CSV ---- */

/* How a column reads in the text.  JSON and CSV give strings as they are
 * and numbers exactly; the text a number that is not one as "-". */
enum {
    T_G,   /* an amount: "1,500,000", "12.35" (fmt below) */
    T_STR, /* a string, cut to the column's width */
    T_F,   /* a number with `prec` decimals */
    T_CI,  /* this number and the next column's as "[low, high]" (fmt) */
    T_YES  /* "yes" when positive, else "no" */
};

/* A column of a table.  JSON and CSV have every column, in the table's
 * order; the text those with a heading, in the same order except that the
 * `late` ones come last (the register's Shapley value and classes, after
 * its other losses; an event's names, which vary in width, after its
 * numbers).  So a column added to a table appears in every format. */
typedef struct {
    const char *key;  /* JSON key and CSV heading */
    const char *head; /* text heading; NULL: JSON and CSV only */
    int width;        /* text width; negative: left-aligned */
    int how, prec;    /* text format (T_*); decimals for T_F */
    int late;         /* text: after the columns without it */
    int gap;          /* text: spaces before it besides the one */
    int nobase;       /* text: "-" in the baseline's row (no comparison) */
} column;

typedef struct {
    const char *name; /* JSON key and CSV section */
    const column *cols;
    int n;
} table;

/* A column in the text: key, heading, width, T_*, decimals. */
#define COL(k, h, w, t, p) .key = k, .head = h, .width = w, .how = t, .prec = p

#define TABLE(name, cols)                                                     \
    {                                                                         \
        name, cols, (int)(sizeof cols / sizeof *cols)                         \
    }

/* A row's value in one column: s for T_STR columns, else v. */
typedef struct {
    const char *s;
    double v;
} value;

/* ---- datasets ---- */

/* Dimensions of a results file, named by letter in the tables below. */
enum { D_S, D_R, D_N, D_E, D_T, D_Q, D_A, D_H, D_V, ND };
static const char dim_letters[] = "SRNETQAHV";
static const char *const dim_names[] = {"strategy", "replication", "node",
                                        "edge",     "day",         "quantile",
                                        "stat",     "threat",      "event"};

typedef struct {
    hsize_t size[ND];
    int known[ND];
    const char *from[ND]; /* the dataset that gave the size */
} dims;

/* Stored the way Ripple stores data, and holding what its shape needs? */
static int storage_ok(h5r *r, const char *p, hid_t d, hid_t t, hsize_t n)
{
    hid_t pl = H5Dget_create_plist(d);
    int ok = pl >= 0;
    int deflated = 0;
    hsize_t chunked_expected = 0;
    if (ok) {
        H5D_layout_t lay = H5Pget_layout(pl);
        if (lay == H5D_CHUNKED) {
            hid_t sp = H5Dget_space(d);
            hsize_t dd[H5S_MAX_RANK], cd[H5S_MAX_RANK];
            int rank = H5Sget_simple_extent_dims(sp, dd, NULL);
            chunked_expected = 1;
            if (rank < 1 || H5Pget_chunk(pl, rank, cd) != rank)
                chunked_expected = 0;
            for (int k = 0; k < rank && chunked_expected; k++)
                chunked_expected *= cd[k] ? (dd[k] + cd[k] - 1) / cd[k] : 0;
            H5Sclose(sp);
            if (chunked_expected == 0 && n > 0) {
                rp_h5r_problem(r, p,
                               "expected a readable chunk layout, found none");
                ok = 0;
            }
        }
        if (lay != H5D_CONTIGUOUS && lay != H5D_CHUNKED &&
            lay != H5D_COMPACT) {
            rp_h5r_problem(
                r, p, "expected data stored in this file, found a %s dataset",
                lay == H5D_VIRTUAL ? "virtual" : "differently laid out");
            ok = 0;
        }
        if (ok && H5Pget_external_count(pl) != 0) {
            rp_h5r_problem(
                r, p,
                "expected data stored in this file, found it stored in "
                "an external file");
            ok = 0;
        }
        int nf = ok ? H5Pget_nfilters(pl) : 0;
        for (int k = 0; ok && k < nf; k++) {
            unsigned flags = 0, cd[8];
            size_t ncd = 8;
            char name[64];
            H5Z_filter_t f = H5Pget_filter2(pl, (unsigned)k, &flags, &ncd, cd,
                                            sizeof name, name, NULL);
            if (f == H5Z_FILTER_DEFLATE)
                deflated = 1;
            else if (f != H5Z_FILTER_SHUFFLE && f != H5Z_FILTER_FLETCHER32) {
                rp_h5r_problem(r, p,
                               "expected no filters but deflate, shuffle and "
                               "fletcher32, found filter %d",
                               (int)f);
                ok = 0;
            }
        }
        H5Pclose(pl);
    }
    if (!ok || n == 0)
        return ok;
    if (deflated && H5Tget_class(t) == H5T_STRING) {
        rp_h5r_problem(r, p,
                       "expected uncompressed strings, found them compressed");
        return 0;
    }
    /* every chunk written (a chunk never written reads as fill values) */
    hsize_t missing = 0;
    if (chunked_expected > 0) {
        hsize_t nc = 0;
        hid_t sp = H5Dget_space(d);
        if (H5Dget_num_chunks(d, sp, &nc) < 0 || nc != chunked_expected)
            missing = nc < chunked_expected ? chunked_expected - nc : 1;
        H5Sclose(sp);
    }
    if (missing > 0) {
        rp_h5r_problem(
            r, p,
            "expected its %llu values stored in the file, found %llu of "
            "its %llu chunks missing",
            (unsigned long long)n, (unsigned long long)missing,
            (unsigned long long)chunked_expected);
        return 0;
    }
    uint64_t need = (uint64_t)n * H5Tget_size(t);
    uint64_t have = H5Dget_storage_size(d);
    uint64_t can = deflated ? have * MAX_RATIO : have;
    if (have > r->fsize || can < need) {
        rp_h5r_problem(
            r, p, "expected %llu bytes of values, found %llu bytes stored%s",
            (unsigned long long)need, (unsigned long long)have,
            deflated ? " (compressed)" : "");
        return 0;
    }
    return 1;
}

/* Check dataset `p`: `kind`, rank strlen(shape), each axis the size of the
 * dimension named by its letter in `shape` (an unknown dimension takes the
 * size found, within [lo, hi]).  Returns the open dataset, or -1. */
static hid_t check_ds(h5r *r, dims *dm, const char *p, int kind,
                      const char *shape, hsize_t lo, hsize_t hi)
{
    hid_t d = rp_h5r_open_obj(r, p, H5I_DATASET);
    if (d < 0)
        return -1;
    int rank = (int)strlen(shape);
    hid_t t = H5Dget_type(d), sp = H5Dget_space(d);
    char want[400], got[160];
    int ok = t >= 0 && sp >= 0;
    if (ok && !rp_h5r_type_is(t, kind)) {
        rp_h5r_type_words(t, got, sizeof got);
        rp_h5r_problem(r, p, "expected %s, found %s", rp_h5r_kind_words[kind],
                       got);
        ok = 0;
    }
    hsize_t found[H5S_MAX_RANK];
    int frank = 0;
    if (ok) {
        H5S_class_t sc = H5Sget_simple_extent_type(sp);
        frank = sc == H5S_SIMPLE ? H5Sget_simple_extent_ndims(sp) : 0;
        if (sc != H5S_SIMPLE || frank < 1 || frank > H5S_MAX_RANK ||
            H5Sget_simple_extent_dims(sp, found, NULL) < 0) {
            rp_h5r_problem(r, p, "expected an array of rank %d, found %s",
                           rank,
                           sc == H5S_SCALAR ? "a single value" : "no values");
            ok = 0;
        }
    }
    /* the expected shape, filling in dimensions not yet known */
    hsize_t exp[3] = {0, 0, 0};
    int fills[3] = {0, 0, 0};
    for (int k = 0; ok && k < rank; k++) {
        int di = (int)(strchr(dim_letters, shape[k]) - dim_letters);
        if (dm->known[di]) {
            exp[k] = dm->size[di];
        } else if (k < frank) {
            exp[k] = found[k];
            fills[k] = 1;
            if (found[k] < lo || found[k] > hi) {
                rp_h5r_problem(
                    r, p, "expected between %llu and %llu %ss, found %llu",
                    (unsigned long long)lo, (unsigned long long)hi,
                    dim_names[di], (unsigned long long)found[k]);
                ok = 0;
            }
        }
    }
    if (ok) {
        int same = frank == rank;
        for (int k = 0; same && k < rank; k++)
            same = found[k] == exp[k];
        if (!same) {
            size_t w = 0;
            w += (size_t)snprintf(want, sizeof want, "[");
            for (int k = 0; k < rank && w < sizeof want; k++) {
                int di = (int)(strchr(dim_letters, shape[k]) - dim_letters);
                /* a size taken from a scale says which */
                const char *src = dm->known[di] ? dm->from[di] : NULL;
                w += (size_t)snprintf(
                    want + w, sizeof want - w, "%s%llu %s%s%s%s",
                    k ? ", " : "", (unsigned long long)exp[k], dim_names[di],
                    src ? " (as " : "", src ? src : "", src ? ")" : "");
            }
            if (w < sizeof want)
                snprintf(want + w, sizeof want - w, "]");
            rp_h5r_shape_words(got, sizeof got, frank, found);
            rp_h5r_problem(r, p, "expected shape %s, found %s", want, got);
            ok = 0;
        }
    }
    hsize_t n = 1;
    for (int k = 0; ok && k < rank; k++) {
        if (found[k] != 0 && n > ((hsize_t)1 << 50) / found[k]) {
            rp_h5r_problem(
                r, p, "expected a size Ripple can write, found %s elements",
                "more than 2^50");
            ok = 0;
        }
        n *= found[k];
    }
    ok = ok && storage_ok(r, p, d, t, n);
    if (ok) {
        for (int k = 0; k < rank; k++) {
            int di = (int)(strchr(dim_letters, shape[k]) - dim_letters);
            if (fills[k]) {
                dm->known[di] = 1;
                dm->size[di] = found[k];
                dm->from[di] = p;
            }
        }
    }
    if (t >= 0)
        H5Tclose(t);
    if (sp >= 0)
        H5Sclose(sp);
    if (!ok) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

static int check_only(h5r *r, dims *dm, const char *p, int kind,
                      const char *shape, hsize_t lo, hsize_t hi)
{
    hid_t d = check_ds(r, dm, p, kind, shape, lo, hi);
    if (d < 0)
        return -1;
    H5Dclose(d);
    return 0;
}

/* ---- the file, checked ---- */

/* The risk register's datasets [strategy, threat], in this order: the
 * register table's columns from RG_COL on, so RG_KEY(k) names dataset k. */
enum {
    RG_EPY,
    RG_PANY,
    RG_ATT,
    RG_PSUC,
    RG_ALONE,
    RG_MARG,
    RG_MLO,
    RG_MHI,
    RG_SHAP,
    RG_TAIL,
    RG_LPE,
    RG_LCLS,
    RG_CCLS,
    RG_N
};
enum { RG_COL = 3 };
static const column reg_cols[RG_COL + RG_N] = {
    {.key = "strategy", .how = T_STR},
    {COL("rank", "#", 3, T_F, 0)},
    {COL("threat", "threat", -24, T_STR, 0)},
    {COL("events_per_year", "events/yr", 9, T_F, 3)},
    {COL("p_any", "P(any)", 6, T_F, 3)},
    {.key = "attempts_per_year"},
    {.key = "p_success"},
    {COL("standalone_mean", "standalone", 11, T_G, 0)},
    {COL("marginal_mean", "marginal", 11, T_G, 0)},
    {COL("marginal_ci95_low", "95% CI of marginal", 25, T_CI, 0)},
    {.key = "marginal_ci95_high"},
    {COL("shapley", "Shapley", 11, T_G, 0), .late = 1},
    {COL("tail_marginal_cvar95", "tail marg.", 11, T_G, 0)},
    {.key = "loss_per_event"},
    {COL("likelihood_class", "L", 2, T_F, 0), .late = 1},
    {COL("consequence_class", "C", 2, T_F, 0), .late = 1}};
static const table reg_table = TABLE("risk_register", reg_cols);
#define RG_KEY(k) (reg_cols[RG_COL + (k)].key)

/* The event log's datasets [event], in this order. */
enum {
    EV_STRAT,
    EV_REP,
    EV_THREAT,
    EV_KIND,
    EV_TARGET,
    EV_ONSET,
    EV_DUR,
    EV_SEV,
    EV_PROF,
    EV_N
};
static const char *const ev_names[EV_N] = {
    "strategy", "replication", "threat",   "target_kind", "target",
    "onset",    "duration",    "severity", "profile"};

#define NWORST 3

typedef struct {
    double v[EV_N];
} ev_row;

typedef struct {
    int64_t rep;
    double lost;
    size_t n, cap;
    ev_row *ev;
} worst_rep;

typedef struct {
    char *kind, *name, *ver, *when, *cmd;
    char *cur; /* the scenario's currency (NULL: none given) */
    int64_t horizon, reps, seed, threads, ranks;
    /* run files */
    size_t S, N;
    char **strat, **nodes;
    double *lv, *fr, *dbt, *dm, *dlo, *dhi, *pb, *roi, *vr, *cost;
    double *crit, *pdis, *pimp;
    /* the decision layer (absent from older files) */
    int has_nb; /* /comparison/net_benefit_* and prob_best */
    double *nb, *nblo, *nbhi, *pbest;
    int64_t resamples; /* /comparison attribute bootstrap_resamples, or 0 */
    size_t NT;
    char **threats;
    int has_reg;
    double *rg[RG_N]; /* [strategy][threat] */
    double *inter;
    double lband[4], cband[4];
    char *method;
    int has_ev;
    size_t nworst;
    worst_rep worst[NWORST];
    size_t E;
    double *efrom, *eto;
    /* stress files */
    char **ids;
    double *ttr, *tts, *pi, *rei, *exp;
} contents;

/* What money is counted in: the scenario's currency, or the words for
 * none (RP_MONEY_UNNAMED, as in the report and the files' units). */
static const char *money(const contents *c)
{
    return rp_describe_money(c->cur);
}

static void contents_free(contents *c, size_t nstress)
{
    H5free_memory(c->kind);
    H5free_memory(c->name);
    H5free_memory(c->ver);
    H5free_memory(c->when);
    H5free_memory(c->cmd);
    H5free_memory(c->cur);
    rp_h5r_free_strs(c->strat, c->S);
    rp_h5r_free_strs(c->nodes, c->N);
    rp_h5r_free_strs(c->ids, nstress);
    double *all[] = {c->lv,   c->fr,  c->dbt, c->dm,   c->dlo,  c->dhi,
                     c->pb,   c->roi, c->vr,  c->cost, c->crit, c->pdis,
                     c->pimp, c->ttr, c->tts, c->pi,   c->rei,  c->exp};
    for (size_t k = 0; k < sizeof all / sizeof *all; k++)
        free(all[k]);
    double *more[] = {c->nb,    c->nblo,  c->nbhi, c->pbest,
                      c->inter, c->efrom, c->eto};
    for (size_t k = 0; k < sizeof more / sizeof *more; k++)
        free(more[k]);
    for (int k = 0; k < RG_N; k++)
        free(c->rg[k]);
    for (size_t k = 0; k < NWORST; k++)
        free(c->worst[k].ev);
    rp_h5r_free_strs(c->threats, c->NT);
    H5free_memory(c->method);
}

/* brief: the run's own summary of the file it has just written, which
 * reads the scenario_json attribute only for its type (on a generated
 * network of a million nodes it is 400 MB, and HDF5's copies of it were
 * the largest memory of the whole run). */
static void check_root(h5r *r, contents *c, int brief)
{
    static const char *const strs[] = {
        "ripple_version", "created_utc",   "command",
        "scenario_name",  "scenario_json", RP_H5A_NETWORK_SHA256};
    int64_t fv[2] = {0, 0};
    if (rp_h5r_attr_nums(r, r->file, "/", "format_version", RP_H5R_INT, 2,
                         H5T_NATIVE_INT64, fv, 1) == 0 &&
        fv[0] != RP_FORMAT_MAJOR && fv[0] != 1)
        rp_h5r_problem(r, "/ attribute format_version",
                       "expected format %d.x, found %lld.%lld",
                       RP_FORMAT_MAJOR, (long long)fv[0], (long long)fv[1]);
    c->kind = rp_h5r_attr_str(r, r->file, "/", "run_kind", 1);
    if (c->kind != NULL && strcmp(c->kind, "run") != 0 &&
        strcmp(c->kind, "stress") != 0)
        rp_h5r_problem(r, "/ attribute run_kind",
                       "expected \"run\" or \"stress\", found \"%.40s\"",
                       c->kind);
    char **keep[] = {&c->ver, &c->when, &c->cmd, &c->name, NULL, NULL};
    for (size_t k = 0; k < sizeof strs / sizeof *strs; k++) {
        if (brief && strcmp(strs[k], "scenario_json") == 0) {
            hid_t a = rp_h5r_open_attr(r, r->file, "/", strs[k], 1);
            if (a >= 0) {
                rp_h5r_attr_shape_ok(r, a, "/", strs[k], RP_H5R_STR, 0);
                H5Aclose(a);
            }
            continue;
        }
        char *s = rp_h5r_attr_str(r, r->file, "/", strs[k], 1);
        if (keep[k] != NULL)
            *keep[k] = s;
        else
            H5free_memory(s);
    }
    c->cur = rp_h5r_attr_str(r, r->file, "/", "currency", 0);
    if (c->cur != NULL && c->cur[0] == '\0') {
        H5free_memory(c->cur);
        c->cur = NULL;
    }
    int64_t mv = 0;
    rp_h5r_attr_nums(r, r->file, "/", "model_version", RP_H5R_INT, 0,
                     H5T_NATIVE_INT64, &mv, 0); /* absent before version 2 */
    rp_h5r_attr_nums(r, r->file, "/", "seed", RP_H5R_INT, 0, H5T_NATIVE_INT64,
                     &c->seed, 1);
    rp_h5r_attr_nums(r, r->file, "/", "replications", RP_H5R_INT, 0,
                     H5T_NATIVE_INT64, &c->reps, 1);
    rp_h5r_attr_nums(r, r->file, "/", "horizon_days", RP_H5R_INT, 0,
                     H5T_NATIVE_INT64, &c->horizon, 1);
    rp_h5r_attr_nums(r, r->file, "/", "threads", RP_H5R_INT, 0,
                     H5T_NATIVE_INT64, &c->threads, 1);
    rp_h5r_attr_nums(r, r->file, "/", "ranks", RP_H5R_INT, 0, H5T_NATIVE_INT64,
                     &c->ranks, 1);
}

#define BIG ((hsize_t)1 << 40)

static void check_decision(h5r *r, dims *dm, contents *c);

/* The run file's groups and dimension scales, which give the sizes; the
 * root's replications and horizon_days agree with them.  -1: the sizes
 * are unknown, so the rest cannot be checked. */
static int check_scales(h5r *r, dims *dm, contents *c)
{
    static const char *const groups[] = {
        RP_H5G_NETWORK, RP_H5G_STRATEGIES, RP_H5G_REPLICATION, RP_H5G_SUMMARY,
        RP_H5G_NODE,    RP_H5G_TIMESERIES, RP_H5G_COMPARISON};
    for (size_t k = 0; k < sizeof groups / sizeof *groups; k++) {
        hid_t g = rp_h5r_open_obj(r, groups[k], H5I_GROUP);
        if (g >= 0)
            H5Oclose(g);
    }
    if (r->bad)
        return -1;
    hid_t ds = check_ds(r, dm, RP_H5_STRATEGY, K_STR, "S", 1, BIG);
    if (ds >= 0) {
        c->strat = rp_h5r_read_strs(r, RP_H5_STRATEGY, ds, dm->size[D_S]);
        if (c->strat != NULL)
            c->S = (size_t)dm->size[D_S];
        H5Dclose(ds);
    }
    check_only(r, dm, RP_H5_EDGE, K_INT, "E", 0, BIG);
    check_only(r, dm, RP_H5_DAY, K_INT, "T", 1, MAX_HORIZON);
    check_only(r, dm, RP_H5_QUANTILE, K_FLOAT, "Q", 0, 0);
    ds = check_ds(r, dm, RP_H5_STAT, K_STR, "A", 0, 0);
    if (ds >= 0) {
        char **st = rp_h5r_read_strs(r, RP_H5_STAT, ds, RP_NSTAT);
        for (int k = 0; st != NULL && k < RP_NSTAT; k++) {
            if (strcmp(st[k], rp_stat_names[k]) != 0) {
                rp_h5r_problem(r, RP_H5_STAT,
                               "expected \"%s\" at %d, found \"%.40s\"",
                               rp_stat_names[k], k, st[k]);
                break;
            }
        }
        rp_h5r_free_strs(st, RP_NSTAT);
        H5Dclose(ds);
    }
    ds = check_ds(r, dm, RP_H5G_NETWORK "/" RP_H5S_NODE, K_STR, "N", 1, BIG);
    if (ds >= 0) {
        c->nodes = rp_h5r_read_strs(r, RP_H5G_NETWORK "/" RP_H5S_NODE, ds,
                                    dm->size[D_N]);
        if (c->nodes != NULL)
            c->N = (size_t)dm->size[D_N];
        H5Dclose(ds);
    }
    check_only(r, dm, RP_H5G_REPLICATION "/" RP_H5S_REPLICATION, K_INT, "R", 1,
               BIG);
    if (r->bad)
        return -1;
    if (c->reps != (int64_t)dm->size[D_R])
        rp_h5r_problem(
            r, "/ attribute replications",
            "expected %llu (the length of /replication/replication), "
            "found %lld",
            (unsigned long long)dm->size[D_R], (long long)c->reps);
    if (c->horizon != (int64_t)dm->size[D_T])
        rp_h5r_problem(r, "/ attribute horizon_days",
                       "expected %llu (the length of /day), found %lld",
                       (unsigned long long)dm->size[D_T],
                       (long long)c->horizon);
    return 0;
}

/* The run file's datasets that inspect does not print, checked all the
 * same. */
static void check_unprinted(h5r *r, dims *dm)
{
    static const struct {
        const char *p;
        int kind;
        const char *shape;
    } rest[] = {
        {RP_H5G_NETWORK "/" RP_H5S_EDGE, K_INT, "E"},
        {RP_H5_NET_NODE_KIND, K_STR, "N"},
        {RP_H5_NET_NODE_REGION, K_STR, "N"},
        {RP_H5_NET_DEMAND, K_FLOAT, "N"},
        {RP_H5_NET_CAPACITY, K_FLOAT, "N"},
        {RP_H5_NET_BASELINE_OUTPUT, K_FLOAT, "N"},
        {RP_H5_NET_INVENTORY_DAYS, K_FLOAT, "N"},
        {RP_H5_NET_UNIT_VALUE, K_FLOAT, "N"},
        {RP_H5_NET_PROTECTION, K_FLOAT, "N"},
        {RP_H5_NET_EDGE_FROM, K_INT, "E"},
        {RP_H5_NET_EDGE_TO, K_INT, "E"},
        {RP_H5_NET_LEAD_TIME, K_INT, "E"},
        {RP_H5_NET_EDGE_INPUT, K_STR, "E"},
        {RP_H5_NET_EDGE_SHARE, K_FLOAT, "E"},
        {RP_H5_NET_EDGE_RATIO, K_FLOAT, "E"},
        {RP_H5_NET_BASELINE_FLOW, K_FLOAT, "E"},
        {RP_H5G_STRATEGIES "/" RP_H5S_STRATEGY, K_STR, "S"},
        {RP_H5G_REPLICATION "/" RP_H5S_STRATEGY, K_STR, "S"},
        {RP_H5G_SUMMARY "/" RP_H5S_STRATEGY, K_STR, "S"},
        {RP_H5G_SUMMARY "/" RP_H5S_STAT, K_STR, "A"},
        {RP_H5G_NODE "/" RP_H5S_STRATEGY, K_STR, "S"},
        {RP_H5G_NODE "/" RP_H5S_NODE, K_STR, "N"},
        {RP_H5_NODE_DIS_MEAN, K_FLOAT, "SN"},
        {RP_H5_NODE_IMP_MEAN, K_FLOAT, "SN"},
        {RP_H5_NODE_LOST_MEAN, K_FLOAT, "SN"},
        {RP_H5G_TIMESERIES "/" RP_H5S_STRATEGY, K_STR, "S"},
        {RP_H5G_TIMESERIES "/" RP_H5S_DAY, K_INT, "T"},
        {RP_H5G_TIMESERIES "/" RP_H5S_QUANTILE, K_FLOAT, "Q"},
        {RP_H5_TS_MEAN, K_FLOAT, "ST"},
        {RP_H5_TS_QUANTILES, K_FLOAT, "STQ"},
        {RP_H5G_COMPARISON "/" RP_H5S_STRATEGY, K_STR, "S"},
    };
    for (size_t k = 0; k < sizeof rest / sizeof *rest; k++)
        check_only(r, dm, rest[k].p, rest[k].kind, rest[k].shape, 0, 0);
    for (int k = 0; k < RP_NMETRIC; k++) {
        char p[96];
        snprintf(p, sizeof p, "/replication/%s", rp_metric_names[k]);
        check_only(r, dm, p, k >= 4 ? K_INT : K_FLOAT, "SR", 0, 0);
        if (k == 1 || k == 2 || k == 4)
            continue; /* read by read_printed */
        snprintf(p, sizeof p, "/summary/%s", rp_metric_names[k]);
        check_only(r, dm, p, K_FLOAT, "SA", 0, 0);
    }
    hid_t g = rp_h5r_open_obj(r, RP_H5G_STRATEGIES, H5I_GROUP);
    if (g >= 0) {
        hid_t a = rp_h5r_open_attr(r, g, RP_H5G_STRATEGIES, "actions_json", 1);
        if (a >= 0) {
            rp_h5r_attr_shape_ok(r, a, RP_H5G_STRATEGIES, "actions_json",
                                 K_STR, dm->size[D_S]);
            H5Aclose(a);
        }
        H5Oclose(g);
    }
}

/* The run file's datasets that inspect prints, checked and read. */
static void read_printed(h5r *r, dims *dm, contents *c)
{
    static const struct {
        const char *p;
        const char *shape;
        size_t off;
    } num[] = {
        {RP_H5_SUM(lost_value), "SA", offsetof(contents, lv)},
        {RP_H5_SUM(fill_rate), "SA", offsetof(contents, fr)},
        {RP_H5_SUM(days_below_target), "SA", offsetof(contents, dbt)},
        {RP_H5_CMP_DELTA_MEAN, "S", offsetof(contents, dm)},
        {RP_H5_CMP_DELTA_LOW, "S", offsetof(contents, dlo)},
        {RP_H5_CMP_DELTA_HIGH, "S", offsetof(contents, dhi)},
        {RP_H5_CMP_PROB_BETTER, "S", offsetof(contents, pb)},
        {RP_H5_CMP_ROI, "S", offsetof(contents, roi)},
        {RP_H5_CMP_VAR_REDUCTION, "S", offsetof(contents, vr)},
        {RP_H5_STRATEGIES_COST, "S", offsetof(contents, cost)},
        {RP_H5_NODE_CRITICALITY, "SN", offsetof(contents, crit)},
        {RP_H5_NODE_P_DIS, "SN", offsetof(contents, pdis)},
        {RP_H5_NODE_P_IMP, "SN", offsetof(contents, pimp)},
    };
    for (size_t k = 0; k < sizeof num / sizeof *num; k++) {
        hid_t d = check_ds(r, dm, num[k].p, K_FLOAT, num[k].shape, 0, 0);
        if (d < 0)
            continue;
        hsize_t n = 1;
        for (const char *q = num[k].shape; *q; q++)
            n *= dm->size[strchr(dim_letters, *q) - dim_letters];
        *(double **)((char *)c + num[k].off) =
            rp_h5r_read_f64(r, num[k].p, d, n);
        H5Dclose(d);
    }
}

static void check_run(h5r *r, contents *c)
{
    dims dm;
    memset(&dm, 0, sizeof dm);
    dm.known[D_Q] = 1;
    dm.size[D_Q] = RP_NQUANT;
    dm.from[D_Q] = NULL; /* fixed by the format */
    dm.known[D_A] = 1;
    dm.size[D_A] = RP_NSTAT;
    dm.from[D_A] = NULL;
    if (check_scales(r, &dm, c) != 0)
        return;
    check_unprinted(r, &dm);
    read_printed(r, &dm, c);
    if (!r->bad)
        check_decision(r, &dm, c);
}

/* `cnt` values of the 1-D dataset (or of row `row` of the 2-D dataset, when
 * rank2) from `off`, as doubles. */
static int read_part(h5r *r, const char *p, hid_t d, int rank2, hsize_t row,
                     hsize_t off, hsize_t cnt, double *buf)
{
    if (cnt == 0)
        return 0;
    hid_t fs = H5Dget_space(d);
    hid_t ms = H5Screate_simple(1, &cnt, NULL);
    hsize_t start[2] = {rank2 ? row : off, off},
            count[2] = {rank2 ? 1 : cnt, cnt};
    int ok = fs >= 0 && ms >= 0 &&
             H5Sselect_hyperslab(fs, H5S_SELECT_SET, rank2 ? start : &off,
                                 NULL, rank2 ? count : &cnt, NULL) >= 0 &&
             H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, buf) >= 0;
    if (fs >= 0)
        H5Sclose(fs);
    if (ms >= 0)
        H5Sclose(ms);
    if (!ok)
        rp_h5r_problem(r, p, "expected readable values, found damaged data");
    return ok ? 0 : -1;
}

/* Are v[0..n) whole numbers in [lo, hi)?  Reports the first that is not. */
static int in_range(h5r *r, const char *p, const double *v, size_t n,
                    size_t first, double lo, double hi, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        if (!(v[i] >= lo && v[i] < hi) || v[i] != floor(v[i])) {
            if (strchr(what, '(') != NULL) /* says what it expects */
                rp_h5r_problem(r, p, "expected %s, found %g at %zu", what,
                               v[i], first + i);
            else
                rp_h5r_problem(
                    r, p, "expected %s from %.0f to %.0f, found %g at %zu",
                    what, lo, hi - 1, v[i], first + i);
            return 0;
        }
    }
    return 1;
}

/* /comparison's net benefit: the four datasets together, and the group's
 * decision attributes. */
static void check_net_benefit(h5r *r, dims *dm, contents *c)
{
    static const char *const nbn[4] = {"net_benefit_mean",
                                       "net_benefit_ci95_low",
                                       "net_benefit_ci95_high", "prob_best"};
    double **nbv[4] = {&c->nb, &c->nblo, &c->nbhi, &c->pbest};
    int any = 0;
    for (int k = 0; k < 4; k++) {
        char p[96];
        snprintf(p, sizeof p, "/comparison/%s", nbn[k]);
        any |= H5Lexists(r->file, p, H5P_DEFAULT) > 0;
    }
    if (!any)
        return;
    c->has_nb = 1;
    for (int k = 0; k < 4; k++) {
        char p[96];
        snprintf(p, sizeof p, "/comparison/%s", nbn[k]);
        hid_t d = check_ds(r, dm, p, K_FLOAT, "S", 0, 0);
        if (d >= 0) {
            *nbv[k] = rp_h5r_read_f64(r, p, d, dm->size[D_S]);
            H5Dclose(d);
        }
    }
    hid_t g = rp_h5r_open_obj(r, RP_H5G_COMPARISON, H5I_GROUP);
    if (g < 0)
        return;
    H5free_memory(rp_h5r_attr_str(r, g, RP_H5G_COMPARISON, "recommended", 0));
    H5free_memory(
        rp_h5r_attr_str(r, g, RP_H5G_COMPARISON, "recommendation", 0));
    hid_t a =
        rp_h5r_open_attr(r, g, RP_H5G_COMPARISON, "bootstrap_resamples", 0);
    if (a >= 0) {
        if (rp_h5r_attr_shape_ok(r, a, RP_H5G_COMPARISON,
                                 "bootstrap_resamples", K_INT, 0) &&
            H5Aread(a, H5T_NATIVE_INT64, &c->resamples) < 0)
            rp_h5r_problem(r, "/comparison attribute bootstrap_resamples",
                           "expected an integer, found damaged data");
        H5Aclose(a);
    }
    H5Oclose(g);
}

/* /risk_register: its scales, every dataset [strategy, threat] read, the
 * classes 1..5 with their bands, the interaction [strategy]. */
static void check_register(h5r *r, dims *dm, contents *c)
{
    hsize_t S = dm->size[D_S], NT = dm->size[D_H];
    hid_t g = rp_h5r_open_obj(r, RP_H5G_REGISTER, H5I_GROUP);
    if (g < 0)
        return;
    c->has_reg = 1;
    H5free_memory(rp_h5r_attr_str(r, g, RP_H5G_REGISTER, "mode", 0));
    H5Oclose(g);
    check_only(r, dm, RP_H5G_REGISTER "/" RP_H5S_STRATEGY, K_STR, "S", 0, 0);
    check_only(r, dm, RP_H5G_REGISTER "/" RP_H5S_THREAT, K_STR, "H", 0, 0);
    for (int k = 0; k < RG_N; k++) {
        char p[96];
        snprintf(p, sizeof p, "/risk_register/%s", RG_KEY(k));
        int cls = k == RG_LCLS || k == RG_CCLS;
        hid_t d = check_ds(r, dm, p, cls ? K_INT : K_FLOAT, "SH", 0, 0);
        if (d < 0)
            continue;
        c->rg[k] = rp_h5r_read_f64(r, p, d, S * NT);
        if (cls && c->rg[k] != NULL)
            in_range(r, p, c->rg[k], (size_t)(S * NT), 0, 1, 6, "classes");
        if (k == RG_SHAP)
            c->method = rp_h5r_attr_str(r, d, p, "method", 0);
        if (cls)
            rp_h5r_attr_nums(r, d, p,
                             k == RG_LCLS
                                 ? "bands_events_per_year"
                                 : "bands_share_of_annual_demand_value",
                             RP_H5R_FLOAT, 4, H5T_NATIVE_DOUBLE,
                             k == RG_LCLS ? c->lband : c->cband, 1);
        H5Dclose(d);
    }
    hid_t d = check_ds(r, dm, RP_H5_REG_INTERACTION, K_FLOAT, "S", 0, 0);
    if (d >= 0) {
        c->inter = rp_h5r_read_f64(r, RP_H5_REG_INTERACTION, d, S);
        H5Dclose(d);
    }
}

/* What the events point to: the edges' ends (node indices, kept in c),
 * and the baseline's lost value per replication (returned, to free). */
static double *read_event_refs(h5r *r, dims *dm, contents *c)
{
    hsize_t N = dm->size[D_N], E = dm->size[D_E], R = dm->size[D_R];
    hid_t d = check_ds(r, dm, RP_H5_NET_EDGE_FROM, K_INT, "E", 0, 0);
    if (d >= 0) {
        c->efrom = rp_h5r_read_f64(r, RP_H5_NET_EDGE_FROM, d, E);
        H5Dclose(d);
    }
    d = check_ds(r, dm, RP_H5_NET_EDGE_TO, K_INT, "E", 0, 0);
    if (d >= 0) {
        c->eto = rp_h5r_read_f64(r, RP_H5_NET_EDGE_TO, d, E);
        H5Dclose(d);
    }
    if (c->efrom != NULL && c->eto != NULL)
        (void)(in_range(r, RP_H5_NET_EDGE_FROM, c->efrom, (size_t)E, 0, 0,
                        (double)N, "node indices") &&
               in_range(r, RP_H5_NET_EDGE_TO, c->eto, (size_t)E, 0, 0,
                        (double)N, "node indices"));
    d = check_ds(r, dm, RP_H5_REP(lost_value), K_FLOAT, "SR", 0, 0);
    double *lost = malloc((R ? R : 1) * sizeof *lost);
    if (d >= 0 && lost != NULL)
        read_part(r, RP_H5_REP(lost_value), d, 1, 0, 0, R, lost);
    else if (lost == NULL)
        rp_h5r_problem(r, RP_H5_REP(lost_value),
                       "expected %llu values, found too many to hold",
                       (unsigned long long)R);
    if (d >= 0)
        H5Dclose(d);
    return lost;
}

/* The baseline's worst replications: highest lost value, first on ties. */
static void find_worst(contents *c, const double *lost, hsize_t R)
{
    for (hsize_t q = 0; q < R; q++) {
        double v = isnan(lost[q]) ? -INFINITY : lost[q];
        size_t at = c->nworst;
        while (at > 0 && v > c->worst[at - 1].lost)
            at--;
        if (at >= NWORST)
            continue;
        size_t last = c->nworst < NWORST ? c->nworst : NWORST - 1;
        for (size_t k = last; k > at; k--)
            c->worst[k] = c->worst[k - 1];
        c->worst[at].rep = (int64_t)q;
        c->worst[at].lost = v;
        if (c->nworst < NWORST)
            c->nworst++;
    }
    for (size_t k = 0; k < c->nworst; k++)
        c->worst[k].lost = lost[c->worst[k].rep];
}

enum { BLOCK = 65536 }; /* events read at a time */

/* Event i of a block of columns (column k at col + k * BLOCK): its target
 * in range, and kept when it belongs to a worst replication.  -1: not. */
static int keep_event(h5r *r, dims *dm, contents *c, const double *col,
                      hsize_t i, hsize_t at)
{
    double kind = col[EV_KIND * BLOCK + i];
    double t = col[EV_TARGET * BLOCK + i];
    double most = kind == 0 ? (double)dm->size[D_N] : (double)dm->size[D_E];
    if (!(t >= 0 && t < most) || t != floor(t)) {
        rp_h5r_problem(r, RP_H5_EV_TARGET,
                       "expected %s indices from 0 to %.0f, found %g at %llu",
                       kind == 0 ? "node" : "edge", most - 1, t,
                       (unsigned long long)at);
        return -1;
    }
    if (col[EV_STRAT * BLOCK + i] != 0)
        return 0;
    for (size_t k = 0; k < c->nworst; k++) {
        worst_rep *w = &c->worst[k];
        if (col[EV_REP * BLOCK + i] != (double)w->rep)
            continue;
        if (w->n == w->cap) {
            size_t cap = w->cap ? 2 * w->cap : 16;
            ev_row *ne = realloc(w->ev, cap * sizeof *ne);
            if (ne == NULL) {
                rp_h5r_problem(r, RP_H5G_EVENTS,
                               "expected events, found too many to hold");
                break;
            }
            w->ev = ne;
            w->cap = cap;
        }
        for (int q = 0; q < EV_N; q++)
            w->ev[w->n].v[q] = col[(size_t)q * BLOCK + i];
        w->n++;
    }
    return 0;
}

/* Every event of the open datasets ed[EV_N], a block at a time: indices in
 * range; the worst replications' kept. */
static void scan_events(h5r *r, dims *dm, contents *c, const hid_t *ed)
{
    static const char *const what[EV_N] = {"strategy indices",
                                           "replication indices",
                                           "threat indices",
                                           "0 (node) or 1 (edge)",
                                           NULL,
                                           NULL,
                                           NULL,
                                           NULL,
                                           "0 (step) or 1 (linear)"};
    double hi[EV_N] = {(double)dm->size[D_S],
                       (double)dm->size[D_R],
                       (double)dm->size[D_H],
                       2,
                       0,
                       0,
                       0,
                       0,
                       2};
    double *col = malloc((size_t)EV_N * BLOCK * sizeof *col);
    hsize_t nev = dm->size[D_V];
    if (col == NULL)
        rp_h5r_problem(r, RP_H5G_EVENTS,
                       "expected events, found too many to hold");
    for (hsize_t off = 0; col != NULL && !r->bad && off < nev; off += BLOCK) {
        hsize_t n = nev - off < BLOCK ? nev - off : BLOCK;
        for (int k = 0; k < EV_N && !r->bad; k++) {
            char p[96];
            snprintf(p, sizeof p, "/events/%s", ev_names[k]);
            double *v = col + (size_t)k * BLOCK;
            if (read_part(r, p, ed[k], 0, 0, off, n, v) != 0)
                break;
            if (what[k] != NULL)
                in_range(r, p, v, (size_t)n, (size_t)off, 0, hi[k], what[k]);
        }
        for (hsize_t i = 0; i < n && !r->bad; i++)
            if (keep_event(r, dm, c, col, i, off + i) != 0)
                break;
    }
    free(col);
}

/* /events: checked, and the baseline's worst replications with theirs. */
static void check_events(h5r *r, dims *dm, contents *c)
{
    hid_t g = rp_h5r_open_obj(r, RP_H5G_EVENTS, H5I_GROUP);
    if (g < 0)
        return;
    H5Oclose(g);
    c->has_ev = 1;
    check_only(r, dm, RP_H5G_EVENTS "/" RP_H5S_EVENT, K_INT, "V", 0, BIG);
    hid_t ed[EV_N];
    for (int k = 0; k < EV_N; k++) {
        char p[96];
        snprintf(p, sizeof p, "/events/%s", ev_names[k]);
        ed[k] = r->bad ? -1
                       : check_ds(r, dm, p, k == EV_SEV ? K_FLOAT : K_INT, "V",
                                  0, 0);
    }
    double *lost = r->bad ? NULL : read_event_refs(r, dm, c);
    if (!r->bad)
        find_worst(c, lost, dm->size[D_R]);
    free(lost);
    if (!r->bad)
        scan_events(r, dm, c, ed);
    for (int k = 0; k < EV_N; k++)
        if (ed[k] >= 0)
            H5Dclose(ed[k]);
    c->E = (size_t)dm->size[D_E];
}

/* /threat, /risk_register, /events and /comparison's net benefit: written
 * since the decision layer, each optional (older files, --register none,
 * --events none), each checked like the rest when present. */
static void check_decision(h5r *r, dims *dm, contents *c)
{
    check_net_benefit(r, dm, c);
    int has_reg = H5Lexists(r->file, RP_H5G_REGISTER, H5P_DEFAULT) > 0;
    int has_ev = H5Lexists(r->file, RP_H5G_EVENTS, H5P_DEFAULT) > 0;
    /* threat names: needed by the register and the event log (a run
     * without threats has an empty log and no /threat) */
    if (has_reg || H5Lexists(r->file, RP_H5_THREAT, H5P_DEFAULT) > 0) {
        hid_t d = check_ds(r, dm, RP_H5_THREAT, K_STR, "H", 1, BIG);
        if (d >= 0) {
            c->threats = rp_h5r_read_strs(r, RP_H5_THREAT, d, dm->size[D_H]);
            if (c->threats != NULL)
                c->NT = (size_t)dm->size[D_H];
            H5Dclose(d);
        }
    }
    if (r->bad)
        return;
    if (has_reg)
        check_register(r, dm, c);
    if (has_ev && !r->bad)
        check_events(r, dm, c);
}

static size_t check_stress(h5r *r, contents *c)
{
    dims dm;
    memset(&dm, 0, sizeof dm);
    size_t n = 0;
    hid_t g = rp_h5r_open_obj(r, RP_H5G_STRESS, H5I_GROUP);
    if (g < 0)
        return 0;
    H5Oclose(g);
    hid_t d =
        check_ds(r, &dm, RP_H5G_STRESS "/" RP_H5S_NODE, K_STR, "N", 1, BIG);
    if (d < 0)
        return 0;
    c->ids =
        rp_h5r_read_strs(r, RP_H5G_STRESS "/" RP_H5S_NODE, d, dm.size[D_N]);
    H5Dclose(d);
    if (c->ids == NULL)
        return 0;
    n = (size_t)dm.size[D_N];
    static const struct {
        const char *p;
        int kind;
        size_t off;
    } num[] = {
        {RP_H5_STRESS_TTR, K_INT, offsetof(contents, ttr)},
        {RP_H5_STRESS_TTS, K_INT, offsetof(contents, tts)},
        {RP_H5_STRESS_PI, K_FLOAT, offsetof(contents, pi)},
        {RP_H5_STRESS_REI, K_FLOAT, offsetof(contents, rei)},
        {RP_H5_STRESS_EXPOSED, K_INT, offsetof(contents, exp)},
    };
    for (size_t k = 0; k < sizeof num / sizeof *num; k++) {
        d = check_ds(r, &dm, num[k].p, num[k].kind, "N", 0, 0);
        if (d < 0)
            continue;
        *(double **)((char *)c + num[k].off) =
            rp_h5r_read_f64(r, num[k].p, d, n);
        H5Dclose(d);
    }
    check_only(r, &dm, RP_H5_STRESS_TESTED, K_INT, "N", 0, 0);
    return n;
}

/* ---- printing (only once everything is checked) ---- */

/* s with control characters shown as '?', cut to n - 1 bytes. */
static const char *clean(const char *s, char *b, size_t n)
{
    size_t k = 0;
    for (; s[k] != '\0' && k + 1 < n; k++) {
        unsigned char ch = (unsigned char)s[k];
        b[k] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    b[k] = '\0';
    return b;
}

/* An amount as every text shows one ("1,500,000", "12.35"; "-" for NaN:
 * rp_describe_num). */
static void fmt(char *b, size_t n, double v)
{
    rp_describe_num(b, n, v);
}

typedef struct {
    size_t idx;
    double key;
} ranked;

static int cmp_desc(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    /* NaN keys last */
    int xn = isnan(x->key), yn = isnan(y->key);
    if (xn != yn)
        return xn - yn;
    if (!xn && x->key != y->key)
        return x->key < y->key ? 1 : -1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* ---- the decision layer, worked out for every format ---- */

typedef struct {
    size_t *order; /* strategies by net benefit a year, best first */
    int rec;       /* the recommended strategy, 0: none pays for itself */
    size_t nreg;   /* registers shown: the baseline's, the recommended's */
    size_t reg[2];
    size_t *torder[2]; /* threats by marginal loss, largest first */
    double years;      /* years in the horizon */
    ranked *crit;      /* disrupted nodes by P x crit, largest first */
    size_t ncrit;
} decision;

static void decision_free(decision *d)
{
    free(d->crit);
    free(d->order);
    free(d->torder[0]);
    free(d->torder[1]);
}

/* Net benefit a year; from the paired loss differences for files written
 * before /comparison held it (prob_best then unknown). */
static int decide(contents *c, decision *d)
{
    memset(d, 0, sizeof *d);
    size_t S = c->S;
    d->years = (double)c->horizon / 365.0;
    if (!c->has_nb) {
        c->nb = malloc(S * sizeof *c->nb);
        c->nblo = malloc(S * sizeof *c->nblo);
        c->nbhi = malloc(S * sizeof *c->nbhi);
        c->pbest = malloc(S * sizeof *c->pbest);
        if (!c->nb || !c->nblo || !c->nbhi || !c->pbest)
            return -1;
        for (size_t s = 0; s < S; s++) {
            c->nb[s] = s == 0 ? 0 : -c->dm[s] / d->years - c->cost[s];
            c->nblo[s] = s == 0 ? 0 : -c->dhi[s] / d->years - c->cost[s];
            c->nbhi[s] = s == 0 ? 0 : -c->dlo[s] / d->years - c->cost[s];
            c->pbest[s] = NAN;
        }
    }
    ranked *rk = malloc((S ? S : 1) * sizeof *rk);
    d->order = malloc((S ? S : 1) * sizeof *d->order);
    if (rk == NULL || d->order == NULL) {
        free(rk);
        return -1;
    }
    for (size_t s = 0; s < S; s++) {
        rk[s].idx = s;
        rk[s].key = s == 0 ? 0 : c->nb[s];
    }
    qsort(rk, S, sizeof *rk, cmp_desc);
    for (size_t s = 0; s < S; s++)
        d->order[s] = rk[s].idx;
    free(rk);
    /* the highest mean net benefit, if it is positive */
    d->rec = 0;
    for (size_t s = 1; s < S; s++)
        if (c->nb[s] > 0 && (d->rec == 0 || c->nb[s] > c->nb[d->rec]))
            d->rec = (int)s;
    if (c->has_reg) {
        d->reg[d->nreg++] = 0;
        if (d->rec > 0)
            d->reg[d->nreg++] = (size_t)d->rec;
        size_t NT = c->NT;
        for (size_t q = 0; q < d->nreg; q++) {
            ranked *tk = malloc((NT ? NT : 1) * sizeof *tk);
            d->torder[q] = malloc((NT ? NT : 1) * sizeof *d->torder[q]);
            if (tk == NULL || d->torder[q] == NULL) {
                free(tk);
                return -1;
            }
            for (size_t k = 0; k < NT; k++) {
                tk[k].idx = k;
                tk[k].key = c->rg[RG_MARG][d->reg[q] * NT + k];
            }
            qsort(tk, NT, sizeof *tk, cmp_desc);
            for (size_t k = 0; k < NT; k++)
                d->torder[q][k] = tk[k].idx;
            free(tk);
        }
    }
    /* the most critical nodes (baseline): disrupted ones by P x crit */
    size_t N = c->N;
    d->crit = malloc((N ? N : 1) * sizeof *d->crit);
    if (d->crit == NULL)
        return -1;
    for (size_t i = 0; i < N; i++) {
        if (isnan(c->crit[i]))
            continue;
        d->crit[d->ncrit].idx = i;
        d->crit[d->ncrit].key = c->crit[i] * c->pdis[i];
        d->ncrit++;
    }
    qsort(d->crit, d->ncrit, sizeof *d->crit, cmp_desc);
    return 0;
}

/* The target of an event: a node's id or an edge's "from -> to". */
static void target_words(const contents *c, const ev_row *e, char *b, size_t n)
{
    size_t t = (size_t)e->v[EV_TARGET];
    char x[64], y[64];
    if (e->v[EV_KIND] == 0)
        clean(c->nodes[t], b, n);
    else
        snprintf(b, n, "%s -> %s",
                 clean(c->nodes[(size_t)c->efrom[t]], x, sizeof x),
                 clean(c->nodes[(size_t)c->eto[t]], y, sizeof y));
}

/* The events of a worst replication in onset order (ties: file order). */
static int cmp_onset(const void *a, const void *b)
{
    const ev_row *x = a, *y = b;
    if (x->v[EV_ONSET] != y->v[EV_ONSET])
        return x->v[EV_ONSET] < y->v[EV_ONSET] ? -1 : 1;
    return 0;
}

/* Band labels: "<a", "a-b", ..., ">=d", scaled by `mul`, with `unit`. */
static void band_label(const double *bands, int cls, double mul,
                       const char *unit, char *b, size_t n)
{
    char x[32], y[32];
    if (cls == 1)
        snprintf(b, n, "<%s%s", rp_describe_num(x, sizeof x, bands[0] * mul),
                 unit);
    else if (cls == 5)
        snprintf(b, n, ">=%s%s", rp_describe_num(x, sizeof x, bands[3] * mul),
                 unit);
    else
        snprintf(b, n, "%s-%s%s",
                 rp_describe_num(x, sizeof x, bands[cls - 2] * mul),
                 rp_describe_num(y, sizeof y, bands[cls - 1] * mul), unit);
}

/* ---- the tables, for people ---- */

/* Value v of column k as the text shows it (v[1]: the next column's, for
 * T_CI); base: the row is the baseline's. */
static void tx_cell(FILE *f, const column *k, const value *v, int base)
{
    char b[512], lo[32], hi[32];
    double x = k->how == T_STR ? 0 : base && k->nobase ? NAN : v->v;
    if (x == 0)
        x = 0; /* not -0 */
    if (k->how == T_STR) {
        /* a name longer than its column is cut with "..." (it was cut
         * silently: "Taiwan earthquake or typ"), between UTF-8 characters;
         * JSON and CSV have it whole */
        size_t w = (size_t)abs(k->width);
        clean(v->s, b, sizeof b);
        if (w > 3 && strlen(b) > w) {
            size_t cut = w - 3;
            while (cut > 0 && ((unsigned char)b[cut] & 0xC0) == 0x80)
                cut--;
            memcpy(b + cut, "...", 4);
        }
    } else if (k->how == T_G)
        fmt(b, sizeof b, x);
    else if (k->how == T_F && isnan(x))
        snprintf(b, sizeof b, "-");
    else if (k->how == T_F && k->prec == 0 && fabs(x) < 1e15)
        rp_count_str(b, sizeof b, llround(x)); /* a count: 1,200 days */
    else if (k->how == T_F)
        snprintf(b, sizeof b, "%.*f", k->prec, x);
    else if (k->how == T_CI) {
        fmt(lo, sizeof lo, x);
        fmt(hi, sizeof hi, v[1].v);
        snprintf(b, sizeof b, "[%s, %s]", lo, hi);
    } else
        snprintf(b, sizeof b, "%s", x > 0 ? "yes" : "no");
    fprintf(f, "%*s", k->width, b);
}

/* One text line of table tb after `indent`: its headings (v NULL) or a
 * row's cells; the columns whose bit is set in `hide` left out.  base: the
 * row is the baseline's. */
static void tx_line(FILE *f, const char *indent, const table *tb,
                    const value *v, unsigned hide, int base)
{
    int first = 1;
    fputs(indent, f);
    for (int late = 0; late < 2; late++) {
        for (int k = 0; k < tb->n; k++) {
            const column *x = &tb->cols[k];
            if (x->head == NULL || x->late != late || (hide >> k & 1u))
                continue;
            if (!first)
                fprintf(f, "%*s", 1 + x->gap, "");
            first = 0;
            if (v == NULL)
                fprintf(f, "%*s", x->width, x->head);
            else
                tx_cell(f, x, &v[k], base);
        }
    }
    fputc('\n', f);
}

/* ---- the tables and their rows ---- */

static const column lost_cols[] = {
    {COL("strategy", "strategy", -20, T_STR, 0)},
    {COL("mean", "mean", 12, T_G, 0)},
    {COL("ci95_low", "95% CI of mean", 25, T_CI, 0)},
    {.key = "ci95_high"},
    {COL("p95", "p95", 12, T_G, 0)},
    {COL("cvar95", "CVaR95", 12, T_G, 0)},
    {COL("fill_rate", "fill rate", 10, T_F, 5)},
    {COL("days_below_target", "days<tgt", 8, T_F, 2)}};
static const table lost_table = TABLE("lost_value", lost_cols);

/* Strategy s's lost value (and fill rate, days below target). */
static void lost_cells(const contents *c, size_t s, value *v)
{
    const double *st = c->lv + s * RP_NSTAT;
    v[0].s = c->strat[s];
    v[1].v = st[RP_ST_MEAN];
    v[2].v = st[RP_ST_CI_LO];
    v[3].v = st[RP_ST_CI_HI];
    v[4].v = st[RP_ST_P95];
    v[5].v = st[RP_ST_CVAR95];
    v[6].v = c->fr[s * RP_NSTAT + RP_ST_MEAN];
    v[7].v = c->dbt[s * RP_NSTAT + RP_ST_MEAN];
}

static const column strat_cols[] = {
    {.key = "rank"},
    {COL("strategy", "strategy", -20, T_STR, 0)},
    {COL("net_benefit_mean", "net benefit/yr", 14, T_G, 0)},
    {COL("net_benefit_ci95_low", "95% CI", 27, T_CI, 0)},
    {.key = "net_benefit_ci95_high"},
    {COL("prob_best", "P(best)", 7, T_F, 3)},
    {COL("cost_per_year", "cost/yr", 10, T_G, 0)},
    {COL("saved_per_year", "saved/yr", 12, T_G, 0)},
    {.key = "lost_value_delta_mean"},
    {COL("prob_better", "P(better)", 9, T_F, 3), .nobase = 1},
    {COL("roi", "ROI", 8, T_G, 0), .nobase = 1},
    {COL("variance_reduction", "var.red.", 9, T_G, 0), .nobase = 1},
    {.key = "recommended"}};
static const table strat_table = TABLE("strategies", strat_cols);

/* The strategy ranked q-th by net benefit a year. */
static void strat_cells(const contents *c, const decision *d, size_t q,
                        value *v)
{
    size_t s = d->order[q];
    v[0].v = (double)(q + 1);
    v[1].s = c->strat[s];
    v[2].v = c->nb[s];
    v[3].v = c->nblo[s];
    v[4].v = c->nbhi[s];
    v[5].v = c->pbest[s];
    v[6].v = c->cost[s];
    v[7].v = s == 0 ? 0 : -c->dm[s] / d->years;
    v[8].v = c->dm[s];
    v[9].v = c->pb[s];
    v[10].v = c->roi[s];
    v[11].v = c->vr[s];
    v[12].v = (size_t)d->rec == s ? 1 : 0;
}

static const column crit_cols[] = {
    {COL("node", "node", -24, T_STR, 0)},
    {COL("p_disrupted", "P(disrupted)", 12, T_F, 4)},
    {COL("criticality", "criticality", 12, T_G, 0)},
    {COL("p_x_crit", "P x crit", 12, T_G, 0)},
    {COL("p_impacted", "P(impacted)", 12, T_F, 4)}};
static const table crit_table = TABLE("critical_nodes", crit_cols);

/* The node ranked q-th by P x crit (baseline). */
static void crit_cells(const contents *c, const decision *d, size_t q,
                       value *v)
{
    size_t i = d->crit[q].idx;
    v[0].s = c->nodes[i];
    v[1].v = c->pdis[i];
    v[2].v = c->crit[i];
    v[3].v = d->crit[q].key;
    v[4].v = c->pimp[i];
}

/* The threat ranked i-th by marginal loss in register q (reg_table). */
static void reg_cells(const contents *c, const decision *d, size_t q, size_t i,
                      value *v)
{
    size_t s = d->reg[q], NT = c->NT, k = d->torder[q][i];
    v[0].s = c->strat[s];
    v[1].v = (double)(i + 1);
    v[2].s = c->threats[k];
    for (int g = 0; g < RG_N; g++)
        v[RG_COL + g].v = c->rg[g][s * NT + k];
}

static const column inter_cols[] = {{.key = "strategy", .how = T_STR},
                                    {.key = "interaction"},
                                    {.key = "lost_value_mean"},
                                    {.key = "marginal_sum"},
                                    {.key = "shapley_method", .how = T_STR}};
static const table inter_table = TABLE("interaction", inter_cols);

/* The matrix's cells; the last column, the threats in the cell, is a list
 * (JSON: an array; CSV: names joined by "; "). */
static const column matrix_cols[] = {{.key = "strategy", .how = T_STR},
                                     {.key = "consequence_class"},
                                     {.key = "likelihood_class"},
                                     {.key = "consequence_band", .how = T_STR},
                                     {.key = "likelihood_band", .how = T_STR},
                                     {.key = "threats", .how = T_STR}};
static const table matrix_table = TABLE("matrix", matrix_cols);

/* The worst replications (their text is a line each), and their events:
 * one JSON object each with an array "events"; in CSV a row an event. */
static const column worst_cols[] = {
    {.key = "rank"}, {.key = "replication"}, {.key = "lost_value"}};
static const table worst_table = TABLE("worst_replications", worst_cols);

static const column event_cols[] = {
    {COL("threat", "threat", -24, T_STR, 0), .late = 1, .gap = 1},
    {.key = "target_kind", .how = T_STR},
    {COL("target", "target", 0, T_STR, 0), .late = 1},
    {COL("onset", "onset", 5, T_F, 0)},
    {COL("duration", "days", 5, T_F, 0)},
    {COL("severity", "severity", 8, T_F, 2)},
    {.key = "profile", .how = T_STR}};
static const table event_table = TABLE("events", event_cols);

/* Event e; tg (n bytes) holds its target's words. */
static void event_cells(const contents *c, const ev_row *e, char *tg, size_t n,
                        value *v)
{
    target_words(c, e, tg, n);
    v[0].s = c->threats[(size_t)e->v[EV_THREAT]];
    v[1].s = e->v[EV_KIND] == 0 ? "node" : "edge";
    v[2].s = tg;
    v[3].v = e->v[EV_ONSET];
    v[4].v = e->v[EV_DUR];
    v[5].v = e->v[EV_SEV];
    v[6].s = e->v[EV_PROF] == 0 ? "step" : "linear";
}

static const column stress_cols[] = {
    {COL("node", "node", -24, T_STR, 0)},
    {.key = "tested"},
    {COL("ttr_days", "TTR", 8, T_F, 0)},
    {COL("tts_days", "TTS", 8, T_F, 0)},
    {COL("performance_impact", "impact", 12, T_G, 0)},
    {COL("rei", "REI", 6, T_F, 3)},
    {COL("exposed", "exposed", 0, T_YES, 0)}};
static const table stress_table = TABLE("stress", stress_cols);

/* Node i of a stress file. */
static void stress_cells(const contents *c, size_t i, value *v)
{
    v[0].s = c->ids[i];
    v[1].v = c->ttr[i] >= 0 ? 1 : 0;
    v[2].v = c->ttr[i];
    v[3].v = c->tts[i];
    v[4].v = c->pi[i];
    v[5].v = c->rei[i];
    v[6].v = c->exp[i];
}

/* ---- text ---- */

static int print_stress(FILE *f, const contents *c, size_t n, int brief)
{
    ranked *rk = malloc((n ? n : 1) * sizeof *rk);
    if (rk == NULL)
        return -1;
    size_t m = 0, nexp = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(c->ttr[i] >= 0))
            continue;
        nexp += c->exp[i] > 0;
        rk[m].idx = i;
        /* most exposed first: by REI, then by how short TTS is vs TTR */
        rk[m].key = c->rei[i] * 1e6 + (c->ttr[i] - c->tts[i]);
        m++;
    }
    qsort(rk, m, sizeof *rk, cmp_desc);
    fprintf(f,
            "\nstress test: %s node%s tested, %s exposed (TTS < TTR), "
            "each down from day 0 for its TTR\n"
            "  TTR      time to recover: days the node is down\n"
            "  TTS      time to survive: the longest outage (days) that loses "
            "no final demand\n"
            "  impact   value of final demand lost in %s days, in %s\n"
            "  REI      impact over the largest impact (1: the worst node)\n",
            RP_COUNT(m), m == 1 ? "" : "s", RP_COUNT(nexp),
            RP_COUNT(c->horizon), money(c));
    tx_line(f, "  ", &stress_table, NULL, 0, 0);
    size_t show = brief ? 10 : 20;
    for (size_t q = 0; q < m && q < show; q++) {
        value v[sizeof stress_cols / sizeof *stress_cols];
        stress_cells(c, rk[q].idx, v);
        tx_line(f, "  ", &stress_table, v, 0, 0);
    }
    if (m > show)
        fprintf(f, "  ... %s more in /stress\n", RP_COUNT(m - show));
    free(rk);
    return 0;
}

static void rec_words(const contents *c, const decision *d, char *b, size_t n);

static void print_strategies(FILE *f, const contents *c, const decision *d)
{
    size_t S = c->S;
    if (S < 2) {
        fprintf(f, "\nno strategies besides the baseline: nothing to "
                   "compare or recommend\n");
        return;
    }
    fprintf(f,
            "\nstrategies ranked by net benefit a year (lost value saved "
            "against the baseline a year,\nminus cost_per_year, in %s a "
            "year; paired: the same events for every strategy)\n",
            money(c));
    tx_line(f, "  ", &strat_table, NULL, 0, 0);
    for (size_t q = 0; q < S; q++) {
        value v[sizeof strat_cols / sizeof *strat_cols];
        strat_cells(c, d, q, v);
        tx_line(f, "  ", &strat_table, v, 0, d->order[q] == 0);
    }
    char res[40];
    if (c->resamples > 0)
        rp_count_str(res, sizeof res, c->resamples);
    else
        snprintf(res, sizeof res, "the");
    fprintf(f,
            "  P(best): share of %s bootstrap resamples of the replications "
            "in which it nets the most (baseline: none pays)%s\n",
            res, c->has_nb ? "" : "; not in this file");
    fprintf(f, "  P(better): share of replications in which it loses less; "
               "ROI: (saved/yr - cost/yr) / cost/yr;\n"
               "  var.red.: the variance of the two losses over that of "
               "their paired difference\n");
    char sent[512];
    rec_words(c, d, sent, sizeof sent);
    fprintf(f, "  -> %s\n", sent);
}

/* The register's legend of columns, under its table. */
static void print_register_legend(FILE *f, const contents *c, int shap)
{
    fprintf(f,
            "  events/yr   events a year (an attack's: its successful "
            "attempts)\n"
            "  P(any)      share of replications with at least one event of "
            "the threat\n"
            "  standalone  mean lost value with this threat alone\n"
            "  marginal    mean lost value minus that without this threat: "
            "what removing it saves\n"
            "  tail marg.  the marginal over the worst 5%% of replications "
            "(total lost value at or\n"
            "              above its 95%% quantile): what the threat adds to "
            "the bad years\n");
    if (shap)
        fprintf(f,
                "  Shapley     the threat's share of the mean lost value, "
                "joint losses split fairly\n"
                "              (the shares add up to the mean lost value; "
                "%s)\n",
                strcmp(c->method, "exact") == 0 ? "exact"
                                                : "estimated from random "
                                                  "orders of the threats");
    fprintf(f, "  L, C        likelihood and consequence classes 1..5 (the "
               "matrix below)\n");
}

/* Strategy s's interaction: the mean lost value minus the marginals. */
static void print_interaction(FILE *f, const contents *c, size_t s)
{
    double total = c->lv[s * RP_NSTAT + RP_ST_MEAN], inter = c->inter[s];
    char a[32], b[32], t[32];
    fmt(a, sizeof a, inter);
    fmt(b, sizeof b, total);
    fmt(t, sizeof t, total - inter);
    fprintf(f,
            "  interaction %s: the mean lost value (%s) minus the sum of the "
            "marginals (%s);\n              %s\n",
            a, b, t,
            inter < 0 ? "negative: threats that strike together lose more "
                        "than apart"
            : inter > 0
                ? "positive: threats that strike together lose less than "
                  "apart (their losses overlap)"
                : "zero: the threats' losses add up");
}

/* The likelihood x consequence matrix of register q: rows consequence
 * 5..1, columns likelihood 1..5, the register's # in the cells. */
static void print_matrix(FILE *f, const contents *c, const decision *d,
                         size_t q, const char *sn)
{
    size_t s = d->reg[q], NT = c->NT;
    const size_t *ord = d->torder[q];
    enum { CW = 12 };
    char cell[5][5][CW + 1];
    memset(cell, 0, sizeof cell);
    for (size_t i = 0; i < NT; i++) {
        size_t k = ord[i], at = s * NT + k;
        int L = (int)c->rg[RG_LCLS][at] - 1, C = (int)c->rg[RG_CCLS][at] - 1;
        char *x = cell[C][L];
        size_t len = strlen(x);
        char num[24];
        snprintf(num, sizeof num, "%s%zu", len ? "," : "", i + 1);
        if (len > 0 && x[len - 1] == '+')
            continue;
        if (len + strlen(num) <= CW - 1)
            strcat(x, num);
        else if (len < CW)
            strcat(x, "+");
    }
    fprintf(f,
            "\nlikelihood x consequence (%s): the register's # in the cells\n"
            "  L: events a year; C: standalone loss per event, share of a "
            "year's final demand value\n",
            sn);
    fprintf(f, "  %-12s", "");
    for (int L = 1; L <= 5; L++) {
        char h[32];
        snprintf(h, sizeof h, "L%d", L);
        fprintf(f, " %-*s", CW, h);
    }
    fprintf(f, "\n  %-12s", "");
    for (int L = 1; L <= 5; L++) {
        char h[48];
        band_label(c->lband, L, 1, "", h, sizeof h);
        fprintf(f, " %-*.*s", CW, CW, h);
    }
    fprintf(f, "\n");
    for (int C = 5; C >= 1; C--) {
        char h[48], row[24];
        band_label(c->cband, C, 100, "%", h, sizeof h);
        snprintf(row, sizeof row, "C%d %.9s", C, h);
        fprintf(f, "  %-12s", row);
        for (int L = 1; L <= 5; L++)
            fprintf(f, "|%-*s", CW,
                    cell[C - 1][L - 1][0] ? cell[C - 1][L - 1] : " .");
        fprintf(f, "|\n");
    }
}

/* Register q (the baseline's, the recommended strategy's): the threats by
 * marginal loss with a legend, the interaction, the matrix. */
static void print_register(FILE *f, const contents *c, const decision *d,
                           size_t q, int brief)
{
    size_t s = d->reg[q], NT = c->NT;
    int shap = c->method != NULL && strcmp(c->method, "none") != 0;
    unsigned hide = shap ? 0 : 1u << (RG_COL + RG_SHAP);
    char sn[21];
    clean(c->strat[s], sn, sizeof sn);
    fprintf(f,
            "\nrisk register (%s): what each threat costs, ranked by marginal "
            "loss\n(lost value in %s days, in %s)\n",
            sn, RP_COUNT(c->horizon), money(c));
    tx_line(f, "  ", &reg_table, NULL, hide, 0);
    size_t show = brief ? 10 : NT;
    for (size_t i = 0; i < NT && i < show; i++) {
        value v[RG_COL + RG_N];
        reg_cells(c, d, q, i, v);
        tx_line(f, "  ", &reg_table, v, hide, 0);
    }
    if (NT > show)
        fprintf(f, "  ... %s more threat%s in /risk_register\n",
                RP_COUNT(NT - show), NT - show == 1 ? "" : "s");
    print_register_legend(f, c, shap);
    print_interaction(f, c, s);
    print_matrix(f, c, d, q, sn);
}

/* The scenario argument of the `ripple run` command line the file
 * records (its first word after "run" that is neither an option nor an
 * option's value), into buf; empty for the bundled default scenario. */
static void run_scenario(const contents *c, char *buf, size_t n)
{
    static const char *const takes[] = {
        "-o",           "--output",   "-r",        "--replications", "-s",
        "--seed",       "-j",         "--threads", "--horizon",      "--lanes",
        "--stop-after", "--register", "--events"};
    buf[0] = '\0';
    if (c->cmd == NULL)
        return;
    char line[1024];
    snprintf(line, sizeof line, "%s", c->cmd);
    int after_run = 0, skip = 0;
    for (char *w = strtok(line, " "); w != NULL; w = strtok(NULL, " ")) {
        if (!after_run) {
            after_run = strcmp(w, "run") == 0;
            continue;
        }
        if (skip) {
            skip = 0;
            continue;
        }
        if (w[0] == '-') {
            for (size_t k = 0; k < sizeof takes / sizeof *takes; k++)
                skip |= strcmp(w, takes[k]) == 0;
            continue;
        }
        snprintf(buf, n, "%s ", w);
        return;
    }
}

static void print_worst(FILE *f, const contents *c)
{
    enum { SHOW = 15 };
    fprintf(f,
            "\nworst replications (baseline): the %s with the highest lost "
            "value, and their events (lost value in %s)\n"
            "  onset: day the event starts (0 = the first); days: how long it "
            "lasts;\n  severity: the share it takes of a node's capacity or a "
            "link's flow on its first day (1 = all)\n",
            RP_COUNT(c->nworst), money(c));
    /* the trace of a replication: this run's scenario, replications, seed
     * and horizon (the scenario's own may differ) */
    char scen[512];
    run_scenario(c, scen, sizeof scen);
    for (size_t w = 0; w < c->nworst; w++) {
        const worst_rep *x = &c->worst[w];
        char a[32];
        fmt(a, sizeof a, x->lost);
        fprintf(f,
                "  replication %lld: lost value %s, %s row%s of /events\n"
                "    (ripple trace %s-r %lld -s %lld --horizon %lld "
                "--replication %lld)\n",
                (long long)x->rep, a, RP_COUNT(x->n), x->n == 1 ? "" : "s",
                scen, (long long)c->reps, (long long)c->seed,
                (long long)c->horizon, (long long)x->rep);
        if (x->n == 0)
            continue;
        /* the SHOW largest (duration x severity), in onset order */
        ev_row *ev = malloc(x->n * sizeof *ev);
        ranked *rk = malloc(x->n * sizeof *rk);
        if (ev == NULL || rk == NULL) {
            free(ev);
            free(rk);
            continue;
        }
        for (size_t i = 0; i < x->n; i++) {
            rk[i].idx = i;
            rk[i].key = x->ev[i].v[EV_DUR] * x->ev[i].v[EV_SEV];
        }
        qsort(rk, x->n, sizeof *rk, cmp_desc);
        size_t m = x->n < SHOW ? x->n : SHOW;
        for (size_t i = 0; i < m; i++)
            ev[i] = x->ev[rk[i].idx];
        qsort(ev, m, sizeof *ev, cmp_onset);
        tx_line(f, "    ", &event_table, NULL, 0, 0);
        for (size_t i = 0; i < m; i++) {
            value v[sizeof event_cols / sizeof *event_cols];
            char tg[160];
            event_cells(c, &ev[i], tg, sizeof tg, v);
            tx_line(f, "    ", &event_table, v, 0, 0);
        }
        if (x->n > m)
            fprintf(f,
                    "    ... %s shorter or milder event%s in /events "
                    "(strategy 0, replication %lld)\n",
                    RP_COUNT(x->n - m), x->n - m == 1 ? "" : "s",
                    (long long)x->rep);
        free(ev);
        free(rk);
    }
}

/* ---- json and csv: the same tables for machines ---- */

/* s as a JSON string: control characters escaped, bytes that are not
 * UTF-8 as U+FFFD. */
static void json_str(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', f);
    while (*p) {
        unsigned ch = *p;
        if (ch == '"' || ch == '\\') {
            fprintf(f, "\\%c", ch);
            p++;
        } else if (ch < 0x20 || ch == 0x7f) {
            fprintf(f, "\\u%04x", ch);
            p++;
        } else if (ch < 0x80) {
            fputc((int)ch, f);
            p++;
        } else {
            int len = ch >= 0xf0 && ch <= 0xf4   ? 4
                      : ch >= 0xe0 && ch <= 0xef ? 3
                      : ch >= 0xc2 && ch <= 0xdf ? 2
                                                 : 0;
            int ok = len > 0;
            for (int k = 1; ok && k < len; k++)
                ok = (p[k] & 0xc0) == 0x80;
            if (ok && len == 3) {
                unsigned cp = ((ch & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) |
                              (p[2] & 0x3fu);
                ok = cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff);
            } else if (ok && len == 4) {
                unsigned cp = ((ch & 0x07u) << 18) | ((p[1] & 0x3fu) << 12) |
                              ((p[2] & 0x3fu) << 6) | (p[3] & 0x3fu);
                ok = cp >= 0x10000 && cp <= 0x10ffff;
            }
            if (ok) {
                fwrite(p, 1, (size_t)len, f);
                p += len;
            } else {
                fputs("\\ufffd", f);
                p++;
            }
        }
    }
    fputc('"', f);
}

/* s as a CSV field: quoted, control characters as '?'. */
static void csv_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"')
            fputs("\"\"", f);
        else
            fputc(ch < 0x20 || ch == 0x7f ? '?' : ch, f);
    }
    fputc('"', f);
}

/* A table: a JSON array of objects, or a CSV section. */
typedef struct {
    FILE *f;
    int json;
    int tables; /* tables begun so far */
    int rows;   /* rows of this table */
    int cols;   /* fields of this row */
} tw;

/* Table a begins (in CSV with b's columns after a's: a row of a and one of
 * b's, such as a worst replication and one of its events). */
static void tw_begin(tw *t, const table *a, const table *b)
{
    if (t->json) {
        fprintf(t->f, ",\n  \"%s\": [", a->name);
    } else {
        fprintf(t->f, "%s# %s\n", t->tables ? "\n" : "", a->name);
        for (int k = 0; k < a->n; k++)
            fprintf(t->f, "%s%s", k ? "," : "", a->cols[k].key);
        for (int k = 0; b != NULL && k < b->n; k++)
            fprintf(t->f, ",%s", b->cols[k].key);
        fputc('\n', t->f);
    }
    t->tables++;
    t->rows = 0;
}

static void tw_row(tw *t)
{
    if (t->json)
        fprintf(t->f, "%s\n    {", t->rows ? "," : "");
    t->rows++;
    t->cols = 0;
}

static void tw_key(tw *t, const char *key)
{
    if (t->json)
        fprintf(t->f, "%s\"%s\": ", t->cols ? ", " : "", key);
    else if (t->cols)
        fputc(',', t->f);
    t->cols++;
}

static void tw_str(tw *t, const char *key, const char *v)
{
    tw_key(t, key);
    if (t->json)
        json_str(t->f, v);
    else
        csv_str(t->f, v);
}

/* Numbers exactly (17 digits); NaN and infinities as null or empty. */
static void tw_num(tw *t, const char *key, double v)
{
    tw_key(t, key);
    if (!isfinite(v))
        fputs(t->json ? "null" : "", t->f);
    else if (v == floor(v) && fabs(v) < 1e15)
        fprintf(t->f, "%.0f", v);
    else
        fprintf(t->f, "%.17g", v);
}

static void tw_row_end(tw *t)
{
    fputs(t->json ? "}" : "\n", t->f);
}

static void tw_end(tw *t)
{
    if (t->json)
        fputs(t->rows ? "\n  ]" : "]", t->f);
}

/* A key with no table (an absent section): null, or a CSV note. */
static void tw_absent(tw *t, const char *name, const char *why)
{
    if (t->json)
        fprintf(t->f, ",\n  \"%s\": null", name);
    else
        fprintf(t->f, "%s# %s\n# absent: %s\n", t->tables ? "\n" : "", name,
                why);
    t->tables++;
}

/* The recommendation as one sentence. */
static void rec_words(const contents *c, const decision *d, char *b, size_t n)
{
    char nm[64];
    if (c->S < 2) {
        snprintf(b, n,
                 "no strategies besides the baseline: nothing to "
                 "compare or recommend");
    } else if (d->rec > 0) {
        size_t s = (size_t)d->rec;
        char a[32], lo[32], hi[32];
        fmt(a, sizeof a, c->nb[s]);
        fmt(lo, sizeof lo, c->nblo[s]);
        fmt(hi, sizeof hi, c->nbhi[s]);
        snprintf(b, n,
                 "recommended: \"%s\", the highest expected net benefit, %s "
                 "a year, in %s (95%% CI %s to %s)%s",
                 clean(c->strat[s], nm, sizeof nm), a, money(c), lo, hi,
                 c->nblo[s] < 0 ? "; the interval includes a net loss" : "");
    } else {
        size_t s = d->order[0] == 0 ? d->order[1] : d->order[0];
        char a[32];
        fmt(a, sizeof a, c->nb[s]);
        snprintf(b, n,
                 "no strategy pays for itself: keep the baseline (the best, "
                 "\"%s\", nets %s a year, in %s)",
                 clean(c->strat[s], nm, sizeof nm), a, money(c));
    }
}

/* The first n cells of a row of tb. */
static void tw_cells(tw *t, const table *tb, const value *v, int n)
{
    for (int k = 0; k < n; k++) {
        if (tb->cols[k].how == T_STR)
            tw_str(t, tb->cols[k].key, v[k].s);
        else
            tw_num(t, tb->cols[k].key, v[k].v);
    }
}

/* The file's header: keys of the JSON object (its integers exact), or a
 * table of one row in CSV; the text prints it as lines of its own. */
static void machine_head(tw *t, const char *path, const contents *c)
{
    FILE *f = t->f;
    if (t->json) {
        fprintf(f, "{\n  \"file\": ");
        json_str(f, path);
        fprintf(f, ",\n  \"run_kind\": ");
        json_str(f, c->kind);
        fprintf(f, ",\n  \"scenario\": ");
        json_str(f, c->name ? c->name : "");
        fprintf(f, ",\n  \"currency\": ");
        json_str(f, c->cur ? c->cur : "");
        fprintf(f, ",\n  \"ripple_version\": ");
        json_str(f, c->ver ? c->ver : "");
        fprintf(f, ",\n  \"created_utc\": ");
        json_str(f, c->when ? c->when : "");
        fprintf(f,
                ",\n  \"horizon_days\": %lld,\n  \"replications\": %lld,\n"
                "  \"seed\": %lld",
                (long long)c->horizon, (long long)c->reps, (long long)c->seed);
        return;
    }
    static const column cols[] = {{.key = "file", .how = T_STR},
                                  {.key = "run_kind", .how = T_STR},
                                  {.key = "scenario", .how = T_STR},
                                  {.key = "currency", .how = T_STR},
                                  {.key = "ripple_version", .how = T_STR},
                                  {.key = "created_utc", .how = T_STR},
                                  {.key = "horizon_days"},
                                  {.key = "replications"},
                                  {.key = "seed"}};
    static const table file_table = TABLE("file", cols);
    value v[] = {{path, 0},
                 {c->kind, 0},
                 {c->name ? c->name : "", 0},
                 {c->cur ? c->cur : "", 0},
                 {c->ver ? c->ver : "", 0},
                 {c->when ? c->when : "", 0},
                 {NULL, (double)c->horizon},
                 {NULL, (double)c->reps},
                 {NULL, (double)c->seed}};
    tw_begin(t, &file_table, NULL);
    tw_row(t);
    tw_cells(t, &file_table, v, file_table.n);
    tw_row_end(t);
    tw_end(t);
}

static void machine_stress(tw *t, const contents *c, size_t n)
{
    tw_begin(t, &stress_table, NULL);
    for (size_t i = 0; i < n; i++) {
        value v[sizeof stress_cols / sizeof *stress_cols];
        stress_cells(c, i, v);
        tw_row(t);
        tw_cells(t, &stress_table, v, stress_table.n);
        tw_row_end(t);
    }
    tw_end(t);
}

static void machine_lost(tw *t, const contents *c)
{
    tw_begin(t, &lost_table, NULL);
    for (size_t s = 0; s < c->S; s++) {
        value v[sizeof lost_cols / sizeof *lost_cols];
        lost_cells(c, s, v);
        tw_row(t);
        tw_cells(t, &lost_table, v, lost_table.n);
        tw_row_end(t);
    }
    tw_end(t);
}

/* The strategies by net benefit, and the recommendation (JSON: two keys;
 * CSV: a table). */
static void machine_strategies(tw *t, const contents *c, const decision *d)
{
    tw_begin(t, &strat_table, NULL);
    for (size_t q = 0; q < c->S; q++) {
        value v[sizeof strat_cols / sizeof *strat_cols];
        strat_cells(c, d, q, v);
        tw_row(t);
        tw_cells(t, &strat_table, v, strat_table.n);
        tw_row_end(t);
    }
    tw_end(t);
    char sent[512];
    rec_words(c, d, sent, sizeof sent);
    static const column rcols[] = {{.key = "recommended", .how = T_STR},
                                   {.key = "recommendation", .how = T_STR}};
    static const table rtable = TABLE("recommendation", rcols);
    if (t->json) {
        fprintf(t->f, ",\n  \"%s\": ", rcols[0].key);
        json_str(t->f, c->strat[d->rec]);
        fprintf(t->f, ",\n  \"%s\": ", rcols[1].key);
        json_str(t->f, sent);
    } else {
        value v[2] = {{c->strat[d->rec], 0}, {sent, 0}};
        tw_begin(t, &rtable, NULL);
        tw_row(t);
        tw_cells(t, &rtable, v, 2);
        tw_row_end(t);
        tw_end(t);
    }
}

static void machine_critical(tw *t, const contents *c, const decision *d)
{
    tw_begin(t, &crit_table, NULL);
    for (size_t q = 0; q < d->ncrit; q++) {
        value v[sizeof crit_cols / sizeof *crit_cols];
        crit_cells(c, d, q, v);
        tw_row(t);
        tw_cells(t, &crit_table, v, crit_table.n);
        tw_row_end(t);
    }
    tw_end(t);
}

/* The registers shown, every threat, and their interactions. */
static void machine_register(tw *t, const contents *c, const decision *d)
{
    tw_begin(t, &reg_table, NULL);
    for (size_t q = 0; q < d->nreg; q++) {
        for (size_t i = 0; i < c->NT; i++) {
            value v[RG_COL + RG_N];
            reg_cells(c, d, q, i, v);
            tw_row(t);
            tw_cells(t, &reg_table, v, reg_table.n);
            tw_row_end(t);
        }
    }
    tw_end(t);
    tw_begin(t, &inter_table, NULL);
    for (size_t q = 0; q < d->nreg; q++) {
        size_t s = d->reg[q];
        double total = c->lv[s * RP_NSTAT + RP_ST_MEAN];
        value v[] = {{c->strat[s], 0},
                     {NULL, c->inter[s]},
                     {NULL, total},
                     {NULL, total - c->inter[s]},
                     {c->method ? c->method : "none", 0}};
        tw_row(t);
        tw_cells(t, &inter_table, v, inter_table.n);
        tw_row_end(t);
    }
    tw_end(t);
}

/* The threats of register q in class (L, C), in the matrix's last column:
 * a JSON array, or a CSV field of names joined by "; ". */
static void machine_cell_threats(tw *t, const contents *c, const decision *d,
                                 size_t q, int L, int C)
{
    size_t s = d->reg[q], NT = c->NT;
    fputs(t->json ? "[" : "\"", t->f);
    int n = 0;
    for (size_t i = 0; i < NT; i++) {
        size_t k = d->torder[q][i], at = s * NT + k;
        if ((int)c->rg[RG_LCLS][at] != L || (int)c->rg[RG_CCLS][at] != C)
            continue;
        if (t->json) {
            fputs(n ? ", " : "", t->f);
            json_str(t->f, c->threats[k]);
        } else {
            char b[256];
            clean(c->threats[k], b, sizeof b);
            fputs(n ? "; " : "", t->f);
            for (char *x = b; *x; x++)
                fputs(*x == '"' ? "\"\"" : (char[]){*x, 0}, t->f);
        }
        n++;
    }
    fputs(t->json ? "]" : "\"", t->f);
}

static void machine_matrix(tw *t, const contents *c, const decision *d)
{
    tw_begin(t, &matrix_table, NULL);
    for (size_t q = 0; q < d->nreg; q++) {
        for (int C = 5; C >= 1; C--) {
            for (int L = 1; L <= 5; L++) {
                char cb[48], lb[48];
                band_label(c->cband, C, 1, "", cb, sizeof cb);
                band_label(c->lband, L, 1, "", lb, sizeof lb);
                value v[] = {{c->strat[d->reg[q]], 0},
                             {NULL, C},
                             {NULL, L},
                             {cb, 0},
                             {lb, 0}};
                tw_row(t);
                tw_cells(t, &matrix_table, v, 5);
                tw_key(t, matrix_cols[5].key);
                machine_cell_threats(t, c, d, q, L, C);
                tw_row_end(t);
            }
        }
    }
    tw_end(t);
}

/* The baseline's worst replications with their events in onset order. */
static int machine_worst(tw *t, const contents *c)
{
    tw_begin(t, &worst_table, &event_table);
    for (size_t w = 0; w < c->nworst; w++) {
        const worst_rep *x = &c->worst[w];
        ev_row *ev = malloc((x->n ? x->n : 1) * sizeof *ev);
        if (ev == NULL)
            return -1;
        if (x->n > 0)
            memcpy(ev, x->ev, x->n * sizeof *ev);
        qsort(ev, x->n, sizeof *ev, cmp_onset);
        value o[] = {
            {NULL, (double)(w + 1)}, {NULL, (double)x->rep}, {NULL, x->lost}};
        if (t->json) {
            tw_row(t);
            tw_cells(t, &worst_table, o, worst_table.n);
            fprintf(t->f, ", \"%s\": [", event_table.name);
        }
        for (size_t i = 0; i < x->n || (!t->json && i == 0); i++) {
            if (t->json) {
                fprintf(t->f, "%s\n      {", i ? "," : "");
                t->cols = 0;
            } else {
                tw_row(t);
                tw_cells(t, &worst_table, o, worst_table.n);
            }
            if (x->n == 0) { /* csv: a replication without events */
                for (int k = 0; k < event_table.n; k++)
                    tw_key(t, event_cols[k].key);
                tw_row_end(t);
                break;
            }
            value v[sizeof event_cols / sizeof *event_cols];
            char tg[160];
            event_cells(c, &ev[i], tg, sizeof tg, v);
            tw_cells(t, &event_table, v, event_table.n);
            tw_row_end(t);
        }
        if (t->json) {
            fputs(x->n ? "\n    ]" : "]", t->f);
            tw_row_end(t);
        }
        free(ev);
    }
    tw_end(t);
    return 0;
}

static int machine_run(tw *t, const contents *c, const decision *d)
{
    machine_lost(t, c);
    machine_strategies(t, c, d);
    machine_critical(t, c, d);
    if (!c->has_reg) {
        tw_absent(t, "risk_register", "no /risk_register in the file");
        tw_absent(t, "interaction", "no /risk_register in the file");
        tw_absent(t, "matrix", "no /risk_register in the file");
    } else {
        machine_register(t, c, d);
        machine_matrix(t, c, d);
    }
    if (!c->has_ev) {
        tw_absent(t, "worst_replications", "no /events in the file");
        return 0;
    }
    return machine_worst(t, c);
}

static int print_run(FILE *f, const contents *c, const decision *d, int brief)
{
    size_t S = c->S;
    fprintf(f,
            "\nlost value per replication (%s strateg%s): final demand "
            "lost in %s days, valued at the customers' unit_value%s%s\n",
            RP_COUNT(S), S == 1 ? "y" : "ies", RP_COUNT(c->horizon),
            c->cur != NULL ? ", in " : "", c->cur != NULL ? c->cur : "");
    tx_line(f, "  ", &lost_table, NULL, 0, 0);
    for (size_t s = 0; s < S; s++) {
        value v[sizeof lost_cols / sizeof *lost_cols];
        lost_cells(c, s, v);
        tx_line(f, "  ", &lost_table, v, 0, 0);
    }
    fprintf(f, "  p95, CVaR95 the lost value's 95%% quantile, and the mean "
               "of the worst 5%% of replications\n"
               "  fill rate   share of the final demand delivered; days<tgt: "
               "days with the service\n"
               "              level below service_target (both means over "
               "the replications)\n");
    print_strategies(f, c, d);
    /* most critical nodes, baseline strategy */
    size_t m = d->ncrit;
    if (m > 0) {
        /* criticality (written by the run): the mean, over the
         * replications in which the node was damaged, of the whole
         * replication's lost value; so it ranks what comes with a node's
         * disruption, not what the node alone causes */
        fprintf(f,
                "\nmost critical nodes (baseline), ranked by P x crit\n"
                "  P(disrupted)  share of replications in which an event hit "
                "the node itself\n"
                "  criticality   mean lost value of those replications (the "
                "whole network's\n"
                "                loss in %s days, in %s, "
                "whatever else was hit too)\n"
                "  P x crit      P(disrupted) x criticality: that loss "
                "averaged over all\n"
                "                replications, counting 0 where the node was "
                "not hit\n"
                "  P(impacted)   share of replications in which its output "
                "fell below baseline\n",
                RP_COUNT(c->horizon), money(c));
        tx_line(f, "  ", &crit_table, NULL, 0, 0);
    }
    size_t show = brief ? 5 : 10;
    for (size_t q = 0; q < m && q < show; q++) {
        value v[sizeof crit_cols / sizeof *crit_cols];
        crit_cells(c, d, q, v);
        tx_line(f, "  ", &crit_table, v, 0, 0);
    }
    if (m > show)
        fprintf(f, "  ... %s more disrupted node%s in /node\n",
                RP_COUNT(m - show), m - show == 1 ? "" : "s");
    for (size_t q = 0; q < d->nreg; q++)
        print_register(f, c, d, q, brief);
    if (!c->has_reg)
        fprintf(f, "\nrisk register: not in this file (a run writes it "
                   "unless given --register none)\n");
    if (c->has_ev && !brief)
        print_worst(f, c);
    else if (!c->has_ev && !brief)
        fprintf(f, "\nworst replications: not in this file (they come from "
                   "the event log, which a run writes unless given --events "
                   "none)\n");
    return 0;
}

static void print_head(FILE *f, const char *path, const contents *c)
{
    char v[64], w[64], nm[256];
    fprintf(f, "file        %s  (ripple %s, %s)\n", path,
            clean(c->ver, v, sizeof v), clean(c->when, w, sizeof w));
    fprintf(f, "scenario    %s\n",
            c->name[0] ? clean(c->name, nm, sizeof nm) : "(unnamed)");
    size_t n = strlen(c->cmd) + 1;
    char *cmd = malloc(n);
    fprintf(f, "command     %s\n", cmd ? clean(c->cmd, cmd, n) : "?");
    free(cmd);
    if (strcmp(c->kind, "stress") == 0) /* deterministic: no replications */
        fprintf(f,
                "run         stress test over %s days (deterministic, no "
                "replications), %s thread%s, %s rank%s\n",
                RP_COUNT(c->horizon), RP_COUNT(c->threads),
                c->threads == 1 ? "" : "s", RP_COUNT(c->ranks),
                c->ranks == 1 ? "" : "s");
    else
        fprintf(f,
                "run         %s days x %s replication%s, seed %lld, "
                "%s thread%s, %s rank%s\n",
                RP_COUNT(c->horizon), RP_COUNT(c->reps),
                c->reps == 1 ? "" : "s", (long long)c->seed,
                RP_COUNT(c->threads), c->threads == 1 ? "" : "s",
                RP_COUNT(c->ranks), c->ranks == 1 ? "" : "s");
}

rp_status rp_inspect(FILE *f, const char *path, int brief, rp_errors *err)
{
    return rp_inspect_as(f, path, brief, RP_INSPECT_TEXT, err);
}

rp_status rp_inspect_as(FILE *f, const char *path, int brief, int format,
                        rp_errors *err)
{
    h5r r;
    rp_status os = rp_h5r_open(&r, path, err);
    if (os != RP_OK)
        return os;
    contents c;
    memset(&c, 0, sizeof c);
    size_t nstress = 0;
    char *ft = rp_h5r_attr_str(&r, r.file, "/", "filetype", 0);
    if (ft == NULL || strcmp(ft, "ripple-results") != 0) {
        /* Ripple's other files: say what they are and what reads them */
        static const char *const other[][3] = {
            {"ripple-sweep", "a sweep file",
             "; `ripple report` makes its page, h5py or any HDF5 reader "
             "reads it"},
            {"ripple-trace", "a trace file",
             "; h5py or any HDF5 reader reads its daily series"}};
        size_t k = 0;
        while (k < 2 && (ft == NULL || strcmp(ft, other[k][0]) != 0))
            k++;
        rp_status es =
            k < 2 ? rp_err_add(err,
                               "%s: %s (filetype \"%s\"), not a results "
                               "file of run or stress%s",
                               path, other[k][1], other[k][0], other[k][2])
                  : rp_err_add(err,
                               "%s: not a Ripple results file (no filetype "
                               "\"ripple-results\")",
                               path);
        H5free_memory(ft);
        H5Fclose(r.file);
        return es;
    }
    H5free_memory(ft);
    check_root(&r, &c, brief);
    if (!r.bad && strcmp(c.kind, "stress") == 0)
        nstress = check_stress(&r, &c);
    else if (!r.bad)
        check_run(&r, &c);
    H5Fclose(r.file);
    rp_status rs = RP_OK;
    if (r.bad) {
        rs = rp_err_status(err);
    } else {
        int stress = strcmp(c.kind, "stress") == 0, pr = 0;
        decision d;
        memset(&d, 0, sizeof d);
        if (!stress)
            pr = decide(&c, &d);
        if (pr == 0 && format == RP_INSPECT_TEXT) {
            if (!brief)
                print_head(f, path, &c);
            pr = stress ? print_stress(f, &c, nstress, brief)
                        : print_run(f, &c, &d, brief);
        } else if (pr == 0) {
            tw t = {f, format == RP_INSPECT_JSON, 0, 0, 0};
            machine_head(&t, path, &c);
            if (stress)
                machine_stress(&t, &c, nstress);
            else
                pr = machine_run(&t, &c, &d);
            if (t.json)
                fputs("\n}\n", f);
        }
        decision_free(&d);
        if (pr != 0)
            rs = rp_err_runtime(err, "%s: out of memory", path);
    }
    contents_free(&c, nstress);
    return rs;
}
