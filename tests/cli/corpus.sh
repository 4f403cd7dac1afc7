#!/bin/bash
# tests/cli/corpus.sh - the canonical input and the dev corpus, read from
# ../shared at run time (never copied here); skipped cleanly when absent.
set -u
A=${ARMSCOPE:-build/armscope}
SHARED=${SHARED:-../shared}
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
seed="$SHARED/seed/000_20acd37116a2ee7f.txt"
if [ -f "$seed" ]; then
  got=$("$A" extract "$seed" | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    print(r["supplier"], r["recipient"], r["category"], r["modality"])' | sort)
  want=$(sort <<'W'
RUS PRK nuclear_technology potential
RUS PRK missile_technology potential
RUS PRK space_technology potential
PRK RUS weapons fact
PRK RUS artillery_ammunition fact
PRK EGY weapons fact
PRK SYR weapons fact
PRK IRN weapons fact
PRK hamas weapons fact
W
)
  if [ "$got" = "$want" ]; then ok; else bad "seed records differ:"; diff <(echo "$want") <(echo "$got"); fi
  # the PRK->RUS weapons record carries the denials of PRK and RUS beside an assertion
  stances=$("$A" extract "$seed" | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if (r["supplier"], r["recipient"], r["category"]) == ("PRK", "RUS", "weapons"):
        print(" ".join(sorted("%s:%s" % (s["actor"], s["stance"]) for s in r["sources"])))')
  case "$stances" in
    *PRK:denies*RUS:denies*) ok ;;
    *) bad "seed PRK->RUS weapons sources: $stances" ;;
  esac
  case "$stances" in *asserts*) ok ;; *) bad "seed PRK->RUS weapons has no asserting source: $stances" ;; esac
  # evidence spans are inside the text and cover an item of the record
  "$A" extract "$seed" | python3 -c '
import json, sys
text = open(sys.argv[1], "rb").read()
bad = 0
for l in sys.stdin:
    r = json.loads(l)
    for e in r["evidence"]:
        if not (0 <= e["start"] < e["end"] <= len(text)):
            bad += 1
    spans = [text[e["start"]:e["end"]].decode() for e in r["evidence"]]
    if not any(i in s for i in r["items"] for s in spans):
        bad += 1
sys.exit(1 if bad else 0)' "$seed" && ok || bad "seed evidence spans"
else
  echo "skip: $seed not found"
fi
if [ -d "$SHARED/corpus/dev" ] && [ -x "$SHARED/tools/score" ]; then
  # the dev corpus goes through without an error and gives records
  out=$(mktemp -d)
  cat "$SHARED"/corpus/dev/*.jsonl > "$out/gold.jsonl"
  if "$A" extract -q "$out/gold.jsonl" > "$out/sys.jsonl"; then ok; else bad "extract on the dev corpus failed"; fi
  n=$(wc -l < "$out/sys.jsonl")
  [ "$n" -gt 50 ] && ok || bad "only $n records on the dev corpus"
  # language identification: right on every document when lang is withheld
  python3 -c '
import json, sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    print(json.dumps({"id": d["id"], "text": d["text"]}))' "$out/gold.jsonl" > "$out/nolang.jsonl"
  wrong=$(python3 -c '
import json, subprocess, sys
wrong = 0
for l in open(sys.argv[2]):
    d = json.loads(l)
    p = sys.argv[3] + "/one.jsonl"
    open(p, "w").write(json.dumps({"id": d["id"], "text": d["text"]}) + "\n")
    first = subprocess.run([sys.argv[1], "explain", p], capture_output=True, text=True).stdout.split("\n")[0]
    if "language %s " % d["lang"] not in first:
        wrong += 1
        print(d["id"], first, file=sys.stderr)
print(wrong)' "$A" "$out/gold.jsonl" "$out")
  [ "$wrong" = 0 ] && ok || bad "language identification wrong on $wrong dev documents"
  # the output equals the stored reference (tests/ref/dev.digest, refreshed
  # by `make reference` after an intended change), single- and multi-threaded
  ref=tests/ref/dev.digest
  if [ -f "$ref" ]; then
    for j in 1 2; do
      "$A" extract -q -j $j "$out/gold.jsonl" > "$out/sys$j.jsonl"
      tools/devdigest "$out/sys$j.jsonl" > "$out/digest$j"
      if cmp -s "$ref" "$out/digest$j"; then ok; else
        bad "extract -j $j output differs from $ref on these documents (run 'make reference' if the change is intended):"
        diff "$ref" "$out/digest$j" | grep '^[<>]' | awk '{print $2}' | sort -u | head -20 | sed 's/^/    /'
      fi
    done
  else
    bad "$ref is missing: run 'make reference'"
  fi
  rm -rf "$out"
else
  echo "skip: $SHARED/corpus/dev not found"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
