#!/usr/bin/env bash
# Tests the chaos harness itself (deploy/cluster-chaos.sh) without the model job: builds a stand-in
# Kafka-to-Kafka exactly-once job and stand-in producer/verifier tools (standin/, javac into
# target/chaos-standin/, one fat jar) and runs cluster-chaos.sh against them. Same last line and exit
# status as cluster-chaos.sh. Usage: deploy/flink/chaos/selftest.sh [cluster-chaos.sh options]
# CHAOS_DELIVERY=at-least-once runs the stand-in without transactions: the harness must then FAIL
# (duplicates after the kill), which shows that the test can fail.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../flink-env.sh"

OUT="$REPO_ROOT/target/chaos-standin"
rm -rf "$OUT"
mkdir -p "$OUT/classes" "$OUT/fat"
# shellcheck disable=SC2086
mvn -q -B $FLINK_MVN_OPTS -f "$HERE/standin/pom.xml" dependency:build-classpath \
  -Dmdep.outputFile="$OUT/classpath.txt" -Dmdep.includeScope=runtime >&2
DEPS="$(cat "$OUT/classpath.txt")"
javac --release 17 -d "$OUT/classes" -cp "$(flink_classpath):$DEPS" $(find "$HERE/standin" -name '*.java')
# Fat jar: the connector, kafka-clients and the rest of the stand-in's runtime classpath, like a shaded job jar.
IFS=':' read -ra jars <<<"$DEPS"
for j in "${jars[@]}"; do (cd "$OUT/fat" && unzip -qo "$j"); done
rm -f "$OUT/fat/META-INF/"*.SF "$OUT/fat/META-INF/"*.RSA "$OUT/fat/META-INF/"*.DSA "$OUT/fat/module-info.class"
cp -r "$OUT/classes/." "$OUT/fat/"
jar cf "$OUT/standin.jar" -C "$OUT/fat" .

CHAOS_JOB_JAR="$OUT/standin.jar" CHAOS_TOOLS_JAR="$OUT/standin.jar" \
CHAOS_JOB_MAIN=dev.eveflink.chaosstandin.StandinJob CHAOS_TOOLS_PACKAGE=dev.eveflink.chaosstandin \
  exec "$REPO_ROOT/deploy/cluster-chaos.sh" "$@"
