/* lexmatch.c - matching a language's phrase trie against tokens: the
 * per-thread scratch (stemmers, caches), stop words and abbreviations for
 * the text layer, and lex_match itself. The lexicon is read-only here. */
#include "lex_private.h"
#include "stem.h"

#include <stdlib.h>
#include <string.h>

struct lex_scratch {
    const lex_t *lx;
    stemmer_t **stemmers;   /* one per language, lazily made */
    u64map_t *stem_cache;   /* per language: hash(fold) -> key id + 1 */
    buf_t tmp, tmp2;
    toklist_t tl;
    vec_t keys;             /* per token: tokkeys_t */
    vec_t cand;             /* lx_match candidates */
    vec_t taken;            /* uint8 per token per layer */
    vec_t prefix_ids;       /* uint32 */
};

typedef struct {
    uint32_t exact, stem, kcase;
    uint32_t pfx_first, pfx_n;  /* range in prefix_ids */
} tokkeys_t;

/* ------------------------------------------------------------------ */
/* matching */

lex_scratch_t *lex_scratch_new(const lex_t *lx)
{
    lex_scratch_t *sc = calloc(1, sizeof *sc);
    if (!sc)
        return NULL;
    sc->lx = lx;
    size_t n = lx->langs.len + 1;
    sc->stemmers = calloc(n, sizeof *sc->stemmers);
    sc->stem_cache = calloc(n, sizeof *sc->stem_cache);
    if (!sc->stemmers || !sc->stem_cache) {
        lex_scratch_free(sc);
        return NULL;
    }
    toklist_init(&sc->tl);
    vec_init(&sc->keys, sizeof(tokkeys_t));
    vec_init(&sc->cand, sizeof(lx_match));
    vec_init(&sc->taken, 1);
    vec_init(&sc->prefix_ids, sizeof(uint32_t));
    return sc;
}

void lex_scratch_free(lex_scratch_t *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; sc->stemmers && i < sc->lx->langs.len; i++)
        stemmer_free(sc->stemmers[i]);
    for (size_t i = 0; sc->stem_cache && i < sc->lx->langs.len; i++)
        u64map_free(&sc->stem_cache[i]);
    free(sc->stemmers);
    free(sc->stem_cache);
    buf_free(&sc->tmp);
    buf_free(&sc->tmp2);
    toklist_free(&sc->tl);
    vec_free(&sc->keys);
    vec_free(&sc->cand);
    vec_free(&sc->taken);
    vec_free(&sc->prefix_ids);
    free(sc);
}

static uint32_t stem_key(const lex_t *lx, const lex_lang_t *l, lex_scratch_t *sc, const char *f, size_t n)
{
    uint64_t h = hash_bytes(f, n);
    uint32_t v;
    u64map_t *cache = &sc->stem_cache[l->idx];
    if (u64map_get(cache, h, &v))
        return v;
    stemmer_t *st = sc->stemmers[l->idx];
    if (!st) {
        st = sc->stemmers[l->idx] = stemmer_new(l->stemmer[0] ? l->stemmer : NULL,
                                                (const char *const *)l->endings.data, l->endings.len);
        if (!st)
            return 0;
    }
    if (stemmer_stem(st, f, n, &sc->tmp))
        return 0;
    v = lex_key_find(lx, K_STEM, sc->tmp.data ? sc->tmp.data : "", sc->tmp.len);
    if (cache->len > (1u << 20))
        u64map_free(cache);
    u64map_put(cache, h, v);
    return v;
}

bool lex_is_abbrev(const void *lang, const char *fold, size_t n)
{
    const lex_lang_t *l = lang;
    uint32_t k = lex_key_find(l->lx, K_EXACT, fold, n), v;
    return k && u64map_get(&l->abbrev, k, &v);
}

bool lex_is_stop(const lex_lang_t *l, const lex_scratch_t *sc, const char *w, size_t n)
{
    (void)sc;
    uint32_t k = lex_key_find(l->lx, K_EXACT, w, n), v;
    return k && u64map_get(&l->stop, k, &v);
}

static bool has_suffix(const vec_t *v, const char *fold, size_t n)
{
    for (size_t i = 0; i < v->len; i++) {
        const char *s = VEC_AT(v, char *, i);
        size_t sl = strlen(s);
        if (sl + 2 < n && !memcmp(fold + n - sl, s, sl))
            return true;
    }
    return false;
}

bool lex_has_potential_suffix(const lex_lang_t *l, const char *fold, size_t n)
{
    return has_suffix(&l->suffix_pot, fold, n);
}

bool lex_has_active_suffix(const lex_lang_t *l, const char *fold, size_t n)
{
    return has_suffix(&l->suffix_act, fold, n);
}

bool lex_has_participle_suffix(const lex_lang_t *l, const char *fold, size_t n)
{
    return has_suffix(&l->suffix_part, fold, n);
}

static int cmp_cand(const void *a, const void *b)
{
    const lx_match *x = a, *y = b;
    uint32_t lx_ = x->last - x->first, ly = y->last - y->first;
    if (lx_ != ly)
        return lx_ > ly ? -1 : 1;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

static int cmp_pos(const void *a, const void *b)
{
    const lx_match *x = a, *y = b;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    if (x->last != y->last)
        return x->last > y->last ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

int lex_match(const lex_t *lx, const lex_lang_t *l, lex_scratch_t *sc, const toklist_t *tl,
              const char *text, uint32_t first, uint32_t last, vec_t *out)
{
    const tok_t *T = tl->toks.data;
    uint32_t n = last - first;
    vec_clear(&sc->keys);
    vec_clear(&sc->prefix_ids);
    vec_clear(&sc->cand);
    if (vec_reserve(&sc->keys, n))
        return -1;
    for (uint32_t i = first; i < last; i++) {
        const tok_t *t = &T[i];
        tokkeys_t *k = vec_push(&sc->keys);
        const char *f = tok_fold(tl, t);
        k->exact = lex_key_find(lx, K_EXACT, f, t->fold_len);
        if (t->flags & TK_WORD) {
            if (l->uses_stem)
                k->stem = stem_key(lx, l, sc, f, t->fold_len);
            /* case-sensitive phrases ("US!") only ever match words with a
             * capital: no lookup for the others */
            if (t->flags & (TK_UPPER | TK_ALLUPPER))
                k->kcase = lex_key_find(lx, K_CASE, text + t->start, t->end - t->start);
            k->pfx_first = (uint32_t)sc->prefix_ids.len;
            uint64_t lens = l->prefix_lens;
            for (unsigned L = 3; lens >> L && L < t->fold_len; L++) {
                if (!(lens >> L & 1) || (((unsigned char)f[L]) & 0xC0) == 0x80)
                    continue;
                uint32_t pk = lex_key_find(lx, K_PREFIX, f, L);
                if (pk) {
                    uint32_t *p = vec_push(&sc->prefix_ids);
                    if (!p)
                        return -1;
                    *p = pk;
                    k->pfx_n++;
                }
            }
        } else if (t->flags & TK_NUM) {
            k->kcase = 0;
        }
    }
    const tokkeys_t *K = sc->keys.data;
    uint32_t front[16], nfront, next[16], nnext;
    for (uint32_t i = 0; i < n; i++) {
        front[0] = 0;
        nfront = 1;
        for (uint32_t j = i; j < n && nfront; j++) {
            nnext = 0;
            const tokkeys_t *k = &K[j];
            for (uint32_t q = 0; q < nfront; q++) {
                uint32_t node = front[q], child;
                uint32_t cands[3] = {k->exact, k->stem, k->kcase};
                for (int c = 0; c < 3; c++) {
                    if (!cands[c] || nnext >= 16)
                        continue;
                    if (u64map_get(&l->edges, ((uint64_t)node << 32) | cands[c], &child))
                        next[nnext++] = child;
                }
                for (uint32_t p = 0; p < k->pfx_n && nnext < 16; p++) {
                    uint32_t pk = VEC_AT(&sc->prefix_ids, uint32_t, k->pfx_first + p);
                    if (u64map_get(&l->edges, ((uint64_t)node << 32) | pk, &child))
                        next[nnext++] = child;
                }
            }
            for (uint32_t q = 0; q < nnext; q++) {
                uint32_t ph = VEC_AT(&l->pay_head, uint32_t, next[q]);
                while (ph) {
                    const payload_t *p = &VEC_AT(&l->pay, payload_t, ph - 1);
                    lx_match *m = vec_push(&sc->cand);
                    if (!m)
                        return -1;
                    m->first = first + i;
                    m->last = first + j + 1;
                    m->entry = p->entry;
                    ph = p->next;
                }
            }
            memcpy(front, next, nnext * sizeof *front);
            nfront = nnext;
        }
    }
    /* resolve: per layer, longest first, no overlap (identical spans kept) */
    as_sort(sc->cand.data, sc->cand.len, sizeof(lx_match), cmp_cand);
    vec_clear(&sc->taken);
    if (vec_reserve(&sc->taken, (size_t)n * LY_COUNT))
        return -1;
    memset(sc->taken.data, 0, (size_t)n * LY_COUNT);
    uint8_t *taken = sc->taken.data;
    size_t out_before = out->len;
    for (size_t c = 0; c < sc->cand.len; c++) {
        lx_match *m = &VEC_AT(&sc->cand, lx_match, c);
        int layer = lx_layer(lex_entry(lx, m->entry)->type);
        if (layer < 0)
            continue;
        uint8_t *row = taken + (size_t)layer * n;
        bool clash = false, same = false;
        for (uint32_t t = m->first; t < m->last; t++)
            if (row[t - first])
                clash = true;
        if (clash) {
            /* identical span already taken in this layer: keep both */
            for (size_t o = out_before; o < out->len; o++) {
                lx_match *x = &VEC_AT(out, lx_match, o);
                if (x->first == m->first && x->last == m->last &&
                    lx_layer(lex_entry(lx, x->entry)->type) == layer) {
                    same = true;
                    if (x->entry == m->entry)
                        same = false; /* exact duplicate */
                    break;
                }
            }
            if (!same)
                continue;
        }
        for (uint32_t t = m->first; t < m->last; t++)
            row[t - first] = 1;
        lx_match *o = vec_push(out);
        if (!o)
            return -1;
        *o = *m;
    }
    if (out->len > out_before)
        as_sort((lx_match *)out->data + out_before, out->len - out_before, sizeof(lx_match), cmp_pos);
    return 0;
}
