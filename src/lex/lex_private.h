/* lex_private.h - the lexicon's inside, shared by lex.c (loading),
 * lexmatch.c (matching) and lexcache.c only (never included elsewhere). */
#ifndef AS_LEX_PRIVATE_H
#define AS_LEX_PRIVATE_H

#include "lex.h"

struct lex_lang {
    const lex_t *lx;
    uint32_t idx;
    char code[8];
    char stemmer[32];
    bool verb_final;
    vec_t endings;       /* char* (owned) */
    vec_t suffix_pot;    /* char* (owned) */
    vec_t suffix_act;    /* char* (owned): predicate endings that are never passive */
    vec_t suffix_part;   /* char* (owned): participle endings */
    u64map_t edges;      /* (node << 32 | key) -> child */
    vec_t pay_head;      /* uint32 per node: first payload + 1 */
    vec_t pay;           /* {entry, next} */
    uint32_t nodes;
    u64map_t abbrev;     /* exact key id -> 1 */
    u64map_t stop;
    uint64_t prefix_lens;/* bit L set: some prefix key has L bytes */
    bool uses_stem;
    u64map_t dup;        /* hash(layer, key seq) -> entry + 1 */
};


struct lex {
    intern_t names;      /* codes, display names, files, phrases, frames */
    intern_t keys;       /* match keys (kind byte + text) */
    vec_t actors;        /* lx_actor */
    u64map_t actor_by_code; /* intern id -> index + 1 */
    vec_t entries;       /* lx_entry */
    vec_t phrases;       /* uint32 intern id (names) of each entry's phrase */
    vec_t frames;        /* lx_frame */
    vec_t langs;         /* lex_lang_t* */
    vec_t embargoes;     /* lx_embargo */
    vec_t bound;         /* {char body[8]; int actor;} members bound by a body's embargoes */
    uint32_t covers[CAT_COUNT];
    uint8_t tech[CAT_COUNT];
    bool strict;
    lx_diag *diag;
    const void *map;     /* the cache file the arrays point into, or NULL */
    size_t map_len;
};


typedef struct { uint32_t entry, next; } payload_t;

/* kinds of match keys: the first byte of every interned key */
enum { K_EXACT = 1, K_STEM, K_PREFIX, K_CASE };
/* The id of key (kind, s[0..n)) in lx->keys, or 0 when no phrase uses it. */
uint32_t lex_key_find(const lex_t *lx, int kind, const char *s, size_t n);
typedef struct { char body[8]; int actor; } lx_bound;

/* lexcache.c: a compiled copy of the data files, keyed by a hash of their
 * names and contents. lexcache_load returns NULL when there is none or it
 * does not fit; lexcache_save writes one (best effort, atomically). */
uint64_t lexcache_hash(const char *dir);
lex_t *lexcache_load(const char *dir, uint64_t hash);
void lexcache_save(const lex_t *lx, uint64_t hash);
/* lex_free's first step for a mapped lexicon: drops the arrays that point
 * into the file and unmaps it. */
void lexcache_unmap(lex_t *lx);

#endif
