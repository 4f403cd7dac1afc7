/* engine.c - the public API: loading, workers, the per-document pipeline
 * (repair, language, tokens, sentences, analysis, frames, records), JSON
 * output and language identification. */
#include "armscope.h"
#include "extract/ex.h"
#include "lex/lex.h"
#include "text/text.h"
#include "util/util.h"

#include <libexttextcat/textcat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef AS_VERSION
#define AS_VERSION "0.0.0"
#endif
#ifndef AS_DATADIR
#define AS_DATADIR "/usr/local/share/armscope"
#endif

#define CHUNK_BYTES (1u << 20)   /* text is tokenised a window at a time */
#define MAX_SENT_TOKENS 300      /* longer runs are cut: bounded work */
#define LANGID_WORDS 1500
#define TEXTCAT_CONF "/usr/share/libexttextcat/fpdb.conf"
#define TEXTCAT_DIR "/usr/share/libexttextcat/"

struct as_engine {
    lex_t *lx;
    char dir[4096];
    char langs[128];
};

struct as_worker {
    const as_engine *e;
    ex_scratch x;
    lex_scratch_t *lsc;
    buf_t repaired, json, trace, strs, err;
    vec_t sents;
    as_stats stats;
    void *textcat;
    bool textcat_failed;
    char lang[8];
};

const char *as_version(void) { return AS_VERSION; }

const char *as_category(size_t i) { return i + 1 < CAT_COUNT ? cat_name((int)i + 1) : NULL; }

static bool is_dir(const char *p)
{
    struct stat st;
    return p && !stat(p, &st) && S_ISDIR(st.st_mode);
}

/* The data folder: given, $ARMSCOPE_DATA, beside the binary (a checkout's
 * build/../data), ./data, then the installed copy. */
static bool find_datadir(const char *dir, char *out, size_t n)
{
    if (dir) {
        snprintf(out, n, "%s", dir);
        return is_dir(out);
    }
    const char *env = getenv("ARMSCOPE_DATA");
    if (env && *env) {
        snprintf(out, n, "%s", env);
        return is_dir(out);
    }
    char exe[4096];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = 0;
        char *sl = strrchr(exe, '/');
        if (sl) {
            *sl = 0;
            snprintf(out, n, "%s/../data", exe);
            if (is_dir(out))
                return true;
            snprintf(out, n, "%s/../share/armscope", exe);
            if (is_dir(out))
                return true;
        }
    }
    snprintf(out, n, "data");
    if (is_dir(out))
        return true;
    snprintf(out, n, "%s", AS_DATADIR);
    return is_dir(out);
}

as_engine *as_engine_load(const char *dir, char *err, size_t errlen)
{
    as_engine *e = calloc(1, sizeof *e);
    if (!e) {
        snprintf(err, errlen, "out of memory loading the engine");
        return NULL;
    }
    bool found = find_datadir(dir, e->dir, sizeof e->dir);
    char real[4096];
    if (found && realpath(e->dir, real))
        snprintf(e->dir, sizeof e->dir, "%s", real);
    if (!found) {
        snprintf(err, errlen,
                 "data folder not found (tried %s); give it with --data DIR or ARMSCOPE_DATA, "
                 "or run from a checkout / after make install",
                 dir ? dir : "$ARMSCOPE_DATA, <binary>/../data, ./data, " AS_DATADIR);
        free(e);
        return NULL;
    }
    lx_diag d = {0};
    e->lx = lex_load(e->dir, false, &d);
    if (!e->lx || d.errors) {
        snprintf(err, errlen, "data files in %s have %zu error(s); run 'armscope dict check' to list them:\n%.*s",
                 e->dir, d.errors, (int)AS_MIN(d.text.len, errlen > 200 ? errlen - 200 : 0),
                 d.text.data ? d.text.data : "");
        buf_free(&d.text);
        lex_free(e->lx);
        free(e);
        return NULL;
    }
    buf_free(&d.text);
    for (size_t i = 0; i < lex_lang_count(e->lx); i++) {
        size_t l = strlen(e->langs);
        snprintf(e->langs + l, sizeof e->langs - l, "%s%s", i ? "," : "", lex_lang_code(lex_lang_at(e->lx, i)));
    }
    return e;
}

void as_engine_free(as_engine *e)
{
    if (!e)
        return;
    lex_free(e->lx);
    free(e);
}

const char *as_engine_datadir(const as_engine *e) { return e->dir; }
const char *as_engine_languages(const as_engine *e) { return e->langs; }

int as_data_check(const char *dir, char **out)
{
    char path[4096];
    *out = NULL;
    if (!find_datadir(dir, path, sizeof path)) {
        *out = strdup("data folder not found; give it with --data DIR\n");
        return -1;
    }
    char real[4096];
    if (realpath(path, real))
        snprintf(path, sizeof path, "%s", real);
    lx_diag d = {0};
    lex_t *lx = lex_load(path, true, &d);
    int n = (int)d.errors;
    if (lx) {
        buf_printf(&d.text, "%s: %zu entries, %zu actors, %zu languages (", path, lex_entry_count(lx),
                   lex_actor_count(lx), lex_lang_count(lx));
        for (size_t i = 0; i < lex_lang_count(lx); i++)
            buf_printf(&d.text, "%s%s", i ? " " : "", lex_lang_code(lex_lang_at(lx, i)));
        buf_puts(&d.text, "), no errors\n");
        lex_free(lx);
    }
    *out = d.text.data ? d.text.data : strdup("");
    return n;
}

as_worker *as_worker_new(const as_engine *e)
{
    as_worker *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->e = e;
    w->lsc = lex_scratch_new(e->lx);
    if (!w->lsc) {
        free(w);
        return NULL;
    }
    toklist_init(&w->x.tl);
    vec_init(&w->sents, sizeof(sent_t));
    vec_init(&w->x.records, sizeof(xrecord));
    vec_init(&w->x.denials, sizeof(xdenial));
    vec_init(&w->x.pairs, sizeof(int) * 2);
    vec_init(&w->x.pair_mod, 1);
    vec_init(&w->x.holders, sizeof(int));
    vec_init(&w->x.pending, sizeof(xpending));
    w->x.last_sup = w->x.last_rec = w->x.last_subject = -1;
    vec_init(&w->x.s.matches, sizeof(lx_match));
    vec_init(&w->x.s.actors, sizeof(xactor));
    vec_init(&w->x.s.items, sizeof(xitem));
    vec_init(&w->x.s.preds, sizeof(xpred));
    vec_init(&w->x.s.cues, sizeof(xcue));
    vec_init(&w->x.s.frames, sizeof(xframe));
    w->x.lx = e->lx;
    w->x.lsc = w->lsc;
    return w;
}

void as_worker_free(as_worker *w)
{
    if (!w)
        return;
    ex_records_clear(&w->x);
    vec_free(&w->x.records);
    vec_free(&w->x.denials);
    vec_free(&w->x.pairs);
    vec_free(&w->x.pair_mod);
    vec_free(&w->x.holders);
    vec_free(&w->x.pending);
    vec_free(&w->x.s.matches);
    vec_free(&w->x.s.actors);
    vec_free(&w->x.s.items);
    vec_free(&w->x.s.preds);
    vec_free(&w->x.s.cues);
    vec_free(&w->x.s.frames);
    free(w->x.s.layer_at);
    free(w->x.s.clause);
    free(w->x.s.clause_inv);
    toklist_free(&w->x.tl);
    vec_free(&w->sents);
    lex_scratch_free(w->lsc);
    buf_free(&w->repaired);
    buf_free(&w->json);
    buf_free(&w->trace);
    buf_free(&w->strs);
    buf_free(&w->err);
    if (w->textcat)
        textcat_Done(w->textcat);
    free(w);
}

/* ---- language identification ---- */

/* Scores the function words of each language over the first words of tl;
 * falls back to libexttextcat on a small sample when the scores are close. */
static const lex_lang_t *detect(as_worker *w, const toklist_t *tl, const char *text, size_t len)
{
    const lex_t *lx = w->e->lx;
    size_t nl = lex_lang_count(lx);
    double score[32] = {0};
    size_t words = 0, cyr = 0, ukr = 0, rus = 0;
    for (size_t i = 0; i < tl->toks.len && words < LANGID_WORDS; i++) {
        const tok_t *t = &VEC_AT(&tl->toks, tok_t, i);
        if (!(t->flags & TK_WORD))
            continue;
        words++;
        const char *f = tok_fold(tl, t);
        if (t->flags & TK_CYRILLIC) {
            cyr++;
            /* letters only one of the two languages writes: Ukrainian
             * і ї є ґ, Russian ы э ъ (their byte pairs, at any offset) */
            bool u = false, r = false;
            for (const unsigned char *p = (const unsigned char *)f; *p; p++) {
                if (*p == 0xD1 && (p[1] == 0x96 || p[1] == 0x97 || p[1] == 0x94))
                    u = true;
                else if (*p == 0xD2 && p[1] == 0x91)
                    u = true;
                else if (*p == 0xD1 && (p[1] == 0x8B || p[1] == 0x8D || p[1] == 0x8A))
                    r = true;
            }
            ukr += u;
            rus += r;
        }
        uint32_t stop = lex_stop_langs(w->lsc, f, t->fold_len);
        for (size_t l = 0; stop && l < nl && l < 32; l++)
            if (stop >> l & 1)
                score[l] += 1;
    }
    const lex_lang_t *ru = lex_lang_find(lx, "ru"), *uk = lex_lang_find(lx, "uk");
    if (cyr * 2 > words && ru && uk && (ukr || rus)) {
        if (ukr > rus * 2)
            return uk;
        if (rus > ukr * 2)
            return ru;
    }
    int best = -1, second = -1;
    for (size_t l = 0; l < nl && l < 32; l++) {
        if (best < 0 || score[l] > score[best]) {
            second = best;
            best = (int)l;
        } else if (second < 0 || score[l] > score[second]) {
            second = (int)l;
        }
    }
    bool clear = best >= 0 && score[best] >= 3 && (second < 0 || score[best] >= 1.5 * score[second]);
    if (!clear && !w->textcat_failed) {
        if (!w->textcat) {
            w->textcat = special_textcat_Init(TEXTCAT_CONF, TEXTCAT_DIR);
            if (!w->textcat)
                w->textcat_failed = true;
        }
        if (w->textcat) {
            size_t n = len < 4096 ? len : 4096;
            while (n < len && n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
                n--;
            const char *r = textcat_Classify(w->textcat, text, n);
            if (r && r[0] == '[') {
                char code[8] = {0};
                for (int k = 0; k < 7 && r[1 + k] && r[1 + k] != '-' && r[1 + k] != ']'; k++)
                    code[k] = r[1 + k];
                const lex_lang_t *l = lex_lang_find(lx, code);
                if (l)
                    return l;
            }
        }
    }
    if (best >= 0 && score[best] > 0)
        return lex_lang_at(lx, (size_t)best);
    return lex_lang_find(lx, "en") ? lex_lang_find(lx, "en") : nl ? lex_lang_at(lx, 0) : NULL;
}

const char *as_detect_language(as_worker *w, const char *text, size_t len)
{
    toklist_t tl;
    toklist_init(&tl);
    size_t n = len < 65536 ? len : 65536;
    buf_t rep = {0};
    if (utf8_invalid_count(text, n)) {
        utf8_repair(text, n, &rep);
        text = rep.data;
    }
    const lex_lang_t *l = NULL;
    if (!tokenize(text, n, 0, &tl))
        l = detect(w, &tl, text, n);
    snprintf(w->lang, sizeof w->lang, "%s", l ? lex_lang_code(l) : "und");
    toklist_free(&tl);
    buf_free(&rep);
    return w->lang;
}

/* ---- the pipeline ---- */

static int parse_year(const char *date)
{
    if (!date || strlen(date) < 4)
        return 0;
    int y = 0;
    for (int i = 0; i < 4; i++) {
        if (date[i] < '0' || date[i] > '9')
            return 0;
        y = y * 10 + (date[i] - '0');
    }
    return y;
}

/* end of the next window: at most CHUNK_BYTES, cut after a line break */
static size_t window_end(const char *t, size_t from, size_t len)
{
    if (len - from <= CHUNK_BYTES)
        return len;
    size_t e = from + CHUNK_BYTES;
    /* a line break, else a sentence end (". " before a capital or digit),
     * else a space: a window never cuts a sentence when it can help it */
    for (size_t k = e; k > from + CHUNK_BYTES / 2; k--)
        if (t[k - 1] == '\n')
            return k;
    for (size_t k = e; k > from + CHUNK_BYTES / 2; k--)
        if (t[k - 1] == ' ' && k >= 2 && (t[k - 2] == '.' || t[k - 2] == '!' || t[k - 2] == '?') &&
            k < len && !(t[k] >= 'a' && t[k] <= 'z'))
            return k;
    for (size_t k = e; k > from + CHUNK_BYTES / 2; k--)
        if (t[k - 1] == ' ')
            return k;
    while (e > from && ((unsigned char)t[e] & 0xC0) == 0x80)
        e--;
    return e;
}

static void json_records(as_worker *w, const char *doc_id)
{
    ex_scratch *x = &w->x;
    const lex_t *lx = w->e->lx;
    buf_t *b = &w->json;
    const char *text = x->text;
    for (size_t i = 0; i < x->records.len; i++) {
        const xrecord *r = &VEC_AT(&x->records, xrecord, i);
        const char *mod = r->fact ? "fact" : r->potential ? "potential" : "denied";
        buf_puts(b, "{\"doc\":");
        buf_json_str(b, doc_id, strlen(doc_id));
        const char *sc = lex_str(lx, lex_actor(lx, (uint32_t)r->sup)->code);
        const char *rc = lex_str(lx, lex_actor(lx, (uint32_t)r->rec)->code);
        buf_puts(b, ",\"supplier\":");
        buf_json_str(b, sc, strlen(sc));
        buf_puts(b, ",\"recipient\":");
        buf_json_str(b, rc, strlen(rc));
        buf_printf(b, ",\"category\":\"%s\",\"modality\":\"%s\",\"items\":[", cat_name(r->cat), mod);
        for (size_t k = 0; k < r->items.len; k++) {
            const uint32_t *p = (const uint32_t *)r->items.data + 2 * k;
            if (k)
                buf_putc(b, ',');
            buf_json_str(b, text + p[0], p[1] - p[0]);
        }
        buf_puts(b, "],\"designations\":[");
        for (size_t k = 0; k < r->desig.len; k++) {
            const char *d = lex_str(lx, VEC_AT(&r->desig, uint32_t, k));
            if (k)
                buf_putc(b, ',');
            buf_json_str(b, d, strlen(d));
        }
        buf_puts(b, "],\"quantity\":");
        if (r->has_qty)
            buf_printf(b, "{\"value\":%.15g,\"approx\":\"%s\"}", r->qty, approx_name(r->approx));
        else
            buf_puts(b, "null");
        buf_puts(b, ",\"sources\":[");
        if (!r->sources.len)
            buf_puts(b, "{\"actor\":null,\"name\":null,\"stance\":\"asserts\"}");
        for (size_t k = 0; k < r->sources.len; k++) {
            const xsource *s = &VEC_AT(&r->sources, xsource, k);
            static const char *const st[] = {"asserts", "denies", "doubts"};
            if (k)
                buf_putc(b, ',');
            buf_puts(b, "{\"actor\":");
            if (s->actor >= 0) {
                const char *c = lex_str(lx, lex_actor(lx, (uint32_t)s->actor)->code);
                buf_json_str(b, c, strlen(c));
            } else {
                buf_puts(b, "null");
            }
            buf_puts(b, ",\"name\":");
            if (s->end > s->start)
                buf_json_str(b, text + s->start, s->end - s->start);
            else
                buf_puts(b, "null");
            buf_printf(b, ",\"stance\":\"%s\"}", st[s->stance]);
        }
        buf_puts(b, "]");
        if (r->date[0])
            buf_printf(b, ",\"event_date\":\"%s\"", r->date);
        buf_puts(b, ",\"evidence\":[");
        for (size_t k = 0; k < r->evidence.len; k++) {
            const uint32_t *p = (const uint32_t *)r->evidence.data + 2 * k;
            buf_printf(b, "%s{\"start\":%u,\"end\":%u}", k ? "," : "", p[0], p[1]);
        }
        buf_puts(b, "]}\n");
    }
}

int as_extract(as_worker *w, const as_doc *doc, int flags)
{
    ex_scratch *x = &w->x;
    buf_clear(&w->json);
    buf_clear(&w->trace);
    buf_clear(&w->err);
    ex_records_clear(x);
    memset(&w->stats, 0, sizeof w->stats);
    const char *text = doc->text ? doc->text : "";
    size_t len = doc->text ? doc->len : 0;
    const char *id = doc->id ? doc->id : "-";
    if (len > UINT32_MAX - 1) {
        buf_printf(&w->err, "document %s: %zu bytes is over the 4 GiB limit; split it", id, len);
        return -1;
    }
    size_t bad = utf8_invalid_count(text, len);
    if (bad) {
        buf_clear(&w->repaired);
        if (utf8_repair(text, len, &w->repaired) == (size_t)-1) {
            buf_printf(&w->err, "document %s: out of memory repairing its UTF-8", id);
            return -1;
        }
        text = w->repaired.data;
    }
    w->stats.invalid_bytes = bad;
    x->text = text;
    x->text_len = len;
    x->trace = (flags & AS_TRACE) ? &w->trace : NULL;
    x->doc_year = parse_year(doc->date);
    snprintf(x->doc_date, sizeof x->doc_date, "%s", doc->date && x->doc_year ? doc->date : "");
    const lex_t *lx = w->e->lx;
    const lex_lang_t *lang = doc->lang && *doc->lang ? lex_lang_find(lx, doc->lang) : NULL;
    if (doc->lang && *doc->lang && !lang && x->trace)
        ex_trace(x, "language '%s' has no data files; detecting instead\n", doc->lang);
    size_t from = 0;
    bool first_window = true;
    while (from < len || first_window) {
        size_t to = window_end(text, from, len);
        toklist_clear(&x->tl);
        if (tokenize(text + from, to - from, (uint32_t)from, &x->tl)) {
            buf_printf(&w->err, "document %s: out of memory tokenising", id);
            return -1;
        }
        if (first_window) {
            if (!lang) {
                lang = detect(w, &x->tl, text, len);
                w->stats.lang_detected = 1;
            }
            if (!lang) {
                buf_printf(&w->err, "document %s: no language data loaded", id);
                return -1;
            }
            snprintf(w->lang, sizeof w->lang, "%s", lex_lang_code(lang));
            w->stats.lang = w->lang;
            x->lang = lang;
            x->lang_verb_final = lex_lang_verb_final(lang);
            if (x->trace)
                ex_trace(x, "document %s: language %s (%s)\n", id, w->lang,
                         w->stats.lang_detected ? "detected" : "given");
        }
        first_window = false;
        vec_clear(&w->sents);
        if (sentences(&x->tl, text, lex_is_abbrev, lang, &w->sents)) {
            buf_printf(&w->err, "document %s: out of memory splitting sentences", id);
            return -1;
        }
        w->stats.tokens += x->tl.toks.len;
        for (size_t i = 0; i < w->sents.len; i++) {
            sent_t st = VEC_AT(&w->sents, sent_t, i);
            for (uint32_t a = st.first; a < st.last; a += MAX_SENT_TOKENS) {
                sent_t piece = {a, a + MAX_SENT_TOKENS < st.last ? a + MAX_SENT_TOKENS : st.last};
                w->stats.sentences++;
                if (x->trace) {
                    const tok_t *T = x->tl.toks.data;
                    ex_trace(x, "\nsentence %zu [%u-%u]: ", w->stats.sentences, T[piece.first].start,
                             T[piece.last - 1].end);
                    ex_trace_span(x, piece.first, piece.last);
                    ex_trace(x, "\n  tokens:");
                    for (uint32_t t = piece.first; t < piece.last; t++)
                        ex_trace(x, " %s", tok_fold(&x->tl, &T[t]));
                    ex_trace(x, "\n");
                }
                if (ex_analyse(x, &piece) || ex_frames(x) || ex_collect(x)) {
                    buf_printf(&w->err, "document %s: out of memory in sentence %zu", id, w->stats.sentences);
                    return -1;
                }
            }
        }
        if (to >= len)
            break;
        from = to;
    }
    ex_finish(x);
    w->stats.records = x->records.len;
    json_records(w, id);
    if (x->trace) {
        ex_trace(x, "\nrecords: %zu\n", x->records.len);
        buf_append(&w->trace, w->json.data ? w->json.data : "", w->json.len);
    }
    return 0;
}

const char *as_worker_json(as_worker *w, size_t *len)
{
    if (len)
        *len = w->json.len;
    return w->json.data ? w->json.data : "";
}

const char *as_worker_trace(as_worker *w, size_t *len)
{
    if (len)
        *len = w->trace.len;
    return w->trace.data ? w->trace.data : "";
}

size_t as_worker_record_count(const as_worker *w) { return w->x.records.len; }
const as_stats *as_worker_stats(const as_worker *w) { return &w->stats; }
const char *as_worker_error(const as_worker *w) { return w->err.data ? w->err.data : ""; }

int as_worker_record(as_worker *w, size_t i, as_record *out)
{
    const ex_scratch *x = &w->x;
    if (i >= x->records.len)
        return -1;
    const lex_t *lx = w->e->lx;
    const xrecord *r = &VEC_AT(&x->records, xrecord, i);
    buf_clear(&w->strs);
    size_t off_d = 0;
    for (size_t k = 0; k < r->desig.len; k++)
        buf_printf(&w->strs, "%s%s", k ? ", " : "", lex_str(lx, VEC_AT(&r->desig, uint32_t, k)));
    buf_putc(&w->strs, 0);
    memset(out, 0, sizeof *out);
    out->supplier = lex_str(lx, lex_actor(lx, (uint32_t)r->sup)->code);
    out->recipient = lex_str(lx, lex_actor(lx, (uint32_t)r->rec)->code);
    out->category = cat_name(r->cat);
    out->modality = r->fact ? "fact" : r->potential ? "potential" : "denied";
    out->designations = w->strs.data + off_d;
    out->quantity = r->has_qty ? r->qty : 0;
    out->approx = r->has_qty ? approx_name(r->approx) : "";
    if (r->evidence.len) {
        out->evidence_start = ((const uint32_t *)r->evidence.data)[0];
        out->evidence_end = ((const uint32_t *)r->evidence.data)[1];
    }
    out->n_evidence = r->evidence.len;
    out->n_sources = r->sources.len ? r->sources.len : 1;
    out->n_items = r->items.len;
    out->event_date = r->date;
    out->n_designations = r->desig.len;
    return 0;
}

static const xrecord *rec_at(const as_worker *w, size_t i)
{
    return i < w->x.records.len ? &VEC_AT(&w->x.records, xrecord, i) : NULL;
}

int as_worker_record_item(as_worker *w, size_t i, size_t k, as_span *out)
{
    const xrecord *r = rec_at(w, i);
    if (!r || k >= r->items.len)
        return -1;
    const uint32_t *p = (const uint32_t *)r->items.data + 2 * k;
    *out = (as_span){p[0], p[1], p[0], p[1]};
    return 0;
}

int as_worker_record_evidence(as_worker *w, size_t i, size_t k, as_span *out)
{
    const xrecord *r = rec_at(w, i);
    if (!r || k >= r->evidence.len)
        return -1;
    const uint32_t *p = (const uint32_t *)r->evidence.data + 2 * k;
    /* the sentence: the evidence span widened to the nearest sentence ends */
    const char *t = w->x.text;
    size_t a = p[0], b = p[1], len = w->x.text_len;
    while (a > 0 && t[a - 1] != '\n' &&
           !((t[a - 1] == ' ') && a >= 2 && (t[a - 2] == '.' || t[a - 2] == '!' || t[a - 2] == '?')))
        a--;
    while (b < len && t[b] != '\n' && !((t[b] == '.' || t[b] == '!' || t[b] == '?') && (b + 1 >= len || t[b + 1] == ' ' || t[b + 1] == '\n')))
        b++;
    if (b < len && t[b] != '\n')
        b++;
    *out = (as_span){p[0], p[1], a, b};
    return 0;
}

int as_worker_record_source(as_worker *w, size_t i, size_t k, as_source *out)
{
    static const char *const st[] = {"asserts", "denies", "doubts"};
    const xrecord *r = rec_at(w, i);
    if (!r)
        return -1;
    if (!r->sources.len && k == 0) {
        *out = (as_source){NULL, 0, 0, "asserts"};
        return 0;
    }
    if (k >= r->sources.len)
        return -1;
    const xsource *s = &VEC_AT(&r->sources, xsource, k);
    out->actor = s->actor >= 0 ? lex_str(w->e->lx, lex_actor(w->e->lx, (uint32_t)s->actor)->code) : NULL;
    out->name_start = s->start;
    out->name_end = s->end;
    out->stance = st[s->stance];
    return 0;
}

const char *as_worker_record_designation(as_worker *w, size_t i, size_t k)
{
    const xrecord *r = rec_at(w, i);
    if (!r || k >= r->desig.len)
        return NULL;
    return lex_str(w->e->lx, VEC_AT(&r->desig, uint32_t, k));
}

const char *as_worker_text(const as_worker *w, size_t *len)
{
    if (len)
        *len = w->x.text_len;
    return w->x.text ? w->x.text : "";
}

size_t as_engine_embargo_count(const as_engine *e) { return lex_embargo_count(e->lx); }

int as_engine_embargo(const as_engine *e, size_t i, as_embargo *out)
{
    if (i >= lex_embargo_count(e->lx))
        return -1;
    const lx_embargo *m = lex_embargo_at(e->lx, i);
    out->target = lex_str(e->lx, lex_actor(e->lx, m->target)->code);
    out->body = m->body;
    out->direction = m->dir;
    out->from = m->from;
    out->to = m->to;
    out->act = lex_str(e->lx, m->act);
    return 0;
}

const char *as_engine_actor_kind(const as_engine *e, const char *code)
{
    static const char *const kinds[] = {"state", "org", "igo", "media", "company"};
    int a = lex_actor_find(e->lx, code);
    return a < 0 ? NULL : kinds[lex_actor(e->lx, (uint32_t)a)->kind];
}

const char *as_engine_actor_name(const as_engine *e, const char *code)
{
    int a = lex_actor_find(e->lx, code);
    return a < 0 ? NULL : lex_str(e->lx, lex_actor(e->lx, (uint32_t)a)->display);
}

int as_engine_bound_by(const as_engine *e, const char *body, const char *code)
{
    int a = lex_actor_find(e->lx, code);
    if (a >= 0) {
        const lx_actor *ac = lex_actor(e->lx, (uint32_t)a);
        if (ac->kind == AK_COMPANY && ac->stands_for != 0xFFFF)
            a = ac->stands_for;
    }
    return lex_bound_by(e->lx, body, a);
}
