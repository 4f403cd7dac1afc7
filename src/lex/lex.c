/* lex.c - data files: parse, check, compile to tries, match.
 *
 * Every phrase is tokenised with the text tokeniser and folded, so data and
 * text meet in the same form. Each token of a phrase becomes a key: the
 * folded word (exact), its stem (~), a prefix (*), or the word as written (!).
 * Keys are interned strings with a one-byte kind prefix; a language's trie is
 * a map from (node, key) to child node.
 */
#include "lex.h"
#include "stem.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const CAT_NAMES[CAT_COUNT] = {
    "", "small_arms", "artillery_ammunition", "rockets", "ammunition", "artillery",
    "armoured_vehicles", "aircraft", "uav", "ballistic_missiles", "missiles",
    "air_defence", "naval", "nuclear_technology", "missile_technology",
    "space_technology", "military_technology", "personnel", "weapons",
};

const char *cat_name(int cat) { return cat > 0 && cat < CAT_COUNT ? CAT_NAMES[cat] : "?"; }

int cat_from_name(const char *s, size_t n)
{
    for (int i = 1; i < CAT_COUNT; i++)
        if (strlen(CAT_NAMES[i]) == n && !memcmp(CAT_NAMES[i], s, n))
            return i;
    return CAT_NONE;
}

static const char *const TYPE_NAMES[LX_NTYPES] = {
    "state", "org", "igo", "media", "company", "category", "lang",
    "actor", "actor.adj", "actor.seat", "actor.body", "person",
    "item", "designation", "tech", "calibre",
    "pred", "mark", "origin", "det", "head", "clause", "coord", "other",
    "number", "approx", "cue", "passive", "date",
    "abbrev", "stop", "ending", "suffix", "embargo", "bound",
};

const char *lx_type_name(int t) { return t >= 0 && t < LX_NTYPES ? TYPE_NAMES[t] : "?"; }

int lx_layer(int t)
{
    switch (t) {
    case LX_ACTOR: case LX_ACTOR_ADJ: case LX_ACTOR_SEAT: case LX_ACTOR_BODY: case LX_PERSON:
        return LY_ACTOR;
    case LX_ITEM: case LX_DESIG: return LY_ITEM;
    case LX_TECH: return LY_TECH;
    case LX_CALIBRE: return LY_CALIBRE;
    case LX_PRED: return LY_PRED;
    case LX_MARK: return LY_MARK;
    case LX_ORIGIN: return LY_ORIGIN;
    case LX_DET: return LY_DET;
    case LX_HEAD: return LY_HEAD;
    case LX_CLAUSE: return LY_CLAUSE;
    case LX_COORD: return LY_COORD;
    case LX_OTHER: return LY_OTHER;
    case LX_NUMBER: return LY_NUMBER;
    case LX_APPROX: return LY_APPROX;
    case LX_CUE: return LY_CUE;
    case LX_PASSIVE: return LY_PASSIVE;
    case LX_DATE: return LY_DATE;
    default: return -1;
    }
}

static const char *const SLOT_NAMES[S_COUNT] = {
    "subj", "obj", "psubj", "poss", "adj", "dest", "src", "agent", "with", "of", "between", "loc",
    "dat", "gen", "ins",
};
static const char *const ROLE_NAMES[] = {"-", "supplier", "recipient", "holder"};
static const char *const CUE_NAMES[] = {"", "potential", "neg", "deny", "refuse", "doubt",
                                        "say", "according", "report", "content", "none", "pronoun", "light", "aux",
                                        "ongoing"};
static const char *const APX_NAMES[] = {"exact", "about", "more_than", "less_than", "up_to"};

const char *slot_name(int s) { return s >= 0 && s < S_COUNT ? SLOT_NAMES[s] : "?"; }
const char *role_name(int r) { return r >= 0 && r <= R_HOLDER ? ROLE_NAMES[r] : "?"; }
const char *cue_name(int c) { return c > 0 && c < CUE_COUNT ? CUE_NAMES[c] : "?"; }
const char *approx_name(int a) { return a >= 0 && a <= APX_UPTO ? APX_NAMES[a] : "?"; }

#include "lex_private.h"

/* ------------------------------------------------------------------ */
/* diagnostics */

static void diag_msg(lex_t *lx, bool error, const char *file, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void diag_msg(lex_t *lx, bool error, const char *file, unsigned line, const char *fmt, ...)
{
    lx_diag *d = lx->diag;
    if (!d)
        return;
    if (error)
        d->errors++;
    else
        d->warnings++;
    if (d->errors + d->warnings > 200)
        return;
    buf_printf(&d->text, "%s:%u: %s: ", file, line, error ? "error" : "warning");
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&d->text, fmt, ap);
    va_end(ap);
    buf_putc(&d->text, '\n');
}

/* ------------------------------------------------------------------ */
/* accessors */

size_t lex_lang_count(const lex_t *lx) { return lx->langs.len; }
const lex_lang_t *lex_lang_at(const lex_t *lx, size_t i) { return VEC_AT(&lx->langs, lex_lang_t *, i); }
const char *lex_lang_code(const lex_lang_t *l) { return l->code; }
bool lex_lang_verb_final(const lex_lang_t *l) { return l->verb_final; }
size_t lex_entry_count(const lex_t *lx) { return lx->entries.len; }
const lx_entry *lex_entry(const lex_t *lx, uint32_t i) { return &VEC_AT(&lx->entries, lx_entry, i); }
const lx_frame *lex_frame(const lex_t *lx, uint32_t i) { return &VEC_AT(&lx->frames, lx_frame, i); }
const lx_actor *lex_actor(const lex_t *lx, uint32_t i) { return &VEC_AT(&lx->actors, lx_actor, i); }
size_t lex_actor_count(const lex_t *lx) { return lx->actors.len; }
size_t lex_embargo_count(const lex_t *lx) { return lx->embargoes.len; }
const lx_embargo *lex_embargo_at(const lex_t *lx, size_t i) { return &VEC_AT(&lx->embargoes, lx_embargo, i); }
const char *lex_str(const lex_t *lx, uint32_t id) { return intern_str(&lx->names, id, NULL); }
uint32_t lex_cat_covers(const lex_t *lx, int cat) { return cat > 0 && cat < CAT_COUNT ? lx->covers[cat] : 0; }
int lex_cat_tech(const lex_t *lx, int cat)
{
    if (cat <= 0 || cat >= CAT_COUNT)
        return CAT_MILITARY_TECHNOLOGY;
    return lx->tech[cat] ? lx->tech[cat] : CAT_MILITARY_TECHNOLOGY;
}
const char *lex_entry_phrase(const lex_t *lx, uint32_t i)
{
    return intern_str(&lx->names, VEC_AT(&lx->phrases, uint32_t, i), NULL);
}

const lex_lang_t *lex_lang_find(const lex_t *lx, const char *code)
{
    for (size_t i = 0; i < lx->langs.len; i++)
        if (!strcmp(VEC_AT(&lx->langs, lex_lang_t *, i)->code, code))
            return VEC_AT(&lx->langs, lex_lang_t *, i);
    return NULL;
}

int lex_actor_find(const lex_t *lx, const char *code)
{
    uint32_t id = intern_find(&lx->names, code, strlen(code)), v;
    if (!id || !u64map_get(&lx->actor_by_code, id, &v))
        return -1;
    return (int)v - 1;
}

/* ------------------------------------------------------------------ */
/* line parsing */

typedef struct {
    const char *file;
    unsigned line;
    char *head[16];
    int nhead;
    char *phrases;     /* text after " : " (NULL if none) */
} rawline_t;

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = 0;
    return s;
}

/* Splits "head : phrases". Returns 0, or -1 on a malformed line. */
static int parse_line(char *s, rawline_t *rl)
{
    rl->nhead = 0;
    rl->phrases = NULL;
    char *sep = strstr(s, " : ");
    if (!sep) {
        size_t n = strlen(s);
        if (n >= 2 && s[n - 2] == ' ' && s[n - 1] == ':') {
            sep = s + n - 2;
        }
    }
    if (sep) {
        *sep = 0;
        rl->phrases = trim(sep + 2);
        if (*rl->phrases == ':')
            rl->phrases = trim(rl->phrases + 1);
    }
    char *save = NULL;
    for (char *t = strtok_r(s, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
        if (rl->nhead == 16)
            return -1;
        rl->head[rl->nhead++] = t;
    }
    return rl->nhead ? 0 : -1;
}

static const char *attr(const rawline_t *rl, const char *key)
{
    size_t kl = strlen(key);
    for (int i = 1; i < rl->nhead; i++)
        if (!strncmp(rl->head[i], key, kl) && rl->head[i][kl] == '=')
            return rl->head[i] + kl + 1;
    return NULL;
}

static bool has_flag(const rawline_t *rl, const char *word)
{
    for (int i = 1; i < rl->nhead; i++)
        if (!strcmp(rl->head[i], word))
            return true;
    return false;
}

static int type_from_name(const char *s)
{
    for (int i = 0; i < LX_NTYPES; i++)
        if (!strcmp(TYPE_NAMES[i], s))
            return i;
    return -1;
}

/* ------------------------------------------------------------------ */
/* brace expansion: calls fn for each expansion of phrase */

typedef int (*expand_fn)(void *ctx, const char *s);

static int expand(const char *s, expand_fn fn, void *ctx, int depth)
{
    const char *o = strchr(s, '{');
    if (!o || depth > 8)
        return fn(ctx, s);
    const char *c = strchr(o, '}');
    if (!c)
        return fn(ctx, s);
    size_t pre = (size_t)(o - s);
    const char *alt = o + 1;
    for (;;) {
        const char *e = alt;
        while (e < c && *e != ',')
            e++;
        size_t need = pre + (size_t)(e - alt) + strlen(c + 1) + 1;
        char *tmp = malloc(need);
        if (!tmp)
            return -1;
        memcpy(tmp, s, pre);
        memcpy(tmp + pre, alt, (size_t)(e - alt));
        strcpy(tmp + pre + (size_t)(e - alt), c + 1);
        int r = expand(tmp, fn, ctx, depth + 1);
        free(tmp);
        if (r)
            return r;
        if (e >= c)
            break;
        alt = e + 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* compiling phrases to key sequences */

typedef struct {
    uint32_t keys[32];
    int n;
} keyseq_t;

static uint32_t key_add(lex_t *lx, int kind, const char *s, size_t n)
{
    char tmp[512];
    if (n + 1 > sizeof tmp)
        n = sizeof tmp - 1;
    tmp[0] = (char)kind;
    memcpy(tmp + 1, s, n);
    return intern_add(&lx->keys, tmp, n + 1);
}

uint32_t lex_key_find(const lex_t *lx, int kind, const char *s, size_t n)
{
    char tmp[512];
    if (n + 1 > sizeof tmp)
        return 0;
    tmp[0] = (char)kind;
    memcpy(tmp + 1, s, n);
    return intern_find(&lx->keys, tmp, n + 1);
}

/* Compiles one expanded phrase into keys for language l. */
static int phrase_keys(lex_t *lx, lex_lang_t *l, stemmer_t *st, const char *phrase,
                       keyseq_t *ks, const char **why)
{
    ks->n = 0;
    char *copy = strdup(phrase);
    if (!copy)
        return -1;
    toklist_t tl;
    toklist_init(&tl);
    buf_t sb = {0};
    int rc = 0;
    char *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        size_t wl = strlen(w);
        int mark = 0;
        if (wl > 1 && (w[wl - 1] == '~' || w[wl - 1] == '*' || w[wl - 1] == '!')) {
            mark = w[wl - 1];
            w[--wl] = 0;
        }
        toklist_clear(&tl);
        if (tokenize(w, wl, 0, &tl)) {
            rc = -1;
            break;
        }
        for (size_t i = 0; i < tl.toks.len; i++) {
            tok_t *t = &VEC_AT(&tl.toks, tok_t, i);
            const char *f = tok_fold(&tl, t);
            bool last = i + 1 == tl.toks.len;
            uint32_t k;
            if (ks->n == 32) {
                *why = "phrase has more than 32 words";
                rc = 1;
                goto out;
            }
            if (mark == '!') {
                k = key_add(lx, K_CASE, w + t->start, t->end - t->start);
            } else if (mark == '~' && last && (t->flags & TK_WORD)) {
                if (!st) {
                    *why = "'~' needs a language stemmer or ending table";
                    rc = 1;
                    goto out;
                }
                stemmer_stem(st, f, t->fold_len, &sb);
                k = key_add(lx, K_STEM, sb.data ? sb.data : "", sb.len);
                l->uses_stem = true;
            } else if (mark == '*' && last) {
                size_t chars = 0;
                for (const char *q = f; *q; q++)
                    if (((unsigned char)*q & 0xC0) != 0x80)
                        chars++;
                if (chars < 3 || t->fold_len > 63) {
                    *why = "'*' needs at least three letters before it";
                    rc = 1;
                    goto out;
                }
                k = key_add(lx, K_PREFIX, f, t->fold_len);
                l->prefix_lens |= 1ULL << t->fold_len;
            } else {
                k = key_add(lx, K_EXACT, f, t->fold_len);
            }
            if (!k) {
                rc = -1;
                goto out;
            }
            ks->keys[ks->n++] = k;
        }
    }
    if (!rc && ks->n == 0) {
        *why = "empty phrase";
        rc = 1;
    }
out:
    toklist_free(&tl);
    buf_free(&sb);
    free(copy);
    return rc;
}

static uint32_t node_child(lex_lang_t *l, uint32_t node, uint32_t key, bool create)
{
    uint64_t k = ((uint64_t)node << 32) | key;
    uint32_t child;
    if (u64map_get(&l->edges, k, &child))
        return child;
    if (!create)
        return 0;
    child = ++l->nodes;
    if (u64map_put(&l->edges, k, child))
        return 0;
    while (l->pay_head.len <= child)
        if (!vec_push(&l->pay_head))
            return 0;
    return child;
}

/* ------------------------------------------------------------------ */
/* loading */

typedef struct {
    lex_t *lx;
    lex_lang_t *lang;     /* target language, or NULL = every language */
    stemmer_t **stemmers; /* per language */
    const rawline_t *rl;
    lx_entry proto;
    uint32_t phrase_id;
    int count;
} addctx_t;

static bool years_overlap(const lx_entry *a, const lx_entry *b)
{
    return a->year_from <= b->year_to && b->year_from <= a->year_to;
}

static int add_to_lang(addctx_t *c, lex_lang_t *l, stemmer_t *st, const char *exp, uint32_t eidx)
{
    lex_t *lx = c->lx;
    keyseq_t ks;
    const char *why = NULL;
    int r = phrase_keys(lx, l, st, exp, &ks, &why);
    if (r < 0)
        return -1;
    if (r > 0) {
        diag_msg(lx, true, c->rl->file, c->rl->line, "'%s': %s", exp, why);
        return 0;
    }
    const lx_entry *e = &VEC_AT(&lx->entries, lx_entry, eidx);
    int layer = lx_layer(e->type);
    /* duplicates within a layer */
    uint64_t h = hash_bytes(ks.keys, sizeof(uint32_t) * (size_t)ks.n) ^ (uint64_t)(layer + 1) * 0x9E3779B97F4A7C15ULL;
    uint32_t prev;
    if (u64map_get(&l->dup, h, &prev)) {
        const lx_entry *p = &VEC_AT(&lx->entries, lx_entry, prev - 1);
        bool same_meaning = p->type == e->type && p->actor == e->actor && p->cat == e->cat &&
                            p->sub == e->sub && p->frame == e->frame;
        if (same_meaning && (p->cases || e->cases) && lx_layer(p->type) == LY_ACTOR) {
            /* "России" listed as genitive and as dative: one form, both cases */
            VEC_AT(&lx->entries, lx_entry, prev - 1).cases |= e->cases;
            return 0;
        }
        if (p->type == LX_MARK && e->type == LX_MARK && p->cases != e->cases && p->sub != e->sub)
            goto add; /* "в" + accusative (to) and "в" + locative (in) */
        bool ok = (p->type == LX_PERSON && e->type == LX_PERSON &&
                   (p->actor == e->actor || !years_overlap(p, e))) ||
                  /* one word, a verb and a noun predicate: context chooses */
                  (p->type == LX_PRED && e->type == LX_PRED &&
                   VEC_AT(&lx->frames, lx_frame, p->frame).kind != VEC_AT(&lx->frames, lx_frame, e->frame).kind) ||
                  (same_meaning && p->line == e->line && p->file == e->file);
        if (!ok)
            diag_msg(lx, lx->strict || !same_meaning ? lx->strict : false, c->rl->file, c->rl->line,
                     "duplicate phrase '%s' in %s (also %s:%u)", exp, l->code,
                     intern_str(&lx->names, p->file, NULL), p->line);
        if (!ok && same_meaning)
            return 0; /* same meaning twice: keep one */
    } else if (u64map_put(&l->dup, h, eidx + 1)) {
        return -1;
    }
add:;
    uint32_t node = 0;
    for (int i = 0; i < ks.n; i++) {
        node = node_child(l, node, ks.keys[i], true);
        if (!node)
            return -1;
    }
    payload_t *p = vec_push(&l->pay);
    if (!p)
        return -1;
    p->entry = eidx;
    p->next = VEC_AT(&l->pay_head, uint32_t, node);
    VEC_AT(&l->pay_head, uint32_t, node) = (uint32_t)l->pay.len; /* index + 1 */
    return 0;
}

static int add_expanded(void *vc, const char *exp)
{
    addctx_t *c = vc;
    lex_t *lx = c->lx;
    lx_entry *e = vec_push(&lx->entries);
    uint32_t *ph = vec_push(&lx->phrases);
    if (!e || !ph)
        return -1;
    *e = c->proto;
    *ph = intern_add(&lx->names, exp, strlen(exp));
    uint32_t eidx = (uint32_t)lx->entries.len - 1;
    c->count++;
    if (c->lang)
        return add_to_lang(c, c->lang, c->stemmers[c->lang->idx], exp, eidx);
    for (size_t i = 0; i < lx->langs.len; i++) {
        lex_lang_t *l = VEC_AT(&lx->langs, lex_lang_t *, i);
        if (add_to_lang(c, l, c->stemmers[i], exp, eidx))
            return -1;
    }
    return 0;
}

static int resolve_actor(lex_t *lx, const rawline_t *rl, const char *code)
{
    uint32_t id = intern_find(&lx->names, code, strlen(code)), v;
    if (!id || !u64map_get(&lx->actor_by_code, id, &v)) {
        diag_msg(lx, true, rl->file, rl->line,
                 "unknown actor code '%s' (declare it in common/actors.txt)", code);
        return -1;
    }
    return (int)v - 1;
}

static int add_actor_code(lex_t *lx, const rawline_t *rl, int kind, const char *code,
                          const char *display, int stands_for)
{
    uint32_t id = intern_add(&lx->names, code, strlen(code)), v;
    if (!id)
        return -1;
    if (u64map_get(&lx->actor_by_code, id, &v)) {
        diag_msg(lx, true, rl->file, rl->line, "actor code '%s' declared twice", code);
        return 0;
    }
    lx_actor *a = vec_push(&lx->actors);
    if (!a)
        return -1;
    a->code = id;
    a->display = intern_add(&lx->names, display, strlen(display));
    a->kind = (uint8_t)kind;
    a->stands_for = (uint16_t)(stands_for < 0 ? 0xFFFF : stands_for);
    return u64map_put(&lx->actor_by_code, id, (uint32_t)lx->actors.len);
}

static bool valid_code(int kind, const char *s)
{
    size_t n = strlen(s);
    if (kind == AK_STATE) {
        if (n != 3)
            return false;
        for (size_t i = 0; i < 3; i++)
            if (s[i] < 'A' || s[i] > 'Z')
                return false;
        return true;
    }
    if (!n || n > 48)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* Pass 1: registry, categories and languages. */
static int load_registry_line(lex_t *lx, rawline_t *rl, int type)
{
    char *name = rl->phrases ? rl->phrases : (char *)"";
    if (type == LX_STATE || type == LX_ORG || type == LX_IGO || type == LX_MEDIA) {
        int kind = type == LX_STATE ? AK_STATE : type == LX_ORG ? AK_ORG : type == LX_IGO ? AK_IGO : AK_MEDIA;
        if (rl->nhead != 2 || !valid_code(kind, rl->head[1])) {
            diag_msg(lx, true, rl->file, rl->line, "expected '%s CODE : Display name'", rl->head[0]);
            return 0;
        }
        char code[64];
        snprintf(code, sizeof code, "%s%s", kind == AK_MEDIA ? "media:" : "", rl->head[1]);
        return add_actor_code(lx, rl, kind, code, name, -1);
    }
    if (type == LX_COMPANY) {
        if (rl->nhead != 3 || !valid_code(AK_COMPANY, rl->head[1])) {
            diag_msg(lx, true, rl->file, rl->line, "expected 'company slug STATE : Display name'");
            return 0;
        }
        return add_actor_code(lx, rl, AK_COMPANY, rl->head[1], name, -2);
    }
    return 0;
}

static int link_companies(lex_t *lx, rawline_t *rl)
{
    int self = lex_actor_find(lx, rl->head[1]);
    int st = resolve_actor(lx, rl, rl->head[2]);
    if (self < 0 || st < 0)
        return 0;
    VEC_AT(&lx->actors, lx_actor, self).stands_for = (uint16_t)st;
    return 0;
}

static int parse_years(const char *s, uint16_t *a, uint16_t *b)
{
    unsigned x, y;
    if (sscanf(s, "%u-%u", &x, &y) == 2 && x >= 1900 && y >= x && y <= 2100) {
        *a = (uint16_t)x;
        *b = (uint16_t)y;
        return 0;
    }
    if (sscanf(s, "%u", &x) == 1 && x >= 1900 && x <= 2100 && !strchr(s, '-')) {
        *a = *b = (uint16_t)x;
        return 0;
    }
    return -1;
}

static int slot_from(const char *s, size_t n)
{
    for (int i = 0; i < S_COUNT; i++)
        if (strlen(SLOT_NAMES[i]) == n && !memcmp(SLOT_NAMES[i], s, n))
            return i;
    return -1;
}

static int role_from(const char *s)
{
    for (int i = 0; i <= R_HOLDER; i++)
        if (!strcmp(ROLE_NAMES[i], s))
            return i;
    return -1;
}

/* case=nom,gen,dat,acc,ins,loc: returns -1 (reported) on an unknown case */
static int parse_cases(lex_t *lx, const rawline_t *rl, lx_entry *e)
{
    static const char *const names[] = {"nom", "gen", "dat", "acc", "ins", "loc"};
    const char *v = attr(rl, "case");
    if (!v)
        return 0;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%s", v);
    char *save = NULL;
    for (char *p = strtok_r(tmp, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        int k = -1;
        for (int i = 0; i < 6; i++)
            if (!strcmp(p, names[i]))
                k = i;
        if (k < 0) {
            diag_msg(lx, true, rl->file, rl->line, "unknown case '%s' (nom gen dat acc ins loc)", p);
            return -1;
        }
        e->cases |= (uint8_t)(1 << k);
    }
    return 0;
}

/* Pass 2: an entry line; lang NULL = common (every language). */
static int load_entry_line(lex_t *lx, lex_lang_t *lang, stemmer_t **stemmers, rawline_t *rl, int type)
{
    addctx_t c = {.lx = lx, .lang = lang, .stemmers = stemmers, .rl = rl};
    lx_entry *e = &c.proto;
    e->type = (uint8_t)type;
    e->file = intern_add(&lx->names, rl->file, strlen(rl->file));
    e->line = rl->line;
    e->year_from = 0;
    e->year_to = 9999;
    const char *H1 = rl->nhead > 1 ? rl->head[1] : NULL;
    switch (type) {
    case LX_ACTOR: case LX_ACTOR_ADJ: case LX_ACTOR_SEAT: case LX_ACTOR_BODY: case LX_PERSON: {
        if (!H1) {
            diag_msg(lx, true, rl->file, rl->line, "'%s' needs an actor code", rl->head[0]);
            return 0;
        }
        int a = resolve_actor(lx, rl, H1);
        if (a < 0)
            return 0;
        e->actor = (uint16_t)a;
        if (parse_cases(lx, rl, e))
            return 0;
        if (type == LX_PERSON) {
            if (rl->nhead < 3 || parse_years(rl->head[2], &e->year_from, &e->year_to)) {
                diag_msg(lx, true, rl->file, rl->line, "expected 'person CODE YYYY-YYYY : names'");
                return 0;
            }
        }
        break;
    }
    case LX_ITEM: case LX_CALIBRE: case LX_DESIG: {
        int cat = H1 ? cat_from_name(H1, strlen(H1)) : 0;
        if (!cat) {
            diag_msg(lx, true, rl->file, rl->line, "unknown category '%s' (see spec: one of the 18)",
                     H1 ? H1 : "");
            return 0;
        }
        e->cat = (uint8_t)cat;
        if (type == LX_ITEM) {
            const char *v = attr(rl, "vague");
            if (v) {
                if (!strcmp(v, "sentence"))
                    e->sub = VAGUE_SENTENCE;
                else if (!strcmp(v, "doc"))
                    e->sub = VAGUE_DOC;
                else
                    diag_msg(lx, true, rl->file, rl->line, "vague= must be 'sentence' or 'doc'");
            }
            if (has_flag(rl, "domain"))
                e->flags |= LXF_DOMAIN;
        }
        if (type == LX_DESIG) {
            if (rl->nhead < 3) {
                diag_msg(lx, true, rl->file, rl->line, "expected 'designation CATEGORY PRODUCER : names'");
                return 0;
            }
            if (strcmp(rl->head[2], "-")) {
                char tmp[64];
                snprintf(tmp, sizeof tmp, "%s", rl->head[2]);
                int k = 0;
                char *save = NULL;
                for (char *p = strtok_r(tmp, ",|", &save); p && k < 2; p = strtok_r(NULL, ",|", &save)) {
                    int a = resolve_actor(lx, rl, p);
                    if (a >= 0)
                        e->prod[k++] = (uint16_t)(a + 1);
                }
            }
            /* canonical name: the first phrase */
            if (rl->phrases) {
                const char *bar = strchr(rl->phrases, '|');
                size_t n = bar ? (size_t)(bar - rl->phrases) : strlen(rl->phrases);
                while (n && rl->phrases[n - 1] == ' ')
                    n--;
                const char *nm = attr(rl, "name");
                e->canon = nm ? intern_add(&lx->names, nm, strlen(nm)) : intern_add(&lx->names, rl->phrases, n);
            }
        }
        break;
    }
    case LX_TECH: case LX_ORIGIN:
        if (!H1 || (strcmp(H1, "before") && strcmp(H1, "after"))) {
            diag_msg(lx, true, rl->file, rl->line, "'%s' takes 'before' or 'after'", rl->head[0]);
            return 0;
        }
        e->sub = !strcmp(H1, "before") ? POS_BEFORE : POS_AFTER;
        break;
    case LX_MARK: {
        if (parse_cases(lx, rl, e))
            return 0;
        int s = H1 ? slot_from(H1, strlen(H1)) : -1;
        if (s < S_DEST && s != S_POSS) {
            diag_msg(lx, true, rl->file, rl->line,
                     "unknown mark slot '%s' (dest src agent with of between loc)", H1 ? H1 : "");
            return 0;
        }
        e->sub = (uint8_t)s;
        break;
    }
    case LX_CUE: {
        int k = 0;
        for (int i = 1; i < CUE_COUNT; i++)
            if (H1 && !strcmp(H1, CUE_NAMES[i]))
                k = i;
        if (!k) {
            diag_msg(lx, true, rl->file, rl->line, "unknown cue kind '%s'", H1 ? H1 : "");
            return 0;
        }
        e->sub = (uint8_t)k;
        break;
    }
    case LX_APPROX: {
        int k = -1;
        for (int i = 0; i <= APX_UPTO; i++)
            if (H1 && !strcmp(H1, APX_NAMES[i]))
                k = i;
        if (k < 0) {
            diag_msg(lx, true, rl->file, rl->line, "unknown approx kind '%s'", H1 ? H1 : "");
            return 0;
        }
        e->sub = (uint8_t)k;
        break;
    }
    case LX_NUMBER: {
        char *end = NULL;
        e->num = H1 ? strtod(H1, &end) : 0;
        if (!H1 || !end || *end) {
            diag_msg(lx, true, rl->file, rl->line, "expected 'number VALUE [scale] : words'");
            return 0;
        }
        if (has_flag(rl, "scale"))
            e->flags |= LXF_SCALE;
        break;
    }
    case LX_PRED: {
        if (rl->nhead < 3 || (strcmp(rl->head[2], "verb") && strcmp(rl->head[2], "noun"))) {
            diag_msg(lx, true, rl->file, rl->line, "expected 'pred NAME verb|noun slot=role ... : words'");
            return 0;
        }
        lx_frame *f = vec_push(&lx->frames);
        if (!f)
            return -1;
        f->name = intern_add(&lx->names, rl->head[1], strlen(rl->head[1]));
        f->kind = rl->head[2][0];
        for (int i = 3; i < rl->nhead; i++) {
            char *eq = strchr(rl->head[i], '=');
            if (!eq) {
                diag_msg(lx, true, rl->file, rl->line, "'%s': expected slot=role", rl->head[i]);
                continue;
            }
            if (!strncmp(rl->head[i], "only=", 5)) {
                int oc = cat_from_name(rl->head[i] + 5, strlen(rl->head[i] + 5));
                if (!oc)
                    diag_msg(lx, true, rl->file, rl->line, "only= takes a category");
                f->only = (uint8_t)oc;
                continue;
            }
            if (!strcmp(rl->head[i], "bare=weapons")) {
                f->bare = true;
                continue;
            }
            if (!strcmp(rl->head[i], "tense=present")) {
                f->present = true;
                continue;
            }
            if (!strcmp(rl->head[i], "exchange=yes")) {
                f->exchange = true;
                continue;
            }
            if (!strncmp(rl->head[i], "mod", 3) && eq - rl->head[i] == 3) {
                if (!strcmp(eq + 1, "potential"))
                    f->mod = MOD_POTENTIAL;
                else if (!strcmp(eq + 1, "denied"))
                    f->mod = MOD_DENIED;
                else
                    diag_msg(lx, true, rl->file, rl->line, "mod= must be potential or denied");
                continue;
            }
            int s = slot_from(rl->head[i], (size_t)(eq - rl->head[i]));
            int r = role_from(eq + 1);
            if (s < 0 || r < 0) {
                diag_msg(lx, true, rl->file, rl->line, "'%s': unknown slot or role", rl->head[i]);
                continue;
            }
            f->role[s] = (uint8_t)r;
            if (r == R_HOLDER)
                f->possession = true;
        }
        e->frame = (uint16_t)(lx->frames.len - 1);
        break;
    }
    case LX_DATE: {
        /* date month N | date days N | date months N | date years N */
        static const char *const kinds[] = {"", "month", "days", "months", "years"};
        int k = 0;
        for (int i = 1; i < 5; i++)
            if (H1 && !strcmp(H1, kinds[i]))
                k = i;
        char *end = NULL;
        long v = rl->nhead > 2 ? strtol(rl->head[2], &end, 10) : 0;
        if (!k || rl->nhead != 3 || !end || *end || (k == DATE_MONTH && (v < 1 || v > 12))) {
            diag_msg(lx, true, rl->file, rl->line, "expected 'date month 1-12|days N|months N|years N : words'");
            return 0;
        }
        e->sub = (uint8_t)k;
        e->num = (double)v;
        break;
    }
    case LX_CLAUSE:
        if (has_flag(rl, "invert"))
            e->flags |= LXF_INVERT;
        break;
    default:
        break;
    }
    if (!rl->phrases || !*rl->phrases) {
        diag_msg(lx, true, rl->file, rl->line, "no phrases after ' : '");
        return 0;
    }
    /* split on | and expand braces */
    char *list = strdup(rl->phrases);
    if (!list)
        return -1;
    char *save = NULL;
    int rc = 0;
    for (char *p = strtok_r(list, "|", &save); p; p = strtok_r(NULL, "|", &save)) {
        p = trim(p);
        if (!*p) {
            diag_msg(lx, true, rl->file, rl->line, "empty phrase between '|'");
            continue;
        }
        if ((rc = expand(p, add_expanded, &c, 0)))
            break;
    }
    free(list);
    return rc;
}

/* Sets (abbrev, stop), ending tables and suffixes: not phrases of the trie. */
static int load_set_line(lex_t *lx, lex_lang_t *lang, rawline_t *rl, int type)
{
    if (!lang) {
        diag_msg(lx, true, rl->file, rl->line, "'%s' belongs in a language folder", rl->head[0]);
        return 0;
    }
    if (!rl->phrases) {
        diag_msg(lx, true, rl->file, rl->line, "no phrases after ' : '");
        return 0;
    }
    char *list = strdup(rl->phrases);
    if (!list)
        return -1;
    char *save = NULL;
    buf_t f = {0};
    for (char *p = strtok_r(list, "|", &save); p; p = strtok_r(NULL, "|", &save)) {
        p = trim(p);
        if (!*p)
            continue;
        buf_clear(&f);
        if (*p == '-' && (type == LX_ENDING || type == LX_SUFFIX))
            p++;
        /* participle endings keep their accents: "-é" is not "-e" */
        if (type == LX_SUFFIX && rl->nhead > 1 && !strcmp(rl->head[1], "participle"))
            buf_puts(&f, p);
        else
            fold_append(p, strlen(p), &f);
        if (type == LX_ENDING || type == LX_SUFFIX) {
            char *s = strdup(buf_cstr(&f));
            const char *kind = rl->nhead > 1 ? rl->head[1] : "";
            vec_t *dst = type == LX_ENDING              ? &lang->endings
                         : !strcmp(kind, "active")     ? &lang->suffix_act
                         : !strcmp(kind, "participle") ? &lang->suffix_part
                                                       : &lang->suffix_pot;
            if (type == LX_SUFFIX && strcmp(kind, "active") && strcmp(kind, "potential") &&
                strcmp(kind, "participle")) {
                diag_msg(lx, true, rl->file, rl->line, "suffix takes 'potential', 'active' or 'participle'");
                break;
            }
            char **slot = vec_push(dst);
            if (!s || !slot) {
                free(s);
                free(list);
                buf_free(&f);
                return -1;
            }
            *slot = s;
        } else {
            uint32_t k = key_add(lx, K_EXACT, f.data ? f.data : "", f.len);
            u64map_put(type == LX_ABBREV ? &lang->abbrev : &lang->stop, k, 1);
        }
    }
    buf_free(&f);
    free(list);
    return 0;
}

typedef struct {
    char *path;
    char *lang;   /* NULL = common */
} datafile_t;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_txt(const char *dir, vec_t *out)
{
    vec_t names;
    vec_init(&names, sizeof(char *));
    int rc = dir_names(dir, &names);
    for (size_t i = 0; !rc && i < names.len; i++) {
        const char *nm = VEC_AT(&names, char *, i);
        size_t n = strlen(nm);
        if (n > 4 && !strcmp(nm + n - 4, ".txt")) {
            char **p = vec_push(out);
            size_t need = strlen(dir) + n + 2;
            if (!p || !(*p = malloc(need))) {
                rc = -1;
                break;
            }
            snprintf(*p, need, "%s/%s", dir, nm);
        }
    }
    dir_names_free(&names);
    return rc;
}

typedef int (*line_fn)(lex_t *lx, lex_lang_t *lang, stemmer_t **st, rawline_t *rl, int type, int pass);

static int for_lines(lex_t *lx, const char *path, lex_lang_t *lang, stemmer_t **st, int pass, line_fn fn)
{
    buf_t b = {0};
    if (file_read_all(path, &b)) {
        diag_msg(lx, true, path, 0, "cannot read: %s", strerror(errno));
        buf_free(&b);
        return 0;
    }
    if (utf8_invalid_count(b.data ? b.data : "", b.len)) {
        diag_msg(lx, true, path, 0, "not valid UTF-8; save the file as UTF-8");
        buf_free(&b);
        return 0;
    }
    char *s = (char *)buf_cstr(&b), *save = NULL;
    unsigned line = 0;
    int rc = 0;
    char *p = s;
    while (p && *p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        line++;
        char *t = trim(p);
        if (*t && *t != '#') {
            rawline_t rl = {.file = path, .line = line};
            if (parse_line(t, &rl)) {
                if (pass == 2)
                    diag_msg(lx, true, path, line, "malformed line (expected 'TYPE ... : phrases')");
            } else {
                int type = type_from_name(rl.head[0]);
                if (type < 0) {
                    if (pass == 2)
                        diag_msg(lx, true, path, line, "unknown type '%s'", rl.head[0]);
                } else if ((rc = fn(lx, lang, st, &rl, type, pass))) {
                    break;
                }
            }
        }
        p = nl ? nl + 1 : NULL;
    }
    (void)save;
    buf_free(&b);
    return rc;
}

static bool is_date(const char *s)
{
    return strlen(s) == 10 && s[4] == '-' && s[7] == '-';
}

/* embargo TARGET BODY to|from|both FROM TO : legal act */
static int load_embargo(lex_t *lx, rawline_t *rl)
{
    if (rl->nhead != 6 || !rl->phrases || !*rl->phrases) {
        diag_msg(lx, true, rl->file, rl->line,
                 "expected 'embargo TARGET BODY to|from|both YYYY-MM-DD YYYY-MM-DD|- : legal act'");
        return 0;
    }
    int a = resolve_actor(lx, rl, rl->head[1]);
    if (a < 0)
        return 0;
    const char *dir = rl->head[3], *from = rl->head[4], *to = rl->head[5];
    if ((strcmp(dir, "to") && strcmp(dir, "from") && strcmp(dir, "both")) || !is_date(from) ||
        (strcmp(to, "-") && !is_date(to)) || strlen(rl->head[2]) >= 8) {
        diag_msg(lx, true, rl->file, rl->line, "embargo: direction to|from|both, dates YYYY-MM-DD (to may be -)");
        return 0;
    }
    lx_embargo *e = vec_push(&lx->embargoes);
    if (!e)
        return -1;
    e->target = (uint16_t)a;
    snprintf(e->body, sizeof e->body, "%s", rl->head[2]);
    snprintf(e->dir, sizeof e->dir, "%s", dir);
    snprintf(e->from, sizeof e->from, "%s", from);
    snprintf(e->to, sizeof e->to, "%s", strcmp(to, "-") ? to : "9999-12-31");
    e->act = intern_add(&lx->names, rl->phrases, strlen(rl->phrases));
    return 0;
}

/* bound BODY : CODE CODE ... (the states bound by that body's embargoes) */
static int load_bound(lex_t *lx, rawline_t *rl)
{
    if (rl->nhead != 2 || strlen(rl->head[1]) >= 8 || !rl->phrases) {
        diag_msg(lx, true, rl->file, rl->line, "expected 'bound BODY : CODE CODE ...'");
        return 0;
    }
    char *list = strdup(rl->phrases), *save = NULL;
    if (!list)
        return -1;
    for (char *p = strtok_r(list, " |", &save); p; p = strtok_r(NULL, " |", &save)) {
        int a = resolve_actor(lx, rl, p);
        lx_bound *b = a >= 0 ? vec_push(&lx->bound) : NULL;
        if (b) {
            snprintf(b->body, sizeof b->body, "%s", rl->head[1]);
            b->actor = a;
        }
    }
    free(list);
    return 0;
}

bool lex_bound_by(const lex_t *lx, const char *body, int actor)
{
    bool listed = false;
    for (size_t i = 0; i < lx->bound.len; i++) {
        const lx_bound *b = &VEC_AT(&lx->bound, lx_bound, i);
        if (strcmp(b->body, body))
            continue;
        listed = true;
        if (b->actor == actor)
            return true;
    }
    return !listed;
}

static int pass_fn(lex_t *lx, lex_lang_t *lang, stemmer_t **st, rawline_t *rl, int type, int pass)
{
    bool reg = type == LX_STATE || type == LX_ORG || type == LX_IGO || type == LX_MEDIA || type == LX_COMPANY;
    if (pass == 0) { /* language settings */
        if (type == LX_LANG && lang) {
            const char *s = attr(rl, "stemmer");
            if (s)
                snprintf(lang->stemmer, sizeof lang->stemmer, "%s", s);
            const char *vf = attr(rl, "verb_final");
            lang->verb_final = vf && !strcmp(vf, "yes");
        }
        if (type == LX_ENDING)
            return load_set_line(lx, lang, rl, type);
        return 0;
    }
    if (pass == 1) {
        if (reg)
            return load_registry_line(lx, rl, type);
        if (type == LX_CATEGORY) {
            int cat = rl->nhead > 1 ? cat_from_name(rl->head[1], strlen(rl->head[1])) : 0;
            if (!cat) {
                diag_msg(lx, true, rl->file, rl->line, "unknown category");
                return 0;
            }
            const char *cov = attr(rl, "covers"), *tech = attr(rl, "tech");
            if (cov) {
                char tmp[512];
                snprintf(tmp, sizeof tmp, "%s", cov);
                char *save = NULL;
                for (char *p = strtok_r(tmp, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
                    if (!strcmp(p, "*")) {
                        lx->covers[cat] = ~0u & ~(1u << cat);
                        continue;
                    }
                    int c2 = cat_from_name(p, strlen(p));
                    if (!c2)
                        diag_msg(lx, true, rl->file, rl->line, "unknown category '%s' in covers", p);
                    else
                        lx->covers[cat] |= 1u << c2;
                }
            }
            if (tech) {
                int c2 = cat_from_name(tech, strlen(tech));
                if (!c2)
                    diag_msg(lx, true, rl->file, rl->line, "unknown category '%s' in tech", tech);
                lx->tech[cat] = (uint8_t)c2;
            }
        }
        return 0;
    }
    if (pass == 2) {
        if (type == LX_COMPANY)
            return link_companies(lx, rl);
        if (reg || type == LX_CATEGORY || type == LX_LANG || type == LX_ENDING)
            return 0;
        if (type == LX_ABBREV || type == LX_STOP || type == LX_SUFFIX)
            return load_set_line(lx, lang, rl, type);
        if (type == LX_EMBARGO)
            return load_embargo(lx, rl);
        if (type == LX_BOUND)
            return load_bound(lx, rl);
        return load_entry_line(lx, lang, st, rl, type);
    }
    return 0;
}

lex_t *lex_load(const char *dir, bool strict, lx_diag *diag)
{
    /* a compiled copy of exactly these files, when there is one (never for
     * a lint: dict check reads the text) */
    uint64_t cache_key = strict ? 0 : lexcache_hash(dir);
    if (!strict) {
        lex_t *cached = lexcache_load(dir, cache_key);
        if (cached)
            return cached;
    }
    lex_t *lx = calloc(1, sizeof *lx);
    if (!lx)
        return NULL;
    lx->strict = strict;
    lx->diag = diag;
    intern_init(&lx->names);
    intern_init(&lx->keys);
    vec_init(&lx->actors, sizeof(lx_actor));
    vec_init(&lx->entries, sizeof(lx_entry));
    vec_init(&lx->phrases, sizeof(uint32_t));
    vec_init(&lx->frames, sizeof(lx_frame));
    vec_init(&lx->langs, sizeof(lex_lang_t *));
    vec_init(&lx->embargoes, sizeof(lx_embargo));
    vec_init(&lx->bound, sizeof(lx_bound));
    vec_t files;
    vec_init(&files, sizeof(datafile_t));
    vec_t names;
    vec_init(&names, sizeof(char *));
    stemmer_t **stemmers = NULL;
    bool fail = false;

    /* languages: every folder except common */
    DIR *d = opendir(dir);
    if (!d) {
        diag_msg(lx, true, dir, 0, "cannot open data folder: %s (use --data DIR or ARMSCOPE_DATA)",
                 strerror(errno));
        lex_free(lx);
        return NULL;
    }
    struct dirent *de;
    vec_t langdirs;
    vec_init(&langdirs, sizeof(char *));
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || !strcmp(de->d_name, "common"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(path, &st) || !S_ISDIR(st.st_mode) || strlen(de->d_name) >= 8)
            continue;
        char **p = vec_push(&langdirs);
        if (!p || !(*p = strdup(de->d_name))) {
            closedir(d);
            fail = true;
            goto done;
        }
    }
    closedir(d);
    as_sort(langdirs.data, langdirs.len, sizeof(char *), cmp_str);
    for (size_t i = 0; i < langdirs.len; i++) {
        lex_lang_t *l = calloc(1, sizeof *l);
        lex_lang_t **slot = vec_push(&lx->langs);
        if (!l || !slot) {
            free(l);
            fail = true;
            goto done;
        }
        *slot = l;
        l->lx = lx;
        l->idx = (uint32_t)i;
        snprintf(l->code, sizeof l->code, "%s", VEC_AT(&langdirs, char *, i));
        vec_init(&l->endings, sizeof(char *));
        vec_init(&l->suffix_pot, sizeof(char *));
        vec_init(&l->suffix_act, sizeof(char *));
        vec_init(&l->suffix_part, sizeof(char *));
        vec_init(&l->pay_head, sizeof(uint32_t));
        vec_init(&l->pay, sizeof(payload_t));
        vec_push(&l->pay_head); /* root */
    }
    /* files: common first, then each language */
    {
        char path[4096];
        snprintf(path, sizeof path, "%s/common", dir);
        size_t before = names.len;
        list_txt(path, &names);
        for (size_t i = before; i < names.len; i++) {
            datafile_t *f = vec_push(&files);
            f->path = VEC_AT(&names, char *, i);
            f->lang = NULL;
        }
        for (size_t li = 0; li < langdirs.len; li++) {
            snprintf(path, sizeof path, "%s/%s", dir, VEC_AT(&langdirs, char *, li));
            before = names.len;
            list_txt(path, &names);
            for (size_t i = before; i < names.len; i++) {
                datafile_t *f = vec_push(&files);
                f->path = VEC_AT(&names, char *, i);
                f->lang = VEC_AT(&langdirs, char *, li);
            }
        }
    }
    stemmers = calloc(lx->langs.len + 1, sizeof *stemmers);
    if (!stemmers) {
        fail = true;
        goto done;
    }
    for (int pass = 0; pass <= 2 && !fail; pass++) {
        for (size_t i = 0; i < files.len; i++) {
            datafile_t *f = &VEC_AT(&files, datafile_t, i);
            lex_lang_t *l = f->lang ? (lex_lang_t *)lex_lang_find(lx, f->lang) : NULL;
            if (for_lines(lx, f->path, l, stemmers, pass, pass_fn)) {
                fail = true;
                break;
            }
        }
        if (pass == 0) {
            for (size_t i = 0; i < lx->langs.len; i++) {
                lex_lang_t *l = VEC_AT(&lx->langs, lex_lang_t *, i);
                if (l->stemmer[0] && !stemmer_algo_known(l->stemmer)) {
                    diag_msg(lx, true, l->code, 0, "unknown stemmer '%s' (libstemmer has: see sb_stemmer_list)",
                             l->stemmer);
                    l->stemmer[0] = 0;
                }
                if (l->stemmer[0] || l->endings.len)
                    stemmers[i] = stemmer_new(l->stemmer[0] ? l->stemmer : NULL,
                                              (const char *const *)l->endings.data, l->endings.len);
            }
        }
    }
    if (lx->actors.len == 0)
        diag_msg(lx, true, dir, 0, "no actor codes: common/actors.txt is missing or empty");
done:
    for (size_t i = 0; stemmers && i < lx->langs.len; i++)
        stemmer_free(stemmers[i]);
    free(stemmers);
    for (size_t i = 0; i < names.len; i++) {
        /* keep file names alive in names intern: they were copied */
        free(VEC_AT(&names, char *, i));
    }
    vec_free(&names);
    vec_free(&files);
    for (size_t i = 0; i < langdirs.len; i++)
        free(VEC_AT(&langdirs, char *, i));
    vec_free(&langdirs);
    for (size_t i = 0; i < lx->langs.len; i++)
        u64map_free(&VEC_AT(&lx->langs, lex_lang_t *, i)->dup);
    if (fail || (diag && diag->errors && strict) || lx->actors.len == 0) {
        lex_free(lx);
        return NULL;
    }
    lx->diag = NULL;
    if (!strict && !(diag && diag->errors))
        lexcache_save(lx, cache_key);
    return lx;
}

void lex_free(lex_t *lx)
{
    if (!lx)
        return;
    lexcache_unmap(lx);
    for (size_t i = 0; i < lx->langs.len; i++) {
        lex_lang_t *l = VEC_AT(&lx->langs, lex_lang_t *, i);
        for (size_t j = 0; j < l->endings.len; j++)
            free(VEC_AT(&l->endings, char *, j));
        for (size_t j = 0; j < l->suffix_pot.len; j++)
            free(VEC_AT(&l->suffix_pot, char *, j));
        for (size_t j = 0; j < l->suffix_act.len; j++)
            free(VEC_AT(&l->suffix_act, char *, j));
        vec_free(&l->suffix_act);
        for (size_t j = 0; j < l->suffix_part.len; j++)
            free(VEC_AT(&l->suffix_part, char *, j));
        vec_free(&l->suffix_part);
        vec_free(&l->endings);
        vec_free(&l->suffix_pot);
        u64map_free(&l->edges);
        vec_free(&l->pay_head);
        vec_free(&l->pay);
        u64map_free(&l->abbrev);
        u64map_free(&l->stop);
        u64map_free(&l->dup);
        free(l);
    }
    vec_free(&lx->langs);
    vec_free(&lx->embargoes);
    vec_free(&lx->bound);
    intern_free(&lx->names);
    intern_free(&lx->keys);
    vec_free(&lx->actors);
    u64map_free(&lx->actor_by_code);
    vec_free(&lx->entries);
    vec_free(&lx->phrases);
    vec_free(&lx->frames);
    free(lx);
}
