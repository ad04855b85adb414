# Shared settings and helpers for the ops scripts (sourced, not run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
KAFKA_VERSION="4.1.1"
KAFKA_PORT="${DEBRIEF_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${DEBRIEF_KAFKA_CONTROLLER_PORT:-19093}"
PG_PORT="${DEBRIEF_PG_PORT:-15432}"
PG_BIN="/usr/lib/postgresql/15/bin"
PG_USER_OS="debrief-pg"
KAFKA_DIR="$LOCAL/kafka"
PG_DIR="$LOCAL/postgres"

log() { printf '[ops] %s\n' "$*" >&2; }
die() { printf '[ops] error: %s\n' "$*" >&2; exit 1; }

# wait_until <seconds> <description> <command...>: polls a condition until it holds or the deadline passes.
wait_until() {
  local seconds="$1" what="$2"; shift 2
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    if (( $(date +%s) >= deadline )); then die "timed out after ${seconds}s waiting for $what"; fi
    sleep 0.5  # polling interval of the deadline loop
  done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# The local broker's principals (docs/events.md, "Who may read the topics"): `admin` (the broker itself and ops/),
# `debrief` (Debrief's clients) and `integrator` (reads the events topic). librdkafka clients log in with SASL PLAIN
# (see ops/kafka/server.properties for why not SCRAM). Each password is generated once into
# .local/kafka/<principal>.password (mode 0600, never committed); delete one and run ops/kafka-up to rotate it.
KAFKA_SASL_MECHANISM="PLAIN"
KAFKA_INTEGRATOR_GROUP_PREFIX="integrator-"
kafka_password() {
  local file="$KAFKA_DIR/$1.password"
  if [ ! -s "$file" ]; then
    mkdir -p "$KAFKA_DIR"
    (umask 077; python3 -c 'import secrets; print(secrets.token_hex(24))' > "$file.tmp" && mv "$file.tmp" "$file")
  fi
  tr -d '\n' < "$file"
}

# Writes the client settings of each principal (mode 0600): <principal>.properties for librdkafka (kcat -F, the
# integration tests, the benchmarks) and admin-java.properties for Kafka's own command-line tools.
write_kafka_client_files() {
  local user password
  for user in admin debrief integrator; do
    password="$(kafka_password "$user")"
    (umask 077; cat > "$KAFKA_DIR/$user.properties" <<EOF
# librdkafka settings of the local broker's principal $user, written by ops/kafka-up:
#   kcat -F $KAFKA_DIR/$user.properties -b 127.0.0.1:$KAFKA_PORT -L
security.protocol=SASL_PLAINTEXT
sasl.mechanisms=$KAFKA_SASL_MECHANISM
sasl.username=$user
sasl.password=$password
EOF
    )
  done
  password="$(kafka_password admin)"
  (umask 077; cat > "$KAFKA_DIR/admin-java.properties" <<EOF
# The Kafka command-line tools as the local broker's admin, written by ops/kafka-up: --command-config <this file>
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$password";
EOF
  )
}

# Debrief's client settings for the local broker (its `debrief` principal), exported for `debrief serve` unless the
# caller chose its own: DEBRIEF_KAFKA_SECURITY_PROTOCOL set, or DEBRIEF_KAFKA_BROKERS naming another cluster.
export_debrief_kafka_settings() {
  if [ -n "${DEBRIEF_KAFKA_SECURITY_PROTOCOL:-}" ]; then return 0; fi
  if [ -n "${DEBRIEF_KAFKA_BROKERS:-}" ] && [ "$DEBRIEF_KAFKA_BROKERS" != "127.0.0.1:$KAFKA_PORT" ]; then return 0; fi
  kafka_password debrief >/dev/null
  export DEBRIEF_KAFKA_SECURITY_PROTOCOL="sasl_plaintext"
  export DEBRIEF_KAFKA_SASL_MECHANISM="$KAFKA_SASL_MECHANISM"
  export DEBRIEF_KAFKA_SASL_USERNAME="debrief"
  export DEBRIEF_KAFKA_SASL_PASSWORD_FILE="$KAFKA_DIR/debrief.password"
}

# Runs a class of the Kafka jars (a command-line tool); its own log goes to .local/kafka/logs/tools.
kafka_java() {
  java -cp "$KAFKA_DIR/libs/*" -Xms64m -Xmx256m -Dkafka.logs.dir="$KAFKA_DIR/logs/tools" \
    -Dlog4j2.configurationFile="$ROOT/ops/kafka/log4j2.yaml" "$@"
}

# Deletes a run's topics (every topic named <run id>.<something>; run ids are letters, digits and dashes), so that
# benchmark and schemathesis runs do not pile partitions up on the local broker: 1,700 left-over partitions made raw
# produce 25 to 40% slower on the 2-core machine.
delete_run_topics() {
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --command-config "$KAFKA_DIR/admin-java.properties" \
    --delete --if-exists --topic "$1\\..*" >/dev/null 2>&1 || log "could not delete the topics $1.*"
}

kafka_running() { [ -f "$KAFKA_DIR/kafka.pid" ] && kill -0 "$(cat "$KAFKA_DIR/kafka.pid")" 2>/dev/null; }

# Stops the broker of the pid file: SIGTERM, then SIGKILL after 60 s.
stop_kafka() {
  kafka_running || { rm -f "$KAFKA_DIR/kafka.pid"; return 0; }
  local pid
  pid="$(cat "$KAFKA_DIR/kafka.pid")"
  log "stopping Kafka (pid $pid)"
  kill "$pid"
  gone() { ! kill -0 "$pid" 2>/dev/null; }
  if ! (wait_until 60 "Kafka to stop" gone); then kill -9 "$pid" 2>/dev/null || true; fi
  rm -f "$KAFKA_DIR/kafka.pid" "$KAFKA_DIR/kafka.config-sha256"
}
