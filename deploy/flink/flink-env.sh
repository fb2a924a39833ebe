# Shared settings and helpers for deploy/flink/*.sh (sourced, not run).
# Override any of the variables in the environment. Everything binds to 127.0.0.1.
FLINK_DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$FLINK_DEPLOY_DIR/../.." && pwd)"
FLINK_HOST=127.0.0.1                                    # never anything else: loopback only

# Ports. A whole cluster uses FLINK_RPC_PORT, FLINK_REST_PORT, FLINK_BLOB_PORT and the TM RPC range.
FLINK_RPC_PORT="${FLINK_RPC_PORT:-6123}"                # JobManager RPC (Pekko)
FLINK_REST_PORT="${FLINK_REST_PORT:-8081}"              # REST API + web UI; the CLI submits here
FLINK_BLOB_PORT="${FLINK_BLOB_PORT:-6124}"              # BLOB server (job jars)
FLINK_TM_RPC_PORTS="${FLINK_TM_RPC_PORTS:-6130-6149}"   # one RPC port per TaskManager from this range

# Shape and size (a 2-core / 24 GB box; the TM runs a small model whose libtorch memory is native
# and NOT counted by Flink's memory model, so the process size only bounds the JVM).
FLINK_SLOTS="${FLINK_SLOTS:-2}"                         # taskmanager.numberOfTaskSlots
FLINK_PARALLELISM="${FLINK_PARALLELISM:-1}"             # parallelism.default
FLINK_JM_PROCESS_SIZE="${FLINK_JM_PROCESS_SIZE:-1024m}"
FLINK_TM_PROCESS_SIZE="${FLINK_TM_PROCESS_SIZE:-2560m}"
FLINK_TM_MANAGED_SIZE="${FLINK_TM_MANAGED_SIZE:-64m}"  # only RocksDB/batch use managed memory; we use the heap backend
FLINK_TM_TASK_OFFHEAP="${FLINK_TM_TASK_OFFHEAP:-512m}" # direct buffers of user code (weights copied off-heap)
FLINK_RESTART_ATTEMPTS="${FLINK_RESTART_ATTEMPTS:-100}"
FLINK_RESTART_DELAY="${FLINK_RESTART_DELAY:-1 s}"

# State: config, logs, PID files, checkpoints, temp dirs (git-ignored).
FLINK_STATE_DIR="${FLINK_STATE_DIR:-$REPO_ROOT/target/flink}"
FLINK_CONF_DIR="$FLINK_STATE_DIR/conf"
FLINK_LOG_DIR="$FLINK_STATE_DIR/log"
FLINK_RUN_DIR="$FLINK_STATE_DIR/run"                    # PID files, TM counter, last job id
FLINK_CHECKPOINT_DIR="$FLINK_STATE_DIR/checkpoints"
FLINK_CLASSPATH_FILE="$FLINK_STATE_DIR/classpath.txt"
FLINK_JM_PID_FILE="$FLINK_RUN_DIR/jobmanager.pid"
FLINK_MVN_OPTS="${FLINK_MVN_OPTS:-}"                    # e.g. -o to forbid downloads (a fresh machine needs them once)

# Job JVM settings (JM, TM and CLI client alike).
DJL_CACHE_DIR="${DJL_CACHE_DIR:-$REPO_ROOT/target/djl-cache}"
DJL_THREADS="${DJL_THREADS:-1}"
AVRO_TRUSTED_PACKAGES="${AVRO_TRUSTED_PACKAGES:-dev.eveflink.operators.avro}"
# Loaded once per JVM by the system class loader even if a job jar also contains them: DJL binds
# libtorch (JNI) to ONE class loader, and a task restart would otherwise try to load it again in a
# new user-code class loader. Avro must come from the same loader as flink-avro (lib/).
FLINK_PARENT_FIRST="${FLINK_PARENT_FIRST:-ai.djl.;org.apache.avro.}"

# The Java 17 module flags Flink needs (those of flink-dist's default config) plus the job's properties.
FLINK_MODULE_FLAGS=(
  -XX:+IgnoreUnrecognizedVMOptions
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
)
FLINK_JOB_FLAGS=(
  -Dai.djl.offline=true
  -Dai.djl.default_engine=PyTorch
  -DENGINE_CACHE_DIR="$DJL_CACHE_DIR"
  -Dai.djl.pytorch.num_threads="$DJL_THREADS"
  -Dai.djl.pytorch.num_interop_threads=1
  -Dorg.apache.avro.SERIALIZABLE_PACKAGES="$AVRO_TRUSTED_PACKAGES"
)
FLINK_JAVA_FLAGS=("${FLINK_MODULE_FLAGS[@]}" "${FLINK_JOB_FLAGS[@]}")

flink_require() {
  local tool
  for tool in java mvn curl jq; do
    command -v "$tool" >/dev/null || { echo "deploy/flink needs '$tool' on the PATH" >&2; return 1; }
  done
}

# The cluster classpath (Flink's lib/), resolved by Maven from deploy/flink/pom.xml (cached until the pom changes).
flink_classpath() {
  mkdir -p "$FLINK_STATE_DIR"
  if [[ ! -s "$FLINK_CLASSPATH_FILE" || "$FLINK_DEPLOY_DIR/pom.xml" -nt "$FLINK_CLASSPATH_FILE" ]]; then
    # shellcheck disable=SC2086
    mvn -q -B -Dstyle.color=never $FLINK_MVN_OPTS -f "$FLINK_DEPLOY_DIR/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$FLINK_CLASSPATH_FILE" -Dmdep.includeScope=runtime >&2 || return 1
  fi
  cat "$FLINK_CLASSPATH_FILE"
}

# Writes $FLINK_CONF_DIR/config.yaml (Flink 2 name) and log4j config from the variables above.
flink_write_config() {
  mkdir -p "$FLINK_CONF_DIR" "$FLINK_LOG_DIR" "$FLINK_RUN_DIR" "$FLINK_CHECKPOINT_DIR" \
    "$FLINK_STATE_DIR/tmp" "$FLINK_STATE_DIR/blobs" "$FLINK_STATE_DIR/upload" "$DJL_CACHE_DIR"
  local patterns="" p
  IFS=';' read -ra parts <<<"$FLINK_PARENT_FIRST"
  for p in "${parts[@]}"; do patterns+="${patterns:+, }\"$p\""; done
  cat > "$FLINK_CONF_DIR/config.yaml" <<YAML
# Generated by deploy/flink/flink-env.sh: edit the variables there, not this file.
jobmanager.rpc.address: $FLINK_HOST
jobmanager.rpc.port: $FLINK_RPC_PORT
jobmanager.bind-host: $FLINK_HOST
jobmanager.memory.process.size: $FLINK_JM_PROCESS_SIZE
taskmanager.host: $FLINK_HOST
taskmanager.bind-host: $FLINK_HOST
taskmanager.rpc.port: "$FLINK_TM_RPC_PORTS"
taskmanager.data.port: 0
taskmanager.numberOfTaskSlots: $FLINK_SLOTS
taskmanager.memory.process.size: $FLINK_TM_PROCESS_SIZE
taskmanager.memory.managed.size: $FLINK_TM_MANAGED_SIZE
taskmanager.memory.task.off-heap.size: $FLINK_TM_TASK_OFFHEAP
rest.address: $FLINK_HOST
rest.bind-address: $FLINK_HOST
rest.port: $FLINK_REST_PORT
blob.server.port: "$FLINK_BLOB_PORT"
blob.storage.directory: $FLINK_STATE_DIR/blobs
web.upload.dir: $FLINK_STATE_DIR/upload
io.tmp.dirs: $FLINK_STATE_DIR/tmp
metrics.internal.query-service.port: "0"
parallelism.default: $FLINK_PARALLELISM
# A TM that starts before the JM retries after 1 s instead of 10 s.
cluster.registration.error-delay: 1 s
# A killed TM is declared dead after 2 failed heartbeat RPCs (~4 s) rather than the 50 s timeout.
heartbeat.interval: 2 s
heartbeat.timeout: 30 s
heartbeat.rpc-failure-threshold: 2
state.backend.type: hashmap
execution.checkpointing.dir: file://$FLINK_CHECKPOINT_DIR
execution.checkpointing.savepoint-dir: file://$FLINK_STATE_DIR/savepoints
restart-strategy.type: fixed-delay
restart-strategy.fixed-delay.attempts: $FLINK_RESTART_ATTEMPTS
restart-strategy.fixed-delay.delay: $FLINK_RESTART_DELAY
classloader.parent-first-patterns.additional: [$patterns]
# Used only by Flink's own bash scripts; our scripts pass the same flags themselves.
env.java.opts.all: "${FLINK_JAVA_FLAGS[*]}"
YAML
  cp "$FLINK_DEPLOY_DIR/log4j-cluster.properties" "$FLINK_CONF_DIR/log4j.properties"
  cp "$FLINK_DEPLOY_DIR/log4j-cli.properties" "$FLINK_CONF_DIR/log4j-cli.properties"
}

# Prints the JVM parameters and the dynamic properties BashJavaUtils computes from config.yaml
# (two lines, as Flink's config.sh takes them). $1 = GET_JM_RESOURCE_PARAMS | GET_TM_RESOURCE_PARAMS.
flink_resource_params() {
  local out
  out="$(java -cp "$(flink_classpath)" -Dlog4j2.configurationFile="$FLINK_CONF_DIR/log4j-cli.properties" \
    org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$FLINK_CONF_DIR" "${@:2}" 2>&1)" || {
    echo "BashJavaUtils $1 failed:" >&2; echo "$out" >&2; return 1; }
  out="$(grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | tail -n 2 | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')"
  [[ "$(wc -l <<<"$out")" -eq 2 ]] || { echo "BashJavaUtils $1 printed no parameters" >&2; return 1; }
  echo "$out"
}

# PID from a PID file if that process still runs with a command line containing $2, else nothing.
flink_pid_if_ours() {
  [[ -f "$1" ]] || return 1
  local pid
  pid="$(cat "$1")"
  [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$2" || return 1
  echo "$pid"
}

flink_jm_pid() {
  flink_pid_if_ours "$FLINK_JM_PID_FILE" "StandaloneSessionClusterEntrypoint --configDir $FLINK_CONF_DIR"
}

# PID of TaskManager $1 (its resource id) if running.
flink_tm_pid() {
  flink_pid_if_ours "$FLINK_RUN_DIR/taskmanager-$1.pid" "-Dtaskmanager.resource-id=$1 "
}

# Resource ids of TaskManagers with a PID file, oldest first.
flink_tm_ids() {
  local f
  for f in $(ls -tr "$FLINK_RUN_DIR"/taskmanager-*.pid 2>/dev/null); do
    f="${f##*/taskmanager-}"; echo "${f%.pid}"
  done
}

# True when something accepts TCP connections on $FLINK_HOST:$1.
flink_port_answers() {
  (exec 3<>"/dev/tcp/$FLINK_HOST/$1") 2>/dev/null
}

# GET on the REST API; prints the body, fails on connection errors and HTTP errors.
flink_rest() {
  curl -sf --max-time 5 "http://$FLINK_HOST:$FLINK_REST_PORT$1"
}

# Waits (polling every 0.5 s) until "$@" succeeds or $1 seconds pass. Usage: flink_wait_until SECONDS cmd...
flink_wait_until() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    (( SECONDS < deadline )) || return 1
    sleep 0.5
  done
}

# Milliseconds since the epoch (bash 5's EPOCHREALTIME), for timings.
flink_now_ms() {
  local t="${EPOCHREALTIME/[.,]/}"
  echo "${t:0:-3}"
}

# "1.23 s" since $1 (from flink_now_ms).
flink_since() {
  local ms=$(( $(flink_now_ms) - $1 ))
  printf '%d.%02d s' $((ms / 1000)) $((ms % 1000 / 10))
}
