#!/usr/bin/env bash
# Starts a bench server pinned to one core, with the GC and heap chosen in docs/benchmarks.md.
#   bench/run-server.sh switchboard --port 8700 [--nodes 2] [--backplane none|memory|redis://…]
#   bench/run-server.sh baseline --port 8710
#   bench/run-server.sh socketio --port 8720 [--nodes 2 --backplane redis://127.0.0.1:6379]
# Environment: SERVER_CPU (core to pin to, default 0), SERVER_GC (default -XX:+UseSerialGC, see docs/benchmarks.md),
# SERVER_HEAP (-Xms = -Xmx, default 1g), SERVER_JAVA (the java to run, default java on the PATH),
# SERVER_JAVA_OPTS (more JVM flags, e.g. -XX:StartFlightRecording=...), SERVER_NODE_OPTS (more node flags).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/switchboard-bench.jar"
kind="${1:?switchboard, baseline or socketio}"; shift
case "$kind" in
  switchboard) main=dev.switchboard.bench.server.BenchServer ;;
  baseline) main=dev.switchboard.bench.server.BaselineServer ;;
  socketio)
    [ -d "$here/socketio/node_modules/socket.io" ] || "$here/socketio/install.sh" >&2
    # shellcheck disable=SC2086
    exec taskset -c "${SERVER_CPU:-0}" node --expose-gc ${SERVER_NODE_OPTS:-} "$here/socketio/server.js" "$@" ;;
  *) echo "unknown server kind $kind (switchboard|baseline|socketio)" >&2; exit 2 ;;
esac
[ -f "$jar" ] || { echo "build first: mvn -B -q -pl bench -am package -DskipTests" >&2; exit 1; }
heap="${SERVER_HEAP:-1g}"
# shellcheck disable=SC2086
exec taskset -c "${SERVER_CPU:-0}" "${SERVER_JAVA:-java}" ${SERVER_GC:--XX:+UseSerialGC} -Xms"$heap" -Xmx"$heap" \
  -XX:+AlwaysPreTouch -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${SERVER_JAVA_OPTS:-} -cp "$jar" "$main" "$@"
