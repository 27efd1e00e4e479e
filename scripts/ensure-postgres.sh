#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers for the integration tests (127.0.0.1:5432, user postgres,
# trust auth, as on CI and the team's machines). Starts an installed cluster that is stopped; if none is
# installed, says so loudly: the PostgreSQL suites are then skipped (never under CI, where that fails).
set -uo pipefail
url=${LANTERN_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
ready() { pg_isready -q -d "$url" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  ready() { node -e "const c=new (require('pg').Client)({connectionString:process.argv[1],connectionTimeoutMillis:2000});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))" "$url"; }
fi

if ready; then echo "PostgreSQL: ready at $url"; exit 0; fi

if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for version in $(ls /etc/postgresql); do
    echo "PostgreSQL: starting cluster $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>&1 || sudo -n pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>&1 || true
  done
  for _ in $(seq 1 20); do ready && { echo "PostgreSQL: ready at $url"; exit 0; }; sleep 0.5; done
fi

if [ -n "${CI:-}" ]; then
  echo "PostgreSQL: not reachable at $url, and CI requires it." >&2
  exit 1
fi
cat >&2 <<MSG
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!! PostgreSQL is not reachable at $url.
!! The PostgreSQL integration suites will be SKIPPED (SQLite suites still run).
!! To run them: install PostgreSQL (apt-get install postgresql), allow user postgres to connect from
!! 127.0.0.1 with trust auth, or point LANTERN_TEST_PG_URL at a server where that user may create databases.
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
MSG
exit 0
