/* test_util.c - buffers, vectors, the u64 map, interning, sorting. */
#include "util/util.h"
#include "t.h"

#include <stdlib.h>

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

int main(void)
{
    buf_t b = {0};
    CHECK(buf_puts(&b, "ab") == 0 && buf_printf(&b, "%d", 42) == 0, "buf append");
    CHECK_STR(buf_cstr(&b), "ab42");
    buf_clear(&b);
    buf_json_str(&b, "a\"b\\c\n\x01", 7);
    CHECK_STR(buf_cstr(&b), "\"a\\\"b\\\\c\\n\\u0001\"");
    buf_free(&b);

    buf_t capped = {.cap_limit = 16};
    CHECK(buf_append(&capped, "0123456789", 10) == 0, "under the cap");
    CHECK(buf_append(&capped, "0123456789", 10) == -1, "over the cap is an error, not growth");
    buf_free(&capped);

    vec_t v;
    vec_init(&v, sizeof(int));
    for (int i = 0; i < 1000; i++)
        *(int *)vec_push(&v) = 999 - i;
    CHECK(v.len == 1000 && VEC_AT(&v, int, 0) == 999, "vec push");
    as_sort(v.data, v.len, sizeof(int), cmp_int);
    CHECK(VEC_AT(&v, int, 0) == 0 && VEC_AT(&v, int, 999) == 999, "sorted");
    as_sort(NULL, 0, sizeof(int), cmp_int); /* must not crash */
    vec_free(&v);

    u64map_t m = {0};
    for (uint64_t k = 1; k <= 5000; k++)
        u64map_put(&m, k * 7919, (uint32_t)k);
    uint32_t val = 0;
    CHECK(u64map_get(&m, 7919 * 4321, &val) && val == 4321, "map get");
    CHECK(!u64map_get(&m, 3, &val), "map miss");
    u64map_put(&m, 7919, 77);
    CHECK(u64map_get(&m, 7919, &val) && val == 77 && m.len == 5000, "map overwrite");
    u64map_free(&m);

    intern_t in;
    intern_init(&in);
    uint32_t a = intern_add(&in, "russia", 6), c = intern_add(&in, "iran", 4);
    CHECK(a && c && a != c, "distinct ids");
    CHECK(intern_add(&in, "russia", 6) == a, "same id again");
    CHECK(intern_find(&in, "iran", 4) == c && !intern_find(&in, "syria", 5), "find");
    size_t len;
    CHECK_STR(intern_str(&in, a, &len), "russia");
    CHECK(len == 6 && intern_count(&in) == 2, "count");
    char key[16];
    for (int i = 0; i < 20000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        intern_add(&in, key, strlen(key));
    }
    CHECK(intern_find(&in, "k12345", 6) != 0 && intern_count(&in) == 20002, "many strings");
    intern_free(&in);

    CHECK(hash_bytes("a", 1) != hash_bytes("b", 1) && hash_bytes("", 0) != 0, "hash");
    return t_done();
}
