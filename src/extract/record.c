/* record.c - from frames to the document's records: one per (supplier,
 * recipient, category), with items, designations, quantity, sources and
 * evidence; then generic words folded into specific ones, denials applied,
 * modality settled. */
#include "ex.h"

#include <stdlib.h>
#include <string.h>

static const tok_t *tok(const ex_scratch *x, uint32_t i) { return &VEC_AT(&x->tl.toks, tok_t, i); }

void ex_records_clear(ex_scratch *x)
{
    for (size_t i = 0; i < x->records.len; i++) {
        xrecord *r = &VEC_AT(&x->records, xrecord, i);
        vec_free(&r->items);
        vec_free(&r->desig);
        vec_free(&r->sources);
        vec_free(&r->evidence);
    }
    vec_clear(&x->records);
    vec_clear(&x->denials);
    vec_clear(&x->pairs);
    vec_clear(&x->pair_mod);
    vec_clear(&x->holders);
    vec_clear(&x->pending);
    x->last_sup = x->last_rec = -1;
    x->last_subject = -1;
}

static xrecord *record_get(ex_scratch *x, int sup, int rec, int cat)
{
    for (size_t i = 0; i < x->records.len; i++) {
        xrecord *r = &VEC_AT(&x->records, xrecord, i);
        if (!r->dead && r->sup == sup && r->rec == rec && r->cat == cat)
            return r;
    }
    xrecord *r = vec_push(&x->records);
    if (!r)
        return NULL;
    r->sup = sup;
    r->rec = rec;
    r->cat = (uint8_t)cat;
    r->order = UINT32_MAX;
    r->vague = 255;
    vec_init(&r->items, sizeof(uint32_t) * 2);
    vec_init(&r->desig, sizeof(uint32_t));
    vec_init(&r->sources, sizeof(xsource));
    vec_init(&r->evidence, sizeof(uint32_t) * 2);
    return r;
}

/* Adds a span unless it is there already. Mentions come in text order, so
 * an evidence span is compared with the last few only (no O(n^2) on long
 * documents); item phrases are deduplicated by text and capped. */
#define ITEMS_MAX 64
static void add_span(const ex_scratch *x, vec_t *v, uint32_t a, uint32_t b, bool by_text)
{
    uint32_t *p = v->data;
    size_t from = 0;
    if (by_text && v->len >= ITEMS_MAX)
        return;
    if (!by_text && v->len > 8)
        from = v->len - 8;
    for (size_t i = from; i < v->len; i++) {
        if (p[2 * i] == a && p[2 * i + 1] == b)
            return;
        if (by_text && p[2 * i + 1] - p[2 * i] == b - a && !memcmp(x->text + p[2 * i], x->text + a, b - a))
            return;
    }
    uint32_t *n = vec_push(v);
    if (n) {
        n[0] = a;
        n[1] = b;
    }
}

static void add_src(vec_t *v, const xsource *s)
{
    for (size_t i = 0; i < v->len; i++) {
        xsource *o = &VEC_AT(v, xsource, i);
        if (o->actor == s->actor && o->stance == s->stance)
            return;
    }
    xsource *n = vec_push(v);
    if (n)
        *n = *s;
}

static void add_desig(vec_t *v, uint32_t id)
{
    for (size_t i = 0; i < v->len; i++)
        if (VEC_AT(v, uint32_t, i) == id)
            return;
    uint32_t *n = vec_push(v);
    if (n)
        *n = id;
}

/* What one item of one frame contributes, in bytes (tokens do not outlive
 * their window, and contents may wait for the end of the document). */
typedef struct xemit_s xemit;

static void emit_flat(ex_scratch *x, int sup, int rec, const xemit *e)
{
    if (sup == rec || sup < 0 || rec < 0)
        return;
    const lx_actor *as = lex_actor(x->lx, (uint32_t)sup), *ar = lex_actor(x->lx, (uint32_t)rec);
    if (as->kind == AK_MEDIA || ar->kind == AK_MEDIA)
        return;
    xrecord *r = record_get(x, sup, rec, e->cat);
    if (!r)
        return;
    if (e->mod == MOD_FACT) {
        if (e->weak)
            r->weak_only_fact = r->weak_only_fact || !r->fact;
        else {
            r->fact = true;
            r->weak_only_fact = false;
            r->fact_tensed |= !e->present;
        }
    } else if (e->mod == MOD_POTENTIAL) {
        r->potential = true;
        r->planned |= e->plan;
    } else {
        r->denied = true;
    }
    r->sup_named |= !e->sup_by_subj;
    if (!e->vague)
        r->specific = true;
    else if (r->vague == 255 || e->vague < r->vague)
        r->vague = e->vague;
    add_span(x, &r->items, e->istart, e->iend, true);
    if (e->canon)
        add_desig(&r->desig, e->canon);
    if (e->has_qty && (!r->has_qty || e->qty > r->qty)) {
        r->qty = e->qty;
        r->approx = e->approx;
        r->has_qty = true;
    }
    for (int i = 0; i < e->nsrc; i++)
        add_src(&r->sources, &e->src[i]);
    if (!r->date[0] && e->date[0])
        memcpy(r->date, e->date, sizeof r->date);
    add_span(x, &r->evidence, e->estart, e->eend, false);
    if (e->estart < r->order)
        r->order = e->estart;
}

static void make_emit(const ex_scratch *x, const xframe *f, const xitem *it, uint8_t mod, xemit *e)
{
    memset(e, 0, sizeof *e);
    e->cat = it->cat;
    e->vague = it->vague;
    e->mod = mod;
    e->canon = it->canon;
    e->has_qty = it->has_qty;
    e->qty = it->qty;
    e->approx = it->approx;
    e->istart = tok(x, it->first)->start;
    e->iend = tok(x, it->last - 1)->end;
    e->estart = tok(x, f->span_first)->start;
    e->eend = tok(x, f->span_last - 1)->end;
    bool named = false;
    for (int i = 0; i < f->nsrc; i++) {
        e->src[i] = f->src[i];
        named |= f->src[i].actor >= 0 || f->src[i].end > f->src[i].start;
    }
    e->nsrc = f->nsrc;
    e->weak = f->weak && !named;
    e->present = f->present;
    e->plan = f->plan;
    e->sup_by_subj = f->sup_by_subj;
    memcpy(e->date, x->sent_date, sizeof e->date);
}

/* one (supplier, recipient, item) of a frame */
static void emit(ex_scratch *x, const xframe *f, int sup, int rec, const xitem *it, uint8_t mod)
{
    xemit e;
    make_emit(x, f, it, mod, &e);
    emit_flat(x, sup, rec, &e);
}

/* Is item q covered by a specific item of the same frame (or of another
 * frame of the sentence with the same pair)? */
static bool covered_in_sentence(const ex_scratch *x, const xitem *it, int sup, int rec)
{
    const xsent *s = &x->s;
    if (it->vague != VAGUE_SENTENCE || (it->flags & IT_OTHER))
        return false;
    uint32_t cov = lex_cat_covers(x->lx, it->cat);
    for (size_t k = 0; k < s->frames.len; k++) {
        const xframe *f = &VEC_AT(&s->frames, xframe, k);
        bool pair = false;
        for (int i = 0; i < f->nsup; i++)
            for (int j = 0; j < f->nrec; j++)
                pair |= f->sup[i] == sup && f->rec[j] == rec;
        if (!pair && !f->possession)
            continue;
        for (int i = 0; i < f->nitems; i++) {
            const xitem *o = &VEC_AT(&s->items, xitem, f->items[i]);
            if (o != it && !o->vague && (cov >> o->cat & 1))
                return true;
        }
    }
    return false;
}

static int holder_of_sentence(const ex_scratch *x)
{
    const xsent *s = &x->s;
    for (size_t k = 0; k < s->frames.len; k++) {
        const xframe *f = &VEC_AT(&s->frames, xframe, k);
        if (f->possession && f->nsup)
            return f->sup[0];
    }
    return -1;
}

static void collect_denials(ex_scratch *x)
{
    const xsent *s = &x->s;
    const xactor *A = s->actors.data;
    for (size_t i = 0; i < s->cues.len; i++) {
        const xcue *c = &VEC_AT(&s->cues, xcue, i);
        if (c->kind != CUE_DENY)
            continue;
        /* deniers: the subject before the cue and its coordination */
        int who = -1;
        for (size_t a = s->actors.len; a-- > 0;)
            if (A[a].last <= c->first && A[a].form != LX_ACTOR_ADJ && A[a].mark < 0 && !A[a].origin &&
                lex_actor(x->lx, A[a].actor)->kind != AK_MEDIA) {
                who = (int)a;
                break;
            }
        if (who < 0)
            continue;
        uint32_t cats = 0;
        for (size_t q = 0; q < s->items.len; q++) {
            const xitem *it = &VEC_AT(&s->items, xitem, q);
            if (!(it->flags & IT_DEAD) && it->first >= c->last && !it->vague)
                cats |= 1u << it->cat;
        }
        size_t a0 = (size_t)who, a1;
        while (A[a0].chain >= 0)
            a0 = (size_t)A[a0].chain;
        for (a1 = a0 + 1; a1 < s->actors.len && A[a1].chain == (int)a1 - 1; a1++)
            ;
        /* "A and B deny ...": the denial is about transfers between them */
        for (size_t a = a0; a < a1; a++) {
            xdenial *d = vec_push(&x->denials);
            if (!d)
                return;
            d->denier = A[a].actor;
            d->other = a1 - a0 == 2 ? A[a == a0 ? a0 + 1 : a0].actor : -1;
            d->cats = cats;
            d->start = tok(x, A[a].np_first)->start;
            d->end = tok(x, A[a].last - 1)->end;
        }
    }
}

/* A sentence that only lists what a shipment held ("Over 200 packages
 * containing ...", "l'armement saisi comprenait ...") belongs to the
 * document's transfer: the last one before it, else the first after it.
 * Items of a stated origin in a sentence without any frame ("des
 * lance-grenades nord-coréens étaient présents") belong to the document's
 * holder. Both wait for the end of the document. */
static void collect_pending(ex_scratch *x)
{
    xsent *s = &x->s;
    bool content = false;
    uint32_t cue_at = s->last;
    for (size_t i = 0; i < s->cues.len; i++)
        if (VEC_AT(&s->cues, xcue, i).kind == CUE_CONTENT) {
            content = true;
            if (VEC_AT(&s->cues, xcue, i).first < cue_at)
                cue_at = VEC_AT(&s->cues, xcue, i).first;
        }
    /* the list follows the cue ("... découvrant plus de 3 000 fusils"); what
     * precedes it is the carrier, unless the cue ends the sentence
     * ("35 tonnes d'explosifs ... à bord de l'appareil") */
    bool after_any = false;
    for (size_t q = 0; q < s->items.len; q++) {
        const xitem *it = &VEC_AT(&s->items, xitem, q);
        after_any |= !(it->flags & IT_DEAD) && it->first >= cue_at;
    }
    if (!after_any)
        cue_at = s->first;
    for (size_t k = 0; k < s->frames.len; k++) {
        const xframe *f = &VEC_AT(&s->frames, xframe, k);
        if ((f->nsup && f->nrec && f->nitems) || f->possession)
            return;
    }
    xframe f = {0};
    f.pred = -1;
    f.span_first = s->first;
    f.span_last = s->last;
    sentence_sources_of(x, &f);
    if (!f.nsrc) {
        f.src[0].actor = -1;
        f.nsrc = 1;
    }
    for (size_t q = 0; q < s->items.len; q++) {
        const xitem *it = &VEC_AT(&s->items, xitem, q);
        if (it->flags & IT_DEAD)
            continue;
        if (!content || it->first < cue_at) /* only lists of what was found, held or on board */
            continue;
        xpending *p = vec_push(&x->pending);
        if (!p)
            return;
        memset(p, 0, sizeof *p);
        p->sup = p->rec = -1;
        make_emit(x, &f, it, MOD_FACT, &p->e);
        p->content = content;
        p->pair_idx = x->pairs.len;
        p->norigin = it->norigin;
        for (int o = 0; o < it->norigin; o++)
            p->origin[o] = it->origin[o];
    }
}

static void finish_pending(ex_scratch *x)
{
    size_t np = x->pairs.len;
    const int *P = x->pairs.data;
    for (size_t i = 0; i < x->pending.len; i++) {
        xpending *p = &VEC_AT(&x->pending, xpending, i);
        if (p->sup >= 0 || p->rec >= 0) { /* a one-sided frame: any pair with that side */
            for (size_t k = 0; k < np; k++) {
                if (p->sup >= 0 && P[2 * k] == p->sup && P[2 * k + 1] != p->sup) {
                    emit_flat(x, p->sup, P[2 * k + 1], &p->e);
                    break;
                }
                if (p->rec >= 0 && P[2 * k + 1] == p->rec && P[2 * k] != p->rec) {
                    emit_flat(x, P[2 * k], p->rec, &p->e);
                    break;
                }
            }
        } else if (p->norigin && x->holders.len) {
            for (size_t h = 0; h < x->holders.len; h++)
                for (int o = 0; o < p->norigin; o++)
                    emit_flat(x, p->origin[o], VEC_AT(&x->holders, int, h), &p->e);
        } else if (p->content && np) {
            size_t k = p->pair_idx ? p->pair_idx - 1 : 0;
            if (k >= np)
                k = np - 1;
            bool foreign = false; /* "un navire de guerre français": not the cargo */
            for (int o = 0; o < p->norigin; o++)
                foreign |= p->origin[o] != P[2 * k];
            if (foreign)
                continue;
            p->e.mod = MOD_FACT; /* what was found on board was sent */
            emit_flat(x, P[2 * k], P[2 * k + 1], &p->e);
        }
    }
}

/* A frame that names one side only takes the other from the document's
 * latest transfer with that side ("already gifted by the UK" after "Britain
 * is sending missiles to Ukraine"). */
static void continue_topic(ex_scratch *x, xframe *f)
{
    if (f->possession || f->exchange || f->noun_subj || !f->nitems || (f->nsup && f->nrec) || (!f->nsup && !f->nrec))
        return;
    for (size_t i = x->pairs.len; i-- > 0;) {
        const int *pr = (const int *)x->pairs.data + 2 * i;
        if (f->nsup && pr[0] == f->sup[0] && pr[1] != f->sup[0]) {
            f->rec[f->nrec++] = pr[1];
            break;
        }
        if (f->nrec && pr[1] == f->rec[0] && pr[0] != f->rec[0]) {
            f->sup[f->nsup++] = pr[0];
            break;
        }
    }
    if (!(f->nsup && f->nrec)) {
        /* nothing earlier: the document may name the transfer later */
        for (int i = 0; i < f->nitems; i++) {
            const xitem *it = &VEC_AT(&x->s.items, xitem, f->items[i]);
            xpending *p = vec_push(&x->pending);
            if (!p)
                return;
            memset(p, 0, sizeof *p);
            make_emit(x, f, it, f->mod, &p->e);
            p->sup = f->nsup ? f->sup[0] : -1;
            p->rec = f->nrec ? f->rec[0] : -1;
        }
        return;
    }
    if (x->trace && f->nsup && f->nrec)
        ex_trace(x, "  frame completed from the document's earlier transfer %s -> %s\n",
                 lex_str(x->lx, lex_actor(x->lx, (uint32_t)f->sup[0])->code),
                 lex_str(x->lx, lex_actor(x->lx, (uint32_t)f->rec[0])->code));
}

static void remember_pair(ex_scratch *x, int sup, int rec, uint8_t mod)
{
    int *p = vec_push(&x->pairs);
    uint8_t *m = vec_push(&x->pair_mod);
    if (p && m) {
        p[0] = sup;
        p[1] = rec;
        *m = mod;
    }
    x->last_sup = sup;
    x->last_rec = rec;
    x->last_mod = mod;
}

static void remember_holder(ex_scratch *x, int h)
{
    for (size_t i = 0; i < x->holders.len; i++)
        if (VEC_AT(&x->holders, int, i) == h)
            return;
    int *p = vec_push(&x->holders);
    if (p)
        *p = h;
}

static bool is_tech_cat(int c)
{
    return c == CAT_NUCLEAR_TECHNOLOGY || c == CAT_MISSILE_TECHNOLOGY || c == CAT_SPACE_TECHNOLOGY ||
           c == CAT_MILITARY_TECHNOLOGY;
}

/* "Chinese components in Russian drones", "des composants chinois dans
 * des missiles russes", "chinesische Bauteile in russischen
 * Waffensystemen": an item made by O found inside an item of R says O
 * supplied R. */
/* A transfer from each origin of the inner items to each host (an origin
 * or maker of the outer ones) but their own, as fact, over the span
 * [first, last] and with the sentence's sources. */
static void emit_inside(ex_scratch *x, xframe *f, uint32_t first, uint32_t last, const xitem *inner, const int *host,
                        int nhost, const char *why)
{
    f->span_first = first;
    f->span_last = last;
    f->nsrc = 0;
    sentence_sources_of(x, f);
    if (!f->nsrc) {
        f->src[0].actor = -1;
        f->nsrc = 1;
    }
    for (int i = 0; i < inner->norigin; i++)
        for (int k = 0; k < nhost; k++)
            if (inner->origin[i] != host[k])
                emit(x, f, inner->origin[i], host[k], inner, MOD_FACT);
    if (x->trace)
        ex_trace(x, "%s", why);
}

static void collect_inside(ex_scratch *x)
{
    xsent *s = &x->s;
    xframe f = {0};
    f.pred = -1;
    f.mod = MOD_FACT;
    for (size_t q = 0; q + 1 < s->items.len; q++) {
        const xitem *a = &VEC_AT(&s->items, xitem, q), *b = &VEC_AT(&s->items, xitem, q + 1);
        if ((a->flags & IT_DEAD) || (b->flags & IT_DEAD) || !a->norigin || !b->norigin)
            continue;
        /* between them: a place marker ("in", "dans", "в"), determiners */
        bool place = false, other = false;
        for (uint32_t t = a->last; t < b->first; t++) {
            const lx_entry *mk = ex_entry_at(x, LY_MARK, t);
            if (mk && mk->sub == S_LOC)
                place = true;
            else if (ex_match_at(x, LY_DET, t) < 0 && !(mk && mk->sub == S_OF) && !(ex_entry_at(x, LY_ACTOR, t) &&
                                                         ex_entry_at(x, LY_ACTOR, t)->type == LX_ACTOR_ADJ))
                other = true;
        }
        if (!place || other || b->first - a->last > 5)
            continue;
        int outer[EX_MAX_ORIGIN];
        for (int o = 0; o < b->norigin; o++)
            outer[o] = b->origin[o];
        emit_inside(x, &f, a->first, b->last, a, outer, b->norigin,
                    "  items of one origin inside items of another: a transfer\n");
    }
    /* The host first, then its parts, in one clause: "In russischen
     * Drohnen wurden Schweizer Bauteile verbaut", "in Orlan-Drohnen ...
     * chinesische Bauteile": technology (components, parts) of one origin
     * in a system of another origin or maker. */
    for (size_t q = 0; q < s->items.len; q++) {
        const xitem *b = &VEC_AT(&s->items, xitem, q);
        if ((b->flags & IT_DEAD) || is_tech_cat(b->cat))
            continue;
        int host[EX_MAX_ORIGIN + 2], nhost = 0;
        for (int o = 0; o < b->norigin; o++)
            host[nhost++] = b->origin[o];
        for (int o = 0; !b->norigin && o < 2; o++)
            if (b->prod[o])
                host[nhost++] = b->prod[o] - 1;
        if (!nhost)
            continue;
        /* a place or goal marker before it: "in", "dans", "в", "für"
         * (quotes and determiners may stand between) */
        bool place = false;
        for (uint32_t t = b->first; t-- > s->first && b->first - t <= 3;) {
            const lx_entry *mk = ex_entry_at(x, LY_MARK, t);
            if (mk && (mk->sub == S_LOC || mk->sub == S_DEST)) {
                place = true;
                break;
            }
            if (ex_match_at(x, LY_DET, t) < 0 && !(tok(x, t)->flags & TK_PUNCT) &&
                !(ex_entry_at(x, LY_ACTOR, t) && ex_entry_at(x, LY_ACTOR, t)->type == LX_ACTOR_ADJ))
                break;
        }
        if (!place)
            continue;
        uint16_t cl = s->clause[b->first - s->first];
        for (size_t r = q + 1; r < s->items.len; r++) {
            const xitem *a = &VEC_AT(&s->items, xitem, r);
            if (a->first - b->last > 8 || s->clause[a->first - s->first] != cl)
                break;
            if ((a->flags & IT_DEAD) || !a->norigin || !is_tech_cat(a->cat))
                continue;
            emit_inside(x, &f, b->first, a->last, a, host, nhost,
                        "  parts of one origin in a system of another: a transfer\n");
        }
    }
}

int ex_collect(ex_scratch *x)
{
    xsent *s = &x->s;
    int holder = holder_of_sentence(x);
    ex_sentence_date(x, x->sent_date);
    for (size_t k = 0; k < s->frames.len; k++)
        continue_topic(x, &VEC_AT(&s->frames, xframe, k));
    for (size_t k = 0; k < s->frames.len; k++) {
        xframe *f = &VEC_AT(&s->frames, xframe, k);
        if (f->possession) {
            bool foreign = false; /* a holder of items made elsewhere */
            for (int i = 0; i < f->nitems; i++)
                foreign |= VEC_AT(&s->items, xitem, f->items[i]).norigin > 0;
            for (int h = 0; foreign && h < f->nsup; h++)
                remember_holder(x, f->sup[h]);
            for (int h = 0; h < f->nsup; h++)
                for (int i = 0; i < f->nitems; i++) {
                    const xitem *it = &VEC_AT(&s->items, xitem, f->items[i]);
                    for (int o = 0; o < it->norigin; o++)
                        emit(x, f, it->origin[o], f->sup[h], it, f->mod);
                }
            continue;
        }
        if (f->nsup && f->nrec && !f->nitems && f->sup[0] != f->rec[0] && f->mod != MOD_DENIED)
            remember_pair(x, f->sup[0], f->rec[0], f->mod);
        if (!f->nsup || !f->nrec || (!f->nitems && !f->bare)) {
            if (x->trace)
                ex_trace(x, "  rejected: frame without %s\n",
                         !f->nsup ? "supplier" : !f->nrec ? "recipient" : "items");
            continue;
        }
        if (f->sup[0] != f->rec[0] && f->mod != MOD_DENIED)
            remember_pair(x, f->sup[0], f->rec[0], f->mod);
        if (f->bare && !f->nitems) {
            /* the transfer noun itself stands for unspecified weapons */
            xemit e;
            xitem it = {0};
            it.first = it.hfirst = VEC_AT(&s->preds, xpred, f->pred).first;
            it.last = it.hlast = VEC_AT(&s->preds, xpred, f->pred).last;
            it.cat = CAT_WEAPONS;
            it.vague = VAGUE_SENTENCE;
            make_emit(x, f, &it, f->mod, &e);
            for (int a = 0; a < f->nsup; a++)
                for (int b = 0; b < f->nrec; b++)
                    emit_flat(x, f->sup[a], f->rec[b], &e);
        }
        for (int i = 0; i < f->nitems; i++) {
            const xitem *it = &VEC_AT(&s->items, xitem, f->items[i]);
            for (int a = 0; a < f->nsup; a++)
                for (int b = 0; b < f->nrec; b++) {
                    if (covered_in_sentence(x, it, f->sup[a], f->rec[b])) {
                        if (x->trace)
                            ex_trace(x, "  generic item dropped (a specific one stands beside it)\n");
                        continue;
                    }
                    emit(x, f, f->sup[a], f->rec[b], it, f->mod);
                }
            /* provenance: made by O, moved by S -> O supplied S (or the holder) */
            for (int o = 0; o < it->norigin; o++) {
                int O = it->origin[o];
                bool party = false;
                for (int a = 0; a < f->nsup; a++)
                    party |= f->sup[a] == O;
                for (int b = 0; b < f->nrec; b++)
                    party |= f->rec[b] == O;
                if (party)
                    continue;
                if (holder >= 0)
                    emit(x, f, O, holder, it, f->mod);
                else if (f->nsup == 1)
                    emit(x, f, O, f->sup[0], it, f->mod);
            }
        }
    }
    collect_inside(x);
    collect_pending(x);
    collect_denials(x);
    return 0;
}

/* the item phrases and evidence of src join dst; dst's modality stands */
static void join_mentions(xrecord *dst, xrecord *src)
{
    for (size_t i = 0; i < src->items.len; i++) {
        uint32_t *p = (uint32_t *)src->items.data + 2 * i, *n = vec_push(&dst->items);
        if (n)
            n[0] = p[0], n[1] = p[1];
    }
    for (size_t i = 0; i < src->evidence.len; i++) {
        uint32_t *p = (uint32_t *)src->evidence.data + 2 * i, *n = vec_push(&dst->evidence);
        if (n)
            n[0] = p[0], n[1] = p[1];
    }
    if (src->order < dst->order)
        dst->order = src->order;
    src->dead = true;
}

/* src joins dst: modalities, item phrases, evidence and sources */
static void merge_into(xrecord *dst, xrecord *src)
{
    dst->fact |= src->fact;
    dst->potential |= src->potential;
    dst->denied |= src->denied;
    for (size_t i = 0; i < src->sources.len; i++)
        add_src(&dst->sources, &VEC_AT(&src->sources, xsource, i));
    join_mentions(dst, src);
}

static bool shares_desig(const xrecord *a, const xrecord *b)
{
    for (size_t i = 0; i < a->desig.len; i++)
        for (size_t j = 0; j < b->desig.len; j++)
            if (VEC_AT(&a->desig, uint32_t, i) == VEC_AT(&b->desig, uint32_t, j))
                return true;
    return false;
}

static int cmp_rec(const void *a, const void *b)
{
    const xrecord *x = a, *y = b;
    if (x->dead != y->dead)
        return x->dead ? 1 : -1;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    if (x->sup != y->sup)
        return x->sup < y->sup ? -1 : 1;
    if (x->rec != y->rec)
        return x->rec < y->rec ? -1 : 1;
    return (int)x->cat - (int)y->cat;
}

static int cmp_u32pair(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

void ex_finish(ex_scratch *x)
{
    finish_pending(x);
    size_t n = x->records.len;
    xrecord *R = x->records.data;
    /* generic words of document scope fold into a covered specific kind */
    for (size_t i = 0; i < n; i++) {
        if (R[i].dead || R[i].specific || R[i].vague != VAGUE_DOC)
            continue;
        uint32_t cov = lex_cat_covers(x->lx, R[i].cat);
        for (size_t j = 0; j < n; j++) {
            if (j == i || R[j].dead || R[j].sup != R[i].sup || R[j].rec != R[i].rec || !(cov >> R[j].cat & 1))
                continue;
            merge_into(&R[j], &R[i]);
            break;
        }
    }
    /* A supplier that is only the subject deciding on a delivery ("Berlin
     * blocks the delivery of Eurofighters to Riyadh") is not the supplier
     * when the document names another one for the same system and
     * recipient ("London wants to deliver Eurofighters to Riyadh"): its
     * mentions join that record, whose modality stands. */
    for (size_t i = 0; i < n; i++) {
        if (R[i].dead || R[i].sup_named || !R[i].desig.len)
            continue;
        for (size_t j = 0; j < n; j++) {
            if (j == i || R[j].dead || !R[j].sup_named || R[j].rec != R[i].rec || R[j].cat != R[i].cat ||
                R[j].sup == R[i].sup || !shares_desig(&R[i], &R[j]))
                continue;
            join_mentions(&R[j], &R[i]);
            break;
        }
    }
    /* The plain present also speaks of the future ("Deutschland liefert
     * Panzer an die Ukraine" in an article that says it "wird ...
     * liefern"): a pair the document states as planned and never as
     * happened (no past, no perfect, nothing under way) is a plan in every
     * present-tense mention. */
    for (size_t i = 0; i < n; i++) {
        if (R[i].dead || !R[i].fact || R[i].fact_tensed)
            continue;
        bool planned = false, happened = false;
        for (size_t j = 0; j < n; j++) {
            if (R[j].dead || R[j].sup != R[i].sup || R[j].rec != R[i].rec)
                continue;
            planned |= R[j].planned;
            happened |= R[j].fact && R[j].fact_tensed;
        }
        if (planned && !happened) {
            R[i].fact = false;
            R[i].potential = true;
        }
    }
    /* denials stated apart from any frame */
    for (size_t d = 0; d < x->denials.len; d++) {
        const xdenial *dn = &VEC_AT(&x->denials, xdenial, d);
        for (size_t i = 0; i < n; i++) {
            xrecord *r = &R[i];
            if (r->dead || (r->sup != dn->denier && r->rec != dn->denier))
                continue;
            if (dn->other >= 0 && r->sup != dn->other && r->rec != dn->other)
                continue;
            if (dn->cats && !(dn->cats >> r->cat & 1))
                continue;
            xsource s = {.actor = dn->denier, .start = dn->start, .end = dn->end, .stance = ST_DENIES};
            add_src(&r->sources, &s);
            if (!r->fact && r->weak_only_fact) {
                r->weak_only_fact = false;
                r->denied = true;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        xrecord *r = &R[i];
        if (r->weak_only_fact)
            r->fact = true;
        as_sort(r->evidence.data, r->evidence.len, sizeof(uint32_t) * 2, cmp_u32pair);
    }
    as_sort(R, n, sizeof *R, cmp_rec);
    while (x->records.len && VEC_AT(&x->records, xrecord, x->records.len - 1).dead) {
        xrecord *r = &VEC_AT(&x->records, xrecord, x->records.len - 1);
        vec_free(&r->items);
        vec_free(&r->desig);
        vec_free(&r->sources);
        vec_free(&r->evidence);
        x->records.len--;
    }
}
