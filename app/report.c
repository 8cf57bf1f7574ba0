/* `ripple report`: a results file as one HTML page (docs/report.md).
 *
 * The page is self-contained: CSS in a <style> element, charts as inline
 * SVG, no scripts, no fonts but the reader's own, no address but data:.
 * The results file is input: it is first checked whole the way `ripple
 * inspect` checks it (rp_inspect), and every dataset used here is checked
 * again where it is read (type class, rank, shape against the file's own
 * /strategy, /day, ... and the ranges used), so a damaged file gives
 * `FILE: OBJECT: expected ..., found ...` and no page. */
#define _POSIX_C_SOURCE 200809L
#include "ripple/report.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <hdf5.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "h5read.h"
#include "ripple/files.h"
#include "ripple/h5names.h"
#include "ripple/inspect.h"
#include "ripple/sc_h5names.h"
#include "ripple/sweep.h"
#include "ripple/util.h"

static const char *HELP_REPORT =
    "ripple report OUT.h5 [options]\n"
    "  One self-contained HTML page of a results file for a manager: the\n"
    "  recommendation, loss exceedance, daily service, net benefit of the\n"
    "  strategies, the risk register, the most critical sites (run files);\n"
    "  time to survive against time to recover (stress files).  Inline SVG\n"
    "  and CSS, no scripts, no network; prints on A4 portrait.\n"
    "  -o, --output F.html   the page (default: OUT.html beside OUT.h5,\n"
    "                        OUT being the results file's name less .h5)\n"
    "  -q, --quiet           print nothing but errors\n"
    "  -h, --help            this help\n";

/* Okabe-Ito: told apart with any colour vision. */
static const char *const PAL[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                  "#CC79A7", "#56B4E9", "#000000", "#999999"};
#define NPAL 8
static const char *const DASH[] = {"", "7 3", "2 2", "9 3 2 3"};
#define HI "#D55E00" /* highlight (exposed sites, the recommendation) */
#define BASE "#0072B2"

#define SVG_W 720.0
#define MAX_NAME 60 /* characters of a name shown in a chart */
#define MAX_SERIES 24

/* ---- a growing text buffer ---- */

typedef struct {
    char *s;
    size_t len, cap;
    int oom;
} sb;

static void sb_put(sb *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (p == NULL) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_printf(sb *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sb_printf(sb *b, const char *fmt, ...)
{
    char small[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        sb_put(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (big == NULL) {
        b->oom = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_put(b, big, (size_t)n);
    free(big);
}

/* What stands for a character in HTML and SVG text and attributes. */
static const char *const ENTITY[0x80] = {['&'] = "&amp;",
                                         ['<'] = "&lt;",
                                         ['>'] = "&gt;",
                                         ['"'] = "&quot;",
                                         ['\''] = "&#39;"};

/* Text from the file, escaped for HTML and SVG; at most `max` characters
 * (UTF-8 sequences kept whole; "..." when cut; 0: no limit); control
 * characters shown as '?'. */
static void sb_esc_n(sb *b, const char *s, size_t max)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) != 0x80) {
            if (max > 0 && chars == max) {
                sb_put(b, "...", 3);
                return;
            }
            chars++;
        }
        const char *e = *p < 0x80 ? ENTITY[*p] : NULL;
        if (e != NULL)
            sb_put(b, e, strlen(e));
        else if (*p < 0x20 || *p == 0x7F)
            sb_put(b, "?", 1);
        else
            sb_put(b, (const char *)p, 1);
    }
}

static void sb_esc(sb *b, const char *s)
{
    sb_esc_n(b, s, 0);
}

static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += (*s & 0xC0) != 0x80;
    return n;
}

/* ---- reading the results file, checked (app/h5read.h) ---- */

typedef rp_h5r rd;

static hsize_t count_of(int rank, const hsize_t *d)
{
    hsize_t n = 1;
    for (int k = 0; k < rank; k++)
        n *= d[k];
    return n;
}

/* Numbers of dataset `p` of `rank` dimensions `want` (a 0 in want: any
 * size, stored in want) as doubles (NULL on a problem, reported). */
static double *read_num(rd *r, const char *p, int rank, hsize_t *want)
{
    hid_t d = rp_h5r_open_sized(r, p, RP_H5R_NUM, rank, want);
    if (d < 0)
        return NULL;
    double *v = rp_h5r_read_f64(r, p, d, count_of(rank, want));
    H5Oclose(d);
    return v;
}

/* A dataset of shape [a] or [a, b] with sizes known. */
static double *read_1(rd *r, const char *p, hsize_t a)
{
    hsize_t w[1] = {a};
    return read_num(r, p, 1, w);
}

static double *read_2(rd *r, const char *p, hsize_t a, hsize_t b)
{
    hsize_t w[2] = {a, b};
    return read_num(r, p, 2, w);
}

/* Strings of 1-D dataset `p` (*n: its size, 0 to take the file's). */
static char **read_strs(rd *r, const char *p, hsize_t *n)
{
    hid_t d = rp_h5r_open_sized(r, p, RP_H5R_STR, 1, n);
    if (d < 0)
        return NULL;
    char **v = rp_h5r_read_strs(r, p, d, *n);
    H5Oclose(d);
    return v;
}

/* Object `obj` opened for its attributes (-1 when absent: reported when
 * required). */
static hid_t open_for_attr(rd *r, const char *obj, int required)
{
    if (rp_h5r_exists(r, obj))
        return H5Oopen(r->file, obj, H5P_DEFAULT);
    if (required)
        rp_h5r_problem(r, obj,
                       "expected an object with attributes, found nothing");
    return -1;
}

/* String attribute `name` of object `obj` (free with H5free_memory; NULL
 * when absent and not required, or on a problem). */
static char *attr_str(rd *r, const char *obj, const char *name, int required)
{
    hid_t o = open_for_attr(r, obj, required);
    if (o < 0)
        return NULL;
    char *s = rp_h5r_attr_str(r, o, obj, name, required);
    H5Oclose(o);
    return s;
}

/* n numbers of attribute `name` of `obj`; 0 when read, -1 when absent
 * (reported when required) or on a problem (reported). */
static int attr_nums(rd *r, const char *obj, const char *name, double *v,
                     hsize_t n, int required)
{
    hid_t o = open_for_attr(r, obj, required);
    if (o < 0)
        return -1;
    int rc = rp_h5r_attr_nums(r, o, obj, name, RP_H5R_NUM, n == 1 ? 0 : n,
                              H5T_NATIVE_DOUBLE, v, required);
    H5Oclose(o);
    return rc;
}

/* Every value finite and within [lo, hi] (NaN allowed when nan_ok)? */
static int check_range(rd *r, const char *p, const double *v, size_t n,
                       double lo, double hi, int nan_ok)
{
    for (size_t i = 0; i < n; i++) {
        if (isnan(v[i]) && nan_ok)
            continue;
        /* (shares summed in floating point may pass 1 by a rounding) */
        if (!(v[i] >= lo - 1e-9 && v[i] <= hi + 1e-9)) {
            rp_h5r_problem(r, p,
                           "expected values in [%g, %g], found %g at %zu", lo,
                           hi, v[i], i);
            return 0;
        }
    }
    return 1;
}

/* ---- numbers in words ---- */

/* A value for a reader: 3 significant digits, k / M / bn. */
static void fmt_val(char *b, size_t n, double v)
{
    double a = fabs(v);
    if (!isfinite(v))
        snprintf(b, n, "n/a");
    else if (a >= 1e9)
        snprintf(b, n, "%.3g bn", v / 1e9);
    else if (a >= 1e6)
        snprintf(b, n, "%.3gM", v / 1e6);
    else if (a >= 1e4)
        snprintf(b, n, "%.3gk", v / 1e3);
    else if (a >= 1 || a == 0)
        snprintf(b, n, "%.0f", v);
    else
        snprintf(b, n, "%.2g", v);
}

static void fmt_pct(char *b, size_t n, double v)
{
    if (!isfinite(v))
        snprintf(b, n, "n/a");
    else if (v != 0 && fabs(v) < 0.001)
        snprintf(b, n, "%.2g%%", 100 * v);
    else if (v != 0 && fabs(v) < 0.1)
        snprintf(b, n, "%.1f%%", 100 * v);
    else
        snprintf(b, n, "%.0f%%", 100 * v);
}

/* ---- charts ---- */

typedef struct {
    double px, py, pw, ph; /* the plot area */
    double x0, x1, y0, y1;
    int logy;
} axes;

static double mx(const axes *a, double x)
{
    return a->px + (x - a->x0) / (a->x1 - a->x0) * a->pw;
}

static double my(const axes *a, double y)
{
    if (a->logy)
        return a->py + a->ph -
               (log10(y) - log10(a->y0)) / (log10(a->y1) - log10(a->y0)) *
                   a->ph;
    return a->py + a->ph - (y - a->y0) / (a->y1 - a->y0) * a->ph;
}

/* A step of 1, 2 or 5 times a power of ten giving about n intervals. */
static double nice_step(double range, int n)
{
    if (!(range > 0))
        return 1;
    double raw = range / n, p = pow(10, floor(log10(raw)));
    double m = raw / p;
    return p * (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10);
}

/* Widen [lo, hi] to whole steps. */
static void nice_range(double *lo, double *hi, int n)
{
    if (!(*hi > *lo))
        *hi = *lo + 1;
    double s = nice_step(*hi - *lo, n);
    *lo = floor(*lo / s) * s;
    *hi = ceil(*hi / s) * s;
}

enum { F_VAL, F_PCT, F_INT };

static void fmt_tick(char *b, size_t n, double v, int f)
{
    if (f == F_PCT)
        fmt_pct(b, n, v);
    else if (f == F_INT)
        snprintf(b, n, "%.0f", v);
    else
        fmt_val(b, n, v);
}

static void svg_open(sb *b, double h, const char *label)
{
    sb_printf(b,
              "<svg viewBox=\"0 0 %.0f "
              "%.0f\" role=\"img\" aria-label=\"",
              SVG_W, h);
    sb_esc(b, label);
    sb_printf(b, "\"><title>");
    sb_esc(b, label);
    sb_printf(b, "</title>\n");
}

static void text(sb *b, double x, double y, const char *anchor,
                 const char *cls, const char *s, size_t max)
{
    sb_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"", x, y,
              anchor);
    if (cls != NULL)
        sb_printf(b, " class=\"%s\"", cls);
    sb_printf(b, ">");
    sb_esc_n(b, s, max);
    sb_printf(b, "</text>\n");
}

/* A horizontal grid line at y, labelled on the left. */
static void y_grid(sb *b, const axes *a, double y, const char *label)
{
    double Y = my(a, y);
    sb_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
              a->px, Y, a->px + a->pw, Y);
    text(b, a->px - 6, Y + 4, "end", "tick", label, 0);
}

/* Grid, ticks and the titles of the axes (each title names its unit). */
static void draw_axes(sb *b, const axes *a, const char *xt, int xf,
                      const char *yt, int yf)
{
    char t[64];
    sb_printf(b, "<g class=\"grid\">\n");
    double s = nice_step(a->x1 - a->x0, 6);
    for (double x = ceil(a->x0 / s - 1e-9) * s; x <= a->x1 + s * 1e-9;
         x += s) {
        double X = mx(a, x);
        sb_printf(b,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                  X, a->py, X, a->py + a->ph);
        fmt_tick(t, sizeof t, fabs(x) < s * 1e-9 ? 0 : x, xf);
        text(b, X, a->py + a->ph + 16, "middle", "tick", t, 0);
    }
    if (a->logy) {
        for (double y = a->y1; y >= a->y0 * 0.999; y /= 10) {
            fmt_pct(t, sizeof t, y);
            y_grid(b, a, y, t);
        }
    } else {
        s = nice_step(a->y1 - a->y0, 5);
        for (double y = ceil(a->y0 / s - 1e-9) * s; y <= a->y1 + s * 1e-9;
             y += s) {
            fmt_tick(t, sizeof t, fabs(y) < s * 1e-9 ? 0 : y, yf);
            y_grid(b, a, y, t);
        }
    }
    sb_printf(b,
              "</g>\n<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" "
              "width=\"%.1f\" height=\"%.1f\"/>\n",
              a->px, a->py, a->pw, a->ph);
    if (xt != NULL)
        text(b, a->px + a->pw / 2, a->py + a->ph + 36, "middle", "axis-title",
             xt, 0);
    if (yt != NULL) {
        double X = 16, Y = a->py + a->ph / 2;
        sb_printf(b,
                  "<text class=\"axis-title\" text-anchor=\"middle\" "
                  "transform=\"translate(%.1f %.1f) rotate(-90)\">",
                  X, Y);
        sb_esc(b, yt);
        sb_printf(b, "</text>\n");
    }
}

/* A legend in rows from (x, y); kinds: 'l' line, 'b' band, 'd' dot,
 * 't' triangle.  Returns the height used. */
typedef struct {
    const char *label, *colour, *dash;
    char kind;
} legend_item;

static double legend_width(const legend_item *it)
{
    size_t n = utf8_len(it->label);
    return 48 + 6.9 * (double)(n < 44 ? n : 47);
}

/* (b NULL: the height only) */
static double legend(sb *b, double x, double y, const legend_item *it, int n)
{
    double cx = x, cy = y, right = SVG_W - 10;
    for (int i = 0; i < n; i++) {
        double w = legend_width(&it[i]);
        if (cx + w > right && cx > x) {
            cx = x;
            cy += 18;
        }
        if (b == NULL) {
            cx += w;
            continue;
        }
        sb_printf(b, "<g class=\"legend\">");
        if (it[i].kind == 'l')
            sb_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                      "stroke=\"%s\" stroke-width=\"2.5\" "
                      "stroke-dasharray=\"%s\"/>",
                      cx, cy - 4, cx + 22, cy - 4, it[i].colour,
                      it[i].dash ? it[i].dash : "");
        else if (it[i].kind == 'b')
            sb_printf(b,
                      "<rect x=\"%.1f\" y=\"%.1f\" width=\"22\" height=\"10\" "
                      "fill=\"%s\" fill-opacity=\"0.25\"/>",
                      cx, cy - 9, it[i].colour);
        else if (it[i].kind == 't')
            sb_printf(b, "<path d=\"M%.1f %.1fl6 10h-12z\" fill=\"%s\"/>",
                      cx + 11, cy - 11, it[i].colour);
        else
            sb_printf(b,
                      "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\" "
                      "fill-opacity=\"%s\"/>",
                      cx + 11, cy - 4, it[i].colour,
                      it[i].kind == 'o' ? "1" : "0.6");
        sb_printf(b, "</g>\n");
        text(b, cx + 28, cy, "start", "legend-text", it[i].label, 44);
        cx += w;
    }
    return cy - y + 18;
}

/* ---- the report ---- */

typedef struct {
    rd r;
    sb *b;
    int notes;
    char unit[64]; /* the unit of value: the currency, or "value units" */
    /* run files */
    hsize_t S, R, T, Q, N, H;
    char **strategy;
    int rec; /* the recommended strategy, or -1 */
} report;

static void note(report *p, const char *what, const char *why)
{
    sb_printf(p->b, "<p class=\"note\">Left out: ");
    sb_esc(p->b, what);
    sb_printf(p->b, " (%s).</p>\n", why);
    p->notes++;
}

/* The rest of a section whose data the file lacks: the note, the end. */
static void left_out(report *p, const char *what, const char *why)
{
    note(p, what, why);
    sb_printf(p->b, "</section>\n");
}

static void section(report *p, const char *id, const char *title)
{
    sb_printf(p->b, "<section id=\"%s\"><h2>", id);
    sb_esc(p->b, title);
    sb_printf(p->b, "</h2>\n");
}

static const char *colour(int i)
{
    return PAL[i % NPAL];
}

static const char *dash(int i)
{
    return DASH[(i / NPAL) % 4];
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Loss exceedance: P(lost value >= x) per strategy, log scale. */
static void loss_exceedance(report *p)
{
    rd *r = &p->r;
    sb *b = p->b;
    section(p, "loss", "How much could be lost");
    if (!rp_h5r_exists(r, "/replication/lost_value")) {
        left_out(p, "the losses of each replication",
                 "no /replication/lost_value");
        return;
    }
    double *v = read_2(r, "/replication/lost_value", p->S, p->R);
    if (v == NULL)
        return;
    size_t S = (size_t)p->S, R = (size_t)p->R;
    double xmax = 0;
    for (size_t i = 0; i < S * R; i++) {
        if (!(v[i] >= 0 && isfinite(v[i]))) {
            rp_h5r_problem(r, "/replication/lost_value",
                           "expected finite values >= 0, found %g at %zu",
                           v[i], i);
            free(v);
            return;
        }
        if (v[i] > xmax)
            xmax = v[i];
    }
    for (size_t s = 0; s < S; s++)
        qsort(v + s * R, R, sizeof *v, cmp_dbl);
    char xt[160];
    snprintf(xt, sizeof xt, "Lost value over the horizon (%s)", p->unit);
    sb_printf(b, "<figure>\n");
    size_t ns = S < MAX_SERIES ? S : MAX_SERIES;
    legend_item it[MAX_SERIES];
    for (size_t s = 0; s < ns; s++)
        it[s] =
            (legend_item){p->strategy[s], colour((int)s), dash((int)s), 'l'};
    double lh = legend(NULL, 80, 18, it, (int)ns);
    axes a = {80, 18 + lh, SVG_W - 100, 300, 0, xmax, 1, 1, 1};
    double lo = 1.0 / (double)R;
    a.y0 = pow(10, floor(log10(lo) + 1e-9));
    if (a.y0 > 0.1)
        a.y0 = 0.1; /* (one replication) */
    double ymin = a.y0;
    nice_range(&a.x0, &a.x1, 6);
    svg_open(b, a.py + a.ph + 50,
             "Loss exceedance curve: probability of losing at least a value");
    legend(b, a.px, 18, it, (int)ns);
    draw_axes(b, &a, xt, F_VAL,
              "P(loss at least x) (share of replications, log)", F_PCT);
    for (size_t s = 0; s < ns; s++) {
        const double *x = v + s * R;
        sb_printf(b,
                  "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" "
                  "stroke-width=\"2\" stroke-dasharray=\"%s\" points=\"",
                  colour((int)s), dash((int)s));
        /* points closer than half a pixel to the last one drawn are left
         * out (a curve of 100,000 replications stays small) */
        double lastX = mx(&a, 0), lastY = my(&a, 1);
        sb_printf(b, "%.1f,%.1f", lastX, lastY);
        for (size_t i = 0; i < R;) {
            size_t j = i;
            while (j < R && x[j] == x[i])
                j++;
            /* P(L >= x[i]) = (R - i) / R; just above x[i]: (R - j) / R */
            double pa = (double)(R - i) / (double)R;
            double pb = (double)(R - j) / (double)R;
            double X = mx(&a, x[i]);
            double Y1 = my(&a, pa), Y2 = pb >= ymin ? my(&a, pb) : -1;
            if (Y2 < 0)
                Y2 = a.py + a.ph; /* no replication loses more */
            double pt[2] = {Y1, Y2};
            for (int k = 0; k < 2; k++)
                if (fabs(X - lastX) >= 0.5 || fabs(pt[k] - lastY) >= 0.5 ||
                    (j == R && k == 1)) {
                    sb_printf(b, " %.1f,%.1f", X, pt[k]);
                    lastX = X;
                    lastY = pt[k];
                }
            i = j;
        }
        sb_printf(b, "\"/>\n");
    }
    sb_printf(b, "</svg>\n");
    char m0[32], m1[32], m2[32];
    size_t zero = 0;
    while (zero < R && v[zero] == 0)
        zero++;
    fmt_pct(m0, sizeof m0, (double)(R - zero) / (double)R);
    fmt_val(m1, sizeof m1, v[R / 2]);
    fmt_val(m2, sizeof m2, v[(size_t)floor(0.99 * (double)(R - 1))]);
    sb_printf(b,
              "<figcaption>Loss exceedance: the share of the %zu "
              "replications in which the network loses at least the value "
              "on the horizontal axis over the horizon. Curves further left "
              "and lower are better. Without a strategy (",
              R);
    sb_esc(b, p->strategy[0]);
    sb_printf(b,
              ") %s of the replications lose anything; the median loss is "
              "%s %s, one replication in a hundred loses more than %s %s.",
              m0, m1, p->unit, m2, p->unit);
    if (ns < S)
        sb_printf(b, " The first %zu of %zu strategies are drawn.", ns, S);
    sb_printf(b, "</figcaption></figure>\n");
    /* the same in figures */
    sb_printf(b,
              "<table class=\"data\"><thead><tr><th>Strategy</th>"
              "<th>P(any loss)</th><th>Mean loss (%s)</th><th>Median "
              "(%s)</th><th>1 in 20 loses more than (%s)</th><th>1 in 100 "
              "loses more than (%s)</th></tr></thead><tbody>\n",
              p->unit, p->unit, p->unit, p->unit);
    for (size_t s = 0; s < S; s++) {
        const double *x = v + s * R;
        double sum = 0;
        size_t z = 0;
        for (size_t i = 0; i < R; i++) {
            sum += x[i];
            z += x[i] == 0;
        }
        char c[5][32];
        fmt_pct(c[0], 32, (double)(R - z) / (double)R);
        fmt_val(c[1], 32, sum / (double)R);
        fmt_val(c[2], 32, x[R / 2]);
        fmt_val(c[3], 32, x[(size_t)floor(0.95 * (double)(R - 1))]);
        fmt_val(c[4], 32, x[(size_t)floor(0.99 * (double)(R - 1))]);
        sb_printf(b, "<tr%s><td>", (int)s == p->rec ? " class=\"rec\"" : "");
        sb_esc(b, p->strategy[s]);
        sb_printf(b,
                  "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                  "<td class=\"num\">%s</td><td class=\"num\">%s</td>"
                  "<td class=\"num\">%s</td></tr>\n",
                  c[0], c[1], c[2], c[3], c[4]);
    }
    sb_printf(b, "</tbody></table>\n</section>\n");
    free(v);
}

/* Daily service: a panel a strategy. */
static void service(report *p, double target)
{
    rd *r = &p->r;
    sb *b = p->b;
    section(p, "service", "Daily service over the horizon");
    if (!rp_h5r_exists(r, RP_H5G_TIMESERIES)) {
        left_out(p, "daily service levels", "no /timeseries group");
        return;
    }
    size_t S = (size_t)p->S, T = (size_t)p->T;
    hsize_t qn = 0;
    double *q = NULL, *band = NULL, *mean = NULL, *pb = NULL;
    hsize_t w1[1] = {0};
    q = read_num(r, RP_H5_QUANTILE, 1, w1);
    qn = w1[0];
    if (q != NULL) {
        hsize_t w3[3] = {p->S, p->T, qn};
        band = read_num(r, RP_H5_TS_QUANTILES, 3, w3);
        mean = read_2(r, RP_H5_TS_MEAN, p->S, p->T);
        pb = read_2(r, RP_H5_TS_BELOW, p->S, p->T);
    }
    if (band == NULL || mean == NULL || pb == NULL ||
        !check_range(r, RP_H5_QUANTILE, q, (size_t)qn, 0, 1, 0) ||
        !check_range(r, RP_H5_TS_QUANTILES, band, S * T * (size_t)qn, 0, 1,
                     0) ||
        !check_range(r, RP_H5_TS_MEAN, mean, S * T, 0, 1, 0) ||
        !check_range(r, RP_H5_TS_BELOW, pb, S * T, 0, 1, 0))
        goto out;
    size_t q05 = 0, q95 = 0;
    for (size_t k = 0; k < (size_t)qn; k++) {
        if (fabs(q[k] - 0.05) < fabs(q[q05] - 0.05))
            q05 = k;
        if (fabs(q[k] - 0.95) < fabs(q[q95] - 0.95))
            q95 = k;
    }
    char qs[80];
    snprintf(qs, sizeof qs, "%g-%g%% of replications", 100 * q[q05],
             100 * q[q95]);
    for (size_t s = 0; s < S; s++) {
        char label[200];
        snprintf(label, sizeof label, "Daily service level, strategy %.100s",
                 p->strategy[s]);
        sb_printf(b, "<figure class=\"panel\">\n");
        legend_item it[4] = {{"mean service", BASE, "", 'l'},
                             {qs, BASE, "", 'b'},
                             {"P(below target)", HI, "5 3", 'l'},
                             {"service target", "#555555", "2 3", 'l'}};
        int nl = isfinite(target) ? 4 : 3;
        double lh = legend(NULL, 80, 38, it, nl);
        axes a = {80,  30 + lh, SVG_W - 100,
                  170, 0,       (double)(T > 1 ? T - 1 : 1),
                  0,   1,       0};
        svg_open(b, a.py + a.ph + 48, label);
        text(b, a.px, 16, "start", "panel-title", p->strategy[s], MAX_NAME);
        legend(b, a.px, 38, it, nl);
        draw_axes(b, &a, "Day of the horizon (days)", F_INT, "Share (0-100%)",
                  F_PCT);
        /* the band: the high quantile forwards, the low one back */
        const double *bs = band + s * T * (size_t)qn;
        sb_printf(b,
                  "<path class=\"band\" fill=\"%s\" fill-opacity=\"0.22\" "
                  "d=\"",
                  BASE);
        for (size_t t = 0; t < T; t++)
            sb_printf(b, "%s%.1f %.1f", t ? "L" : "M", mx(&a, (double)t),
                      my(&a, bs[t * qn + q95]));
        for (size_t t = T; t-- > 0;)
            sb_printf(b, "L%.1f %.1f", mx(&a, (double)t),
                      my(&a, bs[t * qn + q05]));
        sb_printf(b, "Z\"/>\n");
        if (isfinite(target))
            sb_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                      "stroke=\"#555555\" stroke-dasharray=\"2 3\"/>\n",
                      a.px, my(&a, target), a.px + a.pw, my(&a, target));
        const double *series[2] = {mean + s * T, pb + s * T};
        for (int k = 0; k < 2; k++) {
            sb_printf(b,
                      "<polyline class=\"series\" fill=\"none\" "
                      "stroke=\"%s\" stroke-width=\"%s\" "
                      "stroke-dasharray=\"%s\" points=\"",
                      k ? HI : BASE, k ? "1.6" : "2", k ? "5 3" : "");
            for (size_t t = 0; t < T; t++)
                sb_printf(b, "%s%.1f,%.1f", t ? " " : "", mx(&a, (double)t),
                          my(&a, series[k][t]));
            sb_printf(b, "\"/>\n");
        }
        sb_printf(b, "</svg>\n");
        double avg = 0, worst = 1, pmax = 0;
        size_t worst_t = 0;
        for (size_t t = 0; t < T; t++) {
            avg += mean[s * T + t];
            if (mean[s * T + t] < worst) {
                worst = mean[s * T + t];
                worst_t = t;
            }
            if (pb[s * T + t] > pmax)
                pmax = pb[s * T + t];
        }
        char m0[32], m1[32], m2[32];
        fmt_pct(m0, sizeof m0, avg / (double)T);
        fmt_pct(m1, sizeof m1, worst);
        fmt_pct(m2, sizeof m2, pmax);
        sb_printf(b,
                  "<figcaption>Mean service %s over the horizon, lowest %s "
                  "(day %zu); on the worst day %s of replications are below "
                  "target.</figcaption></figure>\n",
                  m0, m1, worst_t, m2);
    }
out:
    sb_printf(b, "</section>\n");
    free(q);
    free(band);
    free(mean);
    free(pb);
}

/* Net benefit a year with its interval, a row a strategy. */
static void net_benefit(report *p)
{
    rd *r = &p->r;
    sb *b = p->b;
    section(p, "strategies", "Strategies by net benefit a year");
    double *m = read_1(r, RP_H5_CMP_NB_MEAN, p->S);
    double *lo = read_1(r, RP_H5_CMP_NB_LOW, p->S);
    double *hi = read_1(r, RP_H5_CMP_NB_HIGH, p->S);
    double *best = read_1(r, RP_H5_CMP_PROB_BEST, p->S);
    size_t S = (size_t)p->S;
    if (m == NULL || lo == NULL || hi == NULL || best == NULL ||
        !check_range(r, RP_H5_CMP_PROB_BEST, best, S, 0, 1, 1) ||
        !check_range(r, RP_H5_CMP_NB_MEAN, m, S, -1e300, 1e300, 1) ||
        !check_range(r, RP_H5_CMP_NB_LOW, lo, S, -1e300, 1e300, 1) ||
        !check_range(r, RP_H5_CMP_NB_HIGH, hi, S, -1e300, 1e300, 1))
        goto out;
    double x0 = 0, x1 = 0;
    for (size_t s = 0; s < S; s++) {
        double v[3] = {m[s], lo[s], hi[s]};
        for (int k = 0; k < 3; k++) {
            if (isfinite(v[k]) && v[k] < x0)
                x0 = v[k];
            if (isfinite(v[k]) && v[k] > x1)
                x1 = v[k];
        }
    }
    double pad = 0.06 * (x1 - x0 > 0 ? x1 - x0 : 1);
    x0 -= pad;
    x1 += pad;
    nice_range(&x0, &x1, 6);
    double row = 30;
    axes a = {170, 50, SVG_W - 290, row * (double)S, x0, x1, 0, (double)S, 0};
    char xt[160];
    snprintf(xt, sizeof xt, "Net benefit a year (%s a year)", p->unit);
    sb_printf(b, "<figure>\n");
    svg_open(b, a.py + a.ph + 50,
             "Net benefit a year of each strategy with its 95% interval");
    legend_item it[3] = {{"mean net benefit", BASE, "", 'o'},
                         {"recommended", HI, "", 'o'},
                         {"95% interval", "#333333", "", 'l'}};
    legend(b, a.px, 18, it, 3);
    /* a grid on x only: the rows are strategies */
    sb_printf(b, "<g class=\"grid\">\n");
    double st = nice_step(x1 - x0, 6);
    char t[64];
    for (double x = ceil(x0 / st - 1e-9) * st; x <= x1 + st * 1e-9; x += st) {
        sb_printf(b,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                  mx(&a, x), a.py, mx(&a, x), a.py + a.ph);
        fmt_val(t, sizeof t, fabs(x) < st * 1e-9 ? 0 : x);
        text(b, mx(&a, x), a.py + a.ph + 16, "middle", "tick", t, 0);
    }
    sb_printf(b,
              "</g>\n<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" "
              "width=\"%.1f\" height=\"%.1f\"/>\n",
              a.px, a.py, a.pw, a.ph);
    sb_printf(b,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
              "stroke=\"#333333\" stroke-width=\"1.2\"/>\n",
              mx(&a, 0), a.py, mx(&a, 0), a.py + a.ph);
    text(b, a.px + a.pw / 2, a.py + a.ph + 36, "middle", "axis-title", xt, 0);
    text(b, a.px + a.pw + 60, a.py - 8, "middle", "axis-title",
         "P(best) (share)", 0);
    for (size_t s = 0; s < S; s++) {
        double Y = a.py + row * ((double)s + 0.5);
        const char *c = (int)s == p->rec ? HI : BASE;
        text(b, a.px - 8, Y + 4, "end",
             (int)s == p->rec ? "row-label rec" : "row-label", p->strategy[s],
             24);
        if (isfinite(lo[s]) && isfinite(hi[s]))
            sb_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                      "stroke=\"#333333\" stroke-width=\"1.6\"/>"
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                      "stroke=\"#333333\"/><line x1=\"%.1f\" y1=\"%.1f\" "
                      "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333333\"/>\n",
                      mx(&a, lo[s]), Y, mx(&a, hi[s]), Y, mx(&a, lo[s]), Y - 6,
                      mx(&a, lo[s]), Y + 6, mx(&a, hi[s]), Y - 6,
                      mx(&a, hi[s]), Y + 6);
        if (isfinite(m[s]))
            sb_printf(b,
                      "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\" "
                      "fill=\"%s\"/>\n",
                      mx(&a, m[s]), Y, c);
        fmt_pct(t, sizeof t, best[s]);
        text(b, a.px + a.pw + 60, Y + 4, "middle", "value", t, 0);
    }
    sb_printf(b, "</svg>\n<figcaption>The value saved a year against ");
    sb_esc(b, p->strategy[0]);
    sb_printf(b, " minus the strategy's cost a year: a dot at the mean, the "
                 "line its paired 95%% interval; right of the vertical line "
                 "the strategy pays for itself. P(best): the share of "
                 "bootstrap resamples in which it has the highest net "
                 "benefit.</figcaption></figure>\n");
    sb_printf(b,
              "<table class=\"data\"><thead><tr><th>Strategy</th><th>Net "
              "benefit a year "
              "(%s)</th><th>95%% interval</th><th>P(best)</th></tr>"
              "</thead><tbody>\n",
              p->unit);
    for (size_t s = 0; s < S; s++) {
        char a0[32], a1[32], a2[32], a3[32];
        fmt_val(a0, sizeof a0, m[s]);
        fmt_val(a1, sizeof a1, lo[s]);
        fmt_val(a2, sizeof a2, hi[s]);
        fmt_pct(a3, sizeof a3, best[s]);
        sb_printf(b, "<tr%s><td>", (int)s == p->rec ? " class=\"rec\"" : "");
        sb_esc(b, p->strategy[s]);
        sb_printf(b,
                  "</td><td class=\"num\">%s</td><td class=\"num\">%s to "
                  "%s</td><td class=\"num\">%s</td></tr>\n",
                  a0, a1, a2, a3);
    }
    sb_printf(b, "</tbody></table>\n");
out:
    sb_printf(b, "</section>\n");
    free(m);
    free(lo);
    free(hi);
    free(best);
}

/* The 5 x 5 matrix and the table of the register for strategy s. */
static const char *const CELL[] = {"#DCEAF5", "#FFF4CC", "#FDD6AE", "#F4A582"};

/* A threat's name in a matrix cell from (x, y): one line of at most
 * CELL_CHARS characters, or two (split at a space) when `two`.  Returns
 * the lines used. */
#define CELL_CHARS 16
static int cell_name(sb *b, double x, double y, const char *name, int two)
{
    sb_printf(b, "<text class=\"threat-name\" x=\"%.1f\" y=\"%.1f\">", x, y);
    size_t n = utf8_len(name), cut = 0;
    if (two && n > CELL_CHARS) {
        /* the last space within the first line's characters */
        size_t chars = 0;
        for (size_t i = 0; name[i] && chars <= CELL_CHARS; i++) {
            if (name[i] == ' ')
                cut = i;
            chars += (name[i] & 0xC0) != 0x80;
        }
    }
    if (cut == 0) {
        sb_esc_n(b, name, CELL_CHARS - 2);
        sb_printf(b, "</text>\n");
        return 1;
    }
    char *first = strndup(name, cut);
    if (first == NULL) {
        b->oom = 1;
        return 1;
    }
    sb_esc(b, first);
    free(first);
    sb_printf(b, "<tspan x=\"%.1f\" dy=\"13\">", x);
    sb_esc_n(b, name + cut + 1, CELL_CHARS);
    sb_printf(b, "</tspan></text>\n");
    return 2;
}

static int cell_level(int l, int c)
{
    int sc = l * c;
    return sc <= 4 ? 0 : sc <= 9 ? 1 : sc <= 16 ? 2 : 3;
}

static void register_of(report *p, size_t s, char **threat, const double *lk,
                        const double *cq, const double *bl, const double *bc,
                        double *const *cols, int shapley)
{
    sb *b = p->b;
    size_t H = (size_t)p->H;
    char t[96];
    sb_printf(b, "<h3>Strategy ");
    sb_esc(b, p->strategy[s]);
    sb_printf(b, "</h3>\n<figure>\n");
    double cw = 112, chh = 84;
    axes a = {150, 44, 5 * cw, 5 * chh, 0.5, 5.5, 0.5, 5.5, 0};
    char label[200];
    snprintf(label, sizeof label,
             "Risk matrix, likelihood against consequence, strategy %.100s",
             p->strategy[s]);
    svg_open(b, a.py + a.ph + 66, label);
    legend_item it[4] = {
        {"low", CELL[0], "", 'b'},
        {"medium", CELL[1], "", 'b'},
        {"high", CELL[2], "", 'b'},
        {"very high (likelihood x consequence)", CELL[3], "", 'b'}};
    double lx = a.px;
    for (int k = 0; k < 4; k++) {
        sb_printf(b,
                  "<rect x=\"%.1f\" y=\"10\" width=\"18\" height=\"12\" "
                  "fill=\"%s\" stroke=\"#888888\" stroke-width=\"0.5\"/>\n",
                  lx, it[k].colour);
        text(b, lx + 24, 21, "start", "legend-text", it[k].label, 0);
        lx += 44 + 6.8 * (double)strlen(it[k].label);
    }
    static const char *const lw[] = {"rare", "unlikely", "possible", "likely",
                                     "almost certain"};
    static const char *const cw_[] = {"minor", "moderate", "serious", "major",
                                      "severe"};
    for (int l = 1; l <= 5; l++)
        for (int c = 1; c <= 5; c++) {
            double X = a.px + (c - 1) * cw, Y = a.py + (5 - l) * chh;
            sb_printf(b,
                      "<rect class=\"cell\" x=\"%.1f\" y=\"%.1f\" "
                      "width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                      X, Y, cw, chh, CELL[cell_level(l, c)]);
            int shown = 0, in = 0, lines = 0, here = 0;
            for (size_t h = 0; h < H; h++)
                here += (int)lk[s * H + h] == l && (int)cq[s * H + h] == c;
            for (size_t h = 0; h < H; h++) {
                if ((int)lk[s * H + h] != l || (int)cq[s * H + h] != c)
                    continue;
                in++;
                /* a name on two lines while there is room for all */
                int two = here <= 2 || (here == 3 && lines < 3);
                if (lines < 5 && (in == here || lines < 4)) {
                    lines += cell_name(b, X + 6, Y + 16 + 13.0 * lines,
                                       threat[h], two && lines < 4);
                    shown++;
                }
            }
            if (in > shown) {
                snprintf(t, sizeof t, "+%d more", in - shown);
                text(b, X + cw - 6, Y + chh - 6, "end", "tick", t, 0);
            }
        }
    /* class labels with their bands */
    for (int l = 1; l <= 5; l++) {
        double Y = a.py + (5 - l) * chh + chh / 2;
        snprintf(t, sizeof t, "%d %s", l, lw[l - 1]);
        text(b, a.px - 8, Y - 2, "end", "class-label", t, 0);
        if (l == 1)
            snprintf(t, sizeof t, "< %g a year", bl[0]);
        else if (l == 5)
            snprintf(t, sizeof t, ">= %g a year", bl[3]);
        else
            snprintf(t, sizeof t, "%g-%g a year", bl[l - 2], bl[l - 1]);
        text(b, a.px - 8, Y + 13, "end", "tick", t, 0);
    }
    for (int c = 1; c <= 5; c++) {
        double X = a.px + (c - 1) * cw + cw / 2, Y = a.py + a.ph;
        snprintf(t, sizeof t, "%d %s", c, cw_[c - 1]);
        text(b, X, Y + 15, "middle", "class-label", t, 0);
        if (c == 1)
            snprintf(t, sizeof t, "< %g%%", 100 * bc[0]);
        else if (c == 5)
            snprintf(t, sizeof t, ">= %g%%", 100 * bc[3]);
        else
            snprintf(t, sizeof t, "%g-%g%%", 100 * bc[c - 2], 100 * bc[c - 1]);
        text(b, X, Y + 29, "middle", "tick", t, 0);
    }
    text(b, a.px + a.pw / 2, a.py + a.ph + 50, "middle", "axis-title",
         "Consequence: mean loss of an event (share of annual demand value)",
         0);
    sb_printf(b,
              "<text class=\"axis-title\" text-anchor=\"middle\" "
              "transform=\"translate(16 %.1f) rotate(-90)\">Likelihood "
              "(events a year)</text>\n",
              a.py + a.ph / 2);
    sb_printf(b, "</svg>\n<figcaption>Each threat in the cell of its "
                 "likelihood class (how often it strikes) and consequence "
                 "class (what an event costs).</figcaption></figure>\n");
    /* the table, by marginal mean */
    size_t *ord = malloc(H * sizeof *ord);
    if (ord == NULL) {
        b->oom = 1;
        return;
    }
    for (size_t h = 0; h < H; h++)
        ord[h] = h;
    const double *mm = cols[1] + s * H;
    for (size_t i = 1; i < H; i++)
        for (size_t j = i; j > 0 && !(mm[ord[j - 1]] >= mm[ord[j]]); j--) {
            size_t x = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = x;
        }
    sb_printf(b,
              "<table class=\"data\"><thead><tr><th>Threat</th><th>Events a "
              "year</th>"
              "<th>Marginal loss, mean (%s)</th><th>95%% interval</th>"
              "<th>Alone (%s)</th><th>Tail marginal, CVaR 95%% (%s)</th>",
              p->unit, p->unit, p->unit);
    if (shapley)
        sb_printf(b, "<th>Shapley (%s)</th>", p->unit);
    sb_printf(b, "<th>Class L/C</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < H; i++) {
        size_t h = ord[i], k = s * H + h;
        char v[7][32];
        snprintf(v[0], 32, "%.3g", cols[0][k]);
        fmt_val(v[1], 32, cols[1][k]);
        fmt_val(v[2], 32, cols[2][k]);
        fmt_val(v[3], 32, cols[3][k]);
        fmt_val(v[4], 32, cols[4][k]);
        fmt_val(v[5], 32, cols[5][k]);
        fmt_val(v[6], 32, cols[6][k]);
        sb_printf(b, "<tr><td>");
        sb_esc(b, threat[h]);
        sb_printf(b,
                  "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                  "<td class=\"num\">%s to %s</td><td class=\"num\">%s</td>"
                  "<td class=\"num\">%s</td>",
                  v[0], v[1], v[2], v[3], v[4], v[5]);
        if (shapley)
            sb_printf(b, "<td class=\"num\">%s</td>", v[6]);
        sb_printf(b, "<td class=\"num\">%d/%d</td></tr>\n", (int)lk[k],
                  (int)cq[k]);
    }
    sb_printf(b, "</tbody></table>\n");
    free(ord);
}

static void risk_register(report *p)
{
    rd *r = &p->r;
    sb *b = p->b;
    section(p, "register", "Risk register");
    if (!rp_h5r_exists(r, RP_H5G_REGISTER)) {
        left_out(p, "the risk register",
                 rp_h5r_exists(r, RP_H5_THREAT)
                     ? "no /risk_register group: the run was "
                       "made with --register none"
                     : "no /risk_register group: the scenario "
                       "has no threats");
        return;
    }
    hsize_t H = 0;
    char **threat = read_strs(r, RP_H5G_REGISTER "/" RP_H5S_THREAT, &H);
    if (threat == NULL) {
        sb_printf(b, "</section>\n");
        return;
    }
    p->H = H;
    size_t S = (size_t)p->S, n = S * (size_t)H;
    static const char *const names[] = {"events_per_year",
                                        "marginal_mean",
                                        "marginal_ci95_low",
                                        "marginal_ci95_high",
                                        "standalone_mean",
                                        "tail_marginal_cvar95",
                                        "shapley"};
    double *cols[7] = {0};
    double *lk = read_2(r, RP_H5_REG_LIKELIHOOD, p->S, H);
    double *cq = read_2(r, RP_H5_REG_CONSEQUENCE, p->S, H);
    double bl[4], bc[4];
    int ok = lk != NULL && cq != NULL;
    ok = ok && check_range(r, RP_H5_REG_LIKELIHOOD, lk, n, 1, 5, 0);
    ok = ok && check_range(r, RP_H5_REG_CONSEQUENCE, cq, n, 1, 5, 0);
    for (size_t i = 0; ok && i < n; i++)
        if (lk[i] != floor(lk[i]) || cq[i] != floor(cq[i])) {
            rp_h5r_problem(r, RP_H5G_REGISTER,
                           "expected whole classes, found %g",
                           lk[i] != floor(lk[i]) ? lk[i] : cq[i]);
            ok = 0;
        }
    ok = ok && attr_nums(r, RP_H5_REG_LIKELIHOOD, "bands_events_per_year", bl,
                         4, 1) == 0;
    ok = ok && attr_nums(r, RP_H5_REG_CONSEQUENCE,
                         "bands_share_of_annual_demand_value", bc, 4, 1) == 0;
    for (int k = 0; ok && k < 7; k++) {
        char path[96];
        snprintf(path, sizeof path, "/risk_register/%s", names[k]);
        cols[k] = read_2(r, path, p->S, H);
        ok = cols[k] != NULL &&
             check_range(r, path, cols[k], n, -1e300, 1e300, 1);
    }
    int shapley = 0;
    for (size_t i = 0; ok && i < n; i++)
        shapley |= !isnan(cols[6][i]);
    if (ok) {
        sb_printf(b, "<p>Each threat's likelihood (events a year) and "
                     "consequence (mean loss of an event as a share of a "
                     "year's demand value); the table gives what each "
                     "threat adds to the loss over the horizon.</p>\n");
        register_of(p, 0, threat, lk, cq, bl, bc, cols, shapley);
        if (p->rec > 0)
            register_of(p, (size_t)p->rec, threat, lk, cq, bl, bc, cols,
                        shapley);
    }
    sb_printf(b, "</section>\n");
    rp_h5r_free_strs(threat, (size_t)H);
    free(lk);
    free(cq);
    for (int k = 0; k < 7; k++)
        free(cols[k]);
}

typedef struct {
    double score;
    size_t i;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static void critical_sites(report *p)
{
    rd *r = &p->r;
    sb *b = p->b;
    section(p, "sites", "The most critical sites");
    if (!rp_h5r_exists(r, RP_H5G_NODE)) {
        left_out(p, "sites", "no /node group");
        return;
    }
    hsize_t N = 0;
    char **id = read_strs(r, RP_H5G_NODE "/" RP_H5S_NODE, &N);
    char **name = NULL;
    if (id != NULL && rp_h5r_exists(r, RP_H5_NODE_NAME))
        name = read_strs(r, RP_H5_NODE_NAME, &N);
    double *crit = id ? read_2(r, RP_H5_NODE_CRITICALITY, p->S, N) : NULL;
    double *pd = id ? read_2(r, RP_H5_NODE_P_DIS, p->S, N) : NULL;
    ranked *rk = malloc((N ? N : 1) * sizeof *rk);
    if (crit == NULL || pd == NULL || rk == NULL ||
        !check_range(r, RP_H5_NODE_P_DIS, pd, (size_t)(p->S * N), 0, 1, 0) ||
        !check_range(r, RP_H5_NODE_CRITICALITY, crit, (size_t)(p->S * N), 0,
                     1e300, 1))
        goto out;
    size_t n = 0;
    for (size_t i = 0; i < (size_t)N; i++) {
        double sc = pd[i] * crit[i];
        if (isfinite(sc) && sc > 0)
            rk[n++] = (ranked){sc, i};
    }
    qsort(rk, n, sizeof *rk, cmp_ranked);
    size_t top = n < 10 ? n : 10;
    if (top == 0) {
        sb_printf(b, "<p>No site was hit in any replication.</p>\n");
        goto out;
    }
    double x1 = rk[0].score, x0 = 0;
    nice_range(&x0, &x1, 5);
    double row = 26;
    axes a = {230, 20, SVG_W - 300, row * (double)top, x0, x1, 0, 1, 0};
    char xt[200];
    snprintf(xt, sizeof xt,
             "P(site hit) x network loss when hit (%s over the horizon)",
             p->unit);
    sb_printf(b, "<figure>\n");
    svg_open(b, a.py + a.ph + 50,
             "The most critical sites: chance of a hit times the network "
             "loss when hit");
    sb_printf(b, "<g class=\"grid\">\n");
    double st = nice_step(x1 - x0, 5);
    char t[64];
    for (double x = x0; x <= x1 + st * 1e-9; x += st) {
        sb_printf(b,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                  mx(&a, x), a.py, mx(&a, x), a.py + a.ph);
        fmt_val(t, sizeof t, x);
        text(b, mx(&a, x), a.py + a.ph + 16, "middle", "tick", t, 0);
    }
    sb_printf(b, "</g>\n");
    text(b, a.px + a.pw / 2, a.py + a.ph + 36, "middle", "axis-title", xt, 0);
    for (size_t k = 0; k < top; k++) {
        size_t i = rk[k].i;
        double Y = a.py + row * (double)k;
        const char *nm = name != NULL ? name[i] : id[i];
        text(b, a.px - 8, Y + row / 2 + 4, "end", "row-label", nm, 30);
        sb_printf(b,
                  "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                  "height=\"%.1f\" fill=\"%s\"/>\n",
                  a.px, Y + 4, mx(&a, rk[k].score) - a.px, row - 8, BASE);
        fmt_val(t, sizeof t, rk[k].score);
        text(b, mx(&a, rk[k].score) + 4, Y + row / 2 + 4, "start", "value", t,
             0);
    }
    sb_printf(b,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
              "stroke=\"#333333\"/>\n</svg>\n",
              a.px, a.py, a.px, a.py + a.ph);
    sb_printf(b, "<figcaption>Strategy ");
    sb_esc(b, p->strategy[0]);
    sb_printf(b,
              ": the %zu sites with the largest chance of being hit by "
              "an event times the mean loss of the whole network in the "
              "replications where they are hit.</figcaption></figure>\n",
              top);
    sb_printf(b,
              "<table class=\"data\"><thead><tr><th>Site</th><th>P(hit)</th>"
              "<th>Network loss when hit (%s)</th><th>P(hit) x loss when hit "
              "(%s)</th>"
              "</tr></thead><tbody>\n",
              p->unit, p->unit);
    for (size_t k = 0; k < top; k++) {
        size_t i = rk[k].i;
        char a0[32], a1[32], a2[32];
        fmt_pct(a0, sizeof a0, pd[i]);
        fmt_val(a1, sizeof a1, crit[i]);
        fmt_val(a2, sizeof a2, rk[k].score);
        sb_printf(b, "<tr><td>");
        sb_esc(b, name != NULL ? name[i] : id[i]);
        if (name != NULL && strcmp(name[i], id[i]) != 0) {
            sb_printf(b, " <span class=\"id\">");
            sb_esc(b, id[i]);
            sb_printf(b, "</span>");
        }
        sb_printf(b,
                  "</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
                  "<td class=\"num\">%s</td></tr>\n",
                  a0, a1, a2);
    }
    sb_printf(b, "</tbody></table>\n");
out:
    sb_printf(b, "</section>\n");
    free(rk);
    free(crit);
    free(pd);
    rp_h5r_free_strs(id, (size_t)N);
    rp_h5r_free_strs(name, (size_t)N);
}

/* The scenario's service target from the scenario stored in the file. */
static double service_target(rd *r)
{
    char *js = attr_str(r, "/", "scenario_json", 0);
    double v = NAN;
    cJSON *j = js != NULL ? cJSON_Parse(js) : NULL;
    cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "model");
    cJSON *t = cJSON_GetObjectItemCaseSensitive(m, "service_target");
    if (cJSON_IsNumber(t) && t->valuedouble >= 0 && t->valuedouble <= 1)
        v = t->valuedouble;
    else if (j != NULL)
        v = 0.99; /* the scenario format's default */
    cJSON_Delete(j);
    H5free_memory(js);
    return v;
}

static void run_report(report *p)
{
    rd *r = &p->r;
    sb *b = p->b;
    hsize_t S = 0;
    p->strategy = read_strs(r, RP_H5_STRATEGY, &S);
    p->S = S;
    hsize_t w[1] = {0};
    double *reps =
        read_num(r, RP_H5G_REPLICATION "/" RP_H5S_REPLICATION, 1, w);
    p->R = w[0];
    free(reps);
    w[0] = 0;
    double *days = read_num(r, RP_H5_DAY, 1, w);
    p->T = w[0];
    free(days);
    if (r->bad)
        return;
    p->rec = -1;
    char *rec = attr_str(r, RP_H5G_COMPARISON, "recommended", 0);
    char *why = attr_str(r, RP_H5G_COMPARISON, "recommendation", 0);
    for (size_t s = 0; rec != NULL && s < (size_t)S; s++)
        if (strcmp(rec, p->strategy[s]) == 0)
            p->rec = (int)s;
    if (rec != NULL && p->rec < 0)
        rp_h5r_problem(r, "/comparison attribute recommended",
                       "expected the name of a strategy in /strategy, found "
                       "another name");
    if (r->bad) {
        H5free_memory(rec);
        H5free_memory(why);
        return;
    }
    sb_printf(b, "<div class=\"headline\">");
    if (rec != NULL) {
        sb_printf(b, "<p class=\"rec-line\">Recommended: <strong "
                     "class=\"recommended\">");
        sb_esc(b, rec);
        sb_printf(b, "</strong></p><p>");
        if (why != NULL) {
            /* a sentence: capital first letter, full stop */
            size_t n = strlen(why);
            if (n > 0 && why[0] >= 'a' && why[0] <= 'z')
                why[0] = (char)(why[0] - 'a' + 'A');
            sb_esc(b, why);
            if (n > 0 && why[n - 1] != '.')
                sb_printf(b, ".");
        }
        sb_printf(b, "</p>");
    } else {
        sb_printf(b, "<p>No comparison of strategies in this file.</p>");
    }
    sb_printf(b, "</div>\n");
    H5free_memory(rec);
    H5free_memory(why);
    loss_exceedance(p);
    if (r->bad)
        return;
    service(p, service_target(r));
    if (r->bad)
        return;
    if (rp_h5r_exists(r, RP_H5G_COMPARISON)) {
        net_benefit(p);
    } else {
        section(p, "strategies", "Strategies by net benefit a year");
        left_out(p, "the comparison of strategies", "no /comparison group");
    }
    if (r->bad)
        return;
    risk_register(p);
    if (r->bad)
        return;
    critical_sites(p);
}

/* ---- stress files ---- */

static void stress_report(report *p)
{
    rd *r = &p->r;
    sb *b = p->b;
    hsize_t N = 0;
    char **id = read_strs(r, RP_H5G_STRESS "/" RP_H5S_NODE, &N);
    if (id == NULL)
        return;
    double *ttr = read_1(r, RP_H5_STRESS_TTR, N);
    double *tts = read_1(r, RP_H5_STRESS_TTS, N);
    double *pi = read_1(r, RP_H5_STRESS_PI, N);
    double *rei = read_1(r, RP_H5_STRESS_REI, N);
    double *ex = read_1(r, RP_H5_STRESS_EXPOSED, N);
    double *te = read_1(r, RP_H5_STRESS_TESTED, N);
    ranked *rk = malloc(N * sizeof *rk);
    size_t n = (size_t)N;
    if (ttr == NULL || tts == NULL || pi == NULL || rei == NULL ||
        ex == NULL || te == NULL || rk == NULL ||
        !check_range(r, RP_H5_STRESS_TTR, ttr, n, 0, 1e7, 0) ||
        !check_range(r, RP_H5_STRESS_TTS, tts, n, 0, 1e7, 0) ||
        !check_range(r, RP_H5_STRESS_PI, pi, n, 0, 1e300, 0) ||
        !check_range(r, RP_H5_STRESS_REI, rei, n, 0, 1, 1) ||
        !check_range(r, RP_H5_STRESS_EXPOSED, ex, n, 0, 1, 0) ||
        !check_range(r, RP_H5_STRESS_TESTED, te, n, 0, 1, 0))
        goto out;
    size_t tested = 0, nex = 0;
    double xhi = 1, yhi = 1;
    for (size_t i = 0; i < n; i++) {
        if (te[i] == 0)
            continue;
        tested++;
        if (ex[i] != 0)
            rk[nex++] = (ranked){pi[i], i};
        if (ttr[i] > xhi)
            xhi = ttr[i];
        if (tts[i] > yhi)
            yhi = tts[i];
    }
    qsort(rk, nex, sizeof *rk, cmp_ranked);
    sb_printf(b,
              "<div class=\"headline\"><p class=\"rec-line\"><strong>%zu of "
              "%zu</strong> tested sites are exposed</p><p>An exposed site "
              "takes longer to recover (TTR) than the network can survive "
              "without it (TTS).</p></div>\n",
              nex, tested);
    section(p, "tts", "Time to survive against time to recover");
    double lo = 0;
    xhi *= 1.08;
    yhi *= 1.04;
    nice_range(&lo, &xhi, 6);
    lo = 0;
    nice_range(&lo, &yhi, 6);
    double d = xhi < yhi ? xhi : yhi;
    axes a = {80, 46, 460, 380, 0, xhi, 0, yhi, 0};
    sb_printf(b, "<figure>\n");
    svg_open(b, a.py + a.ph + 50,
             "Time to survive against time to recover, a point a site");
    legend_item it[3] = {
        {"site that can wait out its recovery", BASE, "", 'd'},
        {"exposed site (TTS < TTR)", HI, "", 't'},
        {"TTS = TTR", "#333333", "5 3", 'l'}};
    legend(b, a.px, 18, it, 3);
    draw_axes(b, &a, "Time to recover, TTR (days)", F_INT,
              "Time to survive, TTS (days)", F_INT);
    sb_printf(b,
              "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" "
              "fill=\"%s\" fill-opacity=\"0.08\"/>\n",
              mx(&a, 0), my(&a, 0), mx(&a, xhi), my(&a, 0), mx(&a, xhi),
              my(&a, d), mx(&a, d), my(&a, d), HI);
    sb_printf(b,
              "<line class=\"diagonal\" x1=\"%.1f\" y1=\"%.1f\" "
              "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333333\" "
              "stroke-dasharray=\"5 3\"/>\n",
              mx(&a, 0), my(&a, 0), mx(&a, d), my(&a, d));
    text(b, mx(&a, d) - 4, my(&a, d) - 6, "end", "zone-label", "TTS = TTR", 0);
    /* a point a pixel: sites on the same pixel are drawn once */
    unsigned char *drawn = calloc(480 * 400, 1);
    for (size_t i = 0; i < n; i++) {
        if (te[i] == 0 || ex[i] != 0)
            continue;
        double X = mx(&a, ttr[i]), Y = my(&a, tts[i]);
        size_t cell = (size_t)(X - a.px) * 400 + (size_t)(Y - a.py);
        if (drawn != NULL && cell < 480 * 400) {
            if (drawn[cell])
                continue;
            drawn[cell] = 1;
        }
        sb_printf(b,
                  "<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" "
                  "fill=\"%s\" fill-opacity=\"0.45\"/>\n",
                  X, Y, BASE);
    }
    free(drawn);
    for (size_t k = nex; k-- > 0;) {
        size_t i = rk[k].i;
        sb_printf(b,
                  "<path class=\"exposed\" d=\"M%.1f %.1fl5.5 9.5h-11z\" "
                  "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"0.6\"/>\n",
                  mx(&a, ttr[i]), my(&a, tts[i]) - 6, HI);
    }
    /* names of the most damaging exposed sites right of the plot, each
     * near the height of its point and joined to it */
    size_t lab = nex < 16 ? nex : 16;
    ranked *byy = malloc((lab ? lab : 1) * sizeof *byy);
    double *ly = malloc((lab ? lab : 1) * sizeof *ly);
    if (byy != NULL && ly != NULL) {
        for (size_t k = 0; k < lab; k++)
            byy[k] = (ranked){
                -my(&a, tts[rk[k].i]) - 1e-6 * mx(&a, ttr[rk[k].i]), rk[k].i};
        qsort(byy, lab, sizeof *byy, cmp_ranked); /* top first */
        double gap = 14, bottom = a.py + a.ph + 4;
        for (size_t k = 0; k < lab; k++) {
            ly[k] = -byy[k].score + 4;
            if (k > 0 && ly[k] < ly[k - 1] + gap)
                ly[k] = ly[k - 1] + gap;
        }
        for (size_t k = lab; k-- > 0;) {
            double lim = k + 1 < lab ? ly[k + 1] - gap : bottom;
            if (ly[k] > lim)
                ly[k] = lim;
        }
        /* sites on one point: a bracket over their names, one line */
        double lx = a.px + a.pw + 22;
        for (size_t k = 0; k < lab;) {
            size_t i = byy[k].i, g = k + 1;
            double X = mx(&a, ttr[i]), Y = my(&a, tts[i]);
            while (g < lab && fabs(mx(&a, ttr[byy[g].i]) - X) < 0.5 &&
                   fabs(my(&a, tts[byy[g].i]) - Y) < 0.5)
                g++;
            double top = ly[k] - 4, bot = ly[g - 1] - 4;
            if (g - k > 1) {
                top = ly[k] - 9;
                bot = ly[g - 1] + 1;
                sb_printf(b,
                          "<path d=\"M%.1f %.1fh-4V%.1fh4\" fill=\"none\" "
                          "stroke=\"%s\" stroke-width=\"0.8\"/>\n",
                          lx - 3, top, bot, HI);
            }
            sb_printf(b,
                      "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                      "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"0.7\"/>\n",
                      X + 7, Y, g - k > 1 ? lx - 7 : lx - 3, (top + bot) / 2,
                      HI);
            for (; k < g; k++)
                text(b, lx, ly[k], "start", "point-label", id[byy[k].i], 20);
        }
    }
    free(byy);
    free(ly);
    sb_printf(b, "</svg>\n<figcaption>A point a tested site: days the "
                 "network can go on meeting demand with the site down (TTS) "
                 "against the days the site needs to recover (TTR). Sites "
                 "below the dashed diagonal are exposed");
    if (nex > lab)
        sb_printf(b,
                  "; the %zu with the largest performance impact are "
                  "named",
                  lab);
    sb_printf(b, ".</figcaption></figure>\n</section>\n");
    section(p, "exposed", "Exposed sites");
    if (nex == 0) {
        sb_printf(b, "<p>No tested site is exposed.</p>\n");
    } else {
        sb_printf(
            b,
            "<table class=\"data\"><thead><tr><th>Site</th><th>TTS (days)</th>"
            "<th>TTR (days)</th><th>Days short</th><th>Performance "
            "impact (%s)</th><th>REI (share of the worst)</th></tr>"
            "</thead><tbody>\n",
            p->unit);
        for (size_t k = 0; k < nex; k++) {
            size_t i = rk[k].i;
            char a0[32], a1[32];
            fmt_val(a0, sizeof a0, pi[i]);
            snprintf(a1, sizeof a1, "%.2f", rei[i]);
            sb_printf(b, "<tr><td>");
            sb_esc(b, id[i]);
            sb_printf(b,
                      "</td><td class=\"num\">%.0f</td><td class=\"num\">%.0f"
                      "</td><td class=\"num\">%.0f</td><td class=\"num\">%s"
                      "</td><td class=\"num\">%s</td></tr>\n",
                      tts[i], ttr[i], ttr[i] - tts[i], a0, a1);
        }
        sb_printf(b, "</tbody></table>\n");
    }
    sb_printf(b, "</section>\n");
out:
    free(rk);
    free(ttr);
    free(tts);
    free(pi);
    free(rei);
    free(ex);
    free(te);
    rp_h5r_free_strs(id, (size_t)N);
}

/* ---- the page ---- */

static const char *CSS =
    "@page{size:A4 portrait;margin:14mm 13mm}\n"
    "*{box-sizing:border-box}\n"
    "body{font-family:'DejaVu Sans','Liberation Sans',Arial,Helvetica,"
    "sans-serif;color:#1a1a1a;max-width:760px;margin:0 auto;padding:16px;"
    "font-size:13px;line-height:1.45;background:#fff}\n"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:22px 0 8px;"
    "border-bottom:2px solid #0072B2;padding-bottom:3px;"
    "break-after:avoid;page-break-after:avoid}\n"
    "h3{font-size:14px;margin:14px 0 6px;break-after:avoid;"
    "page-break-after:avoid}\n"
    ".sub{color:#555;margin:0 0 10px}\n"
    "table{border-collapse:collapse;width:100%;margin:6px 0 12px;"
    "font-size:12px;break-inside:auto}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}\n"
    "th,td{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;"
    "vertical-align:top}th{background:#f2f5f8}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "tr.rec td{background:#fdeee6;font-weight:bold}\n"
    ".data th+th{text-align:right}.id{color:#777;font-size:11px}\n"
    ".data td:first-child{white-space:nowrap}\n"
    "table.meta{width:auto;font-size:12px}table.meta th{background:none;"
    "font-weight:normal;color:#555;padding-right:14px}\n"
    ".headline{border-left:5px solid #D55E00;background:#fbf3ee;"
    "padding:8px 14px;margin:12px 0;break-inside:avoid}\n"
    ".headline p{margin:3px 0}.rec-line{font-size:17px}\n"
    "figure{margin:8px 0 14px;break-inside:avoid;page-break-inside:avoid}\n"
    "figure svg{width:100%;height:auto;display:block}\n"
    "figcaption{font-size:11.5px;color:#444;margin-top:2px}\n"
    ".note{color:#555;font-style:italic;border-left:3px solid #999;"
    "padding-left:8px}\n"
    "svg text{font-family:inherit;font-size:12px;fill:#1a1a1a}\n"
    "svg .tick{font-size:11px;fill:#444}\n"
    "svg .axis-title{font-size:12.5px;font-weight:bold}\n"
    "svg .panel-title{font-size:13px;font-weight:bold}\n"
    "svg .threat-name{font-size:11.5px}\n"
    "svg .class-label{font-size:11.5px;font-weight:bold}\n"
    "svg .point-label{font-size:11px;fill:#A33F00}\n"
    "svg .zone-label{font-size:11px;fill:#A33F00;font-style:italic}\n"
    "svg .rec{font-weight:bold;fill:#A33F00}\n"
    "svg .grid line{stroke:#e3e3e3;stroke-width:1}\n"
    "svg .frame{fill:none;stroke:#999;stroke-width:1}\n"
    "svg .cell{stroke:#fff;stroke-width:2}\n"
    "footer{margin-top:24px;color:#777;font-size:11px;border-top:1px solid "
    "#ddd;padding-top:6px}\n"
    "@media print{body{max-width:none;padding:0}"
    "section{break-before:auto}}\n";

static void meta_row(sb *b, const char *k, const char *v)
{
    sb_printf(b, "<tr><th>%s</th><td>", k);
    sb_esc(b, v != NULL ? v : "(not recorded)");
    sb_printf(b, "</td></tr>\n");
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s != NULL ? s + 1 : p;
}

static rp_status write_page(const char *out, const sb *b, rp_errors *err)
{
    char tmp[PATH_MAX];
    int fd = rp_tmp_create(out, tmp, sizeof tmp);
    if (fd < 0)
        return rp_err_runtime(err,
                              "%s: cannot create a temporary file beside "
                              "it: %s",
                              out, strerror(errno));
    size_t done = 0;
    int e = 0;
    while (done < b->len && e == 0) {
        ssize_t w = write(fd, b->s + done, b->len - done);
        if (w < 0 && errno != EINTR)
            e = errno;
        else if (w > 0)
            done += (size_t)w;
    }
    if (e == 0 && fsync(fd) != 0 && errno != EINVAL)
        e = errno;
    if (close(fd) != 0 && e == 0)
        e = errno;
    if (e == 0 && rename(tmp, out) != 0)
        e = errno;
    if (e != 0)
        unlink(tmp);
    rp_tmp_forget(tmp);
    if (e != 0)
        return rp_err_runtime(err, "%s: writing failed: %s", out, strerror(e));
    return RP_OK;
}

rp_status rp_report(const char *in, const char *out, int *notes,
                    rp_errors *err)
{
    if (rp_sweep_is_file(in)) /* `ripple sweep`'s file: a page of its own */
        return rp_sweep_report(in, out, err);
    /* the whole file checked first, as `ripple inspect` checks it */
    FILE *null = fopen("/dev/null", "w");
    if (null == NULL)
        return rp_err_runtime(err, "/dev/null: cannot open: %s",
                              strerror(errno));
    rp_status st = rp_inspect(null, in, 1, err);
    fclose(null);
    if (st != RP_OK)
        return st;
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    sb b = {0};
    report p;
    memset(&p, 0, sizeof p);
    p.b = &b;
    p.rec = -1;
    if ((st = rp_h5r_open(&p.r, in, err)) != RP_OK)
        return st;
    rd *r = &p.r;
    char *kind = attr_str(r, "/", "run_kind", 1);
    char *name = attr_str(r, "/", "scenario_name", 0);
    char *ver = attr_str(r, "/", "ripple_version", 0);
    char *created = attr_str(r, "/", "created_utc", 0);
    char *cur = attr_str(r, "/", "currency", 0);
    double seed = NAN, reps = NAN, hor = NAN, mv = NAN;
    attr_nums(r, "/", "seed", &seed, 1, 0);
    attr_nums(r, "/", "replications", &reps, 1, 0);
    attr_nums(r, "/", "horizon_days", &hor, 1, 0);
    attr_nums(r, "/", "model_version", &mv, 1, 0);
    if (kind != NULL && strcmp(kind, "run") != 0 &&
        strcmp(kind, "stress") != 0)
        rp_h5r_problem(r, "attribute run_kind",
                       "expected \"run\" or \"stress\", found another word");
    snprintf(p.unit, sizeof p.unit, "%.40s",
             cur != NULL && cur[0] ? cur : "value units");
    if (!r->bad) {
        int stress = strcmp(kind, "stress") == 0;
        sb_printf(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                      "<meta charset=\"utf-8\">\n"
                      "<meta http-equiv=\"Content-Security-Policy\" "
                      "content=\"default-src 'none'; style-src "
                      "'unsafe-inline'; img-src data:\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, "
                      "initial-scale=1\">\n"
                      "<link rel=\"icon\" href=\"data:,\">\n<title>");
        sb_printf(&b, "Ripple %s report: ", stress ? "stress" : "risk");
        sb_esc_n(&b, name != NULL ? name : base_name(in), 120);
        sb_printf(&b,
                  "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
                  "<header>\n<h1>",
                  CSS);
        sb_printf(&b, "%s: ",
                  stress ? "Stress test" : "Supply-chain disruption risk");
        sb_esc_n(&b, name != NULL ? name : base_name(in), 120);
        sb_printf(&b,
                  "</h1>\n<p class=\"sub\">%s</p>\n"
                  "<table class=\"meta\">\n",
                  stress ? "Each site down for its time to recover, one at "
                           "a time."
                         : "Monte Carlo simulation of the scenario's "
                           "threats for every strategy.");
        char v[64];
        meta_row(&b, "Scenario", name);
        meta_row(&b, "Results file", base_name(in));
        snprintf(v, sizeof v, "%.0f", seed);
        meta_row(&b, "Seed", isfinite(seed) ? v : NULL);
        if (!stress) {
            snprintf(v, sizeof v, "%.0f", reps);
            meta_row(&b, "Replications", isfinite(reps) ? v : NULL);
        }
        snprintf(v, sizeof v, "%.0f day%s", hor, hor == 1 ? "" : "s");
        meta_row(&b, "Horizon", isfinite(hor) ? v : NULL);
        snprintf(v, sizeof v, "%.0f", mv);
        meta_row(&b, "Model version", isfinite(mv) ? v : NULL);
        meta_row(&b, "Engine version", ver != NULL ? ver : NULL);
        meta_row(&b, "Created (UTC)", created);
        meta_row(&b, "Unit of value",
                 cur != NULL && cur[0] ? cur
                                       : "value units (no currency given)");
        sb_printf(&b, "</table>\n</header>\n<main>\n");
        if (stress)
            stress_report(&p);
        else
            run_report(&p);
        sb_printf(&b, "</main>\n<footer>Made by ripple report ");
        sb_esc(&b, RIPPLE_VERSION);
        sb_printf(&b, " from ");
        sb_esc(&b, base_name(in));
        sb_printf(&b, ".</footer>\n</body>\n</html>\n");
    }
    rp_h5r_free_strs(p.strategy, (size_t)p.S);
    H5free_memory(kind);
    H5free_memory(name);
    H5free_memory(ver);
    H5free_memory(created);
    H5free_memory(cur);
    H5Fclose(p.r.file);
    if (b.oom && !r->bad)
        rp_err_runtime(err, "%s: out of memory", out);
    if (notes != NULL)
        *notes = p.notes;
    st = rp_err_status(err);
    if (st == RP_OK)
        st = write_page(out, &b, err);
    free(b.s);
    return st;
}

/* ---- the command ---- */

int rp_cmd_report(int argc, char **argv)
{
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *out = NULL, *in = NULL;
    int quiet = 0, c;
    char safe[256];
    optind = 1;
    while ((c = rp_cli_getopt(argc, argv, ":o:qh", longs)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(HELP_REPORT, stdout);
            return 0;
        default:
            return rp_cli_option_error(c, argv, "report");
        }
    }
    if (rp_cli_one_arg(argc, argv, &in) != 0 || in == NULL) {
        if (in == NULL)
            fprintf(stderr, "ripple: error: report needs a results file\n");
        fputs("usage: ripple report OUT.h5 [-o REPORT.html] [-q]\n", stderr);
        return RP_EINPUT;
    }
    /* the default: the results file's name, .h5 made .html, beside it */
    char def[PATH_MAX];
    if (out == NULL) {
        size_t n = strlen(in);
        if (n > 3 && strcmp(in + n - 3, ".h5") == 0)
            n -= 3;
        if (n + 6 > sizeof def) {
            fprintf(stderr, "ripple: error: the results file's name is too "
                            "long for a default report name: give -o\n");
            return RP_EINPUT;
        }
        memcpy(def, in, n);
        memcpy(def + n, ".html", 6);
        out = def;
    }
    struct stat si, so;
    if (stat(in, &si) == 0 && stat(out, &so) == 0 && si.st_dev == so.st_dev &&
        si.st_ino == so.st_ino) {
        rp_escape(out, safe, sizeof safe);
        fprintf(stderr,
                "ripple: error: %s: is the results file itself; give "
                "another -o\n",
                safe);
        return RP_EINPUT;
    }
    rp_errors err;
    rp_err_init(&err);
    if (rp_out_check(out, quiet ? RP_OUT_QUIET : 0, &err) != RP_OK) {
        rp_cli_print_errors(&err);
        return rp_err_status(&err);
    }
    rp_tmp_guard_signals();
    int notes = 0;
    if (rp_report(in, out, &notes, &err) != RP_OK) {
        rp_cli_print_errors(&err);
        return rp_err_status(&err);
    }
    if (!quiet) {
        rp_escape(out, safe, sizeof safe);
        printf("wrote %s", safe);
        if (notes > 0)
            printf(" (%d part%s not in the results file: noted in the page)",
                   notes, notes == 1 ? "" : "s");
        printf("\n");
    }
    return 0;
}
