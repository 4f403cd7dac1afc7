/* sent.c - sentence splitting over tokens.
 *
 * A sentence ends at . ! ? or … (with any closing quotes or brackets after
 * it) unless the dot follows an abbreviation, an initial ("J. Kirby"), or the
 * next word starts in lower case; and at a line break before a line that
 * starts like a sentence or after a line that looks like a headline.
 */
#include "text.h"

#include <string.h>

static bool is_closer(const char *f)
{
    return !strcmp(f, "\"") || !strcmp(f, ")") || !strcmp(f, "]") || !strcmp(f, "'") ||
           !strcmp(f, "»") || !strcmp(f, "\xe2\x80\x9d");
}

static bool starts_lower(const toklist_t *tl, const tok_t *t, const char *text)
{
    if (!(t->flags & TK_WORD))
        return false;
    (void)tl;
    unsigned char c = (unsigned char)text[t->start];
    if (c < 0x80)
        return c >= 'a' && c <= 'z';
    return !(t->flags & TK_UPPER);
}

int sentences(const toklist_t *tl, const char *text, abbrev_fn is_abbrev,
              const void *ctx, vec_t *out)
{
    size_t n = tl->toks.len;
    const tok_t *T = tl->toks.data;
    size_t first = 0;
    for (size_t i = 0; i < n; i++) {
        const tok_t *t = &T[i];
        bool cut_before = false;
        /* line breaks */
        if (i > first && (t->flags & TK_NL)) {
            const tok_t *p = &T[i - 1];
            const char *pf = tok_fold(tl, p);
            bool prev_final = (p->flags & TK_PUNCT) &&
                              (strchr(".!?:;", pf[0]) || !strcmp(pf, "\xe2\x80\xa6"));
            /* a hard-wrapped line goes on unless the line before ends a
             * sentence or is short (a headline); a capital after the break
             * says little (German nouns) */
            bool next_starts = !starts_lower(tl, t, text) && !(t->flags & TK_WORD);
            size_t line_tokens = i - first;
            /* a short line is a headline, unless it ends on a small
             * lower-case word ("an", "of", "de"): then it was wrapped */
            bool wrapped = (p->flags & TK_WORD) && starts_lower(tl, p, text) && p->end - p->start <= 3;
            if ((t->flags & TK_PARA) || prev_final || next_starts || (line_tokens < 12 && !wrapped))
                cut_before = true;
        }
        if (cut_before) {
            sent_t *s = vec_push(out);
            if (!s)
                return -1;
            s->first = (uint32_t)first;
            s->last = (uint32_t)i;
            first = i;
        }
        if (!(t->flags & TK_PUNCT))
            continue;
        const char *f = tok_fold(tl, t);
        bool term = f[0] == '.' || f[0] == '!' || f[0] == '?' || !strcmp(f, "\xe2\x80\xa6");
        if (!term)
            continue;
        size_t j = i + 1;
        while (j < n && (T[j].flags & TK_PUNCT) && !(T[j].flags & TK_NL) &&
               (is_closer(tok_fold(tl, &T[j])) || tok_fold(tl, &T[j])[0] == '.' ||
                tok_fold(tl, &T[j])[0] == '!' || tok_fold(tl, &T[j])[0] == '?'))
            j++;
        if (j >= n)
            break;
        const tok_t *nx = &T[j];
        if (f[0] == '.' && t->end - t->start == 1 && i > first) {
            const tok_t *p = &T[i - 1];
            bool attached = p->end == t->start;
            if (attached && (p->flags & TK_WORD)) {
                const char *pf = tok_fold(tl, p);
                /* initial: one letter */
                size_t cps = 0;
                for (const char *q = pf; *q; q++)
                    if (((unsigned char)*q & 0xC0) != 0x80)
                        cps++;
                if (cps == 1 && (p->flags & TK_UPPER))
                    continue;
                if (is_abbrev && is_abbrev(ctx, pf, p->fold_len))
                    continue;
            }
        }
        if (!(nx->flags & TK_SPACE) && !(nx->flags & TK_NL) && (nx->flags & TK_WORD) &&
            starts_lower(tl, nx, text))
            continue;
        if (starts_lower(tl, nx, text))
            continue;
        sent_t *s = vec_push(out);
        if (!s)
            return -1;
        s->first = (uint32_t)first;
        s->last = (uint32_t)j;
        first = j;
        i = j - 1;
    }
    if (first < n) {
        sent_t *s = vec_push(out);
        if (!s)
            return -1;
        s->first = (uint32_t)first;
        s->last = (uint32_t)n;
    }
    return 0;
}
