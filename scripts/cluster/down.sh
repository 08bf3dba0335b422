#!/usr/bin/env bash
# Stops what scripts/cluster/up.sh started: its nginx and the cluster's processes (by their recorded pids).
# The native stack is left running (scripts/stack/down.sh stops it).
# Process names (e.g. command-api-1) stop only those, nginx staying; --kill sends them SIGKILL at once (a crash;
# up.sh NAME starts one again).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

signal=TERM names=()
for arg in "$@"; do
  case "$arg" in
    --kill) signal=KILL ;;
    -h | --help) sed -n '2,5p' "$0"; exit 0 ;;
    -*) die "unknown option: $arg" ;;
    *) is_cluster_process "$arg" || die "unknown process: $arg (one of ${CLUSTER_PROCESSES[*]%%:*})"; names+=("$arg") ;;
  esac
done

if ((${#names[@]} == 0)); then
  names=("${CLUSTER_PROCESSES[@]%%:*}")
  nginx_pid="$CLUSTER_DIR/nginx/nginx.pid"
  if [[ -s $nginx_pid ]] && pid_alive "$(cat "$nginx_pid")"; then
    kill -QUIT "$(cat "$nginx_pid")" && log "nginx: stopped"
  fi
fi
pids=()
for name in "${names[@]}"; do
  f="$(cluster_pid_file "$name")"
  pid="$(tr -dc 0-9 2>/dev/null <"$f" || true)"
  rm -f "$f"
  # Still the process up.sh started, not a reused pid: a bundle of dist/ run from this repo.
  if [[ -n $pid ]] && pid_alive "$pid" && [[ $(readlink "/proc/$pid/cwd") == "$REPO_ROOT" ]] && grep -q dist/ "/proc/$pid/cmdline" 2>/dev/null; then
    kill "-$signal" "$pid" && pids+=("$pid") && log "$name: $([[ $signal == KILL ]] && echo killed || echo stopping) (pid $pid)"
  fi
done
deadline=$((SECONDS + 15))
for pid in "${pids[@]}"; do
  while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  pid_alive "$pid" && kill -KILL "$pid"
done
log "cluster: stopped ${names[*]}"
