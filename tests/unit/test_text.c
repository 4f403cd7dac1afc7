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

static void test_repair(void)
{
    static const struct {
        const char *in;
        size_t n;
        const char *want;
        size_t bad;
    } cases[] = {
        {"clean text", 10, "clean text", 0},
        {"a\xff" "b", 3, "a?b", 1},
        {"x\0y\0", 4, "x?y?", 2},
        {"\xc0\xaf" "z", 3, "??z", 2},
        {"S\xed\xa0\x80" "T", 5, "S???T", 3},
        {"Cor\xc3\xa9" "e\xc3", 7, "Cor\xc3\xa9" "e?", 1},
        {"\xe2\x80" " ok", 5, "?? ok", 2},
        {"\xd0\xa0\x80\xd0\xa0", 5, "\xd0\xa0?\xd0\xa0", 1},
    };
    for (size_t i = 0; i < AS_ARRAY_LEN(cases); i++) {
        buf_t out = {0};
        size_t bad = utf8_repair(cases[i].in, cases[i].n, &out);
        CHECK(bad == cases[i].bad, "repair case %zu: %zu bad bytes, want %zu", i, bad, cases[i].bad);
        CHECK(out.len == cases[i].n, "repair case %zu keeps the length: %zu, want %zu", i, out.len, cases[i].n);
        CHECK(out.len == cases[i].n && !memcmp(out.data, cases[i].want, cases[i].n),
              "repair case %zu: got \"%.*s\"", i, (int)out.len, out.data ? out.data : "");
        CHECK(utf8_invalid_count(out.data ? out.data : "", out.len) == 0, "repair case %zu: output valid", i);
        buf_free(&out);
    }
    /* every byte that was valid stays where it was */
    const char in[] = "Iran\xff sent \0drones \xe2\x80\x99to\xc3 Russia";
    size_t n = sizeof in - 1;
    buf_t out = {0};
    utf8_repair(in, n, &out);
    CHECK(out.len == n, "long repair keeps length");
    size_t same = 0;
    for (size_t i = 0; i < n && i < out.len; i++)
        same += in[i] == out.data[i] || out.data[i] == '?';
    CHECK(same == n, "every byte is kept or replaced by '?' in place");
    CHECK(out.len == n && !memcmp(out.data + 19, "\xe2\x80\x99", 3), "valid sequence after NUL kept at its offset");
    buf_free(&out);
}

/* ---- folding ---- */

static void test_fold(void)
{
    CHECK_STR(folded("Russia"), "russia");
    CHECK_STR(folded("NORTH KOREA"), "north korea");
    CHECK_STR(folded("Corée"), "coree");
    CHECK_STR(folded("Corée du Nord"), "coree du nord");
    CHECK_STR(folded("ÉTATS-UNIS"), "etats-unis");
    CHECK_STR(folded("Türkiye"), "turkiye");
    CHECK_STR(folded("straße"), "strasse");
    CHECK_STR(folded("ß"), "ss");
    CHECK_STR(folded("l’Iran"), "l'iran");
    CHECK_STR(folded("l‘Iran"), "l'iran");
    CHECK_STR(folded("«missiles»"), "\"missiles\"");
    CHECK_STR(folded("« obus »"), "\" obus \"");
    CHECK_STR(folded("“drones”"), "\"drones\"");
    CHECK_STR(folded("œuvre"), "oeuvre");
    CHECK_STR(folded("Œuvre"), "oeuvre");
    CHECK_STR(folded("manœuvres"), "manoeuvres");
    CHECK_STR(folded("Россия"), "россия");
    CHECK_STR(folded("РОССИЯ"), "россия");
    CHECK_STR(folded("Україна"), "укра\xd1\x96на"); /* marks stripped: ї -> і */
    CHECK_STR(folded("ёлка"), "елка");
    CHECK_STR(folded("Ёж"), "еж");
    CHECK_STR(folded("Shahed–136"), "shahed-136");  /* en dash */
    CHECK_STR(folded("ﬁre"), "fire");               /* compatibility ligature */
    CHECK_STR(folded("ＫＮ"), "kn");                 /* full-width letters */
    CHECK_STR(folded(""), "");
    /* appending keeps what is already there */
    buf_t b = {0};
    buf_puts(&b, "x:");
    fold_append("ABC", 3, &b);
    CHECK(b.len == 5 && !memcmp(b.data, "x:abc", 5), "fold_append appends");
    buf_free(&b);
}

/* ---- tokens ---- */

static void test_offsets(void)
{
    toklist_t tl;
    toklist_init(&tl);
    const char *s = "La Corée a livré 3 000 obus à Moscou — selon l’AFP.";
    CHECK(tokenize(s, strlen(s), 0, &tl) == 0, "tokenize");
    /* every token's text, taken from its offsets, folds to its fold */
    static const char *const want[] = {"La", "Corée", "a", "livré", "3 000", "obus", "à", "Moscou",
                                       "—", "selon", "l", "’", "AFP", "."};
    CHECK(tl.toks.len == AS_ARRAY_LEN(want), "token count %zu, want %zu", tl.toks.len, AS_ARRAY_LEN(want));
    for (size_t i = 0; i < tl.toks.len && i < AS_ARRAY_LEN(want); i++) {
        const tok_t *t = tok_at(&tl, i);
        size_t n = t->end - t->start;
        CHECK(n == strlen(want[i]) && !memcmp(s + t->start, want[i], n), "token %zu: got \"%.*s\", want \"%s\"",
              i, (int)n, s + t->start, want[i]);
        CHECK(t->start < t->end && t->end <= strlen(s), "token %zu offsets in range", i);
    }
    /* exact byte offsets of a few: "Corée" starts at 3 and ends at 9 (é is two bytes) */
    CHECK(tok_at(&tl, 1) && tok_at(&tl, 1)->start == 3 && tok_at(&tl, 1)->end == 9, "Corée at [3,9)");
    const char *m = strstr(s, "Moscou");
    CHECK(tok_at(&tl, 7) && tok_at(&tl, 7)->start == (uint32_t)(m - s), "Moscou offset");
    CHECK(tok_at(&tl, 6) && !strcmp(tok_fold(&tl, tok_at(&tl, 6)), "a"), "à folds to a");
    CHECK(tok_at(&tl, 11) && !strcmp(tok_fold(&tl, tok_at(&tl, 11)), "'"), "’ folds to '");
    /* base offset is added */
    toklist_clear(&tl);
    CHECK(tokenize("Kyiv got it", 11, 1000, &tl) == 0, "tokenize with base");
    CHECK(tok_at(&tl, 1) && tok_at(&tl, 1)->start == 1005 && tok_at(&tl, 1)->end == 1008, "base added");
    /* Cyrillic and Greek letters keep their byte offsets */
    toklist_clear(&tl);
    const char *r = "Россия получила «Шахеды».";
    CHECK(tokenize(r, strlen(r), 0, &tl) == 0, "tokenize Cyrillic");
    CHECK(tok_at(&tl, 0) && tok_at(&tl, 0)->end == 12, "Россия is 12 bytes");
    CHECK(tok_at(&tl, 1) && tok_at(&tl, 1)->start == 13, "получила starts at 13");
    CHECK(tl.toks.len == 6, "Россия|получила|«|шахеды|»|. = 6 tokens, got %zu", tl.toks.len);
    toklist_free(&tl);
}

static void test_split(void)
{
    toklist_t tl;
    toklist_init(&tl);
    char got[512];
    toks_of("KN-23", &tl, got, sizeof got);
    CHECK_STR(got, "kn|23");
    CHECK(tok_at(&tl, 1) && (tok_at(&tl, 1)->flags & TK_HYPHEN), "23 carries TK_HYPHEN");
    toks_of("KN 23", &tl, got, sizeof got);
    CHECK_STR(got, "kn|23");
    toks_of("KN23", &tl, got, sizeof got);
    CHECK_STR(got, "kn|23");
    toks_of("Shahed-136 drones", &tl, got, sizeof got);
    CHECK_STR(got, "shahed|136|drones");
    toks_of("l'Iran", &tl, got, sizeof got);
    CHECK_STR(got, "l|'|iran");
    toks_of("l’Iran", &tl, got, sizeof got);
    CHECK_STR(got, "l|'|iran");
    toks_of("Russia's army", &tl, got, sizeof got);
    CHECK_STR(got, "russia|'|s|army");
    toks_of("the U.S. sent", &tl, got, sizeof got);
    CHECK_STR(got, "the|u.s.|sent");
    CHECK(tok_at(&tl, 1) && (tok_at(&tl, 1)->flags & TK_ALLUPPER), "U.S. all upper");
    toks_of("U.S.A.", &tl, got, sizeof got);
    CHECK_STR(got, "u.s.a.");
    toks_of("north-east", &tl, got, sizeof got);
    CHECK_STR(got, "north|east");
    toks_of("Kyiv - Moscow", &tl, got, sizeof got);
    CHECK_STR(got, "kyiv|-|moscow");
    CHECK(tok_at(&tl, 1) && (tok_at(&tl, 1)->flags & TK_PUNCT), "spaced dash is punctuation");
    toks_of("Kyiv – Moscow", &tl, got, sizeof got);
    CHECK_STR(got, "kyiv|-|moscow");
    CHECK(tok_at(&tl, 1) && (tok_at(&tl, 1)->flags & TK_PUNCT), "spaced en dash is punctuation");
    toks_of("drones... and", &tl, got, sizeof got);
    CHECK_STR(got, "drones|...|and");
    toks_of("(ATACMS),", &tl, got, sizeof got);
    CHECK_STR(got, "(|atacms|)|,");
    toks_of("", &tl, got, sizeof got);
    CHECK_STR(got, "");
    CHECK(tl.toks.len == 0, "empty text gives no token");
    toks_of("  \n\t ", &tl, got, sizeof got);
    CHECK(tl.toks.len == 0, "white space gives no token");
    toklist_free(&tl);
}

static void check_number(const char *s, const char *want_text, double want, bool decimal)
{
    toklist_t tl;
    toklist_init(&tl);
    tokenize(s, strlen(s), 0, &tl);
    const tok_t *t = NULL;
    for (size_t i = 0; i < tl.toks.len && !t; i++)
        if (tok_at(&tl, i)->flags & TK_NUM)
            t = tok_at(&tl, i);
    CHECK(t != NULL, "\"%s\": no number token", s);
    if (t) {
        size_t n = t->end - t->start;
        CHECK(n == strlen(want_text) && !memcmp(s + t->start, want_text, n), "\"%s\": number text \"%.*s\", want \"%s\"",
              s, (int)n, s + t->start, want_text);
        double d = t->num - want;
        CHECK(d < 1e-9 && d > -1e-9, "\"%s\": value %g, want %g", s, t->num, want);
        CHECK(!!(t->flags & TK_DECIMAL) == decimal, "\"%s\": TK_DECIMAL %s", s, decimal ? "expected" : "unexpected");
    }
    toklist_free(&tl);
}

static void test_numbers(void)
{
    check_number("3 000 obus", "3 000", 3000, false);
    check_number("plus de 3 000 obus", "3 000", 3000, false);
    check_number("40,000 shells", "40,000", 40000, false);
    check_number("1,000,000 rounds", "1,000,000", 1000000, false);
    check_number("1,6 million", "1,6", 1.6, true);
    check_number("1.5 million", "1.5", 1.5, true);
    check_number("in 2024 Iran", "2024", 2024, false);
    check_number("12", "12", 12, false);
    check_number("122 mm rockets", "122", 122, false);
    check_number("3\xc2\xa0" "000 obus", "3\xc2\xa0" "000", 3000, false);   /* no-break space */
    check_number("2,5 milliards", "2,5", 2.5, true);
    /* a number is not followed into a word: "155mm" */
    toklist_t tl;
    toklist_init(&tl);
    char got[256];
    toks_of("155mm shells", &tl, got, sizeof got);
    CHECK_STR(got, "155|mm|shells");
    toks_of("in 2023, 300 drones", &tl, got, sizeof got);
    CHECK_STR(got, "in|2023|,|300|drones");
    toklist_free(&tl);
}

static void test_flags(void)
{
    toklist_t tl;
    toklist_init(&tl);
    const char *s = "Iran sent NATO drones to Россия\nand\n\nKyiv";
    tokenize(s, strlen(s), 0, &tl);
    CHECK(tl.toks.len == 8, "8 tokens, got %zu", tl.toks.len);
    const tok_t *t;
    t = tok_at(&tl, 0);
    CHECK(t && (t->flags & TK_WORD) && (t->flags & TK_UPPER) && !(t->flags & TK_ALLUPPER), "Iran: upper, not all upper");
    CHECK(t && (t->flags & TK_LATIN) && !(t->flags & TK_CYRILLIC), "Iran: Latin");
    CHECK(t && !(t->flags & TK_SPACE), "Iran: no space before (start of text)");
    t = tok_at(&tl, 1);
    CHECK(t && !(t->flags & TK_UPPER) && (t->flags & TK_SPACE), "sent: lower, space before");
    t = tok_at(&tl, 2);
    CHECK(t && (t->flags & TK_UPPER) && (t->flags & TK_ALLUPPER), "NATO: all upper");
    t = tok_at(&tl, 5);
    CHECK(t && (t->flags & TK_CYRILLIC) && !(t->flags & TK_LATIN) && (t->flags & TK_UPPER), "Россия: Cyrillic, upper");
    t = tok_at(&tl, 6);
    CHECK(t && (t->flags & TK_NL) && !(t->flags & TK_PARA), "and: line break, not paragraph");
    t = tok_at(&tl, 7);
    CHECK(t && (t->flags & TK_NL) && (t->flags & TK_PARA), "Kyiv: paragraph break");
    toklist_clear(&tl);
    tokenize("a ,", 3, 0, &tl);
    t = tok_at(&tl, 1);
    CHECK(t && (t->flags & TK_PUNCT) && !(t->flags & TK_WORD), "comma is punctuation");
    toklist_clear(&tl);
    tokenize("42", 2, 0, &tl);
    t = tok_at(&tl, 0);
    CHECK(t && (t->flags & TK_NUM) && !(t->flags & TK_WORD), "42 is a number");
    toklist_free(&tl);
}

/* ---- sentences ---- */

static void test_sentences(void)
{
    char got[1024];
    int n;
    n = sents_of("M. Blinken a dit.", got, sizeof got);
    CHECK(n == 1, "abbreviation M.: %d sentences: %s", n, got);
    n = sents_of("Selon M. Blinken, Moscou a reçu des obus.", got, sizeof got);
    CHECK(n == 1, "M. mid-sentence: %d sentences: %s", n, got);
    n = sents_of("Mr. Kirby spoke. Dr. Lee replied.", got, sizeof got);
    CHECK(n == 2, "Mr. and Dr. are abbreviations: %d sentences: %s", n, got);
    CHECK_STR(got, "Mr. Kirby spoke. || Dr. Lee replied.");
    n = sents_of("J. Kirby said it.", got, sizeof got);
    CHECK(n == 1, "initial J.: %d sentences: %s", n, got);
    n = sents_of("He left. She came.", got, sizeof got);
    CHECK(n == 2, "two sentences: %d: %s", n, got);
    CHECK_STR(got, "He left. || She came.");
    n = sents_of("Kyiv asked for help! Berlin said no? Paris waited.", got, sizeof got);
    CHECK(n == 3, "! and ? end sentences: %d: %s", n, got);
    n = sents_of("Russia got 1.5 million shells. Iran sent drones.", got, sizeof got);
    CHECK(n == 2, "decimal not split: %d: %s", n, got);
    CHECK_STR(got, "Russia got 1.5 million shells. || Iran sent drones.");
    n = sents_of("Iran sent drones to Russia\n\nthe talks went on without any result at all for many weeks and months", got,
                 sizeof got);
    CHECK(n == 2, "blank line splits: %d: %s", n, got);
    n = sents_of("Drones for Moscow\nIran has sent hundreds of drones to Russia, officials said.", got, sizeof got);
    CHECK(n == 2, "headline line is its own sentence: %d: %s", n, got);
    CHECK_STR(got, "Drones for Moscow || Iran has sent hundreds of drones to Russia, officials said.");
    n = sents_of("Some items, e.g. the drones, came from Iran.", got, sizeof got);
    CHECK(n == 1, "e.g. before a lower-case word: %d: %s", n, got);
    n = sents_of("He said \"we sent them.\" Then he left.", got, sizeof got);
    CHECK(n == 2, "closing quote stays with its sentence: %d: %s", n, got);
    CHECK_STR(got, "He said \"we sent them.\" || Then he left.");
    n = sents_of("The U.S. sent tanks. Poland got them.", got, sizeof got);
    CHECK(n == 2, "U.S. inside a sentence: %d: %s", n, got);
    CHECK_STR(got, "The U.S. sent tanks. || Poland got them.");
    n = sents_of("No final dot", got, sizeof got);
    CHECK(n == 1, "text without a final dot is one sentence: %d", n);
    n = sents_of("", got, sizeof got);
    CHECK(n == 0, "empty text has no sentence: %d", n);
    /* a long line wrapped in the middle of a sentence is not cut */
    n = sents_of("Officials in Washington said on Tuesday that the shipment of artillery shells had\narrived in "
                 "the port last week.", got, sizeof got);
    CHECK(n == 1, "wrapped line joins: %d: %s", n, got);
    /* sentences cover every token, in order, without gaps */
    toklist_t tl;
    toklist_init(&tl);
    vec_t v;
    vec_init(&v, sizeof(sent_t));
    const char *s = "A. B. Cee went home. It rained!\nNew line here\n\nEnd.";
    tokenize(s, strlen(s), 0, &tl);
    sentences(&tl, s, test_abbrev, NULL, &v);
    uint32_t at = 0;
    bool contiguous = v.len > 0;
    for (size_t i = 0; i < v.len; i++) {
        sent_t st = VEC_AT(&v, sent_t, i);
        contiguous = contiguous && st.first == at && st.last > st.first;
        at = st.last;
    }
    CHECK(contiguous && at == tl.toks.len, "sentences tile the tokens");
    vec_free(&v);
    toklist_free(&tl);
}

int main(void)
{
    test_decode();
    test_invalid_count();
    test_repair();
    test_fold();
    test_offsets();
    test_split();
    test_numbers();
    test_flags();
    test_sentences();
    buf_free(&g_fold);
    return t_done();
}
