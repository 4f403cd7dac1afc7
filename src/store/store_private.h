/* store_private.h - what the store's own files share (not an interface). */
#ifndef AS_STORE_PRIVATE_H
#define AS_STORE_PRIVATE_H

#include "store.h"

#include <sqlite3.h>

struct store {
    sqlite3 *db;
    buf_t err;
    bool readonly;
    double deadline;             /* monotonic seconds; 0: none */
    bool timed_out;
    sqlite3_int64 next_doc;      /* the id of the next document (in a write transaction) */
    sqlite3_stmt *has, *put_doc, *next_id, *band[4], *put_rec, *put_ev, *put_claim, *put_stale;
};

/* Sets the error message from what and SQLite's; returns -1. */
int store_fail(store_t *st, const char *what);
/* Binds text, or NULL when v is NULL or empty. */
void store_bind_opt(sqlite3_stmt *s, int i, const char *v);

/* Search (store.c) over merged transfers (merge.c): the SQL from the
 * evidence match to its transfer with the filter's conditions, and their
 * binding; select is the column list ("SELECT ..."), rows adds the
 * joins of the evidence columns; q is bound as :match. */
int store_search_sql(const store_filter *f, const char *select, bool rows, buf_t *sql);
void store_search_bind(sqlite3_stmt *s, const store_filter *f, const char *q, buf_t *fts, buf_t *match);

#endif
