/* lexmatch.c - matching a language's phrase trie against tokens: the
 * per-thread scratch (stemmers, caches), stop words and abbreviations for
 * the text layer, and lex_match itself. The lexicon is read-only here. */
#include "lex_private.h"
#include "stem.h"

#include <stdlib.h>
#include <string.h>

/* The word cache: every distinct word a worker meets is looked up in the
 * lexicon once (per language), not once per occurrence. An entry holds the
 * word's keys and, for each key, the child it has under the trie's root, so
 * that most tokens (those that start no phrase) cost one probe here and no
 * probe in the trie. Entries are per language because stems, prefixes and
 * tries are; WT_NOLANG entries (language identification) hold the exact key
 * and stop-word bits only. The cache is emptied between calls when it holds
 * WC_MAX words or WC_BYTES bytes of them (a word may be 64 KB long), so
 * memory stays bounded on any input. */
enum { WT_FOLD, WT_CASE };            /* folded form / the word as written */
#define WT_NOLANG 0xFFu
#define WC_MAX (1u << 16)
#define WC_BYTES (1u << 23)

typedef struct {
    uint32_t off, len;       /* the word's bytes in wpool */
    uint32_t tag;            /* language << 8 | WT_* */
    uint32_t stop;           /* bit per language: a stop word there */
    uint32_t exact, exact_child;  /* WT_CASE: the K_CASE key */
    uint32_t stem, stem_child;
    uint32_t pfx, npfx;      /* (key, root child) pairs in wpfx */
    bool word_done;          /* stem and prefixes computed */
} wentry_t;

typedef struct { uint32_t hash, idx; } wslot_t; /* idx: entry + 1, 0 = empty */

struct lex_scratch {
    const lex_t *lx;
    stemmer_t **stemmers;   /* one per language, lazily made */
    buf_t tmp, tmp2;
    toklist_t tl;
    vec_t keys;             /* per token: tokkeys_t */
    vec_t cand;             /* lx_match candidates */
    vec_t taken;            /* uint8 per token per layer */
    wslot_t *wslots;        /* open addressing over wents, at most half full */
    size_t wcap;
    vec_t wents;            /* wentry_t */
    buf_t wpool;            /* the words' bytes */
    vec_t wpfx;             /* uint32 pairs: prefix key, its root child */
};

typedef struct {
    uint32_t exact, stem, kcase;
    uint32_t exact_child, stem_child, kcase_child;  /* under the root; 0 = none */
    uint32_t pfx_first, pfx_n;  /* pairs in wpfx */
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
    if (!sc->stemmers) {
        lex_scratch_free(sc);
        return NULL;
    }
    toklist_init(&sc->tl);
    vec_init(&sc->keys, sizeof(tokkeys_t));
    vec_init(&sc->cand, sizeof(lx_match));
    vec_init(&sc->taken, 1);
    vec_init(&sc->wents, sizeof(wentry_t));
    vec_init(&sc->wpfx, sizeof(uint32_t));
    return sc;
}

void lex_scratch_free(lex_scratch_t *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; sc->stemmers && i < sc->lx->langs.len; i++)
        stemmer_free(sc->stemmers[i]);
    free(sc->stemmers);
    buf_free(&sc->tmp);
    buf_free(&sc->tmp2);
    toklist_free(&sc->tl);
    vec_free(&sc->keys);
    vec_free(&sc->cand);
    vec_free(&sc->taken);
    free(sc->wslots);
    vec_free(&sc->wents);
    buf_free(&sc->wpool);
    vec_free(&sc->wpfx);
    free(sc);
}

static uint32_t stem_key(const lex_t *lx, const lex_lang_t *l, lex_scratch_t *sc, const char *f, size_t n)
{
    stemmer_t *st = sc->stemmers[l->idx];
    if (!st) {
        st = sc->stemmers[l->idx] = stemmer_new(l->stemmer[0] ? l->stemmer : NULL,
                                                (const char *const *)l->endings.data, l->endings.len);
        if (!st)
            return 0;
    }
    if (stemmer_stem(st, f, n, &sc->tmp))
        return 0;
    return lex_key_find(lx, K_STEM, sc->tmp.data ? sc->tmp.data : "", sc->tmp.len);
}

static uint32_t root_child(const lex_lang_t *l, uint32_t key)
{
    uint32_t child;
    return l && key && u64map_get(&l->edges, key, &child) ? child : 0; /* root: node 0 */
}

static inline uint64_t load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint64_t load32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Only this cache uses it: 8 bytes at a time, the tail read as two
 * overlapping loads (no call for a short word). */
static inline uint32_t word_hash(const char *s, size_t n, uint32_t tag)
{
    uint64_t h = (n + ((uint64_t)tag << 32)) * 0x9E3779B97F4A7C15ULL, v;
    const char *e = s + n;
    if (n >= 8) {
        for (; e - s > 8; s += 8) {
            h = (h ^ load64(s)) * 0xff51afd7ed558ccdULL;
            h ^= h >> 29;
        }
        v = load64(e - 8);
    } else if (n >= 4) {
        v = load32(s) << 32 | load32(e - 4);
    } else if (n) {
        v = (uint64_t)(unsigned char)s[0] << 16 | (uint64_t)(unsigned char)s[n / 2] << 8 |
            (unsigned char)s[n - 1];
    } else {
        v = 0;
    }
    h = (h ^ v) * 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 32;
    return (uint32_t)h;
}

/* a[0..n) == b[0..n), with overlapping loads for words up to 16 bytes */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    if (n >= 8 && n <= 16)
        return load64(a) == load64(b) && load64(a + n - 8) == load64(b + n - 8);
    if (n >= 4 && n < 8)
        return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
    if (n < 4) {
        for (size_t i = 0; i < n; i++)
            if (a[i] != b[i])
                return false;
        return true;
    }
    return !memcmp(a, b, n);
}

static void wcache_clear(lex_scratch_t *sc)
{
    if (sc->wslots)
        memset(sc->wslots, 0, sc->wcap * sizeof *sc->wslots);
    vec_clear(&sc->wents);
    buf_clear(&sc->wpool);
    vec_clear(&sc->wpfx);
}

static bool wcache_full(const lex_scratch_t *sc)
{
    return sc->wents.len >= WC_MAX || sc->wpool.len >= WC_BYTES || sc->wpfx.len >= WC_MAX * 8;
}

static int wcache_grow(lex_scratch_t *sc)
{
    size_t ncap = sc->wcap ? sc->wcap * 2 : 4096;
    wslot_t *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t i = 0; i < sc->wcap; i++) {
        if (!sc->wslots[i].idx)
            continue;
        size_t j = sc->wslots[i].hash & (ncap - 1);
        while (ns[j].idx)
            j = (j + 1) & (ncap - 1);
        ns[j] = sc->wslots[i];
    }
    free(sc->wslots);
    sc->wslots = ns;
    sc->wcap = ncap;
    return 0;
}

/* Adds word s[0..n) under tag (hash h): its exact key, the key's root
 * child, its stop bits. Returns the new index, or -1 when out of memory. */
static long wcache_add(lex_scratch_t *sc, const lex_lang_t *l, int kind, const char *s, size_t n,
                       uint32_t tag, uint32_t h)
{
    if ((sc->wents.len + 1) * 2 > sc->wcap && wcache_grow(sc))
        return -1;
    const lex_t *lx = sc->lx;
    uint32_t off = (uint32_t)sc->wpool.len;
    wentry_t *e = vec_push(&sc->wents);
    if (!e || buf_append(&sc->wpool, s, n))
        return -1;
    e->off = off;
    e->len = (uint32_t)n;
    e->tag = tag;
    e->exact = lex_key_find(lx, kind == WT_CASE ? K_CASE : K_EXACT, s, n);
    e->exact_child = root_child(l, e->exact);
    for (size_t i = 0; kind == WT_FOLD && e->exact && i < lx->langs.len && i < 32; i++) {
        uint32_t v;
        if (u64map_get(&VEC_AT(&lx->langs, lex_lang_t *, i)->stop, e->exact, &v))
            e->stop |= 1u << i;
    }
    size_t j = h & (sc->wcap - 1);
    while (sc->wslots[j].idx)
        j = (j + 1) & (sc->wcap - 1);
    sc->wslots[j].hash = h;
    sc->wslots[j].idx = (uint32_t)sc->wents.len;
    return (long)sc->wents.len - 1;
}

/* The entry of word s[0..n) under tag, made when absent. Returns its index,
 * or -1 when out of memory. Indexes stay valid until wcache_clear; pointers
 * only until the next add. */
static inline long wcache_get(lex_scratch_t *sc, const lex_lang_t *l, int kind, const char *s, size_t n)
{
    uint32_t tag = (l ? l->idx : WT_NOLANG) << 8 | (uint32_t)kind;
    uint32_t h = word_hash(s, n, tag);
    if (sc->wcap) {
        const wentry_t *E = sc->wents.data;
        for (size_t j = h & (sc->wcap - 1); sc->wslots[j].idx; j = (j + 1) & (sc->wcap - 1)) {
            const wslot_t *sl = &sc->wslots[j];
            if (sl->hash != h)
                continue;
            const wentry_t *e = &E[sl->idx - 1];
            if (e->tag == tag && e->len == n && same_bytes(sc->wpool.data + e->off, s, n))
                return (long)sl->idx - 1;
        }
    }
    return wcache_add(sc, l, kind, s, n, tag, h);
}

/* Fills in the stem and prefix keys of entry ei (a word of language l). */
static int wcache_word(lex_scratch_t *sc, const lex_lang_t *l, long ei, const char *f, size_t n)
{
    wentry_t *e = &VEC_AT(&sc->wents, wentry_t, ei);
    if (e->word_done)
        return 0;
    const lex_t *lx = sc->lx;
    uint32_t stem = l->uses_stem ? stem_key(lx, l, sc, f, n) : 0;
    uint32_t pfx = (uint32_t)sc->wpfx.len / 2, npfx = 0;  /* in pairs */
    uint64_t lens = l->prefix_lens;
    for (unsigned L = 3; lens >> L && L < n; L++) {
        if (!(lens >> L & 1) || (((unsigned char)f[L]) & 0xC0) == 0x80)
            continue;
        uint32_t pk = lex_key_find(lx, K_PREFIX, f, L);
        if (pk) {
            uint32_t *p = vec_push(&sc->wpfx), *c = p ? vec_push(&sc->wpfx) : NULL;
            if (!c)
                return -1;
            p = &VEC_AT(&sc->wpfx, uint32_t, sc->wpfx.len - 2);
            *p = pk;
            *c = root_child(l, pk);
            npfx++;
        }
    }
    e = &VEC_AT(&sc->wents, wentry_t, ei);
    e->stem = stem;
    e->stem_child = root_child(l, stem);
    e->pfx = pfx;
    e->npfx = npfx;
    e->word_done = true;
    return 0;
}

uint32_t lex_stop_langs(lex_scratch_t *sc, const char *w, size_t n)
{
    if (wcache_full(sc))
        wcache_clear(sc);
    long ei = wcache_get(sc, NULL, WT_FOLD, w, n);
    return ei < 0 ? 0 : VEC_AT(&sc->wents, wentry_t, ei).stop;
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

/* Sorts matches: by insertion when there are few (the common case, and no
 * call per comparison), else with as_sort. Both orders above are total (ties
 * only between identical matches), so the result does not depend on the
 * algorithm. */
static inline void sort_matches(lx_match *a, size_t n, int (*cmp)(const void *, const void *))
{
    if (n > 24) {
        as_sort(a, n, sizeof *a, cmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        lx_match m = a[i];
        size_t j = i;
        for (; j > 0 && cmp(&a[j - 1], &m) > 0; j--)
            a[j] = a[j - 1];
        a[j] = m;
    }
}

int lex_match(const lex_t *lx, const lex_lang_t *l, lex_scratch_t *sc, const toklist_t *tl,
              const char *text, uint32_t first, uint32_t last, vec_t *out)
{
    const tok_t *T = tl->toks.data;
    uint32_t n = last - first;
    vec_clear(&sc->keys);
    vec_clear(&sc->cand);
    if (vec_reserve(&sc->keys, n))
        return -1;
    if (n)
        memset(sc->keys.data, 0, (size_t)n * sizeof(tokkeys_t));
    sc->keys.len = n;
    if (wcache_full(sc))
        wcache_clear(sc);
    for (uint32_t i = first; i < last; i++) {
        const tok_t *t = &T[i];
        tokkeys_t *k = (tokkeys_t *)sc->keys.data + (i - first);
        const char *f = tok_fold(tl, t);
        if (t->flags & TK_NUM) { /* numbers seldom repeat: not cached */
            k->exact = lex_key_find(lx, K_EXACT, f, t->fold_len);
            k->exact_child = root_child(l, k->exact);
            continue;
        }
        long ei = wcache_get(sc, l, WT_FOLD, f, t->fold_len);
        if (ei < 0)
            return -1;
        if (t->flags & TK_WORD) {
            if (wcache_word(sc, l, ei, f, t->fold_len))
                return -1;
            const wentry_t *e = &VEC_AT(&sc->wents, wentry_t, ei);
            k->stem = e->stem;
            k->stem_child = e->stem_child;
            k->pfx_first = e->pfx;
            k->pfx_n = e->npfx;
            /* case-sensitive phrases ("US!") only ever match words with a
             * capital: no lookup for the others */
            if (t->flags & (TK_UPPER | TK_ALLUPPER)) {
                long ci = wcache_get(sc, l, WT_CASE, text + t->start, t->end - t->start);
                if (ci < 0)
                    return -1;
                k->kcase = VEC_AT(&sc->wents, wentry_t, ci).exact;
                k->kcase_child = VEC_AT(&sc->wents, wentry_t, ci).exact_child;
            }
        }
        const wentry_t *e = &VEC_AT(&sc->wents, wentry_t, ei);
        k->exact = e->exact;
        k->exact_child = e->exact_child;
    }
    const tokkeys_t *K = sc->keys.data;
    const uint32_t *PFX = sc->wpfx.data;
    uint32_t front[16], nfront, next[16], nnext;
    for (uint32_t i = 0; i < n; i++) {
        /* the first step, from the root, was looked up with the word */
        const tokkeys_t *k0 = &K[i];
        nnext = 0;
        if (k0->exact_child)
            next[nnext++] = k0->exact_child;
        if (k0->stem_child)
            next[nnext++] = k0->stem_child;
        if (k0->kcase_child)
            next[nnext++] = k0->kcase_child;
        for (uint32_t p = 0; p < k0->pfx_n && nnext < 16; p++)
            if (PFX[2 * (k0->pfx_first + p) + 1])
                next[nnext++] = PFX[2 * (k0->pfx_first + p) + 1];
        for (uint32_t j = i; j < n && nnext; j++) {
            if (j > i) {
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
                        uint32_t pk = PFX[2 * (k->pfx_first + p)];
                        if (u64map_get(&l->edges, ((uint64_t)node << 32) | pk, &child))
                            next[nnext++] = child;
                    }
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
    sort_matches(sc->cand.data, sc->cand.len, cmp_cand);
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
        sort_matches((lx_match *)out->data + out_before, out->len - out_before, cmp_pos);
    return 0;
}
