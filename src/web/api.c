/* api.c - the JSON API of `armscope serve` (documented in web/API.md and
 * the README): parameters checked into a store filter, store queries
 * written as JSON. */
#include "web_private.h"
#include "../store/export.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Time budgets (seconds): an ordinary query, and an export of everything. */
#define QUERY_BUDGET 5.0
#define EXPORT_BUDGET 60.0

void web_error(web_reply *r, unsigned status, const char *param, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->status = status;
    r->type = "application/json; charset=utf-8";
    buf_clear(&r->body);
    buf_puts(&r->body, "{\"error\":");
    buf_json_str(&r->body, msg, strlen(msg));
    if (param) {
        buf_puts(&r->body, ",\"parameter\":");
        buf_json_str(&r->body, param, strlen(param));
    }
    buf_puts(&r->body, "}\n");
}

/* A store failure: over its budget is 503, anything else 500. */
static void store_failed(const web_api *a, web_reply *r)
{
    if (store_timed_out(a->st))
        web_error(r, 503, NULL, "%s", store_error(a->st));
    else
        web_error(r, 500, NULL, "database error: %s", store_error(a->st));
}

/* ----------------------------------------------------------- parameters */

static const char *param(const web_api *a, const char *name)
{
    const char *v = a->param(a->conn, name);
    return v && *v ? v : NULL;
}

/* A whole number in [lo, hi]; absent: def. Returns false (with the reply
 * set) when malformed. */
static bool int_param(const web_api *a, web_reply *r, const char *name, long lo, long hi, long def, int *out)
{
    const char *v = param(a, name);
    if (!v) {
        *out = (int)def;
        return true;
    }
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || end == v || !isdigit((unsigned char)v[0]) || n < lo || n > hi) {
        web_error(r, 400, name, "%s: expected a whole number from %ld to %ld, got '%.64s'", name, lo, hi, v);
        return false;
    }
    *out = (int)n;
    return true;
}

/* The shared filter parameters. Returns false with a 400 reply when one
 * is malformed. */
static bool read_filter(const web_api *a, web_reply *r, store_filter *f, int def_limit, int max_limit)
{
    memset(f, 0, sizeof *f);
    f->supplier = param(a, "supplier");
    f->recipient = param(a, "recipient");
    f->actor = param(a, "actor");
    f->category = param(a, "category");
    f->modality = param(a, "modality");
    f->since = param(a, "since");
    f->until = param(a, "until");
    f->query = param(a, "q");
    f->sort = param(a, "sort");
    const char *order = param(a, "order");
    if (order && strcmp(order, "asc") && strcmp(order, "desc")) {
        web_error(r, 400, "order", "order: expected asc or desc, got '%.64s'", order);
        return false;
    }
    f->ascending = order && !strcmp(order, "asc");
    const char *emb = param(a, "embargo");
    if (emb) {
        if (!strcmp(emb, "1") || !strcmp(emb, "true") || !strcmp(emb, "yes"))
            f->embargo_only = true;
        else if (strcmp(emb, "0") && strcmp(emb, "false") && strcmp(emb, "no")) {
            web_error(r, 400, "embargo", "embargo: expected 1/true or 0/false, got '%.64s'", emb);
            return false;
        }
    }
    if (!int_param(a, r, "min_credibility", 1, 6, 0, &f->min_credibility) ||
        !int_param(a, r, "limit", 1, max_limit, def_limit, &f->limit) ||
        !int_param(a, r, "offset", 0, 1000000000, 0, &f->offset))
        return false;
    char err[512];
    const char *bad = store_filter_check(f, a->e, err, sizeof err);
    if (bad) {
        web_error(r, 400, bad, "%s", err);
        return false;
    }
    if (f->query && store_query_check(a->st, f->query)) {
        web_error(r, 400, "q", "q: %s", store_error(a->st));
        return false;
    }
    if (f->query && a->expensive && !a->expensive(a->ctx)) {
        web_error(r, 429, NULL, "too many full-text queries at once: retry in a second");
        r->retry = true;
        return false;
    }
    return true;
}

static void json_str(buf_t *b, const char *s)
{
    if (s)
        buf_json_str(b, s, strlen(s));
    else
        buf_puts(b, "null");
}

static void page_head(buf_t *b, int64_t total, const store_filter *f)
{
    buf_printf(b, "{\"total\":%lld,\"limit\":%d,\"offset\":%d", (long long)total, f->limit, f->offset);
}

/* ------------------------------------------------------------ endpoints */

static void meta(const web_api *a, web_reply *r)
{
    store_stats s;
    if (store_stats_get(a->st, &s)) {
        store_failed(a, r);
        return;
    }
    buf_t *b = &r->body;
    buf_puts(b, "{\"version\":");
    json_str(b, as_version());
    buf_printf(b, ",\"read_only\":%s,\"documents\":%lld,\"records\":%lld,\"evidence\":%lld,\"transfers\":%lld",
               a->read_only ? "true" : "false", (long long)s.documents, (long long)s.records, (long long)s.evidence,
               (long long)s.transfers);
    buf_puts(b, ",\"categories\":[");
    for (size_t i = 0; as_category(i); i++) {
        if (i)
            buf_putc(b, ',');
        json_str(b, as_category(i));
    }
    buf_puts(b, "],\"modalities\":[\"fact\",\"potential\",\"denied\"],\"first_date\":");
    json_str(b, s.first_date[0] ? s.first_date : NULL);
    buf_puts(b, ",\"last_date\":");
    json_str(b, s.last_date[0] ? s.last_date : NULL);
    buf_puts(b, "}\n");
}

typedef struct {
    const web_api *a;
    buf_t *b;
    int n;
    bool with_transfer;          /* evidence rows: with their transfer (search) */
} emit;

static int transfer_json(void *ctx, const store_transfer *t)
{
    emit *x = ctx;
    if (x->n++)
        buf_putc(x->b, ',');
    export_transfer_json(x->b, x->a->e, t);
    return 0;
}

static void transfers(const web_api *a, web_reply *r)
{
    store_filter f;
    if (!read_filter(a, r, &f, 100, 1000))
        return;
    if (!f.sort)
        f.sort = "documents";
    int64_t total = store_transfer_count(a->st, &f);
    if (total < 0) {
        store_failed(a, r);
        return;
    }
    page_head(&r->body, total, &f);
    buf_puts(&r->body, ",\"transfers\":[");
    emit x = {a, &r->body, 0, false};
    if (store_transfers(a->st, &f, transfer_json, &x) < 0) {
        store_failed(a, r);
        return;
    }
    buf_puts(&r->body, "]}\n");
}

static int evidence_json(void *ctx, const store_evidence *ev)
{
    emit *x = ctx;
    if (x->n++)
        buf_putc(x->b, ',');
    export_evidence_json(x->b, x->a->e, ev, x->with_transfer);
    return 0;
}

static void evidence(const web_api *a, web_reply *r, int64_t id)
{
    int limit, offset;
    if (!int_param(a, r, "limit", 1, 1000, 100, &limit) || !int_param(a, r, "offset", 0, 1000000000, 0, &offset))
        return;
    store_transfer t;
    int got = store_transfer_get(a->st, id, &t);
    if (got < 0) {
        store_failed(a, r);
        return;
    }
    if (got > 0) {
        web_error(r, 404, NULL, "no transfer %lld in this database (ids come from /api/transfers)", (long long)id);
        return;
    }
    int64_t total = store_evidence_count(a->st, t.supplier, t.recipient, t.category);
    if (total < 0) {
        store_failed(a, r);
        return;
    }
    buf_t *b = &r->body;
    buf_puts(b, "{\"transfer\":");
    export_transfer_json(b, a->e, &t);
    buf_printf(b, ",\"total\":%lld,\"limit\":%d,\"offset\":%d,\"evidence\":[", (long long)total, limit, offset);
    emit x = {a, b, 0, false};
    if (store_evidence_of(a->st, t.supplier, t.recipient, t.category, limit, offset, evidence_json, &x) < 0) {
        store_failed(a, r);
        return;
    }
    buf_puts(b, "]}\n");
}

static int actor_json(void *ctx, const char *code, int supplied, int received)
{
    emit *x = ctx;
    if (x->n++)
        buf_putc(x->b, ',');
    buf_puts(x->b, "{\"code\":");
    json_str(x->b, code);
    buf_puts(x->b, ",\"name\":");
    const char *name = as_engine_actor_name(x->a->e, code);
    json_str(x->b, name ? name : code);
    buf_puts(x->b, ",\"kind\":");
    json_str(x->b, as_engine_actor_kind(x->a->e, code));
    buf_printf(x->b, ",\"supplied\":%d,\"received\":%d}", supplied, received);
    return 0;
}

static void actors(const web_api *a, web_reply *r)
{
    store_filter f;
    if (!read_filter(a, r, &f, 100, 1000))
        return;
    buf_puts(&r->body, "{\"actors\":[");
    emit x = {a, &r->body, 0, false};
    if (store_actors(a->st, &f, actor_json, &x) < 0) {
        store_failed(a, r);
        return;
    }
    buf_puts(&r->body, "]}\n");
}

/* The graph: the edges with the most documents, and their nodes. */
typedef struct {
    const web_api *a;
    buf_t edges;
    vec_t nodes;                 /* char[48] codes, in order of appearance */
    int n;
} graph_acc;

static void graph_node(graph_acc *g, const char *code)
{
    for (size_t i = 0; i < g->nodes.len; i++)
        if (!strcmp((const char *)g->nodes.data + 48 * i, code))
            return;
    char *slot = vec_push(&g->nodes);
    if (slot)
        snprintf(slot, 48, "%s", code);
}

static int graph_edge(void *ctx, const store_transfer *t)
{
    graph_acc *g = ctx;
    buf_t *b = &g->edges;
    if (g->n++)
        buf_putc(b, ',');
    buf_printf(b, "{\"id\":%lld,\"source\":", (long long)t->id);
    json_str(b, t->supplier);
    buf_puts(b, ",\"target\":");
    json_str(b, t->recipient);
    buf_puts(b, ",\"category\":");
    json_str(b, t->category);
    buf_puts(b, ",\"modality\":");
    json_str(b, t->modality);
    buf_printf(b, ",\"documents\":%d,\"credibility\":%d,\"denied\":%s,\"embargo\":%s}", t->docs, t->credibility,
               t->n_denied || t->denies ? "true" : "false", t->embargo[0] ? "true" : "false");
    graph_node(g, t->supplier);
    graph_node(g, t->recipient);
    return 0;
}

static void graph(const web_api *a, web_reply *r)
{
    store_filter f;
    if (!read_filter(a, r, &f, 300, 2000))
        return;
    f.sort = "documents";
    f.ascending = false;
    f.offset = 0;
    int64_t total = store_transfer_count(a->st, &f);
    graph_acc g = {.a = a};
    vec_init(&g.nodes, 48);
    if (total < 0 || store_transfers(a->st, &f, graph_edge, &g) < 0) {
        buf_free(&g.edges);
        vec_free(&g.nodes);
        store_failed(a, r);
        return;
    }
    buf_t *b = &r->body;
    buf_printf(b, "{\"total_edges\":%lld,\"nodes\":[", (long long)total);
    for (size_t i = 0; i < g.nodes.len; i++) {
        const char *code = (const char *)g.nodes.data + 48 * i;
        const char *name = as_engine_actor_name(a->e, code);
        buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
        json_str(b, code);
        buf_puts(b, ",\"name\":");
        json_str(b, name ? name : code);
        buf_puts(b, ",\"kind\":");
        json_str(b, as_engine_actor_kind(a->e, code));
        buf_putc(b, '}');
    }
    buf_puts(b, "],\"edges\":[");
    buf_append(b, g.edges.data ? g.edges.data : "", g.edges.len);
    buf_puts(b, "]}\n");
    buf_free(&g.edges);
    vec_free(&g.nodes);
}

static int month_json(void *ctx, const char *month, const char *category, int records)
{
    emit *x = ctx;
    if (x->n++)
        buf_putc(x->b, ',');
    buf_puts(x->b, "{\"month\":");
    json_str(x->b, month);
    buf_puts(x->b, ",\"category\":");
    json_str(x->b, category);
    buf_printf(x->b, ",\"records\":%d}", records);
    return 0;
}

static void timeline(const web_api *a, web_reply *r)
{
    store_filter f;
    if (!read_filter(a, r, &f, 100, 1000))
        return;
    buf_puts(&r->body, "{\"buckets\":[");
    emit x = {a, &r->body, 0, false};
    if (store_timeline(a->st, &f, month_json, &x) < 0) {
        store_failed(a, r);
        return;
    }
    buf_puts(&r->body, "]}\n");
}


static void search(const web_api *a, web_reply *r)
{
    const char *q = param(a, "q");
    if (!q) {
        web_error(r, 400, "q", "q: the words to search for are required, e.g. /api/search?q=Shahed");
        return;
    }
    store_filter f;
    if (!read_filter(a, r, &f, 100, 1000))
        return;
    f.query = NULL;
    int64_t total = 0;
    bool ranked = true;
    buf_t rows = {0};
    emit x = {a, &rows, 0, true};
    if (store_search(a->st, q, &f, &total, &ranked, evidence_json, &x) < 0) {
        buf_free(&rows);
        if (store_timed_out(a->st))
            store_failed(a, r);
        else
            web_error(r, 400, "q", "q: %s", store_error(a->st));
        return;
    }
    page_head(&r->body, total, &f);
    buf_printf(&r->body, ",\"order\":\"%s\",\"results\":[", ranked ? "rank" : "latest");
    buf_append(&r->body, rows.data ? rows.data : "", rows.len);
    buf_puts(&r->body, "]}\n");
    buf_free(&rows);
}

static int to_body(void *ctx, const char *data, size_t len) { return buf_append(ctx, data, len); }

static void export(const web_api *a, web_reply *r)
{
    const char *name = param(a, "format");
    int fmt = name ? export_format(name, true) : -1;
    if (fmt < 0 || fmt == EXPORT_TABLE) {
        web_error(r, 400, "format", "format: expected csv, jsonl, graphml, gexf or dot, got '%.32s'",
                  name ? name : "");
        return;
    }
    store_filter f;
    if (!read_filter(a, r, &f, 100, 1000))
        return;
    if (!f.query && a->expensive && !a->expensive(a->ctx)) {
        web_error(r, 429, NULL, "too many exports at once: retry in a second");
        r->retry = true;
        return;
    }
    store_set_budget(a->st, EXPORT_BUDGET);
    static const char *const TYPES[][2] = {
        [EXPORT_CSV] = {"text/csv; charset=utf-8", "csv"},
        [EXPORT_JSONL] = {"application/x-ndjson; charset=utf-8", "jsonl"},
        [EXPORT_GRAPHML] = {"application/graphml+xml; charset=utf-8", "graphml"},
        [EXPORT_GEXF] = {"application/gexf+xml; charset=utf-8", "gexf"},
        [EXPORT_DOT] = {"text/vnd.graphviz; charset=utf-8", "dot"},
    };
    if (export_transfers(a->st, a->e, &f, (export_fmt)fmt, to_body, &r->body) < 0) {
        store_failed(a, r);
        return;
    }
    r->type = TYPES[fmt][0];
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"armscope-transfers.%s\"", TYPES[fmt][1]);
}

void web_api_answer(const web_api *a, const char *path, web_reply *r)
{
    r->status = 200;
    r->type = "application/json; charset=utf-8";
    store_set_budget(a->st, QUERY_BUDGET);
    const char *p = path + strlen("/api/");
    if (!strcmp(p, "meta"))
        meta(a, r);
    else if (!strcmp(p, "transfers"))
        transfers(a, r);
    else if (!strcmp(p, "actors"))
        actors(a, r);
    else if (!strcmp(p, "graph"))
        graph(a, r);
    else if (!strcmp(p, "timeline"))
        timeline(a, r);
    else if (!strcmp(p, "search"))
        search(a, r);
    else if (!strcmp(p, "export"))
        export(a, r);
    else if (!strncmp(p, "transfers/", 10) && isdigit((unsigned char)p[10])) {
        char *end;
        errno = 0;
        long long id = strtoll(p + 10, &end, 10);
        if (!errno && !strcmp(end, "/evidence"))
            evidence(a, r, id);
        else
            web_error(r, 404, NULL, "no such endpoint: %.128s (see /api/transfers/{id}/evidence)", path);
    } else
        web_error(r, 404, NULL, "no such endpoint: %.128s (endpoints: meta, transfers, transfers/{id}/evidence,"
                                " actors, graph, timeline, search, export)", path);
    store_set_budget(a->st, 0);
}
