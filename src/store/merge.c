/* merge.c - merged transfers: one per (supplier, recipient, category),
 * computed from the records when they change (store_refresh) and kept in
 * the transfers table, so that reading them is an indexed query however
 * many records there are. */
#include "store_private.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ grading */

int store_grade(const store_transfer *t)
{
    if (!t->n_fact && !t->n_potential)
        return 5;                                   /* only ever denied */
    if (t->n_fact) {
        if (t->outlets >= 2 && t->official && !t->doubts)
            return 1;                               /* independent stories and an official source */
        if (t->outlets >= 2 || (t->official && !t->denies))
            return t->doubts ? 3 : 2;
        return (t->denies || t->doubts) ? 4 : 3;    /* one story */
    }
    if (t->outlets >= 2 || t->official)
        return t->doubts ? 4 : 3;                   /* a plan reported independently or officially */
    return t->asserts ? 4 : 6;                      /* one unattributed plan: no basis */
}

static void embargo_check(const as_engine *e, store_transfer *t)
{
    t->embargo[0] = 0;
    if (!t->n_fact || !t->first_date[0])
        return;
    size_t n = as_engine_embargo_count(e);
    for (size_t i = 0; i < n; i++) {
        as_embargo m;
        as_engine_embargo(e, i, &m);
        /* a supply to the target breaks it when the supplier is bound by
         * the body's law (any state for the UN, members for the EU); an
         * export from the target when the recipient is */
        bool to = !strcmp(m.target, t->recipient) && strcmp(m.direction, "from") &&
                  as_engine_bound_by(e, m.body, t->supplier);
        bool from = !strcmp(m.target, t->supplier) && strcmp(m.direction, "to") &&
                    as_engine_bound_by(e, m.body, t->recipient);
        if (!to && !from)
            continue;
        /* the transfer's dates meet the embargo's */
        if (strncmp(t->last_date, m.from, strlen(t->last_date)) < 0 ||
            strncmp(t->first_date, m.to, strlen(t->first_date)) > 0)
            continue;
        size_t l = strlen(t->embargo);
        snprintf(t->embargo + l, sizeof t->embargo - l, "%s%s %s", l ? "; " : "", m.body, m.act);
    }
}

/* A signature of the embargo data: when it changes, every flag is redone. */
static int64_t embargo_sig(const as_engine *e)
{
    buf_t b = {0};
    size_t n = as_engine_embargo_count(e);
    for (size_t i = 0; i < n; i++) {
        as_embargo m;
        as_engine_embargo(e, i, &m);
        buf_printf(&b, "%s|%s|%s|%s|%s|%s\n", m.target, m.body, m.direction, m.from, m.to, m.act);
    }
    int64_t h = (int64_t)(hash_bytes(b.data ? b.data : "", b.len) >> 1);
    buf_free(&b);
    return h;
}

/* -------------------------------------------------------------- merging */

static void add_designations(char *dst, size_t n, const char *list)
{
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", list ? list : "");
    char *save = NULL;
    for (char *p = strtok_r(tmp, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        while (*p == ' ')
            p++;
        if (!*p || strstr(dst, p))
            continue;
        size_t l = strlen(dst);
        snprintf(dst + l, n - l, "%s%s", l ? ", " : "", p);
    }
}

typedef struct {
    char month[8];
    int n;
} month_count;

/* Merges the records of one key (the statement's rows) into t and months. */
static int merge_key(store_t *st, const as_engine *e, sqlite3_stmt *s, store_transfer *t, vec_t *months)
{
    vec_t stories;
    vec_init(&stories, sizeof(sqlite3_int64));
    vec_clear(months);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *mod = (const char *)sqlite3_column_text(s, 0), *date = (const char *)sqlite3_column_text(s, 1);
        if (!strcmp(mod, "fact"))
            t->n_fact++;
        else if (!strcmp(mod, "potential"))
            t->n_potential++;
        else
            t->n_denied++;
        if (date && *date) {
            if (!t->first_date[0] || strcmp(date, t->first_date) < 0)
                snprintf(t->first_date, sizeof t->first_date, "%s", date);
            if (strcmp(date, t->last_date) > 0)
                snprintf(t->last_date, sizeof t->last_date, "%s", date);
            if (strlen(date) >= 7) {
                size_t k = 0;
                while (k < months->len && memcmp(VEC_AT(months, month_count, k).month, date, 7))
                    k++;
                month_count *m = k < months->len ? &VEC_AT(months, month_count, k) : vec_push(months);
                if (m) {
                    memcpy(m->month, date, 7);
                    m->n++;
                }
            }
        }
        sqlite3_int64 story = sqlite3_column_int64(s, 2);
        bool seen = false;
        for (size_t k = 0; k < stories.len && !seen; k++)
            seen = VEC_AT(&stories, sqlite3_int64, k) == story;
        if (!seen) {
            sqlite3_int64 *p = vec_push(&stories);
            if (p)
                *p = story;
        }
        if (sqlite3_column_type(s, 3) != SQLITE_NULL && sqlite3_column_double(s, 3) > t->quantity) {
            t->quantity = sqlite3_column_double(s, 3);
            snprintf(t->quantity_doc, sizeof t->quantity_doc, "%s", (const char *)sqlite3_column_text(s, 5));
        }
        add_designations(t->designations, sizeof t->designations, (const char *)sqlite3_column_text(s, 4));
        const char *claims = (const char *)sqlite3_column_text(s, 6);
        for (const char *c = claims; c && *c;) {
            const char *sp = strchr(c, ' ');
            size_t l = sp ? (size_t)(sp - c) : strlen(c);
            const char *colon = memchr(c, ':', l);
            if (!strncmp(c, "asserts", 7)) {
                t->asserts++;
                if (colon && colon + 1 < c + l) {
                    char code[48];
                    snprintf(code, sizeof code, "%.*s", (int)(c + l - colon - 1), colon + 1);
                    const char *kind = as_engine_actor_kind(e, code);
                    if (kind && (!strcmp(kind, "state") || !strcmp(kind, "igo")))
                        t->official++;
                }
            } else if (!strncmp(c, "denies", 6)) {
                t->denies++;
            } else if (!strncmp(c, "doubts", 6)) {
                t->doubts++;
            }
            c = sp ? sp + 1 : NULL;
        }
    }
    t->docs = t->n_fact + t->n_potential + t->n_denied; /* records: one per document */
    t->outlets = (int)stories.len;
    vec_free(&stories);
    if (rc != SQLITE_DONE)
        return store_fail(st, "merging records");
    snprintf(t->modality, sizeof t->modality, "%s", t->n_fact ? "fact" : t->n_potential ? "potential" : "denied");
    t->credibility = store_grade(t);
    embargo_check(e, t);
    return 0;
}

typedef struct {
    sqlite3_stmt *keys, *recs, *upsert, *del, *del_months, *put_month, *unstale, *find, *delta, *link, *unlink;
} refresh_stmts;

static void refresh_free(refresh_stmts *r)
{
    sqlite3_stmt *all[] = {r->keys, r->recs, r->upsert, r->del, r->del_months, r->put_month, r->unstale,
                           r->find, r->delta, r->link, r->unlink};
    for (size_t i = 0; i < AS_ARRAY_LEN(all); i++)
        sqlite3_finalize(all[i]);
}

static int prepare(store_t *st, sqlite3_stmt **s, const char *sql)
{
    return sqlite3_prepare_v2(st->db, sql, -1, s, NULL) == SQLITE_OK ? 0 : store_fail(st, "preparing a statement");
}

/* Adds (sign 1) or takes out (-1) the months of transfer id from the
 * summed timeline, under its current category, modality, credibility and
 * embargo flag. */
static int timeline_delta(store_t *st, sqlite3_stmt *delta, sqlite3_int64 id, int sign)
{
    sqlite3_reset(delta);
    sqlite3_bind_int(delta, 1, sign);
    sqlite3_bind_int64(delta, 2, id);
    return sqlite3_step(delta) == SQLITE_DONE ? 0 : store_fail(st, "summing the timeline");
}

/* Recomputes one key: its row in transfers (deleted when no record is
 * left), its months, and their share of the summed timeline. */
static int refresh_key(store_t *st, const as_engine *e, refresh_stmts *r, const char *sup, const char *rec,
                       const char *cat, vec_t *months)
{
    store_transfer t;
    memset(&t, 0, sizeof t);
    snprintf(t.supplier, sizeof t.supplier, "%s", sup);
    snprintf(t.recipient, sizeof t.recipient, "%s", rec);
    snprintf(t.category, sizeof t.category, "%s", cat);
    sqlite3_reset(r->recs);
    sqlite3_bind_text(r->recs, 1, sup, -1, SQLITE_STATIC);
    sqlite3_bind_text(r->recs, 2, rec, -1, SQLITE_STATIC);
    sqlite3_bind_text(r->recs, 3, cat, -1, SQLITE_STATIC);
    int rc = merge_key(st, e, r->recs, &t, months);
    sqlite3_reset(r->recs);
    if (rc)
        return -1;
    /* the old row's share of the timeline goes first */
    sqlite3_int64 old = 0;
    sqlite3_reset(r->find);
    sqlite3_bind_text(r->find, 1, sup, -1, SQLITE_STATIC);
    sqlite3_bind_text(r->find, 2, rec, -1, SQLITE_STATIC);
    sqlite3_bind_text(r->find, 3, cat, -1, SQLITE_STATIC);
    if (sqlite3_step(r->find) == SQLITE_ROW)
        old = sqlite3_column_int64(r->find, 0);
    sqlite3_reset(r->find);
    if (old && timeline_delta(st, r->delta, old, -1))
        return -1;
    if (!t.docs) {
        if (!old)
            return 0;
        sqlite3_reset(r->del_months);
        sqlite3_bind_int64(r->del_months, 1, old);
        sqlite3_reset(r->del);
        sqlite3_bind_int64(r->del, 1, old);
        sqlite3_reset(r->unlink);
        sqlite3_bind_int64(r->unlink, 1, old);
        return sqlite3_step(r->del_months) == SQLITE_DONE && sqlite3_step(r->unlink) == SQLITE_DONE &&
                       sqlite3_step(r->del) == SQLITE_DONE
                   ? 0
                   : store_fail(st, "removing a transfer");
    }
    sqlite3_stmt *u = r->upsert;
    sqlite3_reset(u);
    sqlite3_bind_text(u, 1, t.supplier, -1, SQLITE_STATIC);
    sqlite3_bind_text(u, 2, t.recipient, -1, SQLITE_STATIC);
    sqlite3_bind_text(u, 3, t.category, -1, SQLITE_STATIC);
    sqlite3_bind_text(u, 4, t.modality, -1, SQLITE_STATIC);
    int ints[] = {t.n_fact, t.n_potential, t.n_denied};
    for (int i = 0; i < 3; i++)
        sqlite3_bind_int(u, 5 + i, ints[i]);
    sqlite3_bind_text(u, 8, t.first_date, -1, SQLITE_STATIC);
    sqlite3_bind_text(u, 9, t.last_date, -1, SQLITE_STATIC);
    sqlite3_bind_int(u, 10, t.docs);
    sqlite3_bind_int(u, 11, t.outlets);
    if (t.quantity > 0)
        sqlite3_bind_double(u, 12, t.quantity);
    else
        sqlite3_bind_null(u, 12);
    store_bind_opt(u, 13, t.quantity_doc);
    sqlite3_bind_text(u, 14, t.designations, -1, SQLITE_STATIC);
    int more[] = {t.asserts, t.denies, t.doubts, t.official, t.credibility};
    for (int i = 0; i < 5; i++)
        sqlite3_bind_int(u, 15 + i, more[i]);
    sqlite3_bind_text(u, 20, t.embargo, -1, SQLITE_STATIC);
    if (sqlite3_step(u) != SQLITE_ROW)
        return store_fail(st, "storing a transfer");
    sqlite3_int64 id = sqlite3_column_int64(u, 0);
    sqlite3_reset(u);
    sqlite3_reset(r->del_months);
    sqlite3_bind_int64(r->del_months, 1, id);
    if (sqlite3_step(r->del_months) != SQLITE_DONE)
        return store_fail(st, "storing a timeline");
    for (size_t k = 0; k < months->len; k++) {
        const month_count *m = &VEC_AT(months, month_count, k);
        sqlite3_reset(r->put_month);
        sqlite3_bind_int64(r->put_month, 1, id);
        sqlite3_bind_text(r->put_month, 2, m->month, 7, SQLITE_STATIC);
        sqlite3_bind_int(r->put_month, 3, m->n);
        if (sqlite3_step(r->put_month) != SQLITE_DONE)
            return store_fail(st, "storing a timeline");
    }
    /* the key's evidence sentences not linked to it yet */
    sqlite3_reset(r->link);
    sqlite3_bind_int64(r->link, 1, id);
    sqlite3_bind_text(r->link, 2, sup, -1, SQLITE_STATIC);
    sqlite3_bind_text(r->link, 3, rec, -1, SQLITE_STATIC);
    sqlite3_bind_text(r->link, 4, cat, -1, SQLITE_STATIC);
    if (sqlite3_step(r->link) != SQLITE_DONE)
        return store_fail(st, "linking evidence to its transfer");
    return timeline_delta(st, r->delta, id, 1);
}

/* Redoes every embargo flag (the embargo data changed). */
static int refresh_embargoes(store_t *st, const as_engine *e, sqlite3_stmt *delta)
{
    sqlite3_stmt *s = NULL, *u = NULL;
    if (prepare(st, &s, "SELECT id, supplier, recipient, first_date, last_date, n_fact, embargo FROM transfers") ||
        prepare(st, &u, "UPDATE transfers SET embargo = ? WHERE id = ?")) {
        sqlite3_finalize(s);
        return -1;
    }
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_transfer t;
        memset(&t, 0, sizeof t);
        snprintf(t.supplier, sizeof t.supplier, "%s", (const char *)sqlite3_column_text(s, 1));
        snprintf(t.recipient, sizeof t.recipient, "%s", (const char *)sqlite3_column_text(s, 2));
        snprintf(t.first_date, sizeof t.first_date, "%s", (const char *)sqlite3_column_text(s, 3));
        snprintf(t.last_date, sizeof t.last_date, "%s", (const char *)sqlite3_column_text(s, 4));
        t.n_fact = sqlite3_column_int(s, 5);
        embargo_check(e, &t);
        if (!strcmp(t.embargo, (const char *)sqlite3_column_text(s, 6)))
            continue;
        sqlite3_int64 id = sqlite3_column_int64(s, 0);
        sqlite3_reset(u);
        sqlite3_bind_text(u, 1, t.embargo, -1, SQLITE_STATIC);
        sqlite3_bind_int64(u, 2, id);
        if (timeline_delta(st, delta, id, -1) || sqlite3_step(u) != SQLITE_DONE ||
            timeline_delta(st, delta, id, 1)) {
            rc = SQLITE_ERROR;
            break;
        }
    }
    sqlite3_finalize(s);
    sqlite3_finalize(u);
    return rc == SQLITE_DONE ? 0 : store_fail(st, "updating embargo flags");
}

int store_stale(store_t *st)
{
    sqlite3_stmt *s;
    if (prepare(st, &s, "SELECT count(*) FROM stale"))
        return -1;
    int n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
    sqlite3_finalize(s);
    return n;
}

/* Keys are done in transactions of REFRESH_BATCH, so an interrupted
 * refresh keeps what it did. */
#define REFRESH_BATCH 2000 /* the LIMIT of the keys query */

int store_refresh(store_t *st, const as_engine *e)
{
    if (st->readonly) {
        buf_clear(&st->err);
        buf_puts(&st->err, "the database is open read-only: merged transfers cannot be refreshed");
        return -1;
    }
    refresh_stmts r = {0};
    vec_t months;
    vec_init(&months, sizeof(month_count));
    int total = 0;
    if (prepare(st, &r.keys, "SELECT supplier, recipient, category FROM stale LIMIT 2000") ||
        prepare(st, &r.recs,
                "SELECT r.modality, COALESCE(r.event_date, d.date, ''), d.story, r.quantity, r.designations, d.key,"
                " (SELECT group_concat(stance || ':' || IFNULL(actor, ''), ' ') FROM claims c WHERE c.record = r.id)"
                " FROM records r JOIN documents d ON d.id = r.doc"
                " WHERE r.supplier = ? AND r.recipient = ? AND r.category = ?") ||
        prepare(st, &r.upsert,
                "INSERT INTO transfers(supplier, recipient, category, modality, n_fact, n_potential, n_denied,"
                " first_date, last_date, docs, stories, quantity, quantity_doc, designations, asserts, denies,"
                " doubts, official, credibility, embargo) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(supplier, recipient, category) DO UPDATE SET modality = excluded.modality,"
                " n_fact = excluded.n_fact, n_potential = excluded.n_potential, n_denied = excluded.n_denied,"
                " first_date = excluded.first_date, last_date = excluded.last_date, docs = excluded.docs,"
                " stories = excluded.stories, quantity = excluded.quantity, quantity_doc = excluded.quantity_doc,"
                " designations = excluded.designations, asserts = excluded.asserts, denies = excluded.denies,"
                " doubts = excluded.doubts, official = excluded.official, credibility = excluded.credibility,"
                " embargo = excluded.embargo RETURNING id") ||
        prepare(st, &r.del, "DELETE FROM transfers WHERE id = ?") ||
        prepare(st, &r.find, "SELECT id FROM transfers WHERE supplier = ? AND recipient = ? AND category = ?") ||
        prepare(st, &r.link,
                "INSERT OR IGNORE INTO evidence_transfer(id, transfer) SELECT e.id, ?1 FROM records r"
                " JOIN evidence e ON e.record = r.id WHERE r.supplier = ?2 AND r.recipient = ?3 AND r.category = ?4") ||
        prepare(st, &r.unlink, "DELETE FROM evidence_transfer WHERE transfer = ?") ||
        prepare(st, &r.delta,
                "INSERT INTO timeline(month, category, modality, credibility, embargo, records)"
                " SELECT m.month, t.category, t.modality, t.credibility, t.embargo <> '', ?1 * m.records"
                " FROM transfer_months m JOIN transfers t ON t.id = m.transfer WHERE t.id = ?2"
                " ON CONFLICT(month, category, modality, credibility, embargo)"
                " DO UPDATE SET records = records + excluded.records") ||
        prepare(st, &r.del_months, "DELETE FROM transfer_months WHERE transfer = ?") ||
        prepare(st, &r.put_month, "INSERT INTO transfer_months(transfer, month, records) VALUES(?,?,?)") ||
        prepare(st, &r.unstale, "DELETE FROM stale WHERE supplier = ? AND recipient = ? AND category = ?")) {
        refresh_free(&r);
        return -1;
    }
    int64_t sig = embargo_sig(e);
    for (bool first = true;; first = false) {
        if (store_begin(st))
            goto fail;
        if (first) {
            sqlite3_stmt *m;
            int64_t old = 0;
            if (prepare(st, &m, "SELECT value FROM meta WHERE key = 'embargo_sig'"))
                goto rollback;
            if (sqlite3_step(m) == SQLITE_ROW)
                old = sqlite3_column_int64(m, 0);
            sqlite3_finalize(m);
            if (old != sig) {
                char sql[96];
                snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO meta VALUES('embargo_sig', %lld)", (long long)sig);
                if (refresh_embargoes(st, e, r.delta) || sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
                    goto rollback;
            }
        }
        int n = 0, rc;
        sqlite3_reset(r.keys);
        /* the keys of this round, copied: the statement reads the table
         * the loop deletes from */
        vec_t keys;
        vec_init(&keys, 3 * 48);
        while ((rc = sqlite3_step(r.keys)) == SQLITE_ROW) {
            char *k = vec_push(&keys);
            if (!k)
                break;
            for (int c = 0; c < 3; c++)
                snprintf(k + 48 * c, 48, "%s", (const char *)sqlite3_column_text(r.keys, c));
        }
        sqlite3_reset(r.keys);
        for (size_t i = 0; i < keys.len; i++) {
            const char *k = (const char *)keys.data + i * 3 * 48;
            if (refresh_key(st, e, &r, k, k + 48, k + 96, &months))
                break;
            sqlite3_reset(r.unstale);
            for (int c = 0; c < 3; c++)
                sqlite3_bind_text(r.unstale, c + 1, k + 48 * c, -1, SQLITE_STATIC);
            if (sqlite3_step(r.unstale) != SQLITE_DONE) {
                store_fail(st, "refreshing transfers");
                break;
            }
            n++;
        }
        bool ok = rc == SQLITE_DONE && (size_t)n == keys.len;
        vec_free(&keys);
        if (!ok)
            goto rollback;
        if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            store_fail(st, "refreshing transfers");
            goto rollback;
        }
        total += n;
        if (n < REFRESH_BATCH)
            break;
    }
    refresh_free(&r);
    vec_free(&months);
    /* statistics for the query planner, where they are out of date */
    if (total)
        sqlite3_exec(st->db, "PRAGMA optimize", NULL, NULL, NULL);
    return total;
rollback:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
fail:
    refresh_free(&r);
    vec_free(&months);
    return -1;
}

/* ------------------------------------------------------------- filters */

static bool is_date(const char *s)
{
    /* YYYY, YYYY-MM or YYYY-MM-DD with a month 01-12 and a day 01-31 */
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((i == 4 || i == 7) ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return false;
    if (n >= 7 && (atoi(s + 5) < 1 || atoi(s + 5) > 12))
        return false;
    return n < 10 || (atoi(s + 8) >= 1 && atoi(s + 8) <= 31);
}

static const char *const SORTS[][2] = {
    {"documents", "t.docs"},       {"credibility", "t.credibility"}, {"first_date", "t.first_date"},
    {"last_date", "t.last_date"},  {"supplier", "t.supplier"},       {"recipient", "t.recipient"},
    {"category", "t.category"},    {"stories", "t.stories"},         {"quantity", "IFNULL(t.quantity, 0)"},
    {"modality", "t.modality"},
};

static const char *sort_column(const char *name)
{
    for (size_t i = 0; i < AS_ARRAY_LEN(SORTS); i++)
        if (!strcmp(name, SORTS[i][0]))
            return SORTS[i][1];
    return NULL;
}

static bool known_category(const char *c)
{
    for (size_t i = 0; as_category(i); i++)
        if (!strcmp(c, as_category(i)))
            return true;
    return false;
}

static bool set(const char *s) { return s && *s; }

const char *store_filter_check(const store_filter *f, const as_engine *e, char *err, size_t errlen)
{
    const char *actors[][2] = {{"supplier", f->supplier}, {"recipient", f->recipient}, {"actor", f->actor}};
    for (size_t i = 0; i < 3; i++) {
        const char *kind = set(actors[i][1]) ? as_engine_actor_kind(e, actors[i][1]) : "";
        if (!kind || !strcmp(kind, "media")) {
            snprintf(err, errlen, "%s: unknown actor code '%s' (a state's ISO alpha-3 code such as RUS, or an"
                                  " organisation's slug such as hezbollah)", actors[i][0], actors[i][1]);
            return actors[i][0];
        }
    }
    if (set(f->category) && !known_category(f->category)) {
        snprintf(err, errlen, "category: unknown category '%s' (see the categories of the transfer spec, e.g."
                              " uav, artillery_ammunition)", f->category);
        return "category";
    }
    if (set(f->modality) && strcmp(f->modality, "fact") && strcmp(f->modality, "potential") &&
        strcmp(f->modality, "denied")) {
        snprintf(err, errlen, "modality: '%s' is not fact, potential or denied", f->modality);
        return "modality";
    }
    const char *dates[][2] = {{"since", f->since}, {"until", f->until}};
    for (size_t i = 0; i < 2; i++) {
        if (set(dates[i][1]) && !is_date(dates[i][1])) {
            snprintf(err, errlen, "%s: not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): %s", dates[i][0], dates[i][1]);
            return dates[i][0];
        }
    }
    if (f->min_credibility < 0 || f->min_credibility > 6) {
        snprintf(err, errlen, "min_credibility: %d is not a grade from 1 (best) to 6", f->min_credibility);
        return "min_credibility";
    }
    if (set(f->sort) && !sort_column(f->sort)) {
        snprintf(err, errlen, "sort: unknown column '%s' (documents, credibility, first_date, last_date, supplier,"
                              " recipient, category, stories, quantity, modality)", f->sort);
        return "sort";
    }
    if (f->limit < 0 || f->offset < 0) {
        snprintf(err, errlen, "%s: must not be negative", f->limit < 0 ? "limit" : "offset");
        return f->limit < 0 ? "limit" : "offset";
    }
    return NULL;
}

/* The full-text query as FTS5 reads it: a word that is not FTS5 syntax
 * (KN-23, Shahed-136) becomes a phrase. A query holding quotes is the
 * user's own syntax and is left alone. */
static void fts_query(const char *q, buf_t *out)
{
    buf_clear(out);
    if (strchr(q, '"')) {
        buf_puts(out, q);
        return;
    }
    const char *p = q;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *s = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (p == s)
            break;
        bool bare = true;
        for (const char *c = s; c < p; c++)
            if (!((unsigned char)*c >= 0x80 || isalnum((unsigned char)*c) || *c == '_' ||
                  (*c == '*' && c == p - 1) || *c == '(' || *c == ')'))
                bare = false;
        if (out->len)
            buf_putc(out, ' ');
        if (bare) {
            buf_append(out, s, (size_t)(p - s));
        } else {
            buf_putc(out, '"');
            buf_append(out, s, (size_t)(p - s));
            buf_putc(out, '"');
        }
    }
}

/* WHERE conditions over "transfers t" for the filter, with named parameters. */
static void where_sql(buf_t *sql, const store_filter *f)
{
    buf_puts(sql, " WHERE 1");
    if (set(f->supplier))
        buf_puts(sql, " AND t.supplier = :sup");
    if (set(f->recipient))
        buf_puts(sql, " AND t.recipient = :rec");
    if (set(f->actor))
        buf_puts(sql, " AND (t.supplier = :act OR t.recipient = :act)");
    if (set(f->category))
        buf_puts(sql, " AND t.category = :cat");
    if (set(f->modality))
        buf_puts(sql, " AND t.modality = :mod");
    /* grades are few and wide: walking the index of the sort order and
     * testing the grade beats gathering half the table to sort it */
    if (f->min_credibility)
        buf_puts(sql, " AND +t.credibility <= :cred");
    if (f->embargo_only)
        buf_puts(sql, " AND t.embargo <> ''");
    /* dates compare on the shorter of the two precisions: a transfer of
     * "2023" meets since=2023-06 */
    /* in forms an index can answer: a last date of "2024" is as late as
     * since=2024-06 (it is a prefix of it); a first date of 2024-06-10 is
     * as early as until=2024-06 ('~' sorts after digits and '-') */
    if (set(f->since))
        buf_puts(sql, " AND (t.last_date >= :since OR t.last_date IN (substr(:since, 1, 4), substr(:since, 1, 7)))");
    if (set(f->until))
        buf_puts(sql, " AND t.first_date <> '' AND t.first_date <= :until || '~'");
    if (set(f->query))
        buf_puts(sql, " AND t.id IN (SELECT et.transfer FROM evidence_fts JOIN evidence_transfer et"
                      " ON et.id = evidence_fts.rowid WHERE evidence_fts MATCH :q)");
}

static void where_bind(sqlite3_stmt *s, const store_filter *f, buf_t *fts)
{
    const char *names[][2] = {{":sup", f->supplier}, {":rec", f->recipient}, {":act", f->actor},
                              {":cat", f->category}, {":mod", f->modality},  {":since", f->since},
                              {":until", f->until}};
    for (size_t k = 0; k < AS_ARRAY_LEN(names); k++) {
        int i = sqlite3_bind_parameter_index(s, names[k][0]);
        if (i)
            sqlite3_bind_text(s, i, names[k][1], -1, SQLITE_STATIC);
    }
    int i;
    if ((i = sqlite3_bind_parameter_index(s, ":cred")))
        sqlite3_bind_int(s, i, f->min_credibility);
    if ((i = sqlite3_bind_parameter_index(s, ":q"))) {
        fts_query(f->query, fts);
        sqlite3_bind_text(s, i, buf_cstr(fts), -1, SQLITE_STATIC);
    }
}

/* Prepares sql (built by the caller around where_sql) and binds the filter. */
static sqlite3_stmt *filtered(store_t *st, buf_t *sql, const store_filter *f, buf_t *fts, const char *what)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, buf_cstr(sql), -1, &s, NULL) != SQLITE_OK) {
        store_fail(st, what);
        return NULL;
    }
    where_bind(s, f, fts);
    return s;
}

/* The message of a failed read: a query over its budget says so. */
static int read_fail(store_t *st, const char *what)
{
    if (st->timed_out) {
        buf_clear(&st->err);
        buf_printf(&st->err, "%s: the query took longer than its time budget: narrow the filters", what);
        return -1;
    }
    return store_fail(st, what);
}

/* ------------------------------------------------------------- reading */

#define TRANSFER_COLUMNS                                                                                      \
    "SELECT t.id, t.supplier, t.recipient, t.category, t.modality, t.n_fact, t.n_potential, t.n_denied,"     \
    " t.first_date, t.last_date, t.docs, t.stories, t.quantity, t.quantity_doc, t.designations, t.asserts,"  \
    " t.denies, t.doubts, t.official, t.credibility, t.embargo FROM transfers t"

static void transfer_of_row(sqlite3_stmt *s, store_transfer *t)
{
    memset(t, 0, sizeof *t);
    t->id = sqlite3_column_int64(s, 0);
#define TXT(field, col) snprintf(t->field, sizeof t->field, "%s", sqlite3_column_text(s, col) ? (const char *)sqlite3_column_text(s, col) : "")
    TXT(supplier, 1);
    TXT(recipient, 2);
    TXT(category, 3);
    TXT(modality, 4);
    TXT(first_date, 8);
    TXT(last_date, 9);
    TXT(quantity_doc, 13);
    TXT(designations, 14);
    TXT(embargo, 20);
#undef TXT
    t->n_fact = sqlite3_column_int(s, 5);
    t->n_potential = sqlite3_column_int(s, 6);
    t->n_denied = sqlite3_column_int(s, 7);
    t->docs = sqlite3_column_int(s, 10);
    t->outlets = sqlite3_column_int(s, 11);
    t->quantity = sqlite3_column_type(s, 12) == SQLITE_NULL ? 0 : sqlite3_column_double(s, 12);
    t->asserts = sqlite3_column_int(s, 15);
    t->denies = sqlite3_column_int(s, 16);
    t->doubts = sqlite3_column_int(s, 17);
    t->official = sqlite3_column_int(s, 18);
    t->credibility = sqlite3_column_int(s, 19);
}

/* Runs sql (built around where_sql) with the filter bound, calling row()
 * for each result row until it returns nonzero. Returns the number of
 * rows, or -1 with the message of what failed. Frees sql. */
typedef int (*row_fn)(sqlite3_stmt *s, void *ctx);

static int each_row(store_t *st, buf_t *sql, const store_filter *f, const char *what, row_fn row, void *ctx)
{
    buf_t fts = {0};
    sqlite3_stmt *s = filtered(st, sql, f, &fts, what);
    buf_free(sql);
    if (!s) {
        buf_free(&fts);
        return -1;
    }
    int n = 0, rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        n++;
        if (row(s, ctx)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(s);
    buf_free(&fts);
    return rc == SQLITE_DONE ? n : read_fail(st, what);
}

typedef struct {
    store_transfer_fn fn;
    void *ctx;
} transfer_cb;

static int transfer_row(sqlite3_stmt *s, void *p)
{
    transfer_cb *cb = p;
    store_transfer t;
    transfer_of_row(s, &t);
    return cb->fn(cb->ctx, &t);
}

int store_transfers(store_t *st, const store_filter *f, store_transfer_fn fn, void *ctx)
{
    buf_t sql = {0};
    buf_puts(&sql, TRANSFER_COLUMNS);
    where_sql(&sql, f);
    if (set(f->sort))
        buf_printf(&sql, " ORDER BY %s %s, t.id %s", sort_column(f->sort) ? sort_column(f->sort) : "t.docs",
                   f->ascending ? "ASC" : "DESC", f->ascending ? "ASC" : "DESC");
    else
        buf_puts(&sql, " ORDER BY t.supplier, t.recipient, t.category");
    if (f->limit > 0)
        buf_printf(&sql, " LIMIT %d OFFSET %d", f->limit, f->offset);
    transfer_cb cb = {fn, ctx};
    return each_row(st, &sql, f, "reading transfers", transfer_row, &cb);
}

int64_t store_transfer_count(store_t *st, const store_filter *f)
{
    buf_t sql = {0}, fts = {0};
    buf_puts(&sql, "SELECT count(*) FROM transfers t");
    where_sql(&sql, f);
    sqlite3_stmt *s = filtered(st, &sql, f, &fts, "counting transfers");
    buf_free(&sql);
    int64_t n = -1;
    if (s && sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    else if (s)
        read_fail(st, "counting transfers");
    sqlite3_finalize(s);
    buf_free(&fts);
    return n;
}

int store_transfer_get(store_t *st, int64_t id, store_transfer *out)
{
    sqlite3_stmt *s;
    if (prepare(st, &s, TRANSFER_COLUMNS " WHERE t.id = ?"))
        return -1;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        transfer_of_row(s, out);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? 1 : store_fail(st, "reading a transfer");
}

typedef struct {
    store_actor_fn fn;
    void *ctx;
} actor_cb;

static int actor_row(sqlite3_stmt *s, void *p)
{
    actor_cb *cb = p;
    return cb->fn(cb->ctx, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int(s, 1),
                  sqlite3_column_int(s, 2));
}

int store_actors(store_t *st, const store_filter *f, store_actor_fn fn, void *ctx)
{
    buf_t sql = {0};
    /* each side grouped on its own index first */
    buf_puts(&sql, "SELECT code, sum(s), sum(r) FROM (SELECT t.supplier AS code, count(*) AS s, 0 AS r"
                   " FROM transfers t");
    where_sql(&sql, f);
    buf_puts(&sql, " GROUP BY t.supplier UNION ALL SELECT t.recipient, 0, count(*) FROM transfers t");
    where_sql(&sql, f);
    buf_puts(&sql, " GROUP BY t.recipient) GROUP BY code ORDER BY code");
    actor_cb cb = {fn, ctx};
    return each_row(st, &sql, f, "reading actors", actor_row, &cb);
}

typedef struct {
    store_month_fn fn;
    void *ctx;
} month_cb;

static int month_row(sqlite3_stmt *s, void *p)
{
    month_cb *cb = p;
    return cb->fn(cb->ctx, (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
                  sqlite3_column_int(s, 2));
}

int store_timeline(store_t *st, const store_filter *f, store_month_fn fn, void *ctx)
{
    buf_t sql = {0};
    if (!set(f->supplier) && !set(f->recipient) && !set(f->actor) && !set(f->query)) {
        /* no actor and no words: the summed timeline answers */
        buf_puts(&sql, "SELECT m.month, m.category, sum(m.records) FROM timeline m WHERE m.records > 0");
        if (set(f->category))
            buf_puts(&sql, " AND m.category = :cat");
        if (set(f->modality))
            buf_puts(&sql, " AND m.modality = :mod");
        if (f->min_credibility)
            buf_puts(&sql, " AND m.credibility <= :cred");
        if (f->embargo_only)
            buf_puts(&sql, " AND m.embargo = 1");
    } else {
        buf_puts(&sql, "SELECT m.month, t.category, sum(m.records) FROM transfers t"
                       " JOIN transfer_months m ON m.transfer = t.id");
        where_sql(&sql, f);
    }
    if (set(f->since))
        buf_puts(&sql, " AND m.month >= substr(:since, 1, 7)");
    if (set(f->until))
        buf_puts(&sql, " AND substr(m.month, 1, length(:until)) <= :until");
    buf_puts(&sql, " GROUP BY 1, 2 HAVING sum(m.records) > 0 ORDER BY 1, 2");
    month_cb cb = {fn, ctx};
    return each_row(st, &sql, f, "reading the timeline", month_row, &cb);
}

int store_stats_get(store_t *st, store_stats *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s;
    /* rows are never deleted but with their document, so the largest id
     * is the count, read from the end of the table's b-tree */
    if (prepare(st, &s, "SELECT (SELECT IFNULL(max(id), 0) FROM documents), (SELECT IFNULL(max(id), 0) FROM records),"
                        " (SELECT count(*) FROM transfers), (SELECT IFNULL(max(id), 0) FROM evidence),"
                        " (SELECT IFNULL(min(first_date), '') FROM transfers WHERE first_date > ''),"
                        " (SELECT IFNULL(max(last_date), '') FROM transfers)"))
        return -1;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->documents = sqlite3_column_int64(s, 0);
        out->records = sqlite3_column_int64(s, 1);
        out->transfers = sqlite3_column_int64(s, 2);
        out->evidence = sqlite3_column_int64(s, 3);
        snprintf(out->first_date, sizeof out->first_date, "%s", (const char *)sqlite3_column_text(s, 4));
        snprintf(out->last_date, sizeof out->last_date, "%s", (const char *)sqlite3_column_text(s, 5));
    }
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : store_fail(st, "reading counts");
}

int store_query_check(store_t *st, const char *q)
{
    buf_t fts = {0};
    fts_query(q, &fts);
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(st->db, "SELECT 1 FROM evidence_fts WHERE evidence_fts MATCH ? LIMIT 1", -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(s, 1, buf_cstr(&fts), -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        sqlite3_finalize(s);
    }
    buf_free(&fts);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return 0;
    buf_clear(&st->err);
    buf_printf(&st->err, "'%.64s' is not a search the full-text index understands: %s (words, \"a phrase\", OR, NOT,"
                         " prefix*)", q, sqlite3_errmsg(st->db));
    return -1;
}

/* --------------------------------------------------------- search rows */

/* Search's SQL: evidence matching q whose transfer passes the filter. */
int store_search_sql(const store_filter *f, const char *select, bool rows, buf_t *sql)
{
    buf_puts(sql, select);
    buf_puts(sql, " FROM evidence_fts JOIN evidence_transfer et ON et.id = evidence_fts.rowid"
                  " JOIN transfers t ON t.id = et.transfer");
    if (rows)
        buf_puts(sql, " JOIN evidence e ON e.id = et.id JOIN records r ON r.id = e.record"
                      " JOIN documents d ON d.id = r.doc");
    store_filter g = *f;
    g.query = NULL;
    where_sql(sql, &g);
    buf_puts(sql, " AND evidence_fts MATCH :match");
    return 0;
}

void store_search_bind(sqlite3_stmt *s, const store_filter *f, const char *q, buf_t *fts, buf_t *match)
{
    store_filter g = *f;
    g.query = NULL;
    where_bind(s, &g, fts);
    fts_query(q, match);
    int i = sqlite3_bind_parameter_index(s, ":match");
    if (i)
        sqlite3_bind_text(s, i, buf_cstr(match), -1, SQLITE_STATIC);
}
