#!/usr/bin/env bash
# End-to-end chaos test on REAL processes: a Kafka broker (deploy/kafka), a standalone Flink cluster
# (deploy/flink: JobManager + TaskManager JVMs), the eve-flink job submitted with Flink's CLI, N events
# produced, the TaskManager SIGKILLed mid-stream, a new TaskManager started, the job recovered, and
# every input accounted for exactly once in the committed outputs (read_committed).
#
# It BUILDS NOTHING: run it on a built checkout (e.g. `mvn -o -q install -DskipTests`), which must hold
#   flink-job/target/eve-flink-job.jar        shaded job jar, main class dev.eveflink.job.EveJob
#   flink-job/target/eve-flink-job-tools.jar  dev.eveflink.job.tools.{EventProducer,ResultVerifier}
#   model/src/test/golden/eve-tiny            the model the job serves
#
# Usage: deploy/cluster-chaos.sh [--events N] [--seed S] [--verify-timeout 300s] [--port-base P]
#   --events N         events to produce (default 1000)
#   --seed S           producer seed (default 7)
#   --verify-timeout   how long the verifier waits for all results (default 300s)
#   --port-base P      ports used: Kafka P+92, controller P+93, Flink RPC P+23, blob P+24, REST P+81,
#                      TaskManager RPC P+30..P+49 (default 29000, away from every default port)
# Env: CHAOS_SLOTS (slots per TaskManager, default 2), CHAOS_JOB_JAR, CHAOS_TOOLS_JAR, CHAOS_JOB_MAIN,
#      CHAOS_TOOLS_PACKAGE, CHAOS_MODEL_DIR (to point the test at other builds), CHAOS_STATE_DIR,
#      CHAOS_DELIVERY (the job's --delivery, default exactly-once; other values are for negative tests).
# All state lives in target/chaos/ (wiped at start). Every process it starts is stopped on exit, also
# on failure. The LAST line is the verifier's `total=N lost=L duplicated=D` (or `CHAOS FAILED: ...`);
# the exit status is 0 only when the verifier found nothing lost and nothing duplicated.
set -euo pipefail
DEPLOY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$DEPLOY/.." && pwd)"

EVENTS=1000
SEED=7
VERIFY_TIMEOUT=300s
PORT_BASE=29000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --events) EVENTS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --verify-timeout) VERIFY_TIMEOUT="$2"; shift 2 ;;
    --port-base) PORT_BASE="$2"; shift 2 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "Unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$EVENTS" =~ ^[1-9][0-9]*$ ]] || { echo "--events must be a positive number" >&2; exit 2; }

JOB_JAR="${CHAOS_JOB_JAR:-$REPO/flink-job/target/eve-flink-job.jar}"
TOOLS_JAR="${CHAOS_TOOLS_JAR:-$REPO/flink-job/target/eve-flink-job-tools.jar}"
JOB_MAIN="${CHAOS_JOB_MAIN:-dev.eveflink.job.EveJob}"
TOOLS_PACKAGE="${CHAOS_TOOLS_PACKAGE:-dev.eveflink.job.tools}"
MODEL_DIR="${CHAOS_MODEL_DIR:-$REPO/model/src/test/golden/eve-tiny}"
STATE="${CHAOS_STATE_DIR:-$REPO/target/chaos}"

INPUT_TOPIC=eve.requests
RESULTS_TOPIC=eve.results
FLAGGED_TOPIC=eve.flagged
DLQ_TOPIC=eve.dead-letters
POLICIES_TOPIC=eve.policies

# Both deploy/ script families read these; unique ports and dirs keep us off a developer's broker/cluster.
export KAFKA_PORT=$((PORT_BASE + 92)) KAFKA_CONTROLLER_PORT=$((PORT_BASE + 93)) KAFKA_STATE_DIR="$STATE/kafka"
export FLINK_RPC_PORT=$((PORT_BASE + 23)) FLINK_BLOB_PORT=$((PORT_BASE + 24)) FLINK_REST_PORT=$((PORT_BASE + 81))
export FLINK_TM_RPC_PORTS="$((PORT_BASE + 30))-$((PORT_BASE + 49))" FLINK_STATE_DIR="$STATE/flink"
export FLINK_SLOTS="${CHAOS_SLOTS:-2}"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

# --- preflight: everything this script needs but does not build -----------------------------------
missing=()
[[ -f "$JOB_JAR" ]] || missing+=("job jar $JOB_JAR")
[[ -f "$TOOLS_JAR" ]] || missing+=("tools jar $TOOLS_JAR")
[[ -d "$MODEL_DIR" ]] || missing+=("model directory $MODEL_DIR")
[[ -x "$DEPLOY/kafka/start-kafka.sh" ]] || missing+=("deploy/kafka/start-kafka.sh")
if [[ ${#missing[@]} -gt 0 ]]; then
  printf 'missing: %s\n' "${missing[@]}" >&2
  echo "cluster-chaos.sh builds nothing: build the checkout first (mvn -o -q install -DskipTests)" >&2
  echo "CHAOS FAILED: missing $(IFS=';'; echo "${missing[*]}")"
  exit 1
fi
source "$DEPLOY/flink/flink-env.sh"
flink_require

step() { echo "== $(date +%T) $*" >&2; }
reported=false
# Cleans up first, so that the failure is the last line of the output.
fail() {
  cleanup || true
  reported=true
  echo "CHAOS FAILED: $*"
  exit 1
}

# --- cleanup: every process we started, on every exit ------------------------------------------------
started_pids=()
cleaned=false
cleanup() {
  $cleaned && return 0
  cleaned=true
  step "cleaning up"
  if [[ -n "${PRODUCER_PID:-}" ]]; then
    kill -KILL "$PRODUCER_PID" 2>/dev/null || true
    wait "$PRODUCER_PID" 2>/dev/null || true
  fi
  "$DEPLOY/flink/stop-cluster.sh" >&2 || true
  "$DEPLOY/kafka/stop-kafka.sh" >&2 || true
  local pid left=0
  for pid in "${started_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "process $pid survived the stop scripts; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      left=1
    fi
  done
  return "$left"
}
on_exit() {
  local rc=$?
  if ! cleanup; then
    echo "CHAOS FAILED: a started process outlived the stop scripts (see above)"
    rc=1
  elif [[ $rc -ne 0 ]] && ! $reported; then
    echo "CHAOS FAILED: a step failed (exit $rc); see the messages above"
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

java_tool() { # runs a tools-jar main in the foreground with the job's JVM properties; $1 = simple class name
  java "${FLINK_JOB_FLAGS[@]}" -cp "$TOOLS_JAR" "$TOOLS_PACKAGE.$1" "${@:2}"
}
committed_results() {
  java -Dlog4j2.configurationFile="$DEPLOY/kafka/log4j2.properties" -Dkafka.log.file="$KAFKA_STATE_DIR/tools.log" \
    -cp "$(cat "$KAFKA_STATE_DIR/classpath.txt")" "$DEPLOY/flink/chaos/CountCommitted.java" \
    "$BOOTSTRAP" "$RESULTS_TOPIC,$DLQ_TOPIC" 2>>"$STATE/count.err"
}

# --- the test ---------------------------------------------------------------------------------------
"$DEPLOY/flink/stop-cluster.sh" >/dev/null 2>&1 || true    # leftovers of an interrupted run
"$DEPLOY/kafka/stop-kafka.sh" >/dev/null 2>&1 || true
rm -rf "$STATE"
mkdir -p "$STATE"
t_all="$(flink_now_ms)"

step "Kafka on $BOOTSTRAP"
"$DEPLOY/kafka/start-kafka.sh" >&2
started_pids+=("$(cat "$KAFKA_STATE_DIR/kafka.pid")")
"$DEPLOY/kafka/create-topics.sh" "$INPUT_TOPIC" "$RESULTS_TOPIC" "$FLAGGED_TOPIC" "$DLQ_TOPIC" "$POLICIES_TOPIC" >&2

step "Flink JobManager and TaskManager (REST http://127.0.0.1:$FLINK_REST_PORT)"
"$DEPLOY/flink/start-jobmanager.sh" >&2
started_pids+=("$(cat "$FLINK_JM_PID_FILE")")
start_tm() { # leaves the new TaskManager's resource id in $TM
  local out
  out="$("$DEPLOY/flink/start-taskmanager.sh")"
  echo "$out" >&2
  TM="$(tail -n 1 <<<"$out")"
  started_pids+=("$(cat "$FLINK_RUN_DIR/taskmanager-$TM.pid")")
}
start_tm
TM1="$TM"

step "submitting $JOB_MAIN"
JOB="$("$DEPLOY/flink/submit.sh" "$JOB_JAR" "$JOB_MAIN" \
  --bootstrap-servers "$BOOTSTRAP" --input-topic "$INPUT_TOPIC" --results-topic "$RESULTS_TOPIC" \
  --flagged-topic "$FLAGGED_TOPIC" --dead-letter-topic "$DLQ_TOPIC" --policies-topic "$POLICIES_TOPIC" --group-id chaos \
  --model-dir "$MODEL_DIR" --checkpoint-interval 1s --delivery "${CHAOS_DELIVERY:-exactly-once}" | tail -n 1)" \
  || fail "job submission failed (see above)"
"$DEPLOY/flink/wait-for.sh" running "$JOB" --timeout 180 >&2 || fail "job $JOB did not reach RUNNING"

step "producing $EVENTS events (seed $SEED)"
# java itself in the background (not a function: its PID would be a subshell's), so cleanup can kill it.
java "${FLINK_JOB_FLAGS[@]}" -cp "$TOOLS_JAR" "$TOOLS_PACKAGE.EventProducer" --bootstrap-servers "$BOOTSTRAP" \
  --topic "$INPUT_TOPIC" --count "$EVENTS" --seed "$SEED" >"$STATE/producer.out" 2>&1 &
PRODUCER_PID=$!

step "waiting for committed results and a completed checkpoint"
deadline=$((SECONDS + 300))
committed=0
while (( committed == 0 )); do
  (( SECONDS < deadline )) || fail "no committed result within 300 s; see $FLINK_LOG_DIR and $STATE/producer.out"
  kill -0 "$PRODUCER_PID" 2>/dev/null || wait "$PRODUCER_PID" \
    || fail "the producer failed: $(tail -n 5 "$STATE/producer.out")"
  flink_rest "/jobs/$JOB" | jq -e '.state == "RUNNING"' >/dev/null \
    || echo "job is $(flink_rest "/jobs/$JOB" | jq -r .state) before the kill" >&2
  committed="$(committed_results || echo 0)"
  (( committed > 0 )) || sleep 1
done
cps="$(flink_rest "/jobs/$JOB/checkpoints" | jq '.counts.completed')"
"$DEPLOY/flink/wait-for.sh" checkpoint "$JOB" $((cps + 1)) --timeout 60 >&2 || fail "no checkpoint completed"
committed="$(committed_results || echo 0)"
echo "before the kill: $committed committed results of $EVENTS, $((cps + 1))+ completed checkpoints" >&2
(( committed < EVENTS )) || echo "WARNING: all $EVENTS results were committed before the kill: the kill did not" \
  "hit the stream; use more --events" >&2

step "SIGKILL TaskManager $TM1 mid-stream, start a new TaskManager"
t_kill="$(flink_now_ms)"
restarts_before="$(flink_rest "/jobs/$JOB/metrics?get=numRestarts" | jq -r '.[0].value // 0')"
"$DEPLOY/flink/stop-taskmanager.sh" --kill "$TM1" >&2
start_tm
"$DEPLOY/flink/wait-for.sh" restarts "$JOB" $((restarts_before + 1)) --timeout 120 >&2 \
  || fail "the job never restarted after the kill"
"$DEPLOY/flink/wait-for.sh" running "$JOB" --timeout 180 >&2 || fail "job $JOB did not recover to RUNNING"
echo "recovered: job RUNNING again $(flink_since "$t_kill") after the kill" >&2
"$DEPLOY/flink/job-status.sh" "$JOB" >&2

wait "$PRODUCER_PID" || fail "the producer failed: $(tail -n 5 "$STATE/producer.out")"
PRODUCER_PID=""

step "verifying (read_committed, up to $VERIFY_TIMEOUT)"
set +e
java_tool ResultVerifier --bootstrap-servers "$BOOTSTRAP" --input-count "$EVENTS" \
  --topics "$RESULTS_TOPIC,$DLQ_TOPIC" --timeout "$VERIFY_TIMEOUT" >"$STATE/verifier.out" 2>&1
verify_rc=$?
set -e
head -n -1 "$STATE/verifier.out" >&2
VERDICT="$(tail -n 1 "$STATE/verifier.out")"
"$DEPLOY/flink/job-status.sh" "$JOB" >&2 || true
echo "total run time $(flink_since "$t_all")" >&2

cleanup || fail "a started process outlived the stop scripts (see above)"
reported=true
if [[ ! "$VERDICT" =~ ^total=[0-9]+\ lost=[0-9]+\ duplicated=[0-9]+$ ]]; then
  fail "the verifier (exit $verify_rc) printed no verdict; its output: $STATE/verifier.out"
fi
echo "$VERDICT"
[[ "$VERDICT" =~ lost=0\ duplicated=0$ && $verify_rc -eq 0 ]] || exit 1
