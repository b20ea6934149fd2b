#!/usr/bin/env bash
# Installs what the browser tests (end2end/) need, if missing:
#   - Debian packages: chromium (the test browser), poppler-utils (PDF checks)
#   - end2end/node_modules via `npm ci` (Playwright + binaryen's wasm-opt)
# Idempotent and silent when everything is already present. Never downloads
# Playwright's own browsers.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# --- Debian packages -------------------------------------------------------
missing=()
for pkg in chromium poppler-utils; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} > 0)); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  echo "e2e-deps: installing ${missing[*]} (apt)" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # Install the full set so both are present/up to date together.
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils
fi

# --- npm dependencies ------------------------------------------------------
E2E="$ROOT/end2end"
if [[ ! -d "$E2E/node_modules" || "$E2E/package-lock.json" -nt "$E2E/node_modules" ]]; then
  echo "e2e-deps: npm ci in end2end" >&2
  (
    cd "$E2E"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2
  )
  # npm ci recreates node_modules, but make sure its mtime is fresh so the
  # staleness check above is satisfied next time.
  touch "$E2E/node_modules"
fi
