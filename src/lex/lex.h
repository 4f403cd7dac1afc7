/* lex.h - the lexicon: data files parsed, checked and compiled into one
 * phrase trie per language, matched against token sequences.
 *
 * A lexicon is built once (lex_load) and is then read-only: many threads may
 * match against it at once, each with its own lex_scratch.
 */
#ifndef AS_LEX_H
#define AS_LEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "../util/util.h"
#include "../text/text.h"

/* The categories of the spec, in its order. */
enum {
    CAT_NONE = 0,
    CAT_SMALL_ARMS, CAT_ARTILLERY_AMMUNITION, CAT_ROCKETS, CAT_AMMUNITION, CAT_ARTILLERY,
    CAT_ARMOURED_VEHICLES, CAT_AIRCRAFT, CAT_UAV, CAT_BALLISTIC_MISSILES, CAT_MISSILES,
    CAT_AIR_DEFENCE, CAT_NAVAL, CAT_NUCLEAR_TECHNOLOGY, CAT_MISSILE_TECHNOLOGY,
    CAT_SPACE_TECHNOLOGY, CAT_MILITARY_TECHNOLOGY, CAT_PERSONNEL, CAT_WEAPONS,
    CAT_COUNT
};
const char *cat_name(int cat);
int cat_from_name(const char *s, size_t n);

typedef enum {
    LX_STATE, LX_ORG, LX_IGO, LX_MEDIA, LX_COMPANY, LX_CATEGORY, LX_LANG,
    LX_ACTOR, LX_ACTOR_ADJ, LX_ACTOR_SEAT, LX_ACTOR_BODY, LX_PERSON,
    LX_ITEM, LX_DESIG, LX_TECH, LX_CALIBRE,
    LX_PRED, LX_MARK, LX_ORIGIN, LX_DET, LX_HEAD, LX_CLAUSE, LX_COORD, LX_OTHER,
    LX_NUMBER, LX_APPROX, LX_CUE, LX_PASSIVE, LX_DATE,
    LX_ABBREV, LX_STOP, LX_ENDING, LX_SUFFIX, LX_EMBARGO, LX_BOUND,
    LX_NTYPES
} lx_type;
const char *lx_type_name(int t);

/* Layers: matches of one layer never overlap after resolution. */
enum {
    LY_ACTOR, LY_ITEM, LY_TECH, LY_CALIBRE, LY_PRED, LY_MARK, LY_ORIGIN, LY_DET,
    LY_HEAD, LY_CLAUSE, LY_COORD, LY_OTHER, LY_NUMBER, LY_APPROX, LY_CUE, LY_PASSIVE, LY_DATE, LY_COUNT
};
int lx_layer(int type);

/* frame slots and roles */
enum { S_SUBJ, S_OBJ, S_PSUBJ, S_POSS, S_ADJ, S_DEST, S_SRC, S_AGENT, S_WITH, S_OF,
       S_BETWEEN, S_LOC, S_DAT, S_GEN, S_INS, S_COUNT };
/* grammatical cases of an actor form or required by a marker (case=...) */
enum { CASE_NOM = 1, CASE_GEN = 2, CASE_DAT = 4, CASE_ACC = 8, CASE_INS = 16, CASE_LOC = 32 };
enum { R_NONE, R_SUPPLIER, R_RECIPIENT, R_HOLDER };
const char *slot_name(int s);
const char *role_name(int r);

enum { MOD_FACT, MOD_POTENTIAL, MOD_DENIED };
enum { CUE_POTENTIAL = 1, CUE_NEG, CUE_DENY, CUE_REFUSE, CUE_DOUBT, CUE_SAY,
       CUE_ACCORDING, CUE_REPORT, CUE_CONTENT, CUE_NONE, CUE_PRONOUN, CUE_LIGHT, CUE_AUX,
       CUE_ONGOING, CUE_COUNT };
const char *cue_name(int c);
enum { APX_EXACT, APX_ABOUT, APX_MORE, APX_LESS, APX_UPTO };
const char *approx_name(int a);
enum { AK_STATE, AK_ORG, AK_IGO, AK_MEDIA, AK_COMPANY };
enum { VAGUE_NONE, VAGUE_SENTENCE, VAGUE_DOC };
/* date entries: a month name, or an offset from the document date */
enum { DATE_MONTH = 1, DATE_DAYS, DATE_MONTHS, DATE_YEARS };
enum { POS_BEFORE = 1, POS_AFTER = 2 };

typedef struct {
    uint32_t code;      /* intern id in lex->names: "RUS", "hamas", "media:reuters" */
    uint32_t display;   /* intern id of the display name */
    uint8_t kind;       /* AK_* */
    uint16_t stands_for;/* company: the state it stands for (actor index) */
} lx_actor;

typedef struct {
    uint32_t name;      /* intern id */
    uint8_t kind;       /* 'v' verb, 'n' noun */
    uint8_t mod;        /* MOD_* of the predicate itself */
    uint8_t role[S_COUNT];
    bool possession;    /* a holder frame: no transfer of its own */
    bool exchange;      /* 'in exchange for': the reverse of the frame beside it */
    bool bare;          /* bare=weapons: with both roles and no item, the noun is one */
    uint8_t only;       /* only=CATEGORY: the frame keeps items of that category only */
    bool present;       /* tense=present: finite present-tense forms (German: may read as future) */
} lx_frame;

typedef struct {
    uint8_t type;       /* lx_type */
    uint8_t sub;        /* actor form / cue kind / slot / approx / tech pos / vague */
    uint8_t cat;        /* category */
    uint8_t flags;      /* LXF_* */
    uint8_t cases;      /* CASE_* of an actor form, or required by a marker; 0 = any */
    uint16_t actor;     /* actor index (actors, persons) */
    uint16_t prod[2];   /* designation producers (actor index + 1; 0 = none) */
    uint16_t year_from, year_to;
    uint16_t frame;     /* pred: frame index */
    uint32_t canon;     /* intern id of the canonical name (designations) */
    double num;         /* number value */
    uint32_t file;      /* intern id of the data file path */
    uint32_t line;
} lx_entry;

enum { LXF_DOMAIN = 1, LXF_SCALE = 2, LXF_INVERT = 4 };

/* An arms embargo (common/embargoes.txt). Dates are "YYYY-MM-DD"; to is
 * "9999-12-31" when open-ended. */
typedef struct {
    uint16_t target;     /* actor index */
    char body[8];        /* "UN", "EU" */
    char dir[8];         /* "to", "from", "both" */
    char from[11], to[11];
    uint32_t act;        /* lex string id of the legal act text */
} lx_embargo;

typedef struct lex lex_t;
typedef struct lex_lang lex_lang_t;
typedef struct lex_scratch lex_scratch_t;

typedef struct {
    uint32_t first, last;  /* token range [first, last) */
    uint32_t entry;        /* index into lex entries */
} lx_match;

/* Diagnostics: one line per problem, "file:line: message". */
typedef struct {
    buf_t text;
    size_t errors, warnings;
} lx_diag;

/* Loads every data file under dir. Returns NULL on a fatal problem (then
 * diag says what and where). Lint problems that do not stop loading
 * (duplicates) are counted as warnings unless strict is set. */
lex_t *lex_load(const char *dir, bool strict, lx_diag *diag);
void lex_free(lex_t *lx);

size_t lex_lang_count(const lex_t *lx);
const lex_lang_t *lex_lang_at(const lex_t *lx, size_t i);
const lex_lang_t *lex_lang_find(const lex_t *lx, const char *code);
const char *lex_lang_code(const lex_lang_t *l);
/* `lang CODE verb_final=yes`: complements may all stand before the verb */
bool lex_lang_verb_final(const lex_lang_t *l);
size_t lex_entry_count(const lex_t *lx);
const lx_entry *lex_entry(const lex_t *lx, uint32_t i);
const lx_frame *lex_frame(const lex_t *lx, uint32_t i);
const lx_actor *lex_actor(const lex_t *lx, uint32_t i);
size_t lex_actor_count(const lex_t *lx);
size_t lex_embargo_count(const lex_t *lx);
/* Is actor bound by the embargoes of body ("EU")? True for every actor when
 * the data lists no members for that body (the UN binds all states). */
bool lex_bound_by(const lex_t *lx, const char *body, int actor);
const lx_embargo *lex_embargo_at(const lex_t *lx, size_t i);
int lex_actor_find(const lex_t *lx, const char *code);
const char *lex_str(const lex_t *lx, uint32_t id);
uint32_t lex_cat_covers(const lex_t *lx, int cat);   /* bit mask of covered cats */
int lex_cat_tech(const lex_t *lx, int cat);          /* technology category */
/* The phrase of an entry as written in its data file, for explain. */
const char *lex_entry_phrase(const lex_t *lx, uint32_t i);

/* Stop-word hits of folded word w in language l (for language id). */
bool lex_is_stop(const lex_lang_t *l, const lex_scratch_t *sc, const char *w, size_t n);
/* The same for every language at once: bit i is set when folded word w is a
 * stop word of language i (i < 32). Uses sc's word cache. */
uint32_t lex_stop_langs(lex_scratch_t *sc, const char *w, size_t n);

/* Per-thread scratch: stemmers and caches. */
lex_scratch_t *lex_scratch_new(const lex_t *lx);
void lex_scratch_free(lex_scratch_t *sc);

/* Matches every phrase of language l over tokens [first,last) of tl and
 * appends the resolved matches to out (sorted by first token, longest first
 * within a layer, no overlap within a layer). */
int lex_match(const lex_t *lx, const lex_lang_t *l, lex_scratch_t *sc, const toklist_t *tl,
              const char *text, uint32_t first, uint32_t last, vec_t *out);
/* Abbreviation test for the sentence splitter (ctx = lex_lang_t). */
bool lex_is_abbrev(const void *lang, const char *fold, size_t n);
/* True when the folded word ends with a `suffix potential` ending. */
bool lex_has_potential_suffix(const lex_lang_t *l, const char *fold, size_t n);
/* True when the word ends with a `suffix active` ending (never a passive). */
bool lex_has_active_suffix(const lex_lang_t *l, const char *fold, size_t n);
/* True when the word ends with a `suffix participle` ending: without an
 * auxiliary before it, such a predicate is a passive ("hommes déployés"). */
bool lex_has_participle_suffix(const lex_lang_t *l, const char *fold, size_t n);

#endif
