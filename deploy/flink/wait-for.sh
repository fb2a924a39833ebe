#!/usr/bin/env bash
# Waits for a cluster condition, polling the REST API every 0.5 s; exits 0 as soon as it holds,
# 1 with a message naming the condition after the timeout.
# Usage: deploy/flink/wait-for.sh CONDITION [ARGS...] [--timeout SECONDS]   (default timeout 120)
#   rest                         the REST API answers
#   taskmanagers N               at least N TaskManagers are registered
#   running JOB_ID               the job and ALL its tasks are RUNNING
#   checkpoint JOB_ID [N]        at least N (default 1) checkpoints completed
#   restored JOB_ID              the job restored from a checkpoint and is RUNNING again
#   restarts JOB_ID N            the job restarted at least N times (numRestarts)
# Prints how long the wait took.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/flink-env.sh"
flink_require

TIMEOUT=120
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --timeout) TIMEOUT="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
set -- "${args[@]}"
[[ $# -ge 1 ]] || { sed -n '2,12p' "$0" >&2; exit 2; }

rest_up() { flink_rest /overview >/dev/null 2>&1; }
taskmanagers() { [[ "$(flink_rest /taskmanagers 2>/dev/null | jq '.taskmanagers | length')" -ge "$1" ]] 2>/dev/null; }
# RUNNING with every task RUNNING (a job is RUNNING while its tasks are still being deployed).
job_running() {
  flink_rest "/jobs/$1" 2>/dev/null | jq -e '.state == "RUNNING" and
    ([.vertices[].tasks | to_entries[] | select(.key != "RUNNING" and .value > 0)] | length == 0)' >/dev/null
}
checkpoints() {
  [[ "$(flink_rest "/jobs/$1/checkpoints" 2>/dev/null | jq '.counts.completed')" -ge "$2" ]] 2>/dev/null
}
restored() {
  flink_rest "/jobs/$1/checkpoints" 2>/dev/null | jq -e '.latest.restored != null' >/dev/null && job_running "$1"
}
restarts() {
  [[ "$(flink_rest "/jobs/$1/metrics?get=numRestarts" 2>/dev/null | jq -r '.[0].value')" -ge "$2" ]] 2>/dev/null
}

start="$(flink_now_ms)"
case "$1" in
  rest) what="REST API on $FLINK_HOST:$FLINK_REST_PORT"; check=(rest_up) ;;
  taskmanagers) what="$2 registered TaskManager(s)"; check=(taskmanagers "$2") ;;
  running) what="job $2 RUNNING with all tasks running"; check=(job_running "$2") ;;
  checkpoint) what="${3:-1} completed checkpoint(s) of job $2"; check=(checkpoints "$2" "${3:-1}") ;;
  restored) what="job $2 restored from a checkpoint and RUNNING"; check=(restored "$2") ;;
  restarts) what="$3 restart(s) of job $2"; check=(restarts "$2" "$3") ;;
  *) echo "Unknown condition '$1'" >&2; sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
if flink_wait_until "$TIMEOUT" "${check[@]}"; then
  echo "Waited $(flink_since "$start") for $what"
else
  echo "Timed out after $TIMEOUT s waiting for $what" >&2
  exit 1
fi
