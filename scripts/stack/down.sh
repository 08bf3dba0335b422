#!/usr/bin/env bash
# Stops what scripts/stack/up.sh started (only the processes whose pid it recorded under .stack/),
# politely first (SIGTERM, Kafka shuts down cleanly), then SIGKILL after a bounded wait.
#   --purge   also delete the services' data (Kafka log dirs, PostgreSQL's cluster, FerretDB's, S3 objects)
# Service names (redis kafka postgres ferretdb s3proxy) stop only those (up.sh NAME starts one again).
# Caches outside the repo (~/.m2, ~/go, ~/.cache/ptvem-stack) are kept.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PURGE=0
services=()
for arg in "$@"; do
  case "$arg" in
    --purge) PURGE=1 ;;
    -h | --help) sed -n '2,6p' "$0"; exit 0 ;;
    -*) die "unknown option: $arg" ;;
    *) is_service "$arg" || die "unknown service: $arg (one of ${SERVICES[*]})"; services+=("$arg") ;;
  esac
done
((${#services[@]})) || services=("${SERVICES[@]}")

# expected_cmd NAME: a pattern the recorded process's command line must match (guards against a
# recycled pid belonging to something else).
expected_cmd() {
  case "$1" in
    redis) echo 'redis-server' ;; kafka) echo 'kafka\.Kafka' ;; postgres) echo 'postgres' ;;
    ferretdb) echo 'ferretdb' ;; s3proxy) echo 'org\.gaul\.s3proxy\.Main' ;;
  esac
}

# PostgreSQL takes SIGTERM as "once every client has left"; SIGINT is its fast shutdown.
stop_signal() { [[ "$1" == postgres ]] && echo INT || echo TERM; }

stop_service() {
  local name="$1" pid cmdline
  if ! pid="$(stack_pid "$name")"; then
    rm -f "$(pid_file "$name")"
    log "$name: not running (no live pid recorded)"
    return 0
  fi
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  if ! grep -qE "$(expected_cmd "$name")" <<<"$cmdline"; then
    log "$name: pid $pid is not ours any more ($cmdline), left alone"
    rm -f "$(pid_file "$name")"
    return 0
  fi
  kill "-$(stop_signal "$name")" "$pid" 2>/dev/null || true
  local waited=0 limit=30
  while pid_alive "$pid" && ((waited < limit * 10)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if pid_alive "$pid"; then
    log "$name: pid $pid still running after ${limit}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$(pid_file "$name")"
  log "$name: stopped (pid $pid, $((waited / 10)).$((waited % 10))s)"
}

# Stop in parallel: Kafka's clean shutdown takes a few seconds, the others well under one.
pids=()
for svc in "${services[@]}"; do
  stop_service "$svc" &
  pids+=("$!")
done
for p in "${pids[@]}"; do wait "$p" || true; done

if ((PURGE)); then
  for svc in "${services[@]}"; do
    rm -rf "${STACK_DIR:?}/$svc/data"
  done
  log "purged service data under $STACK_DIR"
fi
