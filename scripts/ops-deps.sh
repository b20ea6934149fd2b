#!/usr/bin/env bash
# Installs what the operations tests need, if missing: nginx from Debian (the reverse proxy in
# front of several server copies; the package's own service is not started). Silent when present.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]]; then
  exit 0
fi
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "ops-deps: installing nginx (apt)" >&2
# Keep the package from starting its default site on port 80 while it installs.
policy=/usr/sbin/policy-rc.d
created=""
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee $policy >/dev/null
  $SUDO chmod +x $policy
  created=1
fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
if [[ -n $created ]]; then $SUDO rm -f $policy; fi
