#!/usr/bin/env bash
# A Lantern cluster on this machine, to try the multi-process deployment (DESIGN.md §8,
# docs/operating.md "A cluster on one machine"): its own PostgreSQL server (initdb under .tmp/, its own
# port, so restarting it never disturbs another server), the demo task force, three Lantern processes
# sharing the keys, and HAProxy in front (round robin, health check on /healthz). Runs in the
# foreground; Ctrl-C stops everything in order (Lantern drains, then HAProxy, then PostgreSQL).
#
# A Lantern process that dies (crash, kill -9) is started again, as systemd's Restart=on-failure would;
# one that exits cleanly stays stopped. `npm run test:cluster` drives this script (server/test/cluster/).
#
#   scripts/cluster.sh                 # http://localhost:8080, PostgreSQL on 55432, state in .tmp/cluster
#   LANTERN_CLUSTER_PORT=9000 LANTERN_CLUSTER_PG_PORT=55500 LANTERN_CLUSTER_DIR=.tmp/c2 scripts/cluster.sh
#   scripts/cluster.sh --fresh         # throw the previous cluster's database and keys away first
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

port=${LANTERN_CLUSTER_PORT:-8080}
pg_port=${LANTERN_CLUSTER_PG_PORT:-55432}
dir=${LANTERN_CLUSTER_DIR:-.tmp/cluster}
processes=3
fresh=0
for arg in "$@"; do
  case $arg in
    --fresh) fresh=1 ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cluster.sh: unknown option $arg (--fresh, --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
# One cluster per directory: a second one would take over the first one's database and process ids.
exec 9>"$dir/lock"
flock -n 9 || { echo "cluster.sh: a cluster is already running in $dir" >&2; exit 1; }
for p in $(seq "$port" $((port + 4))) "$pg_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "cluster.sh: port $p is in use (LANTERN_CLUSTER_PORT, LANTERN_CLUSTER_PG_PORT)" >&2; exit 1; fi
done

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "cluster.sh: PostgreSQL's server programs are not installed (apt-get install postgresql)." >&2
  exit 1
fi
scripts/ensure-haproxy.sh

# PostgreSQL refuses to run as root: then its files belong to the postgres user and it runs as them.
as_pg=()
if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); fi
pgdata=$dir/pg
pg_ctl() { "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pgdata" "$@"; }

stopping=0
lantern_pids() { for i in $(seq 1 "$processes"); do [ -f "$dir/lantern-$i.pid" ] && cat "$dir/lantern-$i.pid"; done; }
cleanup() {
  [ "$stopping" = 1 ] && return
  stopping=1
  touch "$dir/stopping"
  echo "cluster: stopping the Lantern processes (they finish their requests and write a checkpoint)"
  local pids
  pids=$(lantern_pids)
  for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
  # Polled rather than waited for: bash's wait, inside a trap run by Ctrl-C, can hang.
  for _ in $(seq 1 300); do
    running=0
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && running=1; done
    [ "$running" = 0 ] && break
    sleep 0.2
  done
  if [ -n "${haproxy_pid:-}" ]; then
    kill -TERM "$haproxy_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$haproxy_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  echo "cluster: stopping PostgreSQL"
  pg_ctl stop -m fast >/dev/null 2>&1 || true
  rm -f "$dir/stopping" "$dir"/lantern-*.pid "$dir/ready"
  echo "cluster: stopped"
}
trap 'cleanup; exit 0' INT TERM
trap cleanup EXIT

if [ "$fresh" = 1 ] && [ -d "$pgdata" ]; then
  pg_ctl stop -m immediate >/dev/null 2>&1 || true
  rm -rf "$pgdata" "$dir/data" "$dir/secrets.env" "$dir"/anchors-*.jsonl "$dir"/*.log
fi
rm -f "$dir/stopping" "$dir/ready"

# --- PostgreSQL: its own server, in $dir/pg, on $pg_port -------------------------------------------------
if [ ! -f "$pgdata/PG_VERSION" ]; then
  echo "cluster: creating a PostgreSQL server in $pgdata"
  mkdir -p "$pgdata"
  [ "${#as_pg[@]}" -gt 0 ] && chown postgres: "$pgdata"
  chmod 700 "$pgdata"
  "${as_pg[@]}" "$pg_bin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --no-instructions >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  # Loopback only, no Unix socket (so no clash with the machine's own server's socket directory).
  cat >>"$pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 100
CONF
fi
pg_ctl stop -m fast >/dev/null 2>&1 || true # a server left over by a cluster that was killed
touch "$dir/postgres.log"
[ "${#as_pg[@]}" -gt 0 ] && chown postgres: "$dir/postgres.log"
pg_ctl -l "$dir/postgres.log" -o "-p $pg_port" -w -t 60 start >/dev/null 9>&- # the lock is the script's, not the server's
pg_url="postgres://postgres@127.0.0.1:$pg_port/lantern"
"$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tAc "select 1 from pg_database where datname = 'lantern'" | grep -q 1 ||
  "$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "create database lantern" >/dev/null

# --- The secrets every process shares: field keys, blind-index key, audit key -----------------------------
if [ ! -f "$dir/secrets.env" ]; then
  (
    umask 077
    node -e '
      const r = () => require("crypto").randomBytes(32).toString("base64");
      console.log(`LANTERN_KEYS=k1:${r()}`);
      console.log(`LANTERN_INDEX_KEY=${r()}`);
      console.log(`LANTERN_AUDIT_KEY=${r()}`);' >"$dir/secrets.env"
  )
fi
set -a
# shellcheck disable=SC1091
. "$dir/secrets.env"
DATABASE_URL=$pg_url
LANTERN_DATA_DIR=$dir/data
LANTERN_PUBLIC_URL=${LANTERN_PUBLIC_URL:-http://localhost:$port}
LANTERN_TRUST_PROXY=127.0.0.1
LANTERN_LOG_LEVEL=${LANTERN_LOG_LEVEL:-warn}
HOST=127.0.0.1
set +a
mkdir -p "$LANTERN_DATA_DIR"

# Migrations and the demo task force, once, before any process starts (they would race each other).
echo "cluster: loading the demo task force (first run only)"
bin/lantern demo >"$dir/demo.log" 2>&1 || { cat "$dir/demo.log" >&2; exit 1; }

# --- Three Lantern processes, each restarted if it dies ------------------------------------------------------
supervise() {
  local i=$1 code
  while :; do
    PORT=$((port + i)) LANTERN_AUDIT_ANCHORS="$dir/anchors-$i.jsonl" bin/lantern start >>"$dir/lantern-$i.log" 2>&1 &
    echo $! >"$dir/lantern-$i.pid"
    code=0
    wait $! || code=$?
    if [ -e "$dir/stopping" ] || [ "$code" = 0 ]; then break; fi
    echo "cluster: Lantern $i (port $((port + i))) exited with status $code; starting it again"
    sleep 1
  done
}
supervisors=()
for i in $(seq 1 "$processes"); do
  supervise "$i" &
  supervisors+=($!)
done

# --- HAProxy in front ----------------------------------------------------------------------------------------
{
  cat <<CFG
# Written by scripts/cluster.sh; see docs/operating.md.
global
  maxconn 4096
defaults
  mode http
  # Only the requests that went wrong, each with HAProxy's termination state (docs/operating.md), to
  # haproxy.log beside the processes' logs.
  log stderr format raw local0 info
  option httplog
  option dontlog-normal
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # A request that could not reach a process (refused: it is down) goes to another one; a request that
  # reached one is never sent twice by HAProxy (a lost reply is the client's to resend, with its key).
  retries 2
  option redispatch
frontend lantern
  bind 127.0.0.1:$port
  option forwardfor
  default_backend lanterns
backend lanterns
  balance roundrobin
  option httpchk GET /healthz
  http-check expect status 200
  # A process that is down refuses the check's connection at once; one that is only busy (its first
  # requests, a loaded machine) gets 5 s to answer. With the default, the check's timeout is its 1 s
  # interval, and busy processes were taken out of service and put back (haproxy.log, 2026-12-05).
  timeout check 5s
  default-server inter 1s fall 2 rise 1
  # Which process answered, for the curious and for the cluster test.
  http-response set-header X-Lantern-Process %[srv_name]
CFG
  for i in $(seq 1 "$processes"); do echo "  server lantern$i 127.0.0.1:$((port + i)) check"; done
  cat <<CFG
listen stats
  bind 127.0.0.1:$((port + processes + 1))
  stats enable
  stats uri /
  stats refresh 2s
CFG
} >"$dir/haproxy.cfg"
haproxy -db -f "$dir/haproxy.cfg" >>"$dir/haproxy.log" 2>&1 &
haproxy_pid=$!
echo "$haproxy_pid" >"$dir/haproxy.pid"

# Ready once every process answers its own /healthz.
for i in $(seq 1 "$processes"); do
  until curl -fsS -o /dev/null "http://127.0.0.1:$((port + i))/healthz" 2>/dev/null; do
    if ! kill -0 "${supervisors[$((i - 1))]}" 2>/dev/null; then
      echo "cluster: Lantern $i did not start; its log:" >&2
      tail -20 "$dir/lantern-$i.log" >&2
      exit 1
    fi
    sleep 0.3
  done
done
# …and HAProxy has seen them all healthy.
until [ "$(curl -fsS "http://127.0.0.1:$((port + processes + 1))/;csv" 2>/dev/null | grep -c '^lanterns,lantern[0-9]*,.*,UP,')" = "$processes" ]; do sleep 0.2; done
cat >"$dir/ready.tmp" <<ENV
url=http://127.0.0.1:$port
stats=http://127.0.0.1:$((port + processes + 1))/
ports=$(seq -s ' ' $((port + 1)) $((port + processes)))
pg_url=$pg_url
pg_bin=$pg_bin
pgdata=$pgdata
pg_port=$pg_port
ENV
mv "$dir/ready.tmp" "$dir/ready" # whole, for whoever waits on it
cat <<BANNER

Lantern cluster: $processes processes behind HAProxy on PostgreSQL
  Lantern:         http://localhost:$port   (processes on ports $(seq -s ', ' $((port + 1)) $((port + processes))))
  HAProxy stats:   http://localhost:$((port + processes + 1))/
  PostgreSQL:      $pg_url   (data in $pgdata)
  Demo accounts:   $LANTERN_DATA_DIR/demo-accounts.json
  Logs:            $dir/lantern-N.log, haproxy.log, postgres.log
Try: kill -9 \$(cat $dir/lantern-2.pid)   (it is started again), or
     ${as_pg[*]+${as_pg[*]} }$pg_bin/pg_ctl -D $pgdata restart -m fast
Stop it with Ctrl+C.

BANNER
wait "$haproxy_pid"
