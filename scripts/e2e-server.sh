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
# A scheduled backup is taken at start (the Admin Pemda's page shows it).
"$EOFFICE_BIN" serve --addr "127.0.0.1:$PORT" --data "$DATA" --site-root "$EOFFICE_SITE_ROOT" --demo \
  --backup-every 24h --backup-keep 3 --backup-dir "$DATA/backups" \
  --smtp-url "smtp://127.0.0.1:$((PORT + 40))" --mail-from "e-Office Bojonegoro <eoffice@bojonegorokab.go.id>"
