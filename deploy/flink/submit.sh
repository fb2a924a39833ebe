#!/usr/bin/env bash
# Submits a job jar to the running cluster with Flink's own CLI (CliFrontend run -d), detached.
# Usage: deploy/flink/submit.sh JOB_JAR MAIN_CLASS [JOB_ARGS...]
# Prints the CLI's output on stderr and the JobID alone on the LAST line of stdout (also written to
# run/last-job-id). The CLI JVM gets the same Java flags as the JobManager and TaskManagers
# (the job's main() runs here and builds the job graph).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/flink-env.sh"
flink_require

if [[ $# -lt 2 ]]; then
  echo "Usage: deploy/flink/submit.sh JOB_JAR MAIN_CLASS [JOB_ARGS...]" >&2
  exit 2
fi
JAR="$1"; MAIN="$2"; shift 2
[[ -f "$JAR" ]] || { echo "Job jar $JAR does not exist" >&2; exit 1; }
flink_rest /overview >/dev/null || {
  echo "No JobManager answers on http://$FLINK_HOST:$FLINK_REST_PORT; run deploy/flink/start-jobmanager.sh" >&2
  exit 1; }

CP="$(flink_classpath)"
mkdir -p "$FLINK_RUN_DIR"
OUT="$FLINK_RUN_DIR/submit.out"
# FLINK_CONF_DIR tells CliFrontend where config.yaml is; -m names the REST endpoint explicitly.
mkdir -p "$FLINK_STATE_DIR/plugins"
if ! FLINK_CONF_DIR="$FLINK_CONF_DIR" FLINK_PLUGINS_DIR="$FLINK_STATE_DIR/plugins" java "${FLINK_JAVA_FLAGS[@]}" \
    -Dlog4j.configurationFile="$FLINK_CONF_DIR/log4j-cli.properties" -Dlog4j2.configurationFile="$FLINK_CONF_DIR/log4j-cli.properties" \
    -cp "$CP" org.apache.flink.client.cli.CliFrontend \
    run -d -m "$FLINK_HOST:$FLINK_REST_PORT" -c "$MAIN" "$JAR" "$@" >"$OUT" 2>&1; then
  cat "$OUT" >&2
  echo "Submission of $JAR ($MAIN) failed; output above (also in $OUT)" >&2
  exit 1
fi
cat "$OUT" >&2
JOB_ID="$(grep -oE 'JobID [0-9a-f]{32}' "$OUT" | tail -n 1 | cut -d' ' -f2)"
[[ -n "$JOB_ID" ]] || { echo "The CLI printed no JobID; see $OUT" >&2; exit 1; }
echo "$JOB_ID" > "$FLINK_RUN_DIR/last-job-id"
echo "$JOB_ID"
