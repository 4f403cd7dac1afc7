#!/bin/bash
# tests/cli/store.sh - the evidence store end to end: ingest of text, HTML,
# JSON Lines, an RSS and an Atom feed and WARC files made here; idempotence;
# crash safety (SIGKILL at random points); queries and exports.
set -u
A=${ARMSCOPE:-build/armscope}
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
T=$(mktemp -d /tmp/armscope-store.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

# --- help and usage errors -------------------------------------------------
for c in ingest transfers evidence search export; do
  check "$c --help: exit 0, usage on stdout" '"$A" $c --help | grep -q "^usage: armscope $c"'
  check "$c without --db: usage error 2" '"$A" $c >/dev/null 2>&1; [ $? = 2 ]'
done

# --- inputs made here -----------------------------------------------------
cat > "$T/feed.rss" <<'X'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Wire</title>
<item><title>Drones for Moscow</title><link>https://wire.example/drones</link>
<pubDate>Tue, 10 Sep 2024 14:50:00 GMT</pubDate>
<description>&lt;p&gt;Iran has supplied Russia with hundreds of Shahed-136 drones, officials in Kyiv said.&lt;/p&gt;</description></item>
<item><title>Markets</title><link>https://wire.example/markets</link><description>Shares rose.</description></item>
</channel></rss>
X
cat > "$T/feed.atom" <<'X'
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Agency</title>
<entry><title>Shells</title><link href="https://agency.example/shells"/><published>2023-11-08T10:00:00Z</published>
<content type="html">&lt;p&gt;North Korea shipped artillery shells to Russia by rail, Seoul said.&lt;/p&gt;</content></entry>
</feed>
X
warc_record() { # uri date html
  local body http
  http=$(printf 'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n%s' "$3")
  printf 'WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\nWARC-Date: %s\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n' \
    "$1" "$2" "$(printf '%s' "$http" | wc -c)" "$http"
}
{
  printf 'WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 9\r\n\r\nsoftware\n\r\n\r\n'
  warc_record "https://news.example/tanks" "2024-02-01T08:00:00Z" \
    '<html><head><title>Tanks</title><script>Iran supplied Russia with missiles</script></head><body><p>Belarus sent 30 T-72 tanks to Russia, Ukraine'"'"'s General Staff said.</p></body></html>'
  warc_record "https://news.example/sport" "2024-02-02T08:00:00Z" '<html><body><p>The match ended in a draw.</p></body></html>'
} > "$T/crawl.warc"
gzip -c "$T/crawl.warc" > "$T/crawl.warc.gz"
mkdir -p "$T/plain"
cp "$T/crawl.warc" "$T/plain/copy.warc"
cat > "$T/news.jsonl" <<'X'
{"id": "n1", "lang": "fr", "date": "2023-11-08", "url": "https://a.example/1", "text": "La Corée du Nord a livré des obus à la Russie, selon Séoul."}
{"id": "n2", "lang": "en", "date": "2023-11-09", "url": "https://b.example/2", "text": "SEOUL - North Korea has delivered more than a million artillery shells to Russia since August, the South Korean defence ministry said on Thursday, citing intelligence assessments. The shipments went by rail and by sea, officials told reporters in Seoul, and were meant for Russian artillery units fighting in eastern Ukraine. Pyongyang and Moscow have both denied any arms deal, but analysts say the trade has grown steadily over the past year as both countries deepened their military ties."}
{"id": "n3", "lang": "en", "date": "2023-11-09", "url": "https://c.example/3", "text": "SEOUL - North Korea has delivered more than a million artillery shells to Russia since August, the South Korean defence ministry said on Thursday, citing intelligence assessments. The shipments went by rail and by sea, officials told reporters in Seoul, and were meant for Russian artillery units fighting in eastern Ukraine. Pyongyang and Moscow have both denied any arms deal, but analysts say the trade has grown steadily over the past year as both countries deepened military ties."}
{"id": "n4", "lang": "en", "date": "2024-05-08", "url": "https://d.example/4", "text": "Pyongyang rejected claims that it sold shells to Moscow."}
this line is not JSON
X

# --- ingest ---------------------------------------------------------------
"$A" ingest -q --db "$T/a.db" "$T/feed.rss" "$T/feed.atom" "$T/crawl.warc.gz" "$T/news.jsonl" examples/ 2>"$T/err"
rc=$?
check "ingest: exit 1 for the bad line" '[ $rc = 1 ]'
check "ingest: the bad line is named" 'grep -q "news.jsonl:5: malformed JSON" "$T/err"'
n=$(sqlite3 "$T/a.db" "SELECT count(*) FROM documents")
check "ingest: documents stored ($n)" '[ "$n" -ge 12 ]'
check "ingest: RSS item with date" '[ "$(sqlite3 "$T/a.db" "SELECT date FROM documents WHERE url = '"'"'https://wire.example/drones'"'"'")" = 2024-09-10 ]'
check "ingest: Atom entry" '[ "$(sqlite3 "$T/a.db" "SELECT count(*) FROM records r JOIN documents d ON d.id = r.doc WHERE d.url LIKE '"'"'https://agency.example/%'"'"' AND r.supplier = '"'"'PRK'"'"'")" -ge 1 ]'
check "ingest: WARC url and date from the headers" '[ "$(sqlite3 "$T/a.db" "SELECT date FROM documents WHERE url = '"'"'https://news.example/tanks'"'"'")" = 2024-02-01 ]'
check "ingest: WARC script text not read" '[ "$(sqlite3 "$T/a.db" "SELECT count(*) FROM records r JOIN documents d ON d.id = r.doc WHERE d.url = '"'"'https://news.example/tanks'"'"' AND r.supplier = '"'"'IRN'"'"'")" = 0 ]'
check "ingest: plain WARC too" '"$A" ingest -q --db "$T/b.db" "$T/plain" && [ "$(sqlite3 "$T/b.db" "SELECT count(*) FROM records")" -ge 1 ]'
check "integrity_check ok" '[ "$(sqlite3 "$T/a.db" "PRAGMA integrity_check")" = ok ]'

# --- idempotence ------------------------------------------------------------
sqlite3 "$T/a.db" .dump > "$T/dump1"
"$A" ingest -q --db "$T/a.db" "$T/feed.rss" "$T/feed.atom" "$T/crawl.warc.gz" "$T/news.jsonl" examples/ 2>/dev/null
sqlite3 "$T/a.db" .dump > "$T/dump2"
check "ingesting the same input twice changes nothing" 'cmp -s "$T/dump1" "$T/dump2"'

# --- merge, stories, credibility, embargo ------------------------------------
"$A" transfers --db "$T/a.db" --supplier PRK --recipient RUS --format jsonl > "$T/tr.jsonl"
check "transfers: PRK->RUS shells merged over documents" \
  '$PY -c "import json,sys; t=[json.loads(l) for l in open(sys.argv[1])]; r=[x for x in t if x[\"category\"]==\"artillery_ammunition\"][0]; sys.exit(0 if r[\"documents\"]>=3 else 1)" "$T/tr.jsonl"'
check "transfers: near-duplicate copies are one story" \
  '$PY -c "import json,sys; t=[json.loads(l) for l in open(sys.argv[1])]; r=[x for x in t if x[\"category\"]==\"artillery_ammunition\"][0]; sys.exit(0 if r[\"stories\"] < r[\"documents\"] else 1)" "$T/tr.jsonl"'
check "transfers: the embargo on the DPRK is flagged" 'grep -q "UNSC resolution 1718" "$T/tr.jsonl"'
check "transfers: a credibility grade 1-6" \
  '$PY -c "import json,sys; t=[json.loads(l) for l in open(sys.argv[1])]; sys.exit(0 if t and all(1<=x[\"credibility\"]<=6 for x in t) else 1)" "$T/tr.jsonl"'
"$A" transfers --db "$T/a.db" --embargo-violations --format csv > "$T/emb.csv"
check "transfers --embargo-violations --format csv: header and rows" \
  'head -1 "$T/emb.csv" | grep -q "^supplier,recipient,category" && [ "$(wc -l < "$T/emb.csv")" -ge 2 ]'
check "transfers --since filters by date" \
  '[ -z "$("$A" transfers --db "$T/a.db" --since 2030 --format jsonl)" ]'
check "transfers: a bad modality is a usage error" '! "$A" transfers --db "$T/a.db" --modality maybe 2>/dev/null'
check "transfers: table has a header" '"$A" transfers --db "$T/a.db" | head -1 | grep -q SUPPLIER'

# --- evidence, search, export -------------------------------------------------
"$A" evidence --db "$T/a.db" PRK RUS artillery_ammunition > "$T/ev.txt"
check "evidence: the span is marked" 'grep -q "\[\[" "$T/ev.txt"'
check "evidence: outlet and date" 'grep -q "2023-11-08" "$T/ev.txt"'
check "evidence: claims with who made them" 'grep -q "claims:" "$T/ev.txt"'
check "search: full text" '"$A" search --db "$T/a.db" "shells" | grep -q "\[\["'
check "search: a designation with a hyphen" '"$A" search --db "$T/a.db" "Shahed-136" | grep -q Shahed'
"$A" export --db "$T/a.db" --format graphml > "$T/g.graphml"
check "export graphml is XML with edges" \
  '$PY -c "import sys,xml.dom.minidom as m; d=m.parse(sys.argv[1]); sys.exit(0 if d.getElementsByTagName(\"edge\") else 1)" "$T/g.graphml"'
"$A" export --db "$T/a.db" --format gexf > "$T/g.gexf"
check "export gexf is XML with nodes and edges" \
  '$PY -c "import sys,xml.dom.minidom as m; d=m.parse(sys.argv[1]); sys.exit(0 if d.getElementsByTagName(\"node\") and d.getElementsByTagName(\"edge\") else 1)" "$T/g.gexf"'
check "export dot" '"$A" export --db "$T/a.db" --format dot | head -1 | grep -q "^digraph"'
check "export csv" '"$A" export --db "$T/a.db" --format csv | head -1 | grep -q "^supplier,"'
check "export jsonl" '"$A" export --db "$T/a.db" --format jsonl | head -1 | grep -q "^{\"id\":[0-9]*,\"supplier\""'
check "a missing database is named" '! "$A" transfers --db "$T/none/x.db" 2>"$T/e2" && grep -q "x.db" "$T/e2"'

# --- the seed and the dev corpus (read from ../shared when it is there) -------
SHARED=${SHARED:-../shared}
if [ -d "$SHARED/corpus/dev" ] && [ -f "$SHARED/seed/000_20acd37116a2ee7f.txt" ]; then
  "$A" ingest -q --db "$T/dev.db" "$SHARED"/corpus/dev/*.jsonl "$SHARED/seed/000_20acd37116a2ee7f.txt"
  check "dev corpus and seed ingested" '[ "$(sqlite3 "$T/dev.db" "SELECT count(*) FROM documents")" -ge 50 ]'
  check "seed: PRK->RUS weapons with the denials of PRK and RUS" \
    '"$A" evidence --db "$T/dev.db" PRK RUS weapons | grep -q "PRK denies"'
  check "dev corpus: DPRK embargo flagged" '"$A" transfers --db "$T/dev.db" --supplier PRK --embargo-violations | grep -q EMBARGO'
else
  echo "skip: $SHARED not found"
fi

# --- crash safety ----------------------------------------------------------
$PY - "$T/big.jsonl" <<'X'
import json, random, sys
random.seed(7)
forms = ["{s} supplied {r} with {n} drones.", "{s} sent {n} artillery shells to {r}.",
         "{s} delivered {n} tanks to {r}, officials said.", "{s} may transfer missile technology to {r}."]
states = ["Iran", "North Korea", "Belarus", "China", "the United States", "France", "Ukraine", "Russia", "Egypt"]
filler = "The weather was mild and markets were calm as talks continued in the capital. "
with open(sys.argv[1], "w") as f:
    for i in range(5000):
        s, r = random.sample(states, 2)
        text = filler * random.randint(1, 6) + random.choice(forms).format(s=s, r=r, n=random.randint(2, 900))
        f.write(json.dumps({"id": "d%d" % i, "lang": "en", "date": "2024-%02d-%02d" % (i % 12 + 1, i % 28 + 1),
                            "text": text + " Item %d." % i}) + "\n")
X
"$A" ingest -q --db "$T/ref.db" --batch 50 "$T/big.jsonl"
for i in $(seq 1 10); do
  "$A" ingest -q --db "$T/crash.db" --batch 50 "$T/big.jsonl" &
  pid=$!
  sleep "0.$((RANDOM % 9 + 1))"
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
done
"$A" ingest -q --db "$T/crash.db" --batch 50 "$T/big.jsonl"
dump() { sqlite3 "$1" "SELECT key, hash, date, sim, story FROM documents ORDER BY id;
  SELECT doc, supplier, recipient, category, modality, quantity, designations, items FROM records ORDER BY id;
  SELECT record, start, end, sentence FROM evidence ORDER BY id; SELECT record, actor, name, stance FROM claims ORDER BY id;"; }
dump "$T/ref.db" > "$T/ref.txt"; dump "$T/crash.db" > "$T/crash.txt"
check "crash test: 10 SIGKILLs, then complete: equal to an uninterrupted run" 'cmp -s "$T/ref.txt" "$T/crash.txt"'
check "crash test: integrity_check ok" '[ "$(sqlite3 "$T/crash.db" "PRAGMA integrity_check")" = ok ]'
check "crash test: 5000 documents" '[ "$(sqlite3 "$T/crash.db" "SELECT count(*) FROM documents")" = 5000 ]'

# --- merged transfers kept up to date --------------------------------------
# computed key by key as batches come (and after crashes) they equal those
# of one run; the summed timeline equals the sum of the per-transfer months
merged() { sqlite3 "$1" "SELECT supplier, recipient, category, modality, n_fact, n_potential, n_denied, first_date,
  last_date, docs, stories, quantity, designations, asserts, denies, doubts, official, credibility, embargo
  FROM transfers ORDER BY 1, 2, 3;
  SELECT t.supplier, t.recipient, t.category, m.month, m.records FROM transfer_months m JOIN transfers t
  ON t.id = m.transfer ORDER BY 1, 2, 3, 4;
  SELECT month, category, modality, credibility, embargo, records FROM timeline WHERE records > 0 ORDER BY 1, 2, 3, 4, 5;"; }
head -n 2500 "$T/big.jsonl" > "$T/half1.jsonl"; tail -n +2501 "$T/big.jsonl" > "$T/half2.jsonl"
"$A" ingest -q --db "$T/inc.db" --batch 50 "$T/half1.jsonl"
"$A" ingest -q --db "$T/inc.db" --batch 50 "$T/half2.jsonl"
merged "$T/ref.db" > "$T/m-ref.txt"; merged "$T/inc.db" > "$T/m-inc.txt"; merged "$T/crash.db" > "$T/m-crash.txt"
check "merged transfers: two ingests equal one" '[ -s "$T/m-ref.txt" ] && cmp -s "$T/m-ref.txt" "$T/m-inc.txt"'
check "merged transfers: after 10 crashes equal one run" 'cmp -s "$T/m-ref.txt" "$T/m-crash.txt"'
check "merged transfers: nothing left to refresh" '[ "$(sqlite3 "$T/crash.db" "SELECT count(*) FROM stale")" = 0 ]'
check "summed timeline equals the months of the transfers" \
  '[ "$(sqlite3 "$T/inc.db" "SELECT (SELECT sum(records) FROM timeline) = (SELECT sum(records) FROM transfer_months)")" = 1 ]'
# keys left stale (an ingest killed before its refresh) are redone by the next query
sqlite3 "$T/inc.db" "INSERT INTO stale SELECT supplier, recipient, category FROM transfers;
  UPDATE transfers SET docs = 0, credibility = 6; DELETE FROM timeline;"
"$A" transfers --db "$T/inc.db" > /dev/null
merged "$T/inc.db" > "$T/m-inc2.txt"
check "merged transfers: stale keys are redone by the next query" 'cmp -s "$T/m-ref.txt" "$T/m-inc2.txt"'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
