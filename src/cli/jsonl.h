/* jsonl.h - the common JSON Lines document read without a JSON library:
 * one flat object whose values are all strings. Anything else is left to
 * jansson (input.c), so both paths give the same documents. */
#ifndef AS_JSONL_H
#define AS_JSONL_H

#include <stdbool.h>
#include <stddef.h>

enum { JK_ID, JK_TEXT, JK_LANG, JK_DATE, JK_URL, JK_TITLE, JK_COUNT };

typedef struct {
    char *s;     /* decoded, NUL-terminated (may hold NULs: \u0000), malloc'd; NULL = absent */
    size_t n;
} jsonl_val;

/* Reads line s[0..n). Returns 1 when it is a JSON object of string values
 * only, valid as jansson reads it (JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES),
 * with a "text" key: then v[] holds the values of the keys above (the caller
 * frees them). Returns 0, with nothing allocated, for every other line
 * (numbers, nesting, lone surrogates, invalid UTF-8, duplicate keys, escapes
 * in keys, malformed JSON, no memory): the caller parses those with jansson. */
int jsonl_flat(const char *s, size_t n, jsonl_val v[JK_COUNT]);

#endif
