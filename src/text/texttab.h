/* texttab.h - what the tokeniser and the folder need to know of each code
 * point U+0080..U+052F (Latin, Greek, Cyrillic): its character class, whether
 * it is upper case, and its folded UTF-8. The table is written at build time
 * by tools/gen_texttab.c, which runs the slow paths of tok.c and fold.c (over
 * the installed utf8proc) on every code point, so the fast path gives the
 * same bytes by construction. Internal to src/text. */
#ifndef AS_TEXTTAB_H
#define AS_TEXTTAB_H

#include <stdint.h>

#define TEXTTAB_FIRST 0x80u
#define TEXTTAB_END 0x530u
#define TEXTTAB_SLOW 0xFFu   /* flen: folds to more than 5 bytes; take the slow path */

typedef struct {
    uint8_t cls;     /* tok.c's C_* class */
    uint8_t upper;   /* 1 when the category is Lu */
    uint8_t flen;    /* bytes of fold, or TEXTTAB_SLOW */
    char fold[6];    /* NUL-padded */
} texttab_t;

extern const texttab_t texttab[TEXTTAB_END - TEXTTAB_FIRST];

#endif
