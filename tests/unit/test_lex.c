/* test_lex.c - the lexicon: loading small data folders written here (under
 * tests/tmp, removed at the end), matching phrases of every kind, the
 * diagnostics of broken files (file:line), and the real data folder. */
#define _XOPEN_SOURCE 700
#include "armscope.h"
#include "lex/lex.h"
#include "t.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_root[256];   /* tests/tmp/lex-PID */

/* ---- files ---- */

static int mkdirs(const char *path)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0755) && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

/* Writes (mode "w") or appends ("a") content to dir/rel, making folders. */
static void put_file(const char *dir, const char *rel, const char *mode, const char *content)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    char parent[1024];
    snprintf(parent, sizeof parent, "%s", path);
    char *sl = strrchr(parent, '/');
    if (sl) {
        *sl = 0;
        mkdirs(parent);
    }
    FILE *f = fopen(path, mode);
    CHECK(f != NULL, "cannot write %s", path);
    if (f) {
        fputs(content, f);
        fclose(f);
    }
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static void rm_tree(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- a minimal valid folder ---- */

static const char ACTORS_COMMON[] =
    "# registry\n"
    "state RUS : Russia\n"
    "state IRN : Iran\n"
    "state USA : United States\n"
    "state UKR : Ukraine\n"
    "state PRK : North Korea\n"
    "org hamas : Hamas\n"
    "company baykar TUR : Baykar\n"
    "state TUR : Turkey\n";

static const char CATEGORIES[] = "category weapons covers=*\n"
                                 "category missiles covers=ballistic_missiles tech=missile_technology\n";

static const char EN_LANG[] = "# settings\n"
                              "lang en stemmer=english\n"
                              "abbrev : Mr | Gen\n"
                              "stop : the | of | and\n";

static const char EN_ACTORS[] = "actor RUS : Russia | the Russian Federation\n"
                                "actor.adj RUS : Russian\n"
                                "actor.seat RUS : Moscow | the Kremlin\n"
                                "actor IRN : Iran\n"
                                "actor USA : US! | United States\n"
                                "actor UKR : Ukraine\n"
                                "actor.adj PRK : North Korean\n"
                                "actor PRK : North Korea\n"
                                "actor hamas : Hamas\n"
                                "actor baykar : Baykar\n";

static const char EN_ITEMS[] = "item artillery_ammunition : shell{,s}\n"
                               "item missiles vague=doc : missil*\n"
                               "item ballistic_missiles : ballistic missile{,s}\n"
                               "item uav : drone{,s} | Shahed~\n"
                               "designation ballistic_missiles PRK : KN-23\n"
                               "item weapons vague=sentence : weapons | arms\n";

static const char EN_FRAMES[] = "pred supply verb subj=supplier obj=recipient dest=recipient : supply~ | deliver~\n"
                                "mark dest : to\n"
                                "mark src : from\n"
                                "cue neg : not | n't\n";

static void make_valid(const char *dir)
{
    rm_tree(dir);
    put_file(dir, "common/actors.txt", "w", ACTORS_COMMON);
    put_file(dir, "common/categories.txt", "w", CATEGORIES);
    put_file(dir, "en/lang.txt", "w", EN_LANG);
    put_file(dir, "en/actors.txt", "w", EN_ACTORS);
    put_file(dir, "en/items.txt", "w", EN_ITEMS);
    put_file(dir, "en/frames.txt", "w", EN_FRAMES);
}

/* ---- matching helpers ---- */

typedef struct {
    lex_t *lx;
    const lex_lang_t *l;
    lex_scratch_t *sc;
    toklist_t tl;
    vec_t out;
    const char *text;
} mctx;

static void m_run(mctx *m, const char *text)
{
    m->text = text;
    toklist_clear(&m->tl);
    vec_clear(&m->out);
    tokenize(text, strlen(text), 0, &m->tl);
    int r = lex_match(m->lx, m->l, m->sc, &m->tl, text, 0, (uint32_t)m->tl.toks.len, &m->out);
    CHECK(r == 0, "lex_match failed on \"%s\"", text);
}

/* The meaning of entry e: actor code, category, frame name, or "" */
static const char *meaning(const lex_t *lx, const lx_entry *e)
{
    switch (e->type) {
    case LX_ACTOR: case LX_ACTOR_ADJ: case LX_ACTOR_SEAT: case LX_ACTOR_BODY: case LX_PERSON:
        return lex_str(lx, lex_actor(lx, e->actor)->code);
    case LX_ITEM: case LX_DESIG: case LX_CALIBRE:
        return cat_name(e->cat);
    case LX_PRED:
        return lex_str(lx, lex_frame(lx, e->frame)->name);
    default:
        return "";
    }
}

/* True when a match of type `type` meaning `what` covers exactly the words
 * [first, last) of the last text. */
static bool has(const mctx *m, int type, const char *what, uint32_t first, uint32_t last)
{
    for (size_t i = 0; i < m->out.len; i++) {
        const lx_match *x = &VEC_AT(&m->out, lx_match, i);
        const lx_entry *e = lex_entry(m->lx, x->entry);
        if (e->type == type && !strcmp(meaning(m->lx, e), what) && x->first == first && x->last == last)
            return true;
    }
    return false;
}

/* Number of matches of a layer in the last text. */
static size_t count_layer(const mctx *m, int layer)
{
    size_t n = 0;
    for (size_t i = 0; i < m->out.len; i++)
        n += lx_layer(lex_entry(m->lx, VEC_AT(&m->out, lx_match, i).entry)->type) == layer;
    return n;
}

/* All matches of the last text, for failure messages. */
static const char *dump(const mctx *m)
{
    static char s[2048];
    s[0] = 0;
    for (size_t i = 0; i < m->out.len; i++) {
        const lx_match *x = &VEC_AT(&m->out, lx_match, i);
        const lx_entry *e = lex_entry(m->lx, x->entry);
        size_t l = strlen(s);
        snprintf(s + l, sizeof s - l, "%s%s:%s[%u,%u)", i ? " " : "", lx_type_name(e->type), meaning(m->lx, e),
                 x->first, x->last);
    }
    return s;
}

#define HAS(m, type, what, a, b) CHECK(has(m, type, what, a, b), "\"%s\": no %s %s at [%d,%d); got %s", (m)->text, \
                                       lx_type_name(type), what, a, b, dump(m))

/* ---- tests ---- */

static void test_valid(void)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/valid", g_root);
    make_valid(dir);
    lx_diag d = {0};
    lex_t *lx = lex_load(dir, true, &d);
    CHECK(lx != NULL, "minimal folder loads: %s", d.text.data ? d.text.data : "");
    CHECK(d.errors == 0 && d.warnings == 0, "minimal folder is clean: %zu errors, %zu warnings:\n%s", d.errors,
          d.warnings, d.text.data ? d.text.data : "");
    buf_free(&d.text);
    if (!lx)
        return;
    CHECK(lex_lang_count(lx) == 1, "one language, got %zu", lex_lang_count(lx));
    const lex_lang_t *en = lex_lang_find(lx, "en");
    CHECK(en != NULL, "language en found");
    CHECK(lex_lang_find(lx, "common") == NULL, "common is not a language");
    CHECK(lex_actor_find(lx, "RUS") >= 0 && lex_actor_find(lx, "hamas") >= 0, "registry codes found");
    CHECK(lex_actor_find(lx, "ZZZ") < 0, "unknown code not found");
    int bk = lex_actor_find(lx, "baykar"), tur = lex_actor_find(lx, "TUR");
    CHECK(bk >= 0 && tur >= 0 && lex_actor(lx, (uint32_t)bk)->stands_for == tur,
          "company baykar stands for TUR (declared after it)");
    CHECK(lex_actor(lx, (uint32_t)lex_actor_find(lx, "hamas"))->kind == AK_ORG, "hamas is an org");
    CHECK(lex_cat_covers(lx, CAT_MISSILES) & (1u << CAT_BALLISTIC_MISSILES), "missiles covers ballistic_missiles");
    CHECK(lex_cat_covers(lx, CAT_WEAPONS) & (1u << CAT_UAV), "weapons covers everything");
    CHECK(lex_cat_tech(lx, CAT_MISSILES) == CAT_MISSILE_TECHNOLOGY, "missiles tech is missile_technology");
    if (!en) {
        lex_free(lx);
        return;
    }
    CHECK(lex_is_abbrev(en, "mr", 2) && lex_is_abbrev(en, "gen", 3), "abbreviations loaded");
    CHECK(!lex_is_abbrev(en, "iran", 4), "not an abbreviation");
    mctx m = {.lx = lx, .l = en, .sc = lex_scratch_new(lx)};
    toklist_init(&m.tl);
    vec_init(&m.out, sizeof(lx_match));
    CHECK(lex_is_stop(en, m.sc, "the", 3) && !lex_is_stop(en, m.sc, "iran", 4), "stop words loaded");

    /* actor phrases: nouns, adjectives, seats, multi-word */
    m_run(&m, "Iran supplied drones to the Russian Federation.");
    HAS(&m, LX_ACTOR, "IRN", 0, 1);
    HAS(&m, LX_ACTOR, "RUS", 4, 7);
    HAS(&m, LX_ITEM, "uav", 2, 3);
    /* ~ : the stem of supply~ matches supplied, supplies, supplying */
    HAS(&m, LX_PRED, "supply", 1, 2);
    HAS(&m, LX_MARK, "", 3, 4);
    m_run(&m, "Moscow supplies and keeps supplying");
    HAS(&m, LX_ACTOR_SEAT, "RUS", 0, 1);
    HAS(&m, LX_PRED, "supply", 1, 2);
    HAS(&m, LX_PRED, "supply", 4, 5);
    m_run(&m, "the Kremlin delivered Shaheds");
    HAS(&m, LX_ACTOR_SEAT, "RUS", 0, 2);
    HAS(&m, LX_PRED, "supply", 2, 3);
    HAS(&m, LX_ITEM, "uav", 3, 4);
    m_run(&m, "North Korean missiles");
    HAS(&m, LX_ACTOR_ADJ, "PRK", 0, 2);
    /* * : a prefix */
    HAS(&m, LX_ITEM, "missiles", 2, 3);
    m_run(&m, "a missile and missilery");
    HAS(&m, LX_ITEM, "missiles", 1, 2);
    HAS(&m, LX_ITEM, "missiles", 3, 4);
    m_run(&m, "a mis and miss");
    CHECK(count_layer(&m, LY_ITEM) == 0, "prefix needs the whole prefix: %s", dump(&m));
