/* server.c - the HTTP side of `armscope serve`: libmicrohttpd, a pool of
 * read-only store connections, the embedded application, and the limits
 * that keep a server on a network safe (GET only, bounded requests and
 * connections, a rate for expensive queries, security headers). */
#include "web_private.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* Limits. */
#define MAX_CONNECTIONS 128
#define MAX_PER_IP 32
#define MAX_URL 4096             /* bytes of path and query */
#define CONN_MEMORY (64 * 1024)  /* headers and URL of one request */
#define CONN_TIMEOUT 30          /* seconds of silence before a connection is closed */
/* Expensive queries (full text, exports): a bucket of EXP_BURST refilled
 * at EXP_RATE per second, shared by all clients. */
#define EXP_BURST 10.0
#define EXP_RATE 5.0

static const char CSP[] = "default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none';"
                          " base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

struct web {
    struct MHD_Daemon *d;
    const as_engine *e;
    char *assets;
    bool quiet, read_only;
    unsigned port;
    int n;                       /* connections in the pool */
    store_t **pool;
    bool *busy;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    double tokens, refilled;     /* the expensive-query bucket */
};

static double mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static store_t *pool_take(web_t *w)
{
    pthread_mutex_lock(&w->mu);
    for (;;) {
        for (int i = 0; i < w->n; i++) {
            if (!w->busy[i]) {
                w->busy[i] = true;
                pthread_mutex_unlock(&w->mu);
                return w->pool[i];
            }
        }
        pthread_cond_wait(&w->cv, &w->mu);
    }
}

static void pool_give(web_t *w, store_t *st)
{
    pthread_mutex_lock(&w->mu);
    for (int i = 0; i < w->n; i++)
        if (w->pool[i] == st)
            w->busy[i] = false;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

static bool allow_expensive(void *ctx)
{
    web_t *w = ctx;
    pthread_mutex_lock(&w->mu);
    double now = mono();
    w->tokens += (now - w->refilled) * EXP_RATE;
    if (w->tokens > EXP_BURST)
        w->tokens = EXP_BURST;
    w->refilled = now;
    bool ok = w->tokens >= 1.0;
    if (ok)
        w->tokens -= 1.0;
    pthread_mutex_unlock(&w->mu);
    return ok;
}

static const char *conn_param(void *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
}

/* ---------------------------------------------------------------- static */

static const char *mime_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    static const char *const M[][2] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},   {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},             {".png", "image/png"},
    };
    for (size_t i = 0; dot && i < AS_ARRAY_LEN(M); i++)
        if (!strcmp(dot, M[i][0]))
            return M[i][1];
    return "application/octet-stream";
}

/* A name of the embedded set: letters, digits, '-', '_', '.', not
 * starting with a dot. Anything else (slashes, "..", %-escapes) is not
 * one, so no path can leave the set. */
static bool plain_name(const char *s)
{
    if (!*s || *s == '.' || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' ||
              *s == '_' || *s == '.'))
            return false;
    return true;
}

/* The asset called name: embedded, or read from the --assets folder. */
static bool find_asset(web_t *w, const char *name, web_reply *r, const unsigned char **data, size_t *len)
{
    if (!plain_name(name))
        return false;
    if (w->assets) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", w->assets, name);
        if (file_read_all(path, &r->body))
            return false;
        r->type = mime_of(name);
        *data = NULL;
        return true;
    }
    for (size_t i = 0; i < WEB_ASSET_COUNT; i++) {
        if (!strcmp(WEB_ASSETS[i].name, name)) {
            *data = WEB_ASSETS[i].data;
            *len = WEB_ASSETS[i].len;
            r->type = WEB_ASSETS[i].type;
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------- requests */

static enum MHD_Result send_reply(struct MHD_Connection *c, web_reply *r, const unsigned char *data, size_t len,
                                  bool immutable)
{
    struct MHD_Response *resp;
    if (data) {
        resp = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    } else {
        /* the reply's buffer goes to libmicrohttpd, which frees it */
        size_t n = r->body.len;
        char *body = r->body.data ? r->body.data : NULL;
        r->body.data = NULL;
        r->body.len = r->body.cap = 0;
        resp = body ? MHD_create_response_from_buffer(n, body, MHD_RESPMEM_MUST_FREE)
                    : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (!resp)
            free(body);
    }
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", r->type ? r->type : "application/octet-stream");
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(resp, "Cache-Control", immutable ? "public, max-age=300" : "no-store");
    if (r->disposition[0])
        MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    if (r->retry)
        MHD_add_response_header(resp, "Retry-After", "1");
    if (r->status == 405)
        MHD_add_response_header(resp, "Allow", "GET, HEAD");
    enum MHD_Result ok = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result count_args(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    size_t *n = cls; /* n[0]: parameters, n[1]: their bytes */
    n[0]++;
    n[1] += strlen(key) + (value ? strlen(value) : 0) + 2;
    return MHD_YES;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **state)
{
    (void)version, (void)upload;
    web_t *w = cls;
    (void)state; /* answered at the first call, when the headers are in: no request has a body to wait for */
    web_reply r = {.status = 200};
    const unsigned char *data = NULL;
    size_t len = 0;
    bool immutable = false;
    size_t args[2] = {0, 0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, count_args, args);
    if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        web_error(&r, 405, NULL, "method %.16s not allowed: the API is read-only (GET)", method);
    } else if (*upload_size) {
        *upload_size = 0;
        web_error(&r, 413, NULL, "a GET request has no body");
    } else if (strlen(url) + args[1] > MAX_URL || args[0] > 32) {
        web_error(&r, 414, NULL, "request too long: at most %d bytes of path and 32 parameters", MAX_URL);
    } else if (!strncmp(url, "/api/", 5)) {
        store_t *st = pool_take(w);
        web_api a = {w->e, st, conn_param, c, allow_expensive, w, w->read_only};
        web_api_answer(&a, url, &r);
        pool_give(w, st);
    } else if (!strcmp(url, "/") || !strcmp(url, "/index.html")) {
        if (!find_asset(w, "index.html", &r, &data, &len))
            web_error(&r, 500, NULL, "this armscope was built without its web application");
        else
            r.status = 200;
    } else if (!strncmp(url, "/assets/", 8) && find_asset(w, url + 8, &r, &data, &len)) {
        r.status = 200;
        immutable = true;
    } else if (!strcmp(url, "/favicon.ico") && find_asset(w, "favicon.svg", &r, &data, &len)) {
        r.status = 200;
    } else {
        web_error(&r, 404, NULL, "not found: %.128s", url);
    }
    if (!w->quiet) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        char host[64] = "?";
        if (ci && ci->client_addr)
            getnameinfo(ci->client_addr,
                        ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                               : sizeof(struct sockaddr_in),
                        host, sizeof host, NULL, 0, NI_NUMERICHOST);
        fprintf(stderr, "%s %s %.200s %u %zu\n", host, method, url, r.status, data ? len : r.body.len);
    }
    enum MHD_Result ok = send_reply(c, &r, data, len, immutable);
    buf_free(&r.body);
    return ok;
}

/* ------------------------------------------------------------ lifecycle */

unsigned web_port(const web_t *w) { return w->port; }

void web_stop(web_t *w)
{
    if (!w)
        return;
    if (w->d)
        MHD_stop_daemon(w->d);
    for (int i = 0; i < w->n; i++)
        store_close(w->pool[i]);
    free(w->pool);
    free(w->busy);
    free(w->assets);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}

web_t *web_start(const web_opts *o, char *err, size_t errlen)
{
    web_t *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->e = o->e;
    w->quiet = o->quiet;
    w->read_only = o->read_only;
    w->tokens = EXP_BURST;
    w->refilled = mono();
    w->assets = o->assets ? strdup(o->assets) : NULL;
    int threads = o->threads > 0 ? o->threads : 4;
    w->pool = calloc((size_t)threads, sizeof *w->pool);
    w->busy = calloc((size_t)threads, sizeof *w->busy);
    if (!w->pool || !w->busy) {
        snprintf(err, errlen, "out of memory");
        web_stop(w);
        return NULL;
    }
    for (; w->n < threads; w->n++) {
        w->pool[w->n] = store_open(o->db, true, err, errlen);
        if (!w->pool[w->n]) {
            web_stop(w);
            return NULL;
        }
    }
    /* the address */
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV | AI_PASSIVE}, *ai = NULL;
    char port[16];
    snprintf(port, sizeof port, "%u", o->port);
    int gai = getaddrinfo(o->host && *o->host ? o->host : "127.0.0.1", port, &hints, &ai);
    if (gai) {
        snprintf(err, errlen, "cannot listen on %s: %s (give --listen HOST:PORT, e.g. 127.0.0.1:8080)",
                 o->host ? o->host : "?", gai_strerror(gai));
        web_stop(w);
        return NULL;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
#ifdef __linux__
    flags |= MHD_USE_EPOLL;
#endif
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    w->d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, handle, w,
                            MHD_OPTION_SOCK_ADDR, ai->ai_addr,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)MAX_PER_IP,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_TIMEOUT,
                            MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!w->d) {
        snprintf(err, errlen, "cannot listen on %s:%u: the port is in use or the address is not this machine's"
                              " (choose another with --listen HOST:PORT)", o->host ? o->host : "127.0.0.1", o->port);
        web_stop(w);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(w->d, MHD_DAEMON_INFO_BIND_PORT);
    w->port = di ? di->port : o->port;
    return w;
}
