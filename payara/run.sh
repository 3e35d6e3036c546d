#!/usr/bin/env bash
# Starts Switchboard on Payara Micro: payara/run.sh [--profile NAME] [--port N] [--properties FILE] [--selector-threads N]
# Builds the WAR first if it is missing or older than the sources. Ctrl-C or SIGTERM stops it cleanly.
# --selector-threads: the HTTP listener's selector threads (default 1, payara/pre-boot-commands.txt; about one per two
# cores on a bigger node).
set -euo pipefail
cd "$(dirname "$0")/.."
profile=default port=8080 extra_props="" selectors=""
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile="${2:?--profile needs a name}"; shift 2 ;;
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    --properties) extra_props="${2:?--properties needs a file}"; shift 2 ;;
    --selector-threads) selectors="${2:?--selector-threads needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
case "$port" in ''|*[!0-9]*) echo "run.sh: --port must be a number, got '$port'" >&2; exit 2 ;; esac
if [ -n "$selectors" ] && ! { [[ "$selectors" =~ ^[1-9][0-9]{0,2}$ ]] && [ "$selectors" -le 256 ]; }; then
  echo "run.sh: --selector-threads must be a whole number from 1 to 256, got '$selectors'" >&2; exit 2
fi
props="payara/profiles/$profile.properties"
[ -f "$props" ] || { echo "run.sh: no profile '$profile' (have: $(ls payara/profiles | sed -n 's/\.properties$//p' | grep -v example | tr '\n' ' '))" >&2; exit 2; }

. payara/java-home.sh

war=target/switchboard.war
if [ ! -f "$war" ] || [ ! -f target/payara-micro.jar ] || [ -n "$(find src pom.xml -newer "$war" -print -quit)" ]; then
  echo "run.sh: building the WAR..."
  mvn -B -q -DskipTests package
fi

sysprops=$(mktemp /tmp/switchboard-props.XXXXXX)
preboot=$(mktemp /tmp/switchboard-preboot.XXXXXX)
trap 'rm -f "$sysprops" "$preboot"' EXIT
cat "$props" > "$sysprops"
[ -n "$extra_props" ] && cat "$extra_props" >> "$sysprops"
cat payara/pre-boot-commands.txt > "$preboot"
# a later set of the same key wins
[ -n "$selectors" ] && echo "set configs.config.server-config.network-config.transports.transport.tcp.acceptor-threads=$selectors" >> "$preboot"

echo "run.sh: profile '$profile' on http://localhost:$port (Socket.IO at /socket.io/)"
"$JAVA_HOME/bin/java" $PAYARA_BOOT_OPTS ${SWITCHBOARD_JAVA_OPTS:-$SWITCHBOARD_HEAP_OPTS} -jar target/payara-micro.jar \
  --nohazelcast --port "$port" --contextroot / \
  --prebootcommandfile "$preboot" \
  --systemproperties "$sysprops" \
  --deploy "$war" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid; rm -f "$sysprops" "$preboot"' INT TERM
wait $pid
