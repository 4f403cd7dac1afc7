#!/bin/bash
# tests/cli/web.sh - `armscope serve` end to end: the command's options and
# failures, the JSON API (tests/web/api.mjs) and the real UI in headless
# Chromium (tests/web/ui.mjs, screenshots in $BUILD/screenshots).
# The database holds the bundled examples, an article with markup in its
# evidence (tests/web/xss.jsonl) and the dev corpus when ../shared is there.
# VALGRIND=1 runs the server under valgrind for the API tests (a leak or an
# error fails) and leaves the UI out.
set -u
BUILD=${BUILD:-build}
A=${ARMSCOPE:-$BUILD/armscope}
SHARED=${SHARED:-../shared}
T=$(mktemp -d "${TMPDIR:-/tmp}/armscope-web.XXXXXX")
pass=0; fail=0; pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
check() {
  if eval "$2" >/dev/null 2>&1; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; fi
}
# add_counts OUTPUT: adds the "N passed, N failed" line of a node test
add_counts() {
  local line p f
  line=$(printf '%s\n' "$1" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
  if [ -z "$line" ]; then
    printf '%s\n' "$1" | tail -n 15
    fail=$((fail + 1)); echo "FAIL $2: no result line"; return
  fi
  printf '%s\n' "$1" | grep '^not ok' | sed 's/^not ok/FAIL/'
  p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
  pass=$((pass + p)); fail=$((fail + f))
}
# start DB [ARGS...]: starts the server on a free port; sets pid and URL
start() {
  local db=$1; shift
  : > "$T/serve.log"
  if [ "${VALGRIND:-0}" = 1 ]; then
    valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
      "$A" serve -q --db "$db" --listen 127.0.0.1:0 "$@" 2>"$T/serve.log" &
  else
    "$A" serve -q --db "$db" --listen 127.0.0.1:0 "$@" 2>"$T/serve.log" &
  fi
  pid=$!
  for _ in $(seq 1 300); do
    URL=$(sed -n 's|.*serving .* on \(http://[^ ]*\)/ .*|\1|p' "$T/serve.log")
    [ -n "$URL" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$T/serve.log"; echo "FAIL the server did not start"; fail=$((fail + 1)); return 1
}
# stop: SIGTERM; the server must exit 0 (no leak report under ASan or valgrind)
stop() {
  kill -TERM "$pid"; wait "$pid"; local rc=$?; pid=
  return $rc
}

# --- the command ------------------------------------------------------------
check "serve --help" '"$A" serve --help | grep -q -- "--listen HOST:PORT"'
check "serve without --db is a usage error" '"$A" serve; [ $? -eq 2 ]'
check "a bad --listen is named" '"$A" serve --db x.db --listen "nonsense:port" 2>"$T/e"; [ $? -eq 2 ] && grep -q "listen" "$T/e"'
check "a missing database is named" '"$A" serve --db "$T/none.db" 2>"$T/e"; [ $? -eq 2 ] && grep -q "none.db" "$T/e"'

"$A" ingest -q --db "$T/w.db" examples/ tests/web/xss.jsonl
if [ -d "$SHARED/corpus/dev" ]; then
  "$A" ingest -q --db "$T/w.db" "$SHARED"/corpus/dev/*.jsonl
fi
check "the test database has transfers" '[ "$(sqlite3 "$T/w.db" "SELECT count(*) FROM transfers")" -gt 5 ]'

# --- the API ----------------------------------------------------------------
if start "$T/w.db"; then
  out=$(node tests/web/api.mjs --base "$URL" 2>&1)
  add_counts "$out" "api.mjs"
  check "a second server on the same port is refused" \
    '"$A" serve -q --db "$T/w.db" --listen "${URL#http://}" 2>"$T/e"; [ $? -eq 2 ] && grep -q "in use" "$T/e"'
  if [ "${VALGRIND:-0}" != 1 ]; then
    mkdir -p "$BUILD/screenshots"
    if [ ! -x /usr/bin/chromium ] || [ ! -d web/node_modules/playwright-core ]; then
      echo "FAIL ui.mjs: needs /usr/bin/chromium and web/node_modules (run scripts/install-deps, then make)"
      fail=$((fail + 1))
    else
      out=$(timeout 300 node tests/web/ui.mjs --base "$URL" --shots "$BUILD/screenshots" 2>&1)
      add_counts "$out" "ui.mjs"
    fi
  fi
  check "SIGTERM stops the server cleanly (exit 0, nothing leaked)" 'stop'
  [ "${VALGRIND:-0}" = 1 ] && grep -E "==[0-9]+==" "$T/serve.log" | head -n 20
fi

# --- read-only, and a database that is not one --------------------------------
cp "$T/w.db" "$T/ro.db"
sqlite3 "$T/ro.db" "INSERT INTO stale SELECT supplier, recipient, category FROM transfers LIMIT 3"
chmod 444 "$T/ro.db"
if start "$T/ro.db" --read-only; then
  check "--read-only serves a read-only file" 'node -e "fetch(process.argv[1]+\"/api/meta\").then(r=>process.exit(r.status===200?0:1))" "$URL"'
  check "--read-only: out-of-date transfers are left alone, with a warning" \
    'grep -q "out of date" "$T/serve.log" && [ "$(sqlite3 "$T/ro.db" "SELECT count(*) FROM stale")" = 3 ]'
  check "--read-only: stopped cleanly" 'stop'
fi
printf 'not a database' > "$T/junk.db"
check "a file that is not a database is named" '"$A" serve --read-only --db "$T/junk.db" 2>"$T/e"; [ $? -eq 2 ] && grep -q "junk.db" "$T/e"'
if [ "${VALGRIND:-0}" != 1 ]; then
  "$A" serve -q --db "$T/w.db" --listen 0.0.0.0:0 2>"$T/all.log" & p2=$!
  sleep 0.5
  check "listening on every interface warns" 'grep -q "warning: listening on 0.0.0.0" "$T/all.log"'
  kill -TERM "$p2"; wait "$p2"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
