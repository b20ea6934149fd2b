#!/usr/bin/env bash
# Installs the external PDF signature validators used by tte/tests/integration/validators.rs:
#   - pdfsig   (poppler-utils)
#   - certutil (libnss3-tools), to give pdfsig a trust store
#   - zbarimg  (zbar-tools), to read the QR code of a rendered page (backend/tests/tte.rs)
#   - pyHanko  (in a Python venv at ${TTE_VENV:-$HOME/.cache/eoffice/venv})
#   - aiosmtpd (in the same venv), the SMTP server the e-mail digest tests send to
# Idempotent: each step is skipped when the tool is already there.
# Afterwards the tests find pyHanko through $TTE_PYHANKO or at $TTE_VENV/bin/pyhanko.
set -euo pipefail

VENV="${TTE_VENV:-$HOME/.cache/eoffice/venv}"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

apt_pkgs=()
if ! command -v pdfsig >/dev/null 2>&1; then apt_pkgs+=(poppler-utils); fi
if ! command -v certutil >/dev/null 2>&1; then apt_pkgs+=(libnss3-tools); fi
if ! command -v zbarimg >/dev/null 2>&1; then apt_pkgs+=(zbar-tools); fi
if ! command -v pdftoppm >/dev/null 2>&1; then apt_pkgs+=(poppler-utils); fi
if [ "${#apt_pkgs[@]}" -gt 0 ]; then
  echo "install-validators: apt-get install ${apt_pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_pkgs[@]}"
else
  echo "install-validators: pdfsig, certutil, zbarimg and pdftoppm already installed"
fi

if [ -x "$VENV/bin/pyhanko" ]; then
  echo "install-validators: pyHanko already in $VENV"
else
  echo "install-validators: creating venv $VENV and installing pyHanko + pyhanko-cli"
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q "pyHanko==0.38.0" "pyhanko-cli==0.6.0"
fi
if "$VENV/bin/python" -c "import aiosmtpd" 2>/dev/null; then
  echo "install-validators: aiosmtpd already in $VENV"
else
  echo "install-validators: installing aiosmtpd in $VENV"
  "$VENV/bin/pip" install -q "aiosmtpd==1.4.6"
fi
echo "install-validators: pdfsig: $(command -v pdfsig)"
pdfsig -v 2>&1 | head -1 || true
echo "install-validators: pyhanko: $VENV/bin/pyhanko"
"$VENV/bin/pyhanko" --version 2>&1 | head -1 || true
