#!/usr/bin/env bash
# The full chat service under load (issue figure "messages accepted, persisted and delivered per second with auth
# on"): starts Switchboard on Payara Micro with the default profile on a fresh PostgreSQL database (loopback), runs
# bench/chat.js against it, stops the server and drops the database. Switchboard only: the reference has no chat.
#
#   bench/chat.sh [--receivers 200] [--senders 10] [--rate 4] [--duration 10] [--warmup 5] [--port 3340]
#                 [--pg-url jdbc:postgresql://127.0.0.1:5432] [--pg-admin-db test] [--war FILE --micro-jar FILE]
#
# Each sender stays under the per-socket message limit (5 per second by default), so nothing is refused: every
# message is authenticated, validated, deduplicated, committed, acknowledged and broadcast as in production.
# Needs psql on the PATH (to create and drop the database) and PostgreSQL with trust auth for the current user or
# PGUSER/PGPASSWORD set; writes bench/results/<stamp>-chat/.
set -euo pipefail
bench="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$bench/.." && pwd)"
cd "$root"

receivers=200 senders=10 rate=4 duration=10 warmup=5 port=3340 pg_url="jdbc:postgresql://127.0.0.1:5432"
pg_admin_db=test war="" micro_jar="" java_opts=""
while [ $# -gt 0 ]; do
  case "$1" in
    --receivers) receivers="${2:?}"; shift 2 ;;
    --senders) senders="${2:?}"; shift 2 ;;
    --rate) rate="${2:?}"; shift 2 ;;
    --duration) duration="${2:?}"; shift 2 ;;
    --warmup) warmup="${2:?}"; shift 2 ;;
    --port) port="${2:?}"; shift 2 ;;
    --pg-url) pg_url="${2:?}"; shift 2 ;;
    --pg-admin-db) pg_admin_db="${2:?}"; shift 2 ;;
    --war) war="${2:?}"; shift 2 ;;
    --micro-jar) micro_jar="${2:?}"; shift 2 ;;
    --java-opts) java_opts="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "chat.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
for v in "$receivers" "$senders" "$duration" "$warmup" "$port"; do
  case "$v" in ''|*[!0-9]*) echo "chat.sh: expected a whole number, got '$v'" >&2; exit 2 ;; esac
done
command -v psql >/dev/null || { echo "chat.sh: psql not found (needed to create the benchmark database)" >&2; exit 2; }
. "$root/payara/java-home.sh"
java_opts="${java_opts:-$SWITCHBOARD_HEAP_OPTS}"

if [ -z "$war" ]; then
  war="$root/target/switchboard.war" micro_jar="${micro_jar:-$root/target/payara-micro.jar}"
  if [ ! -f "$war" ] || [ ! -f "$micro_jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$war" -print -quit)" ]; then
    echo "chat.sh: building the WAR..."
    mvn -B -q -DskipTests package
  fi
fi
[ -n "$micro_jar" ] || micro_jar="$(dirname "$war")/payara-micro.jar"
[ -f "$war" ] && [ -f "$micro_jar" ] || { echo "chat.sh: missing $war or $micro_jar" >&2; exit 2; }
[ -d "$bench/node_modules/socket.io-client" ] || (cd "$bench" && npm ci --no-audit --no-fund)
. "$bench/lib/switchboard.sh"   # port_free, wait_ready, start_switchboard, add_datasource
port_free "$port" || { echo "chat.sh: port $port is in use (try --port)" >&2; exit 2; }

stamp="$(date +%Y%m%d-%H%M%S)"
out="$bench/results/$stamp-chat"
mkdir -p "$out"
db="switchboard_bench_$(date +%s)_$$"
pg_host_port="${pg_url#jdbc:postgresql://}"; pg_host="${pg_host_port%%:*}"; pg_port="${pg_host_port##*:}"
psql_admin() { psql -h "$pg_host" -p "$pg_port" -d "$pg_admin_db" -v ON_ERROR_STOP=1 -qtAc "$1"; }

pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  psql_admin "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
}
trap cleanup EXIT INT TERM

psql_admin "CREATE DATABASE $db"
props="$out/switchboard.properties"
cat "$root/payara/profiles/default.properties" > "$props"
add_datasource "$props" "bench/chat.sh: a fresh PostgreSQL database for this run" \
  org.postgresql.ds.PGSimpleDataSource "$pg_url/$db" "${PGUSER:-$(id -un)}" "${PGPASSWORD:-}"

echo "chat.sh: starting Switchboard (default profile, PostgreSQL database $db) on 127.0.0.1:$port"
# shellcheck disable=SC2086
start_switchboard "$port" "$props" "$war" "$micro_jar" "$out/switchboard.log" $java_opts
pid=$SB_PID
wait_ready "http://127.0.0.1:$port" "$pid" "$out/switchboard.log"

rc=0
NODE_PATH="$bench/node_modules" node "$bench/chat.js" --url "http://127.0.0.1:$port" --pid "$pid" \
  --receivers "$receivers" --senders "$senders" --rate "$rate" --duration "$duration" --warmup "$warmup" \
  --json "$out/chat.json" | tee "$out/chat.log" || rc=$?
echo "chat.sh: wrote $out/chat.json"
exit "$rc"
