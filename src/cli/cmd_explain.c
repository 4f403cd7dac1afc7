/* cmd_explain.c - armscope explain: every stage of the analysis. */
#include "cli.h"
#include "input.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char USAGE[] =
    "usage: armscope explain [--lang L] [--date YYYY[-MM[-DD]]] TEXT...\n"
    "       armscope explain [--lang L] FILE\n"
    "\n"
    "Shows how armscope reads a sentence or a document: the language, the\n"
    "sentences and their tokens, every dictionary match with the data file\n"
    "and line it comes from, the actors, items and quantities found, each\n"
    "frame with the roles it filled (or why it was rejected), and the\n"
    "records. With a FILE (text, HTML or JSON Lines) every document in it is\n"
    "explained.\n"
    "\n"
    "options:\n"
    "  -l, --lang L    language (default: detect)\n"
    "      --date D    document date, for officials' years\n"
    "      --data DIR  data files\n"
    "  -h, --help      this text\n";

int cmd_explain(int argc, char **argv, const cli_global *g)
{
    static const struct option opts[] = {
        {"lang", required_argument, NULL, 'l'}, {"date", required_argument, NULL, 'D'},
        {"data", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *lang = NULL, *date = NULL;
    cli_global gg = *g;
    int c;
    while ((c = getopt_long(argc, argv, "l:h", opts, NULL)) != -1) {
        switch (c) {
        case 'l': lang = optarg; break;
        case 'D': date = optarg; break;
        case 'd': gg.data = optarg; break;
        case 'h': fputs(USAGE, stdout); return 0;
        default: fputs(USAGE, stderr); return 2;
        }
    }
    if (optind >= argc) {
        fputs(USAGE, stderr);
        return 2;
    }
    as_engine *e = cli_load(&gg);
    if (!e)
        return 2;
    as_worker *w = as_worker_new(e);
    int rc = 0;
    struct stat st;
    if (argc - optind == 1 && !stat(argv[optind], &st)) {
        input_opts io = {.max_bytes = 64u << 20, .lang = lang};
        input_t *in = input_open(argv + optind, 1, &io);
        cli_doc d;
        buf_t msg = {0};
        int r;
        while ((r = input_next(in, &d, &msg)) != 0) {
            if (r < 0) {
                fprintf(stderr, "armscope: %s\n", msg.data);
                rc = 1;
                continue;
            }
            as_doc doc = {d.id, d.text, d.len, d.lang, d.date ? d.date : date};
            if (as_extract(w, &doc, AS_TRACE)) {
                fprintf(stderr, "armscope: %s\n", as_worker_error(w));
                rc = 1;
            } else {
                size_t n;
                const char *t = as_worker_trace(w, &n);
                cli_write(t, n);
            }
            cli_doc_free(&d);
        }
        buf_free(&msg);
        input_close(in);
    } else {
        buf_t text = {0};
        for (int i = optind; i < argc; i++) {
            if (i > optind)
                buf_putc(&text, ' ');
            buf_puts(&text, argv[i]);
        }
        as_doc doc = {"explain", text.data, text.len, lang, date};
        if (as_extract(w, &doc, AS_TRACE)) {
            fprintf(stderr, "armscope: %s\n", as_worker_error(w));
            rc = 1;
        } else {
            size_t n;
            const char *t = as_worker_trace(w, &n);
            cli_write(t, n);
        }
        buf_free(&text);
    }
    as_worker_free(w);
    as_engine_free(e);
    return rc;
}
