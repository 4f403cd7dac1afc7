/* cmd_store.c - the evidence store on the command line: ingest, transfers,
 * evidence, search, export. */
#include "cli.h"
#include "input.h"
#include "../store/export.h"
#include "../store/store.h"

#include <getopt.h>
#include <pthread.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- ingest */

static const char INGEST_USAGE[] =
    "usage: armscope ingest --db FILE [OPTIONS] INPUT...\n"
    "\n"
    "Extracts records from every document and stores documents, records,\n"
    "evidence sentences and claims in a SQLite database (created if needed).\n"
    "INPUT is anything extract reads (text, HTML, JSON Lines, folders, -)\n"
    "plus RSS 2.0 and Atom feeds and WARC files, plain or .gz (Common Crawl\n"
    "news: HTML responses; URL and date from the WARC headers).\n"
    "A document already stored (same content) is skipped, so ingesting again\n"
    "adds nothing; each batch is one transaction, so an interrupted run loses\n"
    "nothing stored and can simply be run again.\n"
    "\n"
    "options:\n"
    "      --db FILE      the database (required)\n"
    "  -j, --jobs N       extraction threads (default 1)\n"
    "  -l, --lang L       language of documents that do not give one\n"
    "      --batch N      documents per transaction (default 2048, and at most\n"
    "                     32 MB of text)\n"
    "      --max-bytes N  skip larger documents (default 67108864)\n"
    "  -q, --quiet        no warnings, no progress\n"
    "      --data DIR     data files\n"
    "  -h, --help         this text\n"
    "\n"
    "Exit status: 0 all documents processed, 1 some skipped (named on\n"
    "standard error), 2 usage error or database/data failure.\n";

typedef struct {
    cli_doc doc;
    bool failed, stored_before;
    char *err;
    store_prep *prep;            /* what the writer stores */
} ing_job;
_Static_assert(offsetof(ing_job, doc) == 0, "input_next_batch fills the cli_doc at the start of each job");

/* A batch, one transaction, ends at --batch documents or at BATCH_BYTES
 * of text, whichever comes first: three are held at once. */
#define BATCH_BYTES (32u << 20)

/* One batch: its jobs (the slots are reused, with their store_prep). */
typedef struct {
    ing_job *jobs;
    size_t n;
} ing_batch;

/* The extracting threads: each with its own worker and its own read-only
 * connection, to skip documents stored already without waiting for the
 * writer. */
typedef struct {
    const as_engine *e;
    as_worker *w;
    store_t *ro;
    ing_batch *b;
    atomic_size_t *next;
} ing_arg;

static void *extract_thread(void *p)
{
    ing_arg *a = p;
    for (;;) {
        size_t i = atomic_fetch_add(a->next, 1);
        if (i >= a->b->n)
            break;
        ing_job *j = &a->b->jobs[i];
        store_doc sd = {j->doc.id, j->doc.url, j->doc.title, NULL, NULL, j->doc.date, j->doc.text, j->doc.len};
        /* store_prep_doc ran in the reading thread (prep_batch) */
        if (a->ro && store_has_prep(a->ro, j->prep)) {
            j->stored_before = true;
            continue;
        }
        as_doc d = {j->doc.id, j->doc.text, j->doc.len, j->doc.lang, j->doc.date};
        if (as_extract(a->w, &d, 0)) {
            j->failed = true;
            j->err = strdup(as_worker_error(a->w));
            continue;
        }
        sd.lang = as_worker_stats(a->w)->lang;
        store_prep_extracted(j->prep, &sd, a->w);
    }
    return NULL;
}

/* Reads the next batch and takes each document's hashes and metadata
 * (store_prep_doc) in the reading thread, which has time to spare, so
 * that the extracting threads only extract. */
static size_t read_batch(input_t *in, ing_batch *b, size_t cap, bool *more, buf_t *msg, bool tty, size_t *skipped)
{
    b->n = input_next_batch(in, b->jobs, sizeof *b->jobs, cap, BATCH_BYTES, more, msg, tty, skipped);
    for (size_t i = 0; i < b->n; i++) {
        ing_job *j = &b->jobs[i];
        store_doc sd = {j->doc.id, j->doc.url, j->doc.title, NULL, NULL, j->doc.date, j->doc.text, j->doc.len};
        store_prep_doc(j->prep, &sd);
    }
    return b->n;
}

/* The writer: one transaction per batch, on the one writable connection. */
typedef struct {
    store_t *st;
    ing_batch *b;
    size_t added, before, records;
    char fatal[512];
} writer_arg;

static void *writer_thread(void *p)
{
    writer_arg *a = p;
    if (store_begin(a->st)) {
        snprintf(a->fatal, sizeof a->fatal, "%s", store_error(a->st));
        return NULL;
    }
    for (size_t i = 0; i < a->b->n; i++) {
        ing_job *j = &a->b->jobs[i];
        if (j->failed)
            continue;
        if (j->stored_before) {
            a->before++;
            continue;
        }
        int r = store_write(a->st, j->prep);
        if (r < 0) {
            snprintf(a->fatal, sizeof a->fatal, "%s", store_error(a->st));
            break;
        }
        if (r == 0) {
            a->added++;
            a->records += store_prep_records(j->prep);
        } else {
            a->before++;
        }
    }
    if (!a->fatal[0] && store_commit(a->st))
        snprintf(a->fatal, sizeof a->fatal, "%s", store_error(a->st));
    return NULL;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Runs fn(arg) in a thread, or here when no thread can be made. */
static bool spawn(pthread_t *th, void *(*fn)(void *), void *arg)
{
    if (!pthread_create(th, NULL, fn, arg))
        return true;
    fn(arg);
    return false;
}

int cmd_ingest(int argc, char **argv, const cli_global *g)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'D'},    {"jobs", required_argument, NULL, 'j'},
        {"lang", required_argument, NULL, 'l'},  {"batch", required_argument, NULL, 'B'},
        {"max-bytes", required_argument, NULL, 'M'}, {"quiet", no_argument, NULL, 'q'},
        {"data", required_argument, NULL, 'd'},  {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *db = NULL;
    int jobs = 1;
    size_t batch = 2048;
    bool quiet = false;
    input_opts io = {.max_bytes = 64u << 20};
    cli_global gg = *g;
    int c;
    while ((c = getopt_long(argc, argv, "j:l:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'j': jobs = atoi(optarg); break;
        case 'l': io.lang = optarg; break;
        case 'B': batch = (size_t)atol(optarg); break;
        case 'M': io.max_bytes = (size_t)atoll(optarg); break;
        case 'q': quiet = true; break;
        case 'd': gg.data = optarg; break;
        case 'h': fputs(INGEST_USAGE, stdout); return 0;
        default: fputs(INGEST_USAGE, stderr); return 2;
        }
    }
    if (!db || jobs < 1 || jobs > 256 || batch < 1 || !io.max_bytes || optind >= argc) {
        fputs(INGEST_USAGE, stderr);
        return 2;
    }
    as_engine *e = cli_load(&gg);
    if (!e)
        return 2;
    char err[1024];
    store_t *st = store_open(db, false, err, sizeof err);
    if (!st) {
        fprintf(stderr, "armscope ingest: %s\n", err);
        as_engine_free(e);
        return 2;
    }
    as_worker **ws = calloc((size_t)jobs, sizeof *ws);
    store_t **ro = calloc((size_t)jobs, sizeof *ro);
    for (int i = 0; ws && ro && i < jobs; i++) {
        ws[i] = as_worker_new(e);
        ro[i] = store_open(db, true, err, sizeof err); /* NULL: the writer's own check suffices */
    }
    input_t *in = input_open(argv + optind, argc - optind, &io);
    /* Three batches in turn: while the writer stores one, the extracting
     * threads extract another, and this thread reads the next from the
     * input. */
    ing_batch bt[3] = {{0}};
    buf_t msg = {0};
    size_t seen = 0, skipped = 0, added = 0, before = 0, records = 0;
    char fatal[512] = "";
    bool tty = !quiet && isatty(2);
    double t0 = now_s(), last = 0;
    bool more = true;
    for (int k = 0; k < 3; k++) {
        bt[k].jobs = calloc(batch, sizeof *bt[k].jobs);
        for (size_t i = 0; bt[k].jobs && i < batch; i++)
            if (!(bt[k].jobs[i].prep = store_prep_new()))
                break;
        if (!bt[k].jobs || !bt[k].jobs[batch - 1].prep)
            snprintf(fatal, sizeof fatal, "out of memory for a batch of %zu documents; try a smaller --batch", batch);
    }
    if (!ws || !ro)
        snprintf(fatal, sizeof fatal, "out of memory");
    ing_batch *cur = &bt[0], *wr = &bt[1], *nx = &bt[2];
    cur->n = fatal[0] ? 0 : read_batch(in, cur, batch, &more, &msg, tty, &skipped);
    wr->n = 0;
    while ((cur->n || wr->n) && !fatal[0]) {
        writer_arg wa = {.st = st, .b = wr};
        pthread_t wth, th[256];
        bool writing = wr->n && spawn(&wth, writer_thread, &wa);
        atomic_size_t next = 0;
        ing_arg args[256];
        int started = 0;
        for (int t = 0; cur->n && t < jobs; t++) {
            args[t] = (ing_arg){e, ws[t], ro[t], cur, &next};
            if (spawn(&th[started], extract_thread, &args[t]))
                started++;
        }
        nx->n = more ? read_batch(in, nx, batch, &more, &msg, tty, &skipped) : 0;
        for (int t = 0; t < started; t++)
            pthread_join(th[t], NULL);
        if (writing)
            pthread_join(wth, NULL);
        if (wa.fatal[0])
            snprintf(fatal, sizeof fatal, "%s", wa.fatal);
        added += wa.added;
        before += wa.before;
        records += wa.records;
        /* the written batch is done: name its failures, free its documents */
        for (size_t i = 0; i < wr->n; i++) {
            ing_job *j = &wr->jobs[i];
            seen++;
            if (j->failed) {
                fprintf(stderr, "armscope: %s: %s; skipped\n", j->doc.where, j->err ? j->err : "");
                skipped++;
            }
            free(j->err);
            cli_doc_free(&j->doc);
            store_prep *keep_prep = j->prep;
            memset(j, 0, sizeof *j);
            j->prep = keep_prep;
        }
        double t = now_s();
        if (tty && t - last > 0.2) {
            fprintf(stderr, "\r\033[K%zu documents, %zu new, %zu records, %.0f documents/s", seen, added, records,
                    seen / (t - t0 > 1e-6 ? t - t0 : 1e-6));
            last = t;
        }
        ing_batch *tmp = wr;
        wr = cur;
        cur = nx;
        nx = tmp;
    }
    /* the merged transfers of the keys this run touched */
    int refreshed = fatal[0] ? 0 : store_refresh(st, e);
    if (refreshed < 0)
        snprintf(fatal, sizeof fatal, "%s", store_error(st));
    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; bt[k].jobs && i < batch; i++) {
            cli_doc_free(&bt[k].jobs[i].doc); /* read but not stored (after a failure) */
            free(bt[k].jobs[i].err);
            store_prep_free(bt[k].jobs[i].prep);
        }
        free(bt[k].jobs);
    }
    if (tty)
        fputs("\r\033[K", stderr);
    if (!quiet)
        fprintf(stderr, "armscope: %zu documents read, %zu stored, %zu already there, %zu records, %d transfers"
                        " updated, %zu skipped, %.1f s\n",
                seen, added, before, records, refreshed > 0 ? refreshed : 0, skipped, now_s() - t0);
    buf_free(&msg);
    input_close(in);
    for (int i = 0; ws && i < jobs; i++) {
        as_worker_free(ws[i]);
        if (ro)
            store_close(ro[i]);
    }
    free(ws);
    free(ro);
    store_close(st);
    as_engine_free(e);
    if (fatal[0]) {
        fprintf(stderr, "armscope ingest: %s: %s (what was committed before is kept; run again to go on)\n", db,
                fatal);
        return 2;
    }
    return skipped ? 1 : 0;
}

/* --------------------------------------------------------- the queries */

static int write_out(void *ctx, const char *data, size_t len)
{
    (void)ctx;
    cli_write(data, len);
    return 0;
}

/* Opens a database for the queries: writable when the file is, so that
 * merged transfers left stale by an interrupted ingest (or an older
 * schema) are brought up to date first; else read-only, with a warning. */
store_t *cli_open_store(const char *db, const as_engine *e)
{
    char err[1024];
    if (access(db, F_OK)) {
        fprintf(stderr, "armscope: %s: no such database (create it with armscope ingest --db %s INPUT...)\n", db, db);
        return NULL;
    }
    bool writable = e && !access(db, W_OK);
    store_t *st = store_open(db, !writable, err, sizeof err);
    if (!st) {
        fprintf(stderr, "armscope: %s\n", err);
        return NULL;
    }
    int stale = store_stale(st);
    if (stale > 0 && writable && store_refresh(st, e) < 0) {
        fprintf(stderr, "armscope: %s: %s\n", db, store_error(st));
        store_close(st);
        return NULL;
    }
    if (stale > 0 && !writable)
        fprintf(stderr, "armscope: %s: %d merged transfers are out of date and the file is read-only; they are"
                        " brought up to date by the next ingest or query with write access\n", db, stale);
    return st;
}

static const char FILTER_HELP[] =
    "filters:\n"
    "      --supplier CODE, --recipient CODE, --actor CODE (either side)\n"
    "      --category CAT, --modality fact|potential|denied\n"
    "      --since YYYY[-MM[-DD]], --until YYYY[-MM[-DD]] (event dates)\n"
    "      --min-credibility N (1 confirmed .. 6 cannot be judged)\n"
    "      --embargo-violations, --query TEXT (words of the evidence)\n";

static const char TRANSFERS_USAGE[] =
    "usage: armscope transfers --db FILE [FILTERS] [--format table|csv|jsonl]\n"
    "\n"
    "Merged transfers: one per (supplier, recipient, category) across all\n"
    "stored documents, with first and last date, documents, independent\n"
    "stories (near-duplicate copies count once), the best stated modality,\n"
    "credibility (1-6) and the embargoes broken.\n";

static const char EXPORT_USAGE[] =
    "usage: armscope export --db FILE --format graphml|gexf|dot|csv|jsonl [FILTERS]\n"
    "\n"
    "The transfer network: actors as nodes, merged transfers as edges.\n";

static int run_transfers(int argc, char **argv, const cli_global *g, bool export)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'D'},       {"supplier", required_argument, NULL, 's'},
        {"recipient", required_argument, NULL, 'r'}, {"actor", required_argument, NULL, 'a'},
        {"category", required_argument, NULL, 'c'}, {"modality", required_argument, NULL, 'm'},
        {"since", required_argument, NULL, 'S'},    {"until", required_argument, NULL, 'U'},
        {"min-credibility", required_argument, NULL, 'C'}, {"embargo-violations", no_argument, NULL, 'E'},
        {"query", required_argument, NULL, 'Q'},    {"format", required_argument, NULL, 'f'},
        {"data", required_argument, NULL, 'd'},     {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *db = NULL;
    store_filter f = {0};
    int fmt = export ? -1 : EXPORT_TABLE;
    cli_global gg = *g;
    int c;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 's': f.supplier = optarg; break;
        case 'r': f.recipient = optarg; break;
        case 'a': f.actor = optarg; break;
        case 'c': f.category = optarg; break;
        case 'm': f.modality = optarg; break;
        case 'S': f.since = optarg; break;
        case 'U': f.until = optarg; break;
        case 'C': f.min_credibility = atoi(optarg); break;
        case 'E': f.embargo_only = true; break;
        case 'Q': f.query = optarg; break;
        case 'f':
            fmt = export_format(optarg, export);
            if (fmt < 0) {
                fprintf(stderr, "armscope: unknown format '%s'\n", optarg);
                return 2;
            }
            break;
        case 'd': gg.data = optarg; break;
        case 'h':
            fputs(export ? EXPORT_USAGE : TRANSFERS_USAGE, stdout);
            fputs(FILTER_HELP, stdout);
            return 0;
        default:
            fputs(export ? EXPORT_USAGE : TRANSFERS_USAGE, stderr);
            return 2;
        }
    }
    if (!db || fmt < 0 || optind < argc) {
        fputs(export ? EXPORT_USAGE : TRANSFERS_USAGE, stderr);
        fputs(FILTER_HELP, stderr);
        return 2;
    }
    as_engine *e = cli_load(&gg);
    if (!e)
        return 2;
    char err[512];
    const char *bad = store_filter_check(&f, e, err, sizeof err);
    if (bad) {
        fprintf(stderr, "armscope: %s\n", err);
        as_engine_free(e);
        return 2;
    }
    store_t *st = cli_open_store(db, e);
    if (!st) {
        as_engine_free(e);
        return 2;
    }
    int n = export_transfers(st, e, &f, (export_fmt)fmt, write_out, NULL);
    int rc = 0;
    if (n < 0) {
        fprintf(stderr, "armscope: %s: %s\n", db, store_error(st));
        rc = 2;
    }
    store_close(st);
    as_engine_free(e);
    return rc;
}

int cmd_transfers(int argc, char **argv, const cli_global *g) { return run_transfers(argc, argv, g, false); }
int cmd_export(int argc, char **argv, const cli_global *g) { return run_transfers(argc, argv, g, true); }

/* --------------------------------------------------- evidence and search */

typedef struct {
    int fmt;
    bool color, search;
    size_t n;
    const as_engine *e;
} ev_out;

static int evidence_row(void *ctx, const store_evidence *ev)
{
    ev_out *o = ctx;
    buf_t b = {0};
    size_t a, z, sl = ev->sentence ? strlen(ev->sentence) : 0;
    export_span(ev, &a, &z);
    if (o->fmt == EXPORT_JSONL) {
        export_evidence_json(&b, o->e, ev, o->search);
        buf_putc(&b, '\n');
    } else if (o->fmt == EXPORT_CSV) {
        const char *f[] = {ev->doc, ev->date, ev->outlet, ev->url, ev->lang, ev->modality, ev->sentence, ev->claims};
        for (int i = 0; i < 8; i++) {
            if (i)
                buf_putc(&b, ',');
            export_csv_field(&b, f[i]);
        }
        buf_printf(&b, ",%zu,%zu\n", a, z);
    } else {
        if (o->search)
            buf_printf(&b, "%s -> %s  %s\n", ev->supplier, ev->recipient, ev->category);
        buf_printf(&b, "%s  %s  %s  %s  %s\n", ev->date ? ev->date : "-", ev->outlet ? ev->outlet : "-",
                   ev->lang ? ev->lang : "-", ev->doc, ev->modality ? ev->modality : "");
        if (ev->url)
            buf_printf(&b, "  %s\n", ev->url);
        buf_puts(&b, "  ");
        buf_append(&b, ev->sentence, a);
        buf_puts(&b, o->color ? "\033[1;31m" : "[[");
        buf_append(&b, ev->sentence + a, z - a);
        buf_puts(&b, o->color ? "\033[0m" : "]]");
        buf_append(&b, ev->sentence + z, sl - z);
        buf_printf(&b, "\n  claims: %s\n\n", ev->claims ? ev->claims : "-");
    }
    cli_write(b.data, b.len);
    buf_free(&b);
    o->n++;
    return 0;
}

static const char EVIDENCE_USAGE[] =
    "usage: armscope evidence --db FILE [--format table|csv|jsonl] SUPPLIER RECIPIENT CATEGORY\n"
    "\n"
    "Every sentence that supports a merged transfer, with the matched span\n"
    "marked ([[...]], or in colour on a terminal), the document, outlet,\n"
    "date, language, URL and the claims and denials with who made them.\n";

static const char SEARCH_USAGE[] =
    "usage: armscope search --db FILE [--limit N] [--format table|csv|jsonl] QUERY\n"
    "\n"
    "Full-text search over the evidence sentences (SQLite FTS5 syntax:\n"
    "words, \"a phrase\", OR, NOT, prefix*).\n";

static int run_evidence(int argc, char **argv, const cli_global *g, bool search)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'D'}, {"format", required_argument, NULL, 'f'},
        {"limit", required_argument, NULL, 'L'}, {"help", no_argument, NULL, 'h'},
        {"data", required_argument, NULL, 'd'}, {0, 0, 0, 0},
    };
    const char *db = NULL, *data = NULL;
    int fmt = EXPORT_TABLE, limit = 50;
    int c;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'f':
            fmt = export_format(optarg, false);
            if (fmt < 0) {
                fprintf(stderr, "armscope: unknown format '%s'\n", optarg);
                return 2;
            }
            break;
        case 'L': limit = atoi(optarg); break;
        case 'd': data = optarg; break;
        case 'h': fputs(search ? SEARCH_USAGE : EVIDENCE_USAGE, stdout); return 0;
        default: fputs(search ? SEARCH_USAGE : EVIDENCE_USAGE, stderr); return 2;
        }
    }
    if (!db || argc - optind != (search ? 1 : 3)) {
        fputs(search ? SEARCH_USAGE : EVIDENCE_USAGE, stderr);
        return 2;
    }
    cli_global gg = *g;
    gg.data = data ? data : g->data;
    as_engine *e = cli_load(&gg);
    if (!e)
        return 2;
    store_t *st = cli_open_store(db, e);
    if (!st) {
        as_engine_free(e);
        return 2;
    }
    ev_out o = {.fmt = fmt, .color = fmt == EXPORT_TABLE && isatty(1) && !getenv("NO_COLOR"), .search = search,
                .e = e};
    if (fmt == EXPORT_CSV)
        cli_write("doc,date,outlet,url,lang,modality,sentence,claims,span_start,span_end\n", 70);
    store_filter f = {.limit = limit};
    int n = search ? store_search(st, argv[optind], &f, NULL, NULL, evidence_row, &o)
                   : store_evidence_of(st, argv[optind], argv[optind + 1], argv[optind + 2], 0, 0, evidence_row, &o);
    int rc = 0;
    if (n < 0) {
        fprintf(stderr, "armscope: %s: %s\n", db, store_error(st));
        rc = 2;
    } else if (n == 0 && fmt == EXPORT_TABLE) {
        fprintf(stderr, "armscope: no evidence found\n");
    }
    store_close(st);
    as_engine_free(e);
    return rc;
}

int cmd_evidence(int argc, char **argv, const cli_global *g) { return run_evidence(argc, argv, g, false); }
int cmd_search(int argc, char **argv, const cli_global *g) { return run_evidence(argc, argv, g, true); }
