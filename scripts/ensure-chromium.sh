#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (never a downloaded browser). Installs it with apt when
# missing, with poppler-utils for looking at rendered PDFs.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "Chromium: not installed; installing Debian's chromium with apt-get"
as_root=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then as_root="sudo"; else
    echo "Chromium is missing and this user cannot install it: run 'apt-get install chromium' as root." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -qq
$as_root apt-get install -y -qq chromium poppler-utils fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
