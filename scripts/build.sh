#!/usr/bin/env bash
# Builds e-Office in release mode: the browser part (wasm, size-tuned) and the server binary.
# Installs what is missing first (wasm target, wasm-bindgen CLI of the locked version, wasm-opt from
# npm, the wasm splitter in tools/).
# Drives the same steps as cargo-leptos directly, which saves installing it (about 20 minutes cold).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/env.sh
SITE=$EOFFICE_SITE_ROOT
T=$CARGO_TARGET_DIR
TOOLS_TARGET="$T/tools"
SPLIT_TOOL="$TOOLS_TARGET/release/eoffice-wasm-split"

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# 1. Toolchain pieces.
if ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
  log "Adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  log "Installing wasm-bindgen-cli $WB_VERSION (must equal the library version in Cargo.lock)"
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  log "Installing node packages (wasm-opt from npm binaryen; Debian's is too old)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi

# Cargo identifies this project's crates by their path inside the workspace, so two checkouts sharing
# one build cache would look up each other's results (and their source files) and could skip a needed
# rebuild. When the cache was last used by another checkout, rebuild this project's own crates;
# compiled dependencies are still reused.
STAMP="$T/.eoffice-checkout"
mkdir -p "$T"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" != "$ROOT" ]; then
  log "Build cache last used by $(cat "$STAMP"); rebuilding this checkout's crates"
  cargo clean --release -p domain -p backend -p app -p server >/dev/null 2>&1 || true
  cargo clean --profile wasm-release --target wasm32-unknown-unknown -p domain -p app >/dev/null 2>&1 || true
fi
echo "$ROOT" > "$STAMP"

# 2. Browser part: compiled with relocations kept (.cargo/config.toml), then split at the lazy
# routes into a main module and one chunk per page (plus chunks that pages share), as cargo-leptos
# `--split` does; wasm-bindgen keeps the exports the chunks link against.
log "Building the wasm splitter (tools/wasm-split)"
cargo build --locked --release --manifest-path tools/wasm-split/Cargo.toml --target-dir "$TOOLS_TARGET"
log "Building the browser app (wasm, profile wasm-release)"
cargo build --locked -p app --lib --target wasm32-unknown-unknown --profile wasm-release --no-default-features --features hydrate
STAGE="$T/wasm-stage"
rm -rf "$STAGE"
mkdir -p "$STAGE/out"
log "Splitting the wasm at the lazy routes"
"$SPLIT_TOOL" "$T/wasm32-unknown-unknown/wasm-release/app.wasm" "$STAGE/out" "$STAGE/app_split.wasm" eoffice
wasm-bindgen "$STAGE/app_split.wasm" --target web --no-typescript --keep-lld-exports --no-demangle \
  --out-dir "$STAGE/out" --out-name eoffice
log "Optimising the main module and every chunk for size (one wasm-opt per core)"
printf '%s\0' "$STAGE"/out/*.wasm | xargs -0 -P "$(nproc)" -I{} \
  "$ROOT/end2end/node_modules/.bin/wasm-opt" -Oz \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue \
  {} -o {}
cp style/main.css "$STAGE/out/style.css"

# One folder per build, named by the hash of everything in it: pkg/<hash>/ holds the script, the
# main module, the chunks with their loader and the stylesheet. A chunk only works with the main
# module it was split from, so they change names together; the server marks everything under such
# a name immutable and finds the current one in pkg/current-build. The two previous builds stay, so
# a page opened before a deployment can still load its chunks.
log "Naming the build by its content"
BUILD=$(cd "$STAGE/out" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
# A fresh machine has no site folder yet.
mkdir -p "$SITE/pkg"
find "$SITE/pkg" -maxdepth 1 -type f ! -name current-build -delete
rm -rf "$SITE/pkg/$BUILD" "$SITE/style.css"
mv "$STAGE/out" "$SITE/pkg/$BUILD"
log "Compressing the browser assets ahead (brotli and gzip)"
node scripts/precompress.mjs "$SITE/pkg/$BUILD"
echo "$BUILD" > "$SITE/pkg/current-build"
ls -dt "$SITE"/pkg/*/ | tail -n +4 | xargs -r rm -rf

# 3. Static files.
cp -r public/. "$SITE/"

# 4. Server.
log "Building the server (release)"
cargo build --locked --release -p server

log "Built: $EOFFICE_BIN and $SITE"
ls -l "$SITE/pkg/$BUILD"
