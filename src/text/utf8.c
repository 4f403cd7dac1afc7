/* utf8.c - validation and byte-for-byte repair of UTF-8. */
#include "text.h"

#include <string.h>

int utf8_decode(const char *p, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)p;
    *cp = 0xFFFD;
    if (!n)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if ((size_t)len > n)
        return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

size_t utf8_invalid_count(const char *s, size_t n)
{
    size_t bad = 0, i = 0;
    while (i < n) {
        if (i + 8 <= n) { /* eight ASCII bytes, none of them NUL, at once */
            uint64_t v;
            memcpy(&v, s + i, 8);
            if (!(v & 0x8080808080808080ULL) && !((v - 0x0101010101010101ULL) & ~v & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        if ((unsigned char)s[i] < 0x80) {
            if (!s[i])
                bad++;
            i++;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c >= 0xC2 && c <= 0xDF && i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
            i += 2; /* a valid two-byte sequence, as utf8_decode would find */
            continue;
        }
        uint32_t cp;
        int l = utf8_decode(s + i, n - i, &cp);
        if (!l) {
            bad++;
            i++;
        } else {
            i += (size_t)l;
        }
    }
    return bad;
}

size_t utf8_repair(const char *s, size_t n, buf_t *out)
{
    size_t bad = 0, i = 0, run = 0;
    if (buf_reserve(out, n))
        return (size_t)-1;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        int l = 1;
        bool ok = true;
        if (c >= 0x80) {
            uint32_t cp;
            l = utf8_decode(s + i, n - i, &cp);
            if (!l) {
                ok = false;
                l = 1;
            }
        } else if (!c) {
            ok = false;
        }
        if (!ok) {
            buf_append(out, s + run, i - run);
            buf_putc(out, '?');
            bad++;
            run = i + 1;
        }
        i += (size_t)l;
    }
    buf_append(out, s + run, n - run);
    return bad;
}
