#!/usr/bin/env bash
# The local demo: an in-process Kafka broker, the EVE job on a local Flink MiniCluster, shapes-world
# images in, results printed against the truth, then a summary. Arguments pass through to LocalDemo:
#   deploy/demo.sh [--count N] [--rate EVENTS_PER_S] [--model-dir DIR] [--bootstrap-servers HOST:PORT] [--seed S]
# Builds what it runs from this checkout on every start (the reactor up to flink-job, incremental, no install:
# nothing is read from another checkout's jars in ~/.m2), then runs LocalDemo with plain java. Maven may download
# what a fresh machine lacks; EVE_DEMO_OFFLINE=1 forbids it (-o).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

MVN=(mvn -q -B)
if [[ "${EVE_DEMO_OFFLINE:-0}" == 1 ]]; then
  MVN+=(-o)
fi

echo "building (mvn test-compile, reactor up to flink-job) ..." >&2
"${MVN[@]}" -pl flink-job -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/demo.classpath -Dmdep.includeScope=test
# The job logs through log4j (Flink's binding); the model's optional slf4j-simple would be a second binding.
deps=$(tr ':' '\n' < flink-job/target/demo.classpath | grep -v '/slf4j-simple-' | paste -sd: -)

jvm=(-Xmx3g -Dai.djl.offline=true "-DENGINE_CACHE_DIR=$root/target/djl-cache"
  -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.eveflink.operators.avro
  "-Dlog4j2.configurationFile=$root/deploy/demo-log4j2.properties")
for p in java.util java.lang java.nio sun.nio.ch java.lang.reflect java.util.concurrent java.net java.io java.text java.time; do
  jvm+=("--add-opens=java.base/$p=ALL-UNNAMED")
done

exec java "${jvm[@]}" -cp "flink-job/target/test-classes:flink-job/target/classes:$deps" \
  dev.eveflink.job.demo.LocalDemo "$@"
