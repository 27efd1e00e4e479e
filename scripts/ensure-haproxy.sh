#!/usr/bin/env bash
# The cluster (scripts/cluster.sh, `npm run test:cluster`) puts Debian's HAProxy in front of the Lantern
# processes. Installs it with apt when missing, like scripts/ensure-chromium.sh installs Chromium.
set -euo pipefail
if command -v haproxy >/dev/null 2>&1; then exit 0; fi
# shellcheck source=scripts/lib/apt-install.sh
. "$(dirname "$0")/lib/apt-install.sh"
# Only the binary is wanted: the package's own service is never started (policy-rc.d may refuse it).
apt_install HAProxy --no-install-recommends haproxy
haproxy -v | head -1
