#!/usr/bin/env bash
# Runs every test: unit tests, store tests on SQLite and PostgreSQL, and browser tests in Chromium
# (phone and desktop viewports). Installs and starts what the tests need first.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
start=$(date +%s)
bash scripts/ensure-postgres.sh
bash scripts/e2e-deps.sh
bash scripts/build.sh
echo "==> Unit and store tests (SQLite and PostgreSQL)"
# The app crate has no unit tests of its own; skipping its test harness saves a release compile.
cargo test --locked --release -p domain -p backend -p server
echo "==> Browser tests (Chromium, phone and desktop)"
(cd end2end && npx playwright test)
echo "==> All tests passed in $(( $(date +%s) - start ))s"
