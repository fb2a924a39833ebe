#!/usr/bin/env bash
# Shows the cluster's jobs (REST /jobs/overview): one line per job: JOB_ID STATE NAME.
# With a JOB_ID, one line about that job: state, restarts (metric numRestarts), completed checkpoints
# and the id of the checkpoint it last restored from (REST /jobs/<id>, /jobs/<id>/checkpoints).
# Usage: deploy/flink/job-status.sh [JOB_ID]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/flink-env.sh"
flink_require

if [[ $# -eq 0 ]]; then
  flink_rest /jobs/overview | jq -r '.jobs[] | "\(.jid) \(.state) \(.name)"'
  exit 0
fi
job="$(flink_rest "/jobs/$1")"
cps="$(flink_rest "/jobs/$1/checkpoints")"
metrics="$(flink_rest "/jobs/$1/metrics?get=numRestarts" || echo '[]')"
jq -rn --argjson j "$job" --argjson c "$cps" --argjson m "$metrics" \
  '"\($j.jid) \($j.state) name=\"\($j.name)\" restarts=\(($m | map(select(.id == "numRestarts")) | .[0].value) // "?")"
   + " completed_checkpoints=\($c.counts.completed) restored_from=\($c.latest.restored.id // "none")"'
