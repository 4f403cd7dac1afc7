/* util.c - buffers, vectors, hashing, interning. */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int buf_reserve(buf_t *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t need = b->len + extra + 1;
    if (b->cap_limit && need > b->cap_limit) {
        errno = EFBIG;
        return -1;
    }
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    if (b->cap_limit && cap > b->cap_limit)
        cap = b->cap_limit;
    char *p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int buf_append(buf_t *b, const void *p, size_t n)
{
    if (buf_reserve(b, n))
        return -1;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return 0;
}

int buf_putc(buf_t *b, char c) { return buf_append(b, &c, 1); }
int buf_puts(buf_t *b, const char *s) { return buf_append(b, s, strlen(s)); }

int buf_vprintf(buf_t *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return -1;
    if ((size_t)n < sizeof tmp)
        return buf_append(b, tmp, (size_t)n);
    if (buf_reserve(b, (size_t)n))
        return -1;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int buf_printf(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return r;
}

int buf_json_str(buf_t *b, const char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (buf_reserve(b, n + 2))
        return -1;
    b->data[b->len++] = '"';
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
            continue;
        if (buf_append(b, p + run, i - run))
            return -1;
        run = i + 1;
        char esc[7];
        size_t en = 2;
        esc[0] = '\\';
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
            esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
            en = 6;
        }
        if (buf_append(b, esc, en))
            return -1;
    }
    if (buf_append(b, p + run, n - run))
        return -1;
    return buf_putc(b, '"');
}

void buf_clear(buf_t *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = 0;
}

void buf_free(buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

const char *buf_cstr(buf_t *b)
{
    if (!b->data && buf_reserve(b, 0))
        return "";
    b->data[b->len] = 0;
    return b->data;
}

void vec_init(vec_t *v, size_t elem)
{
    v->data = NULL;
    v->len = v->cap = 0;
    v->elem = elem;
}

int vec_reserve(vec_t *v, size_t n)
{
    if (n <= v->cap)
        return 0;
    size_t cap = v->cap ? v->cap : 16;
    while (cap < n)
        cap *= 2;
    void *p = realloc(v->data, cap * v->elem);
    if (!p)
        return -1;
    v->data = p;
    v->cap = cap;
    return 0;
}

void *vec_push(vec_t *v)
{
    if (vec_reserve(v, v->len + 1))
        return NULL;
    void *p = (char *)v->data + v->len * v->elem;
    memset(p, 0, v->elem);
    v->len++;
    return p;
}

void vec_clear(vec_t *v) { v->len = 0; }

void vec_free(vec_t *v)
{
    free(v->data);
    v->data = NULL;
    v->len = v->cap = 0;
}

uint64_t hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h ? h : 1;
}

/* Fibonacci hashing: the top bits of key * 2^64/phi. (The low bits of the
 * product ignore a key's high half: trie edges, (node << 32 | key), then
 * all collided.) */
static inline size_t slot_of(uint64_t key, size_t cap)
{
    unsigned bits = (unsigned)__builtin_ctzll((unsigned long long)cap);
    return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> (64 - bits));
}

static int u64map_grow(u64map_t *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    uint64_t *nk = calloc(ncap, sizeof *nk);
    uint32_t *nv = calloc(ncap, sizeof *nv);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = slot_of(m->keys[i], ncap);
        while (nk[j])
            j = (j + 1) & (ncap - 1);
        nk[j] = m->keys[i];
        nv[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = ncap;
    return 0;
}

int u64map_put(u64map_t *m, uint64_t key, uint32_t val)
{
    if ((m->len + 1) * 4 >= m->cap * 3 && u64map_grow(m))
        return -1;
    size_t j = slot_of(key, m->cap);
    while (m->keys[j] && m->keys[j] != key)
        j = (j + 1) & (m->cap - 1);
    if (!m->keys[j])
        m->len++;
    m->keys[j] = key;
    m->vals[j] = val;
    return 0;
}

bool u64map_get(const u64map_t *m, uint64_t key, uint32_t *val)
{
    if (!m->cap)
        return false;
    size_t j = slot_of(key, m->cap);
    while (m->keys[j]) {
        if (m->keys[j] == key) {
            *val = m->vals[j];
            return true;
        }
        j = (j + 1) & (m->cap - 1);
    }
    return false;
}

void u64map_free(u64map_t *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

void intern_init(intern_t *in)
{
    memset(in, 0, sizeof *in);
    vec_init(&in->offs, sizeof(uint32_t));
    vec_init(&in->lens, sizeof(uint32_t));
    vec_init(&in->next, sizeof(uint32_t));
    /* id 0 is "none" */
    vec_push(&in->offs);
    vec_push(&in->lens);
    vec_push(&in->next);
}

uint32_t intern_find(const intern_t *in, const char *s, size_t n)
{
    uint32_t id;
    if (!u64map_get(&in->map, hash_bytes(s, n), &id))
        return 0;
    while (id) {
        if (VEC_AT(&in->lens, uint32_t, id) == n &&
            memcmp(in->pool.data + VEC_AT(&in->offs, uint32_t, id), s, n) == 0)
            return id;
        id = VEC_AT(&in->next, uint32_t, id);
    }
    return 0;
}

uint32_t intern_add(intern_t *in, const char *s, size_t n)
{
    uint32_t id = intern_find(in, s, n);
    if (id)
        return id;
    uint64_t h = hash_bytes(s, n);
    uint32_t head = 0;
    u64map_get(&in->map, h, &head);
    uint32_t off = (uint32_t)in->pool.len;
    if (buf_append(&in->pool, s, n) || buf_putc(&in->pool, 0))
        return 0;
    uint32_t *po = vec_push(&in->offs), *pl = vec_push(&in->lens), *pn = vec_push(&in->next);
    if (!po || !pl || !pn)
        return 0;
    *po = off;
    *pl = (uint32_t)n;
    *pn = head;
    id = (uint32_t)(in->offs.len - 1);
    if (u64map_put(&in->map, h, id))
        return 0;
    return id;
}

const char *intern_str(const intern_t *in, uint32_t id, size_t *len)
{
    if (!id || id >= in->offs.len) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = VEC_AT(&in->lens, uint32_t, id);
    return in->pool.data + VEC_AT(&in->offs, uint32_t, id);
}

size_t intern_count(const intern_t *in) { return in->offs.len - 1; }

void intern_free(intern_t *in)
{
    u64map_free(&in->map);
    vec_free(&in->offs);
    vec_free(&in->lens);
    vec_free(&in->next);
    buf_free(&in->pool);
}

int file_read_all(const char *path, buf_t *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char tmp[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
        if (buf_append(out, tmp, n)) {
            rc = -1;
            break;
        }
    }
    if (ferror(f))
        rc = -1;
    int e = errno;
    fclose(f);
    errno = e;
    return rc;
}

void as_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (base && n > 1)
        qsort(base, n, size, cmp);
}

static int cmp_cstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int dir_names(const char *dir, vec_t *names)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char **p = vec_push(names);
        if (!p || !(*p = strdup(de->d_name))) {
            if (p)
                names->len--;
            errno = ENOMEM;
            rc = -1;
            break;
        }
    }
    closedir(d);
    as_sort(names->data, names->len, sizeof(char *), cmp_cstr);
    return rc;
}

void dir_names_free(vec_t *names)
{
    for (size_t i = 0; i < names->len; i++)
        free(VEC_AT(names, char *, i));
    vec_free(names);
}
