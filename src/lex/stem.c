/* stem.c - Snowball stemmers and ending tables behind one interface. */
#include "stem.h"

#include <stdlib.h>
#include <string.h>
#include <libstemmer.h>

struct stemmer {
    struct sb_stemmer *sb;
    const char *const *endings;
    size_t n_endings;
};

int stemmer_algo_known(const char *algo)
{
    for (const char **l = sb_stemmer_list(); *l; l++)
        if (!strcmp(*l, algo))
            return 1;
    return 0;
}

stemmer_t *stemmer_new(const char *algo, const char *const *endings, size_t n_endings)
{
    stemmer_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (algo && *algo) {
        s->sb = sb_stemmer_new(algo, "UTF_8");
        if (!s->sb) {
            free(s);
            return NULL;
        }
    }
    s->endings = endings;
    s->n_endings = n_endings;
    return s;
}

void stemmer_free(stemmer_t *s)
{
    if (!s)
        return;
    if (s->sb)
        sb_stemmer_delete(s->sb);
    free(s);
}

static size_t utf8_chars(const char *w, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)w[i] & 0xC0) != 0x80)
            c++;
    return c;
}

int stemmer_stem(stemmer_t *s, const char *w, size_t n, buf_t *out)
{
    buf_clear(out);
    if (s->sb) {
        const sb_symbol *r = sb_stemmer_stem(s->sb, (const sb_symbol *)w, (int)n);
        if (!r)
            return -1;
        return buf_append(out, r, (size_t)sb_stemmer_length(s->sb));
    }
    /* endings table: strip the longest ending that leaves 3+ characters */
    size_t best = 0;
    for (size_t i = 0; i < s->n_endings; i++) {
        size_t el = strlen(s->endings[i]);
        if (el > best && el < n && !memcmp(w + n - el, s->endings[i], el) &&
            utf8_chars(w, n - el) >= 3)
            best = el;
    }
    return buf_append(out, w, n - best);
}
