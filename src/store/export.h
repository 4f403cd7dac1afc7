/* export.h - merged transfers and evidence written out: the aligned table,
 * CSV, JSON, GraphML, GEXF and DOT. The command line and the web API both
 * write through here, so a CSV from either is the same file. */
#ifndef AS_EXPORT_H
#define AS_EXPORT_H

#include "store.h"

typedef enum { EXPORT_TABLE, EXPORT_CSV, EXPORT_JSONL, EXPORT_GRAPHML, EXPORT_GEXF, EXPORT_DOT } export_fmt;

/* The format called name ("csv", "graphml", ...), or -1. The graph
 * formats are accepted only when graph is true. */
int export_format(const char *name, bool graph);

/* Receives the output in pieces; returns nonzero to stop. */
typedef int (*export_write_fn)(void *ctx, const char *data, size_t len);

/* Writes the transfers passing f (all of them: its limit is ignored) in
 * fmt, graph formats with their nodes (actors, with display names).
 * Returns the number of transfers, or -1 (store_error). */
int export_transfers(store_t *st, const as_engine *e, const store_filter *f, export_fmt fmt, export_write_fn out,
                     void *ctx);

/* One transfer as a JSON object (the web API's and `transfers --format
 * jsonl`'s), with the actors' display names. */
void export_transfer_json(buf_t *b, const as_engine *e, const store_transfer *t);
/* One evidence row as a JSON object; with_transfer adds the transfer id
 * and key (search results). */
void export_evidence_json(buf_t *b, const as_engine *e, const store_evidence *ev, bool with_transfer);
/* A CSV field, quoted when it needs to be. */
void export_csv_field(buf_t *b, const char *s);
/* The sentence's span clamped to the sentence: [*a, *z). */
void export_span(const store_evidence *ev, size_t *a, size_t *z);

#endif
