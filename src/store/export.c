/* export.c - merged transfers and evidence in the output formats. */
#include "export.h"

#include <stdio.h>
#include <string.h>

int export_format(const char *s, bool graph)
{
    if (!strcmp(s, "table")) return EXPORT_TABLE;
    if (!strcmp(s, "csv")) return EXPORT_CSV;
    if (!strcmp(s, "jsonl") || !strcmp(s, "json")) return EXPORT_JSONL;
    if (graph && !strcmp(s, "graphml")) return EXPORT_GRAPHML;
    if (graph && !strcmp(s, "gexf")) return EXPORT_GEXF;
    if (graph && !strcmp(s, "dot")) return EXPORT_DOT;
    return -1;
}

void export_csv_field(buf_t *b, const char *s)
{
    s = s ? s : "";
    if (!strpbrk(s, ",\"\n\r")) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

static void xml_text(buf_t *b, const char *s)
{
    for (s = s ? s : ""; *s; s++) {
        switch (*s) {
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '&': buf_puts(b, "&amp;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        default: buf_putc(b, *s);
        }
    }
}

static void json_kv(buf_t *b, const char *k, const char *v, bool comma)
{
    buf_printf(b, "%s\"%s\":", comma ? "," : "", k);
    if (v)
        buf_json_str(b, v, strlen(v));
    else
        buf_puts(b, "null");
}

static const char *opt(const char *s) { return s && *s ? s : NULL; }

void export_transfer_json(buf_t *b, const as_engine *e, const store_transfer *t)
{
    buf_printf(b, "{\"id\":%lld", (long long)t->id);
    json_kv(b, "supplier", t->supplier, true);
    json_kv(b, "supplier_name", as_engine_actor_name(e, t->supplier), true);
    json_kv(b, "recipient", t->recipient, true);
    json_kv(b, "recipient_name", as_engine_actor_name(e, t->recipient), true);
    json_kv(b, "category", t->category, true);
    json_kv(b, "modality", t->modality, true);
    buf_printf(b, ",\"n_fact\":%d,\"n_potential\":%d,\"n_denied\":%d", t->n_fact, t->n_potential, t->n_denied);
    json_kv(b, "first_date", opt(t->first_date), true);
    json_kv(b, "last_date", opt(t->last_date), true);
    buf_printf(b, ",\"documents\":%d,\"stories\":%d", t->docs, t->outlets);
    if (t->quantity > 0)
        buf_printf(b, ",\"quantity\":%.15g", t->quantity);
    else
        buf_puts(b, ",\"quantity\":null");
    json_kv(b, "quantity_doc", t->quantity > 0 ? opt(t->quantity_doc) : NULL, true);
    buf_puts(b, ",\"designations\":[");
    int k = 0;
    for (const char *p = t->designations; *p;) {
        const char *comma = strstr(p, ", ");
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        if (l) {
            if (k++)
                buf_putc(b, ',');
            buf_json_str(b, p, l);
        }
        p += l + (comma ? 2 : 0);
    }
    buf_printf(b, "],\"asserts\":%d,\"denies\":%d,\"doubts\":%d,\"official\":%d,\"credibility\":%d", t->asserts,
               t->denies, t->doubts, t->official, t->credibility);
    json_kv(b, "embargo", opt(t->embargo), true);
    buf_putc(b, '}');
}

void export_span(const store_evidence *ev, size_t *a, size_t *z)
{
    size_t sl = ev->sentence ? strlen(ev->sentence) : 0;
    *a = ev->span_start < sl ? ev->span_start : sl;
    *z = ev->span_end < sl ? ev->span_end : sl;
    if (*z < *a)
        *z = *a;
}

void export_evidence_json(buf_t *b, const as_engine *e, const store_evidence *ev, bool with_transfer)
{
    size_t a, z;
    export_span(ev, &a, &z);
    const char *s = ev->sentence ? ev->sentence : "";
    buf_putc(b, '{');
    if (with_transfer) {
        buf_printf(b, "\"transfer\":%lld", (long long)ev->transfer);
        json_kv(b, "supplier", ev->supplier, true);
        json_kv(b, "recipient", ev->recipient, true);
        json_kv(b, "category", ev->category, true);
        buf_putc(b, ',');
    }
    json_kv(b, "doc", ev->doc, false);
    json_kv(b, "url", ev->url, true);
    json_kv(b, "title", ev->title, true);
    json_kv(b, "outlet", ev->outlet, true);
    json_kv(b, "date", ev->date, true);
    json_kv(b, "lang", ev->lang, true);
    json_kv(b, "modality", ev->modality, true);
    json_kv(b, "sentence", s, true);
    buf_printf(b, ",\"span_start\":%zu,\"span_end\":%zu,\"before\":", a, z);
    buf_json_str(b, s, a);
    buf_puts(b, ",\"match\":");
    buf_json_str(b, s + a, z - a);
    buf_puts(b, ",\"after\":");
    buf_json_str(b, s + z, strlen(s + z));
    buf_puts(b, ",\"claims\":[");
    for (size_t i = 0; i < ev->n_claims; i++) {
        const store_claim *c = &ev->claim[i];
        buf_puts(b, i ? ",{" : "{");
        json_kv(b, "actor", c->actor, false);
        json_kv(b, "actor_name", c->actor ? as_engine_actor_name(e, c->actor) : NULL, true);
        json_kv(b, "name", c->name, true);
        json_kv(b, "stance", c->stance, true);
        buf_putc(b, '}');
    }
    buf_puts(b, "]}");
}

/* ------------------------------------------------------------ transfers */

typedef struct {
    export_fmt fmt;
    buf_t b;
    size_t n;
    const as_engine *e;
    export_write_fn out;
    void *ctx;
    bool stop;
} writer;

static int drain(writer *w, size_t above)
{
    if (w->b.len > above && !w->stop) {
        if (w->out(w->ctx, w->b.data, w->b.len))
            w->stop = true;
        buf_clear(&w->b);
    }
    return w->stop;
}

static int transfer_row(void *ctx, const store_transfer *t)
{
    writer *w = ctx;
    buf_t *b = &w->b;
    char q[32] = "";
    if (t->quantity > 0)
        snprintf(q, sizeof q, "%.0f", t->quantity);
    switch (w->fmt) {
    case EXPORT_TABLE:
        buf_printf(b, "%-9.9s %-9.9s %-20.20s %-9.9s %-10s %-10s %4d %4d %2d %8s %-24.24s %s\n", t->supplier,
                   t->recipient, t->category, t->modality, t->first_date, t->last_date, t->docs, t->outlets,
                   t->credibility, q, t->designations, t->embargo[0] ? "EMBARGO" : "");
        break;
    case EXPORT_CSV: {
        const char *f[] = {t->supplier, t->recipient, t->category, t->modality, t->first_date, t->last_date};
        for (int i = 0; i < 6; i++) {
            export_csv_field(b, f[i]);
            buf_putc(b, ',');
        }
        buf_printf(b, "%d,%d,%d,%d,%d,%d,%d,%s,", t->docs, t->outlets, t->n_fact, t->n_potential, t->n_denied,
                   t->credibility, t->denies, q);
        export_csv_field(b, t->designations);
        buf_putc(b, ',');
        export_csv_field(b, t->embargo);
        buf_putc(b, '\n');
        break;
    }
    case EXPORT_JSONL:
        export_transfer_json(b, w->e, t);
        buf_putc(b, '\n');
        break;
    case EXPORT_GRAPHML:
        buf_printf(b, "    <edge id=\"e%zu\" source=\"", w->n);
        xml_text(b, t->supplier);
        buf_puts(b, "\" target=\"");
        xml_text(b, t->recipient);
        buf_puts(b, "\"><data key=\"category\">");
        xml_text(b, t->category);
        buf_printf(b, "</data><data key=\"modality\">%s</data><data key=\"documents\">%d</data>"
                      "<data key=\"credibility\">%d</data><data key=\"embargo\">",
                   t->modality, t->docs, t->credibility);
        xml_text(b, t->embargo);
        buf_puts(b, "</data></edge>\n");
        break;
    case EXPORT_GEXF:
        buf_printf(b, "      <edge id=\"%zu\" source=\"", w->n);
        xml_text(b, t->supplier);
        buf_puts(b, "\" target=\"");
        xml_text(b, t->recipient);
        buf_printf(b, "\" weight=\"%d\" label=\"", t->docs);
        xml_text(b, t->category);
        buf_printf(b, "\"><attvalues><attvalue for=\"0\" value=\"%s\"/><attvalue for=\"1\" value=\"%s\"/>"
                      "<attvalue for=\"2\" value=\"%d\"/></attvalues></edge>\n",
                   t->category, t->modality, t->credibility);
        break;
    case EXPORT_DOT:
        buf_printf(b, "  \"%s\" -> \"%s\" [label=\"%s\", penwidth=%d%s%s];\n", t->supplier, t->recipient, t->category,
                   t->docs < 8 ? t->docs : 8, strcmp(t->modality, "potential") ? "" : ", style=dashed",
                   t->embargo[0] ? ", color=red" : "");
        break;
    }
    w->n++;
    return drain(w, 1u << 16);
}

static int node_row(void *ctx, const char *code, int supplied, int received)
{
    writer *w = ctx;
    const char *name = as_engine_actor_name(w->e, code);
    if (w->fmt == EXPORT_GRAPHML) {
        buf_puts(&w->b, "    <node id=\"");
        xml_text(&w->b, code);
        buf_puts(&w->b, "\"><data key=\"name\">");
        xml_text(&w->b, name ? name : code);
        buf_puts(&w->b, "</data></node>\n");
    } else {
        buf_puts(&w->b, "      <node id=\"");
        xml_text(&w->b, code);
        buf_puts(&w->b, "\" label=\"");
        xml_text(&w->b, name ? name : code);
        buf_puts(&w->b, "\"/>\n");
    }
    (void)supplied, (void)received;
    return drain(w, 1u << 16);
}

int export_transfers(store_t *st, const as_engine *e, const store_filter *f, export_fmt fmt, export_write_fn out,
                     void *ctx)
{
    writer w = {.fmt = fmt, .e = e, .out = out, .ctx = ctx};
    store_filter all = *f;
    all.limit = all.offset = 0;
    switch (fmt) {
    case EXPORT_TABLE:
        buf_puts(&w.b, "SUPPLIER  RECIPIENT CATEGORY             MODALITY  FIRST      LAST       DOCS STOR CR QUANTITY"
                       " DESIGNATIONS             EMBARGO\n");
        break;
    case EXPORT_CSV:
        buf_puts(&w.b, "supplier,recipient,category,modality,first_date,last_date,documents,outlets,fact,potential,"
                       "denied,credibility,denials,quantity,designations,embargo\n");
        break;
    case EXPORT_GRAPHML:
        buf_puts(&w.b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
                       "  <key id=\"category\" for=\"edge\" attr.name=\"category\" attr.type=\"string\"/>\n"
                       "  <key id=\"modality\" for=\"edge\" attr.name=\"modality\" attr.type=\"string\"/>\n"
                       "  <key id=\"documents\" for=\"edge\" attr.name=\"documents\" attr.type=\"int\"/>\n"
                       "  <key id=\"credibility\" for=\"edge\" attr.name=\"credibility\" attr.type=\"int\"/>\n"
                       "  <key id=\"embargo\" for=\"edge\" attr.name=\"embargo\" attr.type=\"string\"/>\n"
                       "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
                       "  <graph edgedefault=\"directed\">\n");
        break;
    case EXPORT_GEXF:
        buf_puts(&w.b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n"
                       "  <graph defaultedgetype=\"directed\">\n"
                       "    <attributes class=\"edge\"><attribute id=\"0\" title=\"category\" type=\"string\"/>"
                       "<attribute id=\"1\" title=\"modality\" type=\"string\"/>"
                       "<attribute id=\"2\" title=\"credibility\" type=\"integer\"/></attributes>\n"
                       "    <nodes>\n");
        break;
    case EXPORT_DOT:
        buf_puts(&w.b, "digraph transfers {\n");
        break;
    case EXPORT_JSONL:
        break;
    }
    int n = 0;
    /* graph formats list their nodes first */
    if (fmt == EXPORT_GRAPHML || fmt == EXPORT_GEXF)
        n = store_actors(st, &all, node_row, &w);
    if (fmt == EXPORT_GEXF)
        buf_puts(&w.b, "    </nodes>\n    <edges>\n");
    if (n >= 0)
        n = store_transfers(st, &all, transfer_row, &w);
    if (fmt == EXPORT_GRAPHML)
        buf_puts(&w.b, "  </graph>\n</graphml>\n");
    else if (fmt == EXPORT_GEXF)
        buf_puts(&w.b, "    </edges>\n  </graph>\n</gexf>\n");
    else if (fmt == EXPORT_DOT)
        buf_puts(&w.b, "}\n");
    if (n >= 0)
        drain(&w, 0);
    buf_free(&w.b);
    return n;
}
