#!/usr/bin/env bash
# Runs one generator scenario pinned to the other core; prints ONE line of figures.
#   bench/run-bench.sh fanout --url ws://127.0.0.1:8080/ws --receivers 1000 --duration 10s
# Environment: GEN_CPU (default 1), GEN_HEAP (default 2g), GEN_JAVA_OPTS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/switchboard-bench.jar"
[ -f "$jar" ] || { echo "build first: mvn -B -q -pl bench -am package -DskipTests" >&2; exit 1; }
heap="${GEN_HEAP:-2g}"
# shellcheck disable=SC2086
exec taskset -c "${GEN_CPU:-1}" java -XX:+UseParallelGC -Xms"$heap" -Xmx"$heap" ${GEN_JAVA_OPTS:-} \
  -cp "$jar" dev.switchboard.bench.Bench "$@"
