/* Helpers shared by the cmocka tests (testutil.h): loading scenarios from
 * tests/data, parsing, one replication, error-message and closeness checks. */
#include "testutil.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

rp_scenario *tu_load(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", RIPPLE_TEST_DATA, name);
    rp_errors err;
    rp_err_init(&err);
    rp_scenario *s = NULL;
    rp_status st = rp_scenario_load(path, &s, &err);
    for (int i = 0; i < err.count; i++)
        fprintf(stderr, "%s\n", err.msg[i]);
    assert_int_equal(st, RP_OK);
    return s;
}

char *tu_read(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", RIPPLE_TEST_DATA, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fprintf(stderr, "cannot open %s\n", path);
    assert_non_null(f);
    char *text = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 4096) {
            cap = cap * 2 + 4096;
            text = realloc(text, cap);
            assert_non_null(text);
        }
        size_t got = fread(text + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    assert_int_equal(ferror(f), 0);
    fclose(f);
    text[n] = '\0';
    return text;
}

char *tu_read_with(const char *name, const char *fmt, ...)
{
    char *text = tu_read(name);
    char *end = strrchr(text, '}');
    assert_non_null(end);
    const char *p = end;
    while (p > text && isspace((unsigned char)p[-1]))
        p--;
    const int empty = p > text && p[-1] == '{';
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(m >= 0);
    size_t head = (size_t)(end - text), len = head + 2 + (size_t)m + 2;
    char *out = malloc(len);
    assert_non_null(out);
    memcpy(out, text, head);
    size_t at = head;
    if (!empty) {
        memcpy(out + at, ", ", 2);
        at += 2;
    }
    va_start(ap, fmt);
    vsnprintf(out + at, (size_t)m + 1, fmt, ap);
    va_end(ap);
    at += (size_t)m;
    memcpy(out + at, "}", 2);
    free(text);
    return out;
}

rp_status tu_parse(const char *text, rp_scenario **out, rp_errors *err)
{
    rp_err_init(err);
    return rp_scenario_parse("t.json", text, NULL, out, err);
}

int tu_err_has(const rp_errors *err, const char *needle)
{
    for (int i = 0; i < err->count; i++)
        if (strstr(err->msg[i], needle) != NULL)
            return 1;
    for (int i = 0; i < err->count; i++)
        fprintf(stderr, "  (have) %s\n", err->msg[i]);
    fprintf(stderr, "  (want) %s\n", needle);
    return 0;
}

void tu_run_one(rp_scenario *s, rp_metrics *m, double *sl)
{
    rp_errors err;
    rp_err_init(&err);
    rp_model *mo = NULL;
    assert_int_equal(rp_model_build(s->net, &s->par, &mo, &err), RP_OK);
    void **preps = NULL;
    assert_int_equal(
        rp_threats_prepare(s->threats, s->n_threats, mo, &preps, &err), RP_OK);
    rp_evbuf eb = {0};
    gsl_rng *rng = gsl_rng_alloc(rp_rng_philox);
    assert_int_equal(rp_threats_sample(s->threats, s->n_threats, preps, mo,
                                       s->seed, 0, s->horizon, rng, &eb),
                     0);
    gsl_rng_free(rng);
    rp_flow_ws *w = rp_flow_ws_new(mo);
    assert_non_null(w);
    assert_int_equal(rp_flow_run(mo, w, eb.ev, eb.n, s->horizon, m, sl, NULL),
                     RP_OK);
    rp_flow_ws_free(w);
    rp_evbuf_free(&eb);
    rp_threats_release(s->threats, s->n_threats, preps);
    rp_model_free(mo);
}

int tu_close(double a, double b, double rel)
{
    if (a == b)
        return 1;
    double s = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= rel * (s > 1 ? s : 1);
}
