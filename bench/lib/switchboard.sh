# Shell functions shared by bench/run.sh and bench/chat.sh (sourced; they use $root and $JAVA_HOME).

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Appends a datasource to a Switchboard properties file: file comment class url user password
add_datasource() {
  printf '%s\n' "# added by $2" "switchboard.db.class=$3" "switchboard.db.url=$4" "switchboard.db.user=$5" \
    "switchboard.db.password=$6" >> "$1"
}

# Starts the WAR on Payara Micro on 127.0.0.1 in the background: port properties war micro-jar log [java options...].
# Sets SB_PID to the Java process itself (no wrapper shell), so /proc readings are the server's.
start_switchboard() {
  local port="$1" props="$2" war="$3" micro_jar="$4" log="$5"
  shift 5
  "$JAVA_HOME/bin/java" $PAYARA_BOOT_OPTS "$@" -jar "$micro_jar" --nohazelcast --port "$port" --contextroot / \
    --prebootcommandfile "$root/payara/pre-boot-commands.txt" --systemproperties "$props" --deploy "$war" \
    > "$log" 2>&1 &
  SB_PID=$!
}

wait_ready() { # url pid log
  # BENCH_READY_TIMEOUT: seconds to wait for a server to boot (a loaded shared machine can need several minutes)
  local booted="" deadline=$((SECONDS + ${BENCH_READY_TIMEOUT:-180}))
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$2" 2>/dev/null || { echo "bench: the server exited while starting; last lines of $3:" >&2; tail -20 "$3" >&2; return 1; }
    if curl -fs --max-time 2 "$1/socket.io/?EIO=4&transport=polling" 2>/dev/null | grep -q '^0{'; then return 0; fi
    # Payara Micro says "ready" even when the deployment failed: give the endpoint 15 s after that
    if [ -z "${booted:-}" ] && grep -q 'Payara Micro .* ready in' "$3" 2>/dev/null; then booted=$SECONDS; fi
    if [ -n "${booted:-}" ] && [ $((SECONDS - booted)) -gt 15 ]; then
      echo "bench: Payara Micro booted but $1/socket.io/ does not answer: deployment failed? First errors in $3:" >&2
      grep -m5 'SEVERE\|Exception' "$3" >&2 || true
      return 1
    fi
    sleep 0.5
  done
  echo "bench: $1 not ready after ${BENCH_READY_TIMEOUT:-180} s; last lines of $3:" >&2
  tail -20 "$3" >&2
  return 1
}
