#!/usr/bin/env bash
# Stops every process the deploy/flink scripts started: all TaskManagers, then the JobManager
# (each by the PID in its PID file, never by name). Idempotent. Usage: deploy/flink/stop-cluster.sh [--kill]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/flink-env.sh"

SIGNAL=TERM
[[ "${1:-}" == "--kill" ]] && SIGNAL=KILL

"$FLINK_DEPLOY_DIR/stop-taskmanager.sh" ${1:+"$1"} --all

if ! pid="$(flink_jm_pid)"; then
  rm -f "$FLINK_JM_PID_FILE"
  echo "JobManager not running"
  exit 0
fi
kill -"$SIGNAL" "$pid"
for _ in $(seq 1 300); do
  if ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$FLINK_JM_PID_FILE"
    echo "JobManager stopped (pid $pid)"
    exit 0
  fi
  sleep 0.1
done
echo "JobManager (pid $pid) ignored SIG$SIGNAL for 30 s; sending SIGKILL" >&2
kill -KILL "$pid"
rm -f "$FLINK_JM_PID_FILE"
