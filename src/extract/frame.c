/* frame.c - roles, modality and sources for each predicate of a sentence.
 *
 * Roles come from where an actor stands relative to the predicate within
 * its clause: the marker before it (to, from, by, à, de...), subject (before,
 * unmarked), object (after, unmarked), possessive, adjective; the frame's
 * data line maps each slot to a role. Items come from the predicate's object
 * region, else from before it. Frames that miss a role borrow it from a
 * frame of the same sentence that shares an item, from the items' origin or
 * designation producer, or from a holder ("Hezbollah holds arms that Iran
 * provides").
 */
#include "ex.h"

#include <stdio.h>
#include <string.h>

static const tok_t *tok(const ex_scratch *x, uint32_t i) { return &VEC_AT(&x->tl.toks, tok_t, i); }

static uint16_t clause_of(const xsent *s, uint32_t t) { return s->clause[t - s->first]; }

static void clause_range(const xsent *s, uint32_t t, uint32_t *cs, uint32_t *ce)
{
    uint16_t c = clause_of(s, t);
    uint32_t a = t, b = t;
    while (a > s->first && clause_of(s, a - 1) == c)
        a--;
    while (b < s->last && clause_of(s, b) == c)
        b++;
    *cs = a;
    *ce = b;
}

static bool can_fill(const ex_scratch *x, const xactor *a)
{
    const lx_actor *ac = lex_actor(x->lx, a->actor);
    return ac->kind != AK_MEDIA && !a->origin && !a->source;
}

/* "le principal fournisseur d'armes du Mali": a frame whose "of" slot is
 * the recipient takes back an actor read as the items' origin */
static bool can_fill_of(const ex_scratch *x, const lx_frame *fr, const xactor *a)
{
    return a->of_origin && !a->source && (fr->role[S_OF] == R_RECIPIENT || fr->role[S_OF] == R_HOLDER) &&
           lex_actor(x->lx, a->actor)->kind != AK_MEDIA;
}

static void add_role(int *arr, int *n, int actor)
{
    for (int i = 0; i < *n; i++)
        if (arr[i] == actor)
            return;
    if (*n < EX_MAX_ROLE)
        arr[(*n)++] = actor;
}

static void add_item(xframe *f, int item)
{
    for (int i = 0; i < f->nitems; i++)
        if (f->items[i] == item)
            return;
    if (f->nitems < EX_MAX_ITEMS)
        f->items[f->nitems++] = item;
}

static void add_source(xframe *f, int actor, uint32_t start, uint32_t end, uint8_t stance)
{
    for (int i = 0; i < f->nsrc; i++)
        if (f->src[i].actor == actor && f->src[i].start == start && f->src[i].stance == stance)
            return;
    if (f->nsrc < EX_MAX_SRC) {
        f->src[f->nsrc].actor = actor;
        f->src[f->nsrc].start = start;
        f->src[f->nsrc].end = end;
        f->src[f->nsrc].stance = stance;
        f->nsrc++;
    }
}

/* adds actor i and every actor coordinated with it */
static void add_chain(const xsent *s, int *arr, int *n, size_t i)
{
    const xactor *A = s->actors.data;
    size_t a = i;
    while (A[a].chain >= 0)
        a = (size_t)A[a].chain;
    add_role(arr, n, A[a].actor);
    for (size_t j = a + 1; j < s->actors.len && A[j].chain == (int)j - 1; j++)
        add_role(arr, n, A[j].actor);
}

static bool is_subject_of_next(const ex_scratch *x, const xactor *a, uint32_t next_pred)
{
    /* "X supplied drones and Russia sent tanks": Russia is the next
     * predicate's subject, not this one's object */
    if (next_pred == UINT32_MAX || a->last > next_pred)
        return false;
    if (next_pred - a->last > 4)
        return false;
    for (uint32_t t = a->last; t < next_pred; t++)
        if (ex_match_at(x, LY_ITEM, t) >= 0 || ex_match_at(x, LY_ACTOR, t) >= 0)
            return false;
    return true;
}

/* Finds the subject actor index before token `before` in [from, before),
 * nearest first; -1 if none. */
static int find_subject(const ex_scratch *x, uint32_t from, uint32_t before)
{
    const xsent *s = &x->s;
    const xactor *A = s->actors.data;
    for (size_t i = s->actors.len; i-- > 0;) {
        const xactor *a = &A[i];
        if (a->last > before || a->first < from)
            continue;
        if (!can_fill(x, a) || a->mark >= 0 || a->poss)
            continue;
        if (a->form == LX_ACTOR_ADJ)
            continue;
        return (int)i;
    }
    return -1;
}

static void role_for(const lx_frame *fr, int slot, xframe *f, const xsent *s, size_t ai, char *why, size_t wn,
                     const ex_scratch *x)
{
    int role = fr->role[slot];
    if (role == R_SUPPLIER || role == R_HOLDER)
        add_chain(s, f->sup, &f->nsup, ai);
    else if (role == R_RECIPIENT)
        add_chain(s, f->rec, &f->nrec, ai);
    if (role && x->trace) {
        size_t l = strlen(why);
        snprintf(why + l, wn - l, "%s%s=%s", l ? " " : "", slot_name(slot),
                 lex_str(x->lx, lex_actor(x->lx, VEC_AT(&s->actors, xactor, ai).actor)->code));
    }
}

static void frame_modality(ex_scratch *x, const xpred *p, xframe *f, uint32_t cs, uint32_t ce)
{
    const xsent *s = &x->s;
    const lx_frame *fr = lex_frame(x->lx, p->frame);
    bool pot = fr->mod == MOD_POTENTIAL, den = fr->mod == MOD_DENIED;
    /* a verb at the end of its clause is governed from the clause's start
     * ("Großbritannien will ... Eurofighter-Jets an Saudi-Arabien liefern") */
    uint32_t w0 = f->verb_final ? cs : p->first > cs + 8 ? p->first - 8 : cs;
    for (size_t i = 0; i < s->cues.len; i++) {
        const xcue *c = &VEC_AT(&s->cues, xcue, i);
        bool before = c->first < p->first && c->last <= p->last && c->first >= w0;
        bool after_in_clause = c->first >= p->last && c->last <= ce;
        switch (c->kind) {
        case CUE_POTENTIAL:
            if (before)
                pot = true;
            break;
        case CUE_NEG:
            if (before && p->first - c->last <= 4)
                den = true;
            break;
        case CUE_REFUSE:
            if (before || (after_in_clause && fr->kind == 'n'))
                den = true;
            break;
        case CUE_DENY:
            if (c->last <= p->first)
                den = true;
            break;
        case CUE_REPORT:
            if (c->last <= p->first)
                f->weak = true;
            break;
        default:
            break;
        }
    }
    if (fr->kind == 'v') {
        const tok_t *t = tok(x, p->last - 1);
        if (lex_has_potential_suffix(x->lang, tok_fold(&x->tl, t), t->fold_len))
            pot = true;
    }
    for (int i = 0; i < f->nitems; i++)
        if (VEC_AT(&s->items, xitem, f->items[i]).flags & IT_NEG)
            den = true;
    f->mod = den ? MOD_DENIED : pot ? MOD_POTENTIAL : MOD_FACT;
    f->plan = f->mod == MOD_POTENTIAL && fr->kind == 'v' && fr->mod == MOD_FACT;
    /* the plain present ("Deutschland liefert Panzer"): no perfect or passive
     * auxiliary in the clause ("hat ... verkauft"), nothing that says it is
     * under way already ("liefert seit Monaten", "bereits") */
    if (f->mod == MOD_FACT && fr->present) {
        f->present = true;
        for (size_t i = 0; i < s->cues.len; i++) {
            const xcue *c = &VEC_AT(&s->cues, xcue, i);
            if ((c->kind == CUE_AUX || c->kind == CUE_ONGOING) && c->first >= cs && c->last <= ce)
                f->present = false;
        }
    }
}

/* Is actor i the subject of the clause that holds token t: nothing but
 * non-verbal words (no item, predicate or other actor) between them? */
static bool subj_is_clause_subject(const ex_scratch *x, size_t i, uint32_t t)
{
    const xsent *s = &x->s;
    const xactor *a = &VEC_AT(&s->actors, xactor, i);
    if (t < a->last || t - a->last > 6)
        return false;
    for (uint32_t k = a->last; k < t; k++)
        if (ex_match_at(x, LY_ITEM, k) >= 0 || ex_match_at(x, LY_PRED, k) >= 0 || ex_match_at(x, LY_ACTOR, k) >= 0)
            return false;
    return true;
}

/* sources of the whole sentence: according to X, X said, said X, X denies */
void sentence_sources_of(ex_scratch *x, xframe *f)
{
    const xsent *s = &x->s;
    const xactor *A = s->actors.data;
    const tok_t *T = x->tl.toks.data;
    bool doubt = false;
    for (size_t i = 0; i < s->cues.len; i++)
        if (VEC_AT(&s->cues, xcue, i).kind == CUE_DOUBT)
            doubt = true;
    for (size_t i = 0; i < s->cues.len; i++) {
        const xcue *c = &VEC_AT(&s->cues, xcue, i);
        if (c->kind != CUE_ACCORDING && c->kind != CUE_SAY && c->kind != CUE_DENY)
            continue;
        int who = -1;
        /* after the cue: according to X; said X; a déclaré X */
        for (size_t a = 0; a < s->actors.len; a++) {
            if (A[a].np_first >= c->last && A[a].np_first <= c->last + 3 && A[a].form != LX_ACTOR_ADJ) {
                bool clean = true;
                for (uint32_t t = c->last; t < A[a].np_first; t++)
                    if (ex_match_at(x, LY_DET, t) < 0 && ex_match_at(x, LY_MARK, t) < 0 &&
                        !(T[t].flags & TK_PUNCT))
                        clean = false;
                if (clean && (c->kind == CUE_ACCORDING || c->kind == CUE_SAY)) {
                    who = (int)a;
                    break;
                }
            }
        }
        if (who < 0 && c->kind != CUE_ACCORDING) {
            /* the speaker stands right before the verb ("Seoul said",
             * "the Pentagon told"); "..., officials said" names none */
            int subj = -1;
            for (size_t a = s->actors.len; a-- > 0;) {
                if (A[a].last <= c->first && A[a].form != LX_ACTOR_ADJ && A[a].mark < 0 && !A[a].origin &&
                    !A[a].poss) {
                    subj = (int)a;
                    break;
                }
            }
            if (subj >= 0 && c->kind == CUE_SAY) {
                uint32_t gap = c->first - A[subj].last;
                bool close = gap <= 2;
                for (uint32_t t = A[subj].last; close && t < c->first; t++)
                    if (T[t].flags & TK_PUNCT)
                        close = false;
                /* a speaker far before the verb must begin its clause
                 * ("Blinken noted that ...") */
                if (!close) {
                    uint32_t cs, ce;
                    clause_range(s, c->first, &cs, &ce);
                    close = A[subj].np_first <= cs + 1 && subj_is_clause_subject(x, (size_t)subj, c->first);
                }
                if (!close)
                    subj = -1;
            }
            who = subj;
        }
        if (who < 0)
            continue;
        uint8_t st = c->kind == CUE_DENY ? ST_DENIES : doubt ? ST_DOUBTS : ST_ASSERTS;
        /* the whole coordination */
        size_t a0 = (size_t)who;
        while (A[a0].chain >= 0)
            a0 = (size_t)A[a0].chain;
        for (size_t a = a0; a < s->actors.len && (a == a0 || A[a].chain == (int)a - 1); a++)
            add_source(f, A[a].raw_actor, T[A[a].np_first].start, T[A[a].last - 1].end, st);
    }
}

static void frame_span(const ex_scratch *x, xframe *f, const xpred *p)
{
    const xsent *s = &x->s;
    uint32_t a = p ? p->first : UINT32_MAX, b = p ? p->last : 0;
    for (int i = 0; i < f->nitems; i++) {
        const xitem *it = &VEC_AT(&s->items, xitem, f->items[i]);
        if (it->first < a)
            a = it->first;
        if (it->last > b)
            b = it->last;
    }
    for (size_t i = 0; i < s->actors.len; i++) {
        const xactor *ac = &VEC_AT(&s->actors, xactor, i);
        bool used = false;
        for (int k = 0; k < f->nsup; k++)
            used |= f->sup[k] == ac->actor;
        for (int k = 0; k < f->nrec; k++)
            used |= f->rec[k] == ac->actor;
        if (!used || ac->origin)
            continue;
        /* only actors near the frame */
        if (ac->last + 40 < a || ac->first > b + 40)
            continue;
        if (ac->np_first < a)
            a = ac->np_first;
        if (ac->last > b)
            b = ac->last;
    }
    if (a == UINT32_MAX) {
        a = s->first;
        b = s->last;
    }
    f->span_first = a;
    f->span_last = b;
}

/* Items in [a, b): the first within reach of a, each next one within reach
 * of the last taken (a list may be long, but not drift far away). */
static void items_in(const ex_scratch *x, xframe *f, uint32_t a, uint32_t b)
{
    const xsent *s = &x->s;
    uint32_t reach = a;
    bool first = true;
    for (size_t q = 0; q < s->items.len; q++) {
        const xitem *it = &VEC_AT(&s->items, xitem, q);
        if ((it->flags & IT_DEAD) || it->hfirst < a || it->hlast > b)
            continue;
        if (it->first > reach + (first ? 12 : 8))
            break;
        add_item(f, (int)q);
        reach = it->last;
        first = false;
    }
}

/* every live item in [a, b) */
static void items_in_all(const ex_scratch *x, xframe *f, uint32_t a, uint32_t b)
{
    const xsent *s = &x->s;
    for (size_t q = 0; q < s->items.len; q++) {
        const xitem *it = &VEC_AT(&s->items, xitem, q);
        if (!(it->flags & IT_DEAD) && it->hfirst >= a && it->hlast <= b)
            add_item(f, (int)q);
    }
}

/* the group of items nearest before token t: the last item and those
 * coordinated with it */
static void items_nearest_before(const ex_scratch *x, xframe *f, uint32_t from, uint32_t t)
{
    const xsent *s = &x->s;
    int last = -1;
    for (size_t q = 0; q < s->items.len; q++) {
        const xitem *it = &VEC_AT(&s->items, xitem, q);
        if (!(it->flags & IT_DEAD) && it->last <= t && it->first >= from)
            last = (int)q;
    }
    if (last < 0)
        return;
    add_item(f, last);
    for (int q = last - 1; q >= 0; q--) {
        const xitem *it = &VEC_AT(&s->items, xitem, q), *nx = &VEC_AT(&s->items, xitem, q + 1);
        if (it->flags & IT_DEAD)
            continue;
        bool coord = false;
        for (uint32_t k = it->last; k < nx->first; k++)
            if (ex_match_at(x, LY_COORD, k) >= 0)
                coord = true;
        if (!coord || nx->first - it->last > 3)
            break;
        add_item(f, q);
    }
}

/* "de X" / "of X" belongs to the predicate only right after it or after
 * its items ("livraisons d'armes de la Russie"), not after another noun
 * ("en violation des résolutions de l'ONU"). */
static bool of_attached(const ex_scratch *x, const xframe *f, const xpred *p, const xactor *a)
{
    const xsent *s = &x->s;
    uint32_t b = a->np_first;
    while (b > s->first && (ex_match_at(x, LY_DET, b - 1) >= 0 || ex_match_at(x, LY_MARK, b - 1) >= 0))
        b--;
    if (b <= p->last + 1)
        return true;
    for (size_t q = 0; q < s->items.len; q++) {
        const xitem *it = &VEC_AT(&s->items, xitem, q);
        if (!(it->flags & IT_DEAD) && it->last <= b && b - it->last <= 1)
            return true;
    }
    (void)f;
    return false;
}

/* An object stands right after the predicate ("supplied Russia with") or
 * right after an item ("des armes non seulement la Russie"). */
static bool obj_near(const ex_scratch *x, const xpred *p, const xactor *a, uint32_t region_end)
{
    const xsent *s = &x->s;
    if (a->np_first <= p->last + 4)
        return true;
    for (size_t q = 0; q < s->items.len; q++) {
        const xitem *it = &VEC_AT(&s->items, xitem, q);
        if (!(it->flags & IT_DEAD) && it->last >= p->last && it->last <= a->np_first && a->np_first - it->last <= 3 &&
            it->last <= region_end)
            return true;
    }
    return false;
}

static void build_frame(ex_scratch *x, size_t k)
{
    xsent *s = &x->s;
    const xpred *p = &VEC_AT(&s->preds, xpred, k);
    const lx_frame *fr = lex_frame(x->lx, p->frame);
    const xactor *A = s->actors.data;
    uint32_t cs, ce;
    clause_range(s, p->first, &cs, &ce);
    uint32_t next_pred = UINT32_MAX, prev_pred_end = cs;
    for (size_t j = 0; j < s->preds.len; j++) {
        const xpred *q = &VEC_AT(&s->preds, xpred, j);
        if (q->first >= p->last && q->first < ce && q->first < next_pred)
            next_pred = q->first;
        if (q->last <= p->first && q->last > prev_pred_end && q->last > cs)
            prev_pred_end = q->last;
    }
    /* a speech verb after the predicate ends its object region:
     * "... to Ukraine, the minister said in Seoul" */
    for (size_t i = 0; i < s->cues.len; i++) {
        const xcue *c = &VEC_AT(&s->cues, xcue, i);
        if (c->kind == CUE_SAY && c->first >= p->last && c->first < ce && c->first < next_pred)
            next_pred = c->first;
    }
    uint32_t region_end = next_pred != UINT32_MAX ? next_pred : ce;
    if (next_pred != UINT32_MAX) {
        bool only_coord = next_pred > p->last;
        bool any = false;
        for (uint32_t t = p->last; t < next_pred; t++) {
            if (ex_match_at(x, LY_COORD, t) >= 0)
                any = true;
            else if (ex_match_at(x, LY_DET, t) < 0)
                only_coord = false;
        }
        if (only_coord && any) { /* share the next predicate's region */
            uint32_t after = ce;
            for (size_t j = 0; j < s->preds.len; j++) {
                const xpred *q = &VEC_AT(&s->preds, xpred, j);
                if (q->first > next_pred && q->first < after)
                    after = q->first;
            }
            region_end = after;
        }
    }
    xframe *f = vec_push(&s->frames);
    if (!f)
        return;
    f->pred = (int)k;
    f->possession = fr->possession;
    f->exchange = fr->exchange;
    char *why = f->why;
    bool inv = s->clause_inv[clause_of(s, p->first)];
    /* subject (none for "missiles supplied to X": the item is) */
    int subj = p->passive == PASSIVE_REDUCED ? -2 : find_subject(x, cs, p->first);
    bool subj_inherited = false;
    if (subj == -1 && inv) {
        for (size_t i = 0; i < s->actors.len; i++)
            if (A[i].first >= p->last && A[i].first < region_end && can_fill(x, &A[i]) && A[i].mark < 0 &&
                A[i].form != LX_ACTOR_ADJ && !A[i].poss) {
                subj = (int)i;
                break;
            }
    }
    if (subj == -1 && fr->kind == 'v') {
        /* an actor right before the verb is its subject whatever precedes
         * it ("... de la RPDC peut compter") */
        for (size_t i = s->actors.len; i-- > 0;) {
            const xactor *a = &A[i];
            if (a->last > p->first || a->last < cs || !can_fill(x, a) || a->form == LX_ACTOR_ADJ)
                continue;
            bool adjacent = true;
            for (uint32_t t = a->last; t < p->first; t++)
                if (ex_match_at(x, LY_CUE, t) < 0 && ex_match_at(x, LY_PASSIVE, t) < 0)
                    adjacent = false;
            if (adjacent)
                subj = (int)i;
            break;
        }
    }
    if (subj == -1 && fr->kind == 'v' && !p->passive && x->lang_verb_final && p->first > cs) {
        /* German verb second: a fronted constituent that is not the subject
         * ("Laut dem Pentagon lieferte Nordkorea ...", "Im Sommer schickte
         * der Iran ...") puts the subject right after the finite verb. A
         * verb after only a conjunction ("..., aber liefert Russland")
         * shares the subject of the clause before. */
        bool fronted = false, pronoun = false;
        for (uint32_t t = cs; t < p->first; t++) {
            const lx_entry *ce0 = ex_entry_at(x, LY_CUE, t);
            if (ce0 && ce0->sub == CUE_PRONOUN)
                pronoun = true;
            if (!(tok(x, t)->flags & TK_PUNCT) && ex_match_at(x, LY_CLAUSE, t) < 0 && ex_match_at(x, LY_COORD, t) < 0)
                fronted = true;
        }
        for (size_t i = 0; fronted && !pronoun && i < s->actors.len; i++) {
            const xactor *a = &A[i];
            if (a->np_first < p->last)
                continue;
            if (a->np_first == p->last && a->mark < 0 && a->form != LX_ACTOR_ADJ && !a->poss && can_fill(x, a))
                subj = (int)i;
            break;
        }
    }
    if (subj == -1 && !p->passive) { /* a passive's subject is never far away */
        subj = find_subject(x, s->first, cs);
        subj_inherited = subj >= 0;
    }
    if (subj < 0 && !p->passive && x->last_subject >= 0) {
        /* "(elle) a livré", "they sent": a pronoun stands for the last
         * sentence's subject */
        for (size_t i = 0; i < s->cues.len; i++) {
            const xcue *c = &VEC_AT(&s->cues, xcue, i);
            if (c->kind == CUE_PRONOUN && c->last <= p->first && c->first >= cs && p->first - c->last <= 4) {
                int role = fr->role[S_SUBJ];
                if (role == R_SUPPLIER || role == R_HOLDER)
                    add_role(f->sup, &f->nsup, x->last_subject);
                else if (role == R_RECIPIENT)
                    add_role(f->rec, &f->nrec, x->last_subject);
                if (x->trace)
                    snprintf(why + strlen(why), sizeof f->why - strlen(why), "%spronoun=%s", why[0] ? " " : "",
                             lex_str(x->lx, lex_actor(x->lx, (uint32_t)x->last_subject)->code));
                break;
            }
        }
    }
    /* a light verb before a noun gives it its subject: "a fait une
     * première livraison à Wagner" */
    if (subj >= 0 && fr->kind == 'n' && !fr->role[S_SUBJ] && fr->role[S_DEST] == R_RECIPIENT) {
        for (size_t i = 0; i < s->cues.len; i++) {
            const xcue *c = &VEC_AT(&s->cues, xcue, i);
            if (c->kind == CUE_LIGHT && c->last <= p->first && p->first - c->last <= 3 &&
                c->first >= VEC_AT(&s->actors, xactor, subj).last) {
                add_chain(s, f->sup, &f->nsup, (size_t)subj);
                subj = -1;
                break;
            }
        }
    }
    int nsup_pre = f->nsup;
    if (subj >= 0)
        role_for(fr, p->passive ? S_PSUBJ : S_SUBJ, f, s, (size_t)subj, why, sizeof f->why, x);
    int nsup_subj = f->nsup - nsup_pre; /* suppliers the subject gave */
    f->noun_subj = fr->kind == 'n' && subj >= 0;
    if (subj_inherited && x->trace)
        snprintf(why + strlen(why), sizeof f->why - strlen(why), "(from an earlier clause)");
    /* after the predicate; one filler per marker slot (the first):
     * "destinées à la milice Houthi soutenue par Téhéran au Yémen" */
    bool obj_done = false, slot_done[S_COUNT] = {0};
    for (size_t i = 0; i < s->actors.len; i++) {
        const xactor *a = &A[i];
        if ((int)i == subj)
            continue;
        if (a->first < p->last || a->first >= region_end || (!can_fill(x, a) && !can_fill_of(x, fr, a)))
            continue;
        bool cue_between = false; /* "deliveries, confirmed by the US": not the noun's agent */
        for (uint32_t t = p->last; t < a->np_first && fr->kind == 'n'; t++)
            if (ex_match_at(x, LY_CUE, t) >= 0 && ex_entry_at(x, LY_CUE, t)->sub == CUE_SAY)
                cue_between = true;
        if (cue_between)
            continue;
        if (a->chain >= 0 && A[a->chain].first >= p->last)
            continue; /* handled with the head of its chain */
        if (a->mark >= 0) {
            if (a->form == LX_ACTOR_ADJ || slot_done[a->mark])
                continue;
            if (a->np_first > p->last + 15) /* too far to be its complement */
                continue;
            if ((a->mark == S_OF || (a->mark == S_AGENT && fr->kind == 'n')) && !of_attached(x, f, p, a))
                continue;
            if (a->mark == S_AGENT && fr->kind == 'v' && !p->passive && a->np_first > p->last + 4)
                continue; /* "denied using X, a stance supported by Moscow" (but "purchased by X") */
            if (a->mark == S_LOC && fr->role[S_LOC] == R_RECIPIENT)
                continue; /* places: after every other slot */
            role_for(fr, a->mark, f, s, i, why, sizeof f->why, x);
            if (fr->role[a->mark])
                slot_done[a->mark] = true;
        } else if (a->form == LX_ACTOR_ADJ) {
            if (fr->kind == 'n' && a->first - p->last <= 1)
                role_for(fr, S_ADJ, f, s, i, why, sizeof f->why, x);
        } else if (a->poss) {
            continue;
        } else if (!obj_done && !is_subject_of_next(x, a, next_pred) && obj_near(x, p, a, region_end)) {
            role_for(fr, S_OBJ, f, s, i, why, sizeof f->why, x);
            obj_done = true;
        }
    }
    /* a passive fronts its complements: "в Россию из Ирана были доставлены
     * ракеты", "Україні передано танки від США" */
    if (p->passive) {
        for (size_t i = 0; i < s->actors.len; i++) {
            const xactor *a = &A[i];
            if (a->last > p->first || a->first < cs || !can_fill(x, a) || a->form == LX_ACTOR_ADJ || a->mark < 0)
                continue;
            int role = fr->role[a->mark];
            if ((role == R_RECIPIENT && !f->nrec) || (role == R_SUPPLIER && !f->nsup))
                role_for(fr, a->mark, f, s, i, why, sizeof f->why, x);
        }
    }
    /* a place is the recipient only when the frame names none: "envoyés en
     * Ukraine", but "livré en Russie des obus destinés à Wagner" */
    if (!f->nrec && f->nsup && fr->role[S_LOC] == R_RECIPIENT) {
        for (size_t i = 0; i < s->actors.len; i++) {
            const xactor *a = &A[i];
            if (a->mark == S_LOC && a->first >= p->last && a->first < region_end && can_fill(x, a) &&
                a->form != LX_ACTOR_ADJ && a->np_first <= p->last + 15) {
                add_chain(s, f->rec, &f->nrec, i);
                break;
            }
        }
    }
    /* before the predicate: possessive or adjective on a noun, agent */
    for (size_t i = 0; i < s->actors.len; i++) {
        const xactor *a = &A[i];
        if (a->last > p->first || a->first < cs || !can_fill(x, a) || (int)i == subj)
            continue;
        if (fr->kind == 'n' && a->poss && p->first - a->last <= 4)
            role_for(fr, S_POSS, f, s, i, why, sizeof f->why, x);
        else if (fr->kind == 'n' && a->form == LX_ACTOR_ADJ && p->first - a->last <= 1)
            role_for(fr, S_ADJ, f, s, i, why, sizeof f->why, x);
        else if (a->mark == S_AGENT && p->passive)
            role_for(fr, S_AGENT, f, s, i, why, sizeof f->why, x);
    }
    /* A verb at the end of its clause (German perfect and subordinate
     * clauses, free Slavic order: "Nordkorea hat Russland Millionen Granaten
     * geliefert", "В Россию из Ирана были доставлены ракеты"): its
     * complements stand before it. The first plain actor is the subject,
     * the next the object; marked actors fill their slots; items come from
     * the whole clause. */
    bool verb_final = false;
    if (fr->kind == 'v' && !p->passive) {
        verb_final = true;
        for (size_t i = 0; i < s->actors.len && verb_final; i++)
            if (A[i].first >= p->last && A[i].first < region_end && can_fill(x, &A[i]) && A[i].form != LX_ACTOR_ADJ)
                verb_final = false;
        for (size_t q = 0; q < s->items.len && verb_final; q++) {
            const xitem *it = &VEC_AT(&s->items, xitem, q);
            if (!(it->flags & IT_DEAD) && it->hfirst >= p->last && it->hfirst < region_end)
                verb_final = false;
        }
        f->verb_final = verb_final && x->lang_verb_final;
        if (verb_final && x->lang_verb_final) {
            int first = -1, second = -1;
            bool done_slot[S_COUNT] = {0};
            for (size_t i = 0; i < s->actors.len; i++) {
                const xactor *a = &A[i];
                if (a->first < prev_pred_end || a->last > p->first || !can_fill(x, a) || a->form == LX_ACTOR_ADJ ||
                    a->poss || (a->chain >= 0 && A[a->chain].first >= prev_pred_end))
                    continue;
                if (a->mark >= 0) {
                    if (!done_slot[a->mark] && a->mark != S_OF) {
                        role_for(fr, a->mark, f, s, i, why, sizeof f->why, x);
                        done_slot[a->mark] = true;
                    }
                } else if (first < 0) {
                    first = (int)i;
                } else if (second < 0) {
                    second = (int)i;
                }
            }
            if (first >= 0 && second >= 0) { /* two plain actors: subject, then object */
                f->nsup = f->nrec = 0;
                why[0] = 0;
                role_for(fr, S_SUBJ, f, s, (size_t)first, why, sizeof f->why, x);
                role_for(fr, S_OBJ, f, s, (size_t)second, why, sizeof f->why, x);
                for (size_t i = 0; i < s->actors.len; i++) {
                    const xactor *a = &A[i];
                    if (a->mark >= 0 && a->first >= prev_pred_end && a->last <= p->first && can_fill(x, a) &&
                        a->form != LX_ACTOR_ADJ && a->mark != S_OF)
                        role_for(fr, a->mark, f, s, i, why, sizeof f->why, x);
                }
            }
            items_in_all(x, f, prev_pred_end > cs ? prev_pred_end : cs, p->first);
        }
    }
    /* items */
    items_in(x, f, p->last, region_end);
    if (!f->nitems) /* items before: a passive, or "arms deliveries" */
        items_in(x, f, p->passive ? prev_pred_end : AS_MAX(prev_pred_end, p->first > 4 ? p->first - 4 : 0),
                 p->first);
    if (!f->nitems) { /* "share its advanced space and satellite with": a domain as object */
        for (size_t q = 0; q < s->items.len; q++) {
            const xitem *it = &VEC_AT(&s->items, xitem, q);
            if ((it->flags & IT_DOMAIN) && !(it->flags & IT_TECH) && it->hfirst >= p->last &&
                it->hfirst <= p->last + 3 && it->hlast <= region_end)
                add_item(f, (int)q);
        }
    }
    if (!f->nitems && cs > s->first) /* "the missiles that Tehran provided" */
        items_nearest_before(x, f, cs > s->first + 3 ? cs - 3 : s->first, cs);
    if (fr->only) { /* "deployed instructors": only its kind of item */
        int k2 = 0;
        for (int i = 0; i < f->nitems; i++)
            if (VEC_AT(&s->items, xitem, f->items[i]).cat == fr->only)
                f->items[k2++] = f->items[i];
        f->nitems = k2;
    }
    /* A noun's own supplier ("die Lieferung von ATACMS durch die USA",
     * "russische Lieferungen") outranks the clause subject, which then only
     * speaks of the delivery ("Scholz ... angesichts der Lieferung"). The
     * subject alone is the party that approves, blocks or demands it, most
     * often the supplier (record.c checks the document). */
    if (fr->kind == 'n' && nsup_subj > 0 && nsup_pre == 0) {
        if (f->nsup > nsup_subj) {
            memmove(f->sup, f->sup + nsup_subj, sizeof f->sup[0] * (size_t)(f->nsup - nsup_subj));
            f->nsup -= nsup_subj;
            f->noun_subj = false;
            if (x->trace)
                snprintf(why + strlen(why), sizeof f->why - strlen(why), " (the noun's own supplier outranks the subject)");
        } else {
            f->sup_by_subj = true;
        }
    }
    frame_modality(x, p, f, cs, ce);
    f->bare = fr->bare && !f->nitems && p->last < s->last &&
              (ex_match_at(x, LY_MARK, p->last) < 0 || ex_entry_at(x, LY_MARK, p->last)->sub != S_OF);
}

/* Frames without a predicate: "arms from Iran to the Houthis", "armes de la
 * Corée du Nord à la Russie": an item followed by a source and a
 * destination. */
static void item_routes(ex_scratch *x)
{
    xsent *s = &x->s;
    const xactor *A = s->actors.data;
    for (size_t q = 0; q < s->items.len; q++) {
        const xitem *it = &VEC_AT(&s->items, xitem, q);
        if (it->flags & IT_DEAD)
            continue;
        bool used = false;
        for (size_t k = 0; k < s->frames.len && !used; k++) {
            const xframe *f = &VEC_AT(&s->frames, xframe, k);
            for (int i = 0; i < f->nitems; i++)
                used |= f->items[i] == (int)q && f->nsup && f->nrec;
        }
        if (used)
            continue;
        int sup = -1, rec = -1;
        uint32_t limit = it->last + 25 < s->last ? it->last + 25 : s->last;
        for (size_t i = 0; i < s->actors.len; i++) {
            const xactor *a = &A[i];
            if (a->first < it->last || a->first >= limit || !can_fill(x, a))
                continue;
            bool pred_between = false;
            for (size_t j = 0; j < s->preds.len; j++) {
                const xpred *p = &VEC_AT(&s->preds, xpred, j);
                if (p->first >= it->last && p->first < a->first)
                    pred_between = true;
            }
            if (pred_between)
                break;
            if ((a->mark == S_SRC || (a->mark == S_OF && sup < 0 && a->np_first - it->last <= 4)) && sup < 0)
                sup = (int)i;
            else if (a->mark == S_DEST && rec < 0)
                rec = (int)i;
        }
        if (rec < 0 || (sup < 0 && !it->norigin))
            continue;
        xframe *f = vec_push(&s->frames);
        if (!f)
            return;
        f->pred = -1;
        if (sup >= 0)
            add_chain(s, f->sup, &f->nsup, (size_t)sup);
        for (int o = 0; sup < 0 && o < it->norigin; o++)
            add_role(f->sup, &f->nsup, it->origin[o]);
        add_chain(s, f->rec, &f->nrec, (size_t)rec);
        add_item(f, (int)q);
        /* items coordinated before it in the same phrase */
        for (int k = (int)q - 1; k >= 0; k--) {
            const xitem *pi = &VEC_AT(&s->items, xitem, k), *ni = &VEC_AT(&s->items, xitem, k + 1);
            bool coord = false;
            for (uint32_t t = pi->last; t < ni->first; t++)
                coord |= ex_match_at(x, LY_COORD, t) >= 0;
            if (!coord || ni->first - pi->last > 3)
                break;
            add_item(f, k);
        }
        f->mod = MOD_FACT;
        snprintf(f->why, sizeof f->why, "item route: from %s to %s",
                 lex_str(x->lx, lex_actor(x->lx, f->sup[0])->code),
                 lex_str(x->lx, lex_actor(x->lx, A[rec].actor)->code));
    }
}

static bool shares_item(const xframe *a, const xframe *b)
{
    for (int i = 0; i < a->nitems; i++)
        for (int j = 0; j < b->nitems; j++)
            if (a->items[i] == b->items[j])
                return true;
    return false;
}

static void complete_frames(ex_scratch *x)
{
    xsent *s = &x->s;
    size_t nf = s->frames.len;
    xframe *F = s->frames.data;
    /* borrow a missing role from a frame sharing an item */
    for (size_t i = 0; i < nf; i++) {
        if (F[i].possession || F[i].exchange)
            continue;
        for (size_t j = 0; j < nf; j++) {
            if (i == j || F[j].possession || F[j].exchange || !shares_item(&F[i], &F[j]))
                continue;
            if (!F[i].nsup && F[j].nsup)
                for (int k = 0; k < F[j].nsup; k++)
                    add_role(F[i].sup, &F[i].nsup, F[j].sup[k]);
            if (!F[i].nrec && F[j].nrec)
                for (int k = 0; k < F[j].nrec; k++)
                    add_role(F[i].rec, &F[i].nrec, F[j].rec[k]);
        }
    }
    /* "agreed to deliver jets to Egypt (including ... a supply of missiles)":
     * a noun predicate with items but no role gives them to the frame
     * before it in the sentence */
    for (size_t i = 1; i < nf; i++) {
        if (F[i].nsup || F[i].nrec || !F[i].nitems || F[i].possession || F[i].exchange || F[i].pred < 0)
            continue;
        const xpred *pi = &VEC_AT(&s->preds, xpred, F[i].pred);
        if (lex_frame(x->lx, pi->frame)->kind != 'n')
            continue;
        for (size_t j = i; j-- > 0;) {
            if (F[j].possession || F[j].exchange || !F[j].nsup || !F[j].nrec)
                continue;
            for (int k = 0; k < F[i].nitems; k++)
                add_item(&F[j], F[i].items[k]);
            F[i].nitems = 0;
            break;
        }
    }
    /* "contributed to X's war effort by providing drones": a frame with
     * both roles but no items lends its recipient to one of the same
     * supplier with items */
    for (size_t i = 0; i < nf; i++) {
        if (F[i].possession || F[i].exchange || F[i].nrec || !F[i].nsup || !F[i].nitems)
            continue;
        for (size_t j = 0; j < nf; j++)
            if (j != i && !F[j].possession && !F[j].exchange && F[j].nrec && F[j].nsup && !F[j].nitems &&
                F[j].sup[0] == F[i].sup[0])
                for (int k = 0; k < F[j].nrec; k++)
                    add_role(F[i].rec, &F[i].nrec, F[j].rec[k]);
    }
    /* "négociations avec la Corée du Nord en vue de l'achat de projectiles":
     * a frame with roles but no items completes the one with items after it */
    for (size_t i = 0; i < nf; i++) {
        if (F[i].possession || F[i].exchange || !F[i].nitems || (F[i].nsup && F[i].nrec))
            continue;
        for (size_t j = i; j-- > 0;) {
            if (F[j].possession || F[j].exchange || F[j].nitems || !F[j].nsup || !F[j].nrec)
                continue;
            bool agree = (!F[i].nsup || F[i].sup[0] == F[j].sup[0]) && (!F[i].nrec || F[i].rec[0] == F[j].rec[0]);
            if (!agree)
                continue;
            for (int k = 0; !F[i].nsup && k < F[j].nsup; k++)
                add_role(F[i].sup, &F[i].nsup, F[j].sup[k]);
            for (int k = 0; !F[i].nrec && k < F[j].nrec; k++)
                add_role(F[i].rec, &F[i].nrec, F[j].rec[k]);
            break;
        }
    }
    /* "cooperation between Hamas and North Korea ... arms bound for Hamas":
     * the other side of a "between" pair supplies */
    {
        int between[4], nb = 0;
        for (size_t i = 0; i < s->actors.len && nb < 4; i++) {
            const xactor *a = &VEC_AT(&s->actors, xactor, i);
            if (a->mark == S_BETWEEN && a->form != LX_ACTOR_ADJ) {
                between[nb++] = a->actor;
                for (size_t j = i + 1; j < s->actors.len && nb < 4 && VEC_AT(&s->actors, xactor, j).chain == (int)j - 1; j++)
                    between[nb++] = VEC_AT(&s->actors, xactor, j).actor;
            }
        }
        for (size_t i = 0; nb == 2 && i < nf; i++) {
            if (F[i].possession || F[i].exchange || F[i].nsup || !F[i].nrec || !F[i].nitems)
                continue;
            for (int k = 0; k < F[i].nrec; k++)
                for (int b = 0; b < 2; b++)
                    if (F[i].rec[k] == between[b])
                        add_role(F[i].sup, &F[i].nsup, between[1 - b]);
        }
    }
    /* a holder in the sentence receives what a frame without recipient moves */
    for (size_t i = 0; i < nf; i++) {
        if (F[i].possession || F[i].exchange || F[i].nrec || !F[i].nsup)
            continue;
        for (size_t j = 0; j < nf; j++)
            if (F[j].possession && F[j].nsup)
                for (int k = 0; k < F[j].nsup; k++)
                    if (F[j].sup[k] != F[i].sup[0])
                        add_role(F[i].rec, &F[i].nrec, F[j].sup[k]);
    }
    /* a supplier from the items: their origin, else their producer */
    for (size_t i = 0; i < nf; i++) {
        xframe *f = &F[i];
        if (f->possession || f->exchange || f->nsup || !f->nrec)
            continue;
        for (int k = 0; k < f->nitems; k++) {
            const xitem *it = &VEC_AT(&s->items, xitem, f->items[k]);
            for (int o = 0; o < it->norigin; o++)
                if (it->origin[o] != f->rec[0])
                    add_role(f->sup, &f->nsup, it->origin[o]);
        }
        if (f->nsup)
            continue;
        for (int k = 0; k < f->nitems; k++) {
            const xitem *it = &VEC_AT(&s->items, xitem, f->items[k]);
            if (it->prod[0] && it->prod[0] - 1 != f->rec[0] && !it->prod[1])
                add_role(f->sup, &f->nsup, it->prod[0] - 1);
        }
    }
    /* in exchange for: the reverse of the frame before it */
    for (size_t i = 0; i < nf; i++) {
        xframe *f = &F[i];
        if (!f->exchange)
            continue;
        for (size_t step = 1; step < 2 * nf; step++) {
            size_t j = step % 2 ? i - (step + 1) / 2 : i + step / 2;
            if (j >= nf || F[j].exchange || F[j].possession || !F[j].nsup || !F[j].nrec)
                continue;
            for (int k = 0; k < F[j].nrec; k++)
                add_role(f->sup, &f->nsup, F[j].rec[k]);
            for (int k = 0; k < F[j].nsup; k++)
                add_role(f->rec, &f->nrec, F[j].sup[k]);
            f->mod = F[j].mod;
            break;
        }
    }
}

int ex_frames(ex_scratch *x)
{
    xsent *s = &x->s;
    for (size_t k = 0; k < s->preds.len; k++)
        build_frame(x, k);
    /* what a pronoun in the next sentence stands for: the supplier of this
     * sentence's first frame, else its first plain actor */
    bool set = false;
    for (size_t k = 0; k < s->frames.len && !set; k++) {
        const xframe *f = &VEC_AT(&s->frames, xframe, k);
        if (!f->possession && f->nsup) {
            x->last_subject = f->sup[0];
            set = true;
        }
    }
    for (size_t i = 0; i < s->actors.len && !set; i++) {
        const xactor *a = &VEC_AT(&s->actors, xactor, i);
        if (a->mark < 0 && !a->source && !a->origin && a->form != LX_ACTOR_ADJ && !a->poss &&
            lex_actor(x->lx, a->actor)->kind != AK_MEDIA) {
            x->last_subject = a->actor;
            set = true;
        }
    }
    item_routes(x);
    complete_frames(x);
    for (size_t i = 0; i < s->frames.len; i++) {
        xframe *f = &VEC_AT(&s->frames, xframe, i);
        sentence_sources_of(x, f);
        if (!f->nsrc) /* the document itself says it */
            add_source(f, -1, 0, 0, ST_ASSERTS);
        frame_span(x, f, f->pred >= 0 ? &VEC_AT(&s->preds, xpred, f->pred) : NULL);
        if (x->trace) {
            ex_trace(x, "  frame ");
            if (f->pred >= 0) {
                const xpred *p = &VEC_AT(&s->preds, xpred, f->pred);
                ex_trace(x, "%s \"", lex_str(x->lx, lex_frame(x->lx, p->frame)->name));
                ex_trace_span(x, p->first, p->last);
                ex_trace(x, "\"%s", p->passive ? " (passive)" : "");
            } else {
                ex_trace(x, "(item route)");
            }
            ex_trace(x, ": %s; supplier", f->why[0] ? f->why : "no roles");
            for (int k = 0; k < f->nsup; k++)
                ex_trace(x, " %s", lex_str(x->lx, lex_actor(x->lx, f->sup[k])->code));
            ex_trace(x, "%s; recipient", f->nsup ? "" : " -");
            for (int k = 0; k < f->nrec; k++)
                ex_trace(x, " %s", lex_str(x->lx, lex_actor(x->lx, f->rec[k])->code));
            ex_trace(x, "%s; %d item(s); %s%s%s\n", f->nrec ? "" : " -", f->nitems,
                     f->mod == MOD_FACT ? "fact" : f->mod == MOD_POTENTIAL ? "potential" : "denied",
                     f->weak ? " (hearsay)" : "", f->possession ? " (holder frame)" : "");
        }
    }
    return 0;
}
