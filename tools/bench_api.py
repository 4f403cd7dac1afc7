#!/usr/bin/env python3
"""The API latency benchmark of `armscope serve` (part of make bench).

usage: tools/bench_api.py ARMSCOPE [TRANSFERS] [EVIDENCE]

Builds (once, fixed seed) a database of TRANSFERS merged transfers (default
200,000) over EVIDENCE records with one evidence sentence each (default
1,000,000), through the real schema: `armscope ingest` creates it, rows are
added with SQL, `armscope transfers` merges them (store_refresh). Then it
starts `armscope serve` and times every API call (median and worst of
BENCH_API_RUNS, default 15, after one warm-up), prints a table and writes
build/bench-api.json (merged into build/bench.json when that exists).
Timings are measured, never asserted.
"""
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
import urllib.error

A = sys.argv[1] if len(sys.argv) > 1 else "build/armscope"
NT = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
NE = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
RUNS = int(os.environ.get("BENCH_API_RUNS", "15"))
OUT = "build/bench"
DB = f"{OUT}/api-{NT}-{NE}.db"

CATS = ["small_arms", "artillery_ammunition", "rockets", "ammunition", "artillery", "armoured_vehicles",
        "aircraft", "uav", "ballistic_missiles", "missiles", "air_defence", "naval", "nuclear_technology",
        "missile_technology", "space_technology", "military_technology", "personnel", "weapons"]
WORDS = {"uav": "drones", "artillery_ammunition": "shells", "ballistic_missiles": "ballistic missiles",
         "missiles": "cruise missiles", "air_defence": "air defence systems", "armoured_vehicles": "tanks",
         "aircraft": "fighter jets", "rockets": "rockets", "small_arms": "rifles", "personnel": "troops"}
VERBS = ["delivered", "shipped", "sold", "sent", "transferred", "supplied", "is expected to send", "denied sending"]


def states():
    codes = []
    for line in open("data/common/actors.txt", encoding="utf-8"):
        m = re.match(r"state ([A-Z]{3}) : (.*)", line)
        if m:
            codes.append((m.group(1), m.group(2).strip()))
    return codes


def build():
    os.makedirs(OUT, exist_ok=True)
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(DB + ext):
            os.remove(DB + ext)
    t0 = time.time()
    subprocess.run([A, "ingest", "-q", "--db", DB, "examples/"], check=True)
    rnd = random.Random(20261127)
    st = states()
    n = len(st)
    # keys: NT distinct (supplier, recipient, category); records spread over
    # them, a few hot keys holding many (as Russia-Ukraine would)
    keys, seen = [], set()
    while len(keys) < NT:
        s, r = rnd.randrange(n), rnd.randrange(n)
        c = rnd.randrange(len(CATS))
        if s != r and (s, r, c) not in seen:
            seen.add((s, r, c))
            keys.append((s, r, c))
    db = sqlite3.connect(DB)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    ndocs = NE // 4
    base = db.execute("SELECT IFNULL(max(id), 0) FROM documents").fetchone()[0]
    outlets = ["reuters.com", "apnews.com", "lemonde.fr", "spiegel.de", "elpais.com", "kyivindependent.com",
               "tass.ru", "yonhap.co.kr", "aljazeera.com", "bbc.co.uk"]
    docs = []
    for i in range(ndocs):
        y, m, d = 2014 + rnd.randrange(12), 1 + rnd.randrange(12), 1 + rnd.randrange(28)
        sim = rnd.getrandbits(63)
        docs.append((base + 1 + i, f"bench-{i}", f"h{i:031x}", f"https://{outlets[i % 10]}/news/{i}",
                     f"Bench article {i}", outlets[i % 10], "en", f"{y:04d}-{m:02d}-{d:02d}", sim,
                     sim & 0xFFFF, sim >> 16 & 0xFFFF, sim >> 32 & 0xFFFF, sim >> 48 & 0xFFFF,
                     base + 1 + (i if rnd.random() < 0.7 else rnd.randrange(i + 1)), "2026-11-27T00:00:00Z"))
    db.executemany("INSERT INTO documents(id, key, hash, url, title, outlet, lang, date, sim, band0, band1, band2,"
                   " band3, story, ingested) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", docs)
    rbase = db.execute("SELECT IFNULL(max(id), 0) FROM records").fetchone()[0]
    ebase = db.execute("SELECT IFNULL(max(id), 0) FROM evidence").fetchone()[0]
    recs, evs, claims = [], [], []
    hot = keys[:20]
    for i in range(NE):
        # every key at least once, then 10% of records on 20 hot keys
        k = keys[i] if i < NT else (hot[rnd.randrange(20)] if rnd.random() < 0.1 else keys[rnd.randrange(NT)])
        s, r, c = st[k[0]], st[k[1]], CATS[k[2]]
        mod = "fact" if rnd.random() < 0.7 else ("potential" if rnd.random() < 0.7 else "denied")
        doc = base + 1 + rnd.randrange(ndocs)
        rid = rbase + 1 + i
        recs.append((rid, doc, s[0], r[0], c, mod, None, None, "", "[]", None))
        verb = VERBS[rnd.randrange(len(VERBS))]
        sent = f"{s[1]} {verb} {rnd.randrange(2, 500)} {WORDS.get(c, 'weapons')} to {r[1]} in a deal number {i}."
        span = sent.index(" in a deal")
        evs.append((ebase + 1 + i, rid, 0, span, sent, 0, span))
        if rnd.random() < 0.3:
            claims.append((rid, s[0] if rnd.random() < 0.5 else None, None,
                           "asserts" if rnd.random() < 0.8 else "denies"))
        if len(recs) == 100_000:
            flush(db, recs, evs, claims)
    flush(db, recs, evs, claims)
    db.execute("INSERT OR IGNORE INTO stale SELECT DISTINCT supplier, recipient, category FROM records")
    db.execute("INSERT INTO evidence_fts(evidence_fts) VALUES('rebuild')")
    db.execute("UPDATE meta SET value = (SELECT max(id) FROM evidence) WHERE key = 'fts_indexed'")
    db.commit()
    db.close()
    t1 = time.time()
    subprocess.run([A, "transfers", "--db", DB, "--supplier", "FRA", "--recipient", "DEU"], check=True,
                   stdout=subprocess.DEVNULL)
    t2 = time.time()
    print(f"bench-api: built {DB}: rows {t1 - t0:.1f} s, merging {NT} transfers {t2 - t1:.1f} s")
    return t2 - t1


def flush(db, recs, evs, claims):
    db.executemany("INSERT INTO records(id, doc, supplier, recipient, category, modality, quantity, approx,"
                   " designations, items, event_date) VALUES(?,?,?,?,?,?,?,?,?,?,?)", recs)
    db.executemany("INSERT INTO evidence(id, record, start, end, sentence, span_start, span_end)"
                   " VALUES(?,?,?,?,?,?,?)", evs)
    db.executemany("INSERT INTO claims(record, actor, name, stance) VALUES(?,?,?,?)", claims)
    recs.clear(), evs.clear(), claims.clear()


def timed(url):
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(url) as r:
            r.read()
            code = r.status
    except urllib.error.HTTPError as e:
        e.read()
        code = e.code
    return (time.perf_counter() - t) * 1000, code


def main():
    merge_s = None
    if not os.path.exists(DB):
        merge_s = build()
    db = sqlite3.connect(DB)
    nt = db.execute("SELECT count(*) FROM transfers").fetchone()[0]
    ne = db.execute("SELECT count(*) FROM evidence").fetchone()[0]
    hot = db.execute("SELECT id FROM transfers ORDER BY docs DESC LIMIT 1").fetchone()[0]
    cold = db.execute("SELECT id FROM transfers ORDER BY docs LIMIT 1").fetchone()[0]
    db.close()
    p = subprocess.Popen([A, "serve", "-q", "--db", DB, "--listen", "127.0.0.1:0"], stderr=subprocess.PIPE, text=True)
    line = p.stderr.readline()
    m = re.search(r"(http://\S+):(\d+)/", line)
    if not m:
        sys.exit(f"bench-api: the server did not start: {line}")
    base = f"{m.group(1)}:{m.group(2)}"
    calls = [
        ("meta", "/api/meta"),
        ("transfers (first page)", "/api/transfers"),
        ("transfers supplier=RUS", "/api/transfers?supplier=RUS"),
        ("transfers category+sort", "/api/transfers?category=uav&sort=credibility&order=asc"),
        ("transfers since/until", "/api/transfers?since=2024-01&until=2024-06"),
        ("transfers embargo=1", "/api/transfers?embargo=1"),
        ("transfers min_credibility=2", "/api/transfers?min_credibility=2&sort=last_date"),
        ("transfers page 500", "/api/transfers?offset=50000&limit=100"),
        ("transfers q=Iran", "/api/transfers?q=Iran%20drones"),
        ("evidence (hot transfer)", f"/api/transfers/{hot}/evidence"),
        ("evidence (one sentence)", f"/api/transfers/{cold}/evidence"),
        ("actors", "/api/actors"),
        ("actors recipient=UKR", "/api/actors?recipient=UKR"),
        ("graph", "/api/graph"),
        ("graph category=uav", "/api/graph?category=uav"),
        ("timeline", "/api/timeline"),
        ("timeline supplier=PRK", "/api/timeline?supplier=PRK"),
        ("timeline category=uav", "/api/timeline?category=uav"),
        ("search q=Shahed-like word", "/api/search?q=drones%20Iran"),
        ("search rare phrase", "/api/search?q=%22deal%20number%20123457%22"),
    ]
    res = []
    print(f"API latency, {nt:,} merged transfers, {ne:,} evidence rows, {RUNS} runs each (ms):")
    print(f"  {'call':32} {'median':>8} {'worst':>8}  status")
    worst_all = 0
    for name, path in calls:
        timed(base + path)
        t = []
        code = 0
        for _ in range(RUNS):
            ms, code = timed(base + path)
            t.append(ms)
            time.sleep(0.21)  # under the rate of expensive queries (5/s)
        med, worst = statistics.median(t), max(t)
        worst_all = max(worst_all, med)
        res.append({"call": name, "path": path, "median_ms": round(med, 2), "worst_ms": round(worst, 2),
                    "status": code})
        print(f"  {name:32} {med:8.2f} {worst:8.2f}  {code}")
    ex = (base + "/api/export?format=csv&supplier=RUS")
    ms, code = timed(ex)
    print(f"  {'export csv supplier=RUS':32} {ms:8.2f} {'':8}  {code}")
    res.append({"call": "export csv supplier=RUS", "median_ms": round(ms, 2), "status": code})
    p.terminate()
    p.wait()
    out = {"transfers": nt, "evidence": ne, "runs": RUNS, "calls": res, "slowest_median_ms": round(worst_all, 2)}
    if merge_s is not None:
        out["merge_seconds"] = round(merge_s, 1)
    json.dump(out, open("build/bench-api.json", "w"), indent=1)
    if os.path.exists("build/bench.json"):
        b = json.load(open("build/bench.json"))
        b["api"] = out
        json.dump(b, open("build/bench.json", "w"), indent=1)
    print(f"slowest median: {worst_all:.1f} ms; written: build/bench-api.json")


main()
