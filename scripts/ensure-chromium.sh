#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (never a downloaded browser). Installs it with apt when
# missing, with poppler-utils for looking at rendered PDFs.
#
# Two binaries of the same Debian build: `chromium-headless-shell` runs the tests, `chromium` is the
# full browser (e2e/support/env.ts chooses, LANTERN_E2E_CHROMIUM overrides). Since Chromium 132 the full
# browser's --headless is the whole desktop browser without a window: measured on these two-core
# machines, a fresh page costs it 1.0–1.4 s of CPU against 0.35–0.5 s for the shell, and an idle page
# 4–9 % of a core against 0.2 %. The browser is most of the suite's CPU, so the shell halves its time.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromium-headless-shell ] || missing+=(chromium-headless-shell)
# The PDF tests (printouts, letters, press releases) read what they render with poppler's pdftotext.
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
# shellcheck source=scripts/lib/apt-install.sh
. "$(dirname "$0")/lib/apt-install.sh"
apt_install "${missing[*]}" chromium chromium-headless-shell poppler-utils fonts-dejavu-core
/usr/bin/chromium --version
