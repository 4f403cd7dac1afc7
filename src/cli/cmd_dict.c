/* cmd_dict.c - armscope dict check: lint the data files. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
    "usage: armscope [--data DIR] dict check [--data DIR]\n"
    "\n"
    "Reads every data file and reports, one line each as FILE:LINE: message,\n"
    "malformed lines, unknown types, codes and categories, and phrases that\n"
    "appear twice with different meanings. Exit status 0 when clean, 1 when\n"
    "there are errors, 2 on a usage error.\n";

int cmd_dict(int argc, char **argv, const cli_global *g)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *data = g->data;
    int c;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        if (c == 'd')
            data = optarg;
        else if (c == 'h') {
            fputs(USAGE, stdout);
            return 0;
        } else {
            fputs(USAGE, stderr);
            return 2;
        }
    }
    if (optind >= argc || strcmp(argv[optind], "check")) {
        fputs(USAGE, stderr);
        return 2;
    }
    char *out = NULL;
    int n = as_data_check(data, &out);
    if (out)
        fputs(out, n ? stderr : stdout);
    free(out);
    if (n < 0)
        return 2;
    if (n)
        fprintf(stderr, "%d error(s)\n", n);
    return n ? 1 : 0;
}
