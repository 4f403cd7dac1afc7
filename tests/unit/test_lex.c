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
    /* ! : the case as written */
    m_run(&m, "the US sent shells");
    HAS(&m, LX_ACTOR, "USA", 1, 2);
    m_run(&m, "they told us about shells");
    CHECK(count_layer(&m, LY_ACTOR) == 0, "\"us\" is not the US: %s", dump(&m));
    m_run(&m, "Us and the Us");
    CHECK(count_layer(&m, LY_ACTOR) == 0, "\"Us\" is not the US: %s", dump(&m));
    /* case and accents are ignored elsewhere */
    m_run(&m, "IRAN and iran and Írán");
    HAS(&m, LX_ACTOR, "IRN", 0, 1);
    HAS(&m, LX_ACTOR, "IRN", 2, 3);
    HAS(&m, LX_ACTOR, "IRN", 4, 5);
    /* {,s}: both forms, nothing else */
    m_run(&m, "a shell, two shells, shelling");
    HAS(&m, LX_ITEM, "artillery_ammunition", 1, 2);
    HAS(&m, LX_ITEM, "artillery_ammunition", 4, 5);
    CHECK(count_layer(&m, LY_ITEM) == 2, "shelling is not a shell: %s", dump(&m));
    m_run(&m, "one drone, many drones");
    HAS(&m, LX_ITEM, "uav", 1, 2);
    HAS(&m, LX_ITEM, "uav", 4, 5);
    /* longest match wins within a layer */
    m_run(&m, "ballistic missiles");
    HAS(&m, LX_ITEM, "ballistic_missiles", 0, 2);
    CHECK(count_layer(&m, LY_ITEM) == 1, "the shorter 'missil*' gives way: %s", dump(&m));
    m_run(&m, "North Korea and North Korean");
    HAS(&m, LX_ACTOR, "PRK", 0, 2);
    HAS(&m, LX_ACTOR_ADJ, "PRK", 3, 5);
    CHECK(count_layer(&m, LY_ACTOR) == 2, "two actor matches: %s", dump(&m));
    /* designations: hyphen and letter/digit boundary optional */
    m_run(&m, "KN-23, KN 23 and KN23");
    HAS(&m, LX_DESIG, "ballistic_missiles", 0, 2);
    HAS(&m, LX_DESIG, "ballistic_missiles", 3, 5);
    HAS(&m, LX_DESIG, "ballistic_missiles", 6, 8);
    /* an organisation and a company */
    m_run(&m, "Hamas and Baykar");
    HAS(&m, LX_ACTOR, "hamas", 0, 1);
    HAS(&m, LX_ACTOR, "baykar", 2, 3);
    /* matching a sub-range of the tokens */
    m_run(&m, "Iran and Russia");
    vec_clear(&m.out);
    lex_match(lx, en, m.sc, &m.tl, m.text, 1, 3, &m.out);
    HAS(&m, LX_ACTOR, "RUS", 2, 3);
    CHECK(!has(&m, LX_ACTOR, "IRN", 0, 1), "tokens before the range are not matched: %s", dump(&m));
    /* entries remember their data file and line */
    m_run(&m, "Ukraine");
    CHECK(m.out.len == 1, "one match for Ukraine: %s", dump(&m));
    if (m.out.len == 1) {
        const lx_entry *e = lex_entry(lx, VEC_AT(&m.out, lx_match, 0).entry);
        const char *file = lex_str(lx, e->file);
        CHECK(file && strstr(file, "en/actors.txt"), "file of the entry: %s", file ? file : "(null)");
        CHECK(e->line == 6, "line of the entry: %u", e->line);
        CHECK_STR(lex_entry_phrase(lx, VEC_AT(&m.out, lx_match, 0).entry), "Ukraine");
    }
    toklist_free(&m.tl);
    vec_free(&m.out);
    lex_scratch_free(m.sc);
    lex_free(lx);
    rm_tree(dir);
}

/* Loads a copy of the valid folder with `line` appended to `file` (strict
 * or not); checks that the diagnostics name file:LINE and contain `word`. */
static void check_broken(const char *name, const char *file, const char *line, unsigned lineno,
                         const char *word, bool strict)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", g_root, name);
    make_valid(dir);
    put_file(dir, file, "a", line);
    lx_diag d = {0};
    lex_t *lx = lex_load(dir, strict, &d);
    const char *t = d.text.data ? d.text.data : "";
    char where[640];
    snprintf(where, sizeof where, "%s/%s:%u:", dir, file, lineno);
    CHECK(d.errors >= 1, "%s: an error is counted (%zu):\n%s", name, d.errors, t);
    CHECK(strstr(t, where) != NULL, "%s: the message names %s:\n%s", name, where, t);
    CHECK(strstr(t, word) != NULL, "%s: the message says '%s':\n%s", name, word, t);
    if (strict)
        CHECK(lx == NULL, "%s: strict load fails", name);
    lex_free(lx);
    buf_free(&d.text);
    rm_tree(dir);
}

static unsigned lines_of(const char *s)
{
    unsigned n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void test_broken(void)
{
    unsigned act = lines_of(EN_ACTORS) + 1, items = lines_of(EN_ITEMS) + 1, fr = lines_of(EN_FRAMES) + 1;
    /* the same phrase with another meaning in the same layer */
    check_broken("dup", "en/actors.txt", "actor UKR : Moscow\n", act, "duplicate phrase 'Moscow'", true);
    check_broken("dup2", "en/items.txt", "item uav : shells\n", items, "duplicate phrase 'shells'", true);
    check_broken("code", "en/actors.txt", "actor ZZZ : Zedland\n", act, "unknown actor code 'ZZZ'", false);
    check_broken("cat", "en/items.txt", "item blasters : blaster\n", items, "unknown category 'blasters'", false);
    check_broken("type", "en/frames.txt", "widget RUS : gizmo\n", fr, "unknown type 'widget'", false);
    check_broken("nocolon", "en/actors.txt", "actor RUS Russia\n", act, " : ", false);
    check_broken("badcode", "common/actors.txt", "state rus : Russia again\n", lines_of(ACTORS_COMMON) + 1,
                 "state CODE", false);
    check_broken("twice", "common/actors.txt", "state RUS : Russia\n", lines_of(ACTORS_COMMON) + 1,
                 "declared twice", false);
    check_broken("prefix", "en/items.txt", "item uav : dr*\n", items, "three letters", false);
    check_broken("slot", "en/frames.txt", "pred give verb subj=donor : give~\n", fr, "unknown slot or role", false);
    check_broken("cue", "en/frames.txt", "cue maybe : perhaps\n", fr, "unknown cue kind", false);
    check_broken("mark", "en/frames.txt", "mark above : over\n", fr, "unknown mark slot", false);
    check_broken("empty", "en/items.txt", "item uav : drones |  | UAVs\n", items, "empty phrase", false);

    /* not strict: a duplicate with another meaning is a warning, the folder loads */
    char dir[512];
    snprintf(dir, sizeof dir, "%s/dupwarn", g_root);
    make_valid(dir);
    put_file(dir, "en/actors.txt", "a", "actor UKR : Moscow\n");
    lx_diag d = {0};
    lex_t *lx = lex_load(dir, false, &d);
    CHECK(lx != NULL, "not strict: loads despite a duplicate");
    CHECK(d.errors == 0 && d.warnings >= 1, "not strict: duplicate is a warning (%zu errors, %zu warnings)",
          d.errors, d.warnings);
    CHECK(d.text.data && strstr(d.text.data, "warning"), "not strict: says warning: %s",
          d.text.data ? d.text.data : "");
    lex_free(lx);
    buf_free(&d.text);
    /* the same phrase twice with the same meaning on one line is harmless */
    make_valid(dir);
    put_file(dir, "en/items.txt", "a", "item uav : UAV | UAV\n");
    memset(&d, 0, sizeof d);
    lx = lex_load(dir, false, &d);
    CHECK(lx != NULL && d.errors == 0, "same phrase twice on one line loads: %s", d.text.data ? d.text.data : "");
    lex_free(lx);
    buf_free(&d.text);
    /* a file that is not UTF-8 */
    make_valid(dir);
    put_file(dir, "en/items.txt", "a", "item uav : dr\xf4nes\xff\n");
    memset(&d, 0, sizeof d);
    lx = lex_load(dir, true, &d);
    CHECK(lx == NULL && d.errors >= 1 && d.text.data && strstr(d.text.data, "en/items.txt") &&
              strstr(d.text.data, "UTF-8"),
          "invalid UTF-8 in a data file is reported: %s", d.text.data ? d.text.data : "");
    lex_free(lx);
    buf_free(&d.text);
    /* a folder without a registry */
    rm_tree(dir);
    put_file(dir, "en/lang.txt", "w", EN_LANG);
    memset(&d, 0, sizeof d);
    lx = lex_load(dir, false, &d);
    CHECK(lx == NULL && d.text.data && strstr(d.text.data, "actors.txt"), "no registry: says common/actors.txt: %s",
          d.text.data ? d.text.data : "");
    lex_free(lx);
    buf_free(&d.text);
    rm_tree(dir);
    /* a missing folder */
    snprintf(dir, sizeof dir, "%s/none", g_root);
    memset(&d, 0, sizeof d);
    lx = lex_load(dir, false, &d);
    CHECK(lx == NULL && d.text.data && strstr(d.text.data, dir), "missing folder named: %s",
          d.text.data ? d.text.data : "");
    buf_free(&d.text);
}

static void test_data_check(void)
{
    char *out = NULL;
    int n = as_data_check("data", &out);
    CHECK(n == 0, "the real data folder is clean in strict mode: %d errors:\n%.2000s", n, out ? out : "");
    free(out);
    /* the real data also loads through lex_load, strictly, with every language */
    lx_diag d = {0};
    lex_t *lx = lex_load("data", true, &d);
    CHECK(lx != NULL && d.errors == 0, "lex_load(data, strict)");
    CHECK(lx && lex_lang_find(lx, "en") && lex_lang_find(lx, "fr"), "data has en and fr");
    lex_free(lx);
    buf_free(&d.text);

    char dir[512];
    snprintf(dir, sizeof dir, "%s/check", g_root);
    make_valid(dir);
    out = NULL;
    n = as_data_check(dir, &out);
    CHECK(n == 0, "as_data_check on the minimal folder: %d:\n%s", n, out ? out : "");
    free(out);
    put_file(dir, "en/items.txt", "a", "item lasers : laser\n");
    out = NULL;
    n = as_data_check(dir, &out);
    char where[640];
    snprintf(where, sizeof where, "%s/en/items.txt:%u:", dir, lines_of(EN_ITEMS) + 1);
    CHECK(n > 0, "as_data_check on a broken folder: %d", n);
    CHECK(out && strstr(out, where), "as_data_check names %s:\n%s", where, out ? out : "");
    free(out);
    rm_tree(dir);
    out = NULL;
    n = as_data_check(dir, &out);
    CHECK(n != 0 && out && *out, "as_data_check on a missing folder fails with a message: %d", n);
    free(out);
}

int main(void)
{
    mkdirs("tests/tmp");
    snprintf(g_root, sizeof g_root, "tests/tmp/lex-%d", (int)getpid());
    mkdirs(g_root);
    test_valid();
    test_broken();
    test_data_check();
    rm_tree(g_root);
    rmdir("tests/tmp"); /* only when empty: other tests may use it */
    return t_done();
}
