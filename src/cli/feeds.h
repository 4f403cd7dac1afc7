/* feeds.h - documents inside containers: RSS 2.0 and Atom feeds (libxml2)
 * and WARC files, plain or gzip-compressed (zlib), as Common Crawl's news
 * archive ships them. */
#ifndef AS_CLI_FEEDS_H
#define AS_CLI_FEEDS_H

#include "input.h"

/* Parses a feed; appends one cli_doc per item/entry to docs (vec of
 * cli_doc). Returns the number of documents, or -1 (msg says why). */
int feed_parse(const char *path, const char *data, size_t len, vec_t *docs, buf_t *msg);

typedef struct warc warc_t;
/* Opens a WARC file (gzip or not); NULL with msg on failure. */
warc_t *warc_open(const char *path, buf_t *msg);
/* 1: the next HTML response as a document; 0: end; -1: a bad record was
 * skipped (msg says which; call again). */
int warc_next(warc_t *w, cli_doc *d, size_t max_bytes, buf_t *msg);
void warc_close(warc_t *w);

/* "Tue, 10 Sep 2024 14:50:00 GMT" or "2024-09-10T..." -> "2024-09-10" */
void feed_date(const char *in, char out[11]);

#endif
