# Shared settings for the project's scripts (sourced, not run).
# Build output lives outside the clone so fresh clones (CI) reuse compiled dependencies when the
# machine has them; a cold machine simply builds everything.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/eoffice/target}"
export EOFFICE_SITE_ROOT="${EOFFICE_SITE_ROOT:-$CARGO_TARGET_DIR/site}"
export EOFFICE_BIN="$CARGO_TARGET_DIR/release/eoffice"
export PATH="$HOME/.cargo/bin:$PATH"
