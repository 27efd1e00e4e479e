#!/usr/bin/env bash
# Compiles the server (server/ and common/, from server/cli.ts and server/main.ts) into dist/ when its
# sources changed since the last build, so bin/lantern runs plain JavaScript with no TypeScript loader.
# tsc emits .js imports for the sources' .ts ones (tsconfig.build.json); the other files beside the code
# are copied, and dist/web points at web/ so the server finds web/dist as it does from the sources. The
# new tree is built aside and swapped in whole: an interrupted build leaves the previous one.
set -euo pipefail
cd "$(dirname "$0")/.."
# One build at a time (the demo, the test suite and test files may ask at once): a later caller waits,
# then finds the tree up to date.
mkdir -p .tmp
exec 9>.tmp/build-server.lock
flock 9
stamp=dist/.source-hash
hash=$( (find server common -type f ! -name '*.test.ts' ! -name '*.test-support.ts' ! -path 'server/test/*' -print0 | sort -z | xargs -0 sha256sum; sha256sum tsconfig.json tsconfig.build.json package-lock.json scripts/build-server.sh) | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  echo "server: up to date"
  exit 0
fi
echo "server: compiling"
rm -rf dist.new
npx tsc -p tsconfig.build.json --outDir dist.new
# Every other file beside the code (the stylesheets, the gazetteer, the common-passwords list, the tip
# form's script, the i18n catalogs): the server reads them through import.meta.url, so a new one is
# carried without a change here. Tests' fixtures stay behind.
find server common -type f ! -name '*.ts' ! -path '*/fixtures/*' ! -path 'server/test/*' -print0 |
  while IFS= read -r -d '' asset; do
    mkdir -p "dist.new/$(dirname "$asset")"
    cp "$asset" "dist.new/$asset"
  done
ln -s ../web dist.new/web
echo "$hash" > dist.new/.source-hash
rm -rf dist.old
if [ -d dist ]; then mv dist dist.old; fi
mv dist.new dist
rm -rf dist.old
