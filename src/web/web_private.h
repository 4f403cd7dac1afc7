/* web_private.h - what the server's files share (not an interface). */
#ifndef AS_WEB_PRIVATE_H
#define AS_WEB_PRIVATE_H

#include "web.h"
#include "../store/store.h"

#include <microhttpd.h>
#include <pthread.h>

/* An answer being built. */
typedef struct {
    unsigned status;
    buf_t body;
    const char *type;          /* MIME type */
    char disposition[96];      /* Content-Disposition, or "" */
    bool retry;                /* 429: Retry-After */
} web_reply;

/* The request's parameters, read through the connection. */
typedef const char *(*web_param_fn)(void *conn, const char *name);

/* The API: answers GET path (under /api/) with the store st. expensive()
 * is asked before a costly query and says whether the rate allows it. */
typedef struct {
    const as_engine *e;
    store_t *st;
    web_param_fn param;
    void *conn;
    bool (*expensive)(void *ctx);
    void *ctx;
    bool read_only;            /* started with --read-only */
} web_api;
void web_api_answer(const web_api *a, const char *path, web_reply *r);

/* A JSON error reply: {"error": msg, "parameter": param}. */
void web_error(web_reply *r, unsigned status, const char *param, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
