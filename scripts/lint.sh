#!/usr/bin/env bash
# The house style, checked before the long tests: rustfmt (rustfmt.toml), leptosfmt for the view!
# macros (leptosfmt.toml), and clippy with warnings as errors on every target, for both sides of
# the app crate (ssr on the server, hydrate in the browser). `--fix` formats instead of checking.
# Clippy runs in the release profiles the build uses, so proc macros and build scripts are
# compiled once for both.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

LEPTOSFMT_VERSION=0.1.33
if [ "$(leptosfmt --version 2>/dev/null | awk '{print $2}')" != "$LEPTOSFMT_VERSION" ]; then
  log "Installing leptosfmt $LEPTOSFMT_VERSION"
  cargo install leptosfmt --version "$LEPTOSFMT_VERSION" --locked
fi
if ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

if [ "${1:-}" = "--fix" ]; then
  leptosfmt --quiet app/src
  cargo fmt --all
  exit 0
fi

log "Formatting (rustfmt, leptosfmt)"
if ! cargo fmt --all --check >/dev/null || ! leptosfmt --check --quiet app/src >/dev/null; then
  cargo fmt --all --check || true
  leptosfmt --check app/src || true
  echo "Unformatted code: run 'bash scripts/lint.sh --fix'." >&2
  exit 1
fi

log "Clippy (server side, every target)"
cargo clippy --locked --release --workspace --all-targets --features app/ssr -- -D warnings
log "Clippy (browser side)"
cargo clippy --locked --profile wasm-release -p app --lib --target wasm32-unknown-unknown \
  --no-default-features --features hydrate -- -D warnings
