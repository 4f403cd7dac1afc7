/* web.h - `armscope serve`: the JSON API over an evidence store and the
 * single-page application, on libmicrohttpd.
 *
 * The server holds a pool of read-only store connections (one per request
 * being answered) and the engine (read-only, shared). Nothing is written
 * while serving. */
#ifndef AS_WEB_H
#define AS_WEB_H

#include <stdbool.h>
#include <stddef.h>
#include "armscope.h"

typedef struct web web_t;

typedef struct {
    const char *db;          /* the evidence store */
    const as_engine *e;      /* actor names, categories, filter checks */
    const char *host;        /* address to listen on ("127.0.0.1", "0.0.0.0", "::1") */
    unsigned port;           /* 0: any free port (web_port tells which) */
    int threads;             /* request threads (and store connections) */
    const char *assets;      /* a folder to serve the application from instead of the embedded
                                files (front-end development); NULL: embedded */
    bool quiet;              /* no request log */
    bool read_only;          /* started with --read-only (told to clients) */
} web_opts;

/* Starts serving in background threads. NULL on failure with a message in
 * err (what failed and what to do). */
web_t *web_start(const web_opts *o, char *err, size_t errlen);
/* The port listened on. */
unsigned web_port(const web_t *w);
/* Stops: finishes the requests under way, closes every connection. */
void web_stop(web_t *w);

/* ----------------------------------------------------------- internals */

/* The embedded files of the application (generated at build time from the
 * built front end: build/gen/assets.c). */
typedef struct {
    const char *name;        /* "index.html", "app.js" */
    const char *type;        /* MIME type */
    const unsigned char *data;
    size_t len;
} web_asset;
extern const web_asset WEB_ASSETS[];
extern const size_t WEB_ASSET_COUNT;

#endif
