#!/usr/bin/env bash
# Starts a bench server pinned to one core, with the GC and heap chosen in docs/benchmarks.md.
#   bench/run-server.sh switchboard --port 8080 [--nodes 2] [--backplane none|memory|redis://…]
#   bench/run-server.sh baseline --port 8090
# Environment: SERVER_CPU (core to pin to, default 0), SERVER_GC (default -XX:+UseSerialGC, see docs/benchmarks.md),
# SERVER_HEAP (-Xms = -Xmx, default 1g), SERVER_JAVA_OPTS (more JVM flags, e.g. -XX:StartFlightRecording=...).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/switchboard-bench.jar"
[ -f "$jar" ] || { echo "build first: mvn -B -q install -DskipTests" >&2; exit 1; }
kind="${1:?switchboard or baseline}"; shift
case "$kind" in
  switchboard) main=dev.switchboard.bench.server.BenchServer ;;
  baseline) main=dev.switchboard.bench.server.BaselineServer ;;
  *) echo "unknown server kind $kind (switchboard|baseline)" >&2; exit 2 ;;
esac
heap="${SERVER_HEAP:-1g}"
# shellcheck disable=SC2086
exec taskset -c "${SERVER_CPU:-0}" java ${SERVER_GC:--XX:+UseSerialGC} -Xms"$heap" -Xmx"$heap" -XX:+AlwaysPreTouch \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${SERVER_JAVA_OPTS:-} -cp "$jar" "$main" "$@"
