#!/usr/bin/env bash
# Prints the environment for the native stack (scripts/stack/up.sh), one export line each:
#   eval "$(scripts/stack/env.sh)"      (or: source scripts/stack/env.sh)
# When sourced instead, it exports them into the calling shell.
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  eval "$(bash "${BASH_SOURCE[0]}")"
  return 0
fi
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cat <<EOT
export REDIS_URL=redis://$HOST:$REDIS_PORT
export KAFKA_BROKERS=$HOST:$KAFKA_PORT
export POSTGRES_URL=$(postgres_url "$POSTGRES_DB")
export MONGODB_URL=mongodb://$HOST:$MONGO_PORT/ptvem
export S3_ENDPOINT=http://$HOST:$S3_PORT
export S3_BUCKET=$S3_BUCKET
export S3_ACCESS_KEY_ID=$S3_ACCESS_KEY_ID
export S3_SECRET_ACCESS_KEY=$S3_SECRET_ACCESS_KEY
export S3_REGION=$S3_REGION
EOT
