#!/usr/bin/env bash
# Starts the Flink JobManager (standalone session cluster) as its own OS process, bound to 127.0.0.1.
# Idempotent: if our JobManager already runs, says so and exits 0. Rewrites conf/config.yaml first.
# Waits until the REST API answers. Usage: deploy/flink/start-jobmanager.sh  (env: see flink-env.sh)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/flink-env.sh"
flink_require

if pid="$(flink_jm_pid)"; then
  echo "JobManager already running (pid $pid), REST http://$FLINK_HOST:$FLINK_REST_PORT"
  exit 0
fi
rm -f "$FLINK_JM_PID_FILE"
for port in "$FLINK_RPC_PORT" "$FLINK_REST_PORT" "$FLINK_BLOB_PORT"; do
  if flink_port_answers "$port"; then
    echo "Port $FLINK_HOST:$port is taken by another process; set FLINK_RPC_PORT/FLINK_REST_PORT/FLINK_BLOB_PORT" >&2
    exit 1
  fi
done

start="$(flink_now_ms)"
CP="$(flink_classpath)"
flink_write_config
{ read -r JVM_PARAMS; read -r DYNAMIC_PROPS; } <<<"$(flink_resource_params GET_JM_RESOURCE_PARAMS)"
LOG_FILE="$FLINK_LOG_DIR/jobmanager.log"

# shellcheck disable=SC2086  # JVM_PARAMS and DYNAMIC_PROPS are word lists by design
nohup java $JVM_PARAMS "${FLINK_JAVA_FLAGS[@]}" \
  -Dlog.file="$LOG_FILE" -Dlog4j.configurationFile="$FLINK_CONF_DIR/log4j.properties" \
  -cp "$CP" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
  --configDir "$FLINK_CONF_DIR" $DYNAMIC_PROPS \
  >>"$FLINK_LOG_DIR/jobmanager.out" 2>&1 </dev/null &
PID=$!
echo "$PID" > "$FLINK_JM_PID_FILE"

rest_up() {
  kill -0 "$PID" 2>/dev/null || return 0   # stop waiting; checked below
  flink_rest /overview >/dev/null
}
flink_wait_until 120 rest_up || true
if ! kill -0 "$PID" 2>/dev/null; then
  echo "JobManager exited during start-up; last lines of $FLINK_LOG_DIR/jobmanager.out and $LOG_FILE:" >&2
  tail -n 30 "$FLINK_LOG_DIR/jobmanager.out" "$LOG_FILE" >&2 || true
  rm -f "$FLINK_JM_PID_FILE"
  exit 1
fi
if ! flink_rest /overview >/dev/null; then
  echo "JobManager (pid $PID) did not answer on http://$FLINK_HOST:$FLINK_REST_PORT within 120 s; see $LOG_FILE" >&2
  exit 1
fi
echo "JobManager started (pid $PID) in $(flink_since "$start"); REST http://$FLINK_HOST:$FLINK_REST_PORT; log $LOG_FILE"
