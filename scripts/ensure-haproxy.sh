#!/usr/bin/env bash
# The cluster (scripts/cluster.sh, `npm run test:cluster`) puts Debian's HAProxy in front of the Lantern
# processes. Installs it with apt when missing, like scripts/ensure-chromium.sh installs Chromium.
set -euo pipefail
if command -v haproxy >/dev/null 2>&1; then exit 0; fi
echo "HAProxy: not installed; installing Debian's package with apt-get"
as_root=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then as_root="sudo"; else
    echo "HAProxy is missing and this user cannot install it: run 'apt-get install haproxy' as root." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -qq
# Only the binary is wanted: the package's own service is never started (policy-rc.d may refuse it).
$as_root apt-get install -y -qq --no-install-recommends haproxy >/dev/null
haproxy -v | head -1
