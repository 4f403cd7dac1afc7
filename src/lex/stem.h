/* stem.h - stemming: a Snowball stemmer (libstemmer) or a table of endings
 * from the data files. A stemmer_t is NOT thread-safe: each thread owns its
 * own (see lex_scratch). */
#ifndef AS_STEM_H
#define AS_STEM_H

#include <stddef.h>
#include "../util/util.h"

typedef struct stemmer stemmer_t;

/* algo: a Snowball algorithm name ("english"), or NULL to use only the
 * endings table (strings, longest first; may be NULL/0). */
stemmer_t *stemmer_new(const char *algo, const char *const *endings, size_t n_endings);
void stemmer_free(stemmer_t *s);
/* Stems the folded word w[0..n) into out (cleared first). */
int stemmer_stem(stemmer_t *s, const char *w, size_t n, buf_t *out);
/* True when algo names a Snowball algorithm that libstemmer has. */
int stemmer_algo_known(const char *algo);

#endif
