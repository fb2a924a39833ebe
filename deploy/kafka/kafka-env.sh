# Shared settings for start-kafka.sh, stop-kafka.sh and create-topics.sh (sourced, not run).
# Override any of these in the environment.
KAFKA_DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$KAFKA_DEPLOY_DIR/../.." && pwd)"
KAFKA_HOST=127.0.0.1                                   # never anything else: loopback only
KAFKA_PORT="${KAFKA_PORT:-9092}"                       # PLAINTEXT listener
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}" # KRaft controller listener
KAFKA_STATE_DIR="${KAFKA_STATE_DIR:-$REPO_ROOT/target/kafka}"  # data, config, pid, log (git-ignored)
KAFKA_DATA_DIR="$KAFKA_STATE_DIR/data"
KAFKA_CONFIG="$KAFKA_STATE_DIR/server.properties"
KAFKA_PID_FILE="$KAFKA_STATE_DIR/kafka.pid"
KAFKA_LOG_FILE="$KAFKA_STATE_DIR/kafka.log"
KAFKA_CLASSPATH_FILE="$KAFKA_STATE_DIR/classpath.txt"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"
KAFKA_MVN_OPTS="${KAFKA_MVN_OPTS:-}"                   # e.g. -o to forbid downloads (a fresh machine needs them once)

# The broker classpath, resolved by Maven from deploy/kafka/pom.xml (cached until the pom changes).
kafka_classpath() {
  mkdir -p "$KAFKA_STATE_DIR"
  if [[ ! -s "$KAFKA_CLASSPATH_FILE" || "$KAFKA_DEPLOY_DIR/pom.xml" -nt "$KAFKA_CLASSPATH_FILE" ]]; then
    # shellcheck disable=SC2086
    mvn -q $KAFKA_MVN_OPTS -f "$KAFKA_DEPLOY_DIR/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$KAFKA_CLASSPATH_FILE" -Dmdep.includeScope=runtime >&2 || return 1
  fi
  cat "$KAFKA_CLASSPATH_FILE"
}

# PID of our running broker, or nothing. A PID is ours only if its command line names our config.
kafka_running_pid() {
  [[ -f "$KAFKA_PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$KAFKA_PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "kafka.Kafka $KAFKA_CONFIG" || return 1
  echo "$pid"
}

# True when something accepts TCP connections on $KAFKA_HOST:$1.
port_answers() {
  (exec 3<>"/dev/tcp/$KAFKA_HOST/$1") 2>/dev/null
}
