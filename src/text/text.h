/* text.h - the text layer: UTF-8 repair, folding, tokens with byte offsets,
 * sentences. No language knowledge lives here: abbreviations come from the
 * lexicon through a callback.
 */
#ifndef AS_TEXT_H
#define AS_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "../util/util.h"

/* ---- UTF-8 ---- */

/* Number of invalid sequences in s[0..n) (0 when valid). NUL bytes count
 * as invalid: they are not text. */
size_t utf8_invalid_count(const char *s, size_t n);
/* Copies s to out, replacing each invalid sequence and each NUL by a single
 * space-width replacement that keeps offsets meaningful: every bad byte
 * becomes '?' (one byte for one byte), so byte offsets into the repaired text
 * equal those into the original. Returns the number of bytes replaced. */
size_t utf8_repair(const char *s, size_t n, buf_t *out);
/* Decodes one code point at s (n bytes left); returns its length, or 0 on an
 * invalid sequence (then *cp = 0xFFFD). */
int utf8_decode(const char *s, size_t n, uint32_t *cp);

/* ---- folding ---- */

/* Appends the folded form of s[0..n) (case-folded, compatibility-normalised,
 * marks stripped, typographic apostrophes/quotes/dashes unified) to out. */
int fold_append(const char *s, size_t n, buf_t *out);

/* ---- tokens ---- */

enum {
    TK_WORD = 1 << 0,
    TK_NUM = 1 << 1,
    TK_PUNCT = 1 << 2,
    TK_UPPER = 1 << 3,       /* first letter is upper case */
    TK_ALLUPPER = 1 << 4,    /* every letter upper case (2+ letters) */
    TK_SPACE = 1 << 5,       /* white space before */
    TK_NL = 1 << 6,          /* a line break before */
    TK_PARA = 1 << 7,        /* a blank line before */
    TK_HYPHEN = 1 << 8,      /* joined to the previous token by a hyphen */
    TK_DECIMAL = 1 << 9,     /* number with a decimal part */
    TK_CYRILLIC = 1 << 10,
    TK_LATIN = 1 << 11,
};

typedef struct {
    uint32_t start, end;     /* byte offsets into the text */
    uint32_t fold;           /* offset of the folded form in the fold buffer */
    uint16_t fold_len;
    uint16_t flags;
    double num;              /* value of a number token */
} tok_t;

typedef struct {
    vec_t toks;   /* tok_t */
    buf_t fold;   /* folded forms, each NUL-terminated */
} toklist_t;

void toklist_init(toklist_t *tl);
void toklist_clear(toklist_t *tl);
void toklist_free(toklist_t *tl);
/* Tokenises text[0..n) (valid UTF-8), appending to tl. Offsets are relative
 * to text plus `base`. Returns 0 or -1 on allocation failure. */
int tokenize(const char *text, size_t n, uint32_t base, toklist_t *tl);

static inline const char *tok_fold(const toklist_t *tl, const tok_t *t)
{
    return tl->fold.data + t->fold;
}

/* ---- sentences ---- */

typedef struct {
    uint32_t first, last;   /* token index range [first, last) */
} sent_t;

/* is_abbrev(ctx, folded word) tells whether a dot after the word may be an
 * abbreviation's. */
typedef bool (*abbrev_fn)(const void *ctx, const char *fold, size_t len);

/* Splits tl into sentences, appending sent_t to out. */
int sentences(const toklist_t *tl, const char *text, abbrev_fn is_abbrev,
              const void *ctx, vec_t *out);

#endif
