#!/usr/bin/env bash
# Stops the broker started by start-kafka.sh, by the PID in its PID file (never by name).
# Idempotent: when none runs, says so and exits 0.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/kafka-env.sh"

if ! pid="$(kafka_running_pid)"; then
  rm -f "$KAFKA_PID_FILE"
  echo "Kafka not running"
  exit 0
fi
kill -TERM "$pid"
for _ in $(seq 1 300); do
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$KAFKA_PID_FILE"
    echo "Kafka stopped (pid $pid)"
    exit 0
  fi
  sleep 0.1
done
echo "Kafka (pid $pid) ignored SIGTERM for 30 s; sending SIGKILL" >&2
kill -KILL "$pid"
rm -f "$KAFKA_PID_FILE"
