/* test_cases.c - runs the sentence cases in tests/cases (files ending .test).
 *
 * A case is a block of lines separated by a blank line:
 *   lang: fr                      (optional; detected otherwise)
 *   date: 2024-05                 (optional)
 *   text: La Corée du Nord a livré des obus à la Russie.
 *   expect: PRK RUS artillery_ammunition fact
 *   expect: none                  (no record at all)
 * The records found must be exactly the expected (supplier, recipient,
 * category, modality) set. '#' starts a comment line. */
#include "armscope.h"
#include "t.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char lang[8], date[16];
    char *text;
    char expect[32][96];
    int nexpect;
    bool none;
    int line;
} tcase;

static int cmp(const void *a, const void *b) { return strcmp(a, b); }
static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void run_case(as_worker *w, const char *file, tcase *c)
{
    if (!c->text)
        return;
    as_doc d = {"case", c->text, strlen(c->text), c->lang[0] ? c->lang : NULL, c->date[0] ? c->date : NULL};
    if (as_extract(w, &d, 0)) {
        CHECK(0, "%s:%d: extract failed: %s", file, c->line, as_worker_error(w));
        return;
    }
    char got[64][96];
    int ng = 0;
    for (size_t i = 0; i < as_worker_record_count(w) && ng < 64; i++) {
        as_record r;
        as_worker_record(w, i, &r);
        snprintf(got[ng++], 96, "%s %s %s %s", r.supplier, r.recipient, r.category, r.modality);
    }
    qsort(got, (size_t)ng, 96, cmp);
    qsort(c->expect, (size_t)c->nexpect, 96, cmp);
    bool same = ng == c->nexpect;
    for (int i = 0; same && i < ng; i++)
        same = !strcmp(got[i], c->expect[i]);
    if (!same) {
        char gs[2048] = "", es[2048] = "";
        for (int i = 0; i < ng; i++)
            snprintf(gs + strlen(gs), sizeof gs - strlen(gs), "%s[%s]", i ? " " : "", got[i]);
        for (int i = 0; i < c->nexpect; i++)
            snprintf(es + strlen(es), sizeof es - strlen(es), "%s[%s]", i ? " " : "", c->expect[i]);
        CHECK(0, "%s:%d: %s\n      got:  %s\n      want: %s", file, c->line, c->text, ng ? gs : "none",
              c->nexpect ? es : "none");
    } else {
        CHECK(1, "ok");
    }
}

static void run_file(as_worker *w, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        CHECK(0, "cannot open %s", path);
        return;
    }
    char line[8192];
    tcase c = {0};
    int ln = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0]) {
            run_case(w, path, &c);
            free(c.text);
            memset(&c, 0, sizeof c);
            continue;
        }
        if (line[0] == '#')
            continue;
        if (!strncmp(line, "lang: ", 6))
            snprintf(c.lang, sizeof c.lang, "%s", line + 6);
        else if (!strncmp(line, "date: ", 6))
            snprintf(c.date, sizeof c.date, "%s", line + 6);
        else if (!strncmp(line, "text: ", 6)) {
            free(c.text);
            c.text = strdup(line + 6);
            c.line = ln;
        } else if (!strncmp(line, "expect: ", 8)) {
            if (!strcmp(line + 8, "none"))
                c.none = true;
            else if (c.nexpect < 32)
                snprintf(c.expect[c.nexpect++], 96, "%s", line + 8);
        } else {
            CHECK(0, "%s:%d: unknown line '%s'", path, ln, line);
        }
    }
    run_case(w, path, &c);
    free(c.text);
    fclose(f);
}

int main(void)
{
    char err[4096];
    as_engine *e = as_engine_load("data", err, sizeof err);
    CHECK(e != NULL, "engine load: %s", err);
    if (!e)
        return t_done();
    as_worker *w = as_worker_new(e);
    DIR *d = opendir("tests/cases");
    CHECK(d != NULL, "tests/cases missing");
    char *names[256];
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) && n < 256) {
        size_t l = strlen(de->d_name);
        if (l > 5 && !strcmp(de->d_name + l - 5, ".test"))
            names[n++] = strdup(de->d_name);
    }
    if (d)
        closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_names);
    for (int i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "tests/cases/%s", names[i]);
        run_file(w, path);
        free(names[i]);
    }
    as_worker_free(w);
    as_engine_free(e);
    return t_done();
}
