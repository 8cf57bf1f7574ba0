/* Small helpers shared by the modules (ripple/util.h): string copies, UTF-8
 * decoding, escaping of untrusted text before it reaches a message, and
 * counts as the texts show them (grouped digits). */
#include "ripple/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *rp_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *r = malloc(n);
    if (r != NULL)
        memcpy(r, s, n);
    return r;
}

int rp_utf8_next(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int len;
    uint32_t v, min;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        v = c & 0x1f;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        v = c & 0x0f;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0; /* a continuation byte, an overlong lead, or past 0x10ffff */
    }
    if ((size_t)len > n)
        return 0;
    for (int k = 1; k < len; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[k] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return len;
}

int rp_is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* Characters a terminal shows as nothing, or that reorder the text
 * around them: a name holding one would print like another name (a
 * byte-order mark left in a CSV header printed "id" for "\ufeffid"). */
static int invisible(uint32_t cp)
{
    return cp == 0xad || (cp >= 0x200b && cp <= 0x200f) ||
           (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) ||
           cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

int rp_utf16_bom(const char *text, size_t len)
{
    if (len < 2)
        return 0;
    const unsigned char a = (unsigned char)text[0], b = (unsigned char)text[1];
    return a == 0xff && b == 0xfe ? 1 : a == 0xfe && b == 0xff ? 2 : 0;
}

void rp_escape(const char *s, char *out, size_t n)
{
    rp_escape_n(s, strlen(s), out, n);
}

void rp_escape_n(const char *s, size_t len, char *out, size_t n)
{
    if (n == 0)
        return;
    size_t i = 0, o = 0;
    while (i < len) {
        uint32_t cp = 0;
        int k = rp_utf8_next(s + i, len - i, &cp);
        char piece[16];
        size_t pl;
        if (k == 0) {
            pl = (size_t)snprintf(piece, sizeof piece, "\\x%02x",
                                  (unsigned char)s[i]);
            k = 1;
        } else if (cp == '\n') {
            pl = (size_t)snprintf(piece, sizeof piece, "\\n");
        } else if (cp == '\t') {
            pl = (size_t)snprintf(piece, sizeof piece, "\\t");
        } else if (cp == '\r') {
            pl = (size_t)snprintf(piece, sizeof piece, "\\r");
        } else if (cp < 0x80 && rp_is_control(cp)) {
            pl =
                (size_t)snprintf(piece, sizeof piece, "\\x%02x", (unsigned)cp);
        } else if (rp_is_control(cp) || invisible(cp)) {
            pl =
                (size_t)snprintf(piece, sizeof piece, "\\u%04x", (unsigned)cp);
        } else {
            memcpy(piece, s + i, (size_t)k);
            pl = (size_t)k;
        }
        if (o + pl + 1 > n)
            break; /* cut at a whole character */
        memcpy(out + o, piece, pl);
        o += pl;
        i += (size_t)k;
    }
    out[o] = '\0';
}

char *rp_count_str(char *b, size_t n, long long v)
{
    char d[24];
    if (n == 0)
        return b;
    /* the magnitude's digits (LLONG_MIN's too: unsigned) */
    unsigned long long a =
        v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    int len = snprintf(d, sizeof d, "%llu", a);
    size_t k = 0;
    if (v < 0 && k + 1 < n)
        b[k++] = '-';
    for (int i = 0; i < len && k + 1 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0) {
            b[k++] = ',';
            if (k + 1 >= n)
                break;
        }
        b[k++] = d[i];
    }
    b[k] = '\0';
    return b;
}
