/* `ripple report` of a sweep file (`ripple sweep`, docs/sweep.md): one
 * self-contained HTML page (inline CSS and SVG, no scripts) with the
 * curves of every removal order and their 95% bands, the critical
 * fractions, and under independent failures the least-served customers.
 *
 * The file is input: every dataset is checked (type class, rank, shape
 * against /sweep/order and /sweep/fraction, values in range, order names
 * known) before anything is drawn, and a damaged file gives
 * `FILE: OBJECT: ...` and no page. */
#define _POSIX_C_SOURCE 200809L
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ripple/report.h"
#include "ripple/sweep.h"

typedef struct {
    const char *path;
    hid_t f;
    rp_errors *err;
    int bad;
} rd;

static void problem(rd *r, const char *obj, const char *what)
{
    if (!r->bad)
        rp_err_add(r->err, "%s: %s: %s", r->path, obj, what);
    r->bad = 1;
}

/* A float dataset of rank `rank` and exactly the dims given; NULL after a
 * problem (or when absent and not required). */
static double *read_f64(rd *r, const char *p, int rank, const hsize_t *dims,
                        int required)
{
    if (r->bad)
        return NULL;
    if (H5Lexists(r->f, p, H5P_DEFAULT) <= 0) {
        if (required)
            problem(r, p, "missing");
        return NULL;
    }
    hid_t d = H5Dopen2(r->f, p, H5P_DEFAULT);
    if (d < 0) {
        problem(r, p, "expected a dataset");
        return NULL;
    }
    hid_t t = H5Dget_type(d), s = H5Dget_space(d);
    hsize_t got[4] = {0, 0, 0, 0};
    int rk = s >= 0 ? H5Sget_simple_extent_ndims(s) : -1;
    int ok = t >= 0 && H5Tget_class(t) == H5T_FLOAT && rk == rank;
    if (ok && rank > 0)
        H5Sget_simple_extent_dims(s, got, NULL);
    size_t n = 1;
    for (int k = 0; ok && k < rank; k++) {
        ok = got[k] == dims[k];
        n *= (size_t)dims[k];
    }
    double *v = ok ? malloc((n ? n : 1) * sizeof *v) : NULL;
    if (ok && v != NULL &&
        H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)
        ok = 0;
    if (t >= 0)
        H5Tclose(t);
    if (s >= 0)
        H5Sclose(s);
    H5Dclose(d);
    if (!ok || v == NULL) {
        free(v);
        problem(r, p,
                v == NULL && ok ? "out of memory"
                                : "expected floats of the shape of its "
                                  "scales");
        return NULL;
    }
    return v;
}

/* A 1-D string dataset of at most `max` values: the values (caller frees
 * with free_strs) and their number. */
static char **read_strs(rd *r, const char *p, hsize_t max, hsize_t *n)
{
    *n = 0;
    if (r->bad)
        return NULL;
    hid_t d = H5Lexists(r->f, p, H5P_DEFAULT) > 0
                  ? H5Dopen2(r->f, p, H5P_DEFAULT)
                  : -1;
    if (d < 0) {
        problem(r, p, "missing");
        return NULL;
    }
    hid_t t = H5Dget_type(d), s = H5Dget_space(d);
    char **v = NULL;
    int ok = t >= 0 && H5Tget_class(t) == H5T_STRING &&
             H5Tis_variable_str(t) > 0 && s >= 0 &&
             H5Sget_simple_extent_ndims(s) == 1;
    if (ok) {
        H5Sget_simple_extent_dims(s, n, NULL);
        ok = *n >= 1 && *n <= max;
    }
    if (ok) {
        v = calloc((size_t)*n, sizeof *v);
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(t));
        ok =
            v != NULL && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0;
        H5Tclose(mt);
    }
    if (t >= 0)
        H5Tclose(t);
    if (s >= 0)
        H5Sclose(s);
    H5Dclose(d);
    if (!ok) {
        free(v); /* (a failed read leaves nothing allocated) */
        problem(r, p, "expected 1-D strings, one per value of its axis");
        *n = 0;
        return NULL;
    }
    return v;
}

static void free_strs(char **v, hsize_t n)
{
    for (hsize_t i = 0; v != NULL && i < n; i++)
        H5free_memory(v[i]);
    free(v);
}

static void esc(FILE *o, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", o);
            break;
        case '<':
            fputs("&lt;", o);
            break;
        case '>':
            fputs("&gt;", o);
            break;
        case '"':
            fputs("&quot;", o);
            break;
        default:
            if ((unsigned char)*s >= 0x20)
                fputc(*s, o);
        }
    }
}

static char *root_attr(rd *r, const char *name)
{
    if (H5Aexists(r->f, name) <= 0)
        return NULL;
    hid_t a = H5Aopen(r->f, name, H5P_DEFAULT);
    hid_t t = a >= 0 ? H5Aget_type(a) : -1;
    char *v = NULL;
    if (t >= 0 && H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0) {
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(t));
        if (H5Aread(a, mt, &v) < 0)
            v = NULL;
        H5Tclose(mt);
    }
    if (t >= 0)
        H5Tclose(t);
    if (a >= 0)
        H5Aclose(a);
    return v;
}

int rp_sweep_is_file(const char *path)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    /* HDF5 opens without O_NONBLOCK: a FIFO would be waited on for ever
     * (the results file reader then says it is not a regular file) */
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    if (H5Fis_hdf5(path) <= 0)
        return 0;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return 0;
    rd r = {path, f, NULL, 0};
    char *ft = root_attr(&r, "filetype");
    int yes = ft != NULL && strcmp(ft, "ripple-sweep") == 0;
    H5free_memory(ft);
    H5Fclose(f);
    return yes;
}

/* Okabe-Ito colours, and dashes so that overlapping lines stay apart */
static const char *const PAL[] = {"#0072B2", "#E69F00", "#009E73",
                                  "#D55E00", "#CC79A7", "#56B4E9"};
static const char *const DASH[] = {"none",    "7 3", "2 2",
                                   "9 3 2 3", "4 2", "1 3"};

/* One panel: the curves of every order with their bands. */
static void panel(FILE *o, const char *title, const double *frac, int K, int O,
                  char **names, const double *mean, const double *lo,
                  const double *hi, int half_line)
{
    const double W = 700, H = 300, px = 58, py = 30, pw = 470, ph = 220;
#define X(f) (px + (f)*pw)
#define Y(v) (py + (1 - (v)) * ph)
    fprintf(o,
            "<figure><svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
            "aria-label=\"",
            W, H);
    esc(o, title);
    fprintf(o, "\">\n<text class=\"panel-title\" x=\"%.0f\" y=\"18\">", px);
    esc(o, title);
    fputs("</text>\n<g class=\"grid\">", o);
    for (int t = 0; t <= 4; t++) {
        double v = t / 4.0;
        fprintf(o,
                "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>",
                px, px + pw, Y(v), Y(v), X(v), X(v), py, py + ph);
    }
    fputs("</g>\n", o);
    for (int t = 0; t <= 4; t++) {
        double v = t / 4.0;
        fprintf(o,
                "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"end\">%.0f%%</text>"
                "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"middle\">%.0f%%</text>\n",
                px - 6, Y(v) + 4, 100 * v, X(v), py + ph + 16, 100 * v);
    }
    fprintf(o,
            "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" "
            "text-anchor=\"middle\">share of nodes removed</text>\n",
            px + pw / 2, py + ph + 36);
    if (half_line)
        fprintf(o,
                "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#A33F00\" stroke-dasharray=\"4 3\"/>\n",
                px, px + pw, Y(0.5), Y(0.5));
    for (int q = 0; q < O; q++) {
        const double *m = mean + (size_t)q * (size_t)K;
        const double *l = lo + (size_t)q * (size_t)K;
        const double *h = hi + (size_t)q * (size_t)K;
        int band = 1;
        for (int k = 0; k < K && band; k++)
            band = isfinite(l[k]) && isfinite(h[k]);
        if (band) {
            fprintf(o,
                    "<polygon fill=\"%s\" fill-opacity=\"0.18\" "
                    "stroke=\"none\" points=\"",
                    PAL[q % 6]);
            for (int k = 0; k < K; k++)
                fprintf(o, "%.1f,%.1f ", X(frac[k]),
                        Y(fmin(1, fmax(0, h[k]))));
            for (int k = K - 1; k >= 0; k--)
                fprintf(o, "%.1f,%.1f ", X(frac[k]),
                        Y(fmin(1, fmax(0, l[k]))));
            fputs("\"/>\n", o);
        }
        fprintf(o,
                "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                "stroke-dasharray=\"%s\" points=\"",
                PAL[q % 6], DASH[q % 6]);
        for (int k = 0; k < K; k++)
            fprintf(o, "%.1f,%.1f ", X(frac[k]), Y(m[k]));
        fputs("\"/>\n", o);
        /* legend */
        double ly = py + 10 + 18 * q;
        fprintf(o,
                "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"%s\" stroke-width=\"3\" stroke-dasharray=\"%s\"/>"
                "<text x=\"%.1f\" y=\"%.1f\">",
                px + pw + 16, px + pw + 38, ly, ly, PAL[q % 6], DASH[q % 6],
                px + pw + 44, ly + 4);
        esc(o, names[q]);
        fputs("</text>\n", o);
    }
    fprintf(o,
            "<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
            "height=\"%.1f\"/>\n</svg>\n",
            px, py, pw, ph);
#undef X
#undef Y
}

static const char *METRIC[3] = {"served_demand", "supply_availability",
                                "giant_component"};
static const char *TITLE[3] = {
    "Served demand (functional customers' final demand)",
    "Supply availability (customers with a functional supplier)",
    "Giant component (largest connected piece of the network)"};
static const char *CAPTION[3] = {
    "A customer is served when every input group along its chain keeps "
    "a functional supplier (AND over groups, OR within one).  Lines: mean "
    "over replications; shaded: 95% interval of the mean; dashed: 50%.",
    "Customers that still receive something from at least one functional "
    "supplier: the weaker question \"does anything arrive?\".",
    "Connectivity alone, links undirected.  It overstates resilience when "
    "products need every input: compare with served demand."};

typedef struct {
    int i;
    double p;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* A sweep file's contents, checked by sweep_read. */
typedef struct {
    char *name, *cmd;     /* root attributes scenario_name and command */
    int has_curves;       /* /sweep/order: the curves of removal orders */
    hsize_t O, K, N;      /* orders, fractions, nodes of p_served */
    char **names, **node; /* the orders' names; /sweep/node */
    double *frac, *crit;  /* /sweep/fraction, /sweep/critical_fraction */
    double *m[3][3];      /* METRIC's mean, ci95_low, ci95_high [O, K] */
    double *ps;           /* /sweep/p_served, NULL when absent */
} sweep_file;

/* The number of fractions, K, from /sweep/fraction's shape (2 to 100000). */
static void fraction_count(rd *r, hsize_t *K)
{
    hid_t d = H5Dopen2(r->f, "/sweep/fraction", H5P_DEFAULT);
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    if (s >= 0 && H5Sget_simple_extent_ndims(s) == 1)
        H5Sget_simple_extent_dims(s, K, NULL);
    if (s >= 0)
        H5Sclose(s);
    if (d >= 0)
        H5Dclose(d);
    if (*K < 2 || *K > 100000)
        problem(r, "/sweep/fraction", "expected 2 to 100000 fractions");
}

/* The curves: orders, fractions, each metric's mean and interval, the
 * critical fractions. */
static void read_curves(rd *r, sweep_file *w)
{
    w->names = read_strs(r, "/sweep/order", RP_SWEEP_N_ORDERS, &w->O);
    for (hsize_t q = 0; !r->bad && q < w->O; q++)
        if (rp_sweep_order_of(w->names[q]) < 0)
            problem(r, "/sweep/order", "expected the names of orders");
    if (!r->bad)
        fraction_count(r, &w->K);
    w->frac = read_f64(r, "/sweep/fraction", 1, &w->K, 1);
    for (hsize_t k = 0; !r->bad && k < w->K; k++)
        if (!(w->frac[k] >= 0 && w->frac[k] <= 1) ||
            (k > 0 && !(w->frac[k] > w->frac[k - 1])))
            problem(r, "/sweep/fraction",
                    "expected increasing values in [0, 1]");
    hsize_t dk[2] = {w->O, w->K};
    static const char *SUF[3] = {"_mean", "_ci95_low", "_ci95_high"};
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            char p[96];
            snprintf(p, sizeof p, "/sweep/%s%s", METRIC[a], SUF[b]);
            w->m[a][b] = read_f64(r, p, 2, dk, 1);
            for (size_t i = 0; !r->bad && i < w->O * w->K; i++) {
                /* a mean of shares may pass 1 by a rounding (the served
                 * demand summed in another order than its total: 1 +
                 * 2.2e-16 on Willems 38), not by more */
                double v = w->m[a][b][i];
                if (b == 0 ? !(v >= -1e-9 && v <= 1 + 1e-9)
                           : !(isnan(v) || (v > -1 && v < 2)))
                    problem(r, p, "expected shares in [0, 1]");
            }
        }
    w->crit = read_f64(r, "/sweep/critical_fraction", 1, &w->O, 1);
    for (hsize_t q = 0; !r->bad && q < w->O; q++)
        if (!(isnan(w->crit[q]) || (w->crit[q] >= 0 && w->crit[q] <= 1)))
            problem(r, "/sweep/critical_fraction",
                    "expected shares in [0, 1]");
}

/* Everything the page shows, checked (r->bad after a problem). */
static void sweep_read(rd *r, sweep_file *w)
{
    w->name = root_attr(r, "scenario_name");
    w->cmd = root_attr(r, "command");
    w->has_curves = H5Lexists(r->f, "/sweep", H5P_DEFAULT) > 0 &&
                    H5Lexists(r->f, "/sweep/order", H5P_DEFAULT) > 0;
    if (H5Lexists(r->f, "/sweep", H5P_DEFAULT) <= 0)
        problem(r, "/sweep", "missing");
    if (w->has_curves)
        read_curves(r, w);
    if (!r->bad && H5Lexists(r->f, "/sweep/p_served", H5P_DEFAULT) > 0) {
        w->node = read_strs(r, "/sweep/node", (hsize_t)1 << 31, &w->N);
        w->ps = read_f64(r, "/sweep/p_served", 1, &w->N, 1);
        for (hsize_t i = 0; !r->bad && i < w->N; i++)
            if (!(isnan(w->ps[i]) || (w->ps[i] >= 0 && w->ps[i] <= 1)))
                problem(r, "/sweep/p_served", "expected shares in [0, 1]");
    }
    if (!r->bad && !w->has_curves && w->ps == NULL)
        problem(r, "/sweep", "holds neither curves nor p_served");
}

static void sweep_free(sweep_file *w)
{
    free_strs(w->names, w->O);
    free_strs(w->node, w->N);
    free(w->frac);
    free(w->crit);
    free(w->ps);
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            free(w->m[a][b]);
    H5free_memory(w->name);
    H5free_memory(w->cmd);
}

/* The page from its first line to the introduction under the title. */
static void page_head(FILE *o, const char *in, const sweep_file *w)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
          "charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-"
          "Policy\" content=\"default-src 'none'; style-src "
          "'unsafe-inline'; img-src data:\">\n<meta name=\"viewport\" "
          "content=\"width=device-width, initial-scale=1\">\n<link "
          "rel=\"icon\" href=\"data:,\">\n<title>Ripple sweep: ",
          o);
    esc(o, w->name != NULL ? w->name : in);
    fputs("</title>\n<style>\n@page{size:A4 portrait;margin:14mm 13mm}\n"
          "body{font-family:'DejaVu Sans','Liberation Sans',Arial,"
          "sans-serif;color:#1a1a1a;max-width:760px;margin:0 auto;"
          "padding:16px;font-size:13px;line-height:1.45}\n"
          "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:"
          "22px 0 8px;border-bottom:2px solid #0072B2}\n"
          ".sub{color:#555}table{border-collapse:collapse;margin:6px 0 "
          "12px;font-size:12px}th,td{border-bottom:1px solid #ddd;"
          "padding:3px 8px;text-align:left}th{background:#f2f5f8}\n"
          "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
          "figure{margin:8px 0 14px;break-inside:avoid}figure svg{width:"
          "100%;height:auto}figcaption{font-size:11.5px;color:#444}\n"
          "svg text{font-family:inherit;font-size:12px}svg .tick{font-"
          "size:11px;fill:#444}svg .axis-title{font-weight:bold}\n"
          "svg .panel-title{font-size:13px;font-weight:bold}\n"
          "svg .grid line{stroke:#e3e3e3}svg .frame{fill:none;stroke:"
          "#999}\n</style>\n</head>\n<body>\n<h1>Structural sweep: ",
          o);
    esc(o, w->name != NULL ? w->name : in);
    fputs("</h1>\n<p class=\"sub\">How much of the network can fail "
          "before the chain falls apart, and which way of failing hurts "
          "most.  Stock, capacity and time are ignored: the loss shown "
          "is what no buffer saves once an outage outlasts it.</p>\n",
          o);
    if (w->cmd != NULL) {
        fputs("<p class=\"sub\">", o);
        esc(o, w->cmd);
        fputs("</p>\n", o);
    }
}

/* The table of critical fractions, then a panel a metric. */
static void curves(FILE *o, const sweep_file *w)
{
    /* the columns at the fraction nearest 20% removed, as `ripple sweep`
     * prints them (served@.2, giant@0.2) */
    size_t K = (size_t)w->K, k20 = 0;
    for (size_t k = 0; k < K; k++)
        if (fabs(w->frac[k] - 0.2) < fabs(w->frac[k20] - 0.2))
            k20 = k;
    fprintf(o,
            "<h2>Critical fractions</h2>\n<table class=\"data\">"
            "<tr><th>removal order</th><th>critical fraction</th>"
            "<th>served at %.0f%% removed</th><th>giant component "
            "at %.0f%%</th></tr>\n",
            100 * w->frac[k20], 100 * w->frac[k20]);
    for (hsize_t q = 0; q < w->O; q++) {
        fputs("<tr><td>", o);
        esc(o, w->names[q]);
        fprintf(o,
                "</td><td class=\"num\">%.1f%%</td><td "
                "class=\"num\">%.1f%%</td><td class=\"num\">%.1f%%"
                "</td></tr>\n",
                100 * w->crit[q], 100 * w->m[0][0][q * K + k20],
                100 * w->m[2][0][q * K + k20]);
    }
    fputs("</table>\n<p class=\"sub\">The critical fraction is the "
          "first share of nodes removed at which the mean served "
          "demand falls below 50%.  random: failure tolerance; the "
          "other orders: attacks on the most connected, central or "
          "loaded sites.</p>\n",
          o);
    for (int a = 0; a < 3; a++) {
        fprintf(o, "<h2>%s</h2>\n",
                a == 0   ? "Served demand"
                : a == 1 ? "Supply availability"
                         : "Giant component");
        panel(o, TITLE[a], w->frac, (int)K, (int)w->O, w->names, w->m[a][0],
              w->m[a][1], w->m[a][2], a == 0);
        fprintf(o, "<figcaption>%s</figcaption></figure>\n", CAPTION[a]);
    }
}

/* Under independent failures: the ten customers least often served. */
static void least_served(FILE *o, const sweep_file *w)
{
    ranked *rk = malloc((size_t)(w->N ? w->N : 1) * sizeof *rk);
    size_t nr = 0;
    for (hsize_t i = 0; rk != NULL && i < w->N; i++)
        if (!isnan(w->ps[i]))
            rk[nr++] = (ranked){(int)i, w->ps[i]};
    if (rk != NULL)
        qsort(rk, nr, sizeof *rk, cmp_ranked);
    fputs("<h2>Independent failures: the least-served "
          "customers</h2>\n<table class=\"data\"><tr><th>customer"
          "</th><th>probability served</th></tr>\n",
          o);
    for (size_t j = 0; rk != NULL && j < nr && j < 10; j++) {
        fputs("<tr><td>", o);
        esc(o, w->node[rk[j].i]);
        fprintf(o, "</td><td class=\"num\">%.3f</td></tr>\n", rk[j].p);
    }
    fputs("</table>\n", o);
    free(rk);
}

/* The whole page into *page (*len bytes; an error when out of memory). */
static void sweep_page(const char *in, const sweep_file *w, char **page,
                       size_t *len, rp_errors *err)
{
    FILE *o = open_memstream(page, len);
    if (o == NULL) {
        rp_err_runtime(err, "out of memory");
        return;
    }
    page_head(o, in, w);
    if (w->has_curves)
        curves(o, w);
    if (w->ps != NULL)
        least_served(o, w);
    fputs("<footer>Ripple structural sweep (docs/sweep.md).</footer>\n"
          "</body>\n</html>\n",
          o);
    if (fclose(o) != 0)
        rp_err_runtime(err, "out of memory");
}

rp_status rp_sweep_report(const char *in, const char *out, rp_errors *err)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    rd r = {in, H5Fopen(in, H5F_ACC_RDONLY, H5P_DEFAULT), err, 0};
    if (r.f < 0)
        return rp_err_add(err, "%s: cannot open as HDF5", in);
    sweep_file w;
    memset(&w, 0, sizeof w);
    sweep_read(&r, &w);
    H5Fclose(r.f);
    char *page = NULL;
    size_t len = 0;
    if (!r.bad)
        sweep_page(in, &w, &page, &len, err);
    if (!rp_err_any(err) && page != NULL)
        rp_report_write(out, page, len, err);
    free(page);
    sweep_free(&w);
    return rp_err_status(err);
}
