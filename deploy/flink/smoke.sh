#!/usr/bin/env bash
# Proves the standalone cluster works end to end, on its own ports and state dir (target/flink-smoke):
#   build the smoke job (smoke/, javac into target/) -> start JobManager + TaskManager -> submit ->
#   RUNNING + a completed checkpoint -> the job's deliberate failure restarts it in the SAME TaskManager
#   (DJL's libtorch must survive the new user-code class loader) -> SIGKILL the TaskManager -> start a
#   new one -> the job restores from a checkpoint and is RUNNING again, its keyed state consistent ->
#   stop everything and check that no process it started is left.
# Usage: deploy/flink/smoke.sh        Exit 0 and "SMOKE PASSED ..." as the last line, or non-zero.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export FLINK_STATE_DIR="${FLINK_STATE_DIR:-$(cd "$HERE/../.." && pwd)/target/flink-smoke/cluster}"
export FLINK_RPC_PORT="${FLINK_RPC_PORT:-16123}" FLINK_BLOB_PORT="${FLINK_BLOB_PORT:-16124}"
export FLINK_REST_PORT="${FLINK_REST_PORT:-18081}" FLINK_TM_RPC_PORTS="${FLINK_TM_RPC_PORTS:-16130-16149}"
export AVRO_TRUSTED_PACKAGES="dev.eveflink.operators.avro,dev.eveflink.smoke"
source "$HERE/flink-env.sh"
flink_require

SMOKE_DIR="$REPO_ROOT/target/flink-smoke"
JAR="$SMOKE_DIR/smoke-job.jar"
step() { echo "== $(date +%T) $*"; }
fail() { echo "SMOKE FAILED: $*" >&2; exit 1; }
# Starts a TaskManager, shows its output, leaves its resource id (the script's last line) in $TM.
start_tm() {
  local out
  out="$("$HERE/start-taskmanager.sh")"
  echo "$out"
  TM="$(tail -n 1 <<<"$out")"
  started_pids+=("$(cat "$FLINK_RUN_DIR/taskmanager-$TM.pid")")
}

started_pids=()
cleanup() {
  local rc=$?
  "$HERE/stop-cluster.sh" >/dev/null 2>&1 || true
  local pid
  for pid in "${started_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "process $pid still alive after stop-cluster.sh; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      rc=1
    fi
  done
  exit "$rc"
}
trap cleanup EXIT

"$HERE/stop-cluster.sh" >/dev/null             # a previous run's leftovers, if any
rm -rf "$FLINK_STATE_DIR" "$SMOKE_DIR/classes" "$JAR"

step "building the smoke job"
CP="$(flink_classpath)"
mkdir -p "$SMOKE_DIR/classes"
javac --release 17 -d "$SMOKE_DIR/classes" -cp "$CP" $(find "$HERE/smoke" -name '*.java')
jar cf "$JAR" -C "$SMOKE_DIR/classes" .

step "starting JobManager and TaskManager"
"$HERE/start-jobmanager.sh"
started_pids+=("$(cat "$FLINK_JM_PID_FILE")")
start_tm
TM1="$TM"

step "submitting"
t="$(flink_now_ms)"
JOB="$("$HERE/submit.sh" "$JAR" dev.eveflink.smoke.SmokeJob 50 150 2>/dev/null | tail -n 1)"
echo "submitted job $JOB in $(flink_since "$t")"
"$HERE/wait-for.sh" running "$JOB" --timeout 120
"$HERE/wait-for.sh" checkpoint "$JOB" 1 --timeout 60

step "deliberate failure (value >= 150, after a checkpoint): restart in the same TaskManager"
"$HERE/wait-for.sh" restarts "$JOB" 1 --timeout 60
"$HERE/wait-for.sh" restored "$JOB" --timeout 60
before="$(flink_rest "/jobs/$JOB/checkpoints" | jq '.counts.completed')"
"$HERE/wait-for.sh" checkpoint "$JOB" $((before + 1)) --timeout 60
"$HERE/job-status.sh" "$JOB"

step "SIGKILL TaskManager $TM1, start a new one"
last_cp="$(flink_rest "/jobs/$JOB/checkpoints" | jq '.latest.completed.id')"
t="$(flink_now_ms)"
"$HERE/stop-taskmanager.sh" --kill "$TM1"
start_tm
TM2="$TM"
"$HERE/wait-for.sh" restarts "$JOB" 2 --timeout 120
"$HERE/wait-for.sh" restored "$JOB" --timeout 120
echo "recovered: RUNNING again $(flink_since "$t") after the kill"
restored="$(flink_rest "/jobs/$JOB/checkpoints" | jq '.latest.restored.id')"
(( restored >= last_cp )) || fail "restored checkpoint $restored is older than $last_cp, the last one before the kill"
before="$(flink_rest "/jobs/$JOB/checkpoints" | jq '.counts.completed')"
"$HERE/wait-for.sh" checkpoint "$JOB" $((before + 1)) --timeout 60
"$HERE/job-status.sh" "$JOB"

step "checking the job's output"
OUT1="$FLINK_LOG_DIR/taskmanager-$TM1.out"
OUT2="$FLINK_LOG_DIR/taskmanager-$TM2.out"
new_tm_lines="$(grep -c '^SMOKE attempt' "$OUT2" || true)"
(( new_tm_lines > 0 )) || fail "the new TaskManager printed no results"
! grep -h '^SMOKE attempt.*ok=false' "$OUT1" "$OUT2" | head -n 3 | grep . || fail "keyed state inconsistent (ok=false above)"
first_value="$(grep -m1 '^SMOKE attempt' "$OUT2" | sed -E 's/.* value=([0-9]+) .*/\1/')"
(( first_value > 150 )) || fail "the new TaskManager started at value $first_value: the source position was not restored"
# Every open() in both TaskManagers must see DJL from the system class loader (lib/), not the job jar.
djl_loaders="$(grep -h '^SMOKE-DJL' "$OUT1" "$OUT2" | grep -o 'djlLoader=[^ ]*' | sort -u)"
[[ -n "$djl_loaders" ]] || fail "no DJL line in the TaskManager output"
! grep -v 'AppClassLoader' <<<"$djl_loaders" || fail "DJL was loaded by a user-code class loader (above)"
grep -q '^SMOKE-DJL attempt=1 engine=PyTorch' "$OUT1" || fail "no PyTorch op after the in-TaskManager restart"
results="$(cat "$OUT1" "$OUT2" | grep -c '^SMOKE attempt')"

step "stopping the cluster"
"$HERE/stop-cluster.sh"
for pid in "${started_pids[@]}"; do
  ! kill -0 "$pid" 2>/dev/null || fail "process $pid is still alive"
done
echo "SMOKE PASSED job=$JOB results=$results new_tm_results=$new_tm_lines restored_from=$restored first_value_after_kill=$first_value"
