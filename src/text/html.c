/* html.c - text of an HTML page (libxml2's forgiving HTML parser). */
#include "armscope.h"
#include "text.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_skipped(const char *n)
{
    static const char *const skip[] = {"script", "style", "noscript", "template", "svg", "head",
                                       "iframe", "object", "canvas", "math", "nav", NULL};
    for (int i = 0; skip[i]; i++)
        if (!strcasecmp(n, skip[i]))
            return true;
    return false;
}

static bool is_block(const char *n)
{
    static const char *const block[] = {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
        "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt", "dl", "figure",
        "figcaption", "main", "aside", "nav", "hr", "title", "address", "td", "th", "form", NULL};
    for (int i = 0; block[i]; i++)
        if (!strcasecmp(n, block[i]))
            return true;
    return false;
}

typedef struct {
    buf_t *out;
    int depth;
} walk_t;

static void newline(buf_t *b, int n)
{
    /* at most n trailing newlines, none at the start */
    if (!b->len)
        return;
    size_t have = 0;
    while (have < b->len && b->data[b->len - 1 - have] == '\n')
        have++;
    while (b->len && b->data[b->len - 1] == ' ')
        b->len--;
    for (size_t k = have; k < (size_t)n; k++)
        buf_putc(b, '\n');
}

static void text_node(buf_t *b, const char *s)
{
    bool space = b->len && (b->data[b->len - 1] == ' ' || b->data[b->len - 1] == '\n');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') {
            if (!space && b->len) {
                buf_putc(b, ' ');
                space = true;
            }
        } else {
            buf_putc(b, (char)*p);
            space = false;
        }
    }
}

static void walk(xmlNode *n, walk_t *w)
{
    if (w->depth > 512)
        return;
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                text_node(w->out, (const char *)n->content);
        } else if (n->type == XML_ELEMENT_NODE) {
            const char *name = (const char *)n->name;
            if (is_skipped(name))
                continue;
            bool block = is_block(name);
            if (block)
                newline(w->out, !strcasecmp(name, "br") || !strcasecmp(name, "li") || !strcasecmp(name, "td") ? 1 : 2);
            w->depth++;
            walk(n->children, w);
            w->depth--;
            if (block)
                newline(w->out, !strcasecmp(name, "li") || !strcasecmp(name, "td") ? 1 : 2);
        }
    }
}

static xmlNode *find(xmlNode *n, const char *name, int depth)
{
    for (; n && depth < 64; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && !strcasecmp((const char *)n->name, name))
            return n;
        xmlNode *c = find(n->children, name, depth + 1);
        if (c)
            return c;
    }
    return NULL;
}

char *as_html_to_text(const char *html, size_t len, size_t *out_len, char **title)
{
    if (title)
        *title = NULL;
    if (len > INT32_MAX)
        return NULL;
    htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET | HTML_PARSE_COMPACT);
    buf_t out = {0};
    if (buf_reserve(&out, 0)) {
        xmlFreeDoc(doc);
        return NULL;
    }
    if (doc) {
        xmlNode *root = xmlDocGetRootElement(doc);
        if (title) {
            xmlNode *t = find(root, "title", 0);
            if (t) {
                xmlChar *c = xmlNodeGetContent(t);
                if (c) {
                    buf_t tb = {0};
                    text_node(&tb, (const char *)c);
                    *title = tb.data;
                    xmlFree(c);
                }
            }
        }
        walk_t w = {&out, 0};
        xmlNode *body = find(root, "body", 0);
        walk(body ? body : root, &w);
        xmlFreeDoc(doc);
    }
    while (out.len && (out.data[out.len - 1] == '\n' || out.data[out.len - 1] == ' '))
        out.len--;
    if (out.len)
        buf_putc(&out, '\n');
    buf_cstr(&out);
    /* libxml2 may keep invalid bytes it was given: make sure of UTF-8 */
    if (utf8_invalid_count(out.data, out.len)) {
        buf_t rep = {0};
        utf8_repair(out.data, out.len, &rep);
        buf_free(&out);
        out = rep;
    }
    *out_len = out.len;
    return out.data;
}
