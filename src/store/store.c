/* store.c - the SQLite evidence store. */
#include "store_private.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SCHEMA_VERSION 2

/* A near-duplicate is looked for among the BAND_SCAN latest documents that
 * share a band: syndicated copies come close together, and the cost per
 * document stays bounded however large the store grows. */
#define BAND_SCAN "256"


static const char *const MIGRATIONS[SCHEMA_VERSION] = {
    /* 1: documents, records, evidence (with full-text search), claims */
    "CREATE TABLE documents(id INTEGER PRIMARY KEY, key TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,"
    " url TEXT, title TEXT, outlet TEXT, lang TEXT, date TEXT, sim INTEGER NOT NULL,"
    " band0 INTEGER NOT NULL, band1 INTEGER NOT NULL, band2 INTEGER NOT NULL, band3 INTEGER NOT NULL,"
    " story INTEGER, ingested TEXT NOT NULL);"
    "CREATE INDEX documents_band0 ON documents(band0);"
    "CREATE INDEX documents_band1 ON documents(band1);"
    "CREATE INDEX documents_band2 ON documents(band2);"
    "CREATE INDEX documents_band3 ON documents(band3);"
    "CREATE TABLE records(id INTEGER PRIMARY KEY,"
    " doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    " supplier TEXT NOT NULL, recipient TEXT NOT NULL, category TEXT NOT NULL, modality TEXT NOT NULL,"
    " quantity REAL, approx TEXT, designations TEXT NOT NULL DEFAULT '', items TEXT NOT NULL DEFAULT '',"
    " event_date TEXT);"
    "CREATE INDEX records_key ON records(supplier, recipient, category);"
    "CREATE INDEX records_doc ON records(doc);"
    "CREATE TABLE evidence(id INTEGER PRIMARY KEY,"
    " record INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
    " start INTEGER NOT NULL, end INTEGER NOT NULL, sentence TEXT NOT NULL,"
    " span_start INTEGER NOT NULL, span_end INTEGER NOT NULL);"
    "CREATE INDEX evidence_record ON evidence(record);"
    /* indexed once per batch, at commit: a trigger per row makes FTS5
     * flush at every statement */
    "CREATE VIRTUAL TABLE evidence_fts USING fts5(sentence, content='evidence', content_rowid='id');"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
    "INSERT INTO meta VALUES('fts_indexed', 0);"
    "CREATE TABLE claims(id INTEGER PRIMARY KEY,"
    " record INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,"
    " actor TEXT, name TEXT, stance TEXT NOT NULL);"
    "CREATE INDEX claims_record ON claims(record);",
    /* 2: merged transfers kept up to date (store_refresh) instead of merged
     * at each query, their records per month, and the keys to redo */
    "CREATE TABLE transfers(id INTEGER PRIMARY KEY, supplier TEXT NOT NULL, recipient TEXT NOT NULL,"
    " category TEXT NOT NULL, modality TEXT NOT NULL, n_fact INTEGER NOT NULL, n_potential INTEGER NOT NULL,"
    " n_denied INTEGER NOT NULL, first_date TEXT NOT NULL, last_date TEXT NOT NULL, docs INTEGER NOT NULL,"
    " stories INTEGER NOT NULL, quantity REAL, quantity_doc TEXT, designations TEXT NOT NULL,"
    " asserts INTEGER NOT NULL, denies INTEGER NOT NULL, doubts INTEGER NOT NULL, official INTEGER NOT NULL,"
    " credibility INTEGER NOT NULL, embargo TEXT NOT NULL, UNIQUE(supplier, recipient, category));"
    /* an index per filter and sort order of the web view: each query
     * reads the rows it returns, not the table */
    "CREATE INDEX transfers_recipient ON transfers(recipient, docs);"
    "CREATE INDEX transfers_docs ON transfers(docs);"
    "CREATE INDEX transfers_category ON transfers(category, docs);"
    /* date ranges are counted from the index alone (both dates in it) */
    "CREATE INDEX transfers_first ON transfers(first_date, last_date);"
    "CREATE INDEX transfers_last ON transfers(last_date, first_date);"
    "CREATE INDEX transfers_embargo ON transfers(docs) WHERE embargo <> '';"
    "CREATE TABLE transfer_months(transfer INTEGER NOT NULL, month TEXT NOT NULL, records INTEGER NOT NULL,"
    " PRIMARY KEY(transfer, month)) WITHOUT ROWID;"
    /* the timeline summed over transfers, by what the unselective filters
     * ask (category, modality, credibility, embargo): kept by deltas */
    "CREATE TABLE timeline(month TEXT NOT NULL, category TEXT NOT NULL, modality TEXT NOT NULL,"
    " credibility INTEGER NOT NULL, embargo INTEGER NOT NULL, records INTEGER NOT NULL,"
    " PRIMARY KEY(month, category, modality, credibility, embargo)) WITHOUT ROWID;"
    /* the transfer of each evidence sentence, narrow so that the matches
     * of a full-text query reach their transfers by one lookup each */
    "CREATE TABLE evidence_transfer(id INTEGER PRIMARY KEY, transfer INTEGER NOT NULL);"
    "CREATE INDEX evidence_transfer_t ON evidence_transfer(transfer);"
    "CREATE TABLE stale(supplier TEXT NOT NULL, recipient TEXT NOT NULL, category TEXT NOT NULL,"
    " PRIMARY KEY(supplier, recipient, category)) WITHOUT ROWID;"
    "INSERT INTO stale SELECT DISTINCT supplier, recipient, category FROM records;"
    "INSERT INTO meta VALUES('embargo_sig', 0);",
};

const char *store_error(const store_t *st) { return st->err.data ? st->err.data : ""; }

int store_fail(store_t *st, const char *what)
{
    buf_clear(&st->err);
    buf_printf(&st->err, "%s: %s", what, sqlite3_errmsg(st->db));
    return -1;
}

static int prep(store_t *st, sqlite3_stmt **s, const char *sql)
{
    if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, s, NULL) != SQLITE_OK)
        return store_fail(st, "preparing a statement");
    return 0;
}

static int migrate(store_t *st)
{
    sqlite3_stmt *s;
    int v = 0;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    if (v > SCHEMA_VERSION) {
        buf_printf(&st->err, "database schema %d is newer than this armscope (%d): upgrade armscope", v,
                   SCHEMA_VERSION);
        return -1;
    }
    for (; v < SCHEMA_VERSION; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
        if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(st->db, MIGRATIONS[v], NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(st->db, pragma, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            store_fail(st, "migrating the schema");
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    return 0;
}

store_t *store_open(const char *path, bool readonly, char *err, size_t errlen)
{
    store_t *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open the database: %s", path, st->db ? sqlite3_errmsg(st->db) : "?");
        store_close(st);
        return NULL;
    }
    sqlite3_busy_timeout(st->db, 10000);
    sqlite3_exec(st->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
    st->readonly = readonly;
    if (readonly) {
        int v = -1;
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK) {
            if (sqlite3_step(s) == SQLITE_ROW)
                v = sqlite3_column_int(s, 0);
            sqlite3_finalize(s);
        }
        if (v != SCHEMA_VERSION) {
            snprintf(err, errlen, "%s: %s (schema %d; this armscope reads %d)%s", path,
                     v < 0 ? "not an armscope database" : v < SCHEMA_VERSION ? "an older armscope database" : "a newer armscope database",
                     v, SCHEMA_VERSION,
                     v >= 0 && v < SCHEMA_VERSION ? ": run armscope transfers --db on it once, with write access, to upgrade it" : "");
            store_close(st);
            return NULL;
        }
    }
    if (!readonly) {
        sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        sqlite3_exec(st->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
        /* 32 MB of page cache (the default is 2 MB): the unique-hash, band
         * and full-text indexes are updated at random places, and past the
         * cache every update reads pages back from the file */
        sqlite3_exec(st->db, "PRAGMA cache_size=-32768", NULL, NULL, NULL);
        if (migrate(st)) {
            snprintf(err, errlen, "%s: %s", path, store_error(st));
            store_close(st);
            return NULL;
        }
        if (prep(st, &st->has, "SELECT 1 FROM documents WHERE hash=?") ||
            /* the id is given: the story is known before the row is
             * written, and a copy already stored is no error */
            prep(st, &st->put_doc,
                 "INSERT INTO documents(key,hash,url,title,outlet,lang,date,sim,band0,band1,band2,band3,ingested,"
                 "id,story) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(hash) DO NOTHING") ||
            prep(st, &st->next_id, "SELECT IFNULL(max(id), 0) + 1 FROM documents") ||
            prep(st, &st->band[0], "SELECT sim, story FROM documents WHERE band0=? AND id<>? ORDER BY id DESC LIMIT " BAND_SCAN) ||
            prep(st, &st->band[1], "SELECT sim, story FROM documents WHERE band1=? AND id<>? ORDER BY id DESC LIMIT " BAND_SCAN) ||
            prep(st, &st->band[2], "SELECT sim, story FROM documents WHERE band2=? AND id<>? ORDER BY id DESC LIMIT " BAND_SCAN) ||
            prep(st, &st->band[3], "SELECT sim, story FROM documents WHERE band3=? AND id<>? ORDER BY id DESC LIMIT " BAND_SCAN) ||
            prep(st, &st->put_rec,
                 "INSERT INTO records(doc,supplier,recipient,category,modality,quantity,approx,designations,items,"
                 "event_date) VALUES(?,?,?,?,?,?,?,?,?,?)") ||
            prep(st, &st->put_ev,
                 "INSERT INTO evidence(record,start,end,sentence,span_start,span_end) VALUES(?,?,?,?,?,?)") ||
            prep(st, &st->put_claim, "INSERT INTO claims(record,actor,name,stance) VALUES(?,?,?,?)") ||
            prep(st, &st->put_stale, "INSERT OR IGNORE INTO stale VALUES(?,?,?)")) {
            snprintf(err, errlen, "%s: %s", path, store_error(st));
            store_close(st);
            return NULL;
        }
    }
    return st;
}

void store_close(store_t *st)
{
    if (!st)
        return;
    sqlite3_stmt *all[] = {st->has, st->put_doc, st->next_id, st->band[0], st->band[1], st->band[2],
                           st->band[3], st->put_rec, st->put_ev, st->put_claim, st->put_stale};
    for (size_t i = 0; i < AS_ARRAY_LEN(all); i++)
        sqlite3_finalize(all[i]);
    sqlite3_close(st->db);
    buf_free(&st->err);
    free(st);
}

int store_begin(store_t *st)
{
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(st, "begin");
    /* the writer holds the lock: the next document id is known (the
     * next_id query is prepared on a writable store only) */
    if (st->next_id) {
        sqlite3_reset(st->next_id);
        if (sqlite3_step(st->next_id) != SQLITE_ROW) {
            store_fail(st, "begin");
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        st->next_doc = sqlite3_column_int64(st->next_id, 0);
        sqlite3_reset(st->next_id);
    }
    return 0;
}

int store_commit(store_t *st)
{
    /* index the batch's evidence sentences, then commit both at once */
    if (sqlite3_exec(st->db,
                     "INSERT INTO evidence_fts(rowid, sentence) SELECT id, sentence FROM evidence"
                     " WHERE id > (SELECT value FROM meta WHERE key = 'fts_indexed');"
                     "UPDATE meta SET value = IFNULL((SELECT max(id) FROM evidence), 0) WHERE key = 'fts_indexed'",
                     NULL, NULL, NULL) != SQLITE_OK) {
        store_fail(st, "indexing evidence");
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : store_fail(st, "commit");
}

/* 128-bit content hash, hex */
static void content_hash(const char *t, size_t n, char out[33])
{
    /* FNV-1a forwards (hash_bytes, with its finaliser) and, independent of
     * it, FNV-1a over the text read backwards: one loop runs both chains,
     * so their multiplications overlap (the values are hash_bytes' and the
     * backward pass's exactly) */
    const unsigned char *u = (const unsigned char *)t;
    uint64_t a = 1469598103934665603ULL, b = 0xcbf29ce484222325ULL; /* hash_bytes' seed; FNV's */
    for (size_t i = 0; i < n; i++) {
        a = (a ^ u[i]) * 0x100000001b3ULL;
        b = (b ^ u[n - 1 - i]) * 0x100000001b3ULL;
    }
    a ^= a >> 33;
    a *= 0xff51afd7ed558ccdULL;
    a ^= a >> 33;
    a = a ? a : 1;
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
}

/* 64-bit simhash over the words: near-identical texts (syndicated copies
 * of one story) differ in few bits */
/* the 8 bits of b, one per byte: bit i becomes byte i's value 0 or 1 */
static inline uint64_t spread8(unsigned b)
{
    uint64_t x = (b * 0x0101010101010101ULL) & 0x8040201008040201ULL;
    return ((x + 0x7F7F7F7F7F7F7F7FULL) >> 7) & 0x0101010101010101ULL;
}

static void flush_lanes(uint64_t acc[8], uint64_t cnt[64], unsigned *pending)
{
    for (int k = 0; k < 8; k++) {
        for (int i = 0; i < 8; i++)
            cnt[8 * k + i] += acc[k] >> (8 * i) & 0xFF;
        acc[k] = 0;
    }
    *pending = 0;
}

static uint64_t simhash(const char *t, size_t n)
{
    uint64_t acc[8] = {0}, cnt[64] = {0}, words = 0;
    unsigned pending = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && !(((unsigned char)t[i] | 32) >= 'a' && ((unsigned char)t[i] | 32) <= 'z') &&
               !(t[i] >= '0' && t[i] <= '9') && !((unsigned char)t[i] & 0x80))
            i++;
        size_t s = i;
        while (i < n && ((((unsigned char)t[i] | 32) >= 'a' && ((unsigned char)t[i] | 32) <= 'z') ||
                         (t[i] >= '0' && t[i] <= '9') || ((unsigned char)t[i] & 0x80)))
            i++;
        if (i == s)
            break;
        char low[64];
        size_t l = i - s < sizeof low ? i - s : sizeof low;
        for (size_t k = 0; k < l; k++)
            low[k] = (char)((t[s + k] >= 'A' && t[s + k] <= 'Z') ? t[s + k] + 32 : t[s + k]);
        /* words, not shingles: a copy edited by a word or two stays within
         * a few bits */
        uint64_t f = hash_bytes(low, l);
        f ^= f >> 29;
        f *= 0xbf58476d1ce4e5b9ULL;
        f ^= f >> 32;
        /* bit b of f counts in lane b%8 of acc[b/8]; a lane holds up to
         * 255, so the lanes are emptied into cnt[] every 255 words */
        for (int k = 0; k < 8; k++)
            acc[k] += spread8((unsigned)(f >> (8 * k)) & 0xFF);
        if (++pending == 255)
            flush_lanes(acc, cnt, &pending);
        words++;
    }
    flush_lanes(acc, cnt, &pending);
    uint64_t h = 0;
    for (int b = 0; b < 64; b++)
        if (2 * cnt[b] > words) /* more ones than zeros */
            h |= 1ULL << b;
    return h;
}

static bool has_hash(store_t *st, const char *h)
{
    sqlite3_reset(st->has);
    sqlite3_bind_text(st->has, 1, h, -1, SQLITE_TRANSIENT);
    bool r = sqlite3_step(st->has) == SQLITE_ROW;
    sqlite3_reset(st->has);
    return r;
}

void store_bind_opt(sqlite3_stmt *s, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

static void outlet_of(const char *url, char *out, size_t n)
{
    out[0] = 0;
    if (!url)
        return;
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    if (!strncmp(p, "www.", 4))
        p += 4;
    size_t k = 0;
    while (p[k] && p[k] != '/' && p[k] != ':' && p[k] != '?' && k + 1 < n) {
        out[k] = p[k];
        k++;
    }
    out[k] = 0;
}

/* ---------------------------------------------- a document ready to write */

#define NONE ((size_t)-1)

typedef struct {
    size_t sup, rec, cat, mod, approx, desig, items, edate; /* offsets into the arena */
    double qty;
    size_t ev0, nev, cl0, ncl;                             /* their evidence and claims */
} prep_rec;

typedef struct {
    int64_t start, end, span_start, span_end;
    size_t sentence, sentence_len;
} prep_ev;

typedef struct {
    size_t actor, name, stance;
} prep_claim;

struct store_prep {
    char hash[33];
    uint64_t sim;
    buf_t arena;                 /* every string, NUL-terminated */
    size_t key, url, title, outlet, lang, date, now;
    vec_t recs, evs, claims;
};

store_prep *store_prep_new(void)
{
    store_prep *p = calloc(1, sizeof *p);
    if (p) {
        vec_init(&p->recs, sizeof(prep_rec));
        vec_init(&p->evs, sizeof(prep_ev));
        vec_init(&p->claims, sizeof(prep_claim));
    }
    return p;
}

void store_prep_free(store_prep *p)
{
    if (!p)
        return;
    buf_free(&p->arena);
    vec_free(&p->recs);
    vec_free(&p->evs);
    vec_free(&p->claims);
    free(p);
}

/* Copies n bytes (or a C string, n == NONE) into the arena: its offset, or
 * NONE for NULL. */
static size_t keep(store_prep *p, const char *s, size_t n)
{
    if (!s)
        return NONE;
    size_t at = p->arena.len;
    buf_append(&p->arena, s, n == NONE ? strlen(s) : n);
    buf_putc(&p->arena, 0);
    return at;
}

static const char *at(const store_prep *p, size_t off) { return off == NONE ? NULL : p->arena.data + off; }

const char *store_prep_hash(const store_prep *p) { return p->hash; }

int store_prep_doc(store_prep *p, const store_doc *d)
{
    buf_clear(&p->arena);
    vec_clear(&p->recs);
    vec_clear(&p->evs);
    vec_clear(&p->claims);
    content_hash(d->text, d->len, p->hash);
    p->sim = simhash(d->text, d->len);
    char outlet[128];
    if (d->outlet && *d->outlet)
        snprintf(outlet, sizeof outlet, "%s", d->outlet);
    else
        outlet_of(d->url, outlet, sizeof outlet);
    char now[32];
    time_t t = time(NULL);
    struct tm tmv;
    gmtime_r(&t, &tmv);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    p->key = keep(p, d->key ? d->key : "-", NONE);
    p->url = keep(p, d->url && *d->url ? d->url : NULL, NONE);
    p->title = keep(p, d->title && *d->title ? d->title : NULL, NONE);
    p->outlet = keep(p, *outlet ? outlet : NULL, NONE);
    p->lang = NONE;
    p->date = keep(p, d->date && *d->date ? d->date : NULL, NONE);
    p->now = keep(p, now, NONE);
    return 0;
}

int store_prep_extracted(store_prep *p, const store_doc *d, as_worker *w)
{
    vec_clear(&p->recs);
    vec_clear(&p->evs);
    vec_clear(&p->claims);
    /* the language is known once the document is read */
    p->lang = keep(p, d->lang && *d->lang ? d->lang : NULL, NONE);
    size_t tlen;
    const char *text = as_worker_text(w, &tlen);
    buf_t items = {0}, desig = {0};
    for (size_t i = 0; i < as_worker_record_count(w); i++) {
        as_record r;
        as_worker_record(w, i, &r);
        buf_clear(&items);
        buf_clear(&desig);
        buf_putc(&items, '[');
        for (size_t k = 0; k < r.n_items; k++) {
            as_span sp;
            as_worker_record_item(w, i, k, &sp);
            if (k)
                buf_putc(&items, ',');
            buf_json_str(&items, text + sp.start, sp.end - sp.start);
        }
        buf_putc(&items, ']');
        for (size_t k = 0; k < r.n_designations; k++)
            buf_printf(&desig, "%s%s", k ? ", " : "", as_worker_record_designation(w, i, k));
        prep_rec pr = {
            .sup = keep(p, r.supplier, NONE), .rec = keep(p, r.recipient, NONE), .cat = keep(p, r.category, NONE),
            .mod = keep(p, r.modality, NONE), .approx = keep(p, r.approx && *r.approx ? r.approx : NULL, NONE),
            .desig = keep(p, buf_cstr(&desig), NONE), .items = keep(p, buf_cstr(&items), NONE),
            /* the engine's date of the mention ("in 2009", "last March"),
             * else the document's */
            .edate = keep(p, r.event_date && *r.event_date ? r.event_date : d->date && *d->date ? d->date : NULL,
                          NONE),
            .qty = r.quantity, .ev0 = p->evs.len, .cl0 = p->claims.len,
        };
        for (size_t k = 0; k < r.n_evidence; k++) {
            as_span sp;
            as_worker_record_evidence(w, i, k, &sp);
            prep_ev *e = vec_push(&p->evs);
            if (!e)
                break;
            *e = (prep_ev){(int64_t)sp.start, (int64_t)sp.end, (int64_t)(sp.start - sp.sentence_start),
                           (int64_t)(sp.end - sp.sentence_start), 0, sp.sentence_end - sp.sentence_start};
            e->sentence = keep(p, text + sp.sentence_start, e->sentence_len);
        }
        for (size_t k = 0; k < r.n_sources; k++) {
            as_source src;
            if (as_worker_record_source(w, i, k, &src))
                continue;
            prep_claim *c = vec_push(&p->claims);
            if (!c)
                break;
            c->actor = keep(p, src.actor, NONE);
            c->name = src.name_end > src.name_start ? keep(p, text + src.name_start, src.name_end - src.name_start)
                                                     : NONE;
            c->stance = keep(p, src.stance, NONE);
        }
        pr.nev = p->evs.len - pr.ev0;
        pr.ncl = p->claims.len - pr.cl0;
        prep_rec *slot = vec_push(&p->recs);
        if (slot)
            *slot = pr;
    }
    buf_free(&items);
    buf_free(&desig);
    return 0;
}

bool store_has_prep(store_t *st, const store_prep *p) { return has_hash(st, p->hash); }

static void bind_at(sqlite3_stmt *s, int i, const store_prep *p, size_t off)
{
    if (off == NONE)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_text(s, i, at(p, off), -1, SQLITE_STATIC);
}

int store_write(store_t *st, const store_prep *p)
{
    uint64_t sim = p->sim;
    sqlite3_int64 doc = st->next_doc;
    /* near-duplicate: same story as a stored text within 3 bits */
    sqlite3_int64 story = doc;
    for (int b = 0; b < 4 && story == doc; b++) {
        sqlite3_stmt *q = st->band[b];
        sqlite3_reset(q);
        sqlite3_bind_int(q, 1, (int)(sim >> (16 * b) & 0xFFFF));
        sqlite3_bind_int64(q, 2, doc);
        while (sqlite3_step(q) == SQLITE_ROW) {
            uint64_t o = (uint64_t)sqlite3_column_int64(q, 0);
            if (__builtin_popcountll(o ^ sim) <= 3 && sqlite3_column_type(q, 1) != SQLITE_NULL) {
                story = sqlite3_column_int64(q, 1);
                break;
            }
        }
        sqlite3_reset(q);
    }
    sqlite3_stmt *s = st->put_doc;
    sqlite3_reset(s);
    bind_at(s, 1, p, p->key);
    sqlite3_bind_text(s, 2, p->hash, -1, SQLITE_STATIC);
    bind_at(s, 3, p, p->url);
    bind_at(s, 4, p, p->title);
    bind_at(s, 5, p, p->outlet);
    bind_at(s, 6, p, p->lang);
    bind_at(s, 7, p, p->date);
    sqlite3_bind_int64(s, 8, (sqlite3_int64)sim);
    for (int b = 0; b < 4; b++)
        sqlite3_bind_int(s, 9 + b, (int)(sim >> (16 * b) & 0xFFFF));
    bind_at(s, 13, p, p->now);
    sqlite3_bind_int64(s, 14, doc);
    sqlite3_bind_int64(s, 15, story);
    if (sqlite3_step(s) != SQLITE_DONE)
        return store_fail(st, "storing a document");
    if (!sqlite3_changes(st->db))
        return 1; /* the same content is stored already */
    st->next_doc++;
    for (size_t i = 0; i < p->recs.len; i++) {
        const prep_rec *r = &VEC_AT(&p->recs, prep_rec, i);
        s = st->put_rec;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, doc);
        bind_at(s, 2, p, r->sup);
        bind_at(s, 3, p, r->rec);
        bind_at(s, 4, p, r->cat);
        bind_at(s, 5, p, r->mod);
        if (r->qty > 0)
            sqlite3_bind_double(s, 6, r->qty);
        else
            sqlite3_bind_null(s, 6);
        bind_at(s, 7, p, r->approx);
        bind_at(s, 8, p, r->desig);
        bind_at(s, 9, p, r->items);
        bind_at(s, 10, p, r->edate);
        if (sqlite3_step(s) != SQLITE_DONE)
            return store_fail(st, "storing a record");
        sqlite3_int64 rec = sqlite3_last_insert_rowid(st->db);
        /* its merged transfer is redone by store_refresh */
        sqlite3_reset(st->put_stale);
        bind_at(st->put_stale, 1, p, r->sup);
        bind_at(st->put_stale, 2, p, r->rec);
        bind_at(st->put_stale, 3, p, r->cat);
        if (sqlite3_step(st->put_stale) != SQLITE_DONE)
            return store_fail(st, "marking a transfer to refresh");
        for (size_t k = r->ev0; k < r->ev0 + r->nev; k++) {
            const prep_ev *e = &VEC_AT(&p->evs, prep_ev, k);
            s = st->put_ev;
            sqlite3_reset(s);
            sqlite3_bind_int64(s, 1, rec);
            sqlite3_bind_int64(s, 2, e->start);
            sqlite3_bind_int64(s, 3, e->end);
            sqlite3_bind_text(s, 4, at(p, e->sentence), (int)e->sentence_len, SQLITE_STATIC);
            sqlite3_bind_int64(s, 5, e->span_start);
            sqlite3_bind_int64(s, 6, e->span_end);
            if (sqlite3_step(s) != SQLITE_DONE)
                return store_fail(st, "storing evidence");
        }
        for (size_t k = r->cl0; k < r->cl0 + r->ncl; k++) {
            const prep_claim *c = &VEC_AT(&p->claims, prep_claim, k);
            s = st->put_claim;
            sqlite3_reset(s);
            sqlite3_bind_int64(s, 1, rec);
            bind_at(s, 2, p, c->actor);
            bind_at(s, 3, p, c->name);
            bind_at(s, 4, p, c->stance);
            if (sqlite3_step(s) != SQLITE_DONE)
                return store_fail(st, "storing a claim");
        }
    }
    return 0;
}

size_t store_prep_records(const store_prep *p) { return p->recs.len; }

/* Claims come from SQL as "actor\x1fname\x1fstance" joined by \x1e: split
 * them into the row's claim array and its display string. */
typedef struct {
    buf_t raw, text;
    vec_t claims;
} claim_scratch;

static void parse_claims(const char *raw, claim_scratch *c)
{
    buf_clear(&c->raw);
    buf_clear(&c->text);
    vec_clear(&c->claims);
    if (!raw || !*raw)
        return;
    buf_puts(&c->raw, raw);
    buf_putc(&c->raw, 0); /* the pointers below point into raw: no growth after this */
    char *save = NULL;
    for (char *one = strtok_r(c->raw.data, "\x1e", &save); one; one = strtok_r(NULL, "\x1e", &save)) {
        char *f[3] = {one, NULL, NULL};
        for (int k = 1; k < 3; k++) {
            f[k] = f[k - 1] ? strchr(f[k - 1], '\x1f') : NULL;
            if (f[k])
                *f[k]++ = 0;
        }
        if (!f[2])
            continue;
        store_claim *cl = vec_push(&c->claims);
        if (!cl)
            break;
        cl->actor = *f[0] ? f[0] : NULL;
        cl->name = *f[1] ? f[1] : NULL;
        cl->stance = f[2];
        buf_printf(&c->text, "%s%s %s", c->text.len ? "; " : "", cl->actor ? cl->actor : "document", cl->stance);
        if (cl->name)
            buf_printf(&c->text, " (%s)", cl->name);
    }
}

static int evidence_rows(store_t *st, sqlite3_stmt *s, store_evidence_fn fn, void *ctx)
{
    int n = 0, rc;
    claim_scratch cs = {0};
    vec_init(&cs.claims, sizeof(store_claim));
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        parse_claims((const char *)sqlite3_column_text(s, 10), &cs);
        store_evidence ev = {
            .doc = (const char *)sqlite3_column_text(s, 0),
            .url = (const char *)sqlite3_column_text(s, 1),
            .title = (const char *)sqlite3_column_text(s, 2),
            .outlet = (const char *)sqlite3_column_text(s, 3),
            .date = (const char *)sqlite3_column_text(s, 4),
            .lang = (const char *)sqlite3_column_text(s, 5),
            .modality = (const char *)sqlite3_column_text(s, 6),
            .sentence = (const char *)sqlite3_column_text(s, 7),
            .span_start = (size_t)sqlite3_column_int64(s, 8),
            .span_end = (size_t)sqlite3_column_int64(s, 9),
            .claims = cs.text.len ? buf_cstr(&cs.text) : NULL,
            .claim = cs.claims.len ? (const store_claim *)cs.claims.data : NULL,
            .n_claims = cs.claims.len,
            .transfer = sqlite3_column_int64(s, 11),
            .supplier = (const char *)sqlite3_column_text(s, 12),
            .recipient = (const char *)sqlite3_column_text(s, 13),
            .category = (const char *)sqlite3_column_text(s, 14),
        };
        n++;
        if (fn(ctx, &ev)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(s);
    buf_free(&cs.raw);
    buf_free(&cs.text);
    vec_free(&cs.claims);
    if (rc != SQLITE_DONE) {
        if (st->timed_out) {
            buf_clear(&st->err);
            buf_puts(&st->err, "reading evidence: the query took longer than its time budget: narrow it");
            return -1;
        }
        return store_fail(st, "reading evidence");
    }
    return n;
}

/* The columns evidence_rows reads; TRANSFER is the transfer id column. */
#define EVIDENCE_COLUMNS(TRANSFER)                                                                           \
    "SELECT d.key, d.url, d.title, d.outlet, d.date, d.lang, r.modality, e.sentence, e.span_start, e.span_end," \
    " (SELECT group_concat(IFNULL(actor, '') || char(31) || IFNULL(name, '') || char(31) || stance, char(30))" \
    " FROM claims c WHERE c.record = r.id), " TRANSFER ", r.supplier, r.recipient, r.category"

int store_evidence_of(store_t *st, const char *sup, const char *rec, const char *cat, int limit, int offset,
                      store_evidence_fn fn, void *ctx)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           EVIDENCE_COLUMNS("IFNULL((SELECT id FROM transfers t WHERE t.supplier = r.supplier AND"
                                            " t.recipient = r.recipient AND t.category = r.category), 0)")
                           " FROM evidence e JOIN records r ON r.id = e.record JOIN documents d ON d.id = r.doc"
                           " WHERE r.supplier = ? AND r.recipient = ? AND r.category = ?"
                           " ORDER BY d.date, d.id, e.start LIMIT ? OFFSET ?",
                           -1, &s, NULL) != SQLITE_OK)
        return store_fail(st, "querying evidence");
    sqlite3_bind_text(s, 1, sup, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, rec, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, cat, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, limit > 0 ? limit : -1);
    sqlite3_bind_int(s, 5, offset > 0 ? offset : 0);
    return evidence_rows(st, s, fn, ctx);
}

int64_t store_evidence_count(store_t *st, const char *sup, const char *rec, const char *cat)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT count(*) FROM evidence e JOIN records r ON r.id = e.record"
                           " WHERE r.supplier = ? AND r.recipient = ? AND r.category = ?",
                           -1, &s, NULL) != SQLITE_OK)
        return store_fail(st, "counting evidence");
    sqlite3_bind_text(s, 1, sup, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, rec, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, cat, -1, SQLITE_STATIC);
    int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return n < 0 ? store_fail(st, "counting evidence") : n;
}

/* Above this many matching sentences, search lists the latest first
 * instead of ranking them all (bm25 over every match). */
#define SEARCH_RANKED 20000

static int64_t count_of(store_t *st, const char *sql, const store_filter *f, const char *q, buf_t *fts,
                        buf_t *match)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    store_search_bind(s, f, q, fts, match);
    int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return n;
}

int store_search(store_t *st, const char *q, const store_filter *f, int64_t *total, bool *ranked,
                 store_evidence_fn fn, void *ctx)
{
    buf_t sql = {0}, fts = {0}, match = {0};
    store_filter none = {0};
    if (!f)
        f = &none;
    int n = -1;
    sqlite3_stmt *s = NULL;
    /* the matches alone come from the index's own lists */
    int64_t matches = count_of(st, "SELECT count(*) FROM evidence_fts WHERE evidence_fts MATCH :match", &none, q,
                               &fts, &match);
    if (matches < 0)
        goto bad;
    bool filtered = f->supplier || f->recipient || f->actor || f->category || f->modality || f->since || f->until ||
                    f->min_credibility || f->embargo_only;
    if (total) {
        *total = matches;
        if (filtered) {
            store_search_sql(f, "SELECT count(*)", false, &sql);
            if ((*total = count_of(st, buf_cstr(&sql), f, q, &fts, &match)) < 0)
                goto bad;
            buf_clear(&sql);
        }
    }
    bool rank = matches <= SEARCH_RANKED;
    if (ranked)
        *ranked = rank;
    store_search_sql(f, EVIDENCE_COLUMNS("t.id"), true, &sql);
    buf_printf(&sql, " ORDER BY %s LIMIT %d OFFSET %d", rank ? "rank" : "evidence_fts.rowid DESC",
               f->limit > 0 ? f->limit : 50, f->offset);
    if (sqlite3_prepare_v2(st->db, buf_cstr(&sql), -1, &s, NULL) != SQLITE_OK)
        goto bad;
    store_search_bind(s, f, q, &fts, &match);
    n = evidence_rows(st, s, fn, ctx);
    if (n >= 0 || st->timed_out)
        goto out;
bad:
    buf_clear(&st->err);
    if (st->timed_out)
        buf_printf(&st->err, "search \"%s\": the query took longer than its time budget: narrow it", q);
    else
        buf_printf(&st->err, "search \"%s\": %s (FTS5 syntax: words, \"a phrase\", OR, NOT, prefix*)", q,
                   sqlite3_errmsg(st->db));
    n = -1;
out:
    buf_free(&sql);
    buf_free(&fts);
    buf_free(&match);
    return n;
}

static double mono_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int over_budget(void *p)
{
    store_t *st = p;
    if (st->deadline > 0 && mono_now() > st->deadline) {
        st->timed_out = true;
        return 1;
    }
    return 0;
}

void store_set_budget(store_t *st, double seconds)
{
    st->timed_out = false;
    st->deadline = seconds > 0 ? mono_now() + seconds : 0;
    /* checked every 10,000 virtual machine steps: a few microseconds */
    sqlite3_progress_handler(st->db, seconds > 0 ? 10000 : 0, seconds > 0 ? over_budget : NULL, st);
}

bool store_timed_out(const store_t *st) { return st->timed_out; }
