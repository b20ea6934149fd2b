#!/usr/bin/env bash
# The operations tests that need the built server as a process: acknowledged writes survive
# SIGKILL (20 kills each on SQLite and on PostgreSQL), and two copies behind nginx on one
# PostgreSQL database lose and duplicate nothing while one of them is killed and restarted.
# scripts/test.sh runs this after the Rust tests; each run prints its figures.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
bash scripts/ops-deps.sh
PORT=${EOFFICE_CRASH_PORT:-3250}
python3 scripts/crash-test.py --db sqlite --kills 20 --port "$PORT"
python3 scripts/crash-test.py --db postgres --kills 20 --port "$PORT"
python3 scripts/crash-test.py --db postgres --copies 2 --kills 10 --port "$PORT"
