/* armscope.h - the public interface of the armscope engine.
 *
 * An engine holds the compiled data files. Load it once; it is then
 * read-only and may be shared by any number of threads. Each thread makes
 * its own worker (scratch memory, stemmers, caches) and extracts documents
 * with it, one at a time.
 *
 * Ownership: every pointer the engine returns belongs to the engine or the
 * worker and stays valid until the next call on that worker (or until the
 * object is freed). Free functions accept NULL. Errors are returned, never
 * printed: functions that fail return NULL or a non-zero status and write a
 * message (what, where, what to do) into a caller's buffer or the worker.
 */
#ifndef ARMSCOPE_H
#define ARMSCOPE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct as_engine as_engine;
typedef struct as_worker as_worker;

/* A document. text need not be NUL-terminated; invalid UTF-8 is repaired
 * byte for byte ('?' per bad byte) so offsets stay true. lang (ISO 639-1,
 * "en", "fr"...) and date ("2024", "2024-12", "2024-12-31") may be NULL. */
typedef struct {
    const char *id;
    const char *text;
    size_t len;
    const char *lang;
    const char *date;
} as_doc;

/* What one extraction found, for a caller that wants more than JSON. */
typedef struct {
    const char *lang;          /* language used */
    int lang_detected;         /* 1 when it was detected, not given */
    size_t sentences, tokens, records;
    size_t invalid_bytes;      /* bytes of invalid UTF-8 replaced */
} as_stats;

/* One record, as strings (valid until the next call on the worker). */
typedef struct {
    const char *supplier, *recipient, *category, *modality;
    const char *designations;  /* comma-separated, "" if none */
    double quantity;           /* 0 when unknown */
    const char *approx;        /* "exact", "about", ... or "" */
    size_t evidence_start, evidence_end;  /* first evidence span */
    size_t n_evidence, n_sources, n_items, n_designations;
    const char *event_date;    /* YYYY[-MM[-DD]] the text gives for the event, or "" */
} as_record;

/* A span of the document text (bytes); for evidence, also the sentence that
 * holds it. */
typedef struct {
    size_t start, end;
    size_t sentence_start, sentence_end;
} as_span;

/* Who says a record: actor code (NULL: the document itself or an unknown
 * speaker), the name as written (a span; start == end: none), stance
 * ("asserts", "denies", "doubts"). */
typedef struct {
    const char *actor;
    size_t name_start, name_end;
    const char *stance;
} as_source;

enum { AS_TRACE = 1 };         /* extract flag: build the explain trace */

/* Loads the data files in dir (NULL: ARMSCOPE_DATA, then ./data, then the
 * installed data). On failure returns NULL and writes the reasons to err. */
as_engine *as_engine_load(const char *dir, char *err, size_t errlen);
void as_engine_free(as_engine *e);
const char *as_engine_datadir(const as_engine *e);
/* Lints the data files: writes one line per problem to out (malloc'd,
 * caller frees) and returns the number of errors (-1 if it cannot run). */
int as_data_check(const char *dir, char **out);
/* Arms embargoes of the data files (common/embargoes.txt). */
typedef struct {
    const char *target;        /* actor code */
    const char *body;          /* "UN", "EU" */
    const char *direction;     /* "to" the target, "from" it, or "both" */
    const char *from, *to;     /* YYYY-MM-DD; to is 9999-12-31 when open */
    const char *act;           /* the legal act */
} as_embargo;
size_t as_engine_embargo_count(const as_engine *e);
/* Does body's embargo law bind the actor (EU law binds EU members; a body
 * with no member list binds every state)? */
int as_engine_bound_by(const as_engine *e, const char *body, const char *code);
int as_engine_embargo(const as_engine *e, size_t i, as_embargo *out);
/* Kind of an actor code: "state", "org", "igo", "media", "company", or NULL. */
const char *as_engine_actor_kind(const as_engine *e, const char *code);
/* Display name of an actor code, or NULL. */
const char *as_engine_actor_name(const as_engine *e, const char *code);

/* Codes of the languages the data files define, comma-separated. */
const char *as_engine_languages(const as_engine *e);

as_worker *as_worker_new(const as_engine *e);
void as_worker_free(as_worker *w);

/* Extracts the records of one document. Returns 0, or -1 (the message is
 * in as_worker_error). */
int as_extract(as_worker *w, const as_doc *doc, int flags);
/* The records of the last document as JSON Lines (one object per line). */
const char *as_worker_json(as_worker *w, size_t *len);
size_t as_worker_record_count(const as_worker *w);
int as_worker_record(as_worker *w, size_t i, as_record *out);
const as_stats *as_worker_stats(const as_worker *w);
/* Parts of record i: item phrase k, evidence span k, source k, designation
 * k (counts in as_record). Return -1 when out of range. */
int as_worker_record_item(as_worker *w, size_t i, size_t k, as_span *out);
int as_worker_record_evidence(as_worker *w, size_t i, size_t k, as_span *out);
int as_worker_record_source(as_worker *w, size_t i, size_t k, as_source *out);
const char *as_worker_record_designation(as_worker *w, size_t i, size_t k);
/* The text the spans refer to (the document's, with invalid UTF-8 replaced). */
const char *as_worker_text(const as_worker *w, size_t *len);
/* The explain trace of the last document (AS_TRACE), or "". */
const char *as_worker_trace(as_worker *w, size_t *len);
const char *as_worker_error(const as_worker *w);

/* Language identification alone (ISO 639-1 code, or "und"). */
const char *as_detect_language(as_worker *w, const char *text, size_t len);

/* Text of an HTML page: scripts and styles dropped, entities decoded,
 * blocks separated by newlines. Returns a malloc'd string (caller frees)
 * and its length, or NULL on failure. title (optional) receives the page
 * title, malloc'd. */
char *as_html_to_text(const char *html, size_t len, size_t *out_len, char **title);

const char *as_version(void);
/* The item categories of the transfer spec, i = 0, 1, ...; NULL past the
 * last. */
const char *as_category(size_t i);

#ifdef __cplusplus
}
#endif
#endif
