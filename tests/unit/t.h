/* t.h - a tiny test harness: CHECK(cond, fmt...) records one result; each
 * test binary ends with t_done(), which prints "N passed, N failed" and
 * returns the exit status. Test files run from the repository root. */
#ifndef AS_T_H
#define AS_T_H

#include <stdio.h>
#include <string.h>

static int t_pass, t_fail;

#define CHECK(cond, ...)                                              \
    do {                                                              \
        if (cond) {                                                   \
            t_pass++;                                                 \
        } else {                                                      \
            t_fail++;                                                 \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);      \
            fprintf(stderr, __VA_ARGS__);                             \
            fputc('\n', stderr);                                      \
        }                                                             \
    } while (0)

#define CHECK_STR(a, b)                                                              \
    do {                                                                             \
        const char *t_a = (a), *t_b = (b);                                           \
        CHECK(t_a && t_b && !strcmp(t_a, t_b), "%s: got \"%s\", want \"%s\"", #a,    \
              t_a ? t_a : "(null)", t_b ? t_b : "(null)");                           \
    } while (0)

static inline int t_done(void)
{
    printf("%d passed, %d failed\n", t_pass, t_fail);
    return t_fail ? 1 : 0;
}

#endif
