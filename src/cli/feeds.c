/* feeds.c - RSS/Atom items and WARC response records as documents. */
#include "feeds.h"
#include "armscope.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

void feed_date(const char *in, char out[11])
{
    static const char *const mon[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                      "jul", "aug", "sep", "oct", "nov", "dec"};
    out[0] = 0;
    if (!in)
        return;
    while (*in == ' ')
        in++;
    if (strlen(in) >= 10 && in[4] == '-' && in[7] == '-') {
        memcpy(out, in, 10);
        out[10] = 0;
        return;
    }
    /* RFC 822: [Day, ]DD Mon YYYY */
    const char *p = strchr(in, ',');
    p = p ? p + 1 : in;
    int day = 0, year = 0;
    char m[4] = {0};
    if (sscanf(p, " %d %3s %d", &day, m, &year) == 3 && year > 1900 && day > 0 && day < 32) {
        for (int i = 0; i < 12; i++)
            if (!strcasecmp(m, mon[i])) {
                snprintf(out, 11, "%04d-%02d-%02d", year, i + 1, day);
                return;
            }
    }
}

static char *child_text(xmlNode *n, const char *name, const char *ns_prefix)
{
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, name))
            continue;
        if (ns_prefix && (!c->ns || !c->ns->prefix || strcmp((const char *)c->ns->prefix, ns_prefix)))
            continue;
        xmlChar *t = xmlNodeGetContent(c);
        char *s = t ? strdup((const char *)t) : NULL;
        xmlFree(t);
        return s;
    }
    return NULL;
}

static char *atom_link(xmlNode *n)
{
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "link"))
            continue;
        xmlChar *rel = xmlGetProp(c, (const xmlChar *)"rel");
        bool alt = !rel || !strcmp((const char *)rel, "alternate");
        xmlFree(rel);
        xmlChar *href = xmlGetProp(c, (const xmlChar *)"href");
        if (href && alt) {
            char *s = strdup((const char *)href);
            xmlFree(href);
            return s;
        }
        xmlFree(href);
    }
    return NULL;
}

static void add_item(vec_t *docs, const char *path, int k, char *title, char *link, char *date, char *body)
{
    cli_doc *d = vec_push(docs);
    if (!d) {
        free(title), free(link), free(date), free(body);
        return;
    }
    size_t tl = 0;
    char *text = as_html_to_text(body ? body : "", body ? strlen(body) : 0, &tl, NULL);
    /* the title is the first line of the text: headlines state transfers */
    buf_t b = {0};
    if (title && *title) {
        buf_puts(&b, title);
        buf_puts(&b, "\n\n");
    }
    if (text)
        buf_append(&b, text, tl);
    free(text);
    d->text = b.data ? b.data : strdup("");
    d->len = b.len;
    d->title = title;
    d->url = link;
    char dd[11];
    feed_date(date, dd);
    free(date);
    d->date = dd[0] ? strdup(dd) : NULL;
    if (link)
        d->id = strdup(link);
    else {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "item-%d", k);
        d->id = strdup(tmp);
    }
    snprintf(d->where, sizeof d->where, "%s item %d", path, k);
    free(body);
}

int feed_parse(const char *path, const char *data, size_t len, vec_t *docs, buf_t *msg)
{
    if (len > INT32_MAX) {
        buf_printf(msg, "%s: feed too large", path);
        return -1;
    }
    xmlDocPtr doc = xmlReadMemory(data, (int)len, path, NULL,
                                  XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                      XML_PARSE_NOCDATA);
    if (!doc) {
        buf_printf(msg, "%s: not a readable RSS or Atom feed; skipped", path);
        return -1;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    int n = 0;
    if (root && !strcmp((const char *)root->name, "rss")) {
        for (xmlNode *ch = root->children; ch; ch = ch->next) {
            if (ch->type != XML_ELEMENT_NODE || strcmp((const char *)ch->name, "channel"))
                continue;
            for (xmlNode *it = ch->children; it; it = it->next) {
                if (it->type != XML_ELEMENT_NODE || strcmp((const char *)it->name, "item"))
                    continue;
                char *body = child_text(it, "encoded", "content");
                if (!body)
                    body = child_text(it, "description", NULL);
                char *link = child_text(it, "link", NULL);
                if (!link)
                    link = child_text(it, "guid", NULL);
                add_item(docs, path, ++n, child_text(it, "title", NULL), link, child_text(it, "pubDate", NULL), body);
            }
        }
    } else if (root && !strcmp((const char *)root->name, "feed")) {
        for (xmlNode *it = root->children; it; it = it->next) {
            if (it->type != XML_ELEMENT_NODE || strcmp((const char *)it->name, "entry"))
                continue;
            char *body = child_text(it, "content", NULL);
            if (!body)
                body = child_text(it, "summary", NULL);
            char *date = child_text(it, "published", NULL);
            if (!date)
                date = child_text(it, "updated", NULL);
            add_item(docs, path, ++n, child_text(it, "title", NULL), atom_link(it), date, body);
        }
    } else {
        buf_printf(msg, "%s: XML but neither RSS 2.0 nor Atom; skipped", path);
        xmlFreeDoc(doc);
        return -1;
    }
    xmlFreeDoc(doc);
    return n;
}

struct warc {
    gzFile gz;
    char *path;
    unsigned long rec;
    buf_t line;
};

warc_t *warc_open(const char *path, buf_t *msg)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz) {
        buf_printf(msg, "%s: cannot open", path);
        return NULL;
    }
    gzbuffer(gz, 1 << 16);
    warc_t *w = calloc(1, sizeof *w);
    if (!w) {
        gzclose(gz);
        return NULL;
    }
    w->gz = gz;
    w->path = strdup(path);
    return w;
}

void warc_close(warc_t *w)
{
    if (!w)
        return;
    gzclose(w->gz);
    free(w->path);
    buf_free(&w->line);
    free(w);
}

/* reads a header line (without CRLF); 0 at EOF */
static int read_hline(warc_t *w)
{
    buf_clear(&w->line);
    int c, any = 0;
    while ((c = gzgetc(w->gz)) != -1) {
        any = 1;
        if (c == '\n')
            break;
        if (w->line.len < 65536)
            buf_putc(&w->line, (char)c);
    }
    while (w->line.len && w->line.data[w->line.len - 1] == '\r')
        w->line.len--;
    buf_cstr(&w->line);
    return any;
}

static const char *header_value(const char *line, const char *name)
{
    size_t n = strlen(name);
    if (strncasecmp(line, name, n) || line[n] != ':')
        return NULL;
    line += n + 1;
    while (*line == ' ')
        line++;
    return line;
}

int warc_next(warc_t *w, cli_doc *d, size_t max_bytes, buf_t *msg)
{
    for (;;) {
        /* find "WARC/1.x" */
        int got;
        while ((got = read_hline(w)) && strncmp(w->line.data ? w->line.data : "", "WARC/", 5))
            ;
        if (!got)
            return 0;
        w->rec++;
        char type[32] = "", uri[2048] = "", date[64] = "";
        long long clen = -1;
        while (read_hline(w) && w->line.len) {
            const char *v;
            if ((v = header_value(w->line.data, "WARC-Type")))
                snprintf(type, sizeof type, "%s", v);
            else if ((v = header_value(w->line.data, "WARC-Target-URI")))
                snprintf(uri, sizeof uri, "%s", v);
            else if ((v = header_value(w->line.data, "WARC-Date")))
                snprintf(date, sizeof date, "%s", v);
            else if ((v = header_value(w->line.data, "Content-Length")))
                clen = atoll(v);
        }
        if (clen < 0) {
            buf_printf(msg, "%s: record %lu has no Content-Length; skipped", w->path, w->rec);
            return -1;
        }
        bool want = !strcmp(type, "response") && (size_t)clen <= max_bytes;
        buf_t body = {0};
        char tmp[65536];
        long long left = clen;
        while (left > 0) {
            int k = gzread(w->gz, tmp, (unsigned)(left < (long long)sizeof tmp ? left : (long long)sizeof tmp));
            if (k <= 0)
                break;
            if (want)
                buf_append(&body, tmp, (size_t)k);
            left -= k;
        }
        if (left > 0) {
            buf_free(&body);
            buf_printf(msg, "%s: record %lu is cut short (truncated file); rest skipped", w->path, w->rec);
            return 0;
        }
        if (!want) {
            buf_free(&body);
            if (!strcmp(type, "response")) {
                buf_printf(msg, "%s: record %lu (%s) larger than %zu bytes; skipped", w->path, w->rec, uri,
                           max_bytes);
                return -1;
            }
            continue;
        }
        /* the HTTP response: headers, blank line, body */
        const char *b = body.data ? body.data : "";
        const char *hend = strstr(b, "\r\n\r\n");
        size_t hl = hend ? (size_t)(hend - b) + 4 : 0;
        if (!hend && (hend = strstr(b, "\n\n")))
            hl = (size_t)(hend - b) + 2;
        bool html = true;
        if (hl) {
            /* only HTML pages are articles */
            for (const char *p = b; p < b + hl; p++) {
                if (!strncasecmp(p, "\ncontent-type:", 14)) {
                    const char *v = p + 14;
                    while (*v == ' ')
                        v++;
                    html = !strncasecmp(v, "text/html", 9) || !strncasecmp(v, "application/xhtml", 17);
                    break;
                }
            }
        }
        if (!html) {
            buf_free(&body);
            continue;
        }
        size_t tl = 0;
        char *title = NULL;
        char *text = as_html_to_text(b + hl, body.len - hl, &tl, &title);
        buf_free(&body);
        if (!text) {
            buf_printf(msg, "%s: record %lu (%s): HTML not readable; skipped", w->path, w->rec, uri);
            return -1;
        }
        memset(d, 0, sizeof *d);
        d->text = text;
        d->len = tl;
        d->title = title;
        d->url = uri[0] ? strdup(uri) : NULL;
        d->id = strdup(uri[0] ? uri : "warc-record");
        char dd[11];
        feed_date(date, dd);
        d->date = dd[0] ? strdup(dd) : NULL;
        snprintf(d->where, sizeof d->where, "%s record %lu", w->path, w->rec);
        return 1;
    }
}
