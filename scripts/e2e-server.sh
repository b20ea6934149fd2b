#!/usr/bin/env bash
# The server the browser tests talk to: the release binary on port 3100 (or $E2E_PORT, so two checkouts
# can run their browser tests at once) with a fresh database each run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
DATA=$(mktemp -d /tmp/eoffice-e2e.XXXXXX)
trap 'rm -rf "$DATA"' EXIT
"$EOFFICE_BIN" serve --addr "127.0.0.1:${E2E_PORT:-3100}" --data "$DATA" --site-root "$EOFFICE_SITE_ROOT" --demo
