#!/usr/bin/env bash
# Seconds-long smoke run of the load generator against ONE already-running server:
#   bench/smoke.sh http://127.0.0.1:PORT [--pid N] [extra loadgen options]
# Conformance check (PROTOCOL.md) over websocket and polling, then connect / fanout / echo with tiny numbers,
# about 2 s per scenario. Exit 0 only if the server conforms and no message was lost or duplicated, no connect
# failed and every echo came back unchanged (4 = nonconforming, 3 = lost/duplicated/failed, 2 = usage).
set -euo pipefail
bench="$(cd "$(dirname "$0")" && pwd)"
url="${1:-}"
case "$url" in
  http://127.0.0.1:*|http://localhost:*|http://\[::1\]:*) shift ;;
  *) echo "usage: bench/smoke.sh http://127.0.0.1:PORT [--pid N] [loadgen options]  (loopback only)" >&2; exit 2 ;;
esac
command -v node >/dev/null || { echo "smoke.sh: needs node (20)" >&2; exit 2; }
[ -d "$bench/node_modules/socket.io-client" ] || (cd "$bench" && npm ci --no-audit --no-fund --loglevel=error)
exec node "$bench/loadgen.js" --url "$url" --label smoke --strict \
  --scenarios connect,fanout,echo --transports websocket,polling \
  --clients 20 --receivers 10 --rate 20 --duration 2 --echo-clients 4 --workers 1 --drain 5 \
  --lag-threshold 250 "$@"
