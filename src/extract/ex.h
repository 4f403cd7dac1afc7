/* ex.h - internal interface of the extraction stage (not public).
 *
 * One document goes: sentences -> analysis (actors, items, predicates, cues,
 * clauses) -> frames (candidate transfers with roles, modality, sources) ->
 * records (one per supplier, recipient, category). All memory lives in an
 * ex_scratch owned by one thread and reused from document to document.
 */
#ifndef AS_EX_H
#define AS_EX_H

#include "../lex/lex.h"
#include "../text/text.h"
#include "../util/util.h"

#define EX_MAX_ORIGIN 4
#define EX_MAX_ROLE 6
#define EX_MAX_ITEMS 24
#define EX_MAX_SRC 6

enum { ST_ASSERTS, ST_DENIES, ST_DOUBTS };

typedef struct {
    uint32_t first, last;     /* tokens of the actor phrase (with its head noun) */
    uint32_t np_first;        /* first token of the noun phrase (marker excluded) */
    uint16_t actor;           /* registry index; persons and companies resolved */
    uint16_t raw_actor;       /* as matched (company, person's actor...) */
    uint8_t form;             /* LX_ACTOR ... LX_PERSON */
    int8_t mark;              /* slot given by a preceding marker, -1 none */
    int chain;                /* previous actor of a coordination, -1 */
    int item;                 /* item this adjective/possessive qualifies, -1 */
    bool poss;                /* followed by a possessive marker */
    bool origin;              /* used as an item's origin: not a participant */
    bool source;              /* after 'according to' / a speech verb: a source */
    bool of_origin;           /* origin by "of/de" after an item: a frame may take it back */
    uint32_t entry;
} xactor;

enum { IT_DOMAIN = 1, IT_OTHER = 2, IT_NEG = 4, IT_DEAD = 8, IT_CALIBRE = 16, IT_TECH = 32 };

typedef struct {
    uint32_t first, last;     /* the noun phrase (quantity and determiner included) */
    uint32_t hfirst, hlast;   /* the head words that matched */
    uint8_t cat;
    uint8_t vague;
    uint8_t flags;
    uint8_t norigin;
    uint16_t origin[EX_MAX_ORIGIN];
    uint32_t canon;           /* designation name (lex string id), 0 none */
    uint16_t prod[2];         /* designation producers, actor + 1 */
    double qty;
    uint8_t approx;
    bool has_qty;
    uint32_t entry;
} xitem;

enum { PASSIVE_NO, PASSIVE_AUX, PASSIVE_REDUCED };

typedef struct {
    uint32_t first, last;
    uint16_t frame;
    uint32_t entry;
    uint8_t passive;          /* PASSIVE_*: with an auxiliary, or a participle after its item */
} xpred;

typedef struct {
    uint32_t first, last;
    uint8_t kind;
    uint32_t entry;
} xcue;

typedef struct {
    int actor;                /* registry index, -1 = none */
    uint32_t start, end;      /* bytes of the name as written; start == end: none */
    uint8_t stance;
} xsource;

/* A candidate transfer found in one sentence. */
typedef struct {
    int sup[EX_MAX_ROLE], nsup;
    int rec[EX_MAX_ROLE], nrec;
    int items[EX_MAX_ITEMS], nitems;   /* indices into the sentence's items */
    uint8_t mod;
    bool weak;                /* hearsay only ("reports that") */
    int pred;                 /* index of the predicate, -1 for item routes */
    uint32_t span_first, span_last;  /* tokens */
    xsource src[EX_MAX_SRC];
    int nsrc;
    bool possession;
    bool exchange;
    bool noun_subj;           /* a role came from a noun's subject ("X is a supplier") */
    bool bare;                /* "a first delivery to Wagner": the noun alone is the item */
    bool verb_final;          /* the verb ends its clause; complements stand before it */
    bool present;             /* a fact in the plain present tense (tense=present, no
                                 perfect auxiliary, no 'already' / 'since') */
    bool plan;                /* potential from a future or plan cue on a verb of no
                                 modality of its own ("wird ... liefern") */
    bool sup_by_subj;         /* a noun's supplier is only the clause subject, the
                                 party that decides on it ("X blocks the delivery of") */
    char why[96];             /* how the roles were found, for explain */
} xframe;

/* One sentence, analysed. */
typedef struct {
    uint32_t first, last;     /* tokens */
    vec_t matches;            /* lx_match */
    vec_t actors;             /* xactor */
    vec_t items;              /* xitem */
    vec_t preds;              /* xpred */
    vec_t cues;               /* xcue */
    vec_t frames;             /* xframe */
    int16_t *layer_at;        /* [LY_COUNT][n]: match index + 1 at token */
    size_t layer_cap;
    uint16_t *clause;         /* clause id per token */
    uint8_t *clause_inv;      /* clause starts with an inverting word */
    size_t clause_cap;
} xsent;

/* A record of the document being built. */
typedef struct {
    int sup, rec;
    uint8_t cat;
    bool fact, potential, denied, weak_only_fact;
    bool fact_tensed;         /* a fact not in the plain present tense */
    bool planned;             /* a plan: future or plan cue on a verb */
    bool sup_named;           /* the supplier is named by more than a deciding subject */
    bool specific;            /* some item is not vague */
    uint8_t vague;            /* vague scope when not specific */
    vec_t items;              /* uint32 pairs: start, end bytes */
    vec_t desig;              /* uint32 lex string ids */
    vec_t sources;            /* xsource */
    vec_t evidence;           /* uint32 pairs: start, end bytes */
    double qty;
    uint8_t approx;
    bool has_qty;
    char date[11];            /* event date: of the first mention that gives one */
    uint32_t order;           /* first evidence byte */
    bool dead;
} xrecord;

typedef struct {
    int denier;               /* actor */
    int other;                /* the other party, -1 = any */
    uint32_t cats;            /* mask of categories denied, 0 = any */
    uint32_t start, end;      /* name of the denier */
} xdenial;

typedef struct ex_scratch {
    toklist_t tl;
    vec_t sents;              /* sent_t */
    xsent s;
    vec_t records;            /* xrecord */
    vec_t denials;            /* xdenial */
    vec_t pairs;              /* int pairs: supplier, recipient of complete frames */
    vec_t pair_mod;           /* uint8 modality of each pair */
    vec_t holders;            /* int: actors holding items (possession frames) */
    vec_t pending;            /* xpending: contents and origins for the end */
    vec_t tmp;
    int doc_year;
    char doc_date[11];        /* as given: YYYY, YYYY-MM or YYYY-MM-DD */
    char ymd_of[11];          /* the doc_date that ymd was parsed from */
    int ymd[3];               /* doc_date as "%d-%d-%d" (0 where absent), once per document */
    char sent_date[11];       /* event date of the current sentence, "" unknown */
    buf_t *trace;             /* explain output, NULL when not tracing */
    const lex_t *lx;
    const lex_lang_t *lang;
    bool lang_verb_final;     /* the language puts verbs last in some clauses */
    lex_scratch_t *lsc;
    const char *text;
    size_t text_len;
    /* last transfer frame of the document, for item lists that follow it */
    int last_sup, last_rec;
    int last_subject;         /* actor a pronoun subject stands for */
    uint8_t last_mod;
} ex_scratch;

/* An item waiting for the end of the document (record.c). */
typedef struct {
    struct xemit_s {
        uint8_t cat, vague, mod, approx;
        bool weak, has_qty;
        bool present, plan, sup_by_subj;
        uint32_t canon;
        double qty;
        uint32_t istart, iend, estart, eend;
        xsource src[EX_MAX_SRC];
        int nsrc;
        char date[11];
    } e;
    bool content;
    int sup, rec;             /* the side a one-sided frame named, -1 none */
    size_t pair_idx;
    int norigin;
    int origin[EX_MAX_ORIGIN];
} xpending;

/* sentence.c */
int ex_analyse(ex_scratch *x, const sent_t *st);
/* frame.c */
int ex_frames(ex_scratch *x);
/* the sources a sentence names (according to, said, denies), into f */
void sentence_sources_of(ex_scratch *x, xframe *f);
/* date.c: the event date of the current sentence */
void ex_sentence_date(ex_scratch *x, char out[11]);
/* record.c */
int ex_collect(ex_scratch *x);
void ex_finish(ex_scratch *x);
void ex_records_clear(ex_scratch *x);

/* helpers shared by the stage files */
const lx_entry *ex_entry_at(const ex_scratch *x, int layer, uint32_t tok);
int ex_match_at(const ex_scratch *x, int layer, uint32_t tok);
void ex_trace(ex_scratch *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ex_trace_span(ex_scratch *x, uint32_t first, uint32_t last);
int ex_actor_code_state(const lex_t *lx, int actor);

#endif
