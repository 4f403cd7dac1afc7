/* date.c - the event date of a sentence, resolved against the document
 * date: "le 7 novembre", "on 10 September 2023", "in August", "last week",
 * "в прошлом месяце", "in 2009". Month names and relative phrases come
 * from the `date` lines of the language's data. */
#include "ex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithm) */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static const tok_t *tok(const ex_scratch *x, uint32_t i) { return &VEC_AT(&x->tl.toks, tok_t, i); }

static int num_at(const ex_scratch *x, uint32_t i, int lo, int hi)
{
    const xsent *s = &x->s;
    if (i < s->first || i >= s->last)
        return 0;
    const tok_t *t = tok(x, i);
    if (!(t->flags & TK_NUM) || (t->flags & TK_DECIMAL) || t->num < lo || t->num > hi)
        return 0;
    return (int)t->num;
}

/* A year: four digits written together ("2 000 drones" is a number). */
static int year_at(const ex_scratch *x, uint32_t i, int lo, int hi)
{
    int y = num_at(x, i, lo, hi);
    return y && tok(x, i)->end - tok(x, i)->start == 4 ? y : 0;
}

void ex_sentence_date(ex_scratch *x, char out[11])
{
    const xsent *s = &x->s;
    out[0] = 0;
    int dy = 0, dm = 0, dd = 0;
    if (x->doc_date[0]) {
        if (strcmp(x->ymd_of, x->doc_date)) {
            memset(x->ymd, 0, sizeof x->ymd);
            sscanf(x->doc_date, "%d-%d-%d", &x->ymd[0], &x->ymd[1], &x->ymd[2]);
            memcpy(x->ymd_of, x->doc_date, sizeof x->ymd_of);
        }
        dy = x->ymd[0];
        dm = x->ymd[1];
        dd = x->ymd[2];
    }
    for (size_t m = 0; m < s->matches.len; m++) {
        const lx_match *mt = &VEC_AT(&s->matches, lx_match, m);
        const lx_entry *e = lex_entry(x->lx, mt->entry);
        if (e->type != LX_DATE)
            continue;
        int v = (int)e->num;
        if (e->sub == DATE_MONTH) {
            int day = num_at(x, mt->first - 1, 1, 31);
            if (!day && mt->first >= 2 && ex_match_at(x, LY_DET, mt->first - 1) >= 0)
                day = num_at(x, mt->first - 2, 1, 31);
            int year = year_at(x, mt->last, 1900, 2100);
            if (!day && !year) {
                day = num_at(x, mt->last, 1, 31);
                if (day)
                    year = year_at(x, mt->last + 1, 1900, 2100);
            } else if (day && !year) {
                year = year_at(x, mt->last, 1900, 2100);
            }
            if (!year) {
                if (!dy)
                    continue;
                year = dy - (dm && v > dm ? 1 : 0); /* "in August" said in March: last year */
            }
            if (day)
                snprintf(out, 11, "%04d-%02d-%02d", year, v, day);
            else
                snprintf(out, 11, "%04d-%02d", year, v);
            return;
        }
        if (!dy)
            continue;
        if (e->sub == DATE_DAYS && dm && dd) {
            int y, mo, d;
            civil_from_days(days_from_civil(dy, dm, dd) + v, &y, &mo, &d);
            snprintf(out, 11, "%04d-%02d-%02d", y, mo, d);
            return;
        }
        if (e->sub == DATE_MONTHS && dm) {
            int k = dy * 12 + (dm - 1) + v;
            snprintf(out, 11, "%04d-%02d", k / 12, k % 12 + 1);
            return;
        }
        if (e->sub == DATE_YEARS) {
            snprintf(out, 11, "%04d", dy + v);
            return;
        }
    }
    /* "in 2009", "en 2019", "в 2017 году": a year after a preposition */
    for (uint32_t i = s->first + 1; i < s->last; i++) {
        int y = year_at(x, i, 1990, 2035);
        if (y && ex_match_at(x, LY_MARK, i - 1) >= 0 && (!dy || y <= dy)) {
            snprintf(out, 11, "%04d", y);
            return;
        }
    }
}
