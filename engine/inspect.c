/* Reads a results file back and prints what a planner looks at first. */
#include "ripple/inspect.h"

#include <hdf5.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ripple/run.h"
#include "ripple/stats.h"

typedef struct {
    hid_t file;
    int bad;
} h5r;

static int exists(h5r *r, const char *path)
{
    return H5Lexists(r->file, path, H5P_DEFAULT) > 0;
}

static hid_t utf8_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    return t;
}

/* Read a whole dataset into memory of type mtype (elements of size esz);
 * *n = element count.  NULL (and r->bad) when missing or unreadable. */
static void *read_all(h5r *r, const char *path, hid_t mtype, size_t esz,
                      size_t *n)
{
    *n = 0;
    hid_t d = exists(r, path) ? H5Dopen2(r->file, path, H5P_DEFAULT) : -1;
    if (d < 0) {
        r->bad = 1;
        return NULL;
    }
    hid_t sp = H5Dget_space(d);
    hssize_t cnt = H5Sget_simple_extent_npoints(sp);
    void *v = calloc((size_t)(cnt > 0 ? cnt : 1), esz);
    if (v == NULL ||
        (cnt > 0 && H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)) {
        free(v);
        v = NULL;
        r->bad = 1;
    } else {
        *n = (size_t)cnt;
    }
    H5Sclose(sp);
    H5Dclose(d);
    return v;
}

/* A numeric dataset as doubles. */
static double *read_f64(h5r *r, const char *path, size_t *n)
{
    return read_all(r, path, H5T_NATIVE_DOUBLE, sizeof(double), n);
}

/* A 1-D string dataset; free with free_strs. */
static char **read_strs(h5r *r, const char *path, size_t *n)
{
    hid_t t = utf8_type();
    char **v = read_all(r, path, t, sizeof(char *), n);
    H5Tclose(t);
    return v;
}

static void free_strs(char **v, size_t n)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        H5free_memory(v[i]);
    free(v);
}

static char *attr_str(h5r *r, const char *name)
{
    if (H5Aexists(r->file, name) <= 0)
        return NULL;
    hid_t a = H5Aopen(r->file, name, H5P_DEFAULT);
    hid_t t = utf8_type();
    char *s = NULL;
    if (a < 0 || H5Aread(a, t, &s) < 0)
        s = NULL;
    H5Tclose(t);
    if (a >= 0)
        H5Aclose(a);
    return s;
}

static double attr_num(h5r *r, const char *name)
{
    if (H5Aexists(r->file, name) <= 0)
        return NAN;
    hid_t a = H5Aopen(r->file, name, H5P_DEFAULT);
    double v = NAN;
    hid_t sp = H5Aget_space(a);
    if (H5Sget_simple_extent_npoints(sp) == 1)
        H5Aread(a, H5T_NATIVE_DOUBLE, &v);
    H5Sclose(sp);
    H5Aclose(a);
    return v;
}

static void fmt(char *b, size_t n, double v)
{
    if (isnan(v))
        snprintf(b, n, "-");
    else if (fabs(v) >= 1e6 || (fabs(v) < 1e-3 && v != 0))
        snprintf(b, n, "%.3e", v);
    else
        snprintf(b, n, "%.4g", v);
}

typedef struct {
    int idx;
    double key;
} ranked;

static int cmp_desc(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? 1 : -1;
    return x->idx - y->idx;
}

static void print_stress(FILE *f, h5r *r, int brief)
{
    size_t n, k;
    char **ids = read_strs(r, "/stress/node", &n);
    double *ttr = read_f64(r, "/stress/ttr_days", &k);
    double *tts = read_f64(r, "/stress/tts_days", &k);
    double *pi = read_f64(r, "/stress/performance_impact", &k);
    double *rei = read_f64(r, "/stress/rei", &k);
    double *exp = read_f64(r, "/stress/exposed", &k);
    if (r->bad || k != n) {
        r->bad = 1;
        goto out;
    }
    ranked *rk = malloc((n ? n : 1) * sizeof *rk);
    if (rk == NULL) {
        r->bad = 1;
        goto out;
    }
    size_t m = 0, nexp = 0;
    for (size_t i = 0; i < n; i++) {
        if (ttr[i] < 0)
            continue;
        nexp += exp[i] > 0;
        rk[m].idx = (int)i;
        /* most exposed first: by REI, then by how short TTS is vs TTR */
        rk[m].key = rei[i] * 1e6 + (ttr[i] - tts[i]);
        m++;
    }
    qsort(rk, m, sizeof *rk, cmp_desc);
    fprintf(f, "\nstress test: %zu nodes tested, %zu exposed (TTS < TTR)\n", m,
            nexp);
    fprintf(f, "  %-24s %8s %8s %12s %6s %s\n", "node", "TTR", "TTS", "impact",
            "REI", "exposed");
    size_t show = brief ? 10 : 20;
    for (size_t q = 0; q < m && q < show; q++) {
        size_t i = (size_t)rk[q].idx;
        char b[32];
        fmt(b, sizeof b, pi[i]);
        fprintf(f, "  %-24.24s %8.0f %8.0f %12s %6.3f %s\n", ids[i], ttr[i],
                tts[i], b, rei[i], exp[i] > 0 ? "yes" : "no");
    }
    if (m > show)
        fprintf(f, "  ... %zu more in /stress\n", m - show);
    free(rk);
out:
    free_strs(ids, n);
    free(ttr);
    free(tts);
    free(pi);
    free(rei);
    free(exp);
}

static void print_run(FILE *f, h5r *r, int brief)
{
    size_t S, k, nst;
    char **strat = read_strs(r, "/strategy", &S);
    char **stn = read_strs(r, "/stat", &nst);
    double *lv = read_f64(r, "/summary/lost_value", &k);
    double *fr = read_f64(r, "/summary/fill_rate", &k);
    double *dbt = read_f64(r, "/summary/days_below_target", &k);
    double *dm = read_f64(r, "/comparison/lost_value_delta_mean", &k);
    double *dlo = read_f64(r, "/comparison/lost_value_delta_ci95_low", &k);
    double *dhi = read_f64(r, "/comparison/lost_value_delta_ci95_high", &k);
    double *pb = read_f64(r, "/comparison/prob_better", &k);
    double *roi = read_f64(r, "/comparison/roi", &k);
    double *vr = read_f64(r, "/comparison/variance_reduction", &k);
    double *cost = read_f64(r, "/strategies/cost_per_year", &k);
    size_t N = 0;
    char **nodes = read_strs(r, "/node/node", &N);
    double *crit = read_f64(r, "/node/criticality", &k);
    double *pdis = read_f64(r, "/node/p_disrupted", &k);
    double *pimp = read_f64(r, "/node/p_impacted", &k);
    if (r->bad || nst != RP_NSTAT)
        goto out;
    fprintf(f, "\nlost value per replication (%zu strateg%s)\n", S,
            S == 1 ? "y" : "ies");
    fprintf(f, "  %-20s %12s %25s %12s %12s %10s %8s\n", "strategy", "mean",
            "95% CI of mean", "p95", "CVaR95", "fill rate", "days<tgt");
    for (size_t s = 0; s < S; s++) {
        const double *st = lv + s * RP_NSTAT;
        char a[32], lo[32], hi[32], p95[32], cv[32], ci[80];
        fmt(a, sizeof a, st[RP_ST_MEAN]);
        fmt(lo, sizeof lo, st[RP_ST_CI_LO]);
        fmt(hi, sizeof hi, st[RP_ST_CI_HI]);
        fmt(p95, sizeof p95, st[RP_ST_P95]);
        fmt(cv, sizeof cv, st[RP_ST_CVAR95]);
        snprintf(ci, sizeof ci, "[%s, %s]", lo, hi);
        fprintf(f, "  %-20.20s %12s %25s %12s %12s %10.5f %8.2f\n", strat[s],
                a, ci, p95, cv, fr[s * RP_NSTAT + RP_ST_MEAN],
                dbt[s * RP_NSTAT + RP_ST_MEAN]);
    }
    if (S > 1) {
        ranked *rk = malloc(S * sizeof *rk);
        if (rk != NULL) {
            for (size_t s = 1; s < S; s++) {
                rk[s - 1].idx = (int)s;
                rk[s - 1].key = -dm[s];
            }
            qsort(rk, S - 1, sizeof *rk, cmp_desc);
            fprintf(f, "\nstrategies against baseline (paired, same events; "
                       "negative = less loss)\n");
            fprintf(f, "  %-20s %12s %27s %8s %10s %8s %9s\n", "strategy",
                    "delta mean", "95% CI", "P(better)", "cost/yr", "ROI",
                    "var.red.");
            for (size_t q = 0; q + 1 < S; q++) {
                size_t s = (size_t)rk[q].idx;
                char a[32], lo[32], hi[32], c[32], ro[32], v[32], ci[72];
                fmt(a, sizeof a, dm[s]);
                fmt(lo, sizeof lo, dlo[s]);
                fmt(hi, sizeof hi, dhi[s]);
                fmt(c, sizeof c, cost[s]);
                fmt(ro, sizeof ro, roi[s]);
                fmt(v, sizeof v, vr[s]);
                snprintf(ci, sizeof ci, "[%s, %s]", lo, hi);
                fprintf(f, "  %-20.20s %12s %27s %8.3f %10s %8s %9s\n",
                        strat[s], a, ci, pb[s], c, ro, v);
            }
            size_t best = (size_t)rk[0].idx;
            if (dhi[best] < 0)
                fprintf(f,
                        "  -> \"%s\" cuts expected loss by %.4g per "
                        "replication (95%% CI %.4g to %.4g)\n",
                        strat[best], -dm[best], -dhi[best], -dlo[best]);
            else
                fprintf(f, "  -> no strategy reduces loss significantly at "
                           "95%%\n");
            free(rk);
        }
    }
    /* most critical nodes, baseline strategy */
    ranked *rk = malloc((N ? N : 1) * sizeof *rk);
    if (rk != NULL) {
        size_t m = 0;
        for (size_t i = 0; i < N; i++) {
            if (isnan(crit[i]))
                continue;
            rk[m].idx = (int)i;
            rk[m].key = crit[i] * pdis[i];
            m++;
        }
        qsort(rk, m, sizeof *rk, cmp_desc);
        if (m > 0) {
            fprintf(f, "\nmost critical nodes (baseline): expected loss "
                       "attributable when disrupted\n");
            fprintf(f, "  %-24s %12s %12s %12s\n", "node", "P(disrupted)",
                    "criticality", "P(impacted)");
        }
        size_t show = brief ? 5 : 10;
        for (size_t q = 0; q < m && q < show; q++) {
            size_t i = (size_t)rk[q].idx;
            char c[32];
            fmt(c, sizeof c, crit[i]);
            fprintf(f, "  %-24.24s %12.4f %12s %12.4f\n", nodes[i], pdis[i], c,
                    pimp[i]);
        }
        free(rk);
    }
out:
    free_strs(strat, S);
    free_strs(stn, nst);
    free_strs(nodes, N);
    free(lv);
    free(fr);
    free(dbt);
    free(dm);
    free(dlo);
    free(dhi);
    free(pb);
    free(roi);
    free(vr);
    free(cost);
    free(crit);
    free(pdis);
    free(pimp);
}

rp_status rp_inspect(FILE *f, const char *path, int brief, rp_errors *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    FILE *probe = fopen(path, "rb");
    if (probe == NULL)
        return rp_err_add(err, "%s: cannot open", path);
    fclose(probe);
    if (H5Fis_hdf5(path) <= 0)
        return rp_err_add(err, "%s: not an HDF5 file", path);
    h5r r = {H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT), 0};
    if (r.file < 0)
        return rp_err_add(err, "%s: cannot open as HDF5", path);
    char *ft = attr_str(&r, "filetype");
    if (ft == NULL || strcmp(ft, "ripple-results") != 0) {
        H5free_memory(ft);
        H5Fclose(r.file);
        return rp_err_add(err,
                          "%s: not a Ripple results file (no filetype "
                          "\"ripple-results\")",
                          path);
    }
    H5free_memory(ft);
    char *kind = attr_str(&r, "run_kind");
    char *name = attr_str(&r, "scenario_name");
    char *ver = attr_str(&r, "ripple_version");
    char *when = attr_str(&r, "created_utc");
    char *cmd = attr_str(&r, "command");
    if (!brief) {
        fprintf(f, "file        %s  (ripple %s, %s)\n", path, ver ? ver : "?",
                when ? when : "?");
        fprintf(f, "scenario    %s\n", name && name[0] ? name : "(unnamed)");
        fprintf(f, "command     %s\n", cmd ? cmd : "?");
        fprintf(f,
                "run         %.0f days x %.0f replications, seed %.0f, "
                "%.0f threads, %.0f ranks\n",
                attr_num(&r, "horizon_days"), attr_num(&r, "replications"),
                attr_num(&r, "seed"), attr_num(&r, "threads"),
                attr_num(&r, "ranks"));
    }
    if (kind != NULL && strcmp(kind, "stress") == 0)
        print_stress(f, &r, brief);
    else
        print_run(f, &r, brief);
    H5free_memory(kind);
    H5free_memory(name);
    H5free_memory(ver);
    H5free_memory(when);
    H5free_memory(cmd);
    H5Fclose(r.file);
    if (r.bad)
        return rp_err_add(err, "%s: incomplete or damaged results file", path);
    return RP_OK;
}
