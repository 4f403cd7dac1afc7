/* sentence.c - analysis of one sentence: from dictionary matches to actor
 * phrases (with the marker before them), item phrases (merged with their
 * designations, calibres, technology words, origins and quantities),
 * predicates, cues and clauses. No roles are decided here (frame.c does). */
#include "ex.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define N_TOK(s) ((s)->last - (s)->first)

int ex_match_at(const ex_scratch *x, int layer, uint32_t tok)
{
    const xsent *s = &x->s;
    if (tok < s->first || tok >= s->last)
        return -1;
    return s->layer_at[(size_t)layer * N_TOK(s) + (tok - s->first)] - 1;
}

const lx_entry *ex_entry_at(const ex_scratch *x, int layer, uint32_t tok)
{
    int m = ex_match_at(x, layer, tok);
    if (m < 0)
        return NULL;
    return lex_entry(x->lx, VEC_AT(&x->s.matches, lx_match, m).entry);
}

static const lx_match *match_at(const ex_scratch *x, int layer, uint32_t tok)
{
    int m = ex_match_at(x, layer, tok);
    return m < 0 ? NULL : &VEC_AT(&x->s.matches, lx_match, m);
}

void ex_trace(ex_scratch *x, const char *fmt, ...)
{
    if (!x->trace)
        return;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(x->trace, fmt, ap);
    va_end(ap);
}

void ex_trace_span(ex_scratch *x, uint32_t first, uint32_t last)
{
    if (!x->trace || first >= last)
        return;
    const tok_t *T = x->tl.toks.data;
    buf_append(x->trace, x->text + T[first].start, T[last - 1].end - T[first].start);
}

int ex_actor_code_state(const lex_t *lx, int actor)
{
    const lx_actor *a = lex_actor(lx, (uint32_t)actor);
    if (a->kind == AK_COMPANY && a->stands_for != 0xFFFF)
        return a->stands_for;
    return actor;
}

static const tok_t *tok(const ex_scratch *x, uint32_t i) { return &VEC_AT(&x->tl.toks, tok_t, i); }

static bool in_layer(const ex_scratch *x, int layer, uint32_t i) { return ex_match_at(x, layer, i) >= 0; }

/* A token that may stand inside a noun phrase between its words: an unknown
 * word, a determiner, an actor adjective, a number, a quote. */
static bool np_internal(const ex_scratch *x, uint32_t i)
{
    const tok_t *t = tok(x, i);
    if (in_layer(x, LY_PRED, i) || in_layer(x, LY_CLAUSE, i) || in_layer(x, LY_COORD, i) ||
        in_layer(x, LY_CUE, i) || in_layer(x, LY_PASSIVE, i))
        return false;
    if (in_layer(x, LY_MARK, i)) {
        const lx_entry *e = ex_entry_at(x, LY_MARK, i);
        if (e->sub != S_OF)
            return false;
    }
    if (in_layer(x, LY_ACTOR, i)) {
        const lx_entry *e = ex_entry_at(x, LY_ACTOR, i);
        return e->type == LX_ACTOR_ADJ;
    }
    if (t->flags & TK_PUNCT) {
        const char *f = tok_fold(&x->tl, t);
        return !strcmp(f, "\"") || !strcmp(f, "'") || !strcmp(f, "(") || !strcmp(f, ")");
    }
    return true;
}

static bool gap_np(const ex_scratch *x, uint32_t a, uint32_t b, uint32_t max)
{
    if (b < a || b - a > max)
        return false;
    for (uint32_t i = a; i < b; i++)
        if (!np_internal(x, i))
            return false;
    return true;
}

/* skips determiners backwards from i (exclusive); returns the new start */
static uint32_t skip_det_back(const ex_scratch *x, uint32_t i)
{
    while (i > x->s.first) {
        const lx_match *m = match_at(x, LY_DET, i - 1);
        if (!m)
            break;
        i = m->first;
    }
    return i;
}

static uint32_t skip_det_fwd(const ex_scratch *x, uint32_t i)
{
    while (i < x->s.last) {
        const lx_match *m = match_at(x, LY_DET, i);
        if (!m || m->first != i)
            break;
        i = m->last;
    }
    return i;
}

/* The slot of a marker for an actor form with the given cases: among the
 * marker entries on the same words ("в" + acc = to, "в" + loc = in), the
 * first whose required cases meet the form's; -1 if none fits. */
static int mark_slot_for(const ex_scratch *x, const lx_match *mm, uint8_t cases)
{
    const xsent *s = &x->s;
    int any = -1, plain = -1;
    for (size_t m = 0; m < s->matches.len; m++) {
        const lx_match *o = &VEC_AT(&s->matches, lx_match, m);
        if (o->first != mm->first || o->last != mm->last)
            continue;
        const lx_entry *e = lex_entry(x->lx, o->entry);
        if (e->type != LX_MARK)
            continue;
        if (cases && e->cases && (e->cases & cases))
            return e->sub;          /* the case agrees */
        if (any < 0)
            any = e->sub;
        if (!e->cases && plain < 0)
            plain = e->sub;
    }
    return cases ? plain : any;     /* a form of known case needs a fitting marker */
}

static int choose_person(const ex_scratch *x, size_t m0, size_t m1)
{
    /* identical spans m0..m1-1: pick the entry whose years hold the document
     * year, else the most recent one */
    int best = -1;
    int best_to = -1;
    for (size_t m = m0; m < m1; m++) {
        const lx_entry *e = lex_entry(x->lx, VEC_AT(&x->s.matches, lx_match, m).entry);
        if (x->doc_year && e->year_from <= x->doc_year && x->doc_year <= e->year_to)
            return (int)m;
        if ((int)e->year_to > best_to) {
            best_to = e->year_to;
            best = (int)m;
        }
    }
    return best;
}

static int build_actors(ex_scratch *x)
{
    xsent *s = &x->s;
    size_t nm = s->matches.len;
    for (size_t m = 0; m < nm;) {
        const lx_match *mt = &VEC_AT(&s->matches, lx_match, m);
        const lx_entry *e = lex_entry(x->lx, mt->entry);
        size_t m1 = m + 1;
        while (m1 < nm && VEC_AT(&s->matches, lx_match, m1).first == mt->first &&
               VEC_AT(&s->matches, lx_match, m1).last == mt->last &&
               lx_layer(lex_entry(x->lx, VEC_AT(&s->matches, lx_match, m1).entry)->type) == LY_ACTOR)
            m1++;
        if (lx_layer(e->type) != LY_ACTOR) {
            m++;
            continue;
        }
        int pick = (int)m;
        if (e->type == LX_PERSON)
            pick = choose_person(x, m, m1);
        mt = &VEC_AT(&s->matches, lx_match, pick);
        e = lex_entry(x->lx, mt->entry);
        m = m1;
        /* a match inside a longer one of the same layer cannot happen after
         * resolution; skip media as roles later, keep them as sources */
        if (mt->last < s->last && tok(x, mt->last)->start == tok(x, mt->last - 1)->end) {
            const char *nf = tok_fold(&x->tl, tok(x, mt->last));
            if (!strcmp(nf, "$") || !strcmp(nf, "\xe2\x82\xac") || !strcmp(nf, "\xc2\xa3"))
                continue; /* US$, C$: a currency, not an actor */
        }
        xactor *a = vec_push(&s->actors);
        if (!a)
            return -1;
        a->first = mt->first;
        a->last = mt->last;
        a->raw_actor = e->actor;
        a->actor = (uint16_t)ex_actor_code_state(x->lx, e->actor);
        a->form = e->type;
        a->mark = -1;
        a->chain = -1;
        a->item = -1;
        a->entry = mt->entry;
    }
    /* head nouns: "Russian army", "armée russe", "army of Kyiv" */
    for (size_t i = 0; i < s->actors.len; i++) {
        xactor *a = &VEC_AT(&s->actors, xactor, i);
        const lx_match *h;
        if (a->last < s->last && (h = match_at(x, LY_HEAD, a->last)) && h->first == a->last) {
            a->last = h->last;
            if (a->form == LX_ACTOR_ADJ)
                a->form = LX_ACTOR_BODY;
        } else if (a->form == LX_ACTOR_ADJ && a->first > s->first &&
                   (h = match_at(x, LY_HEAD, a->first - 1)) && h->last == a->first) {
            a->first = h->first;
            a->form = LX_ACTOR_BODY;
        }
        if (a->poss && a->last + 2 < s->last) {
            /* "Myanmar's military", "Iran's government": the phrase is the body */
            const lx_match *pm = match_at(x, LY_MARK, a->last);
            const lx_match *hm = pm ? match_at(x, LY_HEAD, pm->last) : NULL;
            if (pm && hm && hm->first == pm->last) {
                a->last = hm->last;
                a->poss = false;
                a->form = LX_ACTOR_BODY;
            }
        }
        a->np_first = a->first;
        /* head + of + actor: the phrase starts at the head */
        uint32_t k = skip_det_back(x, a->first);
        const lx_match *mk = k > s->first ? match_at(x, LY_MARK, k - 1) : NULL;
        if (mk && lex_entry(x->lx, mk->entry)->sub == S_OF && mk->last == k && mk->first > s->first) {
            const lx_match *hh = match_at(x, LY_HEAD, mk->first - 1);
            if (hh && hh->last == mk->first) {
                a->np_first = hh->first;
                if (a->form == LX_ACTOR_ADJ)
                    a->form = LX_ACTOR_BODY;
            }
        } else if (a->first > s->first && lex_entry(x->lx, a->entry)->cases == CASE_GEN) {
            /* head + bare genitive: "армия России", "уряд Канади" */
            const lx_match *hh = match_at(x, LY_HEAD, a->first - 1);
            if (hh && hh->last == a->first)
                a->np_first = hh->first;
        }
        uint32_t st = skip_det_back(x, a->np_first);
        if (st > s->first) {
            const lx_match *cu = match_at(x, LY_CUE, st - 1);
            if (cu && cu->last == st) {
                /* "according to X"; "..., said X." (but "said X would
                 * receive": X is the subject of what was said) */
                int kind = lex_entry(x->lx, cu->entry)->sub;
                bool closes = a->last >= s->last || (tok(x, a->last)->flags & TK_PUNCT);
                if (kind == CUE_ACCORDING || (kind == CUE_SAY && closes))
                    a->source = true;
            }
            /* the marker may swallow the actor's article: "de la" + "la Russie";
             * a marker inside a predicate ("in exchange for") is none */
            const lx_match *mm = in_layer(x, LY_PRED, st - 1) ? NULL : match_at(x, LY_MARK, st - 1);
            if (mm && mm->last >= st && mm->last <= a->last) {
                int slot = mark_slot_for(x, mm, lex_entry(x->lx, a->entry)->cases);
                if (slot >= 0 && slot != S_POSS)
                    a->mark = (int8_t)slot;
            }
        }
        /* no preposition: the case of the form may say ("передала России":
         * a bare dative is the recipient; "der Ukraine" in German) */
        uint8_t cs = lex_entry(x->lx, a->entry)->cases;
        if (a->mark < 0 && cs && a->np_first == a->first) { /* not "армия России": the head's case counts */
            if ((cs & CASE_DAT) && !(cs & (CASE_NOM | CASE_ACC)))
                a->mark = S_DAT;
            else if (cs == CASE_GEN)
                a->mark = S_GEN;
            else if (cs == CASE_INS)
                a->mark = S_INS;
        }
        /* possessive after */
        if (a->last < s->last) {
            const lx_match *pm = match_at(x, LY_MARK, a->last);
            if (pm && pm->first == a->last && lex_entry(x->lx, pm->entry)->sub == S_POSS)
                a->poss = true;
        }
    }
    /* coordination chains */
    for (size_t i = 1; i < s->actors.len; i++) {
        xactor *a = &VEC_AT(&s->actors, xactor, i), *p = &VEC_AT(&s->actors, xactor, i - 1);
        uint32_t st = skip_det_back(x, a->np_first);
        if (a->mark >= 0) {
            const lx_match *mm = match_at(x, LY_MARK, st - 1);
            if (mm)
                st = mm->first;
            st = skip_det_back(x, st);
        }
        /* between p->last and st: only coordinators and commas */
        bool ok = st > p->last;
        int coords = 0;
        for (uint32_t t = p->last; ok && t < st; t++) {
            if (in_layer(x, LY_COORD, t))
                coords++;
            else if (!in_layer(x, LY_DET, t))
                ok = false;
        }
        if (ok && coords && p->form != LX_ACTOR_ADJ && a->form != LX_ACTOR_ADJ && p->source == a->source &&
            (a->mark < 0 || a->mark == p->mark)) {
            a->chain = (int)i - 1;
            if (a->mark < 0)
                a->mark = p->mark;
        }
    }
    /* a list joined by commas alone is no coordination unless a conjunction
     * closes it ("Egypt, Syria and Iran"): "according to Washington, Iran" */
    for (size_t i = 0; i < s->actors.len;) {
        size_t j = i + 1;
        while (j < s->actors.len && VEC_AT(&s->actors, xactor, j).chain == (int)j - 1)
            j++;
        bool conj = false;
        for (size_t k = i + 1; k < j; k++) {
            const xactor *p = &VEC_AT(&s->actors, xactor, k - 1), *a = &VEC_AT(&s->actors, xactor, k);
            for (uint32_t t = p->last; t < a->np_first; t++) {
                const lx_match *cm = match_at(x, LY_COORD, t);
                if (cm && !(tok(x, t)->flags & TK_PUNCT))
                    conj = true;
            }
        }
        /* "l'Égypte, la Syrie, l'Iran et d'autres pays": the conjunction
         * may follow the last member */
        const xactor *lastm = &VEC_AT(&s->actors, xactor, j - 1);
        for (uint32_t t = lastm->last; !conj && t < s->last && t < lastm->last + 2; t++) {
            const lx_match *cm = match_at(x, LY_COORD, t);
            if (cm && !(tok(x, t)->flags & TK_PUNCT))
                conj = true;
        }
        if (!conj)
            for (size_t k = i + 1; k < j; k++) {
                xactor *a = &VEC_AT(&s->actors, xactor, k);
                a->chain = -1;
                a->mark = -1;
                /* recompute its own marker */
                uint32_t st = skip_det_back(x, a->np_first);
                const lx_match *mm = st > s->first ? match_at(x, LY_MARK, st - 1) : NULL;
                if (mm && mm->last >= st && mm->last <= a->last && lex_entry(x->lx, mm->entry)->sub != S_POSS)
                    a->mark = (int8_t)lex_entry(x->lx, mm->entry)->sub;
            }
        i = j;
    }
    return 0;
}

static uint8_t vague_min(uint8_t a, uint8_t b)
{
    if (!a || !b)
        return 0;
    return a < b ? a : b;
}

static bool is_mm(const ex_scratch *x, uint32_t i)
{
    const char *f = tok_fold(&x->tl, tok(x, i));
    return !strcmp(f, "mm") || !strcmp(f, "\xd0\xbc\xd0\xbc");
}

static int build_items(ex_scratch *x)
{
    xsent *s = &x->s;
    for (size_t m = 0; m < s->matches.len; m++) {
        const lx_match *mt = &VEC_AT(&s->matches, lx_match, m);
        const lx_entry *e = lex_entry(x->lx, mt->entry);
        if (lx_layer(e->type) != LY_ITEM)
            continue;
        if (s->items.len) {
            xitem *p = &VEC_AT(&s->items, xitem, s->items.len - 1);
            if (p->hfirst == mt->first && p->hlast == mt->last) {
                /* same words: a designation beats a word */
                if (e->type == LX_DESIG && !p->canon) {
                    p->cat = e->cat;
                    p->canon = e->canon;
                    p->prod[0] = e->prod[0];
                    p->prod[1] = e->prod[1];
                    p->vague = 0;
                }
                continue;
            }
        }
        xitem *it = vec_push(&s->items);
        if (!it)
            return -1;
        it->first = it->hfirst = mt->first;
        it->last = it->hlast = mt->last;
        it->cat = e->cat;
        it->entry = mt->entry;
        if (e->type == LX_DESIG) {
            it->canon = e->canon;
            it->prod[0] = e->prod[0];
            it->prod[1] = e->prod[1];
        } else {
            it->vague = e->sub;
            if (e->flags & LXF_DOMAIN)
                it->flags |= IT_DOMAIN;
        }
    }
    /* a head noun of an actor phrase is no item: "aux militaires maliens" */
    for (size_t k = 0; k < s->items.len; k++) {
        xitem *it = &VEC_AT(&s->items, xitem, k);
        for (size_t i = 0; i < s->actors.len; i++) {
            const xactor *a = &VEC_AT(&s->actors, xactor, i);
            if (a->form == LX_ACTOR_BODY && a->np_first <= it->hfirst && it->hlast <= a->last &&
                ex_match_at(x, LY_HEAD, it->hfirst) >= 0)
                it->flags |= IT_DEAD;
        }
    }
    /* calibres: NUM mm */
    for (uint32_t i = s->first; i + 1 < s->last; i++) {
        if (!(tok(x, i)->flags & TK_NUM) || !is_mm(x, i + 1))
            continue;
        uint32_t ce = i + 2;
        const lx_match *cm = ce < s->last ? match_at(x, LY_CALIBRE, ce) : NULL;
        bool done = false;
        for (size_t k = 0; k < s->items.len; k++) {
            xitem *it = &VEC_AT(&s->items, xitem, k);
            if (it->first >= ce && it->first <= ce + 1) { /* 122 mm rockets */
                it->first = i;
                if (cm && cm->first == it->hfirst && !it->canon)
                    it->cat = lex_entry(x->lx, cm->entry)->cat, it->vague = 0;
                done = true;
                break;
            }
            if (it->last <= i && i - it->last <= 1) { /* Grad 122 mm */
                it->last = ce;
                done = true;
                break;
            }
        }
        if (!done) {
            xitem *it = vec_push(&s->items);
            if (!it)
                return -1;
            it->first = it->hfirst = i;
            it->last = it->hlast = ce;
            if (cm) {
                it->cat = lex_entry(x->lx, cm->entry)->cat;
                it->last = it->hlast = cm->last;
            } else {
                it->cat = CAT_WEAPONS;
                it->vague = VAGUE_SENTENCE;
                it->flags |= IT_CALIBRE;
            }
        }
        i = ce - 1;
    }
    /* keep items in order */
    for (size_t a = 1; a < s->items.len; a++)
        for (size_t b = a; b > 0 && VEC_AT(&s->items, xitem, b).first < VEC_AT(&s->items, xitem, b - 1).first; b--) {
            xitem t = VEC_AT(&s->items, xitem, b);
            VEC_AT(&s->items, xitem, b) = VEC_AT(&s->items, xitem, b - 1);
            VEC_AT(&s->items, xitem, b - 1) = t;
        }
    /* merge a word and a designation (or a vague and a specific word) that
     * stand in one noun phrase */
    for (size_t k = 0; k + 1 < s->items.len;) {
        xitem *a = &VEC_AT(&s->items, xitem, k), *b = &VEC_AT(&s->items, xitem, k + 1);
        bool mergeable = (a->canon || b->canon || a->vague || b->vague) && !(a->canon && b->canon) &&
                         !(a->flags & IT_DOMAIN) && !(b->flags & IT_DOMAIN) &&
                         !in_layer(x, LY_TECH, a->hfirst) && !in_layer(x, LY_TECH, b->hfirst) && /* "missile technology" */
                         gap_np(x, a->last, b->first, 3);
        if (!mergeable) {
            k++;
            continue;
        }
        xitem m = *a;
        m.last = b->last;
        m.hlast = b->hlast;
        if (b->canon) {
            m.cat = b->cat;
            m.canon = b->canon;
            m.prod[0] = b->prod[0];
            m.prod[1] = b->prod[1];
            m.vague = 0;
        } else if (a->canon) {
            /* keep a */
        } else if (a->vague && !b->vague) {
            m.cat = b->cat;
            m.vague = 0;
        } else if (a->vague && b->vague) {
            m.vague = vague_min(a->vague, b->vague);
            if (b->vague == VAGUE_DOC && a->vague == VAGUE_SENTENCE) /* "weapons systems" */
                m.cat = a->cat;
        }
        m.flags = (uint8_t)(a->flags | b->flags);
        *a = m;
        memmove(b, b + 1, (s->items.len - k - 2) * sizeof(xitem));
        s->items.len--;
    }
    return 0;
}

static bool is_tech_cat(int c)
{
    return c == CAT_NUCLEAR_TECHNOLOGY || c == CAT_MISSILE_TECHNOLOGY || c == CAT_SPACE_TECHNOLOGY ||
           c == CAT_MILITARY_TECHNOLOGY;
}

static void to_tech(ex_scratch *x, xitem *it, uint32_t ext_first, uint32_t ext_last)
{
    if (!is_tech_cat(it->cat))
        it->cat = (uint8_t)lex_cat_tech(x->lx, it->cat);
    it->vague = 0;
    it->flags = (uint8_t)((it->flags & ~IT_DOMAIN) | IT_TECH);
    if (ext_first < it->first)
        it->first = ext_first;
    if (ext_last > it->last)
        it->last = ext_last;
}

/* Is token range [a,b) only coordinators, commas and determiners? */
static bool only_coord(const ex_scratch *x, uint32_t a, uint32_t b)
{
    if (b <= a)
        return false;
    int c = 0;
    for (uint32_t i = a; i < b; i++) {
        if (in_layer(x, LY_COORD, i))
            c++;
        else if (!in_layer(x, LY_DET, i) && !(in_layer(x, LY_MARK, i) && ex_entry_at(x, LY_MARK, i)->sub == S_OF))
            return false;
    }
    return c > 0;
}

static void build_tech(ex_scratch *x)
{
    xsent *s = &x->s;
    xitem *I = s->items.data;
    size_t ni = s->items.len;
    for (size_t m = 0; m < s->matches.len; m++) {
        const lx_match *mt = &VEC_AT(&s->matches, lx_match, m);
        const lx_entry *e = lex_entry(x->lx, mt->entry);
        if (e->type != LX_TECH)
            continue;
        bool converted = false;
        if (e->sub == POS_AFTER) {
            /* the item right before, and those coordinated with it */
            int k = -1;
            for (size_t q = 0; q < ni; q++)
                if (!(I[q].flags & IT_DEAD) && I[q].last <= mt->first && gap_np(x, I[q].last, mt->first, 1) &&
                    !(I[q].hfirst >= mt->first))
                    k = (int)q;
            if (k >= 0) {
                to_tech(x, &I[k], I[k].first, mt->last);
                converted = true;
                for (int q = k - 1; q >= 0 && only_coord(x, I[q].last, I[q + 1].first); q--)
                    to_tech(x, &I[q], I[q].first, I[q].last);
            }
        } else {
            int k = -1;
            for (size_t q = 0; q < ni; q++)
                if (!(I[q].flags & IT_DEAD) && I[q].first >= mt->last && gap_np(x, mt->last, I[q].first, 2)) {
                    k = (int)q;
                    break;
                }
            if (k >= 0) {
                to_tech(x, &I[k], mt->first, I[k].last);
                converted = true;
                for (size_t q = (size_t)k + 1; q < ni && only_coord(x, I[q - 1].last, I[q].first); q++)
                    to_tech(x, &I[q], I[q].first, I[q].last);
            }
        }
        if (converted) /* the technology word itself is no item of its own */
            for (size_t q = 0; q < ni; q++)
                if (I[q].hfirst >= mt->first && I[q].hlast <= mt->last)
                    I[q].flags |= IT_DEAD;
        if (!converted && e->sub == POS_AFTER && ni < 4096) {
            /* "Chinese components", "Bauteile aus China": a technology word
             * with a stated origin is an item of its own */
            bool covered = false;
            for (size_t q = 0; q < ni; q++)
                covered |= I[q].hfirst < mt->last && mt->first < I[q].hlast;
            const lx_entry *before = mt->first > s->first ? ex_entry_at(x, LY_ACTOR, mt->first - 1) : NULL;
            const lx_entry *after = mt->last < s->last ? ex_entry_at(x, LY_ACTOR, mt->last) : NULL;
            if (!covered && ((before && before->type == LX_ACTOR_ADJ) || (after && after->type == LX_ACTOR_ADJ))) {
                xitem *it = vec_push(&s->items);
                if (!it)
                    return;
                I = s->items.data;
                it->first = it->hfirst = mt->first;
                it->last = it->hlast = mt->last;
                it->cat = CAT_MILITARY_TECHNOLOGY;
                it->flags = IT_TECH;
                it->entry = mt->entry;
            }
        }
    }
    for (size_t q = 0; q < ni; q++)
        if (I[q].flags & IT_DOMAIN)
            I[q].flags |= IT_DEAD;
    I = s->items.data;
    for (size_t a = 1; a < s->items.len; a++)
        for (size_t b = a; b > 0 && I[b].first < I[b - 1].first; b--) {
            xitem t = I[b];
            I[b] = I[b - 1];
            I[b - 1] = t;
        }
}

static void add_origin(xitem *it, int actor)
{
    for (int i = 0; i < it->norigin; i++)
        if (it->origin[i] == actor)
            return;
    if (it->norigin < EX_MAX_ORIGIN)
        it->origin[it->norigin++] = (uint16_t)actor;
}

static int item_at_or_near(const ex_scratch *x, uint32_t a_first, uint32_t a_last)
{
    const xsent *s = &x->s;
    const xitem *I = s->items.data;
    /* inside an item phrase */
    for (size_t q = 0; q < s->items.len; q++)
        if (!(I[q].flags & IT_DEAD) && I[q].first <= a_first && a_last <= I[q].last)
            return (int)q;
    /* right after an item (post-nominal adjective) */
    for (size_t q = 0; q < s->items.len; q++)
        if (!(I[q].flags & IT_DEAD) && I[q].last <= a_first && gap_np(x, I[q].last, a_first, 0))
            return (int)q;
    /* right before an item */
    for (size_t q = 0; q < s->items.len; q++)
        if (!(I[q].flags & IT_DEAD) && I[q].first >= a_last && gap_np(x, a_last, I[q].first, 2))
            return (int)q;
    return -1;
}

static void build_origins(ex_scratch *x)
{
    xsent *s = &x->s;
    xactor *A = s->actors.data;
    xitem *I = s->items.data;
    for (size_t i = 0; i < s->actors.len; i++) {
        xactor *a = &A[i];
        if (a->form == LX_ACTOR_ADJ) { /* "an importer of Russian weapons": the marker governs the phrase */
            int q = item_at_or_near(x, a->first, a->last);
            if (q >= 0) {
                add_origin(&I[q], a->actor);
                a->origin = true;
                a->item = q;
            }
        } else if (a->poss) {
            uint32_t after = a->last;
            const lx_match *pm = match_at(x, LY_MARK, after);
            if (pm)
                after = pm->last;
            for (size_t q = 0; q < s->items.len; q++)
                if (!(I[q].flags & IT_DEAD) && I[q].first >= after && gap_np(x, after, I[q].first, 3)) {
                    /* "Russia's main arms supplier": the possessive is the supplier's */
                    if (I[q].last < s->last && in_layer(x, LY_PRED, I[q].last))
                        break;
                    add_origin(&I[q], a->actor);
                    a->origin = true;
                    a->item = (int)q;
                    break;
                }
        }
    }
    /* an actor after "of/de" right behind an item is where it comes from:
     * "armes de la Corée du Nord", "122 mm de Corée du Nord" */
    for (size_t i = 0; i < s->actors.len; i++) {
        xactor *a = &A[i];
        if (a->mark != S_OF || a->origin || a->form == LX_ACTOR_ADJ)
            continue;
        uint32_t b = skip_det_back(x, a->np_first);
        const lx_match *mk = b > s->first ? match_at(x, LY_MARK, b - 1) : NULL;
        if (!mk)
            continue;
        b = mk->first;
        for (size_t k = 0; k < s->items.len; k++)
            if (!(I[k].flags & IT_DEAD) && I[k].last <= b && b - I[k].last <= 1) {
                add_origin(&I[k], a->actor);
                a->origin = true;
                a->of_origin = true;
                a->item = (int)k;
            }
    }
    /* origin markers */
    for (size_t m = 0; m < s->matches.len; m++) {
        const lx_match *mt = &VEC_AT(&s->matches, lx_match, m);
        const lx_entry *e = lex_entry(x->lx, mt->entry);
        if (e->type != LX_ORIGIN)
            continue;
        if (e->sub == POS_AFTER) { /* Russian-made drones */
            for (size_t i = 0; i < s->actors.len; i++) {
                if (A[i].last != mt->first)
                    continue;
                int q = -1;
                for (size_t k = 0; k < s->items.len; k++)
                    if (!(I[k].flags & IT_DEAD) && I[k].first >= mt->last && gap_np(x, mt->last, I[k].first, 3)) {
                        q = (int)k;
                        break;
                    }
                if (q < 0) { /* weapons of Iranian origin */
                    uint32_t b = A[i].np_first;
                    const lx_match *mk = b > s->first ? match_at(x, LY_MARK, b - 1) : NULL;
                    if (mk && lex_entry(x->lx, mk->entry)->sub == S_OF)
                        b = mk->first;
                    for (size_t k = 0; k < s->items.len; k++)
                        if (!(I[k].flags & IT_DEAD) && I[k].last <= b && b - I[k].last <= 1)
                            q = (int)k;
                }
                if (q >= 0) {
                    add_origin(&I[q], A[i].actor);
                    A[i].origin = true;
                    A[i].item = q;
                }
            }
        } else { /* weapons made in Iran; armes fabriquées en Corée du Nord et en Iran */
            int q = -1; /* "armes fabriquées en Iran"; "aircraft, which is developed by China" */
            for (size_t k = 0; k < s->items.len; k++) {
                if ((I[k].flags & IT_DEAD) || I[k].last > mt->first)
                    continue;
                uint32_t gap = mt->first - I[k].last;
                bool relative = false;
                for (uint32_t t = I[k].last; t < mt->first; t++)
                    relative |= in_layer(x, LY_CLAUSE, t);
                if (gap <= 1 || (relative && gap <= 4))
                    q = (int)k;
            }
            if (q < 0)
                continue;
            for (size_t i = 0; i < s->actors.len; i++) {
                xactor *a = &A[i];
                if (a->first < mt->last)
                    continue;
                uint32_t st = skip_det_fwd(x, mt->last);
                bool first_one = a->first <= st + 1;
                if (!first_one)
                    break;
                add_origin(&I[q], a->actor);
                a->origin = true;
                a->item = q;
                for (size_t j = i + 1; j < s->actors.len && A[j].chain == (int)j - 1; j++) {
                    add_origin(&I[q], A[j].actor);
                    A[j].origin = true;
                    A[j].item = q;
                }
                break;
            }
        }
    }
}

/* "China's HJ-8 anti-tank missile and FM-90 air defence missile": an
 * origin carries over the items coordinated right after it */
static void spread_origins(ex_scratch *x)
{
    xsent *s = &x->s;
    xitem *I = s->items.data;
    for (size_t k = 1; k < s->items.len; k++) {
        xitem *p = &I[k - 1], *it = &I[k];
        if ((it->flags & IT_DEAD) || (p->flags & IT_DEAD) || it->norigin || !p->norigin)
            continue;
        if (!only_coord(x, p->last, it->first) || it->first - p->last > 3)
            continue;
        for (int o = 0; o < p->norigin; o++)
            add_origin(it, p->origin[o]);
    }
}

static void build_quantities(ex_scratch *x)
{
    xsent *s = &x->s;
    for (size_t q = 0; q < s->items.len; q++) {
        xitem *it = &VEC_AT(&s->items, xitem, q);
        uint32_t i = it->first;
        /* "122 mm" calibres are not quantities */
        if (i < it->hfirst && (tok(x, i)->flags & TK_NUM) && i + 1 < s->last && is_mm(x, i + 1))
            continue;
        uint32_t start = i;
        double vals[8];
        int nv = 0;
        int approx = APX_EXACT;
        bool of_seen = false;
        /* walk back: det, "of", numbers, approx */
        uint32_t j = i;
        j = skip_det_back(x, j);
        if (j < i)
            start = j;
        if (j > s->first) {
            const lx_match *mk = match_at(x, LY_MARK, j - 1);
            if (mk && lex_entry(x->lx, mk->entry)->sub == S_OF && mk->last == j) {
                j = mk->first;
                of_seen = true;
            }
        }
        while (j > s->first && nv < 8) {
            const tok_t *t = tok(x, j - 1);
            const lx_match *nm = match_at(x, LY_NUMBER, j - 1);
            if (t->flags & TK_NUM) {
                if (j < s->last && is_mm(x, j))
                    break;
                if (!(t->flags & TK_SPACE) && j - 1 > s->first && (tok(x, j - 2)->flags & TK_WORD))
                    break; /* "K9", "Su-30": part of a name */
                vals[nv++] = t->num;
                j--;
            } else if (nm && nm->last == j) {
                const lx_entry *e = lex_entry(x->lx, nm->entry);
                vals[nv++] = (e->flags & LXF_SCALE) ? -e->num : e->num;
                j = nm->first;
            } else {
                break;
            }
        }
        if (!nv) {
            continue;
        }
        (void)of_seen;
        double v = 0, cur = 0;
        for (int k = nv - 1; k >= 0; k--) {
            if (vals[k] < 0) { /* scale word */
                cur = (cur ? cur : 1) * -vals[k];
                v += cur;
                cur = 0;
            } else {
                cur += vals[k];
            }
        }
        v += cur;
        uint32_t qstart = j;
        if (j > s->first) {
            uint32_t jj = skip_det_back(x, j);
            const lx_match *am = jj > s->first ? match_at(x, LY_APPROX, jj - 1) : NULL;
            if (!am)
                am = match_at(x, LY_APPROX, j - 1);
            if (am && (am->last == j || am->last == jj)) {
                approx = lex_entry(x->lx, am->entry)->sub;
                qstart = am->first;
            }
        }
        if (v > 0 && v < 1e12) {
            it->qty = v;
            it->approx = (uint8_t)approx;
            it->has_qty = true;
            it->first = qstart < start ? qstart : start;
        }
    }
    /* determiners and "other" before the phrase belong to it */
    for (size_t q = 0; q < s->items.len; q++) {
        xitem *it = &VEC_AT(&s->items, xitem, q);
        uint32_t b = skip_det_back(x, it->first);
        const lx_match *om = b > s->first ? match_at(x, LY_OTHER, b - 1) : NULL;
        if (!om && it->first > s->first)
            om = match_at(x, LY_OTHER, it->first - 1);
        if (om && om->last >= b - 1) {
            it->flags |= IT_OTHER;
            b = skip_det_back(x, om->first);
            if (om->first < b)
                b = om->first;
        }
        const lx_match *ng = b > s->first ? match_at(x, LY_CUE, b - 1) : NULL;
        if (ng && ng->last == b && lex_entry(x->lx, ng->entry)->sub == CUE_NEG)
            it->flags |= IT_NEG;
        if (b < it->first)
            it->first = b;
    }
}

/* A hyphen written against a word ("\"Orlan\"-Drohnen") joins a compound;
 * only a free-standing dash ("Moskaus - und") parts clauses. */
static bool joining_hyphen(const ex_scratch *x, uint32_t i)
{
    const tok_t *t = tok(x, i);
    if (t->end - t->start != 1 || x->text[t->start] != '-')
        return false;
    return (i > x->s.first && tok(x, i - 1)->end == t->start) || (i + 1 < x->s.last && tok(x, i + 1)->start == t->end);
}

static int build_preds_cues_clauses(ex_scratch *x)
{
    xsent *s = &x->s;
    for (size_t m = 0; m < s->matches.len; m++) {
        const lx_match *mt = &VEC_AT(&s->matches, lx_match, m);
        const lx_entry *e = lex_entry(x->lx, mt->entry);
        if (e->type == LX_PRED) {
            if (s->preds.len) {
                /* one word, two predicates (verb and noun "supply"): a
                 * determiner, possessive or "of" before it makes it a noun */
                xpred *q = &VEC_AT(&s->preds, xpred, s->preds.len - 1);
                if (q->first == mt->first && q->last == mt->last) {
                    const lx_frame *fq = lex_frame(x->lx, q->frame), *fe = lex_frame(x->lx, e->frame);
                    bool nominal = false; /* "the supply", "Iran's continued supply" */
                    for (uint32_t b = mt->first; b > s->first && mt->first - b < 2 && !nominal; b--) {
                        const lx_entry *mk = ex_entry_at(x, LY_MARK, b - 1);
                        const lx_entry *ac = ex_entry_at(x, LY_ACTOR, b - 1);
                        nominal = in_layer(x, LY_DET, b - 1) || in_layer(x, LY_OTHER, b - 1) ||
                                  (mk && (mk->sub == S_OF || mk->sub == S_POSS)) ||
                                  (ac && ac->type == LX_ACTOR_ADJ);
                    }
                    if (fq->kind != fe->kind && (fe->kind == 'n') == nominal) {
                        q->frame = e->frame;
                        q->entry = mt->entry;
                    }
                    continue;
                }
            }
            bool in_item = false;
            for (size_t q = 0; q < s->items.len && !in_item; q++) {
                const xitem *it = &VEC_AT(&s->items, xitem, q);
                in_item = it->hfirst <= mt->first && mt->last <= it->hlast && it->hlast - it->hfirst > mt->last - mt->first;
            }
            if (in_item)
                continue;
            xpred *p = vec_push(&s->preds);
            if (!p)
                return -1;
            p->first = mt->first;
            p->last = mt->last;
            p->frame = e->frame;
            p->entry = mt->entry;
        } else if (e->type == LX_CUE) {
            bool in_item = false; /* "early warning aircraft" holds no speech verb */
            for (size_t q = 0; q < s->items.len && !in_item; q++) {
                const xitem *it = &VEC_AT(&s->items, xitem, q);
                in_item = it->hfirst <= mt->first && mt->last <= it->hlast && it->hlast - it->hfirst > mt->last - mt->first;
            }
            if (in_item)
                continue;
            xcue *c = vec_push(&s->cues);
            if (!c)
                return -1;
            c->first = mt->first;
            c->last = mt->last;
            c->kind = e->sub;
            c->entry = mt->entry;
        }
    }
    /* passive: an auxiliary shortly before a verb, or an item right before
     * a participle ("missiles supplied to Russia", "drones fournis par") */
    for (size_t k = 0; k < s->preds.len; k++) {
        xpred *p = &VEC_AT(&s->preds, xpred, k);
        const lx_frame *f = lex_frame(x->lx, p->frame);
        if (f->kind != 'v')
            continue;
        /* "was sent", "were secretly shipped", "a été livré" (not "is sending") */
        const tok_t *pt = tok(x, p->last - 1);
        if (lex_has_active_suffix(x->lang, tok_fold(&x->tl, pt), pt->fold_len))
            continue;
        for (uint32_t i = p->first; i > s->first && p->first - i < 2; i--) {
            if (in_layer(x, LY_PASSIVE, i - 1)) {
                p->passive = PASSIVE_AUX;
                break;
            }
            const tok_t *bt = tok(x, i - 1);
            if (bt->flags & TK_PUNCT || in_layer(x, LY_ACTOR, i - 1) || in_layer(x, LY_ITEM, i - 1) ||
                in_layer(x, LY_PRED, i - 1) || in_layer(x, LY_CUE, i - 1) || in_layer(x, LY_MARK, i - 1) ||
                lex_has_active_suffix(x->lang, tok_fold(&x->tl, bt), bt->fold_len)) /* "been shipping supplies" */
                break;
        }
        /* a participle with no auxiliary before it: "hommes déployés en
         * Ukraine" (languages whose data lists participle endings) */
        if (!p->passive && lex_has_participle_suffix(x->lang, x->text + pt->start, pt->end - pt->start)) {
            bool aux = false;
            for (uint32_t i = p->first; i > s->first && p->first - i < 4 && !aux; i--) {
                const lx_match *cm = match_at(x, LY_CUE, i - 1);
                aux = cm && (lex_entry(x->lx, cm->entry)->sub == CUE_AUX);
                if (in_layer(x, LY_ACTOR, i - 1) || in_layer(x, LY_ITEM, i - 1))
                    break;
            }
            if (!aux)
                p->passive = PASSIVE_REDUCED;
        }
        /* "missiles supplied to Russia", "drones fournis par l'Iran" */
        for (size_t q = 0; !p->passive && q < s->items.len; q++) {
            const xitem *it = &VEC_AT(&s->items, xitem, q);
            if (!(it->flags & IT_DEAD) && it->last <= p->first && p->first - it->last <= 1)
                p->passive = PASSIVE_REDUCED;
        }
    }
    /* clauses */
    size_t n = N_TOK(s);
    uint16_t cid = 0;
    memset(s->clause_inv, 0, n);
    for (uint32_t i = s->first; i < s->last; i++) {
        const lx_match *cm = match_at(x, LY_CLAUSE, i);
        if (cm && cm->first == i && i > s->first && !joining_hyphen(x, i)) {
            cid++;
            if (lex_entry(x->lx, cm->entry)->flags & LXF_INVERT)
                s->clause_inv[cid < n ? cid : n - 1] = 1;
        }
        s->clause[i - s->first] = cid;
    }
    return 0;
}

static void trace_analysis(ex_scratch *x)
{
    xsent *s = &x->s;
    if (!x->trace)
        return;
    const lex_t *lx = x->lx;
    ex_trace(x, "  matches:\n");
    for (size_t m = 0; m < s->matches.len; m++) {
        const lx_match *mt = &VEC_AT(&s->matches, lx_match, m);
        const lx_entry *e = lex_entry(lx, mt->entry);
        ex_trace(x, "    %-11s \"", lx_type_name(e->type));
        ex_trace_span(x, mt->first, mt->last);
        ex_trace(x, "\"");
        switch (e->type) {
        case LX_ACTOR: case LX_ACTOR_ADJ: case LX_ACTOR_SEAT: case LX_ACTOR_BODY: case LX_PERSON:
            ex_trace(x, " -> %s", lex_str(lx, lex_actor(lx, e->actor)->code));
            if (e->type == LX_PERSON)
                ex_trace(x, " (%u-%u)", e->year_from, e->year_to);
            break;
        case LX_ITEM: case LX_DESIG: case LX_CALIBRE:
            ex_trace(x, " -> %s%s", cat_name(e->cat), e->sub == VAGUE_SENTENCE ? " (vague in sentence)" :
                                                       e->sub == VAGUE_DOC ? " (vague in document)" : "");
            break;
        case LX_PRED:
            ex_trace(x, " -> frame %s", lex_str(lx, lex_frame(lx, e->frame)->name));
            break;
        case LX_CUE:
            ex_trace(x, " -> %s", cue_name(e->sub));
            break;
        case LX_MARK:
            ex_trace(x, " -> %s", slot_name(e->sub));
            break;
        default:
            break;
        }
        ex_trace(x, "   [%s:%u \"%s\"]\n", lex_str(lx, e->file), e->line, lex_entry_phrase(lx, mt->entry));
    }
    for (size_t i = 0; i < s->actors.len; i++) {
        const xactor *a = &VEC_AT(&s->actors, xactor, i);
        ex_trace(x, "  actor \"");
        ex_trace_span(x, a->np_first, a->last);
        ex_trace(x, "\" = %s (%s)%s%s%s%s\n", lex_str(lx, lex_actor(lx, a->actor)->code), lx_type_name(a->form),
                 a->mark >= 0 ? " after marker " : "", a->mark >= 0 ? slot_name(a->mark) : "",
                 a->origin ? " [origin of an item]" : "", a->poss ? " [possessive]" : "");
    }
    for (size_t q = 0; q < s->items.len; q++) {
        const xitem *it = &VEC_AT(&s->items, xitem, q);
        ex_trace(x, "  item \"");
        ex_trace_span(x, it->first, it->last);
        ex_trace(x, "\" = %s", cat_name(it->cat));
        if (it->canon)
            ex_trace(x, " designation %s", lex_str(lx, it->canon));
        if (it->has_qty)
            ex_trace(x, " quantity %.0f %s", it->qty, approx_name(it->approx));
        for (int o = 0; o < it->norigin; o++)
            ex_trace(x, " origin %s", lex_str(lx, lex_actor(lx, it->origin[o])->code));
        ex_trace(x, "%s%s%s%s\n", it->vague ? " vague" : "", it->flags & IT_OTHER ? " other" : "",
                 it->flags & IT_NEG ? " negated" : "", it->flags & IT_DEAD ? " (dropped)" : "");
    }
}

int ex_analyse(ex_scratch *x, const sent_t *st)
{
    xsent *s = &x->s;
    s->first = st->first;
    s->last = st->last;
    vec_clear(&s->matches);
    vec_clear(&s->actors);
    vec_clear(&s->items);
    vec_clear(&s->preds);
    vec_clear(&s->cues);
    vec_clear(&s->frames);
    size_t n = N_TOK(s);
    if (!n)
        return 0;
    if (n * LY_COUNT > s->layer_cap) {
        free(s->layer_at);
        s->layer_cap = n * LY_COUNT * 2;
        s->layer_at = malloc(s->layer_cap * sizeof *s->layer_at);
        if (!s->layer_at)
            return -1;
    }
    if (n > s->clause_cap) {
        free(s->clause);
        free(s->clause_inv);
        s->clause_cap = n * 2;
        s->clause = malloc(s->clause_cap * sizeof *s->clause);
        s->clause_inv = malloc(s->clause_cap);
        if (!s->clause || !s->clause_inv)
            return -1;
    }
    memset(s->layer_at, 0, n * LY_COUNT * sizeof *s->layer_at);
    if (lex_match(x->lx, x->lang, x->lsc, &x->tl, x->text, s->first, s->last, &s->matches))
        return -1;
    for (size_t m = 0; m < s->matches.len && m < 32000; m++) {
        const lx_match *mt = &VEC_AT(&s->matches, lx_match, m);
        int layer = lx_layer(lex_entry(x->lx, mt->entry)->type);
        if (layer < 0)
            continue;
        for (uint32_t t = mt->first; t < mt->last; t++) {
            int16_t *slot = &s->layer_at[(size_t)layer * n + (t - s->first)];
            if (!*slot)
                *slot = (int16_t)(m + 1);
        }
    }
    if (build_actors(x) || build_items(x))
        return -1;
    build_tech(x);
    build_origins(x);
    spread_origins(x);
    build_quantities(x);
    if (build_preds_cues_clauses(x))
        return -1;
    trace_analysis(x);
    return 0;
}
