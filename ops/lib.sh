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
