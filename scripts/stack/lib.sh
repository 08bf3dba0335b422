# Shared settings and helpers for the native (Docker-free) stack: sourced by up.sh, down.sh, env.sh.
# Everything listens on 127.0.0.1 only. Runtime state (data, logs, pids) lives under .stack/ in the
# repo (git-ignored); downloads and builds are cached outside the repo so reruns are fast:
#   ~/.m2 (Maven jars), ~/go/pkg/mod + ~/.cache/go-build (Go), and $PTVEM_STACK_CACHE.

# shellcheck disable=SC2034 # sourced: the settings below are used by up.sh, down.sh and env.sh
STACK_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$STACK_SCRIPTS/../.." && pwd)"
STACK_DIR="${PTVEM_STACK_DIR:-$REPO_ROOT/.stack}"
STACK_CACHE="${PTVEM_STACK_CACHE:-$HOME/.cache/ptvem-stack}"

# Versions. Kafka and s3proxy come from Maven Central, FerretDB from the Go module proxy,
# Redis and PostgreSQL from Debian's packages (whatever the release ships; bookworm: 7.0 and 15).
KAFKA_VERSION="${PTVEM_KAFKA_VERSION:-4.3.1}"
KAFKA_LOG4J_VERSION="2.25.5" # log4j-slf4j-impl matching the log4j-core that kafka-server brings
S3PROXY_VERSION="${PTVEM_S3PROXY_VERSION:-4.1.0}"
FERRETDB_VERSION="${PTVEM_FERRETDB_VERSION:-v1.24.2}"

# Endpoints and credentials (also what env.sh prints). Ports can be moved (PTVEM_<SERVICE>_PORT), e.g. to
# run a second stack beside the first with its own PTVEM_STACK_DIR.
HOST=127.0.0.1
REDIS_PORT="${PTVEM_REDIS_PORT:-6379}"
KAFKA_PORT="${PTVEM_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${PTVEM_KAFKA_CONTROLLER_PORT:-9093}"
POSTGRES_PORT="${PTVEM_POSTGRES_PORT:-5432}"
MONGO_PORT="${PTVEM_MONGO_PORT:-27017}"
S3_PORT="${PTVEM_S3_PORT:-9000}"
# PostgreSQL: the superuser (trusted on loopback, no password), the event log's database, FerretDB's database.
POSTGRES_USER=ptvem
POSTGRES_DB=ptvem
FERRETDB_DB=ferretdb
S3_BUCKET=ptvem-media
S3_ACCESS_KEY_ID=ptvem-local
S3_SECRET_ACCESS_KEY=ptvem-local-secret
S3_REGION=us-east-1

# Service ids, also the names of their folders under .stack/.
SERVICES=(redis kafka postgres ferretdb s3proxy)
is_service() { [[ " ${SERVICES[*]} " == *" $1 "* ]]; }

log() { printf '[stack %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

service_port() {
  case "$1" in
    redis) echo "$REDIS_PORT" ;; kafka) echo "$KAFKA_PORT" ;; postgres) echo "$POSTGRES_PORT" ;;
    ferretdb) echo "$MONGO_PORT" ;; s3proxy) echo "$S3_PORT" ;;
  esac
}

pid_file() { echo "$STACK_DIR/$1/$1.pid"; }
log_file() { echo "$STACK_DIR/$1/$1.log"; }

# stack_pid NAME: the pid recorded for NAME if that process is still alive, else nothing.
stack_pid() {
  local f pid
  f="$(pid_file "$1")"
  [[ -s "$f" ]] || return 1
  pid="$(tr -dc 0-9 <"$f")"
  [[ -n "$pid" ]] && pid_alive "$pid" || return 1
  echo "$pid"
}

# pid_alive PID: the process exists and is not a zombie (an exited server not yet reaped by its parent).
# A JVM's main thread can show Z while its other threads still shut down: only a zombie with one thread
# left is gone.
pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  ! awk '/^State:/ { s = $2 } /^Threads:/ { t = $2 } END { exit !(s == "Z" && t <= 1) }' "/proc/$1/status" 2>/dev/null
}

tail_log() {
  local f="$1" n="${2:-40}"
  if [[ -s "$f" ]]; then
    echo "----- last $n lines of $f -----" >&2
    tail -n "$n" "$f" >&2
    echo "-----" >&2
  else
    echo "(no log at $f)" >&2
  fi
}

# launch NAME CMD...: start CMD detached (own session, stdin closed), output to the service log,
# pid to the service pid file. setsid does not fork here (a script's background job is never a
# process-group leader), so $! is the server's own pid.
launch() {
  local name="$1"
  shift
  mkdir -p "$STACK_DIR/$name"
  local lf
  lf="$(log_file "$name")"
  # Logs append across restarts; keep one older generation once a log passes 20 MB.
  if [[ -f "$lf" ]] && (($(stat -c %s "$lf") > 20 * 1024 * 1024)); then mv -f "$lf" "$lf.1"; fi
  local shown=() a
  for a in "$@"; do [[ "$a" == *.jar:* ]] && shown+=("<classpath of $(($(tr -cd : <<<"$a" | wc -c) + 1)) jars>") || shown+=("$a"); done
  echo "=== $(date -Is) starting: ${shown[*]}" >>"$lf"
  setsid "$@" >>"$lf" 2>&1 </dev/null &
  echo "$!" >"$(pid_file "$name")"
}

# postgres_url DATABASE: the URL of one of the stack's PostgreSQL databases.
postgres_url() { echo "postgres://$POSTGRES_USER@$HOST:$POSTGRES_PORT/$1"; }

# java_bin: the java to run (JAVA_HOME's, else the one on PATH), checked to be Java 17 or newer
# (Kafka 4 brokers and s3proxy 4 need 17).
java_bin() {
  local java major
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then java="$JAVA_HOME/bin/java"; else java="$(command -v java || true)"; fi
  [[ -n "$java" ]] || die "java not found: install a JDK/JRE 17+ (Debian: openjdk-17-jre-headless) or set JAVA_HOME"
  major="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
  ((${major:-0} >= 17)) || die "$java is Java ${major:-?}; Java 17 or newer is needed (set JAVA_HOME)"
  echo "$java"
}

# mvn_classpath DIR DEPENDENCIES_XML [MANAGED_XML]: resolve the dependencies (and their runtime deps)
# from Maven Central into ~/.m2 and write DIR/classpath.txt. MANAGED_XML goes into <dependencyManagement>
# (Maven 3 ignores a dependency's own dependencyManagement, so an artifact built against BOMs needs them
# repeated here to get the classpath it was built with). Cached: a classpath whose jars all exist is reused.
mvn_classpath() {
  local dir="$1" deps="$2" managed="${3:-}" pom
  pom="$(cat <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.ptvem.stack</groupId>
  <artifactId>$(basename "$dir")</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencyManagement>
    <dependencies>
$managed
    </dependencies>
  </dependencyManagement>
  <dependencies>
$deps
  </dependencies>
</project>
EOF
)"
  if [[ -s "$dir/classpath.txt" && -f "$dir/pom.xml" && "$(<"$dir/pom.xml")" == "$pom" ]]; then
    local ok=1 j jars
    IFS=: read -r -a jars <"$dir/classpath.txt" || true # no trailing newline: read says 1
    for j in "${jars[@]}"; do [[ -f "$j" ]] || { ok=0; break; }; done
    ((ok)) && return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (Maven is needed to fetch jars from Maven Central)"
  mkdir -p "$dir"
  printf '%s\n' "$pom" >"$dir/pom.xml"
  rm -f "$dir/classpath.txt" "$dir/classpath.txt.tmp"
  (cd "$dir" && mvn -B -q -ntp dependency:build-classpath -DincludeScope=runtime \
    -Dmdep.outputFile=classpath.txt.tmp) >"$dir/mvn.log" 2>&1 || {
    tail_log "$dir/mvn.log"
    die "Maven could not resolve $(basename "$dir") (log: $dir/mvn.log)"
  }
  mv "$dir/classpath.txt.tmp" "$dir/classpath.txt"
}

# mvn_managed_of G:A:V DIR: the <dependencyManagement> entries of that artifact's own pom, with its
# properties filled in, for mvn_classpath's MANAGED_XML.
mvn_managed_of() {
  local gav="$1" dir="$2" pom
  mkdir -p "$dir"
  pom="$dir/$(cut -d: -f2 <<<"$gav")-$(cut -d: -f3 <<<"$gav").pom"
  if [[ ! -s "$pom" ]]; then
    (cd "$dir" && mvn -B -q -ntp dependency:copy "-Dartifact=$gav:pom" "-DoutputDirectory=$dir") >"$dir/mvn.log" 2>&1 || {
      tail_log "$dir/mvn.log"
      die "Maven could not fetch the pom of $gav (log: $dir/mvn.log)"
    }
  fi
  node -e '
    const xml = require("fs").readFileSync(process.argv[1], "utf8").replace(/<!--[\s\S]*?-->/g, "")
    const props = {}
    for (const [, body] of xml.matchAll(/<properties>([\s\S]*?)<\/properties>/g))
      for (const [, k, v] of body.matchAll(/<([\w.-]+)>([^<]*)<\/\1>/g)) props[k] = v.trim()
    const block = /<dependencyManagement>\s*<dependencies>([\s\S]*?)<\/dependencies>\s*<\/dependencyManagement>/.exec(xml)?.[1] ?? ""
    const entries = [...block.matchAll(/<dependency>[\s\S]*?<\/dependency>/g)].map(m => m[0])
      .filter(d => !/<scope>test<\/scope>/.test(d))
      .map(d => d.replace(/\$\{([\w.-]+)\}/g, (all, k) => props[k] ?? all))
    process.stdout.write(entries.join("\n"))
  ' "$pom"
}
