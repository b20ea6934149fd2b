#!/usr/bin/env bash
# Runs every test: unit tests, store tests on SQLite and PostgreSQL, and browser tests in Chromium
# (phone and desktop viewports). Installs and starts what the tests need first.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
start=$(date +%s)
LOG=$(mktemp /tmp/eoffice-test.XXXXXX)
trap 'rm -f "$LOG"' EXIT
bash scripts/ensure-postgres.sh
bash scripts/e2e-deps.sh
# pdfsig, certutil and pyHanko: the independent validators the signature tests run.
bash tte/scripts/install-validators.sh
export TTE_REQUIRE_VALIDATORS=1
# House style first: unformatted code or a clippy warning fails here, before the long tests.
bash scripts/lint.sh
bash scripts/build.sh
echo "==> Unit and store tests (SQLite and PostgreSQL)"
# The app crate has no unit tests of its own; skipping its test harness saves a release compile.
cargo test --locked --release -p domain -p backend -p server -p tte -p eoffice-scale --lib --bins --tests 2>&1 | tee -a "$LOG"
echo "==> Operations tests (SIGKILL under load on SQLite and PostgreSQL; two copies behind nginx)"
bash scripts/ops-tests.sh 2>&1 | tee -a "$LOG"
echo "==> Browser tests (Chromium, phone and desktop)"
(cd end2end && npx playwright test) 2>&1 | tee -a "$LOG"
rust=$(awk '/^test result: ok\./ { s += $4 } END { print s + 0 }' "$LOG")
ops=$(grep -c '^crash test (.*lost 0;' "$LOG" || true)
browser=$(awk '/^ +[0-9]+ passed/ { n = $1 } END { print n + 0 }' "$LOG")
echo "==> Rust tests: $rust passed; operations tests: $ops passed; browser tests: $browser passed; $(( $(date +%s) - start ))s in all"
echo "$(( rust + ops + browser )) passed, 0 failed"
