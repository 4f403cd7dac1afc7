/* test_jsonl.c - the fast JSON Lines reader (src/cli/jsonl.c) against
 * jansson: whenever the fast reader takes a line, jansson must read it the
 * same way (same keys, same decoded bytes); lines it declines are left to
 * jansson. Fixed cases, then a few hundred thousand mutated lines. */
#include "t.h"
#include "../../src/cli/jsonl.c"

#include <jansson.h>
#include <stdint.h>

static const char *const K[JK_COUNT] = {"id", "text", "lang", "date", "url", "title"};

/* 1 when jsonl_flat takes the line (and agrees with jansson), 0 when it
 * declines; -1 on a disagreement */
static int agree(const char *s, size_t n)
{
    jsonl_val v[JK_COUNT];
    int fast = jsonl_flat(s, n, v);
    json_error_t err;
    json_t *o = json_loadb(s, n, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &err);
    int r = 0;
    if (fast) {
        r = 1;
        if (!o || !json_is_object(o)) {
            r = -1;
        } else {
            const char *key;
            json_t *val;
            json_object_foreach(o, key, val)
                if (!json_is_string(val))
                    r = -1;
            for (int k = 0; k < JK_COUNT; k++) {
                json_t *j = json_object_get(o, K[k]);
                if (!j != !v[k].s || (j && (json_string_length(j) != v[k].n ||
                                            memcmp(json_string_value(j), v[k].s, v[k].n))))
                    r = -1;
            }
        }
        for (int k = 0; k < JK_COUNT; k++)
            free(v[k].s);
    }
    json_decref(o);
    return r;
}

static int agree_str(const char *s) { return agree(s, strlen(s)); }

int main(void)
{
    /* taken */
    CHECK(agree_str("{\"id\":\"a1\",\"text\":\"hello\"}") == 1, "plain");
    CHECK(agree_str("  { \"text\" : \"x\" , \"date\":\"2024-01-02\" }  ") == 1, "white space");
    CHECK(agree_str("{\"text\":\"a\\n\\t\\\"\\\\\\/\\b\\f\\r z\"}") == 1, "escapes");
    CHECK(agree_str("{\"text\":\"caf\\u00e9 \\u0416 \\u20ac\"}") == 1, "\\u escapes");
    CHECK(agree_str("{\"text\":\"\\ud83d\\ude00 and \\uD83D\\uDE00\"}") == 1, "surrogate pair");
    CHECK(agree_str("{\"text\":\"a\\u0000b\",\"id\":\"x\\u0000y\"}") == 1, "NUL escapes");
    CHECK(agree_str("{\"text\":\"\xd0\x9a\xd0\xb8\xd1\x97\xd0\xb2 \xe2\x82\xac \xf0\x9f\x98\x80\"}") == 1, "UTF-8");
    CHECK(agree_str("{\"other\":\"q\",\"text\":\"t\",\"title\":\"T\",\"url\":\"u\",\"lang\":\"fr\"}") == 1,
          "unknown key");
    CHECK(agree_str("{\"text\":\"\"}") == 1, "empty text");
    CHECK(agree_str("{\"text\":\"\x7f\"}") == 1, "DEL");
    /* declined */
    const char *no[] = {
        "", "{}", "[]", "{\"id\":\"a\"}", "{\"text\":5}", "{\"id\":5,\"text\":\"a\"}",
        "{\"text\":\"a\",\"n\":null}", "{\"text\":\"a\",\"o\":{}}", "{\"text\":\"a\",\"a\":[1]}",
        "{\"text\":\"a\",\"text\":\"b\"}", "{\"te\\u0078t\":\"a\"}", "{\"text\":\"a\"} x",
        "{\"text\":\"a\",}", "{\"text\":\"a\" \"id\":\"b\"}", "{\"text\":\"\\ud83d\"}",
        "{\"text\":\"\\ude00\"}", "{\"text\":\"\\ud83d\\u0041\"}", "{\"text\":\"\\u12G4\"}",
        "{\"text\":\"\\x\"}", "{\"text\":\"a\tb\"}", "{\"text\":\"\xc0\x80\"}", "{\"text\":\"\xed\xa0\x80\"}",
        "{\"text\":\"\xf4\x90\x80\x80\"}", "{\"text\":\"\xe2\x82\"}", "{\"text\":\"abc", "\xef\xbb\xbf{\"text\":\"a\"}",
        "{\"text\":\"a\"", "{'text':'a'}", "{\"text\":\"a\\",
    };
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        CHECK(agree_str(no[i]) == 0, "declined: %s", no[i]);
    /* mutations of valid lines: never a disagreement */
    const char *seeds[] = {
        "{\"id\":\"b0000001\",\"date\":\"2024-02-02\",\"text\":\"Le conseil a adopt\xc3\xa9 \\u00e9 \\\"x\\\" \\ud83d\\ude00.\"}",
        "{\"text\":\"\xd0\x9a\xd0\xb8\xd1\x97\xd0\xb2 \\n \\t\",\"lang\":\"uk\",\"url\":\"http:\\/\\/x\"}",
    };
    const char alpha[] = "{}[]\":,\\ u0dD8eE9aAfF\t\r\n\x01\x7f\xc3\xa9\xd0\xed\xf0\x9f\x80\xbf\xc0";
    uint64_t rnd = 88172645463325252ULL;
    int taken = 0, bad = 0;
    char line[512];
    for (int round = 0; round < 300000; round++) {
        const char *seed = seeds[round % 2];
        size_t n = strlen(seed);
        memcpy(line, seed, n);
        int muts = 1 + (int)(rnd % 3);
        for (int m = 0; m < muts; m++) {
            rnd ^= rnd << 13, rnd ^= rnd >> 7, rnd ^= rnd << 17;
            size_t at = (size_t)(rnd >> 8) % (n + 1);
            char c = alpha[(rnd >> 40) % (sizeof alpha - 1)];
            int op = (int)(rnd >> 60) % 3;
            if (op == 0 && n < sizeof line - 1) { /* insert */
                memmove(line + at + 1, line + at, n - at);
                line[at] = c;
                n++;
            } else if (op == 1 && at < n) { /* replace */
                line[at] = c;
            } else if (at < n) { /* delete */
                memmove(line + at, line + at + 1, n - at - 1);
                n--;
            }
        }
        int r = agree(line, n);
        taken += r == 1;
        if (r < 0 && bad++ < 5)
            CHECK(0, "disagreement on: %.*s", (int)n, line);
    }
    CHECK(bad == 0, "%d disagreements in mutated lines", bad);
    CHECK(taken > 1000, "mutated lines taken by the fast reader: %d", taken);
    return t_done();
}
