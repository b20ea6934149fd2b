#!/usr/bin/env bash
# The server the browser tests talk to: the release binary on port 3100 (or $E2E_PORT, so two checkouts
# can run their browser tests at once) with a fresh database each run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
DATA=$(mktemp -d /tmp/eoffice-e2e.XXXXXX)
trap 'rm -rf "$DATA"' EXIT
# E-mail goes to the SMTP server a test starts on the port 40 above (nothing listens there otherwise,
# and a digest then waits for the next run).
PORT=${E2E_PORT:-3100}
"$EOFFICE_BIN" serve --addr "127.0.0.1:$PORT" --data "$DATA" --site-root "$EOFFICE_SITE_ROOT" --demo \
  --smtp-url "smtp://127.0.0.1:$((PORT + 40))" --mail-from "e-Office Bojonegoro <eoffice@bojonegorokab.go.id>"
