/* test_text.c - the text layer: UTF-8 decoding and repair, folding, the
 * tokeniser (offsets, splitting, numbers, flags) and the sentence splitter. */
#include "text/text.h"
#include "t.h"

#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static buf_t g_fold;

/* The folded form of s (valid until the next call). */
static const char *folded(const char *s)
{
    buf_clear(&g_fold);
    if (fold_append(s, strlen(s), &g_fold))
        return NULL;
    return buf_cstr(&g_fold);
}

/* Tokenises s and writes the folded tokens joined by '|' into out. */
static void toks_of(const char *s, toklist_t *tl, char *out, size_t cap)
{
    toklist_clear(tl);
    out[0] = 0;
    if (tokenize(s, strlen(s), 0, tl)) {
        snprintf(out, cap, "(tokenize failed)");
        return;
    }
    for (size_t i = 0; i < tl->toks.len; i++) {
        const tok_t *t = &VEC_AT(&tl->toks, tok_t, i);
        size_t l = strlen(out);
        snprintf(out + l, cap - l, "%s%s", i ? "|" : "", tok_fold(tl, t));
    }
}

static const tok_t *tok_at(const toklist_t *tl, size_t i)
{
    return i < tl->toks.len ? &VEC_AT(&tl->toks, tok_t, i) : NULL;
}

/* Abbreviations for the sentence tests: the folded words of a small list. */
static bool test_abbrev(const void *ctx, const char *fold, size_t len)
{
    (void)ctx;
    static const char *const list[] = {"m", "mr", "dr", "gen", "e.g", "g", "i.e", NULL};
    for (int i = 0; list[i]; i++)
        if (strlen(list[i]) == len && !memcmp(list[i], fold, len))
            return true;
    return false;
}

/* Splits s into sentences; writes each sentence's text (from its first
 * token's start to its last token's end) joined by " || " into out.
 * Returns the number of sentences. */
static int sents_of(const char *s, char *out, size_t cap)
{
    toklist_t tl;
    toklist_init(&tl);
    vec_t v;
    vec_init(&v, sizeof(sent_t));
    out[0] = 0;
    int n = -1;
    if (!tokenize(s, strlen(s), 0, &tl) && !sentences(&tl, s, test_abbrev, NULL, &v)) {
        n = (int)v.len;
        for (size_t i = 0; i < v.len; i++) {
            sent_t st = VEC_AT(&v, sent_t, i);
            if (st.last <= st.first)
                continue;
            const tok_t *a = &VEC_AT(&tl.toks, tok_t, st.first);
            const tok_t *b = &VEC_AT(&tl.toks, tok_t, st.last - 1);
            size_t l = strlen(out);
            snprintf(out + l, cap - l, "%s%.*s", i ? " || " : "", (int)(b->end - a->start), s + a->start);
        }
    }
    vec_free(&v);
    toklist_free(&tl);
    return n;
}

/* ---- UTF-8 ---- */

static void test_decode(void)
{
    uint32_t cp;
    CHECK(utf8_decode("A", 1, &cp) == 1 && cp == 'A', "ASCII");
    CHECK(utf8_decode("\xc3\xa9", 2, &cp) == 2 && cp == 0xE9, "two bytes: e acute");
    CHECK(utf8_decode("\xe2\x80\x99", 3, &cp) == 3 && cp == 0x2019, "three bytes: apostrophe");
    CHECK(utf8_decode("\xf0\x9f\x9a\x80", 4, &cp) == 4 && cp == 0x1F680, "four bytes: rocket");
    CHECK(utf8_decode("\xd0\xa0", 2, &cp) == 2 && cp == 0x420, "Cyrillic capital ER");
    /* invalid */
    CHECK(utf8_decode("\x80", 1, &cp) == 0 && cp == 0xFFFD, "lone continuation byte");
    CHECK(utf8_decode("\xc3", 1, &cp) == 0, "truncated two-byte sequence");
    CHECK(utf8_decode("\xe2\x80", 2, &cp) == 0, "truncated three-byte sequence");
    CHECK(utf8_decode("\xc3\x28", 2, &cp) == 0, "bad continuation");
    CHECK(utf8_decode("\xff", 1, &cp) == 0, "0xFF never valid");
    CHECK(utf8_decode("\xfe", 1, &cp) == 0, "0xFE never valid");
    /* overlong forms */
    CHECK(utf8_decode("\xc0\xaf", 2, &cp) == 0, "overlong '/' in two bytes");
    CHECK(utf8_decode("\xc1\xbf", 2, &cp) == 0, "overlong in two bytes (C1)");
    CHECK(utf8_decode("\xe0\x80\xaf", 3, &cp) == 0, "overlong '/' in three bytes");
    CHECK(utf8_decode("\xf0\x80\x80\xaf", 4, &cp) == 0, "overlong '/' in four bytes");
    /* surrogates and out of range */
    CHECK(utf8_decode("\xed\xa0\x80", 3, &cp) == 0, "high surrogate D800");
    CHECK(utf8_decode("\xed\xbf\xbf", 3, &cp) == 0, "low surrogate DFFF");
    CHECK(utf8_decode("\xed\x9f\xbf", 3, &cp) == 3 && cp == 0xD7FF, "D7FF is valid");
    CHECK(utf8_decode("\xf4\x90\x80\x80", 4, &cp) == 0, "above U+10FFFF");
    CHECK(utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp) == 4 && cp == 0x10FFFF, "U+10FFFF is valid");
    CHECK(utf8_decode("\xf5\x80\x80\x80", 4, &cp) == 0, "F5 lead byte");
    CHECK(utf8_decode("", 0, &cp) == 0, "empty input");
}

static void test_invalid_count(void)
{
    CHECK(utf8_invalid_count("plain text", 10) == 0, "ASCII is valid");
    const char *ok = "Corée du Nord, Россия, 北朝鮮";
    CHECK(utf8_invalid_count(ok, strlen(ok)) == 0, "mixed scripts valid");
    CHECK(utf8_invalid_count("a\xff" "b", 3) == 1, "one bad byte");
    CHECK(utf8_invalid_count("a\0b", 3) == 1, "NUL counts as invalid");
    CHECK(utf8_invalid_count("\xc0\xaf", 2) == 2, "overlong: both bytes bad");
    CHECK(utf8_invalid_count("\xed\xa0\x80", 3) == 3, "surrogate: three bad bytes");
    CHECK(utf8_invalid_count("ab\xc3", 3) == 1, "truncated at the end");
    CHECK(utf8_invalid_count("", 0) == 0, "empty");
}
