/* cmd_serve.c - `armscope serve`: the web view and its JSON API. */
#include "cli.h"
#include "../store/store.h"
#include "../web/web.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SERVE_USAGE[] =
    "usage: armscope serve --db FILE [--listen HOST:PORT] [--read-only] [OPTIONS]\n"
    "\n"
    "Serves the analyst's web view (network, map, timeline, table, evidence)\n"
    "and its JSON API (/api/transfers, /api/transfers/ID/evidence, /api/actors,\n"
    "/api/graph, /api/timeline, /api/search, /api/export, /api/meta) from the\n"
    "evidence store. The application is inside this binary; nothing is\n"
    "fetched from the internet. Ctrl-C (SIGINT) or SIGTERM stops it.\n"
    "\n"
    "options:\n"
    "      --db FILE          the database (required)\n"
    "      --listen HOST:PORT address to listen on (default 127.0.0.1:8080: this\n"
    "                         machine only; 0.0.0.0:PORT for every interface,\n"
    "                         [::1]:PORT for IPv6; port 0: any free port)\n"
    "      --read-only        never write the database (by default merged\n"
    "                         transfers left out of date are refreshed first)\n"
    "      --threads N        requests answered at once (default 4)\n"
    "      --assets DIR       serve the application from DIR instead of the\n"
    "                         embedded copy (front-end development)\n"
    "  -q, --quiet            no request log on standard error\n"
    "      --data DIR         data files\n"
    "  -h, --help             this text\n"
    "\n"
    "Exit status: 0 stopped by a signal, 2 usage error or cannot start.\n";

/* "HOST:PORT", "[V6]:PORT", "PORT" or "HOST" into host and port. */
static int parse_listen(const char *s, char *host, size_t n, unsigned *port)
{
    const char *colon;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close)
            return -1;
        snprintf(host, n, "%.*s", (int)(close - s - 1), s + 1);
        colon = close[1] == ':' ? close + 1 : NULL;
        if (close[1] && !colon)
            return -1;
    } else {
        colon = strrchr(s, ':');
        if (colon)
            snprintf(host, n, "%.*s", (int)(colon - s), s);
        else if (strspn(s, "0123456789") == strlen(s))
            colon = s - 1, snprintf(host, n, "127.0.0.1");
        else
            snprintf(host, n, "%s", s);
    }
    if (!host[0])
        snprintf(host, n, "127.0.0.1");
    if (colon) {
        char *end;
        long p = strtol(colon + 1, &end, 10);
        if (*end || end == colon + 1 || p < 0 || p > 65535)
            return -1;
        *port = (unsigned)p;
    }
    return 0;
}

int cmd_serve(int argc, char **argv, const cli_global *g)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'D'},      {"listen", required_argument, NULL, 'L'},
        {"read-only", no_argument, NULL, 'R'},     {"threads", required_argument, NULL, 'T'},
        {"assets", required_argument, NULL, 'A'},  {"quiet", no_argument, NULL, 'q'},
        {"data", required_argument, NULL, 'd'},    {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *db = NULL, *listen = "127.0.0.1:8080", *assets = NULL;
    bool readonly = false, quiet = false;
    int threads = 4;
    cli_global gg = *g;
    int c;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case 'D': db = optarg; break;
        case 'L': listen = optarg; break;
        case 'R': readonly = true; break;
        case 'T': threads = atoi(optarg); break;
        case 'A': assets = optarg; break;
        case 'q': quiet = true; break;
        case 'd': gg.data = optarg; break;
        case 'h': fputs(SERVE_USAGE, stdout); return 0;
        default: fputs(SERVE_USAGE, stderr); return 2;
        }
    }
    char host[256];
    unsigned port = 8080;
    if (!db || optind < argc || threads < 1 || threads > 64 || parse_listen(listen, host, sizeof host, &port)) {
        if (db && parse_listen(listen, host, sizeof host, &port))
            fprintf(stderr, "armscope serve: --listen %s: expected HOST:PORT, e.g. 127.0.0.1:8080\n", listen);
        fputs(SERVE_USAGE, stderr);
        return 2;
    }
    as_engine *e = cli_load(&gg);
    if (!e)
        return 2;
    /* bring merged transfers up to date (unless told not to write) */
    store_t *st = cli_open_store(db, readonly ? NULL : e);
    if (!st) {
        as_engine_free(e);
        return 2;
    }
    store_close(st);
    /* the signals are taken by this thread only: block them before the
     * server's threads start, so that they inherit the mask */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    char err[1024];
    web_opts o = {.db = db, .e = e, .host = host, .port = port, .threads = threads, .assets = assets,
                  .quiet = quiet, .read_only = readonly};
    web_t *w = web_start(&o, err, sizeof err);
    if (!w) {
        fprintf(stderr, "armscope serve: %s\n", err);
        as_engine_free(e);
        return 2;
    }
    bool v6 = strchr(host, ':') != NULL;
    fprintf(stderr, "armscope: serving %s on http://%s%s%s:%u/ (Ctrl-C stops)\n", db, v6 ? "[" : "", host,
            v6 ? "]" : "", web_port(w));
    if (strcmp(host, "127.0.0.1") && strcmp(host, "::1") && strcmp(host, "localhost"))
        fprintf(stderr, "armscope: warning: listening on %s: anyone who can reach this machine can read the"
                        " database\n", host);
    fflush(stderr);
    int sig = 0;
    sigwait(&sigs, &sig);
    if (!quiet)
        fprintf(stderr, "armscope: stopping (signal %d)\n", sig);
    web_stop(w);
    as_engine_free(e);
    return 0;
}
