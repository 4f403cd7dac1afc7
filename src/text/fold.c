/* fold.c - case folding and normalisation for matching (utf8proc). */
#include "text.h"

#include <string.h>
#include <utf8proc.h>
#ifndef AS_TEXTTAB_GEN
#include "texttab.h"
#endif

static int put_cp(buf_t *out, uint32_t cp)
{
    char tmp[4];
    utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)tmp);
    return buf_append(out, tmp, (size_t)n);
}

/* Typographic variants that normalisation keeps apart but news writes
 * interchangeably. */
static uint32_t unify(uint32_t cp)
{
    switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x02BC:
    case 0x00B4: case 0x0060: case 0x2032:
        return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB:
    case 0x2039: case 0x203A:
        return '"';
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
    case 0x2015: case 0x2212:
        return '-';
    case 0x00A0: case 0x202F: case 0x2009: case 0x2007:
        return ' ';
    default:
        return cp;
    }
}

int fold_append(const char *s, size_t n, buf_t *out)
{
    size_t i = 0;
    if (buf_reserve(out, n))
        return -1;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
            if (out->len + 2 <= out->cap) { /* room for the byte and the NUL */
                out->data[out->len++] = (char)c;
                out->data[out->len] = 0;
            } else if (buf_putc(out, (char)c)) {
                return -1;
            }
            i++;
            continue;
        }
        uint32_t cp;
        int l;
        if (c >= 0xC2 && c <= 0xDF && i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            cp = (uint32_t)(c & 0x1F) << 6 | ((unsigned char)s[i + 1] & 0x3F); /* as utf8_decode */
            l = 2;
        } else {
            l = utf8_decode(s + i, n - i, &cp);
            if (!l)
                l = 1;
        }
        i += (size_t)l;
#ifndef AS_TEXTTAB_GEN
        if (cp >= TEXTTAB_FIRST && cp < TEXTTAB_END && texttab[cp - TEXTTAB_FIRST].flen != TEXTTAB_SLOW) {
            const texttab_t *e = &texttab[cp - TEXTTAB_FIRST];
            if (out->len + sizeof e->fold <= out->cap) {
                memcpy(out->data + out->len, e->fold, sizeof e->fold); /* NUL-padded */
                out->len += e->flen;
                out->data[out->len] = 0;
            } else if (buf_append(out, e->fold, e->flen)) {
                return -1;
            }
            continue;
        }
#endif
        cp = unify(cp);
        if (cp < 0x80) {
            if (buf_putc(out, (char)cp))
                return -1;
            continue;
        }
        if (cp == 0x0153 || cp == 0x0152) { /* œ */
            if (buf_append(out, "oe", 2))
                return -1;
            continue;
        }
        if (cp == 0x00E6 || cp == 0x00C6) { /* æ */
            if (buf_append(out, "ae", 2))
                return -1;
            continue;
        }
        utf8proc_int32_t dst[8];
        int last = 0;
        utf8proc_ssize_t k = utf8proc_decompose_char(
            (utf8proc_int32_t)cp, dst, 8,
            UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
            &last);
        if (k < 0 || k > 8) {
            if (put_cp(out, cp))
                return -1;
            continue;
        }
        for (utf8proc_ssize_t j = 0; j < k; j++)
            if (put_cp(out, unify((uint32_t)dst[j])))
                return -1;
    }
    return 0;
}
