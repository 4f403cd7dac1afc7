/* lexcache.c - the compiled lexicon on disk, so that a start does not parse
 * 90,000 phrases again. The file holds the arrays of a loaded lex_t as
 * they are; it is keyed by a hash of the data folder's path, every data
 * file's name, size and modification time, and this format's version
 * ($ARMSCOPE_CACHE or ~/.cache/armscope; ARMSCOPE_CACHE= turns it off). It
 * is written to
 * a temporary name and renamed, so a reader never sees half a file. Any
 * mismatch or short read means "no cache": the caller parses the files. */
#include "lex_private.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define CACHE_VERSION 5u

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

/* ---- writing ---- */

typedef struct {
    FILE *f;
    bool bad;
    uLong crc; /* CRC-32 of every byte written so far */
} wr_t;

static void w(wr_t *o, const void *p, size_t n)
{
    if (!o->bad && n && fwrite(p, 1, n, o->f) != n)
        o->bad = true;
    for (size_t off = 0; n && off < n; off += UINT_MAX)
        o->crc = crc32(o->crc, (const Bytef *)p + off, (uInt)(n - off < UINT_MAX ? n - off : UINT_MAX));
}

static void w_u64(wr_t *o, uint64_t v) { w(o, &v, sizeof v); }

static void w_vec(wr_t *o, const vec_t *v)
{
    w_u64(o, v->len);
    w_u64(o, v->elem);
    w(o, v->data, v->len * v->elem);
}

static void w_map(wr_t *o, const u64map_t *m)
{
    w_u64(o, m->cap);
    w_u64(o, m->len);
    w(o, m->keys, m->cap * sizeof *m->keys);
    w(o, m->vals, m->cap * sizeof *m->vals);
}

static void w_intern(wr_t *o, const intern_t *in)
{
    w_map(o, &in->map);
    w_vec(o, &in->offs);
    w_vec(o, &in->lens);
    w_vec(o, &in->next);
    w_u64(o, in->pool.len);
    w(o, in->pool.data, in->pool.len);
}

static void w_strs(wr_t *o, const vec_t *v)
{
    w_u64(o, v->len);
    for (size_t i = 0; i < v->len; i++) {
        const char *s = VEC_AT(v, char *, i);
        w_u64(o, strlen(s));
        w(o, s, strlen(s));
    }
}

void lexcache_save(const lex_t *lx, uint64_t hash)
{
    char path[4200], tmp[4300];
    if (!cache_path(hash, path, sizeof path, true))
        return;
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    wr_t o = {fopen(tmp, "wb"), false, 0};
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
    w(&o, "END!", 4);
    uint32_t crc = (uint32_t)o.crc; /* a damaged body is caught on load */
    w(&o, &crc, 4);
    if (fclose(o.f) || o.bad || rename(tmp, path))
        unlink(tmp);
    else
        cache_prune(hash);
}

/* ---- reading ---- */

typedef struct {
    FILE *f;
    bool bad;
    uLong crc; /* CRC-32 of every byte read so far */
} rd_t;

static void r(rd_t *in, void *p, size_t n)
{
    if (!in->bad && n && fread(p, 1, n, in->f) != n)
        in->bad = true;
    for (size_t off = 0; !in->bad && n && off < n; off += UINT_MAX)
        in->crc = crc32(in->crc, (const Bytef *)p + off, (uInt)(n - off < UINT_MAX ? n - off : UINT_MAX));
}

static uint64_t r_u64(rd_t *in)
{
    uint64_t v = 0;
    r(in, &v, sizeof v);
    return v;
}

#define SANE(n) ((n) < ((uint64_t)1 << 34))

static void r_vec(rd_t *in, vec_t *v, size_t elem)
{
    uint64_t len = r_u64(in), el = r_u64(in);
    vec_init(v, elem);
    if (in->bad || el != elem || !SANE(len * el)) {
        in->bad = true;
        return;
    }
    if (len && vec_reserve(v, len)) {
        in->bad = true;
        return;
    }
    r(in, v->data, len * el);
    v->len = len;
}

static void r_map(rd_t *in, u64map_t *m)
{
    memset(m, 0, sizeof *m);
    uint64_t cap = r_u64(in), len = r_u64(in);
    if (in->bad || !SANE(cap * 12) || (cap & (cap - 1)) || len > cap) {
        in->bad = true;
        return;
    }
    if (!cap)
        return;
    m->keys = malloc(cap * sizeof *m->keys);
    m->vals = malloc(cap * sizeof *m->vals);
    if (!m->keys || !m->vals) {
        in->bad = true;
        return;
    }
    m->cap = cap;
    m->len = len;
    r(in, m->keys, cap * sizeof *m->keys);
    r(in, m->vals, cap * sizeof *m->vals);
}

static void r_intern(rd_t *in, intern_t *it)
{
    memset(it, 0, sizeof *it);
    r_map(in, &it->map);
    r_vec(in, &it->offs, sizeof(uint32_t));
    r_vec(in, &it->lens, sizeof(uint32_t));
    r_vec(in, &it->next, sizeof(uint32_t));
    uint64_t n = r_u64(in);
    if (in->bad || !SANE(n) || buf_reserve(&it->pool, n)) {
        in->bad = true;
        return;
    }
    r(in, it->pool.data, n);
    it->pool.len = n;
    it->pool.data[n] = 0;
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
}

lex_t *lexcache_load(const char *dir, uint64_t hash)
{
    char path[4200];
    (void)dir;
    if (!cache_path(hash, path, sizeof path, false))
        return NULL;
    rd_t in = {fopen(path, "rb"), false, 0};
    if (!in.f)
        return NULL;
    char magic[8];
    r(&in, magic, 8);
    if (in.bad || memcmp(magic, "ASLEXBIN", 8) || r_u64(&in) != hash) {
        fclose(in.f);
        return NULL;
    }
    lex_t *lx = calloc(1, sizeof *lx);
    if (!lx) {
        fclose(in.f);
        return NULL;
    }
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
    }
    char end[4];
    r(&in, end, 4);
    uint32_t want = (uint32_t)in.crc, got = 0;
    r(&in, &got, 4);
    if (in.bad || memcmp(end, "END!", 4) || got != want || fgetc(in.f) != EOF) {
        fclose(in.f);
        lex_free(lx);
        return NULL;
    }
    fclose(in.f);
    return lx;
}
