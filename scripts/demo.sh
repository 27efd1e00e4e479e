#!/usr/bin/env bash
# The README's first command runs this: build the web app, load the demo task force, start Lantern on
# the embedded SQLite database (in $LANTERN_DATA_DIR, default ./data).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-web.sh
bin/lantern demo
exec bin/lantern start
