/* tok.c - tokeniser: words, numbers and punctuation with byte offsets.
 *
 * Words split at letter/digit boundaries and at hyphens (the hyphen is not a
 * token; the next token carries TK_HYPHEN), so "KN-23", "KN 23" and "KN23"
 * give the same tokens. Apostrophes are tokens of their own. Numbers keep
 * thousands groups ("3 000", "40,000", "1.000") and decimals ("1,6").
 */
#include "text.h"

#include <string.h>
#include <utf8proc.h>
#ifndef AS_TEXTTAB_GEN
#include "texttab.h"
#endif

void toklist_init(toklist_t *tl)
{
    vec_init(&tl->toks, sizeof(tok_t));
    memset(&tl->fold, 0, sizeof tl->fold);
}

void toklist_clear(toklist_t *tl)
{
    vec_clear(&tl->toks);
    buf_clear(&tl->fold);
}

void toklist_free(toklist_t *tl)
{
    vec_free(&tl->toks);
    buf_free(&tl->fold);
}

enum { C_SPACE, C_NL, C_LETTER, C_DIGIT, C_MARK, C_APOS, C_HYPHEN, C_DOT, C_OTHER };

static int classify(uint32_t cp)
{
    if (cp < 0x80) {
        if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\f' || cp == '\v')
            return C_SPACE;
        if (cp == '\n')
            return C_NL;
        if ((cp | 32) >= 'a' && (cp | 32) <= 'z')
            return C_LETTER;
        if (cp >= '0' && cp <= '9')
            return C_DIGIT;
        if (cp == '\'' || cp == '`')
            return C_APOS;
        if (cp == '-')
            return C_HYPHEN;
        if (cp == '.')
            return C_DOT;
        return C_OTHER;
    }
    switch (cp) {
    case 0x2018: case 0x2019: case 0x02BC: case 0x00B4:
        return C_APOS;
    case 0x2010: case 0x2011:
        return C_HYPHEN;
    case 0x00A0: case 0x202F: case 0x2009: case 0x2007: case 0x200B: case 0xFEFF:
    case 0x3000: case 0x2002: case 0x2003:
        return C_SPACE;
    case 0x2028: case 0x2029: case 0x0085:
        return C_NL;
    }
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return C_LETTER;
    case UTF8PROC_CATEGORY_ND:
        return C_DIGIT;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return C_MARK;
    case UTF8PROC_CATEGORY_ZS:
        return C_SPACE;
    case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
        return C_NL;
    default:
        return C_OTHER;
    }
}

typedef struct {
    const char *s;
    size_t n;
} src_t;

/* inlined: it runs once per character */
static inline __attribute__((always_inline)) int
cls_at(const src_t *src, size_t i, uint32_t *cp, int *len)
{
    if (i >= src->n) {
        *len = 0;
        *cp = 0;
        return C_SPACE;
    }
    unsigned char c = (unsigned char)src->s[i];
    if (c < 0x80) {
        *cp = c;
        *len = 1;
    } else if (c >= 0xC2 && c <= 0xDF && i + 1 < src->n && ((unsigned char)src->s[i + 1] & 0xC0) == 0x80) {
        *cp = (uint32_t)(c & 0x1F) << 6 | ((unsigned char)src->s[i + 1] & 0x3F); /* as utf8_decode */
        *len = 2;
    } else {
        *len = utf8_decode(src->s + i, src->n - i, cp);
        if (!*len)
            *len = 1;
    }
#ifndef AS_TEXTTAB_GEN
    if (*cp >= TEXTTAB_FIRST && *cp < TEXTTAB_END)
        return texttab[*cp - TEXTTAB_FIRST].cls;
#endif
    return classify(*cp);
}

static bool is_upper(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
#ifndef AS_TEXTTAB_GEN
    if (cp < TEXTTAB_END)
        return texttab[cp - TEXTTAB_FIRST].upper;
#endif
    return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_LU;
}

/* Pushes a token whose folded form is already in tl->fold from offset f0,
 * and ends that form with a NUL. */
static int emit_folded(toklist_t *tl, size_t a, size_t b, uint32_t base, uint16_t flags, double num,
                       size_t f0)
{
    tok_t *t;
    if (tl->toks.len < tl->toks.cap) /* every field is set below */
        t = (tok_t *)tl->toks.data + tl->toks.len++;
    else if (!(t = vec_push(&tl->toks)))
        return -1;
    t->start = (uint32_t)(a + base);
    t->end = (uint32_t)(b + base);
    t->fold = (uint32_t)f0;
    t->flags = flags;
    t->num = num;
    size_t fl = tl->fold.len - f0;
    t->fold_len = (uint16_t)(fl > 0xFFFF ? 0xFFFF : fl);
    if (tl->fold.len + 2 <= tl->fold.cap) { /* the NUL after the form, and buf's own */
        tl->fold.data[tl->fold.len++] = 0;
        tl->fold.data[tl->fold.len] = 0;
        return 0;
    }
    return buf_putc(&tl->fold, 0);
}

static int emit(toklist_t *tl, const src_t *src, size_t a, size_t b, uint32_t base,
                uint16_t flags, double num, const char *fold_override, size_t fo_len)
{
    size_t f0 = tl->fold.len;
    if (fold_override) {
        if (buf_append(&tl->fold, fold_override, fo_len))
            return -1;
    } else if (fold_append(src->s + a, b - a, &tl->fold)) {
        return -1;
    }
    return emit_folded(tl, a, b, base, flags, num, f0);
}

/* Appends the fold of one character s[0..len), code point cp: what
 * fold_append gives for it, which folds character by character. */
static inline int fold_char(buf_t *out, const char *s, int len, uint32_t cp)
{
#ifndef AS_TEXTTAB_GEN
    if (cp >= TEXTTAB_FIRST && cp < TEXTTAB_END && texttab[cp - TEXTTAB_FIRST].flen != TEXTTAB_SLOW) {
        const texttab_t *e = &texttab[cp - TEXTTAB_FIRST];
        if (out->len + sizeof e->fold > out->cap && buf_reserve(out, sizeof e->fold))
            return -1;
        memcpy(out->data + out->len, e->fold, sizeof e->fold); /* NUL-padded */
        out->len += e->flen;
        return 0;
    }
#endif
    return fold_append(s, (size_t)len, out);
}

/* Scans a number at i; returns its end, fills digits (no separators). */
static size_t scan_number(const src_t *src, size_t i, char *digits, size_t cap,
                          double *val, bool *decimal)
{
    size_t nd = 0, j = i, group_len = 0, first_group = 0;
    bool grouped = false;
    double v = 0;
    *decimal = false;
    while (j < src->n && src->s[j] >= '0' && src->s[j] <= '9') {
        if (nd + 1 < cap)
            digits[nd++] = src->s[j];
        v = v * 10 + (src->s[j] - '0');
        j++;
        group_len++;
    }
    first_group = group_len;
    for (;;) {
        /* separator candidates: , . ' space nbsp thin-space */
        size_t k = j;
        int seplen = 0;
        unsigned char c = k < src->n ? (unsigned char)src->s[k] : 0;
        uint32_t cp = 0;
        if (c == ',' || c == '.' || c == '\'' || c == ' ')
            seplen = 1;
        else if (c >= 0x80) {
            int l = utf8_decode(src->s + k, src->n - k, &cp);
            if (l && (cp == 0x00A0 || cp == 0x202F || cp == 0x2009))
                seplen = l;
        }
        if (!seplen)
            break;
        size_t d = k + (size_t)seplen, e = d;
        while (e < src->n && src->s[e] >= '0' && src->s[e] <= '9')
            e++;
        size_t run = e - d;
        bool next_alnum = e < src->n && (((unsigned char)src->s[e] | 32) >= 'a' &&
                                         ((unsigned char)src->s[e] | 32) <= 'z');
        if (run == 3 && !next_alnum && (grouped || first_group <= 3) &&
            !(c == ' ' && first_group > 3)) {
            /* thousands group: also "1,6" style decimals have run != 3 */
            for (size_t q = d; q < e; q++) {
                if (nd + 1 < cap)
                    digits[nd++] = src->s[q];
                v = v * 10 + (src->s[q] - '0');
            }
            grouped = true;
            j = e;
            continue;
        }
        if ((c == ',' || c == '.') && run > 0 && run != 3 && !grouped && !*decimal) {
            double f = 0.1;
            if (nd + 1 < cap)
                digits[nd++] = '.';
            for (size_t q = d; q < e; q++) {
                if (nd + 1 < cap)
                    digits[nd++] = src->s[q];
                v += f * (src->s[q] - '0');
                f /= 10;
            }
            *decimal = true;
            j = e;
            break;
        }
        break;
    }
    digits[nd] = 0;
    *val = v;
    return j;
}

int tokenize(const char *text, size_t n, uint32_t base, toklist_t *tl)
{
    src_t src = {text, n};
    size_t i = 0;
    uint16_t pending = 0; /* flags for the next token */
    int newlines = 0;
    while (i < n) {
        if (text[i] == ' ') { /* the commonest character: as C_SPACE below */
            pending |= TK_SPACE;
            i++;
            continue;
        }
        uint32_t cp;
        int len;
        int c = cls_at(&src, i, &cp, &len);
        if (c == C_SPACE) {
            pending |= TK_SPACE;
            i += (size_t)len;
            continue;
        }
        if (c == C_NL) {
            pending |= TK_SPACE | TK_NL;
            if (++newlines >= 2)
                pending |= TK_PARA;
            i += (size_t)len;
            continue;
        }
        if (c != C_SPACE && c != C_NL && c != C_HYPHEN)
            newlines = 0;
        if (c == C_HYPHEN) {
            /* a hyphen between two word characters joins; else punctuation */
            uint32_t pcp = 0, ncp;
            int nlen;
            bool prev_word = false;
            if (i > 0 && tl->toks.len) {
                tok_t *last = &VEC_AT(&tl->toks, tok_t, tl->toks.len - 1);
                prev_word = last->end - base == i && (last->flags & (TK_WORD | TK_NUM));
            }
            (void)pcp;
            int nc = cls_at(&src, i + (size_t)len, &ncp, &nlen);
            if (prev_word && (nc == C_LETTER || nc == C_DIGIT)) {
                pending |= TK_HYPHEN;
                i += (size_t)len;
                continue;
            }
            newlines = 0;
            if (emit(tl, &src, i, i + (size_t)len, base, (uint16_t)(TK_PUNCT | pending), 0, "-", 1))
                return -1;
            pending = 0;
            i += (size_t)len;
            continue;
        }
        if (c == C_DIGIT) {
            char digits[64];
            double v;
            bool dec;
            size_t j;
            if (cp < 0x80) {
                j = scan_number(&src, i, digits, sizeof digits, &v, &dec);
            } else { /* non-ASCII digit: one code point at a time */
                j = i + (size_t)len;
                v = 0;
                dec = false;
                digits[0] = 0;
            }
            uint16_t fl = (uint16_t)(TK_NUM | pending | (dec ? TK_DECIMAL : 0));
            if (emit(tl, &src, i, j, base, fl, v, cp < 0x80 ? digits : NULL,
                     cp < 0x80 ? strlen(digits) : 0))
                return -1;
            pending = 0;
            i = j;
            continue;
        }
        if (c == C_LETTER || c == C_MARK) {
            size_t j = i;
            bool upper = is_upper(cp), all_upper = true, cyr = false, lat = false;
            int letters = 0;
            /* acronym with dots: U.S. / U.K. / U.S.A. */
            if (is_upper(cp) && i + (size_t)len < n && text[i + (size_t)len] == '.') {
                size_t k = i;
                int parts = 0;
                for (;;) {
                    uint32_t c2;
                    int l2;
                    int k2 = cls_at(&src, k, &c2, &l2);
                    if (k2 != C_LETTER || !is_upper(c2) || k + (size_t)l2 >= n ||
                        text[k + (size_t)l2] != '.')
                        break;
                    k += (size_t)l2 + 1;
                    parts++;
                }
                if (parts >= 2) {
                    if (emit(tl, &src, i, k, base,
                             (uint16_t)(TK_WORD | TK_UPPER | TK_ALLUPPER | TK_LATIN | pending), 0,
                             NULL, 0))
                        return -1;
                    pending = 0;
                    i = k;
                    continue;
                }
            }
            /* the word is folded as it is scanned, a character at a time
             * (as fold_append would) */
            size_t f0 = tl->fold.len;
            while (j < n) {
                unsigned char b = (unsigned char)text[j];
                if (b < 0x80) { /* ASCII: a letter (Latin) or the end of the word */
                    if ((b | 32) < 'a' || (b | 32) > 'z')
                        break;
                    letters++;
                    if (b > 'Z')
                        all_upper = false;
                    lat = true;
                    if (tl->fold.len + 2 > tl->fold.cap && buf_reserve(&tl->fold, 64))
                        return -1;
                    tl->fold.data[tl->fold.len++] = (char)(b <= 'Z' ? b + 32 : b);
                    j++;
                    continue;
                }
                uint32_t c2;
                int l2;
                int k2 = cls_at(&src, j, &c2, &l2);
                if (k2 != C_LETTER && k2 != C_MARK)
                    break;
                if (k2 == C_LETTER) {
                    letters++;
                    if (!is_upper(c2))
                        all_upper = false;
                    if (c2 >= 0x400 && c2 <= 0x52F)
                        cyr = true;
                    else if (c2 < 0x250)
                        lat = true;
                }
                if (fold_char(&tl->fold, text + j, l2, c2))
                    return -1;
                j += (size_t)l2;
            }
            uint16_t fl = (uint16_t)(TK_WORD | pending | (upper ? TK_UPPER : 0) |
                                     (all_upper && letters >= 2 ? TK_ALLUPPER : 0) |
                                     (cyr ? TK_CYRILLIC : 0) | (lat ? TK_LATIN : 0));
            if (emit_folded(tl, i, j, base, fl, 0, f0))
                return -1;
            pending = 0;
            i = j;
            continue;
        }
        /* markup left in text ("sending<a href=...> missiles</a>"): a tag
         * is white space, so its URL gives no words */
        if (cp == '<' && i + 1 < n) {
            char c1 = text[i + 1];
            if (((c1 | 32) >= 'a' && (c1 | 32) <= 'z') || c1 == '/' || c1 == '!') {
                size_t k = i + 1, lim = n - i > 4096 ? i + 4096 : n;
                while (k < lim && text[k] != '>' && text[k] != '<' && text[k] != '\n')
                    k++;
                if (k < lim && text[k] == '>') {
                    pending |= TK_SPACE;
                    i = k + 1;
                    continue;
                }
            }
        }
        /* apostrophes, dots and other punctuation: one token per code point,
         * except runs of dots (ellipsis) */
        size_t j = i + (size_t)len;
        if (c == C_DOT)
            while (j < n && text[j] == '.')
                j++;
        if (c == C_APOS) {
            if (emit(tl, &src, i, j, base, (uint16_t)(TK_PUNCT | pending), 0, "'", 1))
                return -1;
        } else if (emit(tl, &src, i, j, base, (uint16_t)(TK_PUNCT | pending), 0, NULL, 0)) {
            return -1;
        }
        pending = 0;
        i = j;
    }
    return 0;
}
