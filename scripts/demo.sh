#!/usr/bin/env bash
# The README's first command runs this: build the web app and the server (each only when its sources
# changed), load the demo task force, start Lantern on the embedded SQLite database (in
# $LANTERN_DATA_DIR, default ./data). The demo's passwords are published in its accounts file, so it
# listens on 127.0.0.1 (this machine only) unless HOST says otherwise, logs only warnings and errors
# unless LANTERN_LOG_LEVEL says otherwise, and sets LANTERN_PUBLIC_URL to that address
# (server/demo/demo-start.ts). `lantern start` in production takes each of these from the environment
# as docs/operating.md gives them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-web.sh
scripts/build-server.sh
exec bin/lantern demo --start
