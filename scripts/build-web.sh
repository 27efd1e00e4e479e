#!/usr/bin/env bash
# Builds the web app into web/dist when its sources changed since the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=web/dist/.source-hash
hash=$( (find web/src web/index.html web/vite.config.ts common -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum; sha256sum package-lock.json) | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  echo "web app: up to date"
  exit 0
fi
echo "web app: building"
npx vite build --config web/vite.config.ts --logLevel warn
echo "$hash" > "$stamp"
