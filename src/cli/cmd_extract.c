/* cmd_extract.c - armscope extract: documents in, records out, in input
 * order whatever the number of threads. */
#include "cli.h"
#include "input.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char USAGE[] =
    "usage: armscope extract [OPTIONS] [FILE|DIR|-]...\n"
    "\n"
    "Reads news articles and writes one JSON record per transfer statement\n"
    "(supplier, recipient, category, modality, items, designations, quantity,\n"
    "sources, evidence). Files may be plain text, HTML or JSON Lines\n"
    "({\"id\",\"text\",\"lang\"?,\"date\"?...} per line); folders are read\n"
    "recursively; '-' or no argument reads standard input.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT   json (default: JSON Lines) or table\n"
    "  -j, --jobs N       threads (default 1); output order does not change\n"
    "  -l, --lang L       language of documents that do not say (default: detect)\n"
    "      --html         read every file as HTML\n"
    "      --emit-text    print each document's text as JSON Lines instead of\n"
    "                     records (the text evidence offsets refer to)\n"
    "      --max-bytes N  skip documents larger than N bytes (default 67108864)\n"
    "  -q, --quiet        no warnings on standard error (errors still)\n"
    "      --data DIR     data files\n"
    "  -h, --help         this text\n"
    "\n"
    "Exit status: 0 every document processed, 1 some skipped (named on\n"
    "standard error), 2 usage error or no data files.\n";

enum { FMT_JSON, FMT_TABLE };

typedef struct {
    cli_doc doc;
    buf_t out;
    char *err;
    size_t invalid;
    bool failed;
} job_t;
_Static_assert(offsetof(job_t, doc) == 0, "input_next_batch fills the cli_doc at the start of each job");

typedef struct {
    as_worker *w;
    job_t *jobs;
    size_t n;
    atomic_size_t *next;
    int fmt;
} pool_arg;

static void snippet(buf_t *b, const char *t, size_t a, size_t e, size_t max)
{
    size_t n = 0;
    for (size_t i = a; i < e && n < max; i++, n++) {
        char c = t[i];
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        /* do not cut a UTF-8 sequence at the end */
        if (n + 1 == max) {
            while (i < e && ((unsigned char)t[i] & 0xC0) == 0x80)
                buf_putc(b, t[i++]);
            buf_puts(b, "...");
            return;
        }
        buf_putc(b, c);
    }
}

static void table_rows(as_worker *w, const cli_doc *d, buf_t *out)
{
    size_t n = as_worker_record_count(w);
    for (size_t i = 0; i < n; i++) {
        as_record r;
        as_worker_record(w, i, &r);
        char q[48] = "";
        if (r.quantity > 0)
            snprintf(q, sizeof q, "%s%.0f", !strcmp(r.approx, "more_than") ? ">" : !strcmp(r.approx, "about") ? "~" :
                                              !strcmp(r.approx, "less_than") ? "<" : !strcmp(r.approx, "up_to") ? "<=" : "",
                     r.quantity);
        buf_printf(out, "%-18.18s %-9.9s %-9.9s %-20.20s %-9.9s %-9.9s %-16.16s ", d->id, r.supplier, r.recipient,
                   r.category, r.modality, q, r.designations);
        snippet(out, d->text, r.evidence_start, r.evidence_end, 60);
        buf_putc(out, '\n');
    }
}

static void run_job(as_worker *w, job_t *j, int fmt)
{
    as_doc doc = {j->doc.id, j->doc.text, j->doc.len, j->doc.lang, j->doc.date};
    if (as_extract(w, &doc, 0)) {
        j->failed = true;
        j->err = strdup(as_worker_error(w));
        return;
    }
    j->invalid = as_worker_stats(w)->invalid_bytes;
    if (fmt == FMT_JSON) {
        size_t len;
        const char *s = as_worker_json(w, &len);
        buf_append(&j->out, s, len);
    } else {
        table_rows(w, &j->doc, &j->out);
    }
}

static void *pool_main(void *p)
{
    pool_arg *a = p;
    for (;;) {
        size_t i = atomic_fetch_add(a->next, 1);
        if (i >= a->n)
            break;
        run_job(a->w, &a->jobs[i], a->fmt);
    }
    return NULL;
}

/* A batch holds up to 512 documents per thread and at most BATCH_BYTES of
 * text (two are held at once): large enough that threads seldom wait at
 * its end, small enough that memory does not grow with the input. */
#define BATCH_DOCS 512
#define BATCH_BYTES (8u << 20)

/* Reads up to cap documents; skipped ones are named on stderr. */
static size_t read_batch(input_t *in, job_t *batch, size_t cap, bool *more, buf_t *msg, size_t *skipped)
{
    return input_next_batch(in, batch, sizeof *batch, cap, BATCH_BYTES, more, msg, false, skipped);
}

static void emit_texts(job_t *batch, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        buf_t b = {0};
        buf_puts(&b, "{\"doc\":");
        buf_json_str(&b, batch[i].doc.id, strlen(batch[i].doc.id));
        buf_puts(&b, ",\"text\":");
        buf_json_str(&b, batch[i].doc.text, batch[i].doc.len);
        buf_puts(&b, "}\n");
        cli_write(b.data, b.len);
        buf_free(&b);
        cli_doc_free(&batch[i].doc);
    }
}

static void write_batch(job_t *batch, size_t n, bool quiet, size_t *skipped)
{
    for (size_t i = 0; i < n; i++) {
        job_t *j = &batch[i];
        if (j->failed) {
            fprintf(stderr, "armscope: %s: %s; skipped\n", j->doc.where, j->err ? j->err : "failed");
            (*skipped)++;
        } else {
            if (j->invalid && !quiet)
                fprintf(stderr, "armscope: %s: warning: %zu byte(s) of invalid UTF-8 or NUL replaced by '?'\n",
                        j->doc.where, j->invalid);
            cli_write(j->out.data ? j->out.data : "", j->out.len);
        }
        buf_free(&j->out);
        free(j->err);
        cli_doc_free(&j->doc);
        memset(j, 0, sizeof *j);
    }
}

int cmd_extract(int argc, char **argv, const cli_global *g)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'}, {"jobs", required_argument, NULL, 'j'},
        {"lang", required_argument, NULL, 'l'},   {"html", no_argument, NULL, 'H'},
        {"emit-text", no_argument, NULL, 'T'},    {"max-bytes", required_argument, NULL, 'M'},
        {"quiet", no_argument, NULL, 'q'},        {"data", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},         {0, 0, 0, 0},
    };
    int fmt = FMT_JSON, jobs = 1;
    bool emit_text = false, quiet = false;
    input_opts io = {.max_bytes = 64u << 20};
    cli_global gg = *g;
    int c;
    while ((c = getopt_long(argc, argv, "f:j:l:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!strcmp(optarg, "json") || !strcmp(optarg, "jsonl"))
                fmt = FMT_JSON;
            else if (!strcmp(optarg, "table"))
                fmt = FMT_TABLE;
            else {
                fprintf(stderr, "armscope extract: unknown format '%s' (json or table)\n", optarg);
                return 2;
            }
            break;
        case 'j': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 256) {
                fprintf(stderr, "armscope extract: --jobs takes a number from 1 to 256\n");
                return 2;
            }
            jobs = (int)v;
            break;
        }
        case 'l':
            io.lang = optarg;
            break;
        case 'H':
            io.force_html = true;
            break;
        case 'T':
            emit_text = true;
            break;
        case 'M': {
            char *end;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*end || v == 0) {
                fprintf(stderr, "armscope extract: --max-bytes takes a positive number\n");
                return 2;
            }
            io.max_bytes = (size_t)v;
            break;
        }
        case 'q':
            quiet = true;
            break;
        case 'd':
            gg.data = optarg;
            break;
        case 'h':
            fputs(USAGE, stdout);
            return 0;
        default:
            fputs(USAGE, stderr);
            return 2;
        }
    }
    int npaths = argc - optind;
    if (npaths == 0 && isatty(0)) {
        fputs(USAGE, stderr);
        return 2;
    }
    as_engine *e = emit_text ? NULL : cli_load(&gg);
    if (!emit_text && !e)
        return 2;
    input_t *in = input_open(argv + optind, npaths, &io);
    as_worker **ws = calloc((size_t)jobs, sizeof *ws);
    if (!in || !ws) {
        fprintf(stderr, "armscope extract: out of memory\n");
        return 2;
    }
    for (int i = 0; e && i < jobs; i++)
        if (!(ws[i] = as_worker_new(e))) {
            fprintf(stderr, "armscope extract: out of memory\n");
            return 2;
        }
    size_t batch_cap = (size_t)jobs * BATCH_DOCS, skipped = 0;
    job_t *batch = calloc(batch_cap, sizeof *batch);
    buf_t msg = {0};
    if (fmt == FMT_TABLE && !emit_text) {
        const char *h = "DOC                SUPPLIER  RECIPIENT CATEGORY             MODALITY  QUANTITY  DESIGNATIONS     EVIDENCE\n";
        cli_write(h, strlen(h));
    }
    /* Two batches: while the workers extract one, this thread reads the
     * next; output is written in input order after each batch. */
    job_t *next_batch = calloc(batch_cap, sizeof *next_batch);
    if (!batch || !next_batch) {
        fprintf(stderr, "armscope extract: out of memory\n");
        return 2;
    }
    bool more = true;
    size_t n = read_batch(in, batch, batch_cap, &more, &msg, &skipped);
    while (n) {
        if (emit_text) {
            emit_texts(batch, n);
        } else {
            pthread_t th[256];
            pool_arg args[256];
            atomic_size_t next = 0;
            int started = 0;
            if (n > 1) /* even one worker runs beside the reader */
                for (int t = 0; t < jobs; t++) {
                    args[t] = (pool_arg){ws[t], batch, n, &next, fmt};
                    if (pthread_create(&th[t], NULL, pool_main, &args[t]))
                        break;
                    started++;
                }
            if (!started)
                for (size_t i = 0; i < n; i++)
                    run_job(ws[0], &batch[i], fmt);
            size_t m = more ? read_batch(in, next_batch, batch_cap, &more, &msg, &skipped) : 0;
            for (int t = 0; t < started; t++)
                pthread_join(th[t], NULL);
            write_batch(batch, n, quiet, &skipped);
            job_t *tmp = batch;
            batch = next_batch;
            next_batch = tmp;
            n = m;
            continue;
        }
        n = more ? read_batch(in, batch, batch_cap, &more, &msg, &skipped) : 0;
    }
    free(next_batch);
    buf_free(&msg);
    free(batch);
    for (int i = 0; i < jobs; i++)
        as_worker_free(ws[i]);
    free(ws);
    input_close(in);
    as_engine_free(e);
    return skipped ? 1 : 0;
}
