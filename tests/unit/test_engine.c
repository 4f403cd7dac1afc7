/* test_engine.c - the public API: loading, extraction of English and French
 * documents, JSON output and evidence offsets, bad input (invalid UTF-8,
 * NUL, empty, 5 MB), language identification, threads, explain trace. */
#include "armscope.h"
#include "t.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static as_engine *g_e;

/* ---- helpers ---- */

static as_doc mkdoc(const char *id, const char *text, size_t len, const char *lang)
{
    as_doc d = {id, text, len, lang, NULL};
    return d;
}

/* Does the worker hold a record sup rec cat mod? */
static bool has_rec(as_worker *w, const char *sup, const char *rec, const char *cat, const char *mod)
{
    for (size_t i = 0; i < as_worker_record_count(w); i++) {
        as_record r;
        if (as_worker_record(w, i, &r))
            continue;
        if (!strcmp(r.supplier, sup) && !strcmp(r.recipient, rec) && !strcmp(r.category, cat) &&
            (!mod || !strcmp(r.modality, mod)))
            return true;
    }
    return false;
}

/* The records of the worker as "SUP REC CAT MOD; ..." for messages. */
static const char *recs(as_worker *w)
{
    static char s[4096];
    s[0] = 0;
    for (size_t i = 0; i < as_worker_record_count(w); i++) {
        as_record r;
        as_worker_record(w, i, &r);
        size_t l = strlen(s);
        snprintf(s + l, sizeof s - l, "%s%s %s %s %s", i ? "; " : "", r.supplier, r.recipient, r.category,
                 r.modality);
    }
    return s[0] ? s : "none";
}

#define HAS_REC(w, s, r, c, m) CHECK(has_rec(w, s, r, c, m), "want %s %s %s %s; got %s", s, r, c, m, recs(w))

static bool contains(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= n && i + k <= n; i++)
        if (!memcmp(hay + i, needle, k))
            return true;
    return false;
}

/* Reads the number after `key` at p (e.g. "\"start\":"); returns the
 * position after it or NULL. */
static const char *num_after(const char *p, const char *end, const char *key, size_t *v)
{
    size_t kl = strlen(key);
    if ((size_t)(end - p) < kl || memcmp(p, key, kl))
        return NULL;
    p += kl;
    if (p >= end || *p < '0' || *p > '9')
        return NULL;
    size_t x = 0;
    while (p < end && *p >= '0' && *p <= '9')
        x = x * 10 + (size_t)(*p++ - '0');
    *v = x;
    return p;
}

/* Checks every JSON line of the worker: the shape, and that each evidence
 * span lies in text[0..len) and contains the first item of the record.
 * Returns the number of lines; *spans receives the number of spans. */
static size_t check_json(as_worker *w, const char *text, size_t len, const char *what, size_t *spans)
{
    size_t jl;
    const char *j = as_worker_json(w, &jl);
    const char *end = j + jl;
    size_t lines = 0, nspan = 0, bad_shape = 0, bad_span = 0, bad_item = 0;
    for (const char *p = j; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        lines++;
        size_t ll = (size_t)(le - p);
        /* shape: {"doc": ... "evidence":[{"start": ... }]} */
        const char *ev = NULL;
        for (const char *q = p; q + 23 <= le && !ev; q++)
            if (!memcmp(q, "\"evidence\":[{\"start\":", 21))
                ev = q + 12;
        if (ll < 10 || memcmp(p, "{\"doc\":", 7) || !ev || memcmp(le - 3, "}]}", 3))
            bad_shape++;
        /* the first item string (no escapes in these tests) */
        char item[256] = "";
        const char *it = NULL;
        for (const char *q = p; q + 10 <= le && !it; q++)
            if (!memcmp(q, "\"items\":[\"", 10))
                it = q + 10;
        if (it) {
            const char *ie = memchr(it, '"', (size_t)(le - it));
            if (ie && (size_t)(ie - it) < sizeof item)
                snprintf(item, sizeof item, "%.*s", (int)(ie - it), it);
        }
        /* every span */
        for (const char *q = ev; q && q < le && *q == '{';) {
            size_t a, b;
            const char *r = num_after(q, le, "{\"start\":", &a);
            r = r ? num_after(r, le, ",\"end\":", &b) : NULL;
            if (!r || *r != '}') {
                bad_shape++;
                break;
            }
            nspan++;
            if (!(a < b && b <= len))
                bad_span++;
            else if (item[0] && !contains(text + a, b - a, item))
                bad_item++;
            q = r + 1;
            if (q < le && *q == ',')
                q++;
        }
        p = nl ? nl + 1 : end;
    }
    CHECK(lines == as_worker_record_count(w), "%s: %zu JSON lines for %zu records", what, lines,
          as_worker_record_count(w));
    CHECK(jl == 0 || j[jl - 1] == '\n', "%s: JSON ends with a newline", what);
    CHECK(bad_shape == 0, "%s: %zu JSON lines of the wrong shape:\n%.*s", what, bad_shape, (int)(jl > 2000 ? 2000 : jl), j);
    CHECK(bad_span == 0, "%s: %zu evidence spans outside the text", what, bad_span);
    CHECK(bad_item == 0, "%s: %zu evidence spans without their item", what, bad_item);
    if (spans)
        *spans = nspan;
    return lines;
}

/* ---- tests ---- */

static void test_load(void)
{
    char err[4096] = "";
    g_e = as_engine_load("data", err, sizeof err);
    CHECK(g_e != NULL, "as_engine_load(data): %s", err);
    if (!g_e)
        return;
    const char *langs = as_engine_languages(g_e);
    CHECK(langs && strstr(langs, "en") && strstr(langs, "fr"), "languages: %s", langs ? langs : "(null)");
    CHECK(strstr(as_engine_datadir(g_e), "data") != NULL, "datadir: %s", as_engine_datadir(g_e));
    CHECK(as_version() && *as_version(), "version");

    err[0] = 0;
    as_engine *e = as_engine_load("tests/no-such-data-folder", err, sizeof err);
    CHECK(e == NULL, "missing folder: NULL");
    CHECK(strstr(err, "tests/no-such-data-folder") != NULL, "missing folder named: %s", err);
    CHECK(strstr(err, "--data") && strstr(err, "ARMSCOPE_DATA"), "says how to fix it: %s", err);
    as_engine_free(e);
    as_engine_free(NULL);
    as_worker_free(NULL);
}

static const char EN_DOC[] =
    "Drones for Moscow\n\n"
    "Iran has supplied Russia with hundreds of Shahed drones since last summer, according to Western officials. "
    "North Korea shipped artillery shells to Russia by rail, the officials added. "
    "Belarus could send tanks to Russia next year.\n";

static const char FR_DOC[] =
    "Des obus pour Moscou\n\n"
    "La Corée du Nord a livré des millions d'obus à la Russie depuis l'an dernier, selon Séoul. "
    "L'Iran a fourni des drones Shahed à Moscou. "
    "La Biélorussie pourrait envoyer des chars à la Russie.\n";

static void test_extract(void)
{
    as_worker *w = as_worker_new(g_e);
    CHECK(w != NULL, "worker");
    if (!w)
        return;
    /* English, language given */
    as_doc d = mkdoc("en-1", EN_DOC, strlen(EN_DOC), "en");
    CHECK(as_extract(w, &d, 0) == 0, "extract en: %s", as_worker_error(w));
    HAS_REC(w, "IRN", "RUS", "uav", "fact");
    HAS_REC(w, "PRK", "RUS", "artillery_ammunition", "fact");
    HAS_REC(w, "BLR", "RUS", "armoured_vehicles", "potential");
    CHECK(as_worker_record_count(w) == 3, "en: 3 records, got %s", recs(w));
    CHECK_STR(as_worker_stats(w)->lang, "en");
    CHECK(as_worker_stats(w)->lang_detected == 0, "en: language given, not detected");
    CHECK(as_worker_stats(w)->records == 3 && as_worker_stats(w)->sentences >= 4 &&
              as_worker_stats(w)->tokens > 40 && as_worker_stats(w)->invalid_bytes == 0,
          "en: stats");
    check_json(w, EN_DOC, strlen(EN_DOC), "en", NULL);
    size_t jl;
    const char *j = as_worker_json(w, &jl);
    CHECK(strstr(j, "{\"doc\":\"en-1\",") == j, "en: JSON starts with the doc id");
    CHECK(strstr(j, "\"designations\":[\"Shahed-136\"]") != NULL, "en: Shahed designation in JSON");
    for (size_t i = 0; i < as_worker_record_count(w); i++) {
        as_record r;
        CHECK(as_worker_record(w, i, &r) == 0, "record %zu", i);
        CHECK(r.n_evidence >= 1 && r.evidence_start < r.evidence_end && r.evidence_end <= strlen(EN_DOC),
              "en: record %zu evidence [%zu,%zu)", i, r.evidence_start, r.evidence_end);
        CHECK(r.n_sources >= 0, "sources");
        if (!strcmp(r.supplier, "PRK"))
            CHECK(!strncmp(EN_DOC + r.evidence_start, "North Korea", 11), "en: PRK evidence starts at North Korea: %.20s",
                  EN_DOC + r.evidence_start);
    }
    as_record none;
    CHECK(as_worker_record(w, 99, &none) != 0, "record out of range fails");

    /* French, language detected */
    d = mkdoc("fr-1", FR_DOC, strlen(FR_DOC), NULL);
    CHECK(as_extract(w, &d, 0) == 0, "extract fr: %s", as_worker_error(w));
    CHECK_STR(as_worker_stats(w)->lang, "fr");
    CHECK(as_worker_stats(w)->lang_detected == 1, "fr: detected");
    HAS_REC(w, "PRK", "RUS", "artillery_ammunition", "fact");
    HAS_REC(w, "IRN", "RUS", "uav", "fact");
    HAS_REC(w, "BLR", "RUS", "armoured_vehicles", "potential");
    CHECK(as_worker_record_count(w) == 3, "fr: 3 records, got %s", recs(w));
    check_json(w, FR_DOC, strlen(FR_DOC), "fr", NULL);
    for (size_t i = 0; i < as_worker_record_count(w); i++) {
        as_record r;
        as_worker_record(w, i, &r);
        if (!strcmp(r.supplier, "PRK")) {
            CHECK(r.quantity == 1000000, "fr: millions d'obus gives 1000000, got %g", r.quantity);
            CHECK(!strncmp(FR_DOC + r.evidence_start, "La Corée", 9), "fr: evidence at La Corée: %.20s",
                  FR_DOC + r.evidence_start);
        }
    }

    /* the text need not be NUL-terminated: only len bytes are read */
    char part[64];
    memcpy(part, "Iran sent drones to Russia. North Korea sent shells to Syria.", 61);
    d = mkdoc("cut", part, 27, "en");
    CHECK(as_extract(w, &d, 0) == 0, "extract cut");
    HAS_REC(w, "IRN", "RUS", "uav", "fact");
    CHECK(as_worker_record_count(w) == 1, "only the first len bytes are read: %s", recs(w));

    /* empty documents: no record, no error */
    d = mkdoc("empty", "", 0, NULL);
    CHECK(as_extract(w, &d, 0) == 0, "extract empty: %s", as_worker_error(w));
    CHECK(as_worker_record_count(w) == 0, "empty: no record");
    as_worker_json(w, &jl);
    CHECK(jl == 0, "empty: no JSON");
    d = mkdoc(NULL, NULL, 0, "en");
    CHECK(as_extract(w, &d, 0) == 0 && as_worker_record_count(w) == 0, "NULL text and id: no record, no error");
    d = mkdoc("blank", " \n\n\t \n", 6, NULL);
    CHECK(as_extract(w, &d, 0) == 0 && as_worker_record_count(w) == 0, "white space only");
    d = mkdoc("nolang", "Iran sent drones to Russia.", 27, "xx");
    CHECK(as_extract(w, &d, 0) == 0, "unknown language code: falls back to detection: %s", as_worker_error(w));
    HAS_REC(w, "IRN", "RUS", "uav", "fact");
    as_worker_free(w);
}

static void test_bad_bytes(void)
{
    as_worker *w = as_worker_new(g_e);
    /* invalid UTF-8 and NUL bytes before and inside the sentences */
    static const char doc[] = "Report\xff\xfe from the \0front.\n\n"
                              "Iran\xc0 has supplied Russia with Shahed drones.\0 "
                              "North Korea shipped artillery shells to Russia \xed\xa0\x80 by rail.";
    size_t n = sizeof doc - 1;
    as_doc d = mkdoc("bad", doc, n, "en");
    CHECK(as_extract(w, &d, 0) == 0, "extract with bad bytes: %s", as_worker_error(w));
    CHECK(as_worker_stats(w)->invalid_bytes >= 7, "invalid bytes counted: %zu", as_worker_stats(w)->invalid_bytes);
    HAS_REC(w, "IRN", "RUS", "uav", "fact");
    HAS_REC(w, "PRK", "RUS", "artillery_ammunition", "fact");
    size_t nk = 0;
    for (size_t i = 0; i < n; i++)
        if (!memcmp(doc + i, "North Korea", 11))
            nk = i;
    for (size_t i = 0; i < as_worker_record_count(w); i++) {
        as_record r;
        as_worker_record(w, i, &r);
        CHECK(r.evidence_end <= n, "evidence inside the original length");
        if (!strcmp(r.supplier, "PRK"))
            CHECK(r.evidence_start == nk, "offsets index the original text: %zu, want %zu", r.evidence_start, nk);
        if (!strcmp(r.supplier, "IRN"))
            CHECK(r.evidence_start < r.evidence_end && !memcmp(doc + r.evidence_start, "Iran", 4),
                  "IRN evidence starts at Iran: %zu", r.evidence_start);
    }
    check_json(w, doc, n, "bad bytes", NULL);
    size_t jl;
    const char *j = as_worker_json(w, &jl);
    size_t ctl = 0;
    for (size_t i = 0; i < jl; i++)
        ctl += (unsigned char)j[i] < 0x20 && j[i] != '\n';
    CHECK(ctl == 0, "no raw control bytes in the JSON");
    /* a document of NUL bytes only */
    char zeros[100] = {0};
    d = mkdoc("zeros", zeros, sizeof zeros, NULL);
    CHECK(as_extract(w, &d, 0) == 0 && as_worker_record_count(w) == 0, "NUL bytes only: no record, no error");
    CHECK(as_worker_stats(w)->invalid_bytes == 100, "100 NUL bytes counted: %zu", as_worker_stats(w)->invalid_bytes);
    as_worker_free(w);
}
