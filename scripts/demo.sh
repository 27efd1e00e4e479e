#!/usr/bin/env bash
# The README's first command runs this: build the web app, load the demo task force, start Lantern on
# the embedded SQLite database (in $LANTERN_DATA_DIR, default ./data).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-web.sh
bin/lantern demo
# `lantern start` requires the public address (links in the public feeds are built from it); the demo
# runs on this machine.
export LANTERN_PUBLIC_URL="${LANTERN_PUBLIC_URL:-http://localhost:${PORT:-3000}}"
exec bin/lantern start
