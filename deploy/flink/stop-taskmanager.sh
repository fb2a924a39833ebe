#!/usr/bin/env bash
# Stops TaskManagers started by start-taskmanager.sh, by the PIDs in their PID files (never by name).
# Usage: deploy/flink/stop-taskmanager.sh [--kill] [RESOURCE_ID | --all]
#   default: the most recently started running TaskManager.
#   --kill:  SIGKILL at once (no shutdown hooks, no goodbye to the JobManager): the chaos test's crash.
# Idempotent: when none runs, says so and exits 0.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/flink-env.sh"

SIGNAL=TERM
TARGET=""
for arg in "$@"; do
  case "$arg" in
    --kill) SIGNAL=KILL ;;
    --all) TARGET="--all" ;;
    -*) echo "Unknown option $arg; usage: stop-taskmanager.sh [--kill] [RESOURCE_ID | --all]" >&2; exit 2 ;;
    *) TARGET="$arg" ;;
  esac
done

running=()
for id in $(flink_tm_ids); do
  if flink_tm_pid "$id" >/dev/null; then running+=("$id"); else rm -f "$FLINK_RUN_DIR/taskmanager-$id.pid"; fi
done
case "$TARGET" in
  --all) targets=("${running[@]}") ;;
  "") targets=("${running[@]: -1}") ;;
  *) targets=("$TARGET") ;;
esac
if [[ ${#running[@]} -eq 0 || ${#targets[@]} -eq 0 ]]; then
  echo "No TaskManager running"
  exit 0
fi

for id in "${targets[@]}"; do
  if ! pid="$(flink_tm_pid "$id")"; then
    echo "TaskManager $id not running"
    continue
  fi
  kill -"$SIGNAL" "$pid"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "TaskManager $id (pid $pid) ignored SIG$SIGNAL for 30 s; sending SIGKILL" >&2
    kill -KILL "$pid"
  fi
  rm -f "$FLINK_RUN_DIR/taskmanager-$id.pid"
  echo "TaskManager $id stopped with SIG$SIGNAL (pid $pid)"
done
