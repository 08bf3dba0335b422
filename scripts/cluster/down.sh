#!/usr/bin/env bash
# Stops what scripts/cluster/up.sh started: its nginx and the cluster's processes (by their recorded pids).
# The native stack is left running (scripts/stack/down.sh stops it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

nginx_pid="$CLUSTER_DIR/nginx/nginx.pid"
if [[ -s $nginx_pid ]] && pid_alive "$(cat "$nginx_pid")"; then
  kill -QUIT "$(cat "$nginx_pid")" && log "nginx: stopped"
fi
pids=()
for entry in "${CLUSTER_PROCESSES[@]}"; do
  name="${entry%%:*}" f="$(cluster_pid_file "${entry%%:*}")"
  pid="$(tr -dc 0-9 2>/dev/null <"$f" || true)"
  rm -f "$f"
  if [[ -n $pid ]] && pid_alive "$pid" && grep -q tsx "/proc/$pid/cmdline" 2>/dev/null; then
    kill -TERM "$pid" && pids+=("$pid") && log "$name: stopping (pid $pid)"
  fi
done
deadline=$((SECONDS + 15))
for pid in "${pids[@]}"; do
  while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  pid_alive "$pid" && kill -KILL "$pid"
done
log "cluster: stopped"
