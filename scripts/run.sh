#!/usr/bin/env bash
# Builds (release) and starts e-Office on http://127.0.0.1:3000 with the embedded SQLite database in ./data,
# created, migrated and seeded with the demo Pemda on first start. Extra arguments go to `eoffice serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
bash scripts/build.sh
exec "$EOFFICE_BIN" serve --demo --site-root "$EOFFICE_SITE_ROOT" "$@"
