#!/usr/bin/env bash
# Starts the production-adapter stack natively, without Docker, on 127.0.0.1, and returns once every
# service answers with its real client (scripts/stack/wait.mjs):
#   Redis      :6379   Debian's redis-server, daemonized by hand
#   Kafka      :9092   KRaft single node (broker+controller, controller on :9093), jars from Maven Central
#   PostgreSQL :5432   Debian's postgresql, a cluster of its own (initdb); databases ptvem (the event log)
#                      and ferretdb; run as the postgres user when this script runs as root
#   MongoDB    :27017  FerretDB v1 on that PostgreSQL, built from the Go module proxy
#   S3         :9000   s3proxy (filesystem backend), jars from Maven Central; bucket created
# Idempotent: a service that already answers on its port is left alone. Ports: PTVEM_<SERVICE>_PORT (lib.sh).
# Service names (redis kafka postgres ferretdb s3proxy) start only those, e.g. one that down.sh stopped.
# Data, logs and pids: .stack/<service>/ (git-ignored). Downloads/builds: ~/.m2, ~/go, ~/.cache/go-build,
# ~/.cache/ptvem-stack. Options: --verify also runs scripts/stack/smoke.mjs (real round trips).
# Timeouts (seconds): PTVEM_STACK_TIMEOUT (readiness, default 120).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VERIFY=0
only=()
for arg in "$@"; do
  case "$arg" in
    --verify) VERIFY=1 ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) die "unknown option: $arg" ;;
    *) is_service "$arg" || die "unknown service: $arg (one of ${SERVICES[*]})"; only+=("$arg") ;;
  esac
done

T0=$SECONDS
mkdir -p "$STACK_DIR" "$STACK_CACHE"
[[ -d "$REPO_ROOT/node_modules/ioredis" && -d "$REPO_ROOT/node_modules/kafkajs" && -d "$REPO_ROOT/node_modules/mongodb" &&
  -d "$REPO_ROOT/node_modules/pg" && -d "$REPO_ROOT/node_modules/@aws-sdk/client-s3" ]] ||
  die "node_modules is missing the clients the readiness check uses: run 'npm ci' first"

# already_up NAME: true (and says so) when something answers on the service's port.
already_up() {
  local port
  port="$(service_port "$1")"
  if port_open "$port"; then
    local pid
    if pid="$(stack_pid "$1")"; then
      log "$1: already running (pid $pid) on $HOST:$port, left alone"
    else
      rm -f "$(pid_file "$1")" # whatever answers is not the process we once recorded
      log "$1: $HOST:$port already answers (not started by this script), left alone"
    fi
    return 0
  fi
  return 1
}

# ---------------------------------------------------------------- Debian packages
# apt_install SERVICE PACKAGE
apt_install() {
  local name="$1" package="$2" sudo=()
  [[ "$(id -u)" == 0 ]] || sudo=(sudo)
  command -v apt-get >/dev/null || die "$name: $package is not installed and apt-get is not available"
  log "$name: installing Debian package $package"
  # Keep the package's own service from starting (we run our own instance); a container usually
  # has such a policy already, so only add one for the duration of the install when none exists.
  local policy=/usr/sbin/policy-rc.d added=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null && "${sudo[@]}" chmod +x "$policy" && added=1
  fi
  local apt_log="$STACK_DIR/$name/apt.log" rc=0
  mkdir -p "$STACK_DIR/$name"
  {
    "${sudo[@]}" apt-get update -q &&
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$package"
  } >"$apt_log" 2>&1 || rc=$?
  ((added)) && "${sudo[@]}" rm -f "$policy"
  if ((rc)); then
    tail_log "$apt_log"
    die "$name: apt-get install $package failed (log: $apt_log)"
  fi
}

# ---------------------------------------------------------------- Redis (Debian package)
ensure_redis() {
  already_up redis && return 0
  command -v redis-server >/dev/null || apt_install redis redis-server
  local dir="$STACK_DIR/redis"
  mkdir -p "$dir"
  echo "=== $(date -Is) starting redis-server" >>"$(log_file redis)"
  # Daemonized; it writes its own pid file. No persistence: it is a cache here.
  redis-server --bind "$HOST" --port "$REDIS_PORT" --protected-mode yes \
    --daemonize yes --pidfile "$(pid_file redis)" --logfile "$(log_file redis)" --dir "$dir" \
    --save '' --appendonly no --loglevel notice ||
    { tail_log "$(log_file redis)"; die "redis: redis-server did not start"; }
  log "redis: started ($(redis-server --version | grep -o 'v=[0-9.]*'))"
}

# ---------------------------------------------------------------- PostgreSQL (Debian package)
# The newest server Debian's packages installed (they keep each major version apart).
postgres_bin() { find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1; }

ensure_postgres() {
  already_up postgres && return 0
  local bin
  bin="$(postgres_bin)"
  [[ -x "$bin/postgres" ]] || { apt_install postgres postgresql; bin="$(postgres_bin)"; }
  [[ -x "$bin/postgres" ]] || die "postgres: no server under /usr/lib/postgresql/*/bin"
  # PostgreSQL refuses to run as root: then it runs as the postgres user the package created.
  local as_owner=() dir="$STACK_DIR/postgres"
  [[ "$(id -u)" == 0 ]] && as_owner=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  mkdir -p "$dir"
  ((${#as_owner[@]})) && chown postgres: "$dir"
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    # Loopback only, so connections are trusted: no password, as for the stack's other servers.
    "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U "$POSTGRES_USER" --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { tail_log "$dir/initdb.log"; die "postgres: initdb failed (log: $dir/initdb.log)"; }
    log "postgres: created the cluster in $dir/data"
  fi
  # TCP on loopback only, no Unix socket (the default socket folder belongs to Debian's own cluster).
  launch postgres "${as_owner[@]}" "$bin/postgres" -D "$dir/data" -h "$HOST" -p "$POSTGRES_PORT" \
    -c unix_socket_directories= -c max_connections=200
  local waited=0
  until "$bin/pg_isready" -q -h "$HOST" -p "$POSTGRES_PORT"; do
    stack_pid postgres >/dev/null || { tail_log "$(log_file postgres)"; die "postgres: the server exited"; }
    ((waited++ < 300)) || { tail_log "$(log_file postgres)"; die "postgres: not accepting connections after 30s"; }
    sleep 0.1
  done
  local db
  for db in "$POSTGRES_DB" "$FERRETDB_DB"; do
    [[ "$("$bin/psql" -h "$HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'")" == 1 ]] ||
      "$bin/psql" -q -h "$HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d postgres -c "CREATE DATABASE $db" ||
      die "postgres: could not create the database $db"
  done
  log "postgres: started $("$bin/postgres" --version | grep -o '[0-9][0-9.]*' | head -n 1) (pid $(<"$(pid_file postgres)")), databases $POSTGRES_DB and $FERRETDB_DB"
}

# ---------------------------------------------------------------- Kafka (KRaft, Maven Central jars)
ensure_kafka() {
  already_up kafka && return 0
  port_open "$KAFKA_CONTROLLER_PORT" && die "kafka: controller port $HOST:$KAFKA_CONTROLLER_PORT is taken by another process"
  local cache="$STACK_CACHE/kafka-$KAFKA_VERSION"
  [[ -s "$cache/classpath.txt" ]] || log "kafka: resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION from Maven Central"
  mvn_classpath "$cache" "
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$KAFKA_LOG4J_VERSION</version></dependency>"
  local cp java dir="$STACK_DIR/kafka"
  cp="$(<"$cache/classpath.txt")"
  java="$(java_bin)" || exit 1
  mkdir -p "$dir/data"

  cat >"$dir/server.properties" <<EOF
# Written by scripts/stack/up.sh: single-node KRaft (combined broker + controller), loopback only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
log.retention.hours=24
EOF
  cat >"$dir/log4j2.properties" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = out
logger.kafka.name = kafka
logger.kafka.level = info
logger.apache.name = org.apache.kafka
logger.apache.level = info
logger.request.name = kafka.request.logger
logger.request.level = warn
logger.state.name = state.change.logger
logger.state.level = warn
EOF

  local jopts=(-Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError
    -Djava.awt.headless=true "-Dlog4j2.configurationFile=$dir/log4j2.properties")

  # Format the log dir once (KRaft needs a cluster id); reformat when the Kafka version changed,
  # since a newer format cannot be read by an older broker. The data is disposable test data.
  if [[ ! -f "$dir/data/meta.properties" || "$(cat "$dir/data/.kafka-version" 2>/dev/null)" != "$KAFKA_VERSION" ]]; then
    rm -rf "$dir/data" && mkdir -p "$dir/data"
    local cluster_id
    cluster_id="$("$java" -cp "$cp" "${jopts[@]}" kafka.tools.StorageTool random-uuid 2>>"$dir/format.log" | tail -n 1)"
    [[ -n "$cluster_id" ]] || { tail_log "$dir/format.log"; die "kafka: StorageTool random-uuid failed"; }
    "$java" -cp "$cp" "${jopts[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
      >>"$dir/format.log" 2>&1 || { tail_log "$dir/format.log"; die "kafka: StorageTool format failed"; }
    echo "$KAFKA_VERSION" >"$dir/data/.kafka-version"
    log "kafka: formatted $dir/data (cluster id $cluster_id)"
  fi
  launch kafka "$java" -cp "$cp" "${jopts[@]}" kafka.Kafka "$dir/server.properties"
  log "kafka: started $KAFKA_VERSION (pid $(<"$(pid_file kafka)"))"
}

# ---------------------------------------------------------------- MongoDB wire: FerretDB v1 on PostgreSQL
build_ferretdb() {
  local cache="$1" bin="$2"
  command -v go >/dev/null || die "ferretdb: go not found (needed to build FerretDB from the Go module proxy)"
  log "ferretdb: building github.com/FerretDB/FerretDB $FERRETDB_VERSION (Go module proxy)"
  mkdir -p "$cache"
  local mod_dir blog="$cache/build.log"
  # Fetch the module source through the module proxy, then build its cmd/ferretdb. FerretDB's
  # build/version/version.txt is generated by its release tooling and absent from the module, so we
  # write it; without it the binary refuses to start.
  local t0=$SECONDS
  mod_dir="$(cd "$cache" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" 2>"$blog" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [[ -n "$mod_dir" && -d "$mod_dir" ]] || { tail_log "$blog"; die "ferretdb: go mod download failed"; }
  rm -rf "$cache/src"
  cp -r "$mod_dir" "$cache/src"
  chmod -R u+w "$cache/src"
  echo "$FERRETDB_VERSION" >"$cache/src/build/version/version.txt"
  echo "ptvem-stack" >"$cache/src/build/version/package.txt"
  (cd "$cache/src" && GOFLAGS=-buildvcs=false go build -o "$bin.tmp" ./cmd/ferretdb) >>"$blog" 2>&1 ||
    { tail_log "$blog"; die "ferretdb: go build failed (log: $blog)"; }
  mv "$bin.tmp" "$bin"
  rm -rf "$cache/src"
  log "ferretdb: built in $((SECONDS - t0))s ($bin)"
}

ensure_ferretdb() {
  already_up ferretdb && return 0
  local cache="$STACK_CACHE/ferretdb-$FERRETDB_VERSION"
  local bin="$cache/ferretdb" dir="$STACK_DIR/ferretdb"
  [[ -x "$bin" ]] || build_ferretdb "$cache" "$bin"
  mkdir -p "$dir"
  # Defaults read from FerretDB's cmd/ferretdb: it also opens a debug HTTP listener on :8088 and
  # decides on telemetry (reports to its vendor) unless told: both turned off here.
  launch ferretdb "$bin" --listen-addr="$HOST:$MONGO_PORT" --handler=postgresql \
    --postgresql-url="$(postgres_url "$FERRETDB_DB")" \
    --state-dir="$dir" --debug-addr=- --telemetry=disable --log-level=info
  log "ferretdb: started $FERRETDB_VERSION (pid $(<"$(pid_file ferretdb)"))"
}

# ---------------------------------------------------------------- S3: s3proxy (Maven Central jars)
ensure_s3proxy() {
  already_up s3proxy && return 0
  local cache="$STACK_CACHE/s3proxy-$S3PROXY_VERSION"
  [[ -s "$cache/classpath.txt" ]] || log "s3proxy: resolving org.gaul:s3proxy:$S3PROXY_VERSION from Maven Central"
  # s3proxy is built against BOMs (Jackson 3, AWS SDK, OpenTelemetry); without them Maven 3 picks
  # older Jackson 2 annotations from another branch of the tree and the server dies at start.
  local managed
  managed="$(mvn_managed_of "org.gaul:s3proxy:$S3PROXY_VERSION" "$cache")" || exit 1
  mvn_classpath "$cache" "
    <dependency><groupId>org.gaul</groupId><artifactId>s3proxy</artifactId><version>$S3PROXY_VERSION</version></dependency>" "$managed"
  local cp java dir="$STACK_DIR/s3proxy"
  cp="$(<"$cache/classpath.txt")"
  java="$(java_bin)" || exit 1
  mkdir -p "$dir/data"
  cat >"$dir/s3proxy.properties" <<EOF
# Written by scripts/stack/up.sh
s3proxy.endpoint=http://$HOST:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY_ID
s3proxy.credential=$S3_SECRET_ACCESS_KEY
jclouds.provider=filesystem-nio2
jclouds.identity=$S3_ACCESS_KEY_ID
jclouds.credential=$S3_SECRET_ACCESS_KEY
jclouds.filesystem.basedir=$dir/data
EOF
  # The s3proxy jar ships no logback configuration (logback would default to DEBUG): ours logs INFO.
  cat >"$dir/logback.xml" <<'EOF'
<configuration>
  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.gaul.shaded" level="WARN"/>
  <logger name="org.eclipse.jetty" level="WARN"/>
  <root level="INFO"><appender-ref ref="out"/></root>
</configuration>
EOF
  launch s3proxy "$java" -Xms64m -Xmx384m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    "-Dlogback.configurationFile=$dir/logback.xml" -cp "$cp" org.gaul.s3proxy.Main --properties "$dir/s3proxy.properties"
  log "s3proxy: started $S3PROXY_VERSION (pid $(<"$(pid_file s3proxy)"))"
}

# ---------------------------------------------------------------- run
log "starting the stack (state: $STACK_DIR, cache: $STACK_CACHE)"
start_all() {
  # Redis and PostgreSQL first (apt must not race with anything; FerretDB stores into PostgreSQL); then
  # the rest in parallel: the Maven downloads and the Go build overlap, and each JVM starts as soon as its
  # own jars are there.
  ensure_redis
  ensure_postgres
  local pids=() names=() failed=() svc i
  for svc in kafka ferretdb s3proxy; do
    "ensure_$svc" &
    pids+=("$!") names+=("$svc")
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || failed+=("${names[$i]}")
  done
  ((${#failed[@]} == 0)) || die "could not start: ${failed[*]} (see the messages above)"
}
if ((${#only[@]})); then
  for svc in "${only[@]}"; do "ensure_$svc"; done
else
  start_all
fi

log "waiting for every service to answer (timeout ${PTVEM_STACK_TIMEOUT:-120}s)"
eval "$("$STACK_SCRIPTS/env.sh")"
node "$STACK_SCRIPTS/wait.mjs" --timeout "${PTVEM_STACK_TIMEOUT:-120}"
if ((VERIFY)); then
  node "$STACK_SCRIPTS/smoke.mjs"
fi
log "stack up in $((SECONDS - T0))s. Environment: eval \"\$(scripts/stack/env.sh)\""
