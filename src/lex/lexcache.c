/* lexcache.c - the compiled lexicon on disk, so that a start does not parse
 * 90,000 phrases again. The file holds the arrays of a loaded lex_t as
 * they are; it is keyed by a hash of the data folder's path, every data
 * file's name, size and modification time, and this format's version
 * ($ARMSCOPE_CACHE or ~/.cache/armscope; ARMSCOPE_CACHE= turns it off). It
 * is written to
 * a temporary name and renamed, so a reader never sees half a file. Any
 * mismatch or short read means "no cache": the caller parses the files.
 * A reader maps the file and uses its arrays in place: loading is an mmap
 * and one pass of a 64-bit check over the bytes. */
#include "lex_private.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#define CACHE_VERSION 6u

/* hashes every *.txt under dir/common and dir/<lang> in name order */
static void hash_folder(const char *path, uint64_t *h, int depth)
{
    vec_t names;
    vec_init(&names, sizeof(char *));
    dir_names(path, &names); /* an unreadable folder adds nothing */
    for (size_t i = 0; i < names.len; i++) {
        char *nm = VEC_AT(&names, char *, i);
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, nm);
        struct stat st;
        if (!stat(full, &st) && S_ISDIR(st.st_mode) && depth == 0) {
            *h = *h * 1099511628211ULL ^ hash_bytes(nm, strlen(nm));
            hash_folder(full, h, 1);
        } else if (S_ISREG(st.st_mode) && strlen(nm) > 4 && !strcmp(nm + strlen(nm) - 4, ".txt")) {
            /* name, size and modification time: any edit changes the key
             * without reading megabytes at every start */
            uint64_t meta[3] = {(uint64_t)st.st_size, (uint64_t)st.st_mtim.tv_sec, (uint64_t)st.st_mtim.tv_nsec};
            *h = (*h * 1099511628211ULL) ^ hash_bytes(nm, strlen(nm)) ^ (hash_bytes(meta, sizeof meta) * 31);
        }
    }
    dir_names_free(&names);
}

uint64_t lexcache_hash(const char *dir)
{
    uint64_t h = hash_bytes(dir, strlen(dir)) ^ (CACHE_VERSION * 0x9E3779B97F4A7C15ULL);
    h ^= sizeof(lx_entry) * 131 + sizeof(lx_frame) * 7 + sizeof(lx_actor) * 17 + sizeof(lx_embargo);
    hash_folder(dir, &h, 0);
    /* the top 24 bits name the folder alone, so its old files can go */
    uint64_t folder = hash_bytes(dir, strlen(dir)) >> 40;
    h = (h & ((1ULL << 40) - 1)) | (folder << 40);
    return h ? h : 1;
}

static bool cache_dir(char *dir, size_t n, bool make);

/* lex-<folder>-<key>.bin: one folder keeps one cache file */
static bool cache_path(uint64_t hash, char *out, size_t n, bool make)
{
    char dir[4096];
    if (!cache_dir(dir, sizeof dir, make))
        return false;
    snprintf(out, n, "%s/lex-%08x-%016llx.bin", dir, (unsigned)(hash >> 40), (unsigned long long)hash);
    return true;
}

static bool cache_dir(char *dir, size_t n, bool make)
{
    const char *env = getenv("ARMSCOPE_CACHE");
    if (env && !*env)
        return false; /* ARMSCOPE_CACHE= (empty): no cache */
    if (env)
        snprintf(dir, n, "%s", env);
    else if (getenv("XDG_CACHE_HOME") && *getenv("XDG_CACHE_HOME"))
        snprintf(dir, n, "%s/armscope", getenv("XDG_CACHE_HOME"));
    else if (getenv("HOME") && *getenv("HOME"))
        snprintf(dir, n, "%s/.cache/armscope", getenv("HOME"));
    else
        return false;
    if (make) {
        char parent[4096];
        snprintf(parent, sizeof parent, "%s", dir);
        char *sl = strrchr(parent, '/');
        if (sl && sl != parent) {
            *sl = 0;
            mkdir(parent, 0755);
        }
        mkdir(dir, 0755);
    }
    return true;
}

/* removes the folder's older cache files (other keys, same folder) */
static void cache_prune(uint64_t hash)
{
    char dir[4096], prefix[32], keep[64];
    if (!cache_dir(dir, sizeof dir, false))
        return;
    snprintf(prefix, sizeof prefix, "lex-%08x-", (unsigned)(hash >> 40));
    snprintf(keep, sizeof keep, "lex-%08x-%016llx.bin", (unsigned)(hash >> 40), (unsigned long long)hash);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strncmp(de->d_name, prefix, strlen(prefix)) && strcmp(de->d_name, keep) &&
            !strstr(de->d_name, ".tmp")) {
            char full[4400];
            snprintf(full, sizeof full, "%s/%s", dir, de->d_name);
            unlink(full);
        }
    }
    closedir(d);
}

/* ---- the check ---- */

/* A 64-bit check of the file's bytes: four lanes of multiply-xor over 8-byte
 * words, about ten times faster than CRC-32. Each step is a bijection of
 * the lane, so a changed word always changes the result. */
static uint64_t check_bytes(const unsigned char *p, size_t n)
{
    const uint64_t M = 0x9E3779B97F4A7C15ULL;
    uint64_t a = 0x243F6A8885A308D3ULL, b = 0x13198A2E03707344ULL,
             c = 0xA4093822299F31D0ULL, d = 0x082EFA98EC4E6C89ULL;
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t w[4];
        memcpy(w, p + i, 32);
        a = (a ^ w[0]) * M;
        b = (b ^ w[1]) * M;
        c = (c ^ w[2]) * M;
        d = (d ^ w[3]) * M;
        a ^= a >> 29;
        b ^= b >> 29;
        c ^= c >> 29;
        d ^= d >> 29;
    }
    for (; i < n; i++)
        a = (a ^ p[i]) * M;
    uint64_t h = a ^ (b << 17 | b >> 47) ^ (c << 31 | c >> 33) ^ (d << 47 | d >> 17) ^ n;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

/* ---- writing ----
 *
 * Layout: "ASLEXBIN", the key, the tables, "END!" and 4 bytes of padding,
 * then check_bytes of everything before it. Every array starts at a
 * multiple of 8 bytes, so a reader uses the file's pages in place (mmap). */

typedef struct {
    FILE *f;
    bool bad;
    uint64_t off;
} wr_t;

static void w(wr_t *o, const void *p, size_t n)
{
    if (!o->bad && n && fwrite(p, 1, n, o->f) != n)
        o->bad = true;
    o->off += n;
}

static void w_align(wr_t *o)
{
    static const char zero[8];
    w(o, zero, (size_t)((8 - o->off % 8) % 8));
}

static void w_u64(wr_t *o, uint64_t v) { w(o, &v, sizeof v); }

static void w_vec(wr_t *o, const vec_t *v)
{
    w_u64(o, v->len);
    w_u64(o, v->elem);
    w(o, v->data, v->len * v->elem);
    w_align(o);
}

static void w_map(wr_t *o, const u64map_t *m)
{
    w_u64(o, m->cap);
    w_u64(o, m->len);
    w(o, m->keys, m->cap * sizeof *m->keys);
    w(o, m->vals, m->cap * sizeof *m->vals);
    w_align(o);
}

static void w_intern(wr_t *o, const intern_t *in)
{
    w_map(o, &in->map);
    w_vec(o, &in->offs);
    w_vec(o, &in->lens);
    w_vec(o, &in->next);
    w_u64(o, in->pool.len);
    w(o, in->pool.data, in->pool.len);
    w_align(o);
}

static void w_strs(wr_t *o, const vec_t *v)
{
    w_u64(o, v->len);
    for (size_t i = 0; i < v->len; i++) {
        const char *s = VEC_AT(v, char *, i);
        w_u64(o, strlen(s));
        w(o, s, strlen(s));
    }
    w_align(o);
}

void lexcache_save(const lex_t *lx, uint64_t hash)
{
    char path[4200], tmp[4300];
    if (!cache_path(hash, path, sizeof path, true))
        return;
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    wr_t o = {fopen(tmp, "w+b"), false, 0};
    if (!o.f)
        return;
    w(&o, "ASLEXBIN", 8);
    w_u64(&o, hash);
    w_intern(&o, &lx->names);
    w_intern(&o, &lx->keys);
    w_vec(&o, &lx->actors);
    w_map(&o, &lx->actor_by_code);
    w_vec(&o, &lx->entries);
    w_vec(&o, &lx->phrases);
    w_vec(&o, &lx->frames);
    w_vec(&o, &lx->embargoes);
    w_vec(&o, &lx->bound);
    w(&o, lx->covers, sizeof lx->covers);
    w(&o, lx->tech, sizeof lx->tech);
    w_align(&o);
    w_u64(&o, lx->langs.len);
    for (size_t i = 0; i < lx->langs.len; i++) {
        const lex_lang_t *l = VEC_AT(&lx->langs, lex_lang_t *, i);
        w(&o, l->code, sizeof l->code);
        w(&o, l->stemmer, sizeof l->stemmer);
        w_u64(&o, l->verb_final);
        w_u64(&o, l->uses_stem);
        w_u64(&o, l->nodes);
        w_u64(&o, l->prefix_lens);
        w_strs(&o, &l->endings);
        w_strs(&o, &l->suffix_pot);
        w_strs(&o, &l->suffix_act);
        w_strs(&o, &l->suffix_part);
        w_map(&o, &l->edges);
        w_vec(&o, &l->pay_head);
        w_vec(&o, &l->pay);
        w_map(&o, &l->abbrev);
        w_map(&o, &l->stop);
    }
    w(&o, "END!\0\0\0\0", 8);
    /* the check covers what was written: read it back once */
    unsigned char *all = NULL;
    if (!o.bad && !fflush(o.f) && o.off < ((uint64_t)1 << 34) && (all = malloc(o.off ? o.off : 1)) &&
        !fseek(o.f, 0, SEEK_SET) && fread(all, 1, o.off, o.f) == o.off) {
        uint64_t check = check_bytes(all, o.off);
        if (fseek(o.f, 0, SEEK_END))
            o.bad = true;
        w_u64(&o, check);
    } else {
        o.bad = true;
    }
    free(all);
    if (fclose(o.f) || o.bad || rename(tmp, path))
        unlink(tmp);
    else
        cache_prune(hash);
}

/* ---- reading: the file is mapped and used in place ---- */

typedef struct {
    const unsigned char *base;
    size_t len, off;
    bool bad;
} rd_t;

static const void *take(rd_t *in, uint64_t n)
{
    if (in->bad || n > in->len - in->off) {
        in->bad = true;
        return NULL;
    }
    const void *p = in->base + in->off;
    in->off += (size_t)n;
    return p;
}

static void r_align(rd_t *in) { take(in, (8 - in->off % 8) % 8); }

static void r(rd_t *in, void *p, size_t n)
{
    const void *q = take(in, n);
    if (q)
        memcpy(p, q, n);
}

static uint64_t r_u64(rd_t *in)
{
    uint64_t v = 0;
    r(in, &v, sizeof v);
    return v;
}

#define SANE(n) ((n) < ((uint64_t)1 << 34))

/* The arrays below point into the mapping (read-only; lexcache_unmap lets
 * go of them before lex_free). */
static void r_vec(rd_t *in, vec_t *v, size_t elem)
{
    uint64_t len = r_u64(in), el = r_u64(in);
    vec_init(v, elem);
    if (in->bad || el != elem || !SANE(len * el)) {
        in->bad = true;
        return;
    }
    const void *p = take(in, len * el);
    r_align(in);
    if (in->bad)
        return;
    v->data = len ? (void *)p : NULL;
    v->len = v->cap = (size_t)len;
}

static void r_map(rd_t *in, u64map_t *m)
{
    memset(m, 0, sizeof *m);
    uint64_t cap = r_u64(in), len = r_u64(in);
    if (in->bad || !SANE(cap * 12) || (cap & (cap - 1)) || len > cap) {
        in->bad = true;
        return;
    }
    const void *k = take(in, cap * sizeof *m->keys), *v = take(in, cap * sizeof *m->vals);
    r_align(in);
    if (in->bad || !cap)
        return;
    m->keys = (uint64_t *)k;
    m->vals = (uint32_t *)v;
    m->cap = (size_t)cap;
    m->len = (size_t)len;
}

static void r_intern(rd_t *in, intern_t *it)
{
    memset(it, 0, sizeof *it);
    r_map(in, &it->map);
    r_vec(in, &it->offs, sizeof(uint32_t));
    r_vec(in, &it->lens, sizeof(uint32_t));
    r_vec(in, &it->next, sizeof(uint32_t));
    uint64_t n = r_u64(in);
    const char *p = SANE(n) ? take(in, n) : NULL;
    r_align(in);
    /* every interned string ends with a NUL, so a pool does */
    if (in->bad || (n && (!p || p[n - 1])) || !it->offs.len || it->offs.len != it->lens.len ||
        it->offs.len != it->next.len) {
        in->bad = true;
        return;
    }
    it->pool.data = n ? (char *)p : NULL;
    it->pool.len = it->pool.cap = (size_t)n;
}

static void r_strs(rd_t *in, vec_t *v)
{
    vec_init(v, sizeof(char *));
    uint64_t n = r_u64(in);
    for (uint64_t i = 0; i < n && !in->bad && n < 100000; i++) {
        uint64_t l = r_u64(in);
        char *s = l < 4096 ? malloc(l + 1) : NULL;
        char **slot = s ? vec_push(v) : NULL;
        if (!slot) {
            free(s);
            in->bad = true;
            return;
        }
        r(in, s, l);
        s[l] = 0;
        *slot = s;
    }
    r_align(in);
}

static bool in_map(const lex_t *lx, const void *p)
{
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)lx->map;
    return p && a >= b && a < b + lx->map_len;
}

static void unmap_vec(const lex_t *lx, vec_t *v)
{
    if (in_map(lx, v->data))
        v->data = NULL, v->len = v->cap = 0;
}

static void unmap_map(const lex_t *lx, u64map_t *m)
{
    if (in_map(lx, m->keys))
        memset(m, 0, sizeof *m);
}

static void unmap_intern(const lex_t *lx, intern_t *it)
{
    unmap_map(lx, &it->map);
    unmap_vec(lx, &it->offs);
    unmap_vec(lx, &it->lens);
    unmap_vec(lx, &it->next);
    if (in_map(lx, it->pool.data))
        memset(&it->pool, 0, sizeof it->pool);
}

void lexcache_unmap(lex_t *lx)
{
    if (!lx->map)
        return;
    unmap_intern(lx, &lx->names);
    unmap_intern(lx, &lx->keys);
    unmap_vec(lx, &lx->actors);
    unmap_map(lx, &lx->actor_by_code);
    unmap_vec(lx, &lx->entries);
    unmap_vec(lx, &lx->phrases);
    unmap_vec(lx, &lx->frames);
    unmap_vec(lx, &lx->embargoes);
    unmap_vec(lx, &lx->bound);
    for (size_t i = 0; i < lx->langs.len; i++) {
        lex_lang_t *l = VEC_AT(&lx->langs, lex_lang_t *, i);
        unmap_map(lx, &l->edges);
        unmap_vec(lx, &l->pay_head);
        unmap_vec(lx, &l->pay);
        unmap_map(lx, &l->abbrev);
        unmap_map(lx, &l->stop);
    }
    munmap((void *)lx->map, lx->map_len);
    lx->map = NULL;
    lx->map_len = 0;
}

lex_t *lexcache_load(const char *dir, uint64_t hash)
{
    char path[4200];
    (void)dir;
    if (!cache_path(hash, path, sizeof path, false))
        return NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) || st.st_size < 40 || !SANE((uint64_t)st.st_size) || st.st_size % 8) {
        close(fd);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
    flags |= MAP_POPULATE; /* one call maps every page: the check reads them all */
#endif
    void *base = mmap(NULL, size, PROT_READ, flags, fd, 0);
    close(fd);
    if (base == MAP_FAILED)
        return NULL;
    rd_t in = {base, size - 16, 0, false};
    uint64_t check;
    memcpy(&check, in.base + size - 8, 8);
    if (memcmp(in.base, "ASLEXBIN", 8) || memcmp(in.base + size - 16, "END!\0\0\0\0", 8) ||
        check != check_bytes(in.base, size - 8)) {
        munmap(base, size);
        return NULL;
    }
    take(&in, 8);
    if (r_u64(&in) != hash) {
        munmap(base, size);
        return NULL;
    }
    lex_t *lx = calloc(1, sizeof *lx);
    if (!lx) {
        munmap(base, size);
        return NULL;
    }
    lx->map = base;
    lx->map_len = size;
    vec_init(&lx->langs, sizeof(lex_lang_t *));
    r_intern(&in, &lx->names);
    r_intern(&in, &lx->keys);
    r_vec(&in, &lx->actors, sizeof(lx_actor));
    r_map(&in, &lx->actor_by_code);
    r_vec(&in, &lx->entries, sizeof(lx_entry));
    r_vec(&in, &lx->phrases, sizeof(uint32_t));
    r_vec(&in, &lx->frames, sizeof(lx_frame));
    r_vec(&in, &lx->embargoes, sizeof(lx_embargo));
    r_vec(&in, &lx->bound, sizeof(lx_bound));
    r(&in, lx->covers, sizeof lx->covers);
    r(&in, lx->tech, sizeof lx->tech);
    r_align(&in);
    uint64_t nl = r_u64(&in);
    for (uint64_t i = 0; i < nl && !in.bad && nl < 64; i++) {
        lex_lang_t *l = calloc(1, sizeof *l);
        lex_lang_t **slot = l ? vec_push(&lx->langs) : NULL;
        if (!slot) {
            free(l);
            in.bad = true;
            break;
        }
        *slot = l;
        l->lx = lx;
        l->idx = (uint32_t)i;
        r(&in, l->code, sizeof l->code);
        r(&in, l->stemmer, sizeof l->stemmer);
        l->code[sizeof l->code - 1] = l->stemmer[sizeof l->stemmer - 1] = 0;
        l->verb_final = r_u64(&in) != 0;
        l->uses_stem = r_u64(&in) != 0;
        l->nodes = (uint32_t)r_u64(&in);
        l->prefix_lens = r_u64(&in);
        r_strs(&in, &l->endings);
        r_strs(&in, &l->suffix_pot);
        r_strs(&in, &l->suffix_act);
        r_strs(&in, &l->suffix_part);
        r_map(&in, &l->edges);
        r_vec(&in, &l->pay_head, sizeof(uint32_t));
        r_vec(&in, &l->pay, sizeof(payload_t));
        r_map(&in, &l->abbrev);
        r_map(&in, &l->stop);
        /* the matcher indexes pay_head by node and pay by payload: a table
         * that does not fit its counts is damage */
        if (!in.bad && l->pay_head.len != (size_t)l->nodes + 1)
            in.bad = true;
    }
    if (in.bad || in.off != in.len) {
        lex_free(lx);
        return NULL;
    }
    return lx;
}
