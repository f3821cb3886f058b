#!/usr/bin/env bash
# The issue's full run, in one session so the ratios compare like with like: each server pinned to
# core 0 (bench/run-server.sh), the generator pinned to core 1 (bench/run-bench.sh). Prints one line
# per run and writes them to bench/target/suite-<time>.txt. Takes about 6 minutes.
#   bench/run-suite.sh            # C=1000, K=50, N=10000, 10 s per run
# Environment: RECEIVERS, CLIENTS, CONNECTIONS, DURATION, WARMUP, PORT (first of 3 consecutive ports).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
C="${RECEIVERS:-1000}"; K="${CLIENTS:-50}"; N="${CONNECTIONS:-10000}"
D="${DURATION:-10s}"; W="${WARMUP:-3s}"; P="${PORT:-8080}"
out="$here/target/suite-$(date +%Y%m%d-%H%M%S).txt"
server_pid=""
stop() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi; }
trap stop EXIT
start() { # kind port args...
  local kind="$1" port="$2"; shift 2
  "$here/run-server.sh" "$kind" --port "$port" "$@" > "$here/target/server-$kind.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do grep -q ready "$here/target/server-$kind.log" 2>/dev/null && return 0; sleep 0.2; done
  echo "server $kind did not start" >&2; cat "$here/target/server-$kind.log" >&2; exit 1
}
run() { "$here/run-bench.sh" "$@" | tee -a "$out"; }
half() { awk -v k="$2" '{for(i=1;i<=NF;i++){split($i,a,"="); if(a[1]==k){printf "%.0f", a[2]/2}}}' <<<"$1"; }

echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)" | tee "$out"

start baseline $((P + 10))
b=$(run baseline --url ws://127.0.0.1:$((P + 10))/ws --receivers "$C" --duration "$D" --warmup "$W")
run baseline --url ws://127.0.0.1:$((P + 10))/ws --receivers "$C" --duration "$D" --warmup "$W" --rate "$(half "$b" sent_per_s)" >/dev/null
br=$(run rpc --url ws://127.0.0.1:$((P + 10))/ws --clients "$K" --duration "$D" --warmup "$W")
run rpc --url ws://127.0.0.1:$((P + 10))/ws --clients "$K" --duration "$D" --warmup "$W" --rate "$(half "$br" calls_per_s)" >/dev/null
run connections --url ws://127.0.0.1:$((P + 10))/ws --connections "$N" --hold 5s >/dev/null
stop

start switchboard "$P"
f=$(run fanout --url ws://127.0.0.1:$P/ws --receivers "$C" --duration "$D" --warmup "$W")
run fanout --url ws://127.0.0.1:$P/ws --receivers "$C" --duration "$D" --warmup "$W" --rate "$(half "$f" sent_per_s)" >/dev/null
r=$(run rpc --url ws://127.0.0.1:$P/ws --clients "$K" --duration "$D" --warmup "$W")
run rpc --url ws://127.0.0.1:$P/ws --clients "$K" --duration "$D" --warmup "$W" --rate "$(half "$r" calls_per_s)" >/dev/null
run connections --url ws://127.0.0.1:$P/ws --connections "$N" --hold 5s >/dev/null
stop

start switchboard "$P" --nodes 2
x=$(run crossnode --publish-url ws://127.0.0.1:$P/ws --url ws://127.0.0.1:$((P + 1))/ws --receivers "$C" --duration "$D" --warmup "$W")
run crossnode --publish-url ws://127.0.0.1:$P/ws --url ws://127.0.0.1:$((P + 1))/ws --receivers "$C" --duration "$D" --warmup "$W" --rate "$(half "$x" sent_per_s)" >/dev/null
stop
echo "# written to $out"
