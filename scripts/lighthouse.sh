#!/usr/bin/env bash
# First-load audit of a running e-Office with Lighthouse 12 (mobile, devtools throttling: real
# network and CPU throttling, which waits for the wasm, unlike the default simulation).
#
# Usage: scripts/lighthouse.sh [BASE_URL]   (default http://127.0.0.1:3000, e.g. after scripts/run.sh)
# Audits the login page, the Kotak Masuk and the compose page (logged in as demo users) and
# prints, per page: performance score, first contentful paint, largest contentful paint, time to
# interactive, total blocking time and the bytes transferred. Reports land in
# ~/.cache/eoffice/lighthouse/. Lighthouse itself is installed there on first use (npm), never
# into the project.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:-http://127.0.0.1:3000}
DIR=$HOME/.cache/eoffice/lighthouse
PASSWORD=${EOFFICE_DEMO_PASSWORD:-eoffice2026}
mkdir -p "$DIR"
[ -x /usr/bin/chromium ] || bash scripts/e2e-deps.sh
export CHROME_PATH=/usr/bin/chromium
if [ ! -x "$DIR/node_modules/.bin/lighthouse" ]; then
  echo "Installing Lighthouse 12.2.3 into $DIR"
  npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error lighthouse@12.2.3 >/dev/null
fi

login() {
  curl -s -o /dev/null -D - -H "Origin: $BASE" --data-urlencode "identifier=$1" \
    --data-urlencode "password=$PASSWORD" "$BASE/api/login" |
    sed -n 's/^[Ss]et-[Cc]ookie: eoffice_sesi=\([^;]*\).*/\1/p' | tr -d '\r' | head -1
}

audit() {
  local name=$1 path=$2 cookie=${3:-} headers='{}'
  [ -n "$cookie" ] && headers="{\"Cookie\":\"eoffice_sesi=$cookie\"}"
  "$DIR/node_modules/.bin/lighthouse" "$BASE$path" --quiet --only-categories=performance \
    --form-factor=mobile --throttling-method=devtools --extra-headers="$headers" \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --disable-quic --no-first-run" \
    --output=json --output-path="$DIR/$name.json" >/dev/null 2>"$DIR/$name.log" || {
      echo "$name: lighthouse failed, see $DIR/$name.log"; return 0; }
  node -e '
    const r = require(process.argv[1]);
    const a = r.audits, s = (v) => (v / 1000).toFixed(2) + " s", ms = (k) => s(a[k].numericValue);
    const bytes = a["total-byte-weight"].numericValue;
    // Lighthouse counts a page interactive when its main thread is quiet, which happens before
    // the wasm (fetched, not parsed as script) has arrived. What a user waits for is the wasm:
    // "wasm" is when the last of it arrived, "hydrated" the app'"'"'s own mark once it answers clicks.
    const reqs = a["network-requests"].details.items;
    const wasm = Math.max(...reqs.filter((q) => q.url.endsWith(".wasm")).map((q) => q.networkEndTime));
    const mark = (a["user-timings"].details?.items ?? []).find((u) => u.name === "eoffice-hydrated");
    console.log(`${process.argv[2].padEnd(11)} score ${Math.round(r.categories.performance.score * 100)}  ` +
      `FCP ${ms("first-contentful-paint")}  LCP ${ms("largest-contentful-paint")}  ` +
      `TTI ${ms("interactive")}  TBT ${ms("total-blocking-time")}  wasm ${s(wasm)}  ` +
      `hydrated ${mark ? s(mark.startTime) : "-"}  transferred ${Math.round(bytes / 1024)} KB`);
' "$DIR/$name.json" "$name"
}

audit login /masuk
audit kotak-masuk /kotak-masuk "$(login bambang.sutrisno@bojonegorokab.go.id)"
audit compose /surat-keluar/baru "$(login putri.ayu@bojonegorokab.go.id)"
