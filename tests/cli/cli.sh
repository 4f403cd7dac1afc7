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
  python3 - "$T/out" <<'EOF'
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
  python3 - "$T/out" "$@" <<'EOF'
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
doc_order() { python3 -c '
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
check "--emit-text: one JSON line {\"doc\",\"text\"}" python3 -c '
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 1
d = json.loads(lines[0])
assert set(d) >= {"doc", "text"} and d["doc"] == "page"
' "$T/out"
check "--emit-text: no script or style text" out_lacks "MARK"
check "--emit-text: no markup" out_lacks "<p>"
check "--emit-text: record offsets index the emitted text" python3 -c '
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
