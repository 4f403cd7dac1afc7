/* jsonl.c - see jsonl.h. The rules are jansson's: JSON white space is
 * space, tab, CR and LF; strings may not hold raw control characters
 * (< 0x20) and must be valid UTF-8 (no overlong forms, no surrogates, at
 * most U+10FFFF; text.h's utf8_decode applies the same test); escapes are
 * \" \\ \/ \b \f \n \r \t and \uXXXX, a high surrogate only followed by a
 * low one. */
#include "jsonl.h"
#include "../text/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const KEYS[JK_COUNT] = {"id", "text", "lang", "date", "url", "title"};

static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i;
}

static int hex4(const char *s, size_t n, size_t i, uint32_t *v)
{
    if (i + 4 > n)
        return -1;
    *v = 0;
    for (size_t k = i; k < i + 4; k++) {
        char c = s[k];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        *v = *v << 4 | (uint32_t)d;
    }
    return 0;
}

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | cp >> 6);
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The string whose opening quote is at s[i]: decoded into out (when not
 * NULL; room for the raw length is enough, escapes only shrink). Returns
 * the index after the closing quote, or 0 when jansson should decide.
 * *olen gets the decoded length; *escaped tells whether there was a '\'. */
static size_t scan_string(const char *s, size_t n, size_t i, char *out, size_t *olen, bool *escaped)
{
    size_t o = 0;
    *escaped = false;
    for (i++; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"') {
            *olen = o;
            return i + 1;
        }
        if (c < 0x20)
            return 0;
        if (c < 0x80 && c != '\\') {
            size_t j = i + 1; /* a run of plain ASCII */
            while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x80 && s[j] != '"' &&
                   s[j] != '\\')
                j++;
            if (out)
                memcpy(out + o, s + i, j - i);
            o += j - i;
            i = j;
            continue;
        }
        if (c >= 0x80) {
            uint32_t cp;
            int l = utf8_decode(s + i, n - i, &cp);
            if (!l)
                return 0;
            if (out)
                memcpy(out + o, s + i, (size_t)l);
            o += (size_t)l;
            i += (size_t)l;
            continue;
        }
        *escaped = true; /* c == '\\' */
        if (i + 1 >= n)
            return 0;
        char e = s[i + 1], r;
        switch (e) {
        case '"': r = '"'; break;
        case '\\': r = '\\'; break;
        case '/': r = '/'; break;
        case 'b': r = '\b'; break;
        case 'f': r = '\f'; break;
        case 'n': r = '\n'; break;
        case 'r': r = '\r'; break;
        case 't': r = '\t'; break;
        case 'u': {
            uint32_t cp, lo;
            if (hex4(s, n, i + 2, &cp))
                return 0;
            i += 6;
            if (cp >= 0xDC00 && cp <= 0xDFFF)
                return 0;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (i + 1 >= n || s[i] != '\\' || s[i + 1] != 'u' || hex4(s, n, i + 2, &lo) ||
                    lo < 0xDC00 || lo > 0xDFFF)
                    return 0;
                i += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            if (out)
                o += put_utf8(out + o, cp);
            else
                o += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            continue;
        }
        default:
            return 0;
        }
        if (out)
            out[o] = r;
        o++;
        i += 2;
    }
    return 0;
}

static void free_vals(jsonl_val v[JK_COUNT])
{
    for (int k = 0; k < JK_COUNT; k++) {
        free(v[k].s);
        v[k].s = NULL;
        v[k].n = 0;
    }
}

int jsonl_flat(const char *s, size_t n, jsonl_val v[JK_COUNT])
{
    struct { size_t at, len; } keys[64];
    size_t nkeys = 0;
    memset(v, 0, sizeof *v * JK_COUNT);
    size_t i = skip_ws(s, n, 0);
    if (i >= n || s[i] != '{')
        return 0;
    i = skip_ws(s, n, i + 1);
    for (;;) {
        if (i >= n || s[i] != '"' || nkeys == 64)
            goto other;
        size_t klen;
        bool esc;
        size_t kend = scan_string(s, n, i, NULL, &klen, &esc);
        if (!kend || esc)
            goto other;
        size_t kat = i + 1;
        for (size_t k = 0; k < nkeys; k++)
            if (keys[k].len == klen && !memcmp(s + keys[k].at, s + kat, klen))
                goto other; /* a duplicate key: jansson's error */
        keys[nkeys].at = kat;
        keys[nkeys++].len = klen;
        i = skip_ws(s, n, kend);
        if (i >= n || s[i] != ':')
            goto other;
        i = skip_ws(s, n, i + 1);
        if (i >= n || s[i] != '"')
            goto other;
        int which = -1;
        for (int k = 0; k < JK_COUNT; k++)
            if (strlen(KEYS[k]) == klen && !memcmp(KEYS[k], s + kat, klen))
                which = k;
        size_t vlen, vend;
        if (which >= 0) {
            /* the text is decoded in one pass into room for the rest of
             * the line (escapes only shrink); short values are measured
             * first */
            size_t cap = n - i;
            if (which != JK_TEXT) {
                if (!scan_string(s, n, i, NULL, &cap, &esc))
                    goto other;
            }
            char *buf = malloc(cap + 1);
            if (!buf)
                goto other;
            vend = scan_string(s, n, i, buf, &vlen, &esc);
            if (!vend) {
                free(buf);
                goto other;
            }
            buf[vlen] = 0;
            v[which].s = buf;
            v[which].n = vlen;
        } else {
            vend = scan_string(s, n, i, NULL, &vlen, &esc);
            if (!vend)
                goto other;
        }
        i = skip_ws(s, n, vend);
        if (i < n && s[i] == ',') {
            i = skip_ws(s, n, i + 1);
            continue;
        }
        if (i < n && s[i] == '}')
            break;
        goto other;
    }
    if (skip_ws(s, n, i + 1) != n || !v[JK_TEXT].s)
        goto other;
    return 1;
other:
    free_vals(v);
    return 0;
}
