#!/usr/bin/env bash
# Creates topics on the local broker, skipping those that exist (idempotent).
# Usage: deploy/kafka/create-topics.sh [topic ...]
#   default topics: eve.requests eve.results eve.flagged eve.dead-letters eve.policies; env KAFKA_PARTITIONS
#   (default 2; a *.policies topic is compacted with one partition).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/kafka-env.sh"

if [[ $# -eq 0 ]]; then
  set -- eve.requests eve.results eve.flagged eve.dead-letters eve.policies
fi
if ! port_answers "$KAFKA_PORT"; then
  echo "No broker answers on $KAFKA_HOST:$KAFKA_PORT; run deploy/kafka/start-kafka.sh first" >&2
  exit 1
fi
CP="$(kafka_classpath)"
java -Dlog4j2.configurationFile="$KAFKA_DEPLOY_DIR/log4j2.properties" -Dkafka.log.file="$KAFKA_STATE_DIR/tools.log" \
  -cp "$CP" "$KAFKA_DEPLOY_DIR/CreateTopics.java" "$KAFKA_HOST:$KAFKA_PORT" "${KAFKA_PARTITIONS:-2}" "$@"
