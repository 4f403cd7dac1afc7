/* input.c - reading documents for the command line. */
#include "input.h"
#include "armscope.h"
#include "feeds.h"
#include "jsonl.h"
#include "../text/text.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum { K_TEXT, K_HTML, K_JSONL, K_FEED, K_WARC };

typedef struct {
    char *path;      /* NULL = stdin */
    char *id;        /* id for a whole-file document */
} entry_t;

struct input {
    input_opts o;
    vec_t entries;   /* entry_t, expanded folders */
    size_t next;
    /* JSON Lines in progress */
    FILE *jf;
    char *jpath;
    char *jid;
    unsigned long jline;
    bool jstdin;
    buf_t line;
    char *rbuf;                  /* read_line's buffer over jf */
    size_t rpos, rlen;
    buf_t stdin_copy;   /* standard input read whole for JSON Lines */
    vec_t feed_docs;    /* cli_doc: items of the feed being read */
    size_t feed_next;
    warc_t *warc;       /* the WARC file being read */
};

static char *xstrdup(const char *s) { return s ? strdup(s) : NULL; }

void cli_doc_free(cli_doc *d)
{
    free(d->id);
    free(d->text);
    free(d->lang);
    free(d->date);
    free(d->url);
    free(d->title);
    memset(d, 0, sizeof *d);
}

/* id of a file: its path relative to the folder named, without extension */
static char *make_id(const char *rel)
{
    char *id = strdup(rel);
    if (!id)
        return NULL;
    char *slash = strrchr(id, '/');
    char *dot = strrchr(id, '.');
    if (dot && (!slash || dot > slash + 1))
        *dot = 0;
    return id;
}

static void add_entry(input_t *in, const char *path, const char *rel)
{
    entry_t *e = vec_push(&in->entries);
    if (!e)
        return;
    e->path = xstrdup(path);
    e->id = make_id(rel);
}

static void walk_dir(input_t *in, const char *dir, const char *rel, int depth)
{
    if (depth > 64)
        return;
    vec_t names;
    vec_init(&names, sizeof(char *));
    if (dir_names(dir, &names) && !names.len) {
        vec_free(&names);
        add_entry(in, dir, rel); /* reported when read */
        return;
    }
    for (size_t i = 0; i < names.len; i++) {
        char *nm = VEC_AT(&names, char *, i);
        size_t pl = strlen(dir) + strlen(nm) + 2, rl = strlen(rel) + strlen(nm) + 2;
        char *path = malloc(pl), *r = malloc(rl);
        if (path && r) {
            snprintf(path, pl, "%s/%s", dir, nm);
            snprintf(r, rl, "%s%s%s", rel, *rel ? "/" : "", nm);
            struct stat st;
            if (!lstat(path, &st) && S_ISDIR(st.st_mode))
                walk_dir(in, path, r, depth + 1);
            else if (!lstat(path, &st) && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
                add_entry(in, path, r);
        }
        free(path);
        free(r);
    }
    dir_names_free(&names);
}

input_t *input_open(char **paths, int n, const input_opts *o)
{
    input_t *in = calloc(1, sizeof *in);
    if (!in)
        return NULL;
    in->o = *o;
    vec_init(&in->entries, sizeof(entry_t));
    vec_init(&in->feed_docs, sizeof(cli_doc));
    if (n == 0) {
        entry_t *e = vec_push(&in->entries);
        if (e)
            e->id = strdup("stdin");
    }
    for (int i = 0; i < n; i++) {
        if (!strcmp(paths[i], "-")) {
            entry_t *e = vec_push(&in->entries);
            if (e)
                e->id = strdup("stdin");
            continue;
        }
        struct stat st;
        if (!stat(paths[i], &st) && S_ISDIR(st.st_mode)) {
            walk_dir(in, paths[i], "", 0);
        } else {
            const char *base = strrchr(paths[i], '/');
            add_entry(in, paths[i], base ? base + 1 : paths[i]);
        }
    }
    return in;
}

size_t input_next_batch(input_t *in, void *jobs, size_t stride, size_t cap, size_t byte_cap, bool *more, buf_t *msg,
                        bool tty, size_t *skipped)
{
    size_t n = 0, bytes = 0;
    while (n < cap && bytes < byte_cap) {
        int r = input_next(in, (cli_doc *)((char *)jobs + n * stride), msg);
        if (r == 0) {
            *more = false;
            break;
        }
        if (r < 0) {
            if (tty)
                fputs("\r\033[K", stderr);
            fprintf(stderr, "armscope: %s\n", msg->data ? msg->data : "input skipped");
            (*skipped)++;
            continue;
        }
        bytes += ((cli_doc *)((char *)jobs + n * stride))->len;
        n++;
    }
    return n;
}

void input_close(input_t *in)
{
    if (!in)
        return;
    for (size_t i = 0; i < in->entries.len; i++) {
        free(VEC_AT(&in->entries, entry_t, i).path);
        free(VEC_AT(&in->entries, entry_t, i).id);
    }
    vec_free(&in->entries);
    if (in->jf && !in->jstdin)
        fclose(in->jf);
    free(in->jpath);
    free(in->jid);
    buf_free(&in->line);
    free(in->rbuf);
    buf_free(&in->stdin_copy);
    for (size_t i = in->feed_next; i < in->feed_docs.len; i++)
        cli_doc_free(&VEC_AT(&in->feed_docs, cli_doc, i));
    vec_free(&in->feed_docs);
    warc_close(in->warc);
    free(in);
}

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcasecmp(s + a - b, suf);
}

static int sniff(const char *path, const char *data, size_t len)
{
    if (path && (ends_with(path, ".warc") || ends_with(path, ".warc.gz") || ends_with(path, ".arc.gz")))
        return K_WARC;
    if (len >= 5 && !memcmp(data, "WARC/", 5))
        return K_WARC;
    if (len >= 2 && (unsigned char)data[0] == 0x1f && (unsigned char)data[1] == 0x8b)
        return K_WARC; /* gzip: WARC is the compressed input we read */
    if (path && (ends_with(path, ".rss") || ends_with(path, ".atom")))
        return K_FEED;
    {
        size_t n = len < 1024 ? len : 1024;
        char head[1025];
        memcpy(head, data, n);
        head[n] = 0;
        for (size_t i = 0; i < n; i++)
            if (!head[i])
                head[i] = ' ';
        if (strstr(head, "<rss") || (strstr(head, "<feed") && strstr(head, "Atom")) ||
            strstr(head, "<feed xmlns=\"http://www.w3.org/2005/Atom\""))
            return K_FEED;
    }
    if (path) {
        if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson") || ends_with(path, ".json"))
            return K_JSONL;
        if (ends_with(path, ".html") || ends_with(path, ".htm") || ends_with(path, ".xhtml"))
            return K_HTML;
    }
    size_t i = 0;
    if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
        i++;
    if (i < len && data[i] == '{')
        return K_JSONL;
    if (i < len && data[i] == '<') {
        size_t n = len - i < 2048 ? len - i : 2048;
        char head[2049];
        memcpy(head, data + i, n);
        head[n] = 0;
        for (char *p = head; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + 32);
        if (strstr(head, "<html") || strstr(head, "<!doctype") || strstr(head, "<body") ||
            strstr(head, "<p>") || strstr(head, "<div") || strstr(head, "<head"))
            return K_HTML;
    }
    return K_TEXT;
}

/* Reads one line of at most max bytes; longer lines are consumed and
 * reported. Returns 1 line, 0 EOF, -1 too long, -2 read error. */
/* The next line of in->jf into b (without its newline): 1, 0 at the end,
 * -1 when it is longer than max (it is read past and dropped), -2 on a
 * read error. Reads in blocks and finds newlines with memchr. */
#define RBUF (256u << 10)

static int read_line(input_t *in, buf_t *b, size_t max)
{
    buf_clear(b);
    bool over = false, any = false;
    if (!in->rbuf && !(in->rbuf = malloc(RBUF)))
        return -2;
    for (;;) {
        if (in->rpos == in->rlen) {
            in->rpos = 0;
            in->rlen = fread(in->rbuf, 1, RBUF, in->jf);
            if (!in->rlen)
                break;
        }
        any = true;
        const char *s = in->rbuf + in->rpos;
        size_t avail = in->rlen - in->rpos;
        const char *nl = memchr(s, '\n', avail);
        size_t take = nl ? (size_t)(nl - s) : avail;
        if (!over && (b->len + take > max || buf_append(b, s, take)))
            over = true;
        in->rpos += take + (nl != NULL);
        if (nl)
            break;
    }
    if (ferror(in->jf))
        return -2;
    if (!any)
        return 0;
    return over ? -1 : 1;
}

static char *json_str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v))
        return strndup(json_string_value(v), json_string_length(v));
    if (json_is_integer(v)) {
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
        return strdup(tmp);
    }
    return NULL;
}

static int next_jsonl(input_t *in, cli_doc *d, buf_t *msg)
{
    for (;;) {
        int r = read_line(in, &in->line, in->o.max_bytes);
        in->jline++;
        if (r == 0 || r == -2) {
            if (r == -2)
                buf_printf(msg, "%s: read error: %s; rest of the file skipped", in->jpath, strerror(errno));
            if (!in->jstdin)
                fclose(in->jf);
            in->jf = NULL;
            return r == -2 ? -1 : 0;
        }
        if (r == -1) {
            buf_printf(msg, "%s:%lu: line longer than %zu bytes, skipped (raise --max-bytes to read it)",
                       in->jpath, in->jline, in->o.max_bytes);
            return -1;
        }
        const char *s = in->line.data ? in->line.data : "";
        size_t n = in->line.len;
        while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        size_t k = 0;
        while (k < n && (s[k] == ' ' || s[k] == '\t'))
            k++;
        if (k == n)
            continue; /* blank line */
        jsonl_val v[JK_COUNT];
        if (jsonl_flat(s, n, v)) { /* the common line, read as jansson would */
            memset(d, 0, sizeof *d);
            d->id = v[JK_ID].s ? strndup(v[JK_ID].s, v[JK_ID].n) : NULL;
            if (!d->id) {
                char tmp[64];
                snprintf(tmp, sizeof tmp, "%s:%lu", in->jid, in->jline);
                d->id = strdup(tmp);
            }
            d->len = v[JK_TEXT].n;
            d->text = v[JK_TEXT].s;
            d->lang = v[JK_LANG].s ? strndup(v[JK_LANG].s, v[JK_LANG].n) : NULL;
            if (!d->lang && in->o.lang)
                d->lang = strdup(in->o.lang);
            d->date = v[JK_DATE].s ? strndup(v[JK_DATE].s, v[JK_DATE].n) : NULL;
            d->url = v[JK_URL].s ? strndup(v[JK_URL].s, v[JK_URL].n) : NULL;
            d->title = v[JK_TITLE].s ? strndup(v[JK_TITLE].s, v[JK_TITLE].n) : NULL;
            snprintf(d->where, sizeof d->where, "%s:%lu", in->jpath, in->jline);
            free(v[JK_ID].s);
            free(v[JK_LANG].s);
            free(v[JK_DATE].s);
            free(v[JK_URL].s);
            free(v[JK_TITLE].s);
            return 1;
        }
        json_error_t err;
        json_t *o = json_loadb(s, n, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &err);
        if (!o || !json_is_object(o)) {
            buf_printf(msg, "%s:%lu: malformed JSON (%s, column %d); line skipped", in->jpath, in->jline,
                       o ? "not an object" : err.text, o ? 0 : err.column);
            json_decref(o);
            return -1;
        }
        json_t *t = json_object_get(o, "text");
        if (!json_is_string(t)) {
            buf_printf(msg, "%s:%lu: no \"text\" string; line skipped", in->jpath, in->jline);
            json_decref(o);
            return -1;
        }
        memset(d, 0, sizeof *d);
        d->id = json_str(o, "id");
        if (!d->id) {
            char tmp[64];
            snprintf(tmp, sizeof tmp, "%s:%lu", in->jid, in->jline);
            d->id = strdup(tmp);
        }
        d->len = json_string_length(t);
        d->text = malloc(d->len + 1);
        if (d->text) {
            memcpy(d->text, json_string_value(t), d->len);
            d->text[d->len] = 0;
        }
        d->lang = json_str(o, "lang");
        if (!d->lang && in->o.lang)
            d->lang = strdup(in->o.lang);
        d->date = json_str(o, "date");
        d->url = json_str(o, "url");
        d->title = json_str(o, "title");
        snprintf(d->where, sizeof d->where, "%s:%lu", in->jpath, in->jline);
        json_decref(o);
        return 1;
    }
}

/* Reads a whole file (or stdin) up to max bytes. */
static int slurp(FILE *f, size_t max, buf_t *b, bool *over)
{
    char tmp[65536];
    size_t n;
    *over = false;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
        if (b->len + n > max) {
            *over = true;
            return 0;
        }
        if (buf_append(b, tmp, n))
            return -1;
    }
    return ferror(f) ? -1 : 0;
}

static bool looks_binary(const char *s, size_t n)
{
    size_t m = n < 8192 ? n : 8192, nul = 0;
    for (size_t i = 0; i < m; i++)
        nul += s[i] == 0;
    if (nul * 100 > m)
        return true;
    return m && utf8_invalid_count(s, m) * 10 > m;
}

int input_next(input_t *in, cli_doc *d, buf_t *msg)
{
    buf_clear(msg);
    memset(d, 0, sizeof *d);
    if (in->feed_next < in->feed_docs.len) {
        *d = VEC_AT(&in->feed_docs, cli_doc, in->feed_next++);
        if (!d->lang && in->o.lang)
            d->lang = strdup(in->o.lang);
        return 1;
    }
    if (in->warc) {
        int r = warc_next(in->warc, d, in->o.max_bytes, msg);
        if (r != 0) {
            if (r > 0 && !d->lang && in->o.lang)
                d->lang = strdup(in->o.lang);
            return r;
        }
        warc_close(in->warc);
        in->warc = NULL;
        if (msg->len)
            return -1; /* a truncated file: said once */
    }
    if (in->jf) {
        int r = next_jsonl(in, d, msg);
        if (r != 0)
            return r;
        /* that file is done: go on with the next entry */
    }
    if (in->next >= in->entries.len)
        return 0;
    entry_t *e = &VEC_AT(&in->entries, entry_t, in->next++);
    const char *shown = e->path ? e->path : "<stdin>";
    FILE *f = e->path ? fopen(e->path, "rb") : stdin;
    if (!f) {
        buf_printf(msg, "%s: cannot read (%s); skipped", shown, strerror(errno));
        return -1;
    }
    /* peek to decide the kind */
    buf_t b = {0};
    char peek[4096];
    size_t pn = fread(peek, 1, sizeof peek, f);
    int kind = sniff(e->path, peek, pn);
    if (in->o.force_html)
        kind = K_HTML;
    if (kind == K_WARC) {
        if (e->path)
            fclose(f);
        if (!e->path) {
            buf_printf(msg, "<stdin>: WARC input must be a file; skipped");
            return -1;
        }
        in->warc = warc_open(e->path, msg);
        if (!in->warc)
            return -1;
        return input_next(in, d, msg);
    }
    if (kind == K_FEED) {
        buf_append(&b, peek, pn);
        bool over = false;
        int rr = slurp(f, in->o.max_bytes, &b, &over);
        if (e->path)
            fclose(f);
        if (rr || over) {
            buf_printf(msg, "%s: %s; skipped", shown, over ? "feed larger than --max-bytes" : "read error");
            buf_free(&b);
            return -1;
        }
        for (size_t i = in->feed_next; i < in->feed_docs.len; i++)
            cli_doc_free(&VEC_AT(&in->feed_docs, cli_doc, i));
        vec_clear(&in->feed_docs);
        in->feed_next = 0;
        int n = feed_parse(shown, b.data ? b.data : "", b.len, &in->feed_docs, msg);
        buf_free(&b);
        if (n < 0)
            return -1;
        return input_next(in, d, msg);
    }
    if (kind == K_JSONL) {
        /* continue line by line: push back what was peeked */
        FILE *mem = NULL;
        if (e->path) {
            rewind(f);
            in->jf = f;
            in->rpos = in->rlen = 0;
            in->jstdin = false;
        } else {
            /* stdin cannot rewind: read it all, then read lines from memory */
            bool over;
            buf_append(&b, peek, pn);
            if (slurp(f, SIZE_MAX / 2, &b, &over)) {
                buf_printf(msg, "<stdin>: read error: %s", strerror(errno));
                buf_free(&b);
                return -1;
            }
            mem = fmemopen(b.data ? b.data : (char *)"", b.len, "rb");
            in->jf = mem;
            in->rpos = in->rlen = 0;
            in->jstdin = false;
        }
        free(in->jpath);
        free(in->jid);
        in->jpath = strdup(shown);
        in->jid = strdup(e->id ? e->id : "stdin");
        in->jline = 0;
        if (!in->jf) {
            buf_free(&b);
            return -1;
        }
        if (mem) {
            buf_free(&in->stdin_copy);
            in->stdin_copy = b; /* the stream reads from it: freed at close */
        } else {
            buf_free(&b);
        }
        return next_jsonl(in, d, msg);
    }
    buf_append(&b, peek, pn);
    bool over = false;
    int rr = slurp(f, in->o.max_bytes, &b, &over);
    if (e->path)
        fclose(f);
    if (rr || over || (b.len > in->o.max_bytes)) {
        if (over || b.len > in->o.max_bytes)
            buf_printf(msg, "%s: larger than %zu bytes; skipped (raise --max-bytes to read it)", shown,
                       in->o.max_bytes);
        else
            buf_printf(msg, "%s: read error (%s); skipped", shown, strerror(errno));
        buf_free(&b);
        return -1;
    }
    if (b.len == 0) {
        buf_printf(msg, "%s: empty; skipped", shown);
        buf_free(&b);
        return -1;
    }
    if (looks_binary(b.data, b.len)) {
        buf_printf(msg, "%s: binary data, not text; skipped", shown);
        buf_free(&b);
        return -1;
    }
    snprintf(d->where, sizeof d->where, "%s", shown);
    d->id = strdup(e->id ? e->id : "stdin");
    d->lang = in->o.lang ? strdup(in->o.lang) : NULL;
    if (kind == K_HTML) {
        size_t tl = 0;
        char *title = NULL;
        char *t = as_html_to_text(b.data, b.len, &tl, &title);
        buf_free(&b);
        if (!t) {
            buf_printf(msg, "%s: HTML could not be read; skipped", shown);
            cli_doc_free(d);
            return -1;
        }
        d->text = t;
        d->len = tl;
        d->title = title;
        return 1;
    }
    d->text = b.data;
    d->len = b.len;
    return 1;
}
