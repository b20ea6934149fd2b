#!/usr/bin/env bash
# Load test of the letter lists at scale (issue target: p99 under 20 ms for a page of 50 with
# 50 concurrent clients, SQLite, 10,000 employees and 1,000,000 letters).
#
# Generates the data with `eoffice-scale` (crate scale/, built here) into a fresh folder, starts
# the release server on 127.0.0.1:3200, logs in as the Kepala Dinas Kominfo and as a Kasi of the demo, checks that the
# "Perlu Paraf" list and the Kotak Masuk answer 200 with items, then measures both server functions
# with wrk (50 connections, 2 threads, 30 s) and prints p50/p90/p99 and requests/s.
# wrk keeps every connection busy (no think time), so by Little's law the p50 is about
# connections / throughput: p99 under 20 ms with 50 connections needs roughly 2,500 requests/s.
# Its timeout is raised to 10 s so slow answers count in the percentiles instead of being dropped.
#
# Settings (environment):
#   EOFFICE_BENCH_DATA       keep the generated database in this folder and reuse it on the next run
#                            (generation takes minutes); default: a temporary folder, removed at exit
#   EOFFICE_BENCH_EMPLOYEES  default 10000
#   EOFFICE_BENCH_LETTERS    default 1000000
#   EOFFICE_BENCH_DURATION   wrk duration, default 30s
#   EOFFICE_BENCH_CONNS      default 50;  EOFFICE_BENCH_THREADS default 1 (one wrk thread drives 50
#                            connections easily and leaves more of a 2-core machine to the server)
#   EOFFICE_BENCH_ACCEPT_ENCODING  sent as Accept-Encoding, e.g. "gzip, deflate, br, zstd" as a browser
#                            does (the answers are then compressed on the fly); default: none
#   EOFFICE_DB_POOL          passed to the server: connections in its pool (default 8)
#   EOFFICE_BENCH_PORT       default 3200
#   EOFFICE_BENCH_DB         "sqlite" (default) or "postgres": PostgreSQL in a fresh database on the
#                            server scripts/ensure-postgres.sh starts (EOFFICE_TEST_PG, default
#                            postgres://postgres@127.0.0.1:5432/postgres), dropped at exit
#   EOFFICE_BENCH_DATABASE_URL  PostgreSQL database to generate into, or reuse when it has data
#   EOFFICE_BENCH_ACTIVITIES activities per employee in the generated month of e-Kinerja data (the
#                            current month, for the dashboard), default 200; 0 for none
#
# After the lists it measures the leaders' dashboard (issue targets: under 300 ms for the whole
# regency as the Sekda, under 100 ms for one OPD as its head), one connection at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

PORT=${EOFFICE_BENCH_PORT:-3200}
ADDR=127.0.0.1:$PORT
BASE=http://$ADDR
EMPLOYEES=${EOFFICE_BENCH_EMPLOYEES:-10000}
LETTERS=${EOFFICE_BENCH_LETTERS:-1000000}
DURATION=${EOFFICE_BENCH_DURATION:-30s}
CONNS=${EOFFICE_BENCH_CONNS:-50}
THREADS=${EOFFICE_BENCH_THREADS:-1}
PASSWORD=eoffice2026
ACCOUNTS=(
  "Kepala Dinas|bambang.sutrisno@bojonegorokab.go.id"
  "Kepala Seksi|eko.saputro@bojonegorokab.go.id"
)
TARGET_P99_MS=20
DASHBOARDS=(
  "Sekda (regency)|nurul.azizah@bojonegorokab.go.id|300"
  "Kepala Dinas (OPD)|bambang.sutrisno@bojonegorokab.go.id|100"
)
ACTIVITIES=${EOFFICE_BENCH_ACTIVITIES:-200}
DB_KIND=${EOFFICE_BENCH_DB:-sqlite}
PG_URL=${EOFFICE_BENCH_DATABASE_URL:-}
[[ -n $PG_URL ]] && DB_KIND=postgres

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() {
  printf 'bench: %s\n' "$*" >&2
  if [[ -s ${WORK:-}/server.log ]]; then echo "--- last lines of the server log:" >&2; tail -n 20 "$WORK/server.log" >&2; fi
  exit 1
}

# --- Tools -------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  log "Installing wrk (apt)"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
command -v curl >/dev/null || die "curl is required"
if command -v jq >/dev/null; then
  count_items() { jq -r '"\(.items | length) \(.total)"'; }
else
  count_items() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["items"]), d["total"])'; }
fi
if [[ ! -x "$EOFFICE_BIN" ]]; then
  log "No release binary at $EOFFICE_BIN; building it"
  bash scripts/build.sh
fi

# --- Data and server ---------------------------------------------------------------------------
WORK=$(mktemp -d /tmp/eoffice-bench.XXXXXX)
if [[ -n "${EOFFICE_BENCH_DATA:-}" ]]; then
  DATA=$EOFFICE_BENCH_DATA
  mkdir -p "$DATA"
else
  DATA=$WORK/data
fi
SERVER_PID=""
PG_DROP=""
PG_ADMIN=${EOFFICE_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -n $PG_DROP ]]; then psql "$PG_ADMIN" -q -c "DROP DATABASE IF EXISTS $PG_DROP WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if curl -s -o /dev/null "$BASE/healthz"; then
  die "something already listens on $ADDR; stop it or set EOFFICE_BENCH_PORT"
fi

KINERJA_ARGS=()
if [[ $ACTIVITIES -gt 0 ]]; then KINERJA_ARGS=(--kinerja-month "$(TZ=Asia/Jakarta date +%Y-%m)" --activities "$ACTIVITIES"); fi
generate() {
  log "Generating $EMPLOYEES employees and $LETTERS letters${KINERJA_ARGS:+, a month of e-Kinerja data ($ACTIVITIES activities each)} ($DB_KIND)"
  cargo build --locked --release -p eoffice-scale
  start=$(date +%s.%N)
  "$CARGO_TARGET_DIR/release/eoffice-scale" --employees "$EMPLOYEES" --letters "$LETTERS" --data "$DATA" "${KINERJA_ARGS[@]}"
  GEN_SECONDS=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
}
if [[ $DB_KIND == postgres ]]; then
  bash scripts/ensure-postgres.sh
  if [[ -z $PG_URL ]]; then
    PG_DROP="eoffice_bench_$$"
    psql "$PG_ADMIN" -q -c "CREATE DATABASE $PG_DROP" || die "cannot create database $PG_DROP"
    PG_URL="${PG_ADMIN%/*}/$PG_DROP"
  fi
  export DATABASE_URL=$PG_URL
  if [[ $(psql "$PG_URL" -tAc "SELECT COUNT(*) FROM pemda" 2>/dev/null || echo 0) -gt 0 ]]; then
    log "Reusing the generated database $PG_URL"
    GEN_SECONDS="(reused)"
  else
    generate
  fi
  DB_SIZE=$(psql "$PG_URL" -tAc "SELECT pg_size_pretty(pg_database_size(current_database()))")
  log "Database: PostgreSQL $DB_SIZE at $PG_URL (generation: ${GEN_SECONDS} s)"
else
  if [[ -f "$DATA/eoffice.db" ]]; then
    log "Reusing the generated database in $DATA"
    GEN_SECONDS="(reused)"
  else
    generate
  fi
  DB_SIZE=$(du -sh "$DATA" | cut -f1)
  log "Database: $DB_SIZE in $DATA (generation: ${GEN_SECONDS} s)"
fi

# The load generator shares the machine with the server: other work running now skews every figure.
log "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

log "Starting the server on $ADDR"
"$EOFFICE_BIN" serve --data "$DATA" --addr "$ADDR" --site-root "$EOFFICE_SITE_ROOT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  if curl -s -o /dev/null "$BASE/healthz"; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; die "the server exited"; }
  sleep 0.5
done
curl -s -o /dev/null "$BASE/healthz" || die "the server did not come up"

# --- wrk script --------------------------------------------------------------------------------
# A server function call is a form-encoded POST; the Origin must match the host (CSRF check).
cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")
wrk.headers["Cookie"] = "eoffice_sesi=" .. os.getenv("BENCH_COOKIE")
local ae = os.getenv("BENCH_ACCEPT_ENCODING")
if ae and ae ~= "" then wrk.headers["Accept-Encoding"] = ae end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("RESULT %d %.1f %.2f %.2f %.2f %.2f %d %d\n",
    summary.requests, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
LUA

login() {
  local email=$1 headers=$WORK/login.headers code
  code=$(curl -s -o /dev/null -D "$headers" -w '%{http_code}' -H "Origin: $BASE" \
    --data-urlencode "identifier=$email" --data-urlencode "password=$PASSWORD" "$BASE/api/login")
  [[ $code == 200 ]] || die "login as $email answered $code"
  sed -n 's/^[Ss]et-[Cc]ookie: eoffice_sesi=\([^;]*\).*/\1/p' "$headers" | tr -d '\r' | head -1
}

# One call with curl: must answer 200 with a non-empty page.
check() {
  local name=$1 path=$2 body=$3 cookie=$4 out=$WORK/check.json code counts
  code=$(curl -s -o "$out" -w '%{http_code}' -H "Origin: $BASE" -H "Cookie: eoffice_sesi=$cookie" \
    -H 'Content-Type: application/x-www-form-urlencoded' --data "$body" "$BASE$path")
  [[ $code == 200 ]] || { head -c 400 "$out" >&2; echo >&2; die "$name answered $code"; }
  counts=$(count_items <"$out")
  [[ ${counts%% *} -gt 0 ]] || die "$name returned no items"
  printf '   %-34s 200, %s items on page 1 of %s in total\n' "$name" "${counts%% *}" "${counts##* }"
}

measure() {
  local path=$1 body=$2 cookie=$3
  BENCH_BODY=$body BENCH_ORIGIN=$BASE BENCH_COOKIE=$cookie BENCH_ACCEPT_ENCODING=${EOFFICE_BENCH_ACCEPT_ENCODING:-} \
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 10s --latency -s "$WORK/post.lua" "$BASE$path" >"$WORK/wrk.out"
  sed -n '/Latency Distribution/,/^RESULT/p' "$WORK/wrk.out" | grep -v '^RESULT' >&2 || true
  grep '^RESULT' "$WORK/wrk.out"
}

LIST_BODY='tab=perlu-paraf&q=&kind=&sifat=&from=&to=&page=1'
INBOX_BODY='q=&unread_only=false&page=1'
SUMMARY=()
FAILED=0
for entry in "${ACCOUNTS[@]}"; do
  role=${entry%%|*}
  email=${entry##*|}
  log "$role ($email)"
  cookie=$(login "$email")
  [[ -n $cookie ]] || die "no session cookie for $email"
  check "list_letters (Perlu Paraf)" /api/list_letters "$LIST_BODY" "$cookie"
  check "inbox (Kotak Masuk)" /api/inbox "$INBOX_BODY" "$cookie"
  for ep in "list_letters|$LIST_BODY|Perlu Paraf" "inbox|$INBOX_BODY|Kotak Masuk"; do
    IFS='|' read -r fn body label <<<"$ep"
    log "wrk: $fn ($label) as $role: $CONNS connections, $THREADS threads, $DURATION"
    read -r _ reqs rps p50 p90 p99 max non2xx sockerr <<<"$(measure "/api/$fn" "$body" "$cookie")"
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited during the $fn run"
    verdict=ok
    if awk -v p="$p99" -v t="$TARGET_P99_MS" 'BEGIN { exit !(p >= t) }'; then verdict="ABOVE ${TARGET_P99_MS} ms"; FAILED=1; fi
    if [[ $non2xx != 0 || $sockerr != 0 ]]; then verdict="$verdict, $non2xx non-2xx, $sockerr socket errors"; FAILED=1; fi
    SUMMARY+=("$(printf '%-13s %-12s %9s %9s %9s %9s %9s  %s' "$role" "$fn" "$p50" "$p90" "$p99" "$max" "$rps" "$verdict")")
  done
done

# --- Leaders' dashboard ------------------------------------------------------------------------
# One connection: the latency is the time to build one dashboard.
DASH_BODY='opd=&unit=&tingkat='
for entry in "${DASHBOARDS[@]}"; do
  IFS='|' read -r role email target <<<"$entry"
  log "$role ($email): get_dashboard"
  cookie=$(login "$email")
  [[ -n $cookie ]] || die "no session cookie for $email"
  code=$(curl -s -o "$WORK/dash.json" -w '%{http_code}' -H "Origin: $BASE" -H "Cookie: eoffice_sesi=$cookie" \
    -H 'Content-Type: application/x-www-form-urlencoded' --data "$DASH_BODY" "$BASE/api/get_dashboard")
  [[ $code == 200 ]] || { head -c 400 "$WORK/dash.json" >&2; echo >&2; die "get_dashboard as $role answered $code"; }
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("   %s: %d waiting, %d overdue, %d people, %d usage rows" % (d["title"], d["waiting_total"], d["overdue_total"], len(d["people"]), len(d["usage"])))' "$WORK/dash.json"
  read -r _ reqs rps p50 p90 p99 max non2xx sockerr <<<"$(CONNS=1 THREADS=1 DURATION=${EOFFICE_BENCH_DASH_DURATION:-20s} measure /api/get_dashboard "$DASH_BODY" "$cookie")"
  verdict=ok
  if awk -v p="$p50" -v t="$target" 'BEGIN { exit !(p >= t) }'; then verdict="ABOVE ${target} ms"; FAILED=1; fi
  if [[ $non2xx != 0 || $sockerr != 0 ]]; then verdict="$verdict, $non2xx non-2xx, $sockerr socket errors"; FAILED=1; fi
  SUMMARY+=("$(printf '%-13s %-12s %9s %9s %9s %9s %9s  %s' "${role%% *}" "dashboard" "$p50" "$p90" "$p99" "$max" "$rps" "$verdict (p50 < $target ms)")")
done

if [[ $GEN_SECONDS == "(reused)" ]]; then DATASET="reused database"; else DATASET="$LETTERS letters, $EMPLOYEES employees, generated in ${GEN_SECONDS} s"; fi
DATASET="$DATASET, $DB_KIND"
log "Summary ($DATASET, DB $DB_SIZE; latencies in ms, $CONNS connections, Accept-Encoding: ${EOFFICE_BENCH_ACCEPT_ENCODING:-none}; load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-13s %-12s %9s %9s %9s %9s %9s  %s\n' account endpoint p50 p90 p99 max req/s "p99 < ${TARGET_P99_MS} ms"
printf '%s\n' "${SUMMARY[@]}"
exit $FAILED
