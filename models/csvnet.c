/* Networks as a pair of CSV files: rows to the JSON network document, the
 * network parser's messages back to CSV lines, and the way out (export).
 *
 * The CSV syntax is libcsv's (RFC 4180: quoted fields may hold the
 * separator, doubled quotes and line breaks), in strict mode: a quote
 * inside an unquoted field or after a closing quote is an error, as is a
 * quoted field still open at the end of the file.  Spaces and tabs around
 * an unquoted field are dropped.  Types are decided by column: a number
 * column's cell becomes a JSON number only when it is one by JSON's
 * grammar ("12,5", "1.", ".5", "0x10" and "inf" are not), else it stays a
 * string, which the network parser refuses with its usual message. */
#define _POSIX_C_SOURCE 200809L /* PATH_MAX (ripple/files.h) */
#include "ripple/csvnet.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ripple/bounds.h"
#include "ripple/files.h"
#include "ripple/resources.h"
#include "ripple/util.h"

typedef enum { T_STR, T_NUM, T_BOOL, T_TAGS } col_type;

typedef struct {
    const char *name;
    col_type type;
} col_def;

/* The fields of a node and of an edge, in the order export writes them
 * (the keys network.c accepts). */
static const col_def NODE_COLS[] = {{"id", T_STR},
                                    {"name", T_STR},
                                    {"kind", T_STR},
                                    {"region", T_STR},
                                    {"tags", T_TAGS},
                                    {"demand", T_NUM},
                                    {"capacity", T_NUM},
                                    {"inventory_days", T_NUM},
                                    {"unit_value", T_NUM},
                                    {"protection", T_NUM},
                                    {"ttr_days", T_NUM},
                                    {"spare_capacity", T_NUM},
                                    {"recovery_factor", T_NUM},
                                    {"fail_probability", T_NUM},
                                    {NULL, T_STR}};
static const col_def EDGE_COLS[] = {{"from", T_STR},
                                    {"to", T_STR},
                                    {"input", T_STR},
                                    {"ratio", T_NUM},
                                    {"share", T_NUM},
                                    {"lead_time", T_NUM},
                                    {"standby", T_BOOL},
                                    {"standby_share", T_NUM},
                                    {"activation_delay", T_NUM},
                                    {NULL, T_STR}};

#define MAX_COLS 64

const char *const rp_csvnet_keys[] = {"nodes_csv", "edges_csv", "name",
                                      "description", NULL};

/* ---- reading one table -------------------------------------------------- */

typedef struct {
    const char *label;
    rp_errors *err;
    const col_def *cols;
    int line;       /* the physical line being fed */
    int start_line; /* the line the current record began on */
    int header_done;
    int ncols;
    int col[MAX_COLS]; /* header column -> index in cols, or -1 */
    int field;         /* fields of the current record so far */
    int filled;        /* non-empty cells of the current record */
    cJSON *row;
    cJSON *rows;
    int *lines;
    int nrows, caprows;
    int oom;
} reader;

/* Length of a JSON number at s (0 if none); as in json.c. */
static size_t number_len(const char *s, size_t n)
{
    size_t i = 0;
#define DIG(k) ((k) < n && s[k] >= '0' && s[k] <= '9')
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0')
        i++;
    else if (DIG(i))
        while (DIG(i))
            i++;
    else
        return 0;
    if (i < n && s[i] == '.') {
        i++;
        if (!DIG(i))
            return 0;
        while (DIG(i))
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (!DIG(i))
            return 0;
        while (DIG(i))
            i++;
    }
#undef DIG
    return i;
}

static void list_cols(const col_def *cols, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const col_def *d = cols; d->name != NULL && used < n; d++) {
        int w =
            snprintf(buf + used, n - used, "%s%s", used ? ", " : "", d->name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* 0, or -1 with an error: text that is not UTF-8 or holds a control
 * character (the rule JSON input follows for ids, names and keys). */
static int check_cell(reader *r, const char *col, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int k = rp_utf8_next(s + i, len - i, &cp);
        if (k == 0) {
            rp_err_add(r->err,
                       "%s:%d: %s: not UTF-8 (byte 0x%02x); CSV files must "
                       "be UTF-8",
                       r->label, r->start_line, col, (unsigned char)s[i]);
            return -1;
        }
        if (rp_is_control(cp)) {
            rp_err_add(r->err,
                       "%s:%d: %s: holds a control character (U+%04X); ids, "
                       "names and keys must be printable",
                       r->label, r->start_line, col, (unsigned)cp);
            return -1;
        }
        i += (size_t)k;
    }
    return 0;
}

static void header_field(reader *r, const char *s, size_t len)
{
    int f = r->field;
    if (f >= MAX_COLS) {
        if (f == MAX_COLS)
            rp_err_add(r->err, "%s:%d: more than %d columns", r->label,
                       r->start_line, MAX_COLS);
        return;
    }
    r->col[f] = -1;
    r->ncols = f + 1;
    char name[64]; /* a NUL in the cell is shown, not where the name ends */
    rp_escape_n(s ? s : "", s ? len : 0, name, sizeof name);
    if (s == NULL || len == 0) {
        r->col[f] = -2; /* no name (a spreadsheet's trailing column): its
                           cells must be empty */
        return;
    }
    for (int k = 0; r->cols[k].name != NULL; k++) {
        if (strlen(r->cols[k].name) == len &&
            memcmp(r->cols[k].name, s, len) == 0) {
            for (int q = 0; q < f; q++) {
                if (r->col[q] == k) {
                    rp_err_add(r->err, "%s:%d: column \"%s\" appears twice",
                               r->label, r->start_line, name);
                    return;
                }
            }
            r->col[f] = k;
            return;
        }
    }
    char allowed[400];
    list_cols(r->cols, allowed, sizeof allowed);
    rp_err_add(r->err, "%s:%d: unknown column \"%s\" (allowed: %s)", r->label,
               r->start_line, name, allowed);
}

static void add_tags(reader *r, const char *col, const char *s)
{
    cJSON *arr = cJSON_AddArrayToObject(r->row, col);
    if (arr == NULL) {
        r->oom = 1;
        return;
    }
    const char *p = s;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        while (n > 0 && (*p == ' ' || *p == '\t')) {
            p++;
            n--;
        }
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n == 0) {
            char safe[128];
            rp_escape(s, safe, sizeof safe);
            rp_err_add(r->err,
                       "%s:%d: %s: an empty tag in \"%s\" (tags are "
                       "separated by '|')",
                       r->label, r->start_line, col, safe);
            return;
        }
        char *t = malloc(n + 1);
        if (t == NULL) {
            r->oom = 1;
            return;
        }
        memcpy(t, p, n);
        t[n] = '\0';
        cJSON *item = cJSON_CreateString(t);
        free(t);
        if (item == NULL || !cJSON_AddItemToArray(arr, item)) {
            cJSON_Delete(item);
            r->oom = 1;
            return;
        }
        if (bar == NULL)
            break;
        p = bar + 1;
    }
}

static void data_field(reader *r, const char *s, size_t len)
{
    int f = r->field;
    if (f >= r->ncols || s == NULL || len == 0)
        return;
    r->filled++;
    int k = r->col[f];
    if (k == -2)
        rp_err_add(r->err,
                   "%s:%d: a value in column %d, which has no name in the "
                   "header",
                   r->label, r->start_line, f + 1);
    if (k < 0)
        return;
    if (r->row == NULL && (r->row = cJSON_CreateObject()) == NULL) {
        r->oom = 1;
        return;
    }
    const col_def *d = &r->cols[k];
    if (check_cell(r, d->name, s, len) != 0)
        return;
    cJSON *item = NULL;
    if (d->type == T_NUM && number_len(s, len) == len) {
        double v = strtod(s, NULL);
        if (v == v && v - v == 0) { /* finite */
            item = cJSON_CreateNumber(v);
        } else {
            /* (a number past the largest double: said so, not "must be a
             * number" of what is one) */
            char safe[64];
            rp_escape(s, safe, sizeof safe);
            rp_err_add(r->err,
                       "%s:%d: %s: \"%s\" is too large a number (the "
                       "largest is about 1.8e308)",
                       r->label, r->start_line, d->name, safe);
            return;
        }
    } else if (d->type == T_BOOL &&
               (strcmp(s, "true") == 0 || strcmp(s, "TRUE") == 0 ||
                strcmp(s, "True") == 0)) {
        item = cJSON_CreateTrue();
    } else if (d->type == T_BOOL &&
               (strcmp(s, "false") == 0 || strcmp(s, "FALSE") == 0 ||
                strcmp(s, "False") == 0)) {
        item = cJSON_CreateFalse();
    } else if (d->type == T_TAGS) {
        add_tags(r, d->name, s);
        return;
    }
    if (item == NULL)
        item = cJSON_CreateString(s); /* the parser says what is wanted */
    if (item == NULL || !cJSON_AddItemToObject(r->row, d->name, item)) {
        cJSON_Delete(item);
        r->oom = 1;
    }
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (!r->header_done)
        header_field(r, s, len);
    else
        data_field(r, s, len);
    r->field++;
}

static void on_record(int term, void *data)
{
    (void)term;
    reader *r = data;
    if (!r->header_done) {
        r->header_done = 1;
        r->field = 0;
        return;
    }
    if (r->filled == 0) { /* a row of empty cells: skipped */
        cJSON_Delete(r->row);
        r->row = NULL;
        r->field = 0;
        return;
    }
    if (r->field != r->ncols)
        rp_err_add(r->err, "%s:%d: %d cells, the header has %d columns",
                   r->label, r->start_line, r->field, r->ncols);
    if (r->row == NULL)
        r->row = cJSON_CreateObject();
    if (r->nrows == r->caprows) {
        int cap = r->caprows ? 2 * r->caprows : 64;
        int *l = realloc(r->lines, (size_t)cap * sizeof *l);
        if (l == NULL) {
            r->oom = 1;
        } else {
            r->lines = l;
            r->caprows = cap;
        }
    }
    if (r->row == NULL || r->oom || !cJSON_AddItemToArray(r->rows, r->row)) {
        cJSON_Delete(r->row);
        r->oom = 1;
    } else {
        r->lines[r->nrows++] = r->start_line;
    }
    r->row = NULL;
    r->field = 0;
    r->filled = 0;
}

/* ',' or ';': whichever the header line (outside quotes) has more of. */
static unsigned char detect_sep(const char *s, size_t n)
{
    int commas = 0, semis = 0, quoted = 0;
    for (size_t i = 0; i < n && (quoted || (s[i] != '\n' && s[i] != '\r'));
         i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && s[i] == ',')
            commas++;
        else if (!quoted && s[i] == ';')
            semis++;
    }
    return semis > commas ? ';' : ',';
}

rp_status rp_csv_table_parse(const char *label, const char *text, size_t len,
                             rp_csv_table t, cJSON **rows, int **lines,
                             rp_errors *err)
{
    *rows = NULL;
    *lines = NULL;
    int before = err->count + err->dropped;
    /* a table saved as UTF-16 (a spreadsheet's "Unicode text") begins with
     * its byte-order mark; read as UTF-8 it gave an unknown column
     * "\xff\xfei" and a malformed quote on every line */
    const int bom16 = rp_utf16_bom(text, len);
    if (bom16 != 0)
        return rp_err_add(err,
                          "%s:1: the file is UTF-16 (%s); save it as UTF-8 "
                          "(CSV UTF-8 in a spreadsheet)",
                          label, bom16 == 1 ? "little-endian" : "big-endian");
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    reader r;
    memset(&r, 0, sizeof r);
    r.label = label;
    r.err = err;
    r.cols = t == RP_CSV_NODES ? NODE_COLS : EDGE_COLS;
    r.rows = cJSON_CreateArray();
    struct csv_parser p;
    if (r.rows == NULL ||
        csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
                         CSV_EMPTY_IS_NULL) != 0) {
        cJSON_Delete(r.rows);
        return rp_err_runtime(err, "%s: out of memory", label);
    }
    csv_set_delim(&p, detect_sep(text, len));
    size_t at = 0;
    int failed = 0;
    r.line = 1;
    while (at < len && !failed && !r.oom) {
        /* a physical line ends in LF, CRLF or a CR alone (as libcsv reads
         * records), so that line numbers count all three */
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) + 1 : len - at;
        const char *cr = memchr(text + at, '\r', n);
        if (cr != NULL && cr + 1 < text + len && cr[1] != '\n')
            n = (size_t)(cr - (text + at)) + 1;
        if (p.pstate == 0) /* ROW_NOT_BEGUN: a record starts here */
            r.start_line = r.line;
        if (csv_parse(&p, text + at, n, on_field, on_record, &r) != n) {
            failed = csv_error(&p);
            break;
        }
        at += n;
        r.line++;
    }
    if (!failed && !r.oom && csv_fini(&p, on_field, on_record, &r) != 0) {
        failed = csv_error(&p);
        if (failed == CSV_EPARSE)
            rp_err_add(err,
                       "%s:%d: a quoted field is not closed by the end of "
                       "the file",
                       label, r.start_line);
        failed = failed == CSV_EPARSE ? 0 : failed;
    }
    if (failed == CSV_EPARSE)
        rp_err_add(err,
                   "%s:%d: malformed quoting (a field holding a quote must "
                   "be quoted, its quotes doubled, and nothing may follow "
                   "the closing quote but the separator)",
                   label, r.line);
    else if (failed != 0 || r.oom)
        rp_err_runtime(err, "%s: %s", label,
                       r.oom ? "out of memory" : csv_strerror(failed));
    csv_free(&p);
    cJSON_Delete(r.row);
    if (!r.header_done && err->count + err->dropped == before)
        rp_err_add(err, "%s:1: empty file, expected a header row", label);
    else if (r.header_done && !r.oom) {
        const char *need[2] = {t == RP_CSV_NODES ? "id" : "from",
                               t == RP_CSV_NODES ? NULL : "to"};
        for (int q = 0; q < 2; q++) {
            int k, have = 0;
            if (need[q] == NULL)
                continue;
            for (k = 0; k < r.ncols && k < MAX_COLS; k++)
                have |= r.col[k] >= 0 &&
                        strcmp(r.cols[r.col[k]].name, need[q]) == 0;
            if (!have)
                rp_err_add(err, "%s:1: no \"%s\" column", label, need[q]);
        }
    }
    if (err->count + err->dropped > before) {
        cJSON_Delete(r.rows);
        free(r.lines);
        return rp_err_status(err) ? rp_err_status(err) : RP_EINPUT;
    }
    *rows = r.rows;
    *lines = r.lines;
    return RP_OK;
}

/* ---- the network parser's messages in CSV terms ------------------------- */

#define MARK "<csv-network>"

typedef struct {
    const char *label;
    const int *lines;
    int n;
} table_map;

/* Append msg (already escaped, from the parser) to err rewritten:
 * "<mark>: nodes[12].capacity: m" -> "sites.csv:14: capacity: m", and
 * "nodes[3]" further on -> "line 5". */
static void map_message(const char *msg, const table_map maps[2],
                        rp_errors *err)
{
    char out[RP_ERR_MSG], lab[2][256];
    size_t mk = strlen(MARK ": ");
    rp_escape(maps[0].label, lab[0], sizeof lab[0]);
    rp_escape(maps[1].label, lab[1], sizeof lab[1]);
    if (strncmp(msg, MARK ": ", mk) != 0) {
        snprintf(out, sizeof out, "%s", msg);
    } else {
        const char *p = msg + mk;
        int t = strncmp(p, "nodes[", 6) == 0   ? 0
                : strncmp(p, "edges[", 6) == 0 ? 1
                                               : -1;
        char *end = NULL;
        long k = t >= 0 ? strtol(p + 6, &end, 10) : -1;
        size_t used;
        if (t >= 0 && end != NULL && *end == ']' && k >= 0 && k < maps[t].n) {
            p = end + 1;
            used = (size_t)snprintf(out, sizeof out, "%s:%d: ", lab[t],
                                    maps[t].lines[k]);
            if (*p == '.')
                p++;
            else if (strncmp(p, ": ", 2) == 0)
                p += 2;
        } else {
            used = (size_t)snprintf(out, sizeof out, "%s: ", lab[0]);
        }
        /* the rest, with other rows of the nodes table named by line */
        while (*p != '\0' && used + 1 < sizeof out) {
            if (strncmp(p, "nodes[", 6) == 0) {
                long q = strtol(p + 6, &end, 10);
                if (*end == ']' && q >= 0 && q < maps[0].n) {
                    int w = snprintf(out + used, sizeof out - used, "line %d",
                                     maps[0].lines[q]);
                    used += w > 0 ? (size_t)w : 0;
                    p = end + 1;
                    continue;
                }
            }
            out[used++] = *p++;
        }
        out[used < sizeof out ? used : sizeof out - 1] = '\0';
    }
    if (err->count >= RP_ERR_MAX) {
        err->dropped++;
        return;
    }
    snprintf(err->msg[err->count++], RP_ERR_MSG, "%s", out);
}

rp_status rp_csvnet_from_text(const char *nodes_label, const char *nodes_text,
                              size_t nodes_len, const char *edges_label,
                              const char *edges_text, size_t edges_len,
                              const char *name, cJSON **doc, rp_network **net,
                              int **lines, rp_errors *err)
{
    *doc = NULL;
    *net = NULL;
    if (lines != NULL)
        *lines = NULL;
    cJSON *nodes = NULL, *edges = NULL;
    int *nl = NULL, *el = NULL;
    rp_status st = rp_csv_table_parse(nodes_label, nodes_text, nodes_len,
                                      RP_CSV_NODES, &nodes, &nl, err);
    if (edges_text != NULL) {
        rp_status se = rp_csv_table_parse(edges_label, edges_text, edges_len,
                                          RP_CSV_EDGES, &edges, &el, err);
        if (st == RP_OK)
            st = se;
    }
    if (st != RP_OK) {
        cJSON_Delete(nodes);
        cJSON_Delete(edges);
        free(nl);
        free(el);
        return st;
    }
    if (cJSON_GetArraySize(nodes) == 0) {
        rp_err_add(err, "%s: no rows: a network needs at least one node",
                   nodes_label);
        cJSON_Delete(nodes);
        cJSON_Delete(edges);
        free(nl);
        free(el);
        return RP_EINPUT;
    }
    cJSON *d = cJSON_CreateObject();
    if (edges == NULL)
        edges = cJSON_CreateArray();
    if (d == NULL || edges == NULL ||
        (name != NULL && cJSON_AddStringToObject(d, "name", name) == NULL) ||
        !cJSON_AddItemToObject(d, "nodes", nodes)) {
        cJSON_Delete(d);
        cJSON_Delete(nodes);
        cJSON_Delete(edges);
        free(nl);
        free(el);
        return rp_err_runtime(err, "out of memory");
    }
    if (!cJSON_AddItemToObject(d, "edges", edges)) {
        cJSON_Delete(d);
        cJSON_Delete(edges);
        free(nl);
        free(el);
        return rp_err_runtime(err, "out of memory");
    }
    rp_errors *mine = malloc(sizeof *mine);
    if (mine == NULL) {
        cJSON_Delete(d);
        free(nl);
        free(el);
        return rp_err_runtime(err, "out of memory");
    }
    rp_err_init(mine);
    rp_jctx c = {MARK, mine};
    st = rp_net_parse(&c, d, "", net);
    table_map maps[2] = {{nodes_label, nl, cJSON_GetArraySize(nodes)},
                         {edges_label ? edges_label : nodes_label, el,
                          el ? cJSON_GetArraySize(edges) : 0}};
    for (int i = 0; i < mine->count; i++)
        map_message(mine->msg[i], maps, err);
    err->dropped += mine->dropped;
    err->runtime |= mine->runtime;
    free(mine);
    if (st == RP_OK && lines != NULL) {
        size_t nn = (size_t)maps[0].n, ne = (size_t)maps[1].n;
        int *all = malloc((nn + ne + 1) * sizeof *all);
        if (all == NULL) {
            st = rp_err_runtime(err, "out of memory");
        } else {
            memcpy(all, nl, nn * sizeof *all);
            if (ne > 0)
                memcpy(all + nn, el, ne * sizeof *all);
            (*net)->node_line = all;
            (*net)->edge_line = all + nn;
            (*net)->nodes_file = nodes_label;
            (*net)->edges_file = maps[1].label;
            *lines = all;
        }
    }
    free(nl);
    free(el);
    if (st != RP_OK) {
        rp_net_free(*net);
        *net = NULL;
        cJSON_Delete(d);
        return st;
    }
    *doc = d;
    return RP_OK;
}

/* ---- reading the files -------------------------------------------------- */

static rp_status read_all(const char *path, char **text, size_t *len,
                          rp_errors *err)
{
    size_t size;
    *text = NULL;
    int fd = rp_input_open(path, path, RP_MAX_INPUT_BYTES, &size, err);
    if (fd < 0)
        return RP_EINPUT;
    char *buf = malloc(size + 1);
    if (buf == NULL) {
        close(fd);
        return rp_err_runtime(err, "%s: out of memory", path);
    }
    size_t n = 0;
    while (n < size) {
        ssize_t got = read(fd, buf + n, size - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return rp_err_add(err, "%s: read error: %s", path, strerror(e));
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return RP_OK;
}

static char *join_path(const char *dir, const char *rel)
{
    size_t n = strlen(dir) + strlen(rel) + 1;
    char *p = malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s%s", rel[0] == '/' ? "" : dir, rel);
    return p;
}

rp_status rp_csvnet_load(rp_jctx *c, const cJSON *spec, const char *path,
                         const char *base_dir, cJSON **doc, char **label,
                         rp_network **net)
{
    *doc = NULL;
    *label = NULL;
    *net = NULL;
    if (rp_json_check_keys(c, spec, path, rp_csvnet_keys) > 0)
        return RP_EINPUT;
    const char *nodes_rel, *edges_rel = NULL, *name = NULL, *desc;
    int bad = rp_json_string(c, spec, path, "nodes_csv", &nodes_rel, 1) < 0;
    bad |= rp_json_string(c, spec, path, "edges_csv", &edges_rel, 0) < 0;
    bad |= rp_json_string(c, spec, path, "name", &name, 0) < 0;
    bad |= rp_json_string(c, spec, path, "description", &desc, 0) < 0;
    if (bad)
        return RP_EINPUT;
    char *np = join_path(base_dir, nodes_rel);
    char *ep = edges_rel ? join_path(base_dir, edges_rel) : NULL;
    if (np == NULL || (edges_rel != NULL && ep == NULL)) {
        free(np);
        free(ep);
        return rp_err_runtime(c->err, "out of memory");
    }
    char *nt = NULL, *et = NULL;
    size_t nn = 0, en = 0;
    rp_status st = read_all(np, &nt, &nn, c->err);
    if (st == RP_OK && ep != NULL)
        st = read_all(ep, &et, &en, c->err);
    int *lines = NULL;
    if (st == RP_OK)
        st = rp_csvnet_from_text(np, nt, nn, ep, et, en, name, doc, net,
                                 &lines, c->err);
    free(nt);
    free(et);
    if (st == RP_OK) {
        /* one block: "NODES + EDGES" (the label of messages that name no
         * record), NODES, EDGES, then the lines of the records */
        const char *e = ep ? ep : np;
        size_t ln = strlen(np) + strlen(e) + 4, a = strlen(np) + 1,
               b = strlen(e) + 1;
        size_t at = (ln + a + b + sizeof(int) - 1) / sizeof(int) * sizeof(int);
        size_t nl = (size_t)(*net)->n_nodes + (size_t)(*net)->n_edges;
        char *blk = malloc(at + nl * sizeof(int) + 1);
        if (blk == NULL) {
            rp_net_free(*net);
            *net = NULL;
            cJSON_Delete(*doc);
            *doc = NULL;
            st = rp_err_runtime(c->err, "out of memory");
        } else {
            snprintf(blk, ln, "%s%s%s", np, ep ? " + " : "", ep ? ep : "");
            memcpy(blk + ln, np, a);
            memcpy(blk + ln + a, e, b);
            int *l = (int *)(void *)(blk + at);
            memcpy(l, lines, nl * sizeof(int));
            (*net)->file = blk;
            (*net)->nodes_file = blk + ln;
            (*net)->edges_file = blk + ln + a;
            (*net)->node_line = l;
            (*net)->edge_line = l + (*net)->n_nodes;
            *label = blk;
        }
    }
    free(lines);
    free(np);
    free(ep);
    return st;
}

/* ---- writing ------------------------------------------------------------ */

typedef struct {
    char *buf;
    size_t len, cap;
    int oom;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->buf, cap);
        if (p == NULL) {
            b->oom = 1;
            return;
        }
        b->buf = p;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

/* A cell, quoted when it holds a separator, a quote or a line break, or
 * begins or ends with a space (libcsv drops those around unquoted
 * fields). */
static void put_cell(sbuf *b, const char *s)
{
    size_t n = strlen(s);
    int q = strpbrk(s, ",;\"\r\n") != NULL ||
            (n > 0 && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
                       s[n - 1] == '\t'));
    if (!q) {
        put(b, s, n);
        return;
    }
    put(b, "\"", 1);
    for (const char *p = s; *p; p++) {
        put(b, p, 1);
        if (*p == '"')
            put(b, "\"", 1); /* doubled */
    }
    put(b, "\"", 1);
}

/* A table as CSV text; -1 with an error when a value cannot be written. */
static int write_table(const cJSON *rows, const col_def *cols,
                       const char *file, sbuf *b, rp_errors *err)
{
    int used[MAX_COLS] = {0}, ncols = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, rows)
    {
        for (int k = 0; cols[k].name != NULL; k++)
            used[k] |=
                cJSON_GetObjectItemCaseSensitive(row, cols[k].name) != NULL;
    }
    for (int k = 0; cols[k].name != NULL; k++) {
        if (!used[k])
            continue;
        if (ncols++ > 0)
            put(b, ",", 1);
        put(b, cols[k].name, strlen(cols[k].name));
    }
    if (ncols == 0) { /* no rows: the header of the required column(s) */
        int need = cols == EDGE_COLS ? 2 : 1;
        for (int k = 0; k < need; k++) {
            if (k > 0)
                put(b, ",", 1);
            put(b, cols[k].name, strlen(cols[k].name));
        }
    }
    put(b, "\n", 1);
    int i = 0;
    cJSON_ArrayForEach(row, rows)
    {
        int first = 1;
        for (int k = 0; cols[k].name != NULL; k++) {
            if (!used[k])
                continue;
            if (!first)
                put(b, ",", 1);
            first = 0;
            const cJSON *v =
                cJSON_GetObjectItemCaseSensitive(row, cols[k].name);
            char num[40];
            if (v == NULL)
                continue;
            if (cJSON_IsNumber(v)) {
                rp_json_format_number(v->valuedouble, num, sizeof num);
                put(b, num, strlen(num));
            } else if (cJSON_IsBool(v)) {
                put_cell(b, cJSON_IsTrue(v) ? "true" : "false");
            } else if (cJSON_IsString(v)) {
                put_cell(b, v->valuestring);
            } else if (cJSON_IsArray(v)) {
                sbuf t = {0};
                const cJSON *tag;
                int j = 0;
                cJSON_ArrayForEach(tag, v)
                {
                    const char *s =
                        cJSON_IsString(tag) ? tag->valuestring : "";
                    size_t n = strlen(s);
                    if (n == 0 || strchr(s, '|') != NULL || s[0] == ' ' ||
                        s[n - 1] == ' ' || s[0] == '\t' || s[n - 1] == '\t') {
                        char safe[128];
                        rp_escape(s, safe, sizeof safe);
                        rp_err_add(err,
                                   "%s: nodes[%d].tags[%d]: \"%s\" cannot be "
                                   "written as a CSV tag (empty, a '|', or "
                                   "spaces at an end)",
                                   file, i, j, safe);
                        free(t.buf);
                        return -1;
                    }
                    if (j++ > 0)
                        put(&t, "|", 1);
                    put(&t, s, n);
                }
                b->oom |= t.oom;
                put_cell(b, t.buf ? t.buf : "");
                free(t.buf);
            }
        }
        put(b, "\n", 1);
        i++;
    }
    return 0;
}

static rp_status write_file(const char *path, const sbuf *b, rp_errors *err)
{
    if (rp_out_check(path, RP_OUT_QUIET, err) != RP_OK)
        return rp_err_status(err);
    char tmp[PATH_MAX];
    int fd = rp_tmp_create(path, tmp, sizeof tmp);
    if (fd < 0)
        return rp_err_runtime(err,
                              "%s: cannot create a temporary file beside "
                              "it: %s",
                              path, strerror(errno));
    size_t at = 0;
    int e = 0;
    while (at < b->len) {
        ssize_t w = write(fd, b->buf + at, b->len - at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            e = errno;
            break;
        }
        at += (size_t)w;
    }
    if (close(fd) != 0 && e == 0)
        e = errno;
    if (e == 0 && rename(tmp, path) != 0)
        e = errno;
    if (e != 0)
        unlink(tmp);
    rp_tmp_forget(tmp);
    if (e != 0)
        return rp_err_runtime(err, "%s: writing failed: %s", path,
                              strerror(e));
    return RP_OK;
}

char *rp_csvnet_table_path(const char *dir, int t)
{
    const char *name = t == 0 ? "nodes.csv" : "edges.csv";
    size_t dl = strlen(dir), n = dl + strlen(name) + 2;
    char *p = malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s%s%s", dir, dl > 0 && dir[dl - 1] == '/' ? "" : "/",
                 name);
    return p;
}

rp_status rp_csvnet_write(const cJSON *net, const char *dir, rp_errors *err)
{
    struct stat sb;
    if (stat(dir, &sb) != 0) {
        if (errno != ENOENT || mkdir(dir, 0777) != 0)
            return rp_err_add(err, "%s: cannot create the directory: %s", dir,
                              strerror(errno));
    } else if (!S_ISDIR(sb.st_mode)) {
        return rp_err_add(err, "%s: not a directory", dir);
    }
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(net, "nodes");
    const cJSON *edges = cJSON_GetObjectItemCaseSensitive(net, "edges");
    const cJSON *tables[2] = {nodes, edges};
    const col_def *cols[2] = {NODE_COLS, EDGE_COLS};
    sbuf b[2] = {{0}, {0}};
    char *paths[2] = {NULL, NULL};
    rp_status st = RP_OK;
    for (int t = 0; t < 2 && st == RP_OK; t++) {
        if ((paths[t] = rp_csvnet_table_path(dir, t)) == NULL) {
            st = rp_err_runtime(err, "out of memory");
            break;
        }
        if (write_table(tables[t], cols[t], paths[t], &b[t], err) != 0)
            st = RP_EINPUT;
        else if (b[t].oom)
            st = rp_err_runtime(err, "out of memory");
    }
    /* both outputs are checked before either is written: a refused
     * edges.csv leaves no new nodes.csv behind */
    for (int t = 0; t < 2 && st == RP_OK; t++)
        if (rp_out_check(paths[t], RP_OUT_QUIET, err) != RP_OK)
            st = rp_err_status(err);
    for (int t = 0; t < 2 && st == RP_OK; t++)
        st = write_file(paths[t], &b[t], err);
    for (int t = 0; t < 2; t++) {
        free(b[t].buf);
        free(paths[t]);
    }
    return st;
}
