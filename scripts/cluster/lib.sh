# Shared settings for the local cluster (scripts/cluster/up.sh, down.sh): the native stack's settings plus
# the cluster's processes, their ports and the balancer. State lives under .stack/cluster/ (git-ignored).
# shellcheck disable=SC2034 # sourced: the settings below are used by up.sh and down.sh
source "$(dirname "${BASH_SOURCE[0]}")/../stack/lib.sh"

CLUSTER_DIR="$STACK_DIR/cluster"
PUBLIC_PORT="${PORT:-3000}"
# The processes listen on consecutive ports after the public one (PTVEM_CLUSTER_PORT_BASE moves them).
PORT_BASE="${PTVEM_CLUSTER_PORT_BASE:-$((PUBLIC_PORT + 1))}"
# name:entry point (npm script), in start order: the projectors first, so the query APIs find checkpoints.
CLUSTER_PROCESSES=(projectors:start:projectors command-api-1:start:command-api command-api-2:start:command-api
  query-api-1:start:query-api query-api-2:start:query-api)

is_cluster_process() { [[ " ${CLUSTER_PROCESSES[*]%%:*} " == *" $1 "* ]]; }
# process_port INDEX: the port of CLUSTER_PROCESSES[INDEX].
process_port() { echo $((PORT_BASE + $1)); }
cluster_pid_file() { echo "$CLUSTER_DIR/$1.pid"; }
cluster_log_file() { echo "$CLUSTER_DIR/$1.log"; }
