#!/bin/bash
# tests/cli/cli.sh - the armscope command line: options, exit statuses,
# input kinds (text, HTML, JSON Lines, stdin, folders), bad input, threads,
# closed pipes, explain, dict check. Runs from the repository root; uses
# $ARMSCOPE (default build/armscope); works in a mktemp -d folder that it
# removes. Ends with "N passed, N failed"; exits non-zero on a failure.
set -u
ARMSCOPE=${ARMSCOPE:-build/armscope}
case $ARMSCOPE in /*) ;; *) ARMSCOPE=$PWD/$ARMSCOPE ;; esac
A=$ARMSCOPE
DATA=$PWD/data
T=$(mktemp -d "${TMPDIR:-/tmp}/armscope-cli.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
unset ARMSCOPE_DATA
# the system python starts faster than a version-manager shim
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi

pass=0
failed=0
ok() { pass=$((pass + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL: $*" >&2
  if [ -s "$T/err" ]; then sed -n '1,5s/^/    stderr: /p' "$T/err" >&2; fi
}
# check DESCRIPTION COMMAND...: passes when the command succeeds
check() {
  local d=$1
  shift
  if "$@"; then ok; else fail "$d"; fi
}
# run COMMAND...: runs it with stdout in $T/out, stderr in $T/err, status in rc
run() {
  "$@" >"$T/out" 2>"$T/err"
  rc=$?
}
out_has() { grep -qF -- "$1" "$T/out"; }
err_has() { grep -qF -- "$1" "$T/err"; }
out_lacks() { ! grep -qF -- "$1" "$T/out"; }
rc_is() { [ "$rc" -eq "$1" ]; }
nlines() { wc -l <"$T/out" | tr -d ' '; }
# every output line is a JSON object with the record fields
json_ok() {
  $PY - "$T/out" <<'EOF'
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    for k in ("doc", "supplier", "recipient", "category", "modality", "items", "evidence", "sources"):
        assert k in r, k
    assert r["evidence"] and all(e["start"] < e["end"] for e in r["evidence"])
    n += 1
sys.exit(0 if n else 1)
EOF
}
# has_rec DOC SUP REC CAT [MOD]: a record with those fields is in $T/out
has_rec() {
  $PY - "$T/out" "$@" <<'EOF'
import json, sys
path, want = sys.argv[1], sys.argv[2:]
for line in open(path, encoding="utf-8"):
    r = json.loads(line)
    got = [r["doc"], r["supplier"], r["recipient"], r["category"], r["modality"]]
    if got[:len(want)] == want:
        sys.exit(0)
sys.exit(1)
EOF
}
# doc_order: the doc ids of $T/out in order, one per line, repeats merged
doc_order() { $PY -c '
import json, sys
last = None
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)["doc"]
    if d != last:
        print(d)
    last = d' "$T/out"; }

EN1="Iran has supplied Russia with hundreds of Shahed drones, officials said."
EN2="North Korea shipped artillery shells to Russia by rail last autumn."
FR1="La Corée du Nord a livré des obus à la Russie."

# ---------------------------------------------------------------------------
# options and commands
# ---------------------------------------------------------------------------
run "$A" --version
check "--version exits 0" rc_is 0
check "--version prints the version" grep -qE '^armscope [0-9]+\.[0-9]+' "$T/out"

run "$A" --help
check "--help exits 0" rc_is 0
check "--help prints usage on stdout" out_has "usage: armscope"
check "--help lists the commands" out_has "extract"
check "--help writes nothing on stderr" test ! -s "$T/err"

run "$A" frobnicate
check "unknown command exits 2" rc_is 2
check "unknown command is named" err_has "frobnicate"
check "unknown command: usage on stderr" err_has "usage:"
check "unknown command: nothing on stdout" test ! -s "$T/out"

run "$A" --frobnicate extract
check "unknown option exits 2" rc_is 2
check "unknown option: usage on stderr" err_has "usage:"

run "$A" extract --frobnicate "$T/none.txt"
check "unknown extract option exits 2" rc_is 2
check "unknown extract option: usage on stderr" err_has "usage:"

run "$A"
check "no command exits 2" rc_is 2
check "no command: usage on stderr" err_has "usage:"

for cmd in extract explain dict; do
  run "$A" $cmd --help
  check "$cmd --help exits 0" rc_is 0
  check "$cmd --help prints usage on stdout" out_has "usage:"
  check "$cmd --help: nothing on stderr" test ! -s "$T/err"
done

run "$A" extract --format xml "$T/none.txt"
check "extract --format xml exits 2" rc_is 2
run "$A" extract -j 0 "$T/none.txt"
check "extract -j 0 exits 2" rc_is 2

# ---------------------------------------------------------------------------
# extract: input kinds
# ---------------------------------------------------------------------------
printf '%s %s\n' "$EN1" "$EN2" >"$T/news.txt"
run "$A" extract "$T/news.txt"
check "plain text: exit 0" rc_is 0
check "plain text: valid JSON records" json_ok
check "plain text: IRN RUS uav (id = file name)" has_rec news IRN RUS uav fact
check "plain text: PRK RUS artillery_ammunition" has_rec news PRK RUS artillery_ammunition fact
check "plain text: each line starts with {\"doc\":" test "$(grep -vc '^{"doc":' "$T/out")" -eq 0
check "plain text: nothing on stderr" test ! -s "$T/err"

# HTML: script and style text never reaches the output
cat >"$T/page.html" <<'EOF2'
<!DOCTYPE html>
<html><head><title>Shells by rail</title>
<script>var SCRIPTMARK = "China supplied Venezuela with tanks";</script>
<style>.STYLEMARK { content: "Cuba sent rifles to Chile" }</style>
</head><body>
<h1>Shells by rail</h1>
<p>North Korea shipped artillery shells to Russia by rail last autumn, officials said.</p>
<script type="text/javascript">document.write("Japan delivered drones to Peru SCRIPTMARK2");</script>
<p>Iran has supplied Russia with hundreds of Shahed drones.</p>
</body></html>
EOF2
run "$A" extract "$T/page.html"
check "HTML: exit 0" rc_is 0
check "HTML: PRK RUS artillery_ammunition" has_rec page PRK RUS artillery_ammunition fact
check "HTML: IRN RUS uav" has_rec page IRN RUS uav fact
check "HTML: no record from the script" out_lacks '"VEN"'
check "HTML: no record from the second script" out_lacks '"PER"'
check "HTML: no record from the style" out_lacks '"CHL"'
check "HTML: no script text in items" out_lacks "SCRIPTMARK"
cp "$T/out" "$T/page.records"
run "$A" extract --emit-text "$T/page.html"
check "--emit-text: exit 0" rc_is 0
check "--emit-text: one JSON line {\"doc\",\"text\"}" $PY -c '
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 1
d = json.loads(lines[0])
assert set(d) >= {"doc", "text"} and d["doc"] == "page"
' "$T/out"
check "--emit-text: no script or style text" out_lacks "MARK"
check "--emit-text: no markup" out_lacks "<p>"
check "--emit-text: record offsets index the emitted text" $PY -c '
import json, sys
text = json.loads(open(sys.argv[1], encoding="utf-8").readline())["text"].encode("utf-8")
recs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert recs
for r in recs:
    for e in r["evidence"]:
        span = text[e["start"]:e["end"]].decode("utf-8")
        assert any(i in span for i in r["items"]), (span, r["items"])
' "$T/out" "$T/page.records"

# JSON Lines: ids from "id"
cat >"$T/feed.jsonl" <<EOF2
{"id": "n-001", "lang": "en", "date": "2024-05-02", "text": "$EN1"}
{"id": "n-002", "text": "$FR1"}
{"id": 3, "lang": "en", "text": "$EN2", "title": "Rail"}
EOF2
run "$A" extract "$T/feed.jsonl"
check "JSON Lines: exit 0" rc_is 0
check "JSON Lines: id n-001" has_rec n-001 IRN RUS uav fact
check "JSON Lines: id n-002 (French)" has_rec n-002 PRK RUS artillery_ammunition fact
check "JSON Lines: numeric id 3" has_rec 3 PRK RUS artillery_ammunition fact
check "JSON Lines: documents in order" test "$(doc_order | tr '\n' ' ')" = "n-001 n-002 3 "

# standard input
run "$A" extract - <"$T/news.txt"
check "stdin '-': exit 0" rc_is 0
check "stdin '-': records, id stdin" has_rec stdin IRN RUS uav fact
cat "$T/news.txt" | "$A" extract >"$T/out" 2>"$T/err"
rc=$?
check "stdin pipe without argument: exit 0" rc_is 0
check "stdin pipe: records" has_rec stdin PRK RUS artillery_ammunition fact
"$A" extract - <"$T/feed.jsonl" >"$T/out" 2>"$T/err"
rc=$?
check "stdin JSON Lines: exit 0" rc_is 0
check "stdin JSON Lines: ids kept" has_rec n-002 PRK RUS artillery_ammunition

# a folder, read recursively, in name order
mkdir -p "$T/dir/m" "$T/dir/n"
printf '%s\n' "$FR1" >"$T/dir/a.txt"
printf '%s\n' "$EN1" >"$T/dir/b.txt"
printf '%s\n' "$EN2" >"$T/dir/m/z.txt"
printf 'Belarus sent tanks to Russia.\n' >"$T/dir/n/d.txt"
printf 'Hidden files are skipped: China sent rifles to Cuba.\n' >"$T/dir/.hidden.txt"
run "$A" extract "$T/dir"
check "folder: exit 0" rc_is 0
check "folder: every document read" test "$(doc_order | sort | tr '\n' ' ')" = "a b m/z n/d "
check "folder: name order" test "$(doc_order | tr '\n' ' ')" = "a b m/z n/d "
check "folder: nested file read" has_rec n/d BLR RUS armoured_vehicles fact
check "folder: hidden file skipped" out_lacks '"CUB"'

# table format
run "$A" extract --format table "$T/news.txt"
check "table: exit 0" rc_is 0
check "table: header line" grep -qE '^DOC +SUPPLIER +RECIPIENT +CATEGORY +MODALITY' <(head -n 1 "$T/out")
check "table: one row per record" test "$(nlines)" -eq 3
check "table: a row" grep -qE '^news +IRN +RUS +uav +fact' "$T/out"

# ---------------------------------------------------------------------------
# threads: -j 2 gives the same bytes as -j 1
# ---------------------------------------------------------------------------
mkdir -p "$T/forty"
sup=("Iran" "North Korea" "Belarus" "China" "The United States" "France" "Germany" "Turkey")
rec=("Russia" "Ukraine" "Syria" "Poland" "Israel" "Taiwan" "Mali")
itm=("drones" "artillery shells" "tanks" "ballistic missiles" "rifles" "helicopters" "air defence systems")
vrb=("supplied" "sent" "may deliver" "did not sell" "has shipped")
for i in $(seq 0 39); do
  printf 'Report %d\n\n%s %s %s to %s, officials said. %s %s %s to %s last year.\n' "$i" \
    "${sup[i % 8]}" "${vrb[i % 5]}" "${itm[i % 7]}" "${rec[(i / 2) % 7]}" \
    "${sup[(i + 3) % 8]}" "${vrb[(i / 5) % 5]}" "${itm[(i / 3) % 7]}" "${rec[(i + 1) % 7]}" \
    >"$T/forty/doc$(printf %02d "$i").txt"
done
"$A" extract -j 1 "$T/forty" >"$T/j1" 2>"$T/err"
rc=$?
check "-j 1: exit 0" rc_is 0
check "-j 1: records for the 40 documents" test "$(wc -l <"$T/j1")" -ge 40
"$A" extract -j 2 "$T/forty" >"$T/j2" 2>"$T/err"
rc=$?
check "-j 2: exit 0" rc_is 0
check "-j 2 output is byte-identical to -j 1" cmp -s "$T/j1" "$T/j2"
"$A" extract -j 7 "$T/forty" >"$T/j7" 2>/dev/null
check "-j 7 output is byte-identical to -j 1" cmp -s "$T/j1" "$T/j7"
"$A" extract -j 2 --format table "$T/forty" >"$T/t2" 2>/dev/null
"$A" extract -j 1 --format table "$T/forty" >"$T/t1" 2>/dev/null
check "-j 2 table is identical to -j 1" cmp -s "$T/t1" "$T/t2"

# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------
# invalid UTF-8: processed, warning naming the file, exit 0
printf 'Iran has supplied Russia \xff\xfe with Shahed drones. Caf\xe9 owners said so.\n' >"$T/latin.txt"
run "$A" extract "$T/latin.txt"
check "invalid UTF-8: exit 0" rc_is 0
check "invalid UTF-8: still processed" has_rec latin IRN RUS uav fact
check "invalid UTF-8: warning names the file" err_has "latin.txt"
check "invalid UTF-8: output is valid JSON" json_ok
run "$A" extract -q "$T/latin.txt"
check "-q: no warning" test ! -s "$T/err"

# NUL bytes inside the text: processed (warning) or skipped, named either way
{
  printf '%s ' "$EN1"
  printf 'a\0b '
  for i in $(seq 1 30); do printf 'The talks went on for hours without any result. '; done
  printf '%s\n' "$EN2"
} >"$T/nul.txt"
run "$A" extract "$T/nul.txt"
check "NUL bytes: the file is named on stderr" err_has "nul.txt"
if rc_is 0; then
  check "NUL bytes: processed" has_rec nul PRK RUS artillery_ammunition fact
  check "NUL bytes: output is valid JSON" json_ok
else
  check "NUL bytes: skipped with exit 1" rc_is 1
fi

# a binary file among text files: skipped, named, exit 1, the rest processed
mkdir -p "$T/mixed"
printf '%s\n' "$EN1" >"$T/mixed/a.txt"
$PY -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 64)' >"$T/mixed/b.bin"
printf '%s\n' "$EN2" >"$T/mixed/c.txt"
run "$A" extract "$T/mixed"
check "binary: exit 1" rc_is 1
check "binary: named on stderr" err_has "b.bin"
check "binary: the document before it processed" has_rec a IRN RUS uav
check "binary: the document after it processed" has_rec c PRK RUS artillery_ammunition
check "binary: no record from it" test "$(doc_order | tr '\n' ' ')" = "a c "

# a 50 MB single line: processed or cleanly skipped, no crash
$PY -c '
import sys
s = "The weather was mild on Monday and the markets in the capital were calm, traders said. "
n = 50 * 1024 * 1024 // len(s) + 1
sys.stdout.write(s * n + "Iran supplied Russia with drones.")' >"$T/huge.txt"
run "$A" extract "$T/huge.txt"
check "50 MB line: exit 0 or 1 (no crash)" test "$rc" -le 1
if rc_is 0; then
  check "50 MB line: processed, the last sentence found" has_rec huge IRN RUS uav fact
else
  check "50 MB line: skipped with a message naming it" err_has "huge.txt"
fi
rm -f "$T/huge.txt"

# malformed JSON Lines: the bad line named file:line, good lines still read
cat >"$T/broken.jsonl" <<EOF2
{"id": "g1", "text": "$EN1"}
{"id": "b2", "text": "Belarus sent tanks to Russia.
{"id": "g3", "text": "$EN2"}
{"id": "g4", "body": "Belarus sent tanks to Russia."}
[1, 2, 3]
{"id": "g6", "text": "Belarus sent tanks to Russia."}
EOF2
run "$A" extract "$T/broken.jsonl"
check "malformed JSON Lines: exit 1" rc_is 1
check "malformed JSON Lines: bad line named as file:2" err_has "broken.jsonl:2"
check "malformed JSON Lines: good line 1 read" has_rec g1 IRN RUS uav
check "malformed JSON Lines: good line 3 read" has_rec g3 PRK RUS artillery_ammunition
check "line without \"text\": named as file:4" err_has "broken.jsonl:4"
check "line without \"text\": says text" grep -q 'broken.jsonl:4.*text' "$T/err"
check "JSON that is not an object: named as file:5" err_has "broken.jsonl:5"
check "malformed JSON Lines: line 6 read" has_rec g6 BLR RUS armoured_vehicles
check "malformed JSON Lines: no record from bad lines" test "$(doc_order | tr '\n' ' ')" = "g1 g3 g6 "

# an empty file: named, exit 1
: >"$T/empty.txt"
run "$A" extract "$T/empty.txt"
check "empty file: exit 1" rc_is 1
check "empty file: named" err_has "empty.txt"
check "empty file: no output" test ! -s "$T/out"

# a dangling symlink in a folder: named as unreadable, exit 1, rest read
mkdir -p "$T/links"
printf '%s\n' "$EN1" >"$T/links/a.txt"
ln -s "$T/links/does-not-exist.txt" "$T/links/b.txt"
printf '%s\n' "$EN2" >"$T/links/c.txt"
run "$A" extract "$T/links"
check "dangling symlink: exit 1" rc_is 1
check "dangling symlink: named on stderr" err_has "b.txt"
check "dangling symlink: said unreadable" grep -qiE 'b\.txt.*(cannot read|unreadable|no such)' "$T/err"
check "dangling symlink: the others read" test "$(doc_order | tr '\n' ' ')" = "a c "

# a directory argument that does not exist
run "$A" extract "$T/no-such-dir/"
check "missing directory: exit 1" rc_is 1
check "missing directory: named" err_has "no-such-dir"
run "$A" extract "$T/no-such-file.txt" "$T/news.txt"
check "missing file among others: exit 1" rc_is 1
check "missing file among others: the other read" has_rec news IRN RUS uav

# a closed pipe: quiet exit
mkdir -p "$T/bigdir"
for i in $(seq 1 300); do
  printf '%s %s\n' "$EN1" "$EN2" >"$T/bigdir/d$i.txt"
done
"$A" extract "$T/bigdir" 2>"$T/err" | head -n 1 >"$T/out"
st=("${PIPESTATUS[@]}")
check "closed pipe: first line written" test "$(nlines)" -eq 1
check "closed pipe: no error message" test ! -s "$T/err"
check "closed pipe: exit 0 (not killed by SIGPIPE)" test "${st[0]}" -eq 0
"$A" extract -j 3 --format table "$T/bigdir" 2>"$T/err" | head -c 100 >/dev/null
st=("${PIPESTATUS[@]}")
check "closed pipe with -j 3: no error message" test ! -s "$T/err"
check "closed pipe with -j 3: exit 0" test "${st[0]}" -eq 0

# ---------------------------------------------------------------------------
# explain
# ---------------------------------------------------------------------------
run "$A" explain --lang fr "La Corée du Nord a livré des obus à la Russie."
check "explain: exit 0" rc_is 0
check "explain: PRK" out_has "PRK"
check "explain: RUS" out_has "RUS"
check "explain: artillery_ammunition" out_has "artillery_ammunition"
check "explain: the frame" out_has "frame"
check "explain: the data file of a match" out_has "fr/frames.txt"
run "$A" explain "$T/feed.jsonl"
check "explain FILE: exit 0" rc_is 0
check "explain FILE: every document" test "$(grep -c '^document ' "$T/out")" -eq 3
run "$A" explain
check "explain without text: exit 2" rc_is 2

# ---------------------------------------------------------------------------
# dict check
# ---------------------------------------------------------------------------
run "$A" dict check
check "dict check on the real data: exit 0" rc_is 0
check "dict check: no error on stderr" test ! -s "$T/err"
cp -r "$DATA" "$T/data"
printf 'item lasers : laser beam\n' >>"$T/data/en/items.txt"
line=$(wc -l <"$T/data/en/items.txt" | tr -d ' ')
printf 'actor ZZZ : Zedland\n' >>"$T/data/fr/actors.txt"
fline=$(wc -l <"$T/data/fr/actors.txt" | tr -d ' ')
run "$A" --data "$T/data" dict check
check "dict check on a broken copy: exit 1" rc_is 1
check "dict check names en/items.txt:$line" err_has "en/items.txt:$line:"
check "dict check names fr/actors.txt:$fline" err_has "fr/actors.txt:$fline:"
if true; then
  # a subcommand's options may follow its operands (getopt is re-initialised
  # for the subcommand)
  run "$A" dict check --data "$T/data"
  check "dict check --data after the command: exit 1" rc_is 1
  run "$A" extract "$T/news.txt" --format table
  check "extract FILE --format table: exit 0" rc_is 0
  check "extract FILE --format table: header" out_has "SUPPLIER"
fi
run "$A" --data "$T/data" extract "$T/news.txt"
check "extract with broken data: exit 2" rc_is 2
check "extract with broken data: says dict check" err_has "dict check"
run "$A" dict frob
check "dict with an unknown subcommand: exit 2" rc_is 2

# --data pointing to a missing folder
run "$A" --data "$T/no-data" extract "$T/news.txt"
check "--data missing: exit 2" rc_is 2
check "--data missing: the folder is named" err_has "no-data"
check "--data missing: nothing on stdout" test ! -s "$T/out"
run "$A" extract --data "$T/no-data" "$T/news.txt"
check "extract --data missing: exit 2" rc_is 2
ARMSCOPE_DATA="$T/no-data" run "$A" extract "$T/news.txt"
check "ARMSCOPE_DATA missing: exit 2" rc_is 2
check "ARMSCOPE_DATA missing: says --data" err_has "--data"
ARMSCOPE_DATA="$DATA" run "$A" extract "$T/news.txt"
check "ARMSCOPE_DATA set: exit 0" rc_is 0


# the compiled-data cache: same output with and without it; a damaged cache
# file is ignored and rewritten; an edited data file changes the key
mkdir -p "$T/cache"
ARMSCOPE_CACHE= run "$A" extract "$T/news.txt"
cp "$T/out" "$T/nocache.out"
ARMSCOPE_CACHE="$T/cache" run "$A" extract "$T/news.txt"
check "cache: the first run writes one cache file" test "$(ls "$T/cache" | grep -c '^lex-.*\.bin$')" -eq 1
check "cache: first run output equals the uncached one" cmp -s "$T/out" "$T/nocache.out"
ARMSCOPE_CACHE="$T/cache" run "$A" extract "$T/news.txt"
check "cache: cached run output equals the uncached one" cmp -s "$T/out" "$T/nocache.out"
cf=$(ls "$T/cache"/lex-*.bin | head -1)
cp "$cf" "$T/cache.good"
"$PY" -c "
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
b[len(b) // 2] ^= 0xff
open(p, 'wb').write(b)" "$cf"
ARMSCOPE_CACHE="$T/cache" run "$A" extract "$T/news.txt"
check "cache: a damaged cache file: exit 0" rc_is 0
check "cache: a damaged cache file: same output" cmp -s "$T/out" "$T/nocache.out"
check "cache: a damaged cache file is rewritten" cmp -s "$cf" "$T/cache.good"
head -c 1000 "$T/cache.good" >"$cf"
ARMSCOPE_CACHE="$T/cache" run "$A" extract "$T/news.txt"
check "cache: a truncated cache file: same output" cmp -s "$T/out" "$T/nocache.out"
cp -r "$DATA" "$T/data2"
ARMSCOPE_CACHE="$T/cache" run "$A" --data "$T/data2" extract "$T/news.txt"
check "cache: a second data folder gets its own cache file" test "$(ls "$T/cache" | grep -c '^lex-.*\.bin$')" -eq 2
ls "$T/cache" >"$T/cache.before"
echo "# a local addition" >>"$T/data2/common/actors.txt"
ARMSCOPE_CACHE="$T/cache" run "$A" --data "$T/data2" extract "$T/news.txt"
ls "$T/cache" >"$T/cache.after"
check "cache: an edited data file changes the key" test "$(comm -13 "$T/cache.before" "$T/cache.after" | wc -l)" -eq 1
check "cache: the folder's older cache file is removed" test "$(wc -l <"$T/cache.after")" -eq 2
rm -rf "$T/data2"

echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
