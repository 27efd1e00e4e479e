#!/usr/bin/env bash
# The whole test suite, as the README gives it and CI runs it: lint, type check, unit and integration
# tests on SQLite and PostgreSQL, the web build, then the browser tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n\033[1m== %s\033[0m (%ss)\n' "$1" "$(( $(date +%s) - start ))"; }

step "lint"
npx eslint . --max-warnings 0
step "layering (dependency-cruiser: no import cycles, modules through services)"
npm run --silent layering
step "type check"
npx tsc -p tsconfig.json --noEmit
step "PostgreSQL"
scripts/ensure-postgres.sh
step "unit and integration tests (SQLite and PostgreSQL)"
npx vitest run
step "web build"
scripts/build-web.sh
step "Chromium"
scripts/ensure-chromium.sh
step "browser tests"
scripts/e2e.sh
step "all tests passed"
