#!/usr/bin/env bash
# Starts a local cluster on 127.0.0.1: the native stack (scripts/stack/up.sh, PostgreSQL event log), then
# 1 projectors, 2 command-api and 2 query-api processes, behind an nginx of its own on PORT (default 3000):
# writes (every method but GET/HEAD/OPTIONS, and GET /api/auth/verify) go to the command APIs, reads to the
# query APIs; the processes listen on PORT+1..PORT+5 (PTVEM_CLUSTER_PORT_BASE moves them).
# Takes the variables `npm start` takes (ADMIN_EMAIL, ADMIN_PASSWORD, PUBLIC_BASE_URL, JWT_SECRET, ...);
# the stack's URLs (POSTGRES_URL, MONGODB_URL, ...) come from scripts/stack/env.sh unless set. Secrets not
# given are generated once and kept in .stack/cluster/secrets.env, shared by every process.
# Installs Debian's nginx when it is missing. Logs and pids: .stack/cluster/. Stop: scripts/cluster/down.sh.
# Process names (projectors command-api-1 command-api-2 query-api-1 query-api-2) start only those, again, with
# the environment the whole cluster started with (kept in .stack/cluster/process.env), e.g. after a fault.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

names=()
for arg in "$@"; do
  case "$arg" in
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) die "unknown option: $arg" ;;
    *) is_cluster_process "$arg" || die "unknown process: $arg (one of ${CLUSTER_PROCESSES[*]%%:*})"; names+=("$arg") ;;
  esac
done
process_env="$CLUSTER_DIR/process.env"
restarting=${#names[@]}
if ((restarting)); then
  [[ -s $process_env ]] || die "the cluster was never started here ($process_env is missing)"
  # Top level, so that its declarations stay global; then the ports again, from the cluster's own PORT.
  source "$process_env"
  source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
else
  bash "$STACK_SCRIPTS/up.sh"
fi
eval "$(bash "$STACK_SCRIPTS/env.sh" | grep -v -E "^export ($(compgen -e | paste -sd '|'))=")"
mkdir -p "$CLUSTER_DIR/nginx"
cd "$REPO_ROOT"

# --------------------------------------------------------------- shared secrets
secrets="$CLUSTER_DIR/secrets.env"
if [[ ! -s $secrets ]]; then
  (umask 077 && printf 'JWT_SECRET=%s\nSIGNING_SECRET=%s\n' "$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" \
    "$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')" >"$secrets")
fi
while IFS='=' read -r key value; do [[ -n ${!key:-} ]] || export "$key=$value"; done <"$secrets"
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://localhost:$PUBLIC_PORT}"
export DATA_DIR="${DATA_DIR:-$CLUSTER_DIR/data}"
export HOST=127.0.0.1
if ((!restarting)); then
  names=("${CLUSTER_PROCESSES[@]%%:*}")
  (umask 077 && export -p >"$process_env")
fi

# --------------------------------------------------------------- the processes
# The start scripts run the bundles in dist/; built here once, as their prestart scripts would each time.
((restarting)) || node scripts/build.mjs
wait_ready() {
  local name="$1" port="$2" pid="$3" deadline=$((SECONDS + ${PTVEM_STACK_TIMEOUT:-120}))
  until curl -fs -o /dev/null "http://$HOST:$port/ready"; do
    pid_alive "$pid" || { tail_log "$(cluster_log_file "$name")"; die "$name exited during start"; }
    ((SECONDS < deadline)) || { tail_log "$(cluster_log_file "$name")"; die "$name not ready on :$port"; }
    sleep 0.3
  done
  log "$name: ready on $HOST:$port (pid $pid)"
}

started=()
for i in "${!CLUSTER_PROCESSES[@]}"; do
  name="${CLUSTER_PROCESSES[$i]%%:*}" script="${CLUSTER_PROCESSES[$i]#*:}" port="$(process_port "$i")"
  [[ " ${names[*]} " == *" $name "* ]] || continue
  if pid="$(tr -dc 0-9 2>/dev/null <"$(cluster_pid_file "$name")")" && [[ -n $pid ]] && pid_alive "$pid"; then
    log "$name: already running (pid $pid), left alone"
    continue
  fi
  port_open "$port" && die "$name: port $port is taken by something else"
  echo "=== $(date -Is) starting $name on :$port" >>"$(cluster_log_file "$name")"
  command="$(node -p "require('./package.json').scripts['$script']")"
  # No fork in setsid here (a script's background job is never a group leader) and bash execs: $! is node's pid.
  PATH="$REPO_ROOT/node_modules/.bin:$PATH" PORT="$port" METRICS_PORT='' setsid bash -c "exec $command" >>"$(cluster_log_file "$name")" 2>&1 </dev/null &
  echo "$!" >"$(cluster_pid_file "$name")"
  if [[ $name == projectors ]]; then wait_ready "$name" "$port" "$(cat "$(cluster_pid_file "$name")")"; else started+=("$i"); fi
done
for i in "${started[@]}"; do
  name="${CLUSTER_PROCESSES[$i]%%:*}"
  wait_ready "$name" "$(process_port "$i")" "$(cat "$(cluster_pid_file "$name")")"
done

# --------------------------------------------------------------- the balancer
# A process started again rejoins it as configured: reloading nginx would close its idle client connections.
((!restarting)) || exit 0
command -v nginx >/dev/null || PATH="$PATH:/usr/sbin"
command -v nginx >/dev/null || apt_install nginx nginx-light
upstream() {
  local i
  for i in "${!CLUSTER_PROCESSES[@]}"; do
    [[ ${CLUSTER_PROCESSES[$i]} == "$1"-* ]] && echo "    server $HOST:$(process_port "$i") max_fails=1 fail_timeout=5s;"
  done
}
nginx_dir="$CLUSTER_DIR/nginx"
cat >"$nginx_dir/nginx.conf" <<CONF
# Generated by scripts/cluster/up.sh.
$([[ $(id -u) == 0 ]] && echo "user $(id -un) $(id -gn);")
worker_processes 1;
pid $nginx_dir/nginx.pid;
error_log $nginx_dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log $nginx_dir/access.log;
  client_body_temp_path $nginx_dir/client_body;
  proxy_temp_path $nginx_dir/proxy;
  fastcgi_temp_path $nginx_dir/fastcgi;
  uwsgi_temp_path $nginx_dir/uwsgi;
  scgi_temp_path $nginx_dir/scgi;
  client_max_body_size 64m;
  upstream command_api {
$(upstream command-api)
    keepalive 32;
  }
  upstream query_api {
$(upstream query-api)
    keepalive 32;
  }
  # Reads go to the query APIs, writes to the command APIs (the one GET the command side serves is below).
  map \$request_method \$api {
    default command_api;
    GET query_api;
    HEAD query_api;
    OPTIONS query_api;
  }
  server {
    listen $HOST:$PUBLIC_PORT;
    include $REPO_ROOT/scripts/cluster/routes.conf;
  }
}
CONF
nginx -t -q -e "$nginx_dir/error.log" -p "$nginx_dir" -c "$nginx_dir/nginx.conf"
if [[ -s $nginx_dir/nginx.pid ]] && pid_alive "$(cat "$nginx_dir/nginx.pid")"; then
  nginx -e "$nginx_dir/error.log" -p "$nginx_dir" -c "$nginx_dir/nginx.conf" -s reload
else
  nginx -e "$nginx_dir/error.log" -p "$nginx_dir" -c "$nginx_dir/nginx.conf"
fi
until curl -fs -o /dev/null "http://$HOST:$PUBLIC_PORT/ready"; do sleep 0.2; done
log "cluster: ready on http://$HOST:$PUBLIC_PORT (public base URL $PUBLIC_BASE_URL)"
