/* input.h - the documents named on a command line: files, folders (read
 * recursively, in name order), standard input; plain text, HTML and JSON
 * Lines. Bad input yields a message and the reader goes on. */
#ifndef AS_CLI_INPUT_H
#define AS_CLI_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include "../util/util.h"

typedef struct {
    char *id, *text, *lang, *date, *url, *title;
    size_t len;
    char where[512];        /* "file" or "file:line", for messages */
    size_t invalid;         /* invalid UTF-8 bytes seen */
} cli_doc;

typedef struct {
    size_t max_bytes;       /* larger documents are skipped */
    const char *lang;       /* default language (NULL: detect) */
    bool force_html;
} input_opts;

typedef struct input input_t;

input_t *input_open(char **paths, int n, const input_opts *o);
/* 1: a document in *d (free with cli_doc_free); 0: no more input;
 * -1: one document or line was skipped, msg says why (then call again). */
int input_next(input_t *in, cli_doc *d, buf_t *msg);
/* Reads up to cap documents into an array of jobs, stride bytes apart, each
 * starting with its cli_doc. Input that cannot be read is named on stderr
 * (after clearing a progress line when tty) and counted in *skipped; *more
 * becomes false at the end of the input. Returns the number read. */
size_t input_next_batch(input_t *in, void *jobs, size_t stride, size_t cap, size_t byte_cap, bool *more, buf_t *msg,
                        bool tty, size_t *skipped);
void input_close(input_t *in);
void cli_doc_free(cli_doc *d);

#endif
