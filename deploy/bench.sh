#!/usr/bin/env bash
# The benchmark suite (issue 9) on this machine, written to a report folder:
#   deploy/bench.sh [--quick] [--out DIR] [--skip-build]
# Measurements, each a side-by-side ratio in one run (the machine may be noisy):
#   1. engine batching gain: images/s at max batch 1/4/16/32, random bench-s and the demo model  (model module)
#   2. continuous vs static batching on mixed output lengths                                     (model module)
#   3-5. pipeline: operator efficiency, latency under open-loop Poisson load, naive MapFunction   (flink-job)
#   6. memory: RSS and live NDArrays over a 20,000-request engine run on the demo model          (model module)
# Each measurement writes DIR/parts/<name>.json; BenchReport then writes DIR/report.md (headline goals, every
# table with the one command that reruns it), DIR/summary.json and the PNG plots. A measurement that fails is
# recorded as "not measured" with its reason (log in DIR/logs/) and the suite goes on.
# --quick: small counts (a smoke run of a few minutes). --out: the report folder (default target/bench-report).
# --skip-build: reuse the previous build. Maven may download what a fresh machine lacks; EVE_BENCH_OFFLINE=1
# forbids it (-o). The full suite takes about 20 minutes on a 2-core machine.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

quick=0
build=1
out="target/bench-report"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --skip-build) build=0 ;;
    --out) [[ $# -ge 2 ]] || { echo "--out needs a folder" >&2; exit 2; }; out="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (--quick, --out DIR, --skip-build)" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$out" || exit 2
out=$(cd "$out" && pwd)
parts="$out/parts"
logs="$out/logs"
rm -rf "$parts" "$logs"
mkdir -p "$parts" "$logs"
# Paths inside the repository are printed relative to it (the mains resolve them against the repository root).
rel() { case "$1" in "$root"/*) echo "${1#"$root"/}" ;; *) echo "$1" ;; esac; }
partsrel=$(rel "$parts")

MVN="mvn -q -B -ntp"
if [[ "${EVE_BENCH_OFFLINE:-0}" == 1 ]]; then
  MVN+=" -o"
fi
started=$SECONDS
say() { printf '[bench %3dm%02ds] %s\n' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)) "$*"; }

# A part file recording why a measurement did not complete (BenchReport prints "not measured" and the reason).
json_string() {
  local s
  s=$(printf '%s' "$1" | tr -d '\000-\010\013\014\016-\037' | tr '\n\r\t' '   ')
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}
record_failure() { # name title command reason
  printf '{"title": %s, "command": %s, "table": {"columns": [], "rows": []}, "summary": {}, "plots": [], "notes": [], "failure": %s}\n' \
    "$(json_string "$2")" "$(json_string "$3")" "$(json_string "$4")" > "$parts/$1.json"
}

failures=0
run_part() { # name title command
  local name=$1 title=$2 command=$3 log="$logs/$1.log" t0=$SECONDS rc
  say "$title ..."
  say "  \$ $command"
  bash -c "$command" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  if [[ $rc -ne 0 || ! -s "$parts/$name.json" ]]; then
    local tail
    tail=$(grep -v '^\s*$' "$log" | grep -iv 'warn' | tail -n 3 | cut -c1-300)
    if [[ $rc -eq 0 ]]; then
      reason="exited 0 but wrote no $partsrel/$name.json"
    else
      reason="exit status $rc after $((SECONDS - t0)) s: $tail"
    fi
    record_failure "$name" "$title" "$command" "$reason (log: $(rel "$log"))"
    failures=$((failures + 1))
    say "  FAILED: $reason"
  else
    say "  done in $((SECONDS - t0)) s"
  fi
}

# One build of everything the suite runs: the reactor up to flink-job (no install), and the test classpath of
# each module in <module>/target/bench.classpath (the pipeline benchmark and BenchReport run with plain java).
if [[ $build == 1 ]]; then
  say "building (mvn test-compile + dependency:build-classpath, reactor up to flink-job) ..."
  if ! $MVN -pl flink-job -am test-compile dependency:build-classpath -DskipTests \
      -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test > "$logs/build.log" 2>&1; then
    tail -n 30 "$logs/build.log" >&2
    say "the build failed (log: $(rel "$logs/build.log")); nothing was measured"
    exit 1
  fi
fi

if [[ $quick == 1 ]]; then
  bench_s="--requests 16 --batches 1,4,16"; demo="--requests 32 --batches 1,4,16,32"; cont="--requests 16 --max-batch 4"
  memory="--requests 2000 --warmup 500 --wave 250"; pipeline="--quick"; moderation="--models demo --images 16 --reps 1"
else
  bench_s="--requests 32 --batches 1,4,16,32"; demo="--requests 128 --batches 1,4,16,32"; cont="--requests 64 --reps 2"
  memory="--requests 20000 --warmup 2000 --wave 500"; pipeline=""; moderation="--models bench-s,demo --reps 2"
fi
# The same command lines the mains print beside their figures (RerunCommand).
engine_java="mvn -q -pl model test-compile exec:java -DskipTests -Dexec.classpathScope=test -Dexec.mainClass=dev.eveflink.model.bench.EngineBenchmark"
memory_jvm="-Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseSerialGC -XX:TieredStopAtLevel=1"

run_part batching-bench-s "Engine batching gain: bench-s" \
  "$engine_java -Dexec.args=\"--measure batching --model bench-s $bench_s --json $partsrel/batching-bench-s.json\""
run_part batching-demo "Engine batching gain: demo" \
  "$engine_java -Dexec.args=\"--measure batching --model demo $demo --json $partsrel/batching-demo.json\""
run_part continuous "Continuous vs static batching" \
  "$engine_java -Dexec.args=\"--measure continuous $cont --json $partsrel/continuous.json\""

run_part moderation "Moderation: K policies from one image prefill vs a prefill per policy" \
  "mvn -q -pl model test-compile exec:java -DskipTests -Dexec.classpathScope=test -Dexec.mainClass=dev.eveflink.model.bench.ModerationBenchmark -Dexec.args=\"$moderation --json $partsrel/moderation.json\""

pipeline_class=flink-job/target/test-classes/dev/eveflink/job/bench/PipelineBenchmark.class
pipeline_command="java -Xmx3g -cp \"flink-job/target/test-classes:flink-job/target/classes:\$(cat flink-job/target/bench.classpath)\" dev.eveflink.job.bench.PipelineBenchmark --json $partsrel/pipeline.json${pipeline:+ $pipeline}"
if [[ -f $pipeline_class && -f flink-job/target/bench.classpath ]]; then
  run_part pipeline "Pipeline: operator efficiency, latency, naive baseline" "$pipeline_command"
else
  say "Pipeline: not measured ($pipeline_class is not in this build)"
  record_failure pipeline "Pipeline: operator efficiency, latency, naive baseline" "$pipeline_command" \
    "dev.eveflink.job.bench.PipelineBenchmark is not in this build ($pipeline_class missing)"
  failures=$((failures + 1))
fi

# Memory with glibc limited to 2 malloc arenas, as deploy/ runs the TaskManagers (the headline), and with glibc's
# default arenas for comparison: the engine's threads free memory other threads allocated, which fragments the
# default's many arenas (RSS creeps up while the live NDArray count stays flat).
memory_main="mvn -q -pl model test-compile exec:exec -DskipTests -Dexec.classpathScope=test -Dexec.executable=java -Dexec.args=\"$memory_jvm -cp %classpath dev.eveflink.model.bench.MemoryBenchmark $memory"
run_part memory "Memory over a long engine run" \
  "MALLOC_ARENA_MAX=2 $memory_main --json $partsrel/memory.json\""
run_part memory-default-malloc "Memory over a long engine run, glibc's default malloc arenas" \
  "env -u MALLOC_ARENA_MAX $memory_main --variant default-malloc --json $partsrel/memory-default-malloc.json\""

say "writing the report ..."
report_args=(--out "$out")
if [[ $quick == 1 ]]; then
  report_args+=(--quick)
fi
report_cp="model/target/test-classes:model/target/classes"
if [[ -f model/target/bench.classpath ]]; then
  report_cp+=":$(cat model/target/bench.classpath)"
  java -cp "$report_cp" dev.eveflink.model.bench.report.BenchReport "${report_args[@]}" > "$logs/report.log" 2>&1
else
  $MVN -pl model test-compile exec:java -DskipTests -Dexec.classpathScope=test \
    -Dexec.mainClass=dev.eveflink.model.bench.report.BenchReport -Dexec.args="${report_args[*]}" > "$logs/report.log" 2>&1
fi
rc=$?
if [[ $rc -ne 0 ]]; then
  tail -n 20 "$logs/report.log" >&2
  say "BenchReport failed (log: $(rel "$logs/report.log"))"
  exit 1
fi
echo
sed -n '/^## Headline/,/^## /p' "$out/report.md" | sed '$d'
say "report: $out/report.md ($failures measurement(s) not measured); summary: $out/summary.json"
