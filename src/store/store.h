/* store.h - the evidence store (SQLite): documents, records, evidence,
 * claims; merged transfers with credibility and embargo flags.
 *
 * One store_t is one connection: use it from one thread. Writes happen in
 * batches (store_begin / store_commit): a document and all its records are
 * in one transaction, so a crash loses at most the open batch and never
 * leaves half a document. Schema changes are numbered migrations. */
#ifndef AS_STORE_H
#define AS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "armscope.h"
#include "../util/util.h"

typedef struct store store_t;

/* Opens (creating and migrating) the database at path. NULL on failure,
 * with a message in err. */
store_t *store_open(const char *path, bool readonly, char *err, size_t errlen);
void store_close(store_t *st);
const char *store_error(const store_t *st);

int store_begin(store_t *st);
int store_commit(store_t *st);

/* Document metadata for ingest. */
typedef struct {
    const char *key, *url, *title, *outlet, *lang, *date;
    const char *text;
    size_t len;
} store_doc;

/* Storing a document and the records of its extraction, in two steps so
 * that many threads prepare while one writes:
 * - store_prep_doc takes the document's hashes and metadata;
 * - store_prep_extracted its language (d->lang), and copies its records,
 *   evidence sentences and claims out of the worker that extracted it;
 *   neither touches a database;
 * - store_write writes it, inside store_begin / store_commit: 0, 1 when
 *   the same content is there already, -1 on error.
 * A store_prep is reused document after document. */
typedef struct store_prep store_prep;
store_prep *store_prep_new(void);
void store_prep_free(store_prep *p);
int store_prep_doc(store_prep *p, const store_doc *d);
int store_prep_extracted(store_prep *p, const store_doc *d, as_worker *w);
int store_write(store_t *st, const store_prep *p);
/* Is a document with p's content stored already (after store_prep_doc)? */
bool store_has_prep(store_t *st, const store_prep *p);
size_t store_prep_records(const store_prep *p);

/* Filters shared by transfers, export and the web API. */
typedef struct {
    const char *supplier, *recipient, *actor, *category, *modality;
    const char *since, *until;   /* YYYY[-MM[-DD]] */
    int min_credibility;         /* 1 best .. 6; 0 = any */
    bool embargo_only;
    const char *query;           /* full-text over evidence sentences */
    const char *sort;            /* documents, credibility, first_date, ...; NULL: supplier, recipient, category */
    bool ascending;              /* with sort */
    int limit, offset;           /* limit 0: all */
} store_filter;

/* Checks a filter against the engine's data (actor codes, categories) and
 * the formats of its values. Returns NULL when it is valid, else the name
 * of the first bad parameter as the web API calls it ("since",
 * "category"), with a message in err. */
const char *store_filter_check(const store_filter *f, const as_engine *e, char *err, size_t errlen);

/* One merged transfer. */
typedef struct {
    int64_t id;                  /* stable for a database */
    char supplier[48], recipient[48], category[32];
    char modality[16];           /* fact / potential / denied: the best stated */
    int n_fact, n_potential, n_denied;
    char first_date[11], last_date[11];
    int docs, outlets;           /* documents, independent stories */
    double quantity;             /* largest stated */
    char quantity_doc[128];      /* the document that states it */
    char designations[256];
    int asserts, denies, doubts, official;
    int credibility;             /* 1..6 */
    char embargo[256];           /* legal acts broken, "" if none */
} store_transfer;

/* Brings the merged transfers up to date with the records stored (only the
 * (supplier, recipient, category) keys that changed, and every embargo
 * flag when the embargo data changed). ingest calls it at its end; a
 * crash before leaves the keys marked, and the next call finishes them.
 * Returns the number of transfers recomputed, or -1. */
int store_refresh(store_t *st, const as_engine *e);
/* Keys waiting for store_refresh (a read-only store cannot refresh). */
int store_stale(store_t *st);

typedef int (*store_transfer_fn)(void *ctx, const store_transfer *t);
/* Calls fn for every merged transfer that passes the filter, in the
 * filter's order and page. Returns the number, or -1. */
int store_transfers(store_t *st, const store_filter *f, store_transfer_fn fn, void *ctx);
/* How many transfers pass the filter (ignoring limit and offset), or -1. */
int64_t store_transfer_count(store_t *st, const store_filter *f);
/* One transfer by id: 0, 1 when there is none, -1 on error. */
int store_transfer_get(store_t *st, int64_t id, store_transfer *out);

/* Actors of the transfers passing the filter, with the number of
 * transfers they supply and receive, ordered by code. */
typedef int (*store_actor_fn)(void *ctx, const char *code, int supplied, int received);
int store_actors(store_t *st, const store_filter *f, store_actor_fn fn, void *ctx);

/* Records per month (YYYY-MM) and category, of the transfers passing the
 * filter, months within since/until, ordered by month. */
typedef int (*store_month_fn)(void *ctx, const char *month, const char *category, int records);
int store_timeline(store_t *st, const store_filter *f, store_month_fn fn, void *ctx);

/* Counts for a summary. */
typedef struct {
    int64_t documents, records, transfers, evidence;
    char first_date[11], last_date[11];
} store_stats;
int store_stats_get(store_t *st, store_stats *out);

/* Evidence: one call per evidence sentence. */
typedef struct {
    const char *actor;           /* code, or NULL: the document itself */
    const char *name;            /* as written, or NULL */
    const char *stance;          /* asserts / denies / doubts */
} store_claim;
typedef struct {
    int64_t transfer;            /* the merged transfer (search) */
    const char *supplier, *recipient, *category;
    const char *doc, *url, *title, *outlet, *date, *lang, *modality;
    const char *sentence;        /* the sentence */
    size_t span_start, span_end; /* the matched span inside the sentence */
    const char *claims;          /* "USA asserts (Antony Blinken); PRK denies" */
    const store_claim *claim;    /* the same, one by one */
    size_t n_claims;
} store_evidence;
typedef int (*store_evidence_fn)(void *ctx, const store_evidence *ev);
int store_evidence_of(store_t *st, const char *sup, const char *rec, const char *cat, int limit, int offset,
                      store_evidence_fn fn, void *ctx);
/* Evidence rows of one (supplier, recipient, category), or -1. */
int64_t store_evidence_count(store_t *st, const char *sup, const char *rec, const char *cat);
/* Full-text search over evidence sentences (FTS5 syntax; a word that is not,
 * such as KN-23, is searched as a phrase), among the transfers passing the
 * filter (its query is ignored), paged by limit and offset. Best first
 * (bm25) up to 20,000 matches, the latest first beyond; ranked (optional)
 * tells which. total (optional) receives the number of matches. */
int store_search(store_t *st, const char *q, const store_filter *f, int64_t *total, bool *ranked,
                 store_evidence_fn fn, void *ctx);

/* Does the full-text index understand q (an unclosed quote does not)?
 * 0, or -1 with the reason in store_error. */
int store_query_check(store_t *st, const char *q);

/* A time budget for the queries that follow (seconds; 0: none). A query
 * over it fails, and store_timed_out() tells so. */
void store_set_budget(store_t *st, double seconds);
bool store_timed_out(const store_t *st);

/* How credibility is graded, for the README and --help. */
int store_grade(const store_transfer *t);

#endif
