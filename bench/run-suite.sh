#!/usr/bin/env bash
# The side-by-side suite: Switchboard, Socket.IO 4.8 (Node.js) and bare Jetty, each server pinned to
# core 0 (bench/run-server.sh), one generator pinned to core 1 (bench/run-bench.sh) driving them in turn,
# RUNS alternating runs per scenario, then one table with the ratios first. Writes everything to
# bench/target/suite-<time>.md. Takes about 25 minutes with the defaults (3 runs).
#   bench/run-suite.sh            # rpc, paced fanout, flat-out fanout, 10,000 connections, crossnode over Redis
#   bench/run-suite.sh scale      # fanout to 100 / 1,000 / 10,000 receivers (paced at DELIVERY_RATE, 50,000
#                                 # deliveries/s in all), then 1 / 2 / 3 nodes over Redis
# Environment: RUNS (3), RECEIVERS (1000), CLIENTS (50), CONNECTIONS (10000), RATE (50 msg/s for the paced
# runs), DURATION (10s), CROSS_DURATION (30s: each crossnode run), WARMUP (3s), PRIME (20s: unmeasured runs first, every JIT warm), PORT (8700: Switchboard on PORT..PORT+3, bare Jetty on PORT+10,
# Socket.IO on PORT+20..PORT+23), REDIS (redis://127.0.0.1:6379; "none" skips what needs Redis),
# SCENARIOS (the suite's --scenarios), and those of run-server.sh / run-bench.sh (SERVER_GC, SERVER_JAVA, ...).
# Needs: the bench jar (mvn -B -q -pl bench -am package -DskipTests), Node.js 18+ with npm (the Socket.IO peer
# is installed into bench/socketio/node_modules on first use), taskset.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mode="${1:-suite}"
P="${PORT:-8700}"; REDIS="${REDIS:-redis://127.0.0.1:6379}"
common=(--runs "${RUNS:-3}" --clients "${CLIENTS:-50}" --connections "${CONNECTIONS:-10000}" --rate "${RATE:-50}"
        --duration "${DURATION:-10s}" --crossnode-duration "${CROSS_DURATION:-30s}" --warmup "${WARMUP:-3s}" --prime "${PRIME:-20s}")
mkdir -p "$here/target"
out="$here/target/$mode-$(date +%Y%m%d-%H%M%S).md"
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; pids=(); }
trap stop EXIT
start() { # name kind args...
  local name="$1" kind="$2"; shift 2
  local log="$here/target/server-$name.log"
  "$here/run-server.sh" "$kind" "$@" > "$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do grep -q ready "$log" 2>/dev/null && return 0; sleep 0.2; done
  echo "server $name did not start:" >&2; cat "$log" >&2; exit 1
}
sio() { echo "ws://127.0.0.1:$1/socket.io/?EIO=4&transport=websocket"; }
sb() { echo "ws://127.0.0.1:$1/ws"; }
redis_up() { [ "$REDIS" != none ] && (exec 3<>"/dev/tcp/$(sed -E 's#^redis://([^:/]+):?([0-9]*).*#\1/\2#; s#/$#/6379#' <<<"$REDIS")") 2>/dev/null; }
[ -d "$here/socketio/node_modules/socket.io" ] || "$here/socketio/install.sh"

{ echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1), node $(node --version)"
  echo "# load before: $(uptime)"; } | tee "$out"

if [ "$mode" = suite ]; then
  start switchboard switchboard --port "$P"
  start baseline baseline --port $((P + 10))
  start socketio socketio --port $((P + 20))
  cross=()
  if redis_up; then
    start switchboard-2 switchboard --port $((P + 1)) --nodes 2 --backplane "$REDIS"
    start socketio-2 socketio --port $((P + 21)) --nodes 2 --backplane "$REDIS"
    cross=(--switchboard-crossnode "$(sb $((P + 1))),$(sb $((P + 2)))"
           --socketio-crossnode "$(sio $((P + 21))),$(sio $((P + 22)))")
  else
    echo "# no Redis at $REDIS: crossnode skipped" | tee -a "$out"
  fi
  "$here/run-bench.sh" suite --switchboard "$(sb "$P")" --baseline "$(sb $((P + 10)))" --socketio "$(sio $((P + 20)))" \
    "${cross[@]}" --receivers "${RECEIVERS:-1000}" --scenarios "${SCENARIOS:-rpc,paced,fanout,connections,crossnode}" \
    "${common[@]}" | tee -a "$out"
elif [ "$mode" = scale ]; then
  export GEN_HEAP="${GEN_HEAP:-8g}" # 10,000 receivers: 2 GiB runs out
  start switchboard switchboard --port "$P"
  start baseline baseline --port $((P + 10))
  start socketio socketio --port $((P + 20))
  "$here/run-bench.sh" suite --switchboard "$(sb "$P")" --baseline "$(sb $((P + 10)))" --socketio "$(sio $((P + 20)))" \
    --receivers "${RECEIVERS:-100,1000,10000}" --scenarios "${SCENARIOS:-paced,fanout}" \
    --delivery-rate "${DELIVERY_RATE:-50000}" "${common[@]}" | tee -a "$out"
  stop
  if redis_up; then
    start switchboard-3 switchboard --port $((P + 1)) --nodes 3 --backplane "$REDIS"
    start socketio-3 socketio --port $((P + 21)) --nodes 3 --backplane "$REDIS"
    echo "# nodes over Redis: publisher on node 1, receivers spread over the first N nodes" | tee -a "$out"
    "$here/run-bench.sh" suite --switchboard "$(sb $((P + 1))),$(sb $((P + 2))),$(sb $((P + 3)))" \
      --socketio "$(sio $((P + 21))),$(sio $((P + 22))),$(sio $((P + 23)))" --nodes 1,2,3 \
      --receivers "${SCALE_RECEIVERS:-1000}" --scenarios "${SCENARIOS:-paced,fanout}" \
      --delivery-rate "${DELIVERY_RATE:-50000}" "${common[@]}" | tee -a "$out"
  else
    echo "# no Redis at $REDIS: the nodes table is skipped" | tee -a "$out"
  fi
else
  echo "usage: bench/run-suite.sh [suite|scale]" >&2; exit 2
fi
echo "# load after: $(uptime)" | tee -a "$out"
echo "# written to $out"
