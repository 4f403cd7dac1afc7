/* main.c - the armscope command: dispatches subcommands. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>

static const char USAGE[] =
    "usage: armscope [--data DIR] COMMAND [ARGS]\n"
    "\n"
    "Finds statements about arms and military-technology transfers in news\n"
    "articles and writes them as JSON records (see README).\n"
    "\n"
    "commands:\n"
    "  extract     read articles (text, HTML, JSON Lines), write transfer records\n"
    "  explain     show every stage of the analysis of a sentence or document\n"
    "  dict check  lint the data files\n"
    "  ingest      extract and store documents, feeds, WARC files in a database\n"
    "  transfers   merged transfers of a database, filtered\n"
    "  evidence    the sentences behind one transfer\n"
    "  search      full-text search over evidence sentences\n"
    "  export      the transfer network as GraphML, GEXF, DOT, CSV or JSON Lines\n"
    "  serve       the web view (network, map, timeline, evidence) and JSON API\n"
    "\n"
    "options:\n"
    "  --data DIR  data files (default: $ARMSCOPE_DATA, the checkout's data/,\n"
    "              or the installed copy)\n"
    "  --version   print the version\n"
    "  --help      this text; 'armscope COMMAND --help' for a command\n";

as_engine *cli_load(const cli_global *g)
{
    char err[8192];
    as_engine *e = as_engine_load(g->data, err, sizeof err);
    if (!e)
        fprintf(stderr, "armscope: %s\n", err);
    return e;
}

void cli_write(const char *s, size_t n)
{
    if (n && fwrite(s, 1, n, stdout) != n) {
        if (errno == EPIPE)
            exit(0);
        fprintf(stderr, "armscope: writing output: %s\n", strerror(errno));
        exit(1);
    }
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    xmlInitParser();
    cli_global g = {0};
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    int c;
    /* global options stop at the command name */
    while ((c = getopt_long(argc, argv, "+d:Vh", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            g.data = optarg;
            break;
        case 'V':
            printf("armscope %s\n", as_version());
            return 0;
        case 'h':
            fputs(USAGE, stdout);
            return 0;
        default:
            fputs(USAGE, stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        fputs(USAGE, stderr);
        return 2;
    }
    const char *cmd = argv[optind];
    int sub_argc = argc - optind;
    char **sub_argv = argv + optind;
    optind = 0; /* glibc: 0 re-initialises getopt for the subcommand */
    int rc;
    if (!strcmp(cmd, "extract"))
        rc = cmd_extract(sub_argc, sub_argv, &g);
    else if (!strcmp(cmd, "explain"))
        rc = cmd_explain(sub_argc, sub_argv, &g);
    else if (!strcmp(cmd, "dict"))
        rc = cmd_dict(sub_argc, sub_argv, &g);
    else if (!strcmp(cmd, "ingest"))
        rc = cmd_ingest(sub_argc, sub_argv, &g);
    else if (!strcmp(cmd, "transfers"))
        rc = cmd_transfers(sub_argc, sub_argv, &g);
    else if (!strcmp(cmd, "evidence"))
        rc = cmd_evidence(sub_argc, sub_argv, &g);
    else if (!strcmp(cmd, "search"))
        rc = cmd_search(sub_argc, sub_argv, &g);
    else if (!strcmp(cmd, "export"))
        rc = cmd_export(sub_argc, sub_argv, &g);
    else if (!strcmp(cmd, "serve"))
        rc = cmd_serve(sub_argc, sub_argv, &g);
    else if (!strcmp(cmd, "help")) {
        fputs(USAGE, stdout);
        rc = 0;
    } else {
        fprintf(stderr, "armscope: unknown command '%s'\n\n%s", cmd, USAGE);
        rc = 2;
    }
    if (fflush(stdout) && errno != EPIPE) {
        fprintf(stderr, "armscope: writing output: %s\n", strerror(errno));
        rc = 1;
    }
    xmlCleanupParser();
    return rc;
}
