#!/usr/bin/env bash
# Browser tests: Playwright drives Debian's Chromium against a real Lantern on a fresh demo database.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
scripts/ensure-chromium.sh
scripts/build-web.sh
scripts/build-server.sh
exec npx playwright test --config e2e/playwright.config.ts "$@"
