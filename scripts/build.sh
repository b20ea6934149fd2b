#!/usr/bin/env bash
# Builds e-Office in release mode: the browser part (wasm, size-tuned) and the server binary.
# Installs what is missing first (wasm target, wasm-bindgen CLI of the locked version, wasm-opt from npm).
# Drives the same steps as cargo-leptos directly, which saves installing it (about 20 minutes cold).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
. scripts/env.sh
SITE=$EOFFICE_SITE_ROOT
T=$CARGO_TARGET_DIR

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

# 2. Browser part.
log "Building the browser app (wasm, profile wasm-release)"
cargo build --locked -p app --lib --target wasm32-unknown-unknown --profile wasm-release --no-default-features --features hydrate
mkdir -p "$SITE/pkg"
wasm-bindgen "$T/wasm32-unknown-unknown/wasm-release/app.wasm" --target web --no-typescript --out-dir "$SITE/pkg" --out-name eoffice
log "Optimising the wasm for size"
"$ROOT/end2end/node_modules/.bin/wasm-opt" -Oz \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
  --enable-reference-types --enable-multivalue \
  "$SITE/pkg/eoffice_bg.wasm" -o "$SITE/pkg/eoffice_bg.wasm"

# Names that change with the content, so browsers may keep each file for a year (the server marks
# them immutable) and a new build is fetched at once: eoffice.<hash>.js, eoffice.<hash>_bg.wasm (the
# names Leptos' hydration script derives from the output name) and style.<hash>.css. The server
# finds them by these patterns at start; earlier builds' files are removed.
log "Naming the browser assets by their content"
find "$SITE/pkg" -maxdepth 1 -regextype posix-extended \
  -regex '.*/(eoffice\.[0-9a-f]{16}(\.js|_bg\.wasm)|style\.[0-9a-f]{16}\.css)(\.br|\.gz)?' -delete
rm -f "$SITE/pkg"/*.br "$SITE/pkg"/*.gz "$SITE/style.css"
HASH=$(cat "$SITE/pkg/eoffice.js" "$SITE/pkg/eoffice_bg.wasm" | sha256sum | cut -c1-16)
mv "$SITE/pkg/eoffice.js" "$SITE/pkg/eoffice.$HASH.js"
mv "$SITE/pkg/eoffice_bg.wasm" "$SITE/pkg/eoffice.${HASH}_bg.wasm"
CSS_HASH=$(sha256sum style/main.css | cut -c1-16)
cp style/main.css "$SITE/pkg/style.$CSS_HASH.css"

log "Compressing the browser assets ahead (brotli and gzip)"
node scripts/precompress.mjs "$SITE/pkg"

# 3. Static files.
cp -r public/. "$SITE/"

# 4. Server.
log "Building the server (release)"
cargo build --locked --release -p server

log "Built: $EOFFICE_BIN and $SITE"
ls -l "$SITE/pkg"
