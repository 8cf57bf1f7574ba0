/* JSON reading with precise error locations.
 *
 * cJSON reports only where parsing stopped.  To say what was expected there
 * (docs/formats.md asks for "expected ',' or '}'"), we re-scan the text up to
 * the error offset with a tiny lexer that tracks the container stack and what
 * the grammar expects next.  The scan is linear and runs first, on every
 * text: the text cJSON parses is one it accepted (cJSON then has the last
 * word). */
#define _GNU_SOURCE /* madvise's MADV_POPULATE_WRITE */
#include "ripple/json.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ripple/resources.h"
#include "ripple/util.h"

const rp_range RP_ANY = {NAN, NAN, 0, 0, 0};
const rp_range RP_GE0 = {0, NAN, 0, 0, 0};
const rp_range RP_GT0 = {0, NAN, 1, 0, 0};
const rp_range RP_UNIT = {0, 1, 0, 0, 0};
const rp_range RP_UNIT_OPEN0 = {0, 1, 1, 0, 0};
const rp_range RP_INT_GE0 = {0, NAN, 0, 0, 1};
const rp_range RP_INT_GE1 = {1, NAN, 0, 0, 1};

enum {
    EXP_VALUE,
    EXP_KEY,
    EXP_COLON,
    EXP_COMMA_OR_END,
    EXP_KEY_OR_END,
    EXP_VALUE_OR_END,
    EXP_EOF
};

#define SCAN_DEPTH 1000

static const char *expect_msg(int exp, char top)
{
    switch (exp) {
    case EXP_VALUE:
        return "expected a value";
    case EXP_KEY:
        return "expected a string key";
    case EXP_COLON:
        return "expected ':'";
    case EXP_COMMA_OR_END:
        return top == '{' ? "expected ',' or '}'" : "expected ',' or ']'";
    case EXP_KEY_OR_END:
        return "expected a string key or '}'";
    case EXP_VALUE_OR_END:
        return "expected a value or ']'";
    default:
        return "expected end of input";
    }
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}
static int is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Length of a JSON number at s (0 if none). */
static size_t number_len(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0')
        i++;
    else if (i < n && is_digit(s[i]))
        while (i < n && is_digit(s[i]))
            i++;
    else
        return 0;
    if (i < n && s[i] == '.') {
        i++;
        if (!(i < n && is_digit(s[i])))
            return 0;
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (!(i < n && is_digit(s[i])))
            return 0;
        while (i < n && is_digit(s[i]))
            i++;
    }
    return i;
}

/* The string whose opening quote is at s[*at]: *at moves to its closing
 * quote; 1 (with where and what) at a syntax error in it. */
static int scan_string(const char *s, size_t n, size_t *at, size_t *off,
                       const char **what, int *at_end)
{
    size_t i = *at + 1;
    for (;;) {
        if (i >= n) {
            *off = i;
            *what = "unterminated string";
            *at_end = 1;
            return 1;
        }
        unsigned char c = (unsigned char)s[i];
        if (c == '"')
            break;
        if (c < 0x20) {
            *off = i;
            *what = "control character in string";
            return 1;
        }
        if (c == '\\') {
            if (i + 1 >= n) {
                *off = i;
                *what = "unterminated string";
                return 1;
            }
            char e = s[i + 1];
            if (e == 'u') {
                for (int k = 2; k < 6; k++)
                    if (i + (size_t)k >= n || !is_hex(s[i + (size_t)k])) {
                        *off = i;
                        *what = "invalid \\u escape in string";
                        return 1;
                    }
                i += 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", e)) {
                *off = i;
                *what = "invalid escape in string";
                return 1;
            }
            i += 2;
            continue;
        }
        i++;
    }
    *at = i;
    return 0;
}

/* A strict JSON scanner that finds the first syntax error: its byte offset
 * and what the grammar expected there.  Returns 0 if the text is valid
 * as far as this scanner checks (cJSON then has the last word). */
static int locate_error(const char *s, size_t n, size_t *off,
                        const char **what, int *at_end)
{
    char stack[SCAN_DEPTH];
    int depth = 0, exp = EXP_VALUE;
    size_t i = 0;
    *at_end = 0;
    for (;;) {
        while (i < n && is_ws(s[i]))
            i++;
        char top = depth > 0 ? stack[depth - 1] : '[';
        if (i >= n) {
            if (exp == EXP_EOF)
                return 0;
            *off = i;
            *what = expect_msg(exp, top);
            *at_end = 1;
            return 1;
        }
        char ch = s[i];
        int value_ok = exp == EXP_VALUE || exp == EXP_VALUE_OR_END;
        int key_ok = exp == EXP_KEY || exp == EXP_KEY_OR_END;
        *off = i;
        *what = expect_msg(exp, top);
        if (ch == '{' || ch == '[') {
            if (!value_ok)
                return 1;
            if (depth >= SCAN_DEPTH) {
                *what = "nesting too deep";
                return 1;
            }
            stack[depth++] = ch;
            exp = ch == '{' ? EXP_KEY_OR_END : EXP_VALUE_OR_END;
            i++;
        } else if (ch == '}' || ch == ']') {
            int ok = (ch == '}' && top == '{' && depth > 0 &&
                      (exp == EXP_COMMA_OR_END || exp == EXP_KEY_OR_END)) ||
                     (ch == ']' && top == '[' && depth > 0 &&
                      (exp == EXP_COMMA_OR_END || exp == EXP_VALUE_OR_END));
            if (!ok)
                return 1;
            depth--;
            exp = depth > 0 ? EXP_COMMA_OR_END : EXP_EOF;
            i++;
        } else if (ch == ':') {
            if (exp != EXP_COLON)
                return 1;
            exp = EXP_VALUE;
            i++;
        } else if (ch == ',') {
            if (exp != EXP_COMMA_OR_END)
                return 1;
            exp = top == '{' ? EXP_KEY : EXP_VALUE;
            i++;
        } else if (ch == '"') {
            if (!value_ok && !key_ok)
                return 1;
            if (scan_string(s, n, &i, off, what, at_end))
                return 1;
            i++;
            exp =
                key_ok ? EXP_COLON : (depth > 0 ? EXP_COMMA_OR_END : EXP_EOF);
        } else {
            if (!value_ok)
                return 1;
            size_t len = 0;
            if (n - i >= 4 && memcmp(s + i, "true", 4) == 0)
                len = 4;
            else if (n - i >= 5 && memcmp(s + i, "false", 5) == 0)
                len = 5;
            else if (n - i >= 4 && memcmp(s + i, "null", 4) == 0)
                len = 4;
            else
                len = number_len(s + i, n - i);
            if (len == 0)
                return 1;
            i += len;
            exp = depth > 0 ? EXP_COMMA_OR_END : EXP_EOF;
        }
    }
}

static void line_col(const char *text, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

/* What cJSON accepts but Ripple must not: text that is not UTF-8 (HDF5
 * files with such strings cannot be read by h5py or xarray), and the
 * escape \u0000, which cJSON turns into the end of the string ("S\u0000X"
 * would be "S", and a key "demand\u0000" the key demand).  0, or -1
 * with an error located by line and column. */
static int check_text(const char *label, const char *text, size_t len,
                      rp_errors *err)
{
    int in_str = 0, line, col;
    for (size_t i = 0; i < len;) {
        unsigned char ch = (unsigned char)text[i];
        if (ch >= 0x80) {
            uint32_t cp;
            int k = rp_utf8_next(text + i, len - i, &cp);
            if (k == 0) {
                line_col(text, i, &line, &col);
                rp_err_add(err,
                           "%s:%d:%d: not UTF-8 (byte 0x%02x); JSON text must "
                           "be UTF-8",
                           label, line, col, ch);
                return -1;
            }
            i += (size_t)k;
            continue;
        }
        if (ch == '"') {
            in_str = !in_str;
        } else if (in_str && ch == '\\' && i + 1 < len) {
            if (text[i + 1] == 'u' && i + 5 < len &&
                memcmp(text + i + 2, "0000", 4) == 0) {
                line_col(text, i, &line, &col);
                rp_err_add(err,
                           "%s:%d:%d: \\u0000 (a NUL character) in a string: "
                           "strings and keys cannot hold one",
                           label, line, col);
                return -1;
            }
            i += 2;
            continue;
        }
        i++;
    }
    return 0;
}

/* Ids, names and keys are printed, compared and stored as labels: no
 * control characters in them (C0, DEL, C1), and in a description only
 * tabs and line breaks.  Every offending key and string is reported, by
 * JSON path.  Returns the number reported.
 *
 * The walk visits every value of the document (millions in a large
 * network), so the path of a value is not formatted as it goes: each level
 * keeps a frame (its key or index and its parent's frame), and the path is
 * written out only for a value that is reported. */
typedef struct tree_walk {
    const char *label;
    rp_errors *err;
    int bad;
} tree_walk;

typedef struct walk_frame {
    const struct walk_frame *up;
    const char *key; /* a member's key, or NULL for an array element */
    int idx;
} walk_frame;

/* The path of frame f, as "nodes[3].tags[0]", cut at 511 bytes the way
 * appending each part with snprintf to a 512-byte buffer would cut it. */
static void frame_path(const walk_frame *f, char *buf, size_t size)
{
    if (f == NULL) {
        buf[0] = '\0';
        return;
    }
    frame_path(f->up, buf, size);
    size_t at = strlen(buf);
    if (f->key != NULL)
        snprintf(buf + at, size - at, "%s%s", at ? "." : "", f->key);
    else
        snprintf(buf + at, size - at, "[%d]", f->idx);
}

static uint32_t first_control(const char *s, int free_text)
{
    /* printable ASCII needs no decoding (nearly every string) */
    const unsigned char *u = (const unsigned char *)s;
    while (*u >= 0x20 && *u < 0x7f)
        u++;
    if (*u == '\0')
        return 0;
    size_t n = strlen((const char *)u);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = rp_utf8_next((const char *)u + i, n - i, &cp);
        if (k == 0)
            return 0xfffd; /* (the text check comes first) */
        if (rp_is_control(cp) &&
            !(free_text && (cp == '\t' || cp == '\n' || cp == '\r')))
            return cp;
        i += (size_t)k;
    }
    return 0;
}

static void walk_item(tree_walk *w, const cJSON *it, const char *key,
                      const walk_frame *at)
{
    char path[512];
    if (cJSON_IsString(it) && it->valuestring != NULL) {
        int free_text = key != NULL && strcmp(key, "description") == 0;
        uint32_t cp = first_control(it->valuestring, free_text);
        if (cp != 0) {
            frame_path(at, path, sizeof path);
            rp_err_add(w->err,
                       "%s: %s: holds a control character (U+%04X); ids, "
                       "names and keys must be printable (a description may "
                       "hold tabs and line breaks)",
                       w->label, path[0] ? path : "(top)", (unsigned)cp);
            w->bad++;
        }
        return;
    }
    int obj = cJSON_IsObject(it);
    walk_frame f = {at, NULL, 0};
    const cJSON *c;
    cJSON_ArrayForEach(c, it)
    {
        if (obj) {
            const char *k = c->string ? c->string : "";
            f.key = k;
            uint32_t cp = first_control(k, 0);
            if (cp != 0) {
                frame_path(&f, path, sizeof path);
                rp_err_add(w->err,
                           "%s: %s: the key holds a control character "
                           "(U+%04X); keys must be printable",
                           w->label, path, (unsigned)cp);
                w->bad++;
            }
            if (c->child != NULL || cJSON_IsString(c))
                walk_item(w, c, k, &f);
        } else {
            if (c->child != NULL || cJSON_IsString(c))
                walk_item(w, c, NULL, &f);
        }
        f.idx++;
    }
}

/* ---- documents held in one pool ----------------------------------------
 * cJSON allocates every value, key and string of a document on its own; a
 * network of a million nodes is some 38 million of them.  A pooled
 * document takes them from large blocks instead: no allocator header per
 * value and no per-value free (about a third less memory, and the whole
 * document is released by freeing its blocks).  cJSON's allocation hooks
 * are global, so they point at the pool only while this thread parses. */
typedef struct pool_block {
    struct pool_block *next;
    size_t used, cap;
    size_t ready;       /* bytes from data on made present (pool_ready) */
    max_align_t data[]; /* cap bytes */
} pool_block;

/* The item counts of a document's longest arrays (a network's nodes and
 * edges), taken as the one-pass parse builds them: counting a list of
 * hundreds of thousands of items afterwards follows a pointer an item
 * through memory that is no longer in any cache. */
#define POOL_COUNTED 16     /* arrays whose counts are kept */
#define POOL_COUNT_MIN 1024 /* items: a shorter array is quick to count */

struct rp_json_pool {
    pool_block *head;
    size_t text_len; /* of the text parsed into it */
    int n_counted;
    struct {
        const cJSON *array;
        int items;
    } counted[POOL_COUNTED];
};

size_t rp_json_pool_text_bytes(const rp_json_pool *p)
{
    return p != NULL ? p->text_len : 0;
}

int rp_json_pool_array_size(const rp_json_pool *p, const cJSON *array)
{
    for (int k = 0; p != NULL && k < p->n_counted; k++)
        if (p->counted[k].array == array)
            return p->counted[k].items;
    return -1;
}

size_t rp_json_pool_bytes(const rp_json_pool *p)
{
    size_t n = 0;
    for (const pool_block *b = p != NULL ? p->head : NULL; b != NULL;
         b = b->next)
        n += sizeof *b + b->used; /* (the rest of a block is never touched) */
    return n;
}

#define POOL_BLOCK ((size_t)32 << 20)
#define POOL_STEP ((size_t)256 << 10) /* made present at a time */

static _Thread_local rp_json_pool *parsing_pool;

/* The block's memory is made present POOL_STEP bytes ahead of what is
 * used, one call a step (MADV_POPULATE_WRITE, Linux 5.14), instead of a
 * page fault every 4 KiB: a large network's document is gigabytes, and
 * the kernel's time for its page faults was more than the parse's own
 * (G1M: 2.2 s system against 1.4 s user).  Where the kernel does not know
 * the call, the pages fault in as before. */
static void pool_ready(pool_block *b)
{
#ifdef MADV_POPULATE_WRITE
    long page = sysconf(_SC_PAGESIZE);
    size_t want = b->used + POOL_STEP;
    if (want > b->cap)
        want = b->cap;
    if (page > 0) {
        uintptr_t pg = (uintptr_t)page, at = (uintptr_t)b->data;
        uintptr_t lo = (at + b->ready + pg - 1) & ~(pg - 1),
                  hi = (at + want) & ~(pg - 1);
        if (hi > lo)
            (void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
    }
    b->ready = want;
#else
    b->ready = b->cap;
#endif
}

/* Only for a text of this size or more: the first 2 MiB page of a small
 * document's block would raise its peak by up to 2 MiB for nothing. */
#define POOL_HUGE_TEXT ((size_t)4 << 20)

/* The block's memory asked to be backed by 2 MiB pages, where the kernel
 * gives them on request (transparent huge pages in madvise mode, as on
 * this project's machines).  The items of a document are read back by
 * following pointers through it, a page a few items on 4 KiB pages; the
 * misses of the address translation were a third of validate's user time
 * on G100K-H (0.60-0.82 s user with 4 KiB pages, 0.40-0.48 s with these;
 * 62,000 page faults against 26,500). */
static void pool_huge(pool_block *b)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20, at = (uintptr_t)b->data;
    uintptr_t lo = (at + huge - 1) & ~(huge - 1),
              hi = (at + b->cap) & ~(huge - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)b;
#endif
}

void rp_json_present(void *p, size_t n)
{
    const uintptr_t huge = (uintptr_t)2 << 20, at = (uintptr_t)p;
    if (n < huge)
        return; /* (a few pages: as they come) */
#ifdef MADV_HUGEPAGE
    uintptr_t lo = (at + huge - 1) & ~(huge - 1), hi = (at + n) & ~(huge - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#endif
#ifdef MADV_POPULATE_WRITE
    long page = sysconf(_SC_PAGESIZE);
    if (page > 0) {
        uintptr_t pg = (uintptr_t)page;
        uintptr_t lo4 = (at + pg - 1) & ~(pg - 1), hi4 = (at + n) & ~(pg - 1);
        if (hi4 > lo4)
            (void)madvise((void *)lo4, hi4 - lo4, MADV_POPULATE_WRITE);
    }
#endif
}

static void *pool_alloc(size_t n)
{
    rp_json_pool *p = parsing_pool;
    if (p == NULL)
        return malloc(n);
    n = (n + 7) & ~(size_t)7;
    pool_block *b = p->head;
    if (b == NULL || b->cap - b->used < n) {
        size_t cap = n > POOL_BLOCK / 4 ? n : POOL_BLOCK;
        pool_block *nb = malloc(sizeof *nb + cap);
        if (nb == NULL)
            return NULL;
        nb->used = 0;
        nb->cap = cap;
        nb->ready = 0;
        if (p->text_len >= POOL_HUGE_TEXT)
            pool_huge(nb);
        if (b != NULL && cap != POOL_BLOCK) { /* a large one: behind head */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            p->head = nb;
        }
        b = nb;
    }
    void *r = (char *)b->data + b->used;
    b->used += n;
    if (b->used > b->ready)
        pool_ready(b);
    return r;
}

static void pool_free(void *ptr)
{
    if (parsing_pool == NULL)
        free(ptr); /* (another thread's cJSON while this one parses) */
    /* pooled values go with their pool */
}

void rp_json_pool_free(rp_json_pool *p)
{
    if (p == NULL)
        return;
    for (pool_block *b = p->head; b != NULL;) {
        pool_block *next = b->next;
        free(b);
        b = next;
    }
    free(p);
}

/* ---- the one-pass parser of pooled documents -------------------------
 * Checking the syntax (locate_error), cJSON's parse and the walk over every
 * string (walk_item) each pass over a large network once.  Most documents
 * use a plain part of JSON only: strings of printable ASCII with no escape
 * but \" \\ \/ \b \f \n \r \t, and numbers up to 63 characters.  Those
 * are parsed here in one pass into the tree cJSON would build (the same
 * items, links, types, strings and numbers: a number is what strtod reads,
 * as cJSON's is, and valueint saturates as cJSON's does).  Anything else
 * (a syntax error, a \u escape, a longer number, nesting past FAST_DEPTH)
 * gives up: the pool is emptied and the document is parsed the usual way,
 * which finds the same errors as ever.  The walk over strings is
 * skipped when no string holds an escape or a byte >= 0x7f (only those can
 * hold a control character), and the check of the text when every byte is
 * ASCII (only other bytes can be bad UTF-8, and \u0000 is given up on). */
typedef struct fast_seen {
    const char *s; /* a string already in the pool, or NULL */
    size_t n;
} fast_seen;

typedef struct fast_parse {
    const char *s, *end;
    rp_json_pool *pool;
    int depth;
    int need_walk; /* a string holds an escape or a byte >= 0x7f */
    int non_ascii; /* a string holds a byte >= 0x80 */
    fast_seen keys[64], vals[64]; /* (keys, string values) */
} fast_parse;

#define FAST_DEPTH 512 /* deeper: the usual parse (its limit is 1000) */

/* pool_alloc's common case (room in the head block, made present) without
 * a call: the parse takes an item or a string a few bytes of text. */
static inline void *fast_alloc(fast_parse *f, size_t n)
{
    pool_block *b = f->pool->head;
    n = (n + 7) & ~(size_t)7;
    if (b != NULL && b->cap - b->used >= n && b->used + n <= b->ready) {
        void *r = (char *)b->data + b->used;
        b->used += n;
        return r;
    }
    return pool_alloc(n);
}

/* The 8 bytes at s as one word, the first in the lowest byte. */
static inline uint64_t load_le64(const char *s)
{
    uint64_t w;
    memcpy(&w, s, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

#define BYTES_1 0x0101010101010101u
#define BYTES_80 0x8080808080808080u
/* The high bit of each byte of w that is 0 (and perhaps of bytes above
 * one: the lowest set is always the first zero byte). */
#define ZERO_BYTES(w) (((w)-BYTES_1) & ~(w)&BYTES_80)

/* The position of the first byte of the 8 at s that ends a plain run of
 * a string (a quote, a backslash, a byte below 0x20 or from 0x7f on), or
 * 8 when there is none.  Each test can mark bytes above its first true
 * one (a borrow), never below, so the lowest mark is the first such
 * byte. */
static inline unsigned plain_run(const char *s)
{
    const uint64_t w = load_le64(s);
    uint64_t stop = ZERO_BYTES(w ^ (BYTES_1 * '"')) |
                    ZERO_BYTES(w ^ (BYTES_1 * '\\')) |
                    ZERO_BYTES(w ^ (BYTES_1 * 0x7f)) |
                    ((w - BYTES_1 * 0x20) & ~w & BYTES_80) | (w & BYTES_80);
    return stop == 0 ? 8 : (unsigned)__builtin_ctzll(stop) / 8;
}

/* Whether the n bytes at a (text) equal the n at b (a pooled string, whose
 * allocation is a whole number of 8-byte words past its NUL): one or two
 * words compared for the short strings of keys and values, when the
 * text has 8 bytes at a. */
static inline int same_bytes(const fast_parse *f, const char *a, const char *b,
                             size_t n)
{
    if (n > 16 || a + 16 > f->end)
        return memcmp(a, b, n) == 0;
    uint64_t d = load_le64(a) ^ load_le64(b);
    if (n < 8)
        return (d & ((UINT64_C(1) << (8 * n)) - 1)) == 0;
    if (d != 0)
        return 0;
    d = load_le64(a + 8) ^ load_le64(b + 8);
    if (n < 16)
        d &= (UINT64_C(1) << (8 * (n - 8))) - 1;
    return d == 0;
}

static void fast_ws(fast_parse *f)
{
    while (f->s < f->end && is_ws(*f->s))
        f->s++;
}

/* The string whose opening quote is at f->s, decoded into the pool; NULL
 * to give up.  A key (key set) or a string value without escapes that the
 * pool holds already, as the same few keys of millions of nodes and edges
 * and their kinds, regions, tags and input names do, is not copied again:
 * the items share its copy (nothing writes to a pooled string, and the
 * pool is released whole).  Keys and values are remembered apart, so that
 * the many distinct ids do not push the keys out. */
static __attribute__((noinline)) char *fast_string_any(fast_parse *f, int key)
{
    const char *p = f->s + 1, *q = p;
    size_t esc = 0;
    for (;; q++) {
        /* printable ASCII but the quote and the backslash: on (the text
         * ends with a NUL, which stops this too) */
        while ((unsigned char)(*q - 0x20) < 0x5f && *q != '"' && *q != '\\')
            q++;
        if (q >= f->end)
            return NULL;
        unsigned char c = (unsigned char)*q;
        if (c == '"')
            break;
        if (c < 0x20)
            return NULL;
        if (c >= 0x7f) {
            f->need_walk = 1;
            f->non_ascii |= c >= 0x80;
        } else if (c == '\\') {
            char e = q + 1 < f->end ? q[1] : '\0';
            if (e == '\0' || strchr("\"\\/bfnrt", e) == NULL)
                return NULL;
            f->need_walk = 1;
            esc++;
            q++;
        }
    }
    size_t n = (size_t)(q - p) - esc;
    unsigned h = 0;
    fast_seen *seen = key ? f->keys : f->vals;
    if (esc == 0) {
        h = n == 0 ? 0
                   : ((unsigned)n * 31u + (unsigned char)p[0] * 7u +
                      (unsigned char)p[n - 1]) &
                         63u;
        if (seen[h].s != NULL && seen[h].n == n &&
            memcmp(seen[h].s, p, n) == 0) {
            f->s = q + 1;
            return (char *)seen[h].s;
        }
    }
    char *out = fast_alloc(f, n + 1);
    if (out == NULL)
        return NULL;
    if (esc == 0) {
        memcpy(out, p, n);
        seen[h].s = out;
        seen[h].n = n;
    } else {
        char *o = out;
        for (const char *r = p; r < q; r++) {
            if (*r != '\\') {
                *o++ = *r;
                continue;
            }
            r++;
            switch (*r) {
            case 'b':
                *o++ = '\b';
                break;
            case 'f':
                *o++ = '\f';
                break;
            case 'n':
                *o++ = '\n';
                break;
            case 'r':
                *o++ = '\r';
                break;
            case 't':
                *o++ = '\t';
                break;
            default: /* " \ / */
                *o++ = *r;
            }
        }
    }
    out[n] = '\0';
    f->s = q + 1;
    return out;
}

/* fast_string for a string of printable ASCII without escapes (nearly
 * all), its bytes scanned 8 at a time; any other goes to fast_string_any,
 * which does the same for it (the run scanned here is only read). */
static inline char *fast_string(fast_parse *f, int key)
{
    const char *p = f->s + 1, *q = p;
    for (;;) {
        if (q + 8 > f->end) { /* (the last bytes of the text) */
            while (q < f->end && (unsigned char)(*q - 0x20) < 0x5f &&
                   *q != '"' && *q != '\\')
                q++;
            break;
        }
        unsigned k = plain_run(q);
        q += k;
        if (k < 8)
            break;
    }
    if (q >= f->end || *q != '"')
        return fast_string_any(f, key);
    size_t n = (size_t)(q - p);
    fast_seen *seen = key ? f->keys : f->vals;
    unsigned h = n == 0 ? 0
                        : ((unsigned)n * 31u + (unsigned char)p[0] * 7u +
                           (unsigned char)p[n - 1]) &
                              63u;
    if (seen[h].s != NULL && seen[h].n == n &&
        same_bytes(f, p, seen[h].s, n)) {
        f->s = q + 1;
        return (char *)seen[h].s;
    }
    char *out = fast_alloc(f, n + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, p, n);
    out[n] = '\0';
    seen[h].s = out;
    seen[h].n = n;
    f->s = q + 1;
    return out;
}

/* The number at f->s into it; -1 to give up. */
static int fast_number(fast_parse *f, cJSON *it)
{
    size_t len = number_len(f->s, (size_t)(f->end - f->s));
    if (len == 0 || len > 63) /* (cJSON reads 63 characters at most) */
        return -1;
    const char *p = f->s;
    int neg = *p == '-';
    size_t nd = len - (size_t)neg;
    int digits = nd <= 15;
    uint64_t u = 0;
    for (size_t k = 0; digits && k < nd; k++) {
        char c = p[(size_t)neg + k];
        if (!is_digit(c))
            digits = 0;
        else
            u = u * 10 + (uint64_t)(c - '0');
    }
    double v;
    if (digits) { /* below 2^53: exact, as strtod reads it */
        v = (double)u;
        if (neg)
            v = -v;
    } else {
        char *e = NULL;
        v = strtod(p, &e);
        if (e != p + len)
            return -1;
    }
    it->valuedouble = v;
    if (v >= INT_MAX)
        it->valueint = INT_MAX;
    else if (v <= (double)INT_MIN)
        it->valueint = INT_MIN;
    else
        it->valueint = (int)v;
    it->type = cJSON_Number;
    f->s += len;
    return 0;
}

static int fast_value(fast_parse *f, cJSON *it);

static cJSON *fast_new(fast_parse *f)
{
    cJSON *it = fast_alloc(f, sizeof *it);
    if (it != NULL)
        memset(it, 0, sizeof *it);
    return it;
}

/* An object or array at f->s into it; -1 to give up. */
static int fast_container(fast_parse *f, cJSON *it)
{
    const int obj = *f->s == '{';
    const char close = obj ? '}' : ']';
    if (++f->depth > FAST_DEPTH)
        return -1;
    it->type = obj ? cJSON_Object : cJSON_Array;
    f->s++;
    fast_ws(f);
    cJSON *head = NULL, *cur = NULL;
    if (f->s < f->end && *f->s == close) {
        f->s++;
        f->depth--;
        return 0;
    }
    int items = 0;
    for (;;) {
        items++;
        cJSON *c = fast_new(f);
        if (c == NULL)
            return -1;
        if (obj) {
            if (f->s >= f->end || *f->s != '"' ||
                (c->string = fast_string(f, 1)) == NULL)
                return -1;
            fast_ws(f);
            if (f->s >= f->end || *f->s != ':')
                return -1;
            f->s++;
            fast_ws(f);
        }
        if (fast_value(f, c) != 0)
            return -1;
        if (head == NULL) {
            head = c;
        } else {
            cur->next = c;
            c->prev = cur;
        }
        cur = c;
        fast_ws(f);
        if (f->s < f->end && *f->s == ',') {
            f->s++;
            fast_ws(f);
            continue;
        }
        if (f->s < f->end && *f->s == close) {
            f->s++;
            break;
        }
        return -1;
    }
    head->prev = cur; /* as cJSON leaves it: the last child */
    it->child = head;
    f->depth--;
    rp_json_pool *p = parsing_pool;
    if (!obj && items >= POOL_COUNT_MIN && p->n_counted < POOL_COUNTED) {
        p->counted[p->n_counted].array = it;
        p->counted[p->n_counted++].items = items;
    }
    return 0;
}

static int fast_value(fast_parse *f, cJSON *it)
{
    if (f->s >= f->end)
        return -1;
    size_t left = (size_t)(f->end - f->s);
    switch (*f->s) {
    case '{':
    case '[':
        return fast_container(f, it);
    case '"':
        it->type = cJSON_String;
        return (it->valuestring = fast_string(f, 0)) != NULL ? 0 : -1;
    case 't':
        if (left < 4 || memcmp(f->s, "true", 4) != 0)
            return -1;
        it->type = cJSON_True;
        it->valueint = 1;
        f->s += 4;
        return 0;
    case 'f':
        if (left < 5 || memcmp(f->s, "false", 5) != 0)
            return -1;
        it->type = cJSON_False;
        f->s += 5;
        return 0;
    case 'n':
        if (left < 4 || memcmp(f->s, "null", 4) != 0)
            return -1;
        it->type = cJSON_NULL;
        f->s += 4;
        return 0;
    default:
        return fast_number(f, it);
    }
}

/* The document of text[0..len) in pool, parsed in one pass: 1 when done
 * (*out set; *walk and *check say whether the string walk and the text
 * check are still needed), 0 when the usual parse must do it (the pool
 * then holds nothing). */
static int fast_parse_text(const char *text, size_t len, rp_json_pool *pool,
                           cJSON **out, int *walk, int *check)
{
    fast_parse f;
    memset(&f, 0, sizeof f);
    f.s = text;
    f.end = text + len;
    f.pool = pool;
    parsing_pool = pool;
    cJSON *root = fast_new(&f);
    fast_ws(&f);
    int ok = root != NULL && f.s < f.end && *f.s == '{' &&
             fast_value(&f, root) == 0;
    if (ok) {
        fast_ws(&f);
        ok = f.s == f.end;
    }
    parsing_pool = NULL;
    if (!ok) {
        size_t keep = pool->text_len;
        for (pool_block *b = pool->head; b != NULL;) {
            pool_block *next = b->next;
            free(b);
            b = next;
        }
        memset(pool, 0, sizeof *pool);
        pool->text_len = keep;
        return 0;
    }
    *out = root;
    *walk = f.need_walk;
    *check = f.non_ascii;
    return 1;
}

/* rp_json_parse, the document taken from pool when pool is not NULL (and
 * then released with it, never with cJSON_Delete). */
static rp_status parse_text(const char *label, const char *text, size_t len,
                            cJSON **out, rp_json_pool *pool, rp_errors *err)
{
    const char *end = NULL;
    *out = NULL;
    if (len == 0 || text[0] == '\0') {
        return rp_err_add(err, "%s:1:1: empty file, expected a JSON object",
                          label);
    }
    int line, col;
    if (rp_utf16_bom(text, len) != 0)
        return rp_err_add(err,
                          "%s:1:1: the file is UTF-16 (it begins with a "
                          "UTF-16 byte-order mark); save it as UTF-8",
                          label);
    /* (a NUL byte anywhere makes the one-pass parse give up, so a text it
     * parses needs no search for one) */
    int walk = 1, check = 1;
    if (pool != NULL && fast_parse_text(text, len, pool, out, &walk, &check)) {
        tree_walk w = {label, err, 0};
        if ((check && check_text(label, text, len, err) != 0) ||
            (walk && (walk_item(&w, *out, NULL, NULL), w.bad > 0))) {
            *out = NULL;
            return RP_EINPUT;
        }
        return RP_OK;
    }
    if (memchr(text, '\0', len) != NULL) {
        size_t off = (size_t)((const char *)memchr(text, '\0', len) - text);
        line_col(text, off, &line, &col);
        return rp_err_add(err, "%s:%d:%d: NUL byte in JSON text", label, line,
                          col);
    }
    size_t off = 0;
    const char *what = NULL;
    int at_end = 0;
    if (locate_error(text, len, &off, &what, &at_end)) {
        line_col(text, off, &line, &col);
        if (at_end)
            return rp_err_add(err, "%s:%d:%d: unexpected end of input, %s",
                              label, line, col, what);
        unsigned char ch = (unsigned char)text[off];
        if (ch >= 0x20 && ch < 0x7f)
            return rp_err_add(err, "%s:%d:%d: %s (got '%c')", label, line, col,
                              what, ch);
        return rp_err_add(err, "%s:%d:%d: %s (got byte 0x%02x)", label, line,
                          col, what, ch);
    }
    /* text[len] must be the terminating NUL: cJSON checks for it */
    cJSON *root;
    if (pool != NULL) {
        cJSON_Hooks h = {pool_alloc, pool_free};
        parsing_pool = pool;
        cJSON_InitHooks(&h);
        root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
        cJSON_InitHooks(NULL);
        parsing_pool = NULL;
    } else {
        root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    }
    if (root == NULL) {
        size_t o = end ? (size_t)(end - text) : 0;
        line_col(text, o < len ? o : len, &line, &col);
        return rp_err_add(err, "%s:%d:%d: invalid JSON", label, line, col);
    }
    if (!cJSON_IsObject(root)) {
        if (pool == NULL)
            cJSON_Delete(root);
        return rp_err_add(err, "%s:1:1: expected a JSON object at the top",
                          label);
    }
    tree_walk w = {label, err, 0};
    if (check_text(label, text, len, err) != 0 ||
        (walk_item(&w, root, NULL, NULL), w.bad > 0)) {
        if (pool == NULL)
            cJSON_Delete(root);
        return RP_EINPUT;
    }
    *out = root;
    return RP_OK;
}

rp_status rp_json_parse(const char *label, const char *text, size_t len,
                        cJSON **out, rp_errors *err)
{
    return parse_text(label, text, len, out, NULL, err);
}

rp_status rp_json_parse_pooled(const char *label, const char *text, size_t len,
                               cJSON **out, rp_json_pool **pool,
                               rp_errors *err)
{
    *out = NULL;
    *pool = calloc(1, sizeof **pool);
    if (*pool == NULL)
        return rp_err_runtime(err, "%s: out of memory", label);
    (*pool)->text_len = len;
    rp_status st = parse_text(label, text, len, out, *pool, err);
    if (st != RP_OK) {
        rp_json_pool_free(*pool);
        *pool = NULL;
        *out = NULL;
    }
    return st;
}

/* The file's text, NUL-terminated, in *text (which the caller frees). */
static rp_status read_text(const char *path, const char *label, char **text,
                           size_t *len_out, rp_errors *err)
{
    *text = NULL;
    /* a regular file of at most RP_MAX_INPUT_BYTES, or nothing is read
     * (a FIFO would block, /dev/zero would never end) */
    size_t size;
    int fd = rp_input_open(path, label, RP_MAX_INPUT_BYTES, &size, err);
    if (fd < 0)
        return RP_EINPUT;
    char *buf = malloc(size + 1);
    if (buf == NULL) {
        close(fd);
        return rp_err_runtime(err, "%s: out of memory", label);
    }
    rp_json_present(buf, size + 1); /* (read would fault it in page by page) */
    size_t len = 0;
    while (len < size) {
        ssize_t got = read(fd, buf + len, size - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return rp_err_add(err, "%s: read error: %s", label, strerror(e));
        }
        if (got == 0)
            break; /* it shrank: what is there */
        len += (size_t)got;
    }
    close(fd);
    buf[len] = '\0';
    *len_out = len;
    *text = buf;
    return RP_OK;
}

rp_status rp_json_read_file(const char *path, const char *label, cJSON **out,
                            rp_errors *err)
{
    *out = NULL;
    size_t len;
    char *buf;
    rp_status st = read_text(path, label, &buf, &len, err);
    if (st != RP_OK)
        return st;
    st = rp_json_parse(label, buf, len, out, err);
    free(buf);
    return st;
}

rp_status rp_json_read_file_pooled(const char *path, const char *label,
                                   cJSON **out, rp_json_pool **pool,
                                   rp_errors *err)
{
    *out = NULL;
    *pool = NULL;
    size_t len;
    char *buf;
    rp_status st = read_text(path, label, &buf, &len, err);
    if (st != RP_OK)
        return st;
    st = rp_json_parse_pooled(label, buf, len, out, pool, err);
    free(buf);
    return st;
}

/* Paths are formatted for every node and edge of a network, so these two
 * copy by hand what snprintf would write (cut to n - 1 bytes, always
 * terminated when n > 0). */
static size_t put_str(char *buf, size_t n, size_t at, const char *s)
{
    if (at + 1 >= n)
        return at;
    if (s == NULL)
        s = "(null)"; /* as glibc's snprintf prints it */
    size_t len = strlen(s);
    if (len > n - 1 - at)
        len = n - 1 - at;
    memcpy(buf + at, s, len);
    buf[at + len] = '\0';
    return at + len;
}

/* v's decimal digits (and sign) written backwards ending just before p;
 * returns where they start (at most 11 characters). */
static char *int_before(char *p, int v)
{
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        *--p = '-';
    return p;
}

static size_t put_int(char *buf, size_t n, size_t at, int v)
{
    char d[16];
    d[sizeof d - 1] = '\0';
    return put_str(buf, n, at, int_before(d + sizeof d - 1, v));
}

void rp_json_path(char *buf, size_t n, const char *path, const char *key)
{
    if (n == 0)
        return;
    buf[0] = '\0';
    size_t at = 0;
    if (path != NULL && path[0] != '\0') {
        at = put_str(buf, n, at, path);
        at = put_str(buf, n, at, ".");
    }
    put_str(buf, n, at, key);
}

void rp_json_index(char *buf, size_t n, const char *path, const char *key,
                   int i)
{
    if (n == 0)
        return;
    buf[0] = '\0';
    size_t at = 0;
    if (key == NULL || key[0] == '\0') {
        at = put_str(buf, n, at, path);
    } else {
        if (path != NULL && path[0] != '\0') {
            at = put_str(buf, n, at, path);
            at = put_str(buf, n, at, ".");
        }
        at = put_str(buf, n, at, key);
    }
    at = put_str(buf, n, at, "[");
    at = put_int(buf, n, at, i);
    put_str(buf, n, at, "]");
}

void rp_json_index_tail(char *buf, size_t n, size_t plen, int i)
{
    if (n == 0 || plen >= n)
        return;
    char d[16];
    d[sizeof d - 1] = ']';
    char *p = int_before(d + sizeof d - 1, i);
    *--p = '[';
    size_t len = (size_t)(d + sizeof d - p);
    if (len > n - 1 - plen)
        len = n - 1 - plen;
    memcpy(buf + plen, p, len);
    buf[plen + len] = '\0';
}

/* Whole numbers up to 2^53 as integers ("9007199254740992", as the
 * command line prints its bounds), others in the shortest form that reads
 * back as the same double. */
void rp_json_format_number(double v, char *b, size_t n)
{
    if (v == floor(v) && fabs(v) <= 9007199254740992.0) {
        snprintf(b, n, "%.0f", v);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(b, n, "%.*g", prec, v);
        if (strtod(b, NULL) == v)
            return;
    }
}

void rp_json_brief(const cJSON *item, char *buf, size_t n)
{
    if (item == NULL || cJSON_IsNull(item)) {
        snprintf(buf, n, "null");
    } else if (cJSON_IsNumber(item)) {
        rp_json_format_number(item->valuedouble, buf, n);
    } else if (cJSON_IsString(item)) {
        snprintf(buf, n, "\"%.40s%s\"", item->valuestring,
                 strlen(item->valuestring) > 40 ? "..." : "");
    } else if (cJSON_IsBool(item)) {
        snprintf(buf, n, "%s", cJSON_IsTrue(item) ? "true" : "false");
    } else if (cJSON_IsArray(item)) {
        snprintf(buf, n, "an array");
    } else {
        snprintf(buf, n, "an object");
    }
}

int rp_json_expected(rp_jctx *c, const cJSON *item, const char *path,
                     const char *want)
{
    char got[64];
    rp_json_brief(item, got, sizeof got);
    rp_err_add(c->err, "%s: %s: must be %s (got %s)", c->file, path, want,
               got);
    return -1;
}

void rp_range_describe(rp_range r, char *buf, size_t n)
{
    const char *what = r.integer ? "an integer" : "a number";
    char lo[32], hi[32];
    rp_json_format_number(r.lo, lo, sizeof lo);
    rp_json_format_number(r.hi, hi, sizeof hi);
    if (isnan(r.lo) && isnan(r.hi))
        snprintf(buf, n, "%s", what);
    else if (isnan(r.hi))
        snprintf(buf, n, "%s %s %s", what, r.lo_open ? ">" : ">=", lo);
    else if (isnan(r.lo))
        snprintf(buf, n, "%s %s %s", what, r.hi_open ? "<" : "<=", hi);
    else
        snprintf(buf, n, "%s in %c%s, %s%c", what, r.lo_open ? '(' : '[', lo,
                 hi, r.hi_open ? ')' : ']');
}

rp_range rp_range_effective(rp_range r)
{
    double cap = r.integer ? RP_MAX_INT : RP_MAX_MAGNITUDE;
    if (isnan(r.hi)) {
        r.hi = cap;
        r.hi_open = 0;
    }
    if (isnan(r.lo)) {
        r.lo = -cap;
        r.lo_open = 0;
    }
    return r;
}

static int in_range(double v, rp_range r)
{
    if (r.integer && v != floor(v))
        return 0;
    if (!isnan(r.lo) && (r.lo_open ? !(v > r.lo) : !(v >= r.lo)))
        return 0;
    if (!isnan(r.hi) && (r.hi_open ? !(v < r.hi) : !(v <= r.hi)))
        return 0;
    return 1;
}

int rp_json_check_number(rp_jctx *c, const cJSON *item, const char *path,
                         double *out, rp_range r)
{
    int ok = cJSON_IsNumber(item) && isfinite(item->valuedouble);
    double v = ok ? item->valuedouble : NAN;
    if (ok && !in_range(v, r))
        ok = 0;
    char want[160];
    if (!ok) {
        rp_range_describe(r, want, sizeof want);
        return rp_json_expected(c, item, path, want);
    }
    /* within the stated range, but past the bound every value keeps */
    rp_range e = rp_range_effective(r);
    if (!in_range(v, e)) {
        rp_range_describe(e, want, sizeof want);
        char got[64];
        rp_json_brief(item, got, sizeof got);
        rp_err_add(c->err, "%s: %s: must be %s (got %s): %s", c->file, path,
                   want, got,
                   r.integer ? "no count of days goes further"
                             : "larger magnitudes would overflow the sums "
                               "over days and nodes");
        return -1;
    }
    *out = v;
    return 1;
}

/* in_range(v, r) && in_range(v, rp_range_effective(r)) in one pass: a
 * bound r leaves open is the effective one, any other is r's own. */
static int in_both_ranges(double v, rp_range r)
{
    const double cap = r.integer ? RP_MAX_INT : RP_MAX_MAGNITUDE;
    if (r.integer && v != floor(v))
        return 0;
    if (isnan(r.lo) ? !(v >= -cap) : r.lo_open ? !(v > r.lo) : !(v >= r.lo))
        return 0;
    if (isnan(r.hi) ? !(v <= cap) : r.hi_open ? !(v < r.hi) : !(v <= r.hi))
        return 0;
    return 1;
}

/* The getters format the value's path only for a message: they run for
 * every field of every node and edge. */
int rp_json_number_item(rp_jctx *c, const cJSON *it, const char *path,
                        const char *key, double *out, double dflt, rp_range r,
                        int required)
{
    char p[256];
    *out = dflt;
    if (it == NULL) {
        if (required) {
            char want[96];
            rp_json_path(p, sizeof p, path, key);
            rp_range_describe(r, want, sizeof want);
            rp_err_add(c->err, "%s: %s: missing (must be %s)", c->file, p,
                       want);
            return -1;
        }
        return 0;
    }
    double v;
    /* in range: the common case, without a path */
    if ((it->type & 0xff) == cJSON_Number && isfinite(it->valuedouble) &&
        in_both_ranges(it->valuedouble, r)) {
        *out = it->valuedouble;
        return 1;
    }
    rp_json_path(p, sizeof p, path, key);
    if (rp_json_check_number(c, it, p, &v, r) < 0)
        return -1;
    *out = v;
    return 1;
}

int rp_json_number(rp_jctx *c, const cJSON *obj, const char *path,
                   const char *key, double *out, double dflt, rp_range r,
                   int required)
{
    return rp_json_number_item(c, cJSON_GetObjectItemCaseSensitive(obj, key),
                               path, key, out, dflt, r, required);
}

int rp_json_string_item(rp_jctx *c, const cJSON *it, const char *path,
                        const char *key, const char **out, int required)
{
    char p[256];
    *out = NULL;
    if (it == NULL) {
        if (required) {
            rp_json_path(p, sizeof p, path, key);
            rp_err_add(c->err, "%s: %s: missing (must be a string)", c->file,
                       p);
            return -1;
        }
        return 0;
    }
    if (!cJSON_IsString(it) || it->valuestring == NULL) {
        rp_json_path(p, sizeof p, path, key);
        return rp_json_expected(c, it, p, "a string");
    }
    *out = it->valuestring;
    return 1;
}

int rp_json_string(rp_jctx *c, const cJSON *obj, const char *path,
                   const char *key, const char **out, int required)
{
    return rp_json_string_item(c, cJSON_GetObjectItemCaseSensitive(obj, key),
                               path, key, out, required);
}

int rp_json_bool_item(rp_jctx *c, const cJSON *it, const char *path,
                      const char *key, int *out, int dflt)
{
    *out = dflt;
    if (it == NULL)
        return 0;
    if (!cJSON_IsBool(it)) {
        char p[256];
        rp_json_path(p, sizeof p, path, key);
        return rp_json_expected(c, it, p, "true or false");
    }
    *out = cJSON_IsTrue(it) ? 1 : 0;
    return 1;
}

int rp_json_bool(rp_jctx *c, const cJSON *obj, const char *path,
                 const char *key, int *out, int dflt)
{
    return rp_json_bool_item(c, cJSON_GetObjectItemCaseSensitive(obj, key),
                             path, key, out, dflt);
}

static void report_unknown(rp_jctx *c, const char *p,
                           const char *const *allowed)
{
    char list[400];
    size_t used = 0;
    list[0] = '\0';
    for (const char *const *a = allowed; *a != NULL && used < 350; a++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s",
                         used ? ", " : "", *a);
        if (w > 0)
            used += (size_t)w;
    }
    rp_err_add(c->err, "%s: %s: unknown key (allowed: %s)", c->file, p, list);
}

#define MAX_ALLOWED 64

int rp_json_members(rp_jctx *c, const cJSON *obj, const char *path,
                    const char *const *allowed, const cJSON **slot)
{
    int nk = 0;
    while (allowed[nk] != NULL)
        nk++;
    const cJSON *own[MAX_ALLOWED];
    if (slot == NULL && nk <= MAX_ALLOWED)
        slot = own;
    if (slot != NULL)
        for (int k = 0; k < nk; k++)
            slot[k] = NULL;
    int bad = 0;
    char p[256];
    const cJSON *it;
    cJSON_ArrayForEach(it, obj)
    {
        const char *k = it->string ? it->string : "";
        int known = -1;
        for (int a = 0; a < nk; a++) {
            /* (the first byte first: most keys differ there) */
            if (allowed[a][0] == k[0] && strcmp(allowed[a], k) == 0) {
                known = a;
                break;
            }
        }
        if (known < 0) {
            rp_json_path(p, sizeof p, path, k);
            report_unknown(c, p, allowed);
            bad++;
            continue;
        }
        /* duplicate: an earlier sibling with the same name (the first one
         * is the one read) */
        int dup = 0;
        if (slot != NULL) {
            dup = slot[known] != NULL;
            if (!dup)
                slot[known] = it;
        } else {
            for (const cJSON *q = obj->child; q != it && !dup; q = q->next)
                dup = q->string && strcmp(q->string, k) == 0;
        }
        if (dup) {
            rp_json_path(p, sizeof p, path, k);
            rp_err_add(c->err, "%s: %s: duplicate key", c->file, p);
            bad++;
        }
    }
    return bad;
}

int rp_json_check_keys(rp_jctx *c, const cJSON *obj, const char *path,
                       const char *const *allowed)
{
    return rp_json_members(c, obj, path, allowed, NULL);
}

/* ---- the canonical printer ---------------------------------------------
 * cJSON_PrintUnformatted's bytes, written without its per-value ensure()
 * and without snprintf for integers (a network's numbers nearly all are):
 * an integral number of magnitude below 1e15 is what "%1.15g" prints (its
 * digits, "-0" for minus zero) and reads back exactly, so cJSON never
 * tries "%1.17g" on it; any other number goes the way cJSON's print_number
 * goes.  Strings are escaped as print_string_ptr escapes them. */
typedef struct canon_buf {
    char *p;
    size_t len, cap;
} canon_buf;

static int canon_room(canon_buf *b, size_t n)
{
    if (b->cap - b->len > n)
        return 0;
    size_t cap = b->cap > 0 ? b->cap : 4096;
    while (cap - b->len <= n) {
        if (cap > SIZE_MAX / 2)
            return -1;
        cap *= 2;
    }
    char *q = realloc(b->p, cap);
    if (q == NULL)
        return -1;
    b->p = q;
    b->cap = cap;
    return 0;
}

static int canon_number(canon_buf *b, double d)
{
    char tmp[32];
    size_t n;
    if (isnan(d) || isinf(d)) {
        memcpy(tmp, "null", 4);
        n = 4;
    } else if (d > -1e15 && d < 1e15 && d == (double)(int64_t)d) {
        int64_t v = (int64_t)d;
        uint64_t u = v < 0 ? (uint64_t)(-v) : (uint64_t)v;
        char rev[24];
        size_t k = 0;
        do {
            rev[k++] = (char)('0' + u % 10);
            u /= 10;
        } while (u > 0);
        n = 0;
        if (signbit(d))
            tmp[n++] = '-';
        while (k > 0)
            tmp[n++] = rev[--k];
    } else {
        /* as cJSON's print_number: 15 digits if they read back within
         * an epsilon, else 17 */
        double test = 0;
        int len = snprintf(tmp, sizeof tmp, "%1.15g", d);
        if (sscanf(tmp, "%lg", &test) != 1 ||
            !(fabs(test - d) <= fmax(fabs(test), fabs(d)) * DBL_EPSILON))
            len = snprintf(tmp, sizeof tmp, "%1.17g", d);
        if (len < 0 || len > 25)
            return -1;
        n = (size_t)len;
    }
    if (canon_room(b, n) != 0)
        return -1;
    memcpy(b->p + b->len, tmp, n);
    b->len += n;
    return 0;
}

static int canon_string(canon_buf *b, const char *s)
{
    if (s == NULL)
        s = "";
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0, esc = 0;
    for (; u[n] != '\0'; n++) {
        unsigned char c = u[n];
        if (c == '"' || c == '\\')
            esc++;
        else if (c < 32)
            esc +=
                (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t')
                    ? 1
                    : 5;
    }
    if (canon_room(b, n + esc + 2) != 0)
        return -1;
    char *o = b->p + b->len;
    *o++ = '"';
    if (esc == 0) {
        memcpy(o, s, n);
        o += n;
    } else {
        static const char hex[] = "0123456789abcdef";
        for (size_t k = 0; k < n; k++) {
            unsigned char c = u[k];
            if (c > 31 && c != '"' && c != '\\') {
                *o++ = (char)c;
                continue;
            }
            *o++ = '\\';
            switch (c) {
            case '\\':
                *o++ = '\\';
                break;
            case '"':
                *o++ = '"';
                break;
            case '\b':
                *o++ = 'b';
                break;
            case '\f':
                *o++ = 'f';
                break;
            case '\n':
                *o++ = 'n';
                break;
            case '\r':
                *o++ = 'r';
                break;
            case '\t':
                *o++ = 't';
                break;
            default:
                *o++ = 'u';
                *o++ = '0';
                *o++ = '0';
                *o++ = hex[c >> 4];
                *o++ = hex[c & 15];
            }
        }
    }
    *o++ = '"';
    b->len = (size_t)(o - b->p);
    return 0;
}

static int canon_lit(canon_buf *b, const char *s, size_t n)
{
    if (canon_room(b, n) != 0)
        return -1;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return 0;
}

static int canon_value(canon_buf *b, const cJSON *it)
{
    switch (it->type & 0xFF) {
    case cJSON_NULL:
        return canon_lit(b, "null", 4);
    case cJSON_False:
        return canon_lit(b, "false", 5);
    case cJSON_True:
        return canon_lit(b, "true", 4);
    case cJSON_Number:
        return canon_number(b, it->valuedouble);
    case cJSON_Raw:
        return it->valuestring == NULL
                   ? -1
                   : canon_lit(b, it->valuestring, strlen(it->valuestring));
    case cJSON_String:
        return canon_string(b, it->valuestring);
    case cJSON_Array:
    case cJSON_Object: {
        const int obj = (it->type & 0xFF) == cJSON_Object;
        if (canon_lit(b, obj ? "{" : "[", 1) != 0)
            return -1;
        for (const cJSON *c = it->child; c != NULL; c = c->next) {
            if (obj &&
                (canon_string(b, c->string) != 0 || canon_lit(b, ":", 1) != 0))
                return -1;
            if (canon_value(b, c) != 0 ||
                (c->next != NULL && canon_lit(b, ",", 1) != 0))
                return -1;
        }
        return canon_lit(b, obj ? "}" : "]", 1);
    }
    default:
        return -1;
    }
}

char *rp_json_print(const cJSON *item, size_t hint, size_t *len)
{
    canon_buf b = {NULL, 0, 0};
    if (item == NULL)
        return NULL;
    if (hint > 0 && hint < SIZE_MAX / 2) {
        b.p = malloc(hint + 1);
        b.cap = b.p != NULL ? hint + 1 : 0;
    }
    if (canon_value(&b, item) != 0 || canon_room(&b, 1) != 0) {
        free(b.p);
        return NULL;
    }
    b.p[b.len] = '\0';
    if (len != NULL)
        *len = b.len;
    if (b.cap > b.len + 1 + 4096) {
        char *fit = realloc(b.p, b.len + 1);
        if (fit != NULL)
            b.p = fit;
    }
    return b.p;
}
