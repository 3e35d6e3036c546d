#!/usr/bin/env bash
# A local Switchboard cluster: N Payara Micro nodes on the Redis adapter behind nginx (payara/nginx/). Ctrl-C stops all.
#   payara/cluster.sh [--nodes N] [--port LB_PORT] [--first-node-port P] [--profile NAME] [--properties FILE]
# Defaults: 3 nodes on 8081.., nginx on 8080, profile default, Redis from SWITCHBOARD_REDIS_URL (redis://127.0.0.1:6379),
# one shared database: PostgreSQL database "switchboard_cluster" on 127.0.0.1:5432 when it answers (created if
# missing; SWITCHBOARD_DB_URL/_USER/_PASSWORD override), else one H2 file shared through H2's auto-server mode.
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=3 lb_port=8080 first=8081 profile=default extra_props=""
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes="${2:?--nodes needs a number}"; shift 2 ;;
    --port) lb_port="${2:?--port needs a number}"; shift 2 ;;
    --first-node-port) first="${2:?--first-node-port needs a number}"; shift 2 ;;
    --profile) profile="${2:?--profile needs a name}"; shift 2 ;;
    --properties) extra_props="${2:?--properties needs a file}"; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "cluster.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
for n in "$nodes" "$lb_port" "$first"; do
  case "$n" in ''|*[!0-9]*) echo "cluster.sh: '$n' is not a number" >&2; exit 2 ;; esac
done
props="payara/profiles/$profile.properties"
[ -f "$props" ] || { echo "cluster.sh: no profile '$profile'" >&2; exit 2; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "cluster.sh: needs nginx (apt-get install nginx)" >&2; exit 2; }
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

. payara/java-home.sh
build=${SWITCHBOARD_BUILD_DIR:-target}
war=$build/switchboard.war
if [ ! -f "$war" ] || [ ! -f "$build/payara-micro.jar" ] || [ -n "$(find src pom.xml -newer "$war" -print -quit)" ]; then
  echo "cluster.sh: building the WAR..."
  mvn -B -q -DskipTests package
fi

redis_url=${SWITCHBOARD_REDIS_URL:-redis://127.0.0.1:6379}
if command -v redis-cli >/dev/null && ! redis-cli -u "$redis_url" ping >/dev/null 2>&1; then
  echo "cluster.sh: Redis at $redis_url does not answer (start redis-server or set SWITCHBOARD_REDIS_URL)" >&2; exit 1
fi

run=data/cluster
mkdir -p "$run/nginx/temp"
sysprops="$run/cluster.properties"
{
  cat "$props"
  [ -n "$extra_props" ] && cat "$extra_props"
  echo
  echo "# cluster.sh: every node on one Redis, one database and one development issuer key"
  echo "switchboard.adapter=redis"
  echo "switchboard.redis.url=$redis_url"
  echo "switchboard.data-dir=$PWD/$run"
  if [ -n "${SWITCHBOARD_DB_URL:-}" ]; then
    echo "switchboard.db.class=org.postgresql.ds.PGSimpleDataSource"
    echo "switchboard.db.url=$SWITCHBOARD_DB_URL"
    echo "switchboard.db.user=${SWITCHBOARD_DB_USER:-switchboard}"
    echo "switchboard.db.password=${SWITCHBOARD_DB_PASSWORD:-switchboard}"
  elif command -v pg_isready >/dev/null && pg_isready -h 127.0.0.1 -q; then
    psql -h 127.0.0.1 -U postgres -lqt 2>/dev/null | cut -d'|' -f1 | grep -qw switchboard_cluster \
      || createdb -h 127.0.0.1 -U postgres switchboard_cluster
    echo "switchboard.db.class=org.postgresql.ds.PGSimpleDataSource"
    echo "switchboard.db.url=jdbc:postgresql://127.0.0.1:5432/switchboard_cluster"
    echo "switchboard.db.user=postgres"
    echo "switchboard.db.password=unused-with-trust-auth"
  else
    echo "cluster.sh: no PostgreSQL on 127.0.0.1:5432; sharing one H2 file (development only)" >&2
    echo "switchboard.db.class=org.h2.jdbcx.JdbcDataSource"
    echo "switchboard.db.url=jdbc:h2:file:$PWD/$run/switchboard;AUTO_SERVER=TRUE;WRITE_DELAY=0"
    echo "switchboard.db.user=switchboard"
    echo "switchboard.db.password=switchboard"
  fi
} > "$sysprops"

pids=()
stop() {
  trap - INT TERM EXIT
  echo "cluster.sh: stopping"
  [ -f "$run/nginx/nginx.pid" ] && kill -TERM "$(cat "$run/nginx/nginx.pid")" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done   # SIGTERM: each node drains
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop INT TERM EXIT

servers=""
for ((i = 0; i < nodes; i++)); do
  port=$((first + i))
  "$JAVA_HOME/bin/java" $PAYARA_BOOT_OPTS ${SWITCHBOARD_JAVA_OPTS:--Xmx384m} -jar "$build/payara-micro.jar" \
    --nohazelcast --port "$port" --contextroot / \
    --prebootcommandfile payara/pre-boot-commands.txt --systemproperties "$sysprops" \
    --deploy "$war" > "$run/node-$i.log" 2>&1 &
  pids+=($!)
  servers+="        server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
  echo "cluster.sh: node $i on http://127.0.0.1:$port (log $run/node-$i.log)"
done

# Local only: a response header naming the node that answered (do not expose internal addresses in production).
sed -e "s#@RUN_DIR@#$PWD/$run/nginx#g" -e "s#@LISTEN@#127.0.0.1:$lb_port#" \
    -e 's#^@EXTRA@$#        add_header X-Switchboard-Node $upstream_addr always;#' \
    payara/nginx/switchboard.conf.template \
  | awk -v servers="$servers" '$0 == "@SERVERS@" { printf "%s", servers; next } { print }' > "$run/nginx/nginx.conf"
"$nginx_bin" -p "$PWD/$run/nginx" -c "$PWD/$run/nginx/nginx.conf" -e "$PWD/$run/nginx/error.log" -g 'daemon off;' &
pids+=($!)

echo "cluster.sh: waiting for the nodes..."
for ((i = 0; i < nodes; i++)); do
  until curl -fs -o /dev/null "http://127.0.0.1:$((first + i))/health/ready"; do
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "cluster.sh: node $i exited; see $run/node-$i.log" >&2; exit 1; }
    sleep 1
  done
done
echo "cluster.sh: ready: open http://localhost:$lb_port/ (nginx, sticky by client address); Ctrl-C stops everything"
wait
