#!/usr/bin/env bash
# Starts one Kafka broker in KRaft mode (broker and controller in one JVM) from the kafka_2.13 artifact that the
# backplane-kafka tests use, for `--backplane kafka://127.0.0.1:<port>` in the bench or the examples. No Docker, no
# download beyond Maven's. Stops with Ctrl-C; its data stays in the directory.
#   bench/run-kafka.sh [--port 9092] [--dir /tmp/switchboard-kafka] [--cpu 1]
# KAFKA_HEAP (-Xmx, default 512m).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port=9092; dir="${TMPDIR:-/tmp}/switchboard-kafka"; cpu=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --cpu) cpu="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$dir"
cp_file="$dir/classpath.txt"
if [ ! -s "$cp_file" ]; then
  # The reactor resolves the module's test class path (kafka_2.13 and its dependencies) after compiling it.
  (cd "$here/.." && mvn -B -q -ntp -pl backplane-kafka -am -DskipTests test-compile dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2)
fi
controller=$((port + 1))
cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
java_cmd=(java -Xmx"${KAFKA_HEAP:-512m}" -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$(cat "$cp_file")")
if [ ! -f "$dir/data/meta.properties" ]; then
  cluster_id="$("${java_cmd[@]}" kafka.tools.StorageTool random-uuid | tail -1)"
  "${java_cmd[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" --ignore-formatted >&2
fi
echo "Kafka on 127.0.0.1:$port (data in $dir): --backplane kafka://127.0.0.1:$port" >&2
if [ -n "$cpu" ]; then exec taskset -c "$cpu" "${java_cmd[@]}" kafka.Kafka "$dir/server.properties"; fi
exec "${java_cmd[@]}" kafka.Kafka "$dir/server.properties"
