#!/usr/bin/env bash
# Starts one more Flink TaskManager as its own OS process (bound to 127.0.0.1) and waits until it has
# registered with the JobManager. Each TaskManager gets its own resource id (tm-1, tm-2, ... in start
# order, never reused within one state dir) and PID file run/taskmanager-<id>.pid.
# Usage: deploy/flink/start-taskmanager.sh [RESOURCE_ID]   (prints the resource id on its last line)
# Needs the JobManager's config.yaml (run start-jobmanager.sh first).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/flink-env.sh"
flink_require

if [[ ! -f "$FLINK_CONF_DIR/config.yaml" ]]; then
  echo "No $FLINK_CONF_DIR/config.yaml; run deploy/flink/start-jobmanager.sh first" >&2
  exit 1
fi
mkdir -p "$FLINK_RUN_DIR" "$FLINK_LOG_DIR"
if [[ $# -ge 1 ]]; then
  TM_ID="$1"
  [[ "$TM_ID" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "Bad resource id '$TM_ID'" >&2; exit 1; }
  if pid="$(flink_tm_pid "$TM_ID")"; then
    echo "TaskManager $TM_ID already running (pid $pid)"
    echo "$TM_ID"
    exit 0
  fi
else
  COUNTER_FILE="$FLINK_RUN_DIR/taskmanager.counter"
  n=$(( $(cat "$COUNTER_FILE" 2>/dev/null || echo 0) + 1 ))
  echo "$n" > "$COUNTER_FILE"
  TM_ID="tm-$n"
fi
PID_FILE="$FLINK_RUN_DIR/taskmanager-$TM_ID.pid"
# The EVE engine's threads free native memory other threads allocated; with glibc's default arenas (8 per core) that
# fragments and RSS creeps up over a long run while the live tensors stay flat (deploy/bench.sh measures both).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
LOG_FILE="$FLINK_LOG_DIR/taskmanager-$TM_ID.log"

start="$(flink_now_ms)"
CP="$(flink_classpath)"
{ read -r JVM_PARAMS; read -r DYNAMIC_PROPS; } <<<"$(flink_resource_params GET_TM_RESOURCE_PARAMS)"

# shellcheck disable=SC2086  # JVM_PARAMS and DYNAMIC_PROPS are word lists by design
nohup java $JVM_PARAMS "${FLINK_JAVA_FLAGS[@]}" \
  -Dlog.file="$LOG_FILE" -Dlog4j.configurationFile="$FLINK_CONF_DIR/log4j.properties" \
  -cp "$CP" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
  --configDir "$FLINK_CONF_DIR" -Dtaskmanager.resource-id="$TM_ID" $DYNAMIC_PROPS \
  >>"$FLINK_LOG_DIR/taskmanager-$TM_ID.out" 2>&1 </dev/null &
PID=$!
echo "$PID" > "$PID_FILE"

registered() {
  kill -0 "$PID" 2>/dev/null || return 0   # stop waiting; checked below
  flink_rest "/taskmanagers" | jq -e --arg id "$TM_ID" '.taskmanagers | any(.id == $id)' >/dev/null
}
if flink_rest /overview >/dev/null 2>&1; then
  flink_wait_until 120 registered || true
  if ! kill -0 "$PID" 2>/dev/null; then
    echo "TaskManager $TM_ID exited during start-up; last lines of its .out and log:" >&2
    tail -n 30 "$FLINK_LOG_DIR/taskmanager-$TM_ID.out" "$LOG_FILE" >&2 || true
    rm -f "$PID_FILE"
    exit 1
  fi
  if ! registered; then
    echo "TaskManager $TM_ID (pid $PID) did not register within 120 s; see $LOG_FILE" >&2
    exit 1
  fi
  echo "TaskManager $TM_ID started (pid $PID) and registered in $(flink_since "$start"); log $LOG_FILE"
else
  echo "TaskManager $TM_ID started (pid $PID); no JobManager answers yet, it will register when one does"
fi
echo "$TM_ID"
