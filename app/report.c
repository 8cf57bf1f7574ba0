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
#include "ripple/describe.h"
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
    "  time to survive against time to recover (stress files); tolerance\n"
    "  curves and critical fractions (sweep files).  Inline SVG\n"
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

/* A value for a reader: 3 significant digits, k / M / bn, never an
 * exponent: the unit is chosen after rounding (999,600 is "1M", not
 * "1e+03k"), and from a thousand billion on the billions are whole
 * ("1234 bn").  From 1,000 to 9,999 the whole number with its thousands
 * grouped, as the text prints it ("7,494", not "7494" beside "24.5k"). */
static void fmt_val(char *b, size_t n, double v)
{
    double a = fabs(v);
    if (!isfinite(v))
        snprintf(b, n, "n/a");
    else if (a >= 999.5e9)
        snprintf(b, n, "%.0f bn", v / 1e9);
    else if (a >= 999.5e6)
        snprintf(b, n, "%.3g bn", v / 1e9);
    else if (a >= 999.5e3)
        snprintf(b, n, "%.3gM", v / 1e6);
    else if (a >= 9999.5)
        snprintf(b, n, "%.3gk", v / 1e3);
    else if (a >= 999.5)
        rp_describe_num(b, n, round(v));
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

/* F_PCT_STEP: a percentage with the decimals its grid step needs
 * (99.5% on an axis in steps of 0.5%) */
enum { F_VAL, F_PCT, F_INT, F_PCT_STEP };

/* v as a percentage with as many decimals (at most 3) as the step
 * `step` (a share) needs: 0.995 in steps of 0.005 is "99.5%". */
static void fmt_pct_step(char *b, size_t n, double v, double step)
{
    int dec = 0;
    double st = 100 * step;
    while (dec < 3 && fabs(st - round(st)) > 1e-6 * fmax(st, 1)) {
        st *= 10;
        dec++;
    }
    snprintf(b, n, "%.*f%%", dec, 100 * v);
}

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

/* A line from (x1, y1) to (x2, y2) with the further attributes `attrs`
 * (each with its leading space, "" for none), and a new line. */
static void svg_line(sb *b, double x1, double y1, double x2, double y2,
                     const char *attrs)
{
    sb_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"%s/>\n",
              x1, y1, x2, y2, attrs);
}

/* A horizontal grid line at y, labelled on the left. */
static void y_grid(sb *b, const axes *a, double y, const char *label)
{
    double Y = my(a, y);
    svg_line(b, a->px, Y, a->px + a->pw, Y, "");
    text(b, a->px - 6, Y + 4, "end", "tick", label, 0);
}

/* Vertical grid lines at whole steps (about n of them) over the x range,
 * labelled under the plot in format f (F_VAL, F_PCT, F_INT). */
static void x_grid(sb *b, const axes *a, int n, int f)
{
    char t[64];
    double s = nice_step(a->x1 - a->x0, n);
    for (double x = ceil(a->x0 / s - 1e-9) * s; x <= a->x1 + s * 1e-9;
         x += s) {
        double X = mx(a, x);
        svg_line(b, X, a->py, X, a->py + a->ph, "");
        fmt_tick(t, sizeof t, fabs(x) < s * 1e-9 ? 0 : x, f);
        text(b, X, a->py + a->ph + 16, "middle", "tick", t, 0);
    }
}

/* The frame around the plot area. */
static void frame(sb *b, const axes *a)
{
    sb_printf(b,
              "<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
              "height=\"%.1f\"/>\n",
              a->px, a->py, a->pw, a->ph);
}

/* The title of the x axis, under its ticks. */
static void x_title(sb *b, const axes *a, const char *title)
{
    text(b, a->px + a->pw / 2, a->py + a->ph + 36, "middle", "axis-title",
         title, 0);
}

/* Grid, ticks and the titles of the axes (each title names its unit). */
static void draw_axes(sb *b, const axes *a, const char *xt, int xf,
                      const char *yt, int yf)
{
    char t[64];
    sb_printf(b, "<g class=\"grid\">\n");
    x_grid(b, a, 6, xf);
    if (a->logy) {
        for (double y = a->y1; y >= a->y0 * 0.999; y /= 10) {
            fmt_pct(t, sizeof t, y);
            y_grid(b, a, y, t);
        }
    } else {
        double s = nice_step(a->y1 - a->y0, 5);
        for (double y = ceil(a->y0 / s - 1e-9) * s; y <= a->y1 + s * 1e-9;
             y += s) {
            if (yf == F_PCT_STEP)
                fmt_pct_step(t, sizeof t, fabs(y) < s * 1e-9 ? 0 : y, s);
            else
                fmt_tick(t, sizeof t, fabs(y) < s * 1e-9 ? 0 : y, yf);
            y_grid(b, a, y, t);
        }
    }
    sb_printf(b, "</g>\n");
    frame(b, a);
    if (xt != NULL)
        x_title(b, a, xt);
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

/* The opening of a line through points (the caller adds them, then
 * "\"/>\n"). */
static void polyline_open(sb *b, const char *colour, const char *width,
                          const char *dasharray)
{
    sb_printf(b,
              "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" "
              "stroke-width=\"%s\" stroke-dasharray=\"%s\" points=\"",
              colour, width, dasharray);
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

/* ---- tables ---- */

/* A data table's head: th() its columns, then table_body(). */
static void table_open(sb *b)
{
    sb_printf(b, "<table class=\"data\"><thead><tr>");
}

/* A column's head: `label` (HTML), with its unit (text from the file) in
 * brackets when unit is not NULL. */
static void th(sb *b, const char *label, const char *unit)
{
    if (unit != NULL) {
        sb_printf(b, "<th>%s (", label);
        sb_esc(b, unit);
        sb_printf(b, ")</th>");
    } else {
        sb_printf(b, "<th>%s</th>", label);
    }
}

static void table_body(sb *b)
{
    sb_printf(b, "</tr></thead><tbody>\n");
}

static void table_close(sb *b)
{
    sb_printf(b, "</tbody></table>\n");
}

/* A row opened with its name cell: `name`, then `id` in grey when not
 * NULL; the whole row in bold when `rec` (the recommended strategy). */
static void row_open(sb *b, const char *name, const char *id, int rec)
{
    sb_printf(b, "<tr%s><td>", rec ? " class=\"rec\"" : "");
    sb_esc(b, name);
    if (id != NULL) {
        sb_printf(b, " <span class=\"id\">");
        sb_esc(b, id);
        sb_printf(b, "</span>");
    }
    sb_printf(b, "</td>");
}

/* n cells of numbers, right-aligned, and the end of the row. */
#define NUM_W 72 /* a cell: two numbers and " to " */
static void row_nums(sb *b, int n, char (*v)[NUM_W])
{
    for (int k = 0; k < n; k++)
        sb_printf(b, "<td class=\"num\">%s</td>", v[k]);
    sb_printf(b, "</tr>\n");
}

/* ---- the report ---- */

typedef struct {
    rd r;
    sb *b;
    int notes;
    char unit[64]; /* the unit of value: the currency, or RP_MONEY_UNNAMED
                    * (text from the file: escaped where shown) */
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

/* The losses of each replication, /replication/lost_value [S, R], each
 * strategy's row sorted up, and in *xmax the largest (NULL on a problem,
 * reported). */
static double *sorted_losses(report *p, double *xmax)
{
    rd *r = &p->r;
    double *v = read_2(r, RP_H5_REP(lost_value), p->S, p->R);
    if (v == NULL)
        return NULL;
    size_t S = (size_t)p->S, R = (size_t)p->R;
    *xmax = 0;
    for (size_t i = 0; i < S * R; i++) {
        if (!(v[i] >= 0 && isfinite(v[i]))) {
            rp_h5r_problem(r, RP_H5_REP(lost_value),
                           "expected finite values >= 0, found %g at %zu",
                           v[i], i);
            free(v);
            return NULL;
        }
        if (v[i] > *xmax)
            *xmax = v[i];
    }
    for (size_t s = 0; s < S; s++)
        qsort(v + s * R, R, sizeof *v, cmp_dbl);
    return v;
}

/* The value of the sorted x[0..n) at share q (0.99: exceeded by one
 * replication in a hundred). */
static double sorted_at(const double *x, size_t n, double q)
{
    return x[(size_t)floor(q * (double)(n - 1))];
}

/* The exceedance curve of strategy s from its sorted losses x[0..R): a
 * step at each distinct loss, down to ymin. */
static void exceedance_curve(sb *b, const axes *a, const double *x, size_t R,
                             double ymin, int s)
{
    polyline_open(b, colour(s), "2", dash(s));
    /* points closer than half a pixel to the last one drawn are left
     * out (a curve of 100,000 replications stays small) */
    double lastX = mx(a, 0), lastY = my(a, 1);
    sb_printf(b, "%.1f,%.1f", lastX, lastY);
    for (size_t i = 0; i < R;) {
        size_t j = i;
        while (j < R && x[j] == x[i])
            j++;
        /* P(L >= x[i]) = (R - i) / R; just above x[i]: (R - j) / R */
        double pa = (double)(R - i) / (double)R;
        double pb = (double)(R - j) / (double)R;
        double X = mx(a, x[i]);
        double Y1 = my(a, pa), Y2 = pb >= ymin ? my(a, pb) : -1;
        if (Y2 < 0)
            Y2 = a->py + a->ph; /* no replication loses more */
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

/* The caption of the loss chart: the baseline's losses in words. */
static void loss_caption(report *p, const double *v, size_t ns)
{
    sb *b = p->b;
    size_t S = (size_t)p->S, R = (size_t)p->R;
    char m0[32], m1[32], m2[32], nr[32];
    size_t zero = 0;
    while (zero < R && v[zero] == 0)
        zero++;
    fmt_pct(m0, sizeof m0, (double)(R - zero) / (double)R);
    fmt_val(m1, sizeof m1, v[R / 2]);
    fmt_val(m2, sizeof m2, sorted_at(v, R, 0.99));
    rp_describe_num(nr, sizeof nr, (double)R);
    sb_printf(b,
              "<figcaption>Loss exceedance: the share of the %s "
              "replication%s in which the network loses at least the value "
              "on the horizontal axis over the horizon. Curves further left "
              "and lower are better. Without a strategy (",
              nr, R == 1 ? "" : "s");
    sb_esc(b, p->strategy[0]);
    sb_printf(b,
              ") %s of the replications lose anything; the median loss is "
              "%s ",
              m0, m1);
    sb_esc(b, p->unit);
    if (R >= 100) { /* (a 99% quantile of fewer says little) */
        sb_printf(b, ", one replication in a hundred loses more than %s ", m2);
        sb_esc(b, p->unit);
    }
    sb_printf(b, ".");
    if (ns < S)
        sb_printf(b, " The first %s of %s strategies are drawn.", RP_COUNT(ns),
                  RP_COUNT(S));
    sb_printf(b, "</figcaption></figure>\n");
}

/* The loss exceedance curves of the first MAX_SERIES strategies, log
 * scale, and their caption. */
static void loss_chart(report *p, const double *v, double xmax)
{
    sb *b = p->b;
    size_t S = (size_t)p->S, R = (size_t)p->R;
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
    for (size_t s = 0; s < ns; s++)
        exceedance_curve(b, &a, v + s * R, R, ymin, (int)s);
    sb_printf(b, "</svg>\n");
    loss_caption(p, v, ns);
}

/* The losses of every strategy in figures, a row a strategy. */
static void loss_table(report *p, const double *v)
{
    sb *b = p->b;
    size_t S = (size_t)p->S, R = (size_t)p->R;
    table_open(b);
    th(b, "Strategy", NULL);
    th(b, "P(any loss)", NULL);
    th(b, "Mean loss", p->unit);
    th(b, "Median", p->unit);
    th(b, "1 in 20 loses more than", p->unit);
    th(b, "1 in 100 loses more than", p->unit);
    table_body(b);
    for (size_t s = 0; s < S; s++) {
        const double *x = v + s * R;
        double sum = 0;
        size_t z = 0;
        for (size_t i = 0; i < R; i++) {
            sum += x[i];
            z += x[i] == 0;
        }
        char c[5][NUM_W];
        fmt_pct(c[0], NUM_W, (double)(R - z) / (double)R);
        fmt_val(c[1], NUM_W, sum / (double)R);
        fmt_val(c[2], NUM_W, x[R / 2]);
        fmt_val(c[3], NUM_W, sorted_at(x, R, 0.95));
        fmt_val(c[4], NUM_W, sorted_at(x, R, 0.99));
        row_open(b, p->strategy[s], NULL, (int)s == p->rec);
        row_nums(b, 5, c);
    }
    table_close(b);
}

/* Loss exceedance: P(lost value >= x) per strategy, log scale, and the
 * same in a table. */
static void loss_exceedance(report *p)
{
    section(p, "loss", "How much could be lost");
    if (!rp_h5r_exists(&p->r, RP_H5_REP(lost_value))) {
        left_out(p, "the losses of each replication",
                 "no /replication/lost_value");
        return;
    }
    double xmax = 0;
    double *v = sorted_losses(p, &xmax);
    if (v == NULL)
        return;
    loss_chart(p, v, xmax);
    loss_table(p, v);
    sb_printf(p->b, "</section>\n");
    free(v);
}

/* The daily service of every strategy, as read and checked by
 * daily_read. */
typedef struct {
    double *q, *band, *mean, *pb; /* /quantile and /timeseries' */
    size_t qn, q05, q95;          /* quantiles; those nearest 5% and 95% */
    char qs[80];                  /* the band in words */
} daily;

/* 1 when every part is read and in range (0: a problem, reported). */
static int daily_read(report *p, daily *d)
{
    rd *r = &p->r;
    size_t S = (size_t)p->S, T = (size_t)p->T;
    hsize_t w1[1] = {0};
    d->q = read_num(r, RP_H5_QUANTILE, 1, w1);
    d->qn = (size_t)w1[0];
    if (d->q != NULL) {
        hsize_t w3[3] = {p->S, p->T, w1[0]};
        d->band = read_num(r, RP_H5_TS_QUANTILES, 3, w3);
        d->mean = read_2(r, RP_H5_TS_MEAN, p->S, p->T);
        d->pb = read_2(r, RP_H5_TS_BELOW, p->S, p->T);
    }
    if (d->band == NULL || d->mean == NULL || d->pb == NULL ||
        !check_range(r, RP_H5_QUANTILE, d->q, d->qn, 0, 1, 0) ||
        !check_range(r, RP_H5_TS_QUANTILES, d->band, S * T * d->qn, 0, 1, 0) ||
        !check_range(r, RP_H5_TS_MEAN, d->mean, S * T, 0, 1, 0) ||
        !check_range(r, RP_H5_TS_BELOW, d->pb, S * T, 0, 1, 0))
        return 0;
    d->q05 = d->q95 = 0;
    for (size_t k = 0; k < d->qn; k++) {
        if (fabs(d->q[k] - 0.05) < fabs(d->q[d->q05] - 0.05))
            d->q05 = k;
        if (fabs(d->q[k] - 0.95) < fabs(d->q[d->q95] - 0.95))
            d->q95 = k;
    }
    snprintf(d->qs, sizeof d->qs, "%g-%g%% of replications",
             100 * d->q[d->q05], 100 * d->q[d->q95]);
    return 1;
}

static void daily_free(daily *d)
{
    free(d->q);
    free(d->band);
    free(d->mean);
    free(d->pb);
}

/* The band of strategy s: the high quantile forwards, the low one back. */
static void service_band(sb *b, const axes *a, const daily *d, size_t s,
                         size_t T)
{
    const double *bs = d->band + s * T * d->qn;
    sb_printf(b,
              "<path class=\"band\" fill=\"%s\" fill-opacity=\"0.22\" "
              "d=\"",
              BASE);
    for (size_t t = 0; t < T; t++)
        sb_printf(b, "%s%.1f %.1f", t ? "L" : "M", mx(a, (double)t),
                  my(a, bs[t * d->qn + d->q95]));
    for (size_t t = T; t-- > 0;)
        sb_printf(b, "L%.1f %.1f", mx(a, (double)t),
                  my(a, bs[t * d->qn + d->q05]));
    sb_printf(b, "Z\"/>\n");
}

/* The caption of a panel: strategy s's service in words; `from` the
 * start of a service axis that does not start at 0 (else NULL). */
static void service_caption(sb *b, const daily *d, size_t s, size_t T,
                            const char *from)
{
    const double *mean = d->mean + s * T, *pb = d->pb + s * T;
    double avg = 0, worst = 1, pmax = 0;
    size_t worst_t = 0;
    for (size_t t = 0; t < T; t++) {
        avg += mean[t];
        if (mean[t] < worst) {
            worst = mean[t];
            worst_t = t;
        }
        if (pb[t] > pmax)
            pmax = pb[t];
    }
    char m0[32], m1[32], m2[32];
    fmt_pct(m0, sizeof m0, avg / (double)T);
    fmt_pct(m1, sizeof m1, worst);
    fmt_pct(m2, sizeof m2, pmax);
    sb_printf(b,
              "<figcaption>Mean service %s over the horizon, lowest %s "
              "(day %zu); on the worst day %s of replications are below "
              "target.",
              m0, m1, worst_t, m2);
    if (from != NULL)
        sb_printf(b,
                  " The service axis starts at %s, not at 0, so that small "
                  "changes show; the share below target has its own axis, "
                  "from 0.",
                  from);
    sb_printf(b, "</figcaption></figure>\n");
}

/* The vertical range [*y0, 1] of strategy s's service: down to a whole
 * step below the lowest mean or band value, so that a service that stays
 * near 100% moves on the chart (below the target when it never leaves
 * 100%); from 0 when that is below 25%.  Returns 1 when the axis does
 * not start at 0. */
static int service_range(const daily *d, size_t s, size_t T, double target,
                         double *y0)
{
    const double *mean = d->mean + s * T, *bs = d->band + s * T * d->qn;
    double lo = 1;
    for (size_t t = 0; t < T; t++) {
        lo = fmin(lo, mean[t]);
        lo = fmin(lo, bs[t * d->qn + d->q05]);
        lo = fmin(lo, bs[t * d->qn + d->q95]);
    }
    if (lo >= 1)
        lo = isfinite(target) && target < 1 ? target : 0;
    double y1 = 1;
    *y0 = lo - fmax(0.1 * (1 - lo), 0.001); /* a margin under the lowest */
    nice_range(y0, &y1, 5);
    if (*y0 < 0.25)
        *y0 = 0;
    return *y0 > 0;
}

/* The panel of strategy s: two plots over the days, one above the other.
 * Above, the mean service, its band and the target, on an axis zoomed to
 * the data (its title says when it does not start at 0); below, the
 * share of replications below the target, on its own axis from 0. */
static void service_panel(report *p, const daily *d, size_t s, double target)
{
    sb *b = p->b;
    size_t T = (size_t)p->T;
    char label[200];
    snprintf(label, sizeof label, "Daily service level, strategy %.100s",
             p->strategy[s]);
    double y0;
    int zoom = service_range(d, s, T, target, &y0);
    int shown_target = isfinite(target) && target >= y0 && target <= 1;
    char tl[96], from[32], tv[32];
    fmt_pct(tv, sizeof tv, target);
    if (isfinite(target) && !shown_target)
        snprintf(tl, sizeof tl, "service target %s (off the axis)", tv);
    else
        snprintf(tl, sizeof tl, "service target");
    sb_printf(b, "<figure class=\"panel\">\n");
    legend_item it[4] = {{"mean service", BASE, "", 'l'},
                         {d->qs, BASE, "", 'b'},
                         {"P(below target)", HI, "5 3", 'l'},
                         {tl, "#555555", "2 3", 'l'}};
    int nl = isfinite(target) ? 4 : 3;
    double lh = legend(NULL, 80, 38, it, nl);
    double x1 = (double)(T > 1 ? T - 1 : 1);
    axes a = {80, 48 + lh, SVG_W - 100, 150, 0, x1, y0, 1, 0};
    axes q = {80, a.py + a.ph + 52, SVG_W - 100, 90, 0, x1, 0, 0, 0};
    const double *pb = d->pb + s * T;
    for (size_t t = 0; t < T; t++)
        q.y1 = fmax(q.y1, pb[t]);
    q.y1 = fmax(q.y1, 0.01);
    nice_range(&q.y0, &q.y1, 4);
    svg_open(b, q.py + q.ph + 48, label);
    text(b, a.px, 16, "start", "panel-title", p->strategy[s], MAX_NAME);
    legend(b, a.px, 38, it, nl);
    /* the titles above the plots, so that they can say all they need */
    char yt[160];
    fmt_pct_step(from, sizeof from, y0, nice_step(1 - y0, 5));
    if (zoom)
        snprintf(yt, sizeof yt,
                 "Service level (%%; this axis starts at %s, not at 0)", from);
    else
        snprintf(yt, sizeof yt, "Service level (%%)");
    text(b, a.px, a.py - 8, "start", "axis-title", yt, 0);
    draw_axes(b, &a, NULL, F_INT, NULL, F_PCT_STEP);
    service_band(b, &a, d, s, T);
    if (shown_target)
        svg_line(b, a.px, my(&a, target), a.px + a.pw, my(&a, target),
                 " stroke=\"#555555\" stroke-dasharray=\"2 3\"");
    text(b, q.px, q.py - 8, "start", "axis-title",
         "P(below target) (% of replications, axis from 0)", 0);
    draw_axes(b, &q, "Day of the horizon (days)", F_INT, NULL, F_PCT_STEP);
    const double *series[2] = {d->mean + s * T, pb};
    for (int k = 0; k < 2; k++) {
        const axes *on = k ? &q : &a;
        polyline_open(b, k ? HI : BASE, k ? "1.6" : "2", k ? "5 3" : "");
        for (size_t t = 0; t < T; t++)
            sb_printf(b, "%s%.1f,%.1f", t ? " " : "", mx(on, (double)t),
                      my(on, series[k][t]));
        sb_printf(b, "\"/>\n");
    }
    sb_printf(b, "</svg>\n");
    service_caption(b, d, s, T, zoom ? from : NULL);
}

/* Daily service: a panel a strategy. */
static void service(report *p, double target)
{
    section(p, "service", "Daily service over the horizon");
    if (!rp_h5r_exists(&p->r, RP_H5G_TIMESERIES)) {
        left_out(p, "daily service levels", "no /timeseries group");
        return;
    }
    daily d;
    memset(&d, 0, sizeof d);
    if (daily_read(p, &d))
        for (size_t s = 0; s < (size_t)p->S; s++)
            service_panel(p, &d, s, target);
    sb_printf(p->b, "</section>\n");
    daily_free(&d);
}

/* /comparison's net benefit a year of each strategy: mean, 95% interval
 * and the share of resamples in which it is best. */
typedef struct {
    double *m, *lo, *hi, *best;
} benefit;

/* The x range of the chart: 0 and every finite value, padded and
 * widened to whole steps. */
static void benefit_range(const benefit *nb, size_t S, double *x0, double *x1)
{
    *x0 = *x1 = 0;
    for (size_t s = 0; s < S; s++) {
        double v[3] = {nb->m[s], nb->lo[s], nb->hi[s]};
        for (int k = 0; k < 3; k++) {
            if (isfinite(v[k]) && v[k] < *x0)
                *x0 = v[k];
            if (isfinite(v[k]) && v[k] > *x1)
                *x1 = v[k];
        }
    }
    double pad = 0.06 * (*x1 - *x0 > 0 ? *x1 - *x0 : 1);
    *x0 -= pad;
    *x1 += pad;
    nice_range(x0, x1, 6);
}

/* The row of strategy s at height Y: its name, interval, mean and
 * P(best). */
static void benefit_row(report *p, const axes *a, const benefit *nb, size_t s,
                        double Y)
{
    sb *b = p->b;
    const double lo = nb->lo[s], hi = nb->hi[s];
    text(b, a->px - 8, Y + 4, "end",
         (int)s == p->rec ? "row-label rec" : "row-label", p->strategy[s], 24);
    if (isfinite(lo) && isfinite(hi))
        sb_printf(b,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                  "stroke=\"#333333\" stroke-width=\"1.6\"/>"
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                  "stroke=\"#333333\"/><line x1=\"%.1f\" y1=\"%.1f\" "
                  "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333333\"/>\n",
                  mx(a, lo), Y, mx(a, hi), Y, mx(a, lo), Y - 6, mx(a, lo),
                  Y + 6, mx(a, hi), Y - 6, mx(a, hi), Y + 6);
    if (isfinite(nb->m[s]))
        sb_printf(b,
                  "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\" "
                  "fill=\"%s\"/>\n",
                  mx(a, nb->m[s]), Y, (int)s == p->rec ? HI : BASE);
    char t[64];
    fmt_pct(t, sizeof t, nb->best[s]);
    text(b, a->px + a->pw + 60, Y + 4, "middle", "value", t, 0);
}

/* The chart: a row a strategy, the zero line, P(best) on the right. */
static void benefit_chart(report *p, const benefit *nb)
{
    sb *b = p->b;
    size_t S = (size_t)p->S;
    double x0, x1, row = 30;
    benefit_range(nb, S, &x0, &x1);
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
    x_grid(b, &a, 6, F_VAL);
    sb_printf(b, "</g>\n");
    frame(b, &a);
    svg_line(b, mx(&a, 0), a.py, mx(&a, 0), a.py + a.ph,
             " stroke=\"#333333\" stroke-width=\"1.2\"");
    x_title(b, &a, xt);
    text(b, a.px + a.pw + 60, a.py - 8, "middle", "axis-title",
         "P(best) (share)", 0);
    for (size_t s = 0; s < S; s++)
        benefit_row(p, &a, nb, s, a.py + row * ((double)s + 0.5));
    sb_printf(b, "</svg>\n<figcaption>The value saved a year against ");
    sb_esc(b, p->strategy[0]);
    sb_printf(b, " minus the strategy's cost a year: a dot at the mean, the "
                 "line its paired 95%% interval; right of the vertical line "
                 "the strategy pays for itself. P(best): the share of "
                 "bootstrap resamples in which it has the highest net "
                 "benefit.</figcaption></figure>\n");
}

/* The same in figures, a row a strategy. */
static void benefit_table(report *p, const benefit *nb)
{
    sb *b = p->b;
    table_open(b);
    th(b, "Strategy", NULL);
    th(b, "Net benefit a year", p->unit);
    th(b, "95% interval", NULL);
    th(b, "P(best)", NULL);
    table_body(b);
    for (size_t s = 0; s < (size_t)p->S; s++) {
        char c[3][NUM_W], lo[32], hi[32];
        fmt_val(c[0], sizeof c[0], nb->m[s]);
        fmt_val(lo, sizeof lo, nb->lo[s]);
        fmt_val(hi, sizeof hi, nb->hi[s]);
        snprintf(c[1], sizeof c[1], "%s to %s", lo, hi);
        fmt_pct(c[2], sizeof c[2], nb->best[s]);
        row_open(b, p->strategy[s], NULL, (int)s == p->rec);
        row_nums(b, 3, c);
    }
    table_close(b);
}

/* Net benefit a year with its interval, a row a strategy. */
static void net_benefit(report *p)
{
    rd *r = &p->r;
    section(p, "strategies", "Strategies by net benefit a year");
    benefit nb;
    nb.m = read_1(r, RP_H5_CMP_NB_MEAN, p->S);
    nb.lo = read_1(r, RP_H5_CMP_NB_LOW, p->S);
    nb.hi = read_1(r, RP_H5_CMP_NB_HIGH, p->S);
    nb.best = read_1(r, RP_H5_CMP_PROB_BEST, p->S);
    size_t S = (size_t)p->S;
    if (nb.m != NULL && nb.lo != NULL && nb.hi != NULL && nb.best != NULL &&
        check_range(r, RP_H5_CMP_PROB_BEST, nb.best, S, 0, 1, 1) &&
        check_range(r, RP_H5_CMP_NB_MEAN, nb.m, S, -1e300, 1e300, 1) &&
        check_range(r, RP_H5_CMP_NB_LOW, nb.lo, S, -1e300, 1e300, 1) &&
        check_range(r, RP_H5_CMP_NB_HIGH, nb.hi, S, -1e300, 1e300, 1)) {
        benefit_chart(p, &nb);
        benefit_table(p, &nb);
    }
    sb_printf(p->b, "</section>\n");
    free(nb.m);
    free(nb.lo);
    free(nb.hi);
    free(nb.best);
}

/* The colours of the risk matrix' cells, from level low to very high. */
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

/* The register as risk_register reads it: the threats' names, their
 * classes [S, H] with the classes' bands, the table's columns. */
typedef struct {
    char **threat;
    double *lk, *cq;     /* likelihood and consequence classes, 1 to 5 */
    double bl[4], bc[4]; /* their bands: events a year, shares of value */
    double *cols[7];     /* register_columns' names */
    int shapley;         /* were Shapley values computed? */
} reg_data;

/* Strategy s's row of the register: each of the H threats' name,
 * likelihood class lk and consequence class cq (1 to 5). */
typedef struct {
    char *const *threat;
    const double *lk, *cq;
    size_t H;
} reg_row;

/* The matrix' key above it: the colour of each level. */
static void matrix_key(sb *b, double x)
{
    static const char *const level[] = {
        "low", "medium", "high", "very high (likelihood x consequence)"};
    for (int k = 0; k < 4; k++) {
        sb_printf(b,
                  "<rect x=\"%.1f\" y=\"10\" width=\"18\" height=\"12\" "
                  "fill=\"%s\" stroke=\"#888888\" stroke-width=\"0.5\"/>\n",
                  x, CELL[k]);
        text(b, x + 24, 21, "start", "legend-text", level[k], 0);
        x += 44 + 6.8 * (double)strlen(level[k]);
    }
}

/* The cell of likelihood l and consequence c, cw x chh at (X, Y), with the
 * names of its threats: as many as fit, then "+n more". */
static void matrix_cell(sb *b, const reg_row *g, int l, int c, double X,
                        double Y, double cw, double chh)
{
    sb_printf(b,
              "<rect class=\"cell\" x=\"%.1f\" y=\"%.1f\" "
              "width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
              X, Y, cw, chh, CELL[cell_level(l, c)]);
    int shown = 0, in = 0, lines = 0, here = 0;
    for (size_t h = 0; h < g->H; h++)
        here += (int)g->lk[h] == l && (int)g->cq[h] == c;
    for (size_t h = 0; h < g->H; h++) {
        if ((int)g->lk[h] != l || (int)g->cq[h] != c)
            continue;
        in++;
        /* a name on two lines while there is room for all */
        int two = here <= 2 || (here == 3 && lines < 3);
        if (lines < 5 && (in == here || lines < 4)) {
            lines += cell_name(b, X + 6, Y + 16 + 13.0 * lines, g->threat[h],
                               two && lines < 4);
            shown++;
        }
    }
    if (in > shown) {
        char t[96];
        snprintf(t, sizeof t, "+%s more", RP_COUNT(in - shown));
        text(b, X + cw - 6, Y + chh - 6, "end", "tick", t, 0);
    }
}

/* The classes' names with their bands (bl: events a year, bc: shares of
 * a year's demand value), likelihood left of the matrix and consequence
 * under it, and the titles of the two axes. */
static void matrix_labels(sb *b, const axes *a, double cw, double chh,
                          const double *bl, const double *bc)
{
    static const char *const lw[] = {"rare", "unlikely", "possible", "likely",
                                     "almost certain"};
    static const char *const cw_[] = {"minor", "moderate", "serious", "major",
                                      "severe"};
    char t[96];
    for (int l = 1; l <= 5; l++) {
        double Y = a->py + (5 - l) * chh + chh / 2;
        snprintf(t, sizeof t, "%d %s", l, lw[l - 1]);
        text(b, a->px - 8, Y - 2, "end", "class-label", t, 0);
        char x[32], y[32];
        if (l == 1)
            snprintf(t, sizeof t, "< %s a year",
                     rp_describe_num(x, sizeof x, bl[0]));
        else if (l == 5)
            snprintf(t, sizeof t, ">= %s a year",
                     rp_describe_num(x, sizeof x, bl[3]));
        else
            snprintf(t, sizeof t, "%s-%s a year",
                     rp_describe_num(x, sizeof x, bl[l - 2]),
                     rp_describe_num(y, sizeof y, bl[l - 1]));
        text(b, a->px - 8, Y + 13, "end", "tick", t, 0);
    }
    for (int c = 1; c <= 5; c++) {
        double X = a->px + (c - 1) * cw + cw / 2, Y = a->py + a->ph;
        snprintf(t, sizeof t, "%d %s", c, cw_[c - 1]);
        text(b, X, Y + 15, "middle", "class-label", t, 0);
        char x[32], y[32];
        if (c == 1)
            snprintf(t, sizeof t, "< %s%%",
                     rp_describe_num(x, sizeof x, 100 * bc[0]));
        else if (c == 5)
            snprintf(t, sizeof t, ">= %s%%",
                     rp_describe_num(x, sizeof x, 100 * bc[3]));
        else
            snprintf(t, sizeof t, "%s-%s%%",
                     rp_describe_num(x, sizeof x, 100 * bc[c - 2]),
                     rp_describe_num(y, sizeof y, 100 * bc[c - 1]));
        text(b, X, Y + 29, "middle", "tick", t, 0);
    }
    text(b, a->px + a->pw / 2, a->py + a->ph + 50, "middle", "axis-title",
         "Consequence: mean loss of an event (share of annual demand value)",
         0);
    sb_printf(b,
              "<text class=\"axis-title\" text-anchor=\"middle\" "
              "transform=\"translate(16 %.1f) rotate(-90)\">Likelihood "
              "(events a year)</text>\n",
              a->py + a->ph / 2);
}

/* The 5 x 5 risk matrix of strategy s: each threat named in its cell. */
static void risk_matrix(report *p, size_t s, const reg_row *g,
                        const double *bl, const double *bc)
{
    sb *b = p->b;
    double cw = 112, chh = 84;
    axes a = {150, 44, 5 * cw, 5 * chh, 0.5, 5.5, 0.5, 5.5, 0};
    char label[200];
    snprintf(label, sizeof label,
             "Risk matrix, likelihood against consequence, strategy %.100s",
             p->strategy[s]);
    svg_open(b, a.py + a.ph + 66, label);
    matrix_key(b, a.px);
    for (int l = 1; l <= 5; l++)
        for (int c = 1; c <= 5; c++)
            matrix_cell(b, g, l, c, a.px + (c - 1) * cw, a.py + (5 - l) * chh,
                        cw, chh);
    matrix_labels(b, &a, cw, chh, bl, bc);
    sb_printf(b, "</svg>\n<figcaption>Each threat in the cell of its "
                 "likelihood class (how often it strikes) and consequence "
                 "class (what an event costs).</figcaption></figure>\n");
}

/* The register of strategy s as a table, by marginal mean (cols: the
 * seven columns of register_columns' names, [S, H] each). */
static void register_table(report *p, size_t s, const reg_row *g,
                           double *const *cols, int shapley)
{
    sb *b = p->b;
    size_t H = g->H;
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
    table_open(b);
    th(b, "Threat", NULL);
    th(b, "Events a year", NULL);
    th(b, "Marginal loss, mean", p->unit);
    th(b, "95% interval", NULL);
    th(b, "Alone", p->unit);
    th(b, "Tail marginal, CVaR 95%", p->unit);
    if (shapley)
        th(b, "Shapley", p->unit);
    th(b, "Class L/C", NULL);
    table_body(b);
    for (size_t i = 0; i < H; i++) {
        size_t h = ord[i], k = s * H + h;
        char c[7][NUM_W], lo[32], hi[32];
        int n = 0;
        rp_describe_num(c[n++], NUM_W, cols[0][k]);
        fmt_val(c[n++], NUM_W, cols[1][k]);
        fmt_val(lo, sizeof lo, cols[2][k]);
        fmt_val(hi, sizeof hi, cols[3][k]);
        snprintf(c[n++], NUM_W, "%s to %s", lo, hi);
        fmt_val(c[n++], NUM_W, cols[4][k]);
        fmt_val(c[n++], NUM_W, cols[5][k]);
        if (shapley)
            fmt_val(c[n++], NUM_W, cols[6][k]);
        snprintf(c[n++], NUM_W, "%d/%d", (int)g->lk[h], (int)g->cq[h]);
        row_open(b, g->threat[h], NULL, 0);
        row_nums(b, n, c);
    }
    table_close(b);
    free(ord);
}

/* The risk matrix and the register's table of strategy s. */
static void register_of(report *p, size_t s, const reg_data *d)
{
    sb *b = p->b;
    size_t H = (size_t)p->H;
    reg_row g = {d->threat, d->lk + s * H, d->cq + s * H, H};
    sb_printf(b, "<h3>Strategy ");
    sb_esc(b, p->strategy[s]);
    sb_printf(b, "</h3>\n<figure>\n");
    risk_matrix(p, s, &g, d->bl, d->bc);
    register_table(p, s, &g, d->cols, d->shapley);
}

/* The classes [S, H] and their bands, whole and within 1 to 5; 1 when
 * read and right (0: a problem, reported). */
static int register_classes(report *p, reg_data *d)
{
    rd *r = &p->r;
    size_t n = (size_t)p->S * (size_t)p->H;
    d->lk = read_2(r, RP_H5_REG_LIKELIHOOD, p->S, p->H);
    d->cq = read_2(r, RP_H5_REG_CONSEQUENCE, p->S, p->H);
    int ok = d->lk != NULL && d->cq != NULL;
    ok = ok && check_range(r, RP_H5_REG_LIKELIHOOD, d->lk, n, 1, 5, 0);
    ok = ok && check_range(r, RP_H5_REG_CONSEQUENCE, d->cq, n, 1, 5, 0);
    for (size_t i = 0; ok && i < n; i++)
        if (d->lk[i] != floor(d->lk[i]) || d->cq[i] != floor(d->cq[i])) {
            rp_h5r_problem(r, RP_H5G_REGISTER,
                           "expected whole classes, found %g",
                           d->lk[i] != floor(d->lk[i]) ? d->lk[i] : d->cq[i]);
            ok = 0;
        }
    ok = ok && attr_nums(r, RP_H5_REG_LIKELIHOOD, "bands_events_per_year",
                         d->bl, 4, 1) == 0;
    ok = ok &&
         attr_nums(r, RP_H5_REG_CONSEQUENCE,
                   "bands_share_of_annual_demand_value", d->bc, 4, 1) == 0;
    return ok;
}

/* The seven columns of the table (and whether Shapley values were
 * computed); 1 when read and finite or NaN (0: a problem, reported). */
static int register_columns(report *p, reg_data *d)
{
    static const char *const names[] = {"events_per_year",
                                        "marginal_mean",
                                        "marginal_ci95_low",
                                        "marginal_ci95_high",
                                        "standalone_mean",
                                        "tail_marginal_cvar95",
                                        "shapley"};
    rd *r = &p->r;
    size_t n = (size_t)p->S * (size_t)p->H;
    int ok = 1;
    for (int k = 0; ok && k < 7; k++) {
        char path[96];
        snprintf(path, sizeof path, "/risk_register/%s", names[k]);
        d->cols[k] = read_2(r, path, p->S, p->H);
        ok = d->cols[k] != NULL &&
             check_range(r, path, d->cols[k], n, -1e300, 1e300, 1);
    }
    d->shapley = 0;
    for (size_t i = 0; ok && i < n; i++)
        d->shapley |= !isnan(d->cols[6][i]);
    return ok;
}

/* The risk register of the baseline and of the recommended strategy. */
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
    reg_data d;
    memset(&d, 0, sizeof d);
    d.threat = read_strs(r, RP_H5G_REGISTER "/" RP_H5S_THREAT, &H);
    if (d.threat == NULL) {
        sb_printf(b, "</section>\n");
        return;
    }
    p->H = H;
    if (register_classes(p, &d) && register_columns(p, &d)) {
        sb_printf(b, "<p>Each threat's likelihood (events a year) and "
                     "consequence (mean loss of an event as a share of a "
                     "year's demand value); the table gives what each "
                     "threat adds to the loss over the horizon.</p>\n");
        register_of(p, 0, &d);
        if (p->rec > 0)
            register_of(p, (size_t)p->rec, &d);
    }
    sb_printf(b, "</section>\n");
    rp_h5r_free_strs(d.threat, (size_t)H);
    free(d.lk);
    free(d.cq);
    for (int k = 0; k < 7; k++)
        free(d.cols[k]);
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

/* /node of the baseline: ids, names (NULL when absent), P(hit) and the
 * network's loss when hit; rk[0..top) the sites by their product. */
typedef struct {
    char **id, **name;
    double *crit, *pd;
    ranked *rk;
    size_t top;
} sites;

/* The name of site i (its id when the file has no names). */
static const char *site_name(const sites *t, size_t i)
{
    return t->name != NULL ? t->name[i] : t->id[i];
}

/* The bar chart of the top sites and its caption. */
static void sites_chart(report *p, const sites *t)
{
    sb *b = p->b;
    double x1 = t->rk[0].score, x0 = 0;
    nice_range(&x0, &x1, 5);
    double row = 26;
    axes a = {230, 20, SVG_W - 300, row * (double)t->top, x0, x1, 0, 1, 0};
    char xt[200], v[64];
    snprintf(xt, sizeof xt,
             "P(site hit) x network loss when hit (%s over the horizon)",
             p->unit);
    sb_printf(b, "<figure>\n");
    svg_open(b, a.py + a.ph + 50,
             "The most critical sites: chance of a hit times the network "
             "loss when hit");
    sb_printf(b, "<g class=\"grid\">\n");
    x_grid(b, &a, 5, F_VAL);
    sb_printf(b, "</g>\n");
    x_title(b, &a, xt);
    for (size_t k = 0; k < t->top; k++) {
        double Y = a.py + row * (double)k, sc = t->rk[k].score;
        text(b, a.px - 8, Y + row / 2 + 4, "end", "row-label",
             site_name(t, t->rk[k].i), 30);
        sb_printf(b,
                  "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                  "height=\"%.1f\" fill=\"%s\"/>\n",
                  a.px, Y + 4, mx(&a, sc) - a.px, row - 8, BASE);
        fmt_val(v, sizeof v, sc);
        text(b, mx(&a, sc) + 4, Y + row / 2 + 4, "start", "value", v, 0);
    }
    svg_line(b, a.px, a.py, a.px, a.py + a.ph, " stroke=\"#333333\"");
    sb_printf(b, "</svg>\n<figcaption>Strategy ");
    sb_esc(b, p->strategy[0]);
    sb_printf(b,
              ": the %s sites with the largest chance of being hit by "
              "an event times the mean loss of the whole network in the "
              "replications where they are hit.</figcaption></figure>\n",
              RP_COUNT(t->top));
}

/* The same in figures; a site's id beside its name when they differ. */
static void sites_table(report *p, const sites *t)
{
    sb *b = p->b;
    table_open(b);
    th(b, "Site", NULL);
    th(b, "P(hit)", NULL);
    th(b, "Network loss when hit", p->unit);
    th(b, "P(hit) x loss when hit", p->unit);
    table_body(b);
    for (size_t k = 0; k < t->top; k++) {
        size_t i = t->rk[k].i;
        char c[3][NUM_W];
        fmt_pct(c[0], sizeof c[0], t->pd[i]);
        fmt_val(c[1], sizeof c[1], t->crit[i]);
        fmt_val(c[2], sizeof c[2], t->rk[k].score);
        int other = t->name != NULL && strcmp(t->name[i], t->id[i]) != 0;
        row_open(b, site_name(t, i), other ? t->id[i] : NULL, 0);
        row_nums(b, 3, c);
    }
    table_close(b);
}

/* The ten sites of the baseline with the largest P(hit) x loss when hit,
 * as bars and a table. */
static void critical_sites(report *p)
{
    rd *r = &p->r;
    section(p, "sites", "The most critical sites");
    if (!rp_h5r_exists(r, RP_H5G_NODE)) {
        left_out(p, "sites", "no /node group");
        return;
    }
    hsize_t N = 0;
    sites t = {0};
    t.id = read_strs(r, RP_H5G_NODE "/" RP_H5S_NODE, &N);
    if (t.id != NULL && rp_h5r_exists(r, RP_H5_NODE_NAME))
        t.name = read_strs(r, RP_H5_NODE_NAME, &N);
    t.crit = t.id ? read_2(r, RP_H5_NODE_CRITICALITY, p->S, N) : NULL;
    t.pd = t.id ? read_2(r, RP_H5_NODE_P_DIS, p->S, N) : NULL;
    t.rk = malloc((N ? N : 1) * sizeof *t.rk);
    if (t.crit != NULL && t.pd != NULL && t.rk != NULL &&
        check_range(r, RP_H5_NODE_P_DIS, t.pd, (size_t)(p->S * N), 0, 1, 0) &&
        check_range(r, RP_H5_NODE_CRITICALITY, t.crit, (size_t)(p->S * N), 0,
                    1e300, 1)) {
        size_t n = 0;
        for (size_t i = 0; i < (size_t)N; i++) {
            double sc = t.pd[i] * t.crit[i];
            if (isfinite(sc) && sc > 0)
                t.rk[n++] = (ranked){sc, i};
        }
        qsort(t.rk, n, sizeof *t.rk, cmp_ranked);
        t.top = n < 10 ? n : 10;
        if (t.top == 0) {
            sb_printf(p->b, "<p>No site was hit in any replication.</p>\n");
        } else {
            sites_chart(p, &t);
            sites_table(p, &t);
        }
    }
    sb_printf(p->b, "</section>\n");
    free(t.rk);
    free(t.crit);
    free(t.pd);
    rp_h5r_free_strs(t.id, (size_t)N);
    rp_h5r_free_strs(t.name, (size_t)N);
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

/* The sizes of a run file: its strategies (read into p->strategy), its
 * replications and its days. */
static void run_sizes(report *p)
{
    rd *r = &p->r;
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
}

/* The recommendation (`rec` and `why`, from /comparison's attributes,
 * either may be NULL) as the page's headline; `why` as a sentence. */
static void headline(sb *b, const char *rec, char *why)
{
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
}

/* The page of a run file: the headline, then a section a part, each
 * after the last has found no problem. */
static void run_report(report *p)
{
    rd *r = &p->r;
    run_sizes(p);
    if (r->bad)
        return;
    p->rec = -1;
    char *rec = attr_str(r, RP_H5G_COMPARISON, "recommended", 0);
    char *why = attr_str(r, RP_H5G_COMPARISON, "recommendation", 0);
    for (size_t s = 0; rec != NULL && s < (size_t)p->S; s++)
        if (strcmp(rec, p->strategy[s]) == 0)
            p->rec = (int)s;
    if (rec != NULL && p->rec < 0)
        rp_h5r_problem(r, "/comparison attribute recommended",
                       "expected the name of a strategy in /strategy, found "
                       "another name");
    if (!r->bad) /* the baseline alone: nothing compared, none chosen */
        headline(p->b, p->S > 1 ? rec : NULL, why);
    H5free_memory(rec);
    H5free_memory(why);
    if (r->bad)
        return;
    loss_exceedance(p);
    if (r->bad)
        return;
    service(p, service_target(r));
    if (r->bad)
        return;
    if (p->S == 1) { /* the baseline alone: no chart of one bar at zero */
        section(p, "strategies", "Strategies by net benefit a year");
        sb_printf(p->b,
                  "<p>Only the baseline was run: there is no treatment to "
                  "compare.  Add strategies to the scenario (more stock, a "
                  "second source, hardened sites, faster recovery) to see "
                  "their net benefit a year here.</p>\n</section>\n");
    } else if (rp_h5r_exists(r, RP_H5G_COMPARISON)) {
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

/* A stress file's /stress, checked: per site its time to recover and to
 * survive, performance impact, REI, exposed and tested flags; rk[0..nex)
 * the exposed sites by performance impact, largest first. */
typedef struct {
    char **id;
    double *ttr, *tts, *pi, *rei, *ex, *te;
    ranked *rk;
    size_t n, nex, tested;
} stress_data;

/* 1 when every dataset is read and in range (0: a problem, reported). */
static int stress_read(report *p, stress_data *st)
{
    rd *r = &p->r;
    hsize_t N = st->n;
    st->ttr = read_1(r, RP_H5_STRESS_TTR, N);
    st->tts = read_1(r, RP_H5_STRESS_TTS, N);
    st->pi = read_1(r, RP_H5_STRESS_PI, N);
    st->rei = read_1(r, RP_H5_STRESS_REI, N);
    st->ex = read_1(r, RP_H5_STRESS_EXPOSED, N);
    st->te = read_1(r, RP_H5_STRESS_TESTED, N);
    st->rk = malloc(N * sizeof *st->rk);
    size_t n = st->n;
    return st->ttr != NULL && st->tts != NULL && st->pi != NULL &&
           st->rei != NULL && st->ex != NULL && st->te != NULL &&
           st->rk != NULL &&
           check_range(r, RP_H5_STRESS_TTR, st->ttr, n, 0, 1e7, 0) &&
           check_range(r, RP_H5_STRESS_TTS, st->tts, n, 0, 1e7, 0) &&
           check_range(r, RP_H5_STRESS_PI, st->pi, n, 0, 1e300, 0) &&
           check_range(r, RP_H5_STRESS_REI, st->rei, n, 0, 1, 1) &&
           check_range(r, RP_H5_STRESS_EXPOSED, st->ex, n, 0, 1, 0) &&
           check_range(r, RP_H5_STRESS_TESTED, st->te, n, 0, 1, 0);
}

static void stress_free(stress_data *st)
{
    free(st->rk);
    free(st->ttr);
    free(st->tts);
    free(st->pi);
    free(st->rei);
    free(st->ex);
    free(st->te);
    rp_h5r_free_strs(st->id, st->n);
}

/* Counts the tested and exposed sites, ranks the exposed ones; *xhi and
 * *yhi: the largest TTR and TTS (at least 1). */
static void stress_rank(stress_data *st, double *xhi, double *yhi)
{
    st->tested = st->nex = 0;
    *xhi = *yhi = 1;
    for (size_t i = 0; i < st->n; i++) {
        if (st->te[i] == 0)
            continue;
        st->tested++;
        if (st->ex[i] != 0)
            st->rk[st->nex++] = (ranked){st->pi[i], i};
        if (st->ttr[i] > *xhi)
            *xhi = st->ttr[i];
        if (st->tts[i] > *yhi)
            *yhi = st->tts[i];
    }
    qsort(st->rk, st->nex, sizeof *st->rk, cmp_ranked);
}

/* The sites that can wait out their recovery, a point a pixel (sites on
 * the same pixel are drawn once), then the exposed ones as triangles. */
static void stress_points(sb *b, const axes *a, const stress_data *st)
{
    unsigned char *drawn = calloc(480 * 400, 1);
    for (size_t i = 0; i < st->n; i++) {
        if (st->te[i] == 0 || st->ex[i] != 0)
            continue;
        double X = mx(a, st->ttr[i]), Y = my(a, st->tts[i]);
        size_t cell = (size_t)(X - a->px) * 400 + (size_t)(Y - a->py);
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
    for (size_t k = st->nex; k-- > 0;) {
        size_t i = st->rk[k].i;
        sb_printf(b,
                  "<path class=\"exposed\" d=\"M%.1f %.1fl5.5 9.5h-11z\" "
                  "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"0.6\"/>\n",
                  mx(a, st->ttr[i]), my(a, st->tts[i]) - 6, HI);
    }
}

/* The heights ly[0..lab) of the names of byy (sorted top first): each
 * near its point's height, at least `gap` apart, none under `bottom`. */
static void label_heights(const ranked *byy, double *ly, size_t lab,
                          double gap, double bottom)
{
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
}

/* The names of the `lab` most damaging exposed sites right of the plot,
 * each near the height of its point and joined to it; sites on one point
 * get a bracket over their names and one line. */
static void exposed_names(sb *b, const axes *a, const stress_data *st,
                          size_t lab)
{
    ranked *byy = malloc((lab ? lab : 1) * sizeof *byy);
    double *ly = malloc((lab ? lab : 1) * sizeof *ly);
    const double *ttr = st->ttr, *tts = st->tts;
    if (byy == NULL || ly == NULL)
        goto out;
    for (size_t k = 0; k < lab; k++) {
        size_t i = st->rk[k].i;
        byy[k] = (ranked){-my(a, tts[i]) - 1e-6 * mx(a, ttr[i]), i};
    }
    qsort(byy, lab, sizeof *byy, cmp_ranked); /* top first */
    label_heights(byy, ly, lab, 14, a->py + a->ph + 4);
    double lx = a->px + a->pw + 22;
    for (size_t k = 0; k < lab;) {
        size_t i = byy[k].i, g = k + 1;
        double X = mx(a, ttr[i]), Y = my(a, tts[i]);
        while (g < lab && fabs(mx(a, ttr[byy[g].i]) - X) < 0.5 &&
               fabs(my(a, tts[byy[g].i]) - Y) < 0.5)
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
        svg_line(b, X + 7, Y, g - k > 1 ? lx - 7 : lx - 3, (top + bot) / 2,
                 " stroke=\"" HI "\" stroke-width=\"0.7\"");
        for (; k < g; k++)
            text(b, lx, ly[k], "start", "point-label", st->id[byy[k].i], 20);
    }
out:
    free(byy);
    free(ly);
}

/* The chart of TTS against TTR, a point a tested site, the region below
 * the diagonal shaded, with its caption. */
static void stress_chart(report *p, const stress_data *st, double xhi,
                         double yhi)
{
    sb *b = p->b;
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
    stress_points(b, &a, st);
    size_t lab = st->nex < 16 ? st->nex : 16;
    exposed_names(b, &a, st, lab);
    sb_printf(b, "</svg>\n<figcaption>A point a tested site: days the "
                 "network can go on meeting demand with the site down (TTS) "
                 "against the days the site needs to recover (TTR). Sites "
                 "below the dashed diagonal are exposed");
    if (st->nex > lab)
        sb_printf(b,
                  "; the %s with the largest performance impact are "
                  "named",
                  RP_COUNT(lab));
    sb_printf(b, ".</figcaption></figure>\n");
}

/* Every exposed site in a table, by performance impact. */
static void exposed_table(report *p, const stress_data *st)
{
    sb *b = p->b;
    if (st->nex == 0) {
        sb_printf(b, "<p>No tested site is exposed.</p>\n");
        return;
    }
    table_open(b);
    th(b, "Site", NULL);
    th(b, "TTS (days)", NULL);
    th(b, "TTR (days)", NULL);
    th(b, "Days short", NULL);
    th(b, "Performance impact", p->unit);
    th(b, "REI (share of the worst)", NULL);
    table_body(b);
    for (size_t k = 0; k < st->nex; k++) {
        size_t i = st->rk[k].i;
        char c[5][NUM_W];
        snprintf(c[0], sizeof c[0], "%.0f", st->tts[i]);
        snprintf(c[1], sizeof c[1], "%.0f", st->ttr[i]);
        snprintf(c[2], sizeof c[2], "%.0f", st->ttr[i] - st->tts[i]);
        fmt_val(c[3], sizeof c[3], st->pi[i]);
        snprintf(c[4], sizeof c[4], "%.2f", st->rei[i]);
        row_open(b, st->id[i], NULL, 0);
        row_nums(b, 5, c);
    }
    table_close(b);
}

/* The page of a stress file: how many sites are exposed, TTS against
 * TTR, the exposed sites. */
static void stress_report(report *p)
{
    sb *b = p->b;
    hsize_t N = 0;
    stress_data st;
    memset(&st, 0, sizeof st);
    st.id = read_strs(&p->r, RP_H5G_STRESS "/" RP_H5S_NODE, &N);
    if (st.id == NULL)
        return;
    st.n = (size_t)N;
    if (stress_read(p, &st)) {
        double xhi, yhi;
        stress_rank(&st, &xhi, &yhi);
        sb_printf(b,
                  "<div class=\"headline\"><p class=\"rec-line\"><strong>%s "
                  "of %s</strong> tested sites are exposed</p><p>An exposed "
                  "site takes longer to recover (TTR) than the network can "
                  "survive without it (TTS).</p></div>\n",
                  RP_COUNT(st.nex), RP_COUNT(st.tested));
        section(p, "tts", "Time to survive against time to recover");
        stress_chart(p, &st, xhi, yhi);
        sb_printf(b, "</section>\n");
        section(p, "exposed", "Exposed sites");
        exposed_table(p, &st);
        sb_printf(b, "</section>\n");
    }
    stress_free(&st);
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

rp_status rp_report_write(const char *out, const char *page, size_t len,
                          rp_errors *err)
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
    while (done < len && e == 0) {
        ssize_t w = write(fd, page + done, len - done);
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

/* The root attributes shown in the page's header. */
typedef struct {
    char *kind, *name, *ver, *created, *cur;
    double seed, reps, hor, mv;
} page_meta;

static void meta_read(rd *r, page_meta *m)
{
    m->kind = attr_str(r, "/", "run_kind", 1);
    m->name = attr_str(r, "/", "scenario_name", 0);
    m->ver = attr_str(r, "/", "ripple_version", 0);
    m->created = attr_str(r, "/", "created_utc", 0);
    m->cur = attr_str(r, "/", "currency", 0);
    m->seed = m->reps = m->hor = m->mv = NAN;
    attr_nums(r, "/", "seed", &m->seed, 1, 0);
    attr_nums(r, "/", "replications", &m->reps, 1, 0);
    attr_nums(r, "/", "horizon_days", &m->hor, 1, 0);
    attr_nums(r, "/", "model_version", &m->mv, 1, 0);
    if (m->kind != NULL && strcmp(m->kind, "run") != 0 &&
        strcmp(m->kind, "stress") != 0)
        rp_h5r_problem(r, "attribute run_kind",
                       "expected \"run\" or \"stress\", found another word");
}

static void meta_free(page_meta *m)
{
    H5free_memory(m->kind);
    H5free_memory(m->name);
    H5free_memory(m->ver);
    H5free_memory(m->created);
    H5free_memory(m->cur);
}

/* The table of the header: what the results file says of itself. */
static void meta_table(sb *b, const char *in, const page_meta *m, int stress)
{
    char v[64];
    sb_printf(b, "<table class=\"meta\">\n");
    meta_row(b, "Scenario", m->name);
    meta_row(b, "Results file", base_name(in));
    snprintf(v, sizeof v, "%.0f", m->seed);
    meta_row(b, "Seed", isfinite(m->seed) ? v : NULL);
    if (!stress) {
        rp_describe_num(v, sizeof v, m->reps); /* 2,000 as inspect says */
        meta_row(b, "Replications", isfinite(m->reps) ? v : NULL);
    }
    if (isfinite(m->hor) && fabs(m->hor) < 1e15) /* 3,650 days */
        snprintf(v, sizeof v, "%s day%s", RP_COUNT(llround(m->hor)),
                 m->hor == 1 ? "" : "s");
    meta_row(b, "Horizon", isfinite(m->hor) && fabs(m->hor) < 1e15 ? v : NULL);
    snprintf(v, sizeof v, "%.0f", m->mv);
    meta_row(b, "Model version", isfinite(m->mv) ? v : NULL);
    meta_row(b, "Engine version", m->ver != NULL ? m->ver : NULL);
    meta_row(b, "Created (UTC)", m->created);
    meta_row(b, "Unit of value", rp_describe_money(m->cur));
    sb_printf(b, "</table>\n");
}

/* The page from its first line to <main>: head, styles, the header. */
static void page_head(sb *b, const char *in, const page_meta *m, int stress)
{
    const char *title = m->name != NULL ? m->name : base_name(in);
    sb_printf(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                 "<meta charset=\"utf-8\">\n"
                 "<meta http-equiv=\"Content-Security-Policy\" "
                 "content=\"default-src 'none'; style-src "
                 "'unsafe-inline'; img-src data:\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, "
                 "initial-scale=1\">\n"
                 "<link rel=\"icon\" href=\"data:,\">\n<title>");
    sb_printf(b, "Ripple %s report: ", stress ? "stress" : "risk");
    sb_esc_n(b, title, 120);
    sb_printf(b,
              "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
              "<header>\n<h1>",
              CSS);
    sb_printf(b,
              "%s: ", stress ? "Stress test" : "Supply-chain disruption risk");
    sb_esc_n(b, title, 120);
    sb_printf(b, "</h1>\n<p class=\"sub\">%s</p>\n",
              stress ? "Each site down for its time to recover, one at "
                       "a time."
                     : "Monte Carlo simulation of the scenario's "
                       "threats for every strategy.");
    meta_table(b, in, m, stress);
    sb_printf(b, "</header>\n<main>\n");
}

rp_status rp_report(const char *in, const char *out, int *notes,
                    rp_errors *err)
{
    /* (before the library reads a string: rp_sweep_is_file does) */
    if (rp_h5r_check_heaps(in, err) != RP_OK)
        return RP_EINPUT;
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
    page_meta m;
    meta_read(r, &m);
    snprintf(p.unit, sizeof p.unit, "%.40s", rp_describe_money(m.cur));
    if (!r->bad) {
        int stress = strcmp(m.kind, "stress") == 0;
        page_head(&b, in, &m, stress);
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
    meta_free(&m);
    H5Fclose(p.r.file);
    if (b.oom && !r->bad)
        rp_err_runtime(err, "%s: out of memory", out);
    if (notes != NULL)
        *notes = p.notes;
    st = rp_err_status(err);
    if (st == RP_OK)
        st = rp_report_write(out, b.s, b.len, err);
    free(b.s);
    return st;
}

/* ---- the command ---- */

/* The default page: the results file's name, .h5 made .html, beside it,
 * in def[n] (NULL, said on stderr, when too long). */
static const char *default_output(const char *in, char *def, size_t n)
{
    size_t len = strlen(in);
    if (len > 3 && strcmp(in + len - 3, ".h5") == 0)
        len -= 3;
    if (len + 6 > n) {
        fprintf(stderr, "ripple: error: the results file's name is too "
                        "long for a default report name: give -o\n");
        return NULL;
    }
    memcpy(def, in, len);
    memcpy(def + len, ".html", 6);
    return def;
}

/* Is `out` the results file itself (said on stderr)? */
static int same_file(const char *in, const char *out)
{
    struct stat si, so;
    if (stat(in, &si) == 0 && stat(out, &so) == 0 && si.st_dev == so.st_dev &&
        si.st_ino == so.st_ino) {
        char safe[256];
        rp_escape(out, safe, sizeof safe);
        fprintf(stderr,
                "ripple: error: %s: is the results file itself; give "
                "another -o\n",
                safe);
        rp_cli_usage("report"); /* as after every bad option value */
        return 1;
    }
    return 0;
}

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
    if (rp_cli_one_arg(argc, argv, &in, "report") != 0)
        return RP_EINPUT;
    if (in == NULL)
        return rp_cli_missing("report", "a results file");
    char def[PATH_MAX];
    if (out == NULL && (out = default_output(in, def, sizeof def)) == NULL)
        return RP_EINPUT;
    if (same_file(in, out))
        return RP_EINPUT;
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
            printf(" (%s part%s not in the results file: noted in the page)",
                   RP_COUNT(notes), notes == 1 ? "" : "s");
        printf("\n");
    }
    return 0;
}
