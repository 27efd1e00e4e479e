#!/usr/bin/env bash
# Lantern's benchmarks (bench/README.md): `npm run bench`, `npm run bench -- me --pg --duration 5`.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node --import tsx bench/run.ts "$@"
