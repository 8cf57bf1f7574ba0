/* engine/checkpoint.c on tables of arrays of its own: a table that fits
 * the header's 24 size slots keeps layout 4 byte for byte (sizes at offset
 * 120, arrays right after the 352-byte header); a larger one, up to
 * RP_CKPT_MAX_CHUNKS, has the further sizes after the header and reads
 * back, and those sizes are checked; a model listing more arrays than a
 * checkpoint holds is refused instead of overrunning the engine's table.
 * (Whole runs stopped and resumed: test_run, damaged_files.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ripple/checkpoint.h"
#include "testutil.h"

#define HEADER 352 /* layout 4 */
#define SLOTS 24   /* sizes in the header */
#define MAXN RP_CKPT_MAX_CHUNKS

/* A model's arrays: n of them, array k of size[k] bytes. */
typedef struct {
    int n;
    size_t size[MAXN];
    unsigned char *data[MAXN];
    int claim; /* > 0: return this count instead of n */
    int poke;  /* write the slot past the table */
} table;

static int chunks(void *arg, int64_t next, rp_ckpt_chunk *c)
{
    table *t = arg;
    (void)next;
    for (int k = 0; k < t->n; k++)
        c[k] = (rp_ckpt_chunk){t->data[k], t->size[k]};
    if (t->poke)
        c[MAXN] = (rp_ckpt_chunk){t->data[0], 1};
    return t->claim > 0 ? t->claim : t->n;
}

/* n arrays of 8 k + 5 bytes (plus delta[k]), filled from seed. */
static void table_init(table *t, int n, const int *delta, unsigned seed)
{
    memset(t, 0, sizeof *t);
    t->n = n;
    for (int k = 0; k < n; k++) {
        t->size[k] = (size_t)(8 * k + 5 + (delta ? delta[k] : 0));
        t->data[k] = malloc(t->size[k] ? t->size[k] : 1);
        assert_non_null(t->data[k]);
        for (size_t i = 0; i < t->size[k]; i++)
            t->data[k][i] = (unsigned char)(seed + 31 * (unsigned)k + i);
    }
}

static void table_free(table *t)
{
    for (int k = 0; k < t->n; k++)
        free(t->data[k]);
}

static size_t table_bytes(const table *t)
{
    size_t b = 0;
    for (int k = 0; k < t->n; k++)
        b += t->size[k];
    return b;
}

static rp_ckpt_io io_of(table *t)
{
    rp_ckpt_io io = {2, 3, 4, 100, 7, chunks, NULL, t};
    return io;
}

static rp_ckpt_state state(void)
{
    rp_ckpt_state st;
    memset(&st, 0, sizeof st);
    memset(st.fingerprint, 'a', 64);
    st.strategy = 1;
    st.next = 42;
    return st;
}

static void path_of(char *p, size_t n, const char *what)
{
    snprintf(p, n, "/tmp/rp_test_checkpoint_%ld_%s", (long)getpid(), what);
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(*n);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, *n, f), *n);
    fclose(f);
    return b;
}

static uint64_t u64_at(const unsigned char *b, size_t off)
{
    uint64_t v;
    memcpy(&v, b + off, sizeof v);
    return v;
}

/* Write table w, read it into a zeroed table of the same sizes: the status
 * of the read; the contents compared when it succeeds. */
static rp_status roundtrip(const char *path, table *w, const int *delta,
                           rp_errors *err)
{
    rp_ckpt_state st = state();
    rp_ckpt_io io = io_of(w);
    assert_int_equal(rp_ckpt_write(path, &st, &io, err), RP_OK);
    table r;
    table_init(&r, w->n, delta, 0);
    for (int k = 0; k < r.n; k++)
        memset(r.data[k], 0, r.size[k]);
    rp_ckpt_state got = state();
    got.strategy = 0;
    got.next = 0;
    rp_ckpt_io rio = io_of(&r);
    rp_status rs = rp_ckpt_read(path, &got, &rio, err);
    if (rs == RP_OK) {
        assert_int_equal(got.strategy, 1);
        assert_int_equal(got.next, 42);
        for (int k = 0; k < r.n; k++)
            assert_memory_equal(r.data[k], w->data[k], r.size[k]);
    }
    table_free(&r);
    return rs;
}

static void test_layout4_unchanged(void **state_)
{
    (void)state_;
    char path[128];
    path_of(path, sizeof path, "small");
    table t;
    table_init(&t, 23, NULL, 1);
    rp_errors err = {0};
    assert_int_equal(roundtrip(path, &t, NULL, &err), RP_OK);
    size_t n;
    unsigned char *b = slurp(path, &n);
    assert_int_equal(n, HEADER + table_bytes(&t));
    assert_int_equal(u64_at(b, 112), 23);
    for (int k = 0; k < SLOTS; k++)
        assert_int_equal(u64_at(b, 120 + 8 * (size_t)k),
                         k < 23 ? t.size[k] : 0);
    assert_int_equal(u64_at(b, 312), n);
    /* the first array starts right after the header */
    assert_memory_equal(b + HEADER, t.data[0], t.size[0]);
    free(b);
    unlink(path);
    table_free(&t);
}

static void test_large_table(void **state_)
{
    (void)state_;
    char path[128];
    path_of(path, sizeof path, "large");
    table t;
    table_init(&t, 40, NULL, 2);
    rp_errors err = {0};
    assert_int_equal(roundtrip(path, &t, NULL, &err), RP_OK);
    size_t n;
    unsigned char *b = slurp(path, &n);
    size_t extra = (40 - SLOTS) * 8;
    assert_int_equal(n, HEADER + extra + table_bytes(&t));
    assert_int_equal(u64_at(b, 112), 40);
    for (int k = SLOTS; k < 40; k++)
        assert_int_equal(u64_at(b, HEADER + 8 * (size_t)(k - SLOTS)),
                         t.size[k]);
    assert_memory_equal(b + HEADER + extra, t.data[0], t.size[0]);
    free(b);
    unlink(path);
    table_free(&t);

    /* the whole capacity */
    path_of(path, sizeof path, "full");
    table_init(&t, MAXN, NULL, 3);
    assert_int_equal(roundtrip(path, &t, NULL, &err), RP_OK);
    unlink(path);
    table_free(&t);
}

/* Sizes past the header's slots are checked: arrays 30 and 31 one byte
 * longer and shorter (same total) do not fit. */
static void test_large_table_sizes_checked(void **state_)
{
    (void)state_;
    char path[128];
    path_of(path, sizeof path, "sizes");
    table t;
    table_init(&t, 40, NULL, 4);
    int delta[MAXN] = {0};
    delta[30] = 1;
    delta[31] = -1;
    rp_errors err = {0};
    assert_int_equal(roundtrip(path, &t, delta, &err), RP_EINPUT);
    assert_true(tu_err_has(&err, "array sizes it records do not fit"));
    unlink(path);
    table_free(&t);
}

/* A model listing more arrays than a checkpoint holds: an error, no
 * file, whether it says so or writes past the table. */
static void test_too_many(void **state_)
{
    (void)state_;
    char path[128];
    path_of(path, sizeof path, "toomany");
    table t;
    table_init(&t, 4, NULL, 5);
    rp_ckpt_state st = state();
    rp_ckpt_io io = io_of(&t);
    t.claim = MAXN + 1;
    rp_errors err = {0};
    assert_int_equal(rp_ckpt_write(path, &st, &io, &err), RP_ERUNTIME);
    assert_true(tu_err_has(&err, "a checkpoint holds at most"));
    assert_int_not_equal(access(path, F_OK), 0);
    t.claim = 0;
    t.poke = 1;
    rp_errors err2 = {0};
    assert_int_equal(rp_ckpt_write(path, &st, &io, &err2), RP_ERUNTIME);
    assert_true(tu_err_has(&err2, "a checkpoint holds at most"));
    assert_int_not_equal(access(path, F_OK), 0);
    /* and on reading a good file */
    t.poke = 0;
    assert_int_equal(rp_ckpt_write(path, &st, &io, &err2), RP_OK);
    t.poke = 1;
    rp_errors err3 = {0};
    rp_ckpt_state got = state();
    assert_int_equal(rp_ckpt_read(path, &got, &io, &err3), RP_ERUNTIME);
    assert_true(tu_err_has(&err3, "a checkpoint holds at most"));
    unlink(path);
    table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout4_unchanged),
        cmocka_unit_test(test_large_table),
        cmocka_unit_test(test_large_table_sizes_checked),
        cmocka_unit_test(test_too_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
