/* util.h - small shared helpers: growable buffers, hashing, a bump arena.
 *
 * Ownership: every object here owns its memory; *_free() accepts NULL.
 * Allocation failure is reported by return value (-1 / NULL), never abort.
 */
#ifndef AS_UTIL_H
#define AS_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdarg.h>

#define AS_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define AS_MIN(a, b) ((a) < (b) ? (a) : (b))
#define AS_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Growable byte buffer. `cap_limit` (0 = none) bounds growth so that
 * untrusted input cannot make it take all memory. */
typedef struct {
    char *data;
    size_t len, cap, cap_limit;
} buf_t;

int buf_reserve(buf_t *b, size_t extra);
int buf_append(buf_t *b, const void *p, size_t n);
int buf_putc(buf_t *b, char c);
int buf_puts(buf_t *b, const char *s);
int buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf_t *b, const char *fmt, va_list ap);
/* Appends a JSON string literal (with quotes) for the UTF-8 text p[0..n). */
int buf_json_str(buf_t *b, const char *p, size_t n);
void buf_clear(buf_t *b);
void buf_free(buf_t *b);
/* Makes data NUL-terminated without changing len. */
const char *buf_cstr(buf_t *b);

/* Growable array of fixed-size elements. */
typedef struct {
    void *data;
    size_t len, cap, elem;
} vec_t;

void vec_init(vec_t *v, size_t elem);
void *vec_push(vec_t *v);               /* zeroed new element or NULL */
int vec_reserve(vec_t *v, size_t n);
void vec_clear(vec_t *v);
void vec_free(vec_t *v);
#define VEC_AT(v, T, i) (((T *)(v)->data)[i])

/* 64-bit string hash (FNV-1a with a final mix). */
uint64_t hash_bytes(const void *p, size_t n);

/* Open-addressing map from non-zero uint64 keys to uint32 values. */
typedef struct {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, len;
} u64map_t;

int u64map_put(u64map_t *m, uint64_t key, uint32_t val);
/* Returns true and sets *val when found. */
bool u64map_get(const u64map_t *m, uint64_t key, uint32_t *val);
void u64map_free(u64map_t *m);

/* String interning: strings -> dense ids starting at 1 (0 = none). */
typedef struct {
    u64map_t map;     /* hash -> first id with that hash (chained by next) */
    vec_t offs;       /* uint32 offset of each id's string in pool */
    vec_t lens;       /* uint32 length */
    vec_t next;       /* uint32 next id with the same hash, 0 = end */
    buf_t pool;
} intern_t;

void intern_init(intern_t *in);
/* Returns the id, adding the string when absent; 0 on allocation failure. */
uint32_t intern_add(intern_t *in, const char *s, size_t n);
/* Returns the id or 0 when absent. Read-only: safe from many threads. */
uint32_t intern_find(const intern_t *in, const char *s, size_t n);
const char *intern_str(const intern_t *in, uint32_t id, size_t *len);
size_t intern_count(const intern_t *in);
void intern_free(intern_t *in);

/* qsort that accepts an empty or NULL array. */
void as_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* The names in a folder, without those starting with '.', each a malloc'd
 * string pushed on names (a vec of char *), sorted bytewise. Returns 0, or -1
 * with errno set when the folder cannot be read. Free with dir_names_free. */
int dir_names(const char *dir, vec_t *names);
void dir_names_free(vec_t *names);

/* Reads a whole file. Returns 0, or -1 with errno set. */
int file_read_all(const char *path, buf_t *out);

#endif
