#!/usr/bin/env bash
# The local demo: an in-process Kafka broker, the EVE job on a local Flink MiniCluster, shapes-world
# images in, results printed against the truth, then a summary. Arguments pass through to LocalDemo:
#   deploy/demo.sh [--count N] [--rate EVENTS_PER_S] [--model-dir DIR] [--bootstrap-servers HOST:PORT] [--seed S]
# Builds the modules once (mvn install -DskipTests) when flink-job has not been built yet, or when
# EVE_DEMO_REBUILD=1. Maven may download what a fresh machine lacks; EVE_DEMO_OFFLINE=1 forbids it (-o).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

MVN=(mvn -q -B)
if [[ "${EVE_DEMO_OFFLINE:-0}" == 1 ]]; then
  MVN+=(-o)
fi

if [[ "${EVE_DEMO_REBUILD:-0}" == 1 || ! -d flink-job/target/classes/dev/eveflink/job/demo ]]; then
  echo "building (mvn install -DskipTests) ..." >&2
  "${MVN[@]}" install -DskipTests
fi

# The demo runs in its own JVM (exec:exec): inside Maven's JVM (exec:java) Flink's MiniCluster deserializes
# the job graph with the application class loader, which does not see the plugin's classpath
# (ClassNotFoundException: SinkWriterOperatorFactory). The JVM gets the settings the tests get from the parent pom.
jvm="-Xmx3g -Dai.djl.offline=true -DENGINE_CACHE_DIR=$root/target/djl-cache"
jvm+=" -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.eveflink.operators.avro -Dorg.slf4j.simpleLogger.defaultLogLevel=error"
jvm+=" -Dlog4j2.configurationFile=$root/deploy/demo-log4j2.properties"
for p in java.util java.lang java.nio sun.nio.ch java.lang.reflect java.util.concurrent java.net java.io java.text java.time; do
  jvm+=" --add-opens=java.base/$p=ALL-UNNAMED"
done

# classpathScope=test: the one Maven classpath with both the provided Flink runtime and Kafka broker (compile
# has them) and DJL's runtime-scoped PyTorch native library (compile lacks it: DJL would try to download).
exec "${MVN[@]}" -pl flink-job exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  -Dexec.workingdir="$root" -Dexec.args="$jvm -cp %classpath dev.eveflink.job.demo.LocalDemo $*"
