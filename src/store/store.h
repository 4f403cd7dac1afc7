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

/* True when a document with this content is stored already. */
bool store_has(store_t *st, const char *text, size_t len);
/* Stores a document and the records of the worker's last extraction.
 * Returns 0, 1 when the document was there already, -1 on error. */
int store_put(store_t *st, const store_doc *d, as_worker *w);

/* Filters shared by transfers, export (and the web API later). */
typedef struct {
    const char *supplier, *recipient, *actor, *category, *modality;
    const char *since, *until;   /* YYYY[-MM[-DD]] */
    int min_credibility;         /* 1 best .. 6; 0 = any */
    bool embargo_only;
    const char *query;           /* full-text over evidence sentences */
} store_filter;

/* One merged transfer. */
typedef struct {
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

typedef int (*store_transfer_fn)(void *ctx, const store_transfer *t);
/* Calls fn for every merged transfer that passes the filter, ordered by
 * supplier, recipient, category. Returns the number, or -1. */
int store_transfers(store_t *st, const as_engine *e, const store_filter *f, store_transfer_fn fn, void *ctx);

/* Evidence of one transfer: one call per evidence sentence. */
typedef struct {
    const char *doc, *url, *title, *outlet, *date, *lang, *modality;
    const char *sentence;        /* the sentence */
    size_t span_start, span_end; /* the matched span inside the sentence */
    const char *claims;          /* "USA asserts (Antony Blinken); PRK denies" */
} store_evidence;
typedef int (*store_evidence_fn)(void *ctx, const store_evidence *ev);
int store_evidence_of(store_t *st, const char *sup, const char *rec, const char *cat, store_evidence_fn fn,
                      void *ctx);
/* Full-text search over evidence sentences (FTS5 syntax). */
int store_search(store_t *st, const char *q, int limit, store_evidence_fn fn, void *ctx);

/* How credibility is graded, for the README and --help. */
int store_grade(const store_transfer *t);

#endif
