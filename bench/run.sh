#!/usr/bin/env bash
# The chat benchmark, one command: starts the Switchboard bench server (Payara Micro, java -jar, loopback), warms it
# up, runs the scenarios with bench/loadgen.js, stops it; then the same against the Node socket.io reference server
# with the same parameters; prints the comparison table and writes JSON + markdown under bench/results/<stamp>/.
#
#   bench/run.sh [--scenarios connect,fanout,echo] [--transports websocket,polling] [--clients N] [--receivers N]
#                [--rate R] [--duration S] [--echo-clients C] [--workers W] [--warmup S] [--warmup-rate R] [--drain S]
#                [--step-duration S] [--step-factor F] [--max-steps N] [--max-rate R] [--max-p99 MS] [--refine N]
#                [--servers switchboard,reference] [--rounds N]
#                [--port-base P] [--java-opts "-Xmx512m ..."] [--war FILE --micro-jar FILE] [--strict]
#
# Defaults: connect,fanout,echo, 300 connect clients / fanout receivers, 20 msg/s, 10 s windows, 50 echo clients,
# 2 workers, 10 s warmup before each scenario, 10 s drain, ports 3330 (Switchboard) and 3331 (reference). The scenario
# fanout-max (not in the default list: --scenarios fanout-max) steps the sender rate up from --rate until a step is
# not sustained; the --step-*/--max-*/--refine options are its (defaults in loadgen.js --help). --rounds N runs both
# servers N times, alternating which goes first, and the table gives the median of the rounds' ratios and their range
# (one run of each is a sample of a shared machine's noise, not a measurement). Loopback only; every process this
# script starts is stopped on exit, failure or Ctrl-C.
set -euo pipefail
bench="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$bench/.." && pwd)"
cd "$root"

scenarios=connect,fanout,echo transports=websocket,polling clients=300 receivers="" rate=20 duration=10 echo_clients=50
workers=2 warmup=10 drain=10 rounds=1 servers=switchboard,reference port_base=3330 java_opts="" war="" micro_jar="" strict=""
passthrough=() # fanout-max and warmup-rate options, passed to loadgen only when given
while [ $# -gt 0 ]; do
  case "$1" in
    --scenarios) scenarios="${2:?}"; shift 2 ;;
    --transports) transports="${2:?}"; shift 2 ;;
    --clients|-n|--n) clients="${2:?}"; shift 2 ;;
    --receivers) receivers="${2:?}"; shift 2 ;;
    --rate) rate="${2:?}"; shift 2 ;;
    --duration) duration="${2:?}"; shift 2 ;;
    --echo-clients) echo_clients="${2:?}"; shift 2 ;;
    --workers) workers="${2:?}"; shift 2 ;;
    --warmup) warmup="${2:?}"; shift 2 ;;
    --drain) drain="${2:?}"; shift 2 ;;
    --servers) servers="${2:?}"; shift 2 ;;
    --rounds) rounds="${2:?}"; shift 2 ;;
    --port-base) port_base="${2:?}"; shift 2 ;;
    --java-opts) java_opts="${2:?}"; shift 2 ;;
    --war) war="${2:?}"; shift 2 ;;
    --micro-jar) micro_jar="${2:?}"; shift 2 ;;
    --strict) strict="--strict"; shift ;;
    --step-duration|--step-factor|--max-steps|--max-rate|--max-p99|--refine|--warmup-rate) passthrough+=("$1" "${2:?}"); shift 2 ;;
    -h|--help) sed -n '2,18p' "$bench/run.sh"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[ -n "$receivers" ] || receivers="$clients"
for v in "$clients" "$receivers" "$echo_clients" "$workers" "$port_base" "$rounds"; do
  case "$v" in ''|*[!0-9]*) echo "run.sh: expected a whole number, got '$v'" >&2; exit 2 ;; esac
done
if [ "$rounds" -lt 1 ] || [ "$rounds" -gt 9 ]; then echo "run.sh: --rounds must be 1 to 9, got $rounds" >&2; exit 2; fi
sb_port=$port_base ref_port=$((port_base + 1))

stamp="$(date +%Y%m%d-%H%M%S)"
out="$bench/results/$stamp"
mkdir -p "$out"

started_pids=()
cleanup() {
  local pid
  for pid in "${started_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  started_pids=()
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted" >&2; exit 130' INT TERM

. "$bench/lib/switchboard.sh"   # port_free, wait_ready, start_switchboard, add_datasource
rc=0
run_loadgen() { # log-file loadgen-args...: runs in the background so that the trap can stop it too; sets rc
  local log="$1"; shift
  node "$bench/loadgen.js" "$@" > >(tee "$log") 2>&1 &
  local lg=$!
  started_pids+=("$lg")
  set +e; wait "$lg"; rc=$?; set -e
}
stop_server() { # pid
  kill -TERM "$1" 2>/dev/null || true
  for _ in $(seq 1 75); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$1" 2>/dev/null || true
}

# ---- prerequisites --------------------------------------------------------------------------------------------------
command -v node >/dev/null || { echo "run.sh: needs node (20)" >&2; exit 2; }
command -v curl >/dev/null || { echo "run.sh: needs curl" >&2; exit 2; }
[ -d "$bench/node_modules/socket.io-client" ] || (cd "$bench" && npm ci --no-audit --no-fund)
[ -d "$bench/reference-server/node_modules/socket.io" ] || (cd "$bench/reference-server" && npm ci --no-audit --no-fund)

if [[ ",$servers," == *",switchboard,"* ]]; then
  . "$root/payara/java-home.sh"
  java_opts="${java_opts:-$SWITCHBOARD_HEAP_OPTS}"
  if [ -z "$war" ]; then
    war="$root/target/switchboard.war" micro_jar="${micro_jar:-$root/target/payara-micro.jar}"
    if [ ! -f "$war" ] || [ ! -f "$micro_jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$war" -print -quit)" ]; then
      # target/ is missing or stale: build a private copy, so as not to race another build in target/
      build="${BENCH_BUILD_DIR:-/tmp/switchboard-bench-build}"
      if [ ! -f "$build/switchboard.war" ] || [ ! -f "$build/payara-micro.jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$build/switchboard.war" -print -quit)" ]; then
        echo "run.sh: building the WAR into $build ..."
        mvn -B -q -DskipTests -Dbuild.dir="$build" package
      fi
      war="$build/switchboard.war" micro_jar="$build/payara-micro.jar"
    fi
  fi
  [ -n "$micro_jar" ] || micro_jar="$(dirname "$war")/payara-micro.jar"
  [ -f "$war" ] && [ -f "$micro_jar" ] || { echo "run.sh: missing $war or $micro_jar" >&2; exit 2; }
fi

load1=$(cut -d' ' -f1 /proc/loadavg)
echo "run.sh: $(nproc) cores, load average $load1; results in $out"
if awk "BEGIN{exit !($load1 >= 1.5)}"; then
  echo "run.sh: WARNING: load average $load1 >= 1.5: other work shares the CPUs, the figures will be noisy" >&2
fi

common=(--scenarios "$scenarios" --transports "$transports" --clients "$clients" --receivers "$receivers" --rate "$rate"
        --duration "$duration" --echo-clients "$echo_clients" --workers "$workers" --warmup "$warmup" --drain "$drain" $strict
        ${passthrough[@]+"${passthrough[@]}"})
status=0

# ---- one server, one round ----------------------------------------------------------------------------------------
# Each writes <server><suffix>.json and its logs; the suffix is empty with one round, -K in round K.
run_switchboard() { # suffix
  local sfx="$1"
  port_free "$sb_port" || { echo "run.sh: port $sb_port is in use (try --port-base)" >&2; exit 2; }
  props="$out/switchboard.properties"
  cat "$root/payara/profiles/bench.properties" > "$props"
  if ! grep -q '^switchboard.db.class=' "$props"; then
    # the WAR declares the chat datasource in every profile; the bench application does not use it: in-memory H2
    add_datasource "$props" "bench/run.sh: the chat datasource must exist; the bench app does not use it" \
      org.h2.jdbcx.JdbcDataSource "jdbc:h2:mem:switchboard-bench;DB_CLOSE_DELAY=-1" switchboard switchboard
  fi
  echo "run.sh: starting Switchboard (Payara Micro, profile bench) on 127.0.0.1:$sb_port"
  # shellcheck disable=SC2086
  start_switchboard "$sb_port" "$props" "$war" "$micro_jar" "$out/switchboard$sfx.log" $java_opts
  sb_pid=$SB_PID
  started_pids+=("$sb_pid")
  wait_ready "http://127.0.0.1:$sb_port" "$sb_pid" "$out/switchboard$sfx.log"
  echo "run.sh: Switchboard ready (java pid $sb_pid, RSS $(awk '/VmRSS/{print $2" "$3}' /proc/$sb_pid/status), JVM options: $java_opts)"
  run_loadgen "$out/switchboard-loadgen$sfx.log" --url "http://127.0.0.1:$sb_port" --pid "$sb_pid" --label switchboard \
    --json "$out/switchboard$sfx.json" "${common[@]}"
  [ "$rc" -eq 0 ] || { echo "run.sh: loadgen against Switchboard exited $rc" >&2; [ "$status" -ne 0 ] || status=$rc; }
  stop_server "$sb_pid"
}

run_reference() { # suffix
  local sfx="$1"
  port_free "$ref_port" || { echo "run.sh: port $ref_port is in use (try --port-base)" >&2; exit 2; }
  echo "run.sh: starting the socket.io reference server on 127.0.0.1:$ref_port"
  PORT="$ref_port" node "$bench/reference-server/server.js" > "$out/reference$sfx.log" 2>&1 &
  ref_pid=$!
  started_pids+=("$ref_pid")
  wait_ready "http://127.0.0.1:$ref_port" "$ref_pid" "$out/reference$sfx.log"
  run_loadgen "$out/reference-loadgen$sfx.log" --url "http://127.0.0.1:$ref_port" --pid "$ref_pid" --label reference \
    --json "$out/reference$sfx.json" "${common[@]}"
  [ "$rc" -eq 0 ] || { echo "run.sh: loadgen against the reference exited $rc" >&2; [ "$status" -ne 0 ] || status=$rc; }
  stop_server "$ref_pid"
}

# ---- the rounds -----------------------------------------------------------------------------------------------------
# Odd rounds run Switchboard first, even rounds the reference first: a drift of the machine over the run (another
# tenant, a warm page cache) then weighs on both sides alike.
sb_files="" ref_files=""
for round in $(seq 1 "$rounds"); do
  sfx=""; [ "$rounds" -eq 1 ] || sfx="-$round"
  [ "$rounds" -eq 1 ] || echo "run.sh: round $round of $rounds"
  order="switchboard reference"; [ $((round % 2)) -eq 1 ] || order="reference switchboard"
  for s in $order; do
    [[ ",$servers," == *",$s,"* ]] || continue
    if [ "$s" = switchboard ]; then run_switchboard "$sfx"; else run_reference "$sfx"; fi
  done
  sb_files="${sb_files:+$sb_files,}$out/switchboard$sfx.json" ref_files="${ref_files:+$ref_files,}$out/reference$sfx.json"
done
cleanup

echo
node "$bench/compare.js" "$sb_files" "$ref_files" --md "$out/report.md" --json "$out/comparison.json"
echo
echo "run.sh: wrote $out/report.md and $out/comparison.json (raw: switchboard.json, reference.json, logs)"
[ "$status" -eq 0 ] || echo "run.sh: FAILED: a loadgen run exited non-zero (4 = server does not conform to PROTOCOL.md)" >&2
exit "$status"
