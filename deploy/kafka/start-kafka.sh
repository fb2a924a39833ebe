#!/usr/bin/env bash
# Starts a single-node KRaft Kafka broker as its own OS process, bound to 127.0.0.1 only.
# Idempotent: if our broker already runs, says so and exits 0. Formats storage on first start.
# Usage: deploy/kafka/start-kafka.sh    (env: KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_STATE_DIR, ...)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/kafka-env.sh"

if pid="$(kafka_running_pid)"; then
  echo "Kafka already running (pid $pid) on $KAFKA_HOST:$KAFKA_PORT"
  exit 0
fi
rm -f "$KAFKA_PID_FILE"
for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
  if port_answers "$port"; then
    echo "Port $KAFKA_HOST:$port is taken by another process; set KAFKA_PORT/KAFKA_CONTROLLER_PORT" >&2
    exit 1
  fi
done

CP="$(kafka_classpath)"
mkdir -p "$KAFKA_DATA_DIR"
cat > "$KAFKA_CONFIG" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DATA_DIR
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
# Inline images up to 8 MiB plus the event's other fields.
message.max.bytes=16777216
PROPS

JAVA_OPTS=(-Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP"
  -Dlog4j2.configurationFile="$KAFKA_DEPLOY_DIR/log4j2.properties"
  -Dkafka.log.file="$KAFKA_LOG_FILE")

if [[ ! -f "$KAFKA_DATA_DIR/meta.properties" ]]; then
  CLUSTER_ID="$(java "${JAVA_OPTS[@]}" -cp "$CP" kafka.tools.StorageTool random-uuid)"
  java "${JAVA_OPTS[@]}" -cp "$CP" kafka.tools.StorageTool format \
    -t "$CLUSTER_ID" -c "$KAFKA_CONFIG" >/dev/null
  echo "Formatted KRaft storage in $KAFKA_DATA_DIR (cluster $CLUSTER_ID)"
fi

nohup java "${JAVA_OPTS[@]}" -cp "$CP" kafka.Kafka "$KAFKA_CONFIG" \
  >>"$KAFKA_STATE_DIR/kafka.out" 2>&1 </dev/null &
PID=$!
echo "$PID" > "$KAFKA_PID_FILE"

for _ in $(seq 1 300); do
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "Kafka exited during start-up; last lines of $KAFKA_STATE_DIR/kafka.out and $KAFKA_LOG_FILE:" >&2
    tail -n 20 "$KAFKA_STATE_DIR/kafka.out" "$KAFKA_LOG_FILE" >&2 || true
    rm -f "$KAFKA_PID_FILE"
    exit 1
  fi
  if port_answers "$KAFKA_PORT"; then
    echo "Kafka started (pid $PID) on $KAFKA_HOST:$KAFKA_PORT; log $KAFKA_LOG_FILE"
    exit 0
  fi
  sleep 0.1
done
echo "Kafka (pid $PID) did not answer on $KAFKA_HOST:$KAFKA_PORT within 30 s; see $KAFKA_LOG_FILE" >&2
exit 1
