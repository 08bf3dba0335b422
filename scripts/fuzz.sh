#!/usr/bin/env bash
# `npm run fuzz`: property-based fuzzing of the HTTP API from its own OpenAPI document (/docs/json) with
# Schemathesis. Not part of `npm test`.
#
# Starts the app on the embedded adapters in a temporary DATA_DIR on 127.0.0.1, seeds a little real data
# (a brand's collection, design, products, a photo, a story, a listing, a buyer's pending transaction, a
# claim code) so that generated requests reach more than 404s, then runs Schemathesis once per caller
# (brand, buyer, admin with the moderator role, no token at all; last the irreversible ones: logout with a
# throwaway token, and an admin erasing users) with
# the checks: no 5xx, every status code documented, every JSON response matching its documented schema.
# Stops the app and exits non-zero when any pass found a failure.
#
# Knobs (environment): FUZZ_PORT (3900), FUZZ_MAX_EXAMPLES per operation (10), FUZZ_MAX_TIME seconds per
# pass (60; Schemathesis keeps fuzzing until it is spent), FUZZ_PHASES (examples,coverage,fuzzing,stateful),
# FUZZ_SEED (random; printed, to replay a run), FUZZ_WORKERS (1: Hypothesis on Python 3.11 trips over its
# own threads with more), FUZZ_PASSES (brand buyer admin anonymous logout erase), FUZZ_VENV (.stack/fuzz-venv),
# FUZZ_REPORT_DIR (.stack/fuzz-report: JUnit per pass), SCHEMATHESIS_VERSION (4.32.5).
# The SSE routes (/live) are left out: a valid request there streams until the client goes away.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${FUZZ_PORT:-3900}
BASE=http://127.0.0.1:$PORT
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-10}
MAX_TIME=${FUZZ_MAX_TIME:-60}
PHASES=${FUZZ_PHASES:-examples,coverage,fuzzing,stateful}
WORKERS=${FUZZ_WORKERS:-1}
PASSES=${FUZZ_PASSES:-brand buyer admin anonymous logout erase}
VENV=$(realpath -m "${FUZZ_VENV:-.stack/fuzz-venv}")
REPORT_DIR=$(realpath -m "${FUZZ_REPORT_DIR:-.stack/fuzz-report}")
VERSION=${SCHEMATHESIS_VERSION:-4.32.5}
CHECKS=not_a_server_error,status_code_conformance,response_schema_conformance

# 1. Schemathesis in a virtualenv of its own, installed once.
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "version $VERSION\$"; then
  echo "fuzz: installing schemathesis $VERSION into $VENV"
  python3 -m venv "$VENV" || { echo "fuzz: python3 -m venv failed (on Debian: apt-get install -y python3-venv)" >&2; exit 2; }
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$VERSION"
fi

# 2. The app, on the embedded adapters whatever the shell's environment points at.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ptvem-fuzz.XXXXXX")
APP_PID=
stop() {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap stop EXIT
trap 'exit 130' INT TERM

if curl -s -o /dev/null "$BASE/health"; then
  echo "fuzz: something already listens on port $PORT; set FUZZ_PORT" >&2
  exit 2
fi

ADMIN_EMAIL=fuzz-admin@example.test
ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
env -u EVENTSTORE_URL -u POSTGRES_URL -u MONGODB_URL -u REDIS_URL -u KAFKA_BROKERS -u KAFKA_TOPIC -u S3_BUCKET -u S3_ENDPOINT \
  DATA_DIR="$WORK/data" PORT="$PORT" HOST=127.0.0.1 PUBLIC_BASE_URL="$BASE" LOG_LEVEL=error \
  ADMIN_EMAIL="$ADMIN_EMAIL" ADMIN_PASSWORD="$ADMIN_PASSWORD" RATE_LIMIT_AUTH=100000 \
  node_modules/.bin/tsx app/main.ts >"$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 120); do
  curl -sf -o /dev/null "$BASE/ready" && break
  kill -0 "$APP_PID" 2>/dev/null || { echo "fuzz: the app did not start" >&2; cat "$WORK/app.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf -o /dev/null "$BASE/ready" || { echo "fuzz: the app is not ready after 60 s" >&2; exit 1; }
echo "fuzz: app up on $BASE (DATA_DIR $WORK/data)"

# 3. Callers and a little real data; writes the tokens and a schemathesis.toml whose dictionaries offer
#    the real ids (half of the time) where a parameter or body field of that name is generated.
ADMIN_EMAIL=$ADMIN_EMAIL ADMIN_PASSWORD=$ADMIN_PASSWORD BASE=$BASE WORK=$WORK "$VENV/bin/python" - <<'PY'
import base64, json, os, urllib.request, urllib.error, uuid, zlib, struct

BASE, WORK = os.environ['BASE'], os.environ['WORK']

def call(method, path, body=None, token=None, raw=None, content_type='application/json', expect=(200, 201)):
    headers = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers['content-type'] = content_type
    elif raw is not None:
        data = raw
        headers['content-type'] = content_type
    if token:
        headers['authorization'] = f'Bearer {token}'
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    if status not in expect:
        raise SystemExit(f'fuzz seed: {method} {path} answered {status}: {text}')
    return json.loads(text) if text else None

def login(email, password):
    return call('POST', '/api/auth/login', {'email': email, 'password': password})['accessToken']

def account(name, account_type='consumer'):
    email, password = f'{name}@example.test', f'{name}-password-1'
    body = {'email': email, 'password': password, 'displayName': name.title(), 'accountType': account_type}
    if account_type == 'brand':
        body['brandName'] = 'Fuzz Brand'
    user_id = call('POST', '/api/auth/register', body)['userId']
    return user_id, login(email, password)

def gtin13(stem):
    digits = [int(d) for d in stem]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return stem + str((10 - total % 10) % 10)

def png():
    row = b'\x00' + b'\xc8\x3c\x3c' * 4
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 4, 4, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(row * 4)) + chunk(b'IEND', b'')

admin = login(os.environ['ADMIN_EMAIL'], os.environ['ADMIN_PASSWORD'])
admin_id = call('GET', '/api/auth/verify', token=admin)['userId']
call('PUT', f'/api/admin/users/{admin_id}/roles', {'roles': ['admin', 'moderator']}, token=admin)
brand_id, brand = account('fuzz-brand', 'brand')
buyer_id, buyer = account('fuzz-buyer')
throwaway_id, throwaway = account('fuzz-throwaway')

collection_id = call('POST', '/api/collections', {'name': 'Summer', 'season': 'SS25'}, token=brand)['collectionId']
design_id = call('POST', f'/api/collections/{collection_id}/designs', {'name': 'Camp shirt', 'materials': [{'fibre': 'linen', 'percent': 100}]}, token=brand)['designId']
products = []
for n in range(3):
    body = {'name': f'Camp shirt {n}', 'collectionId': collection_id, 'designId': design_id, 'gtin': gtin13(f'400638133{n:03d}'),
            'serialNumber': f'SN-{n}', 'madeIn': 'Portugal', 'originalPrice': {'amount': 12000, 'currency': 'EUR'},
            'materials': [{'fibre': 'linen', 'percent': 100}]}
    products.append({**call('POST', '/api/products', body, token=brand), **body})

boundary = uuid.uuid4().hex
multipart = (f'--{boundary}\r\ncontent-disposition: form-data; name="file"; filename="photo.png"\r\ncontent-type: image/png\r\n\r\n'.encode()
             + png() + f'\r\n--{boundary}--\r\n'.encode())
media_id = call('POST', '/api/media', raw=multipart, content_type=f'multipart/form-data; boundary={boundary}', token=brand)['mediaId']
story_id = call('POST', '/api/stories', {'productId': products[0]['productId'], 'title': 'Made', 'body': 'Sewn in Porto.', 'mediaIds': [media_id]}, token=brand)['storyId']
listing_id = call('POST', '/api/resale/listings', {'productId': products[0]['productId'], 'price': {'amount': 9000, 'currency': 'EUR'}, 'condition': 'good'}, token=brand)['listingId']
transaction_id = call('POST', '/api/resale/transactions', {'listingId': listing_id}, token=buyer)['transactionId']
call('POST', '/api/ownership/transfer', {'productId': products[1]['productId'], 'toUserId': buyer_id}, token=brand)
claim_code = call('POST', '/api/ownership/transfer', {'productId': products[2]['productId']}, token=brand)['claimCode']

for name, token in {'admin': admin, 'brand': brand, 'buyer': buyer, 'throwaway': throwaway}.items():
    with open(f'{WORK}/{name}.token', 'w') as out:
        out.write(token)

dictionaries = {
    'productId': [p['productId'] for p in products],
    'qrCode': [p['qrCode'] for p in products],
    'gtin': [p['gtin'] for p in products],
    'serial': [p['serialNumber'] for p in products],
    'collectionId': [collection_id],
    'designId': [design_id],
    'mediaId': [media_id],
    'storyId': [story_id],
    'listingId': [listing_id],
    'transactionId': [transaction_id],
    'userId': [brand_id, buyer_id, admin_id],
    'claimCode': [claim_code],
}
# A bare name binds path, query and header parameters; body fields need their own keys.
bindings = {name: name for name in dictionaries}
bindings |= {'q': 'qrCode', 'toUserId': 'userId', 'actorId': 'userId'}
bindings |= {f'body.{name}': name for name in ('productId', 'listingId', 'claimCode')}
bindings |= {'body.toUserId': 'userId', 'body.mediaIds[*]': 'mediaId'}
toml = lambda value: json.dumps(value)  # TOML basic strings and arrays of them read like JSON
with open(f'{WORK}/schemathesis.toml', 'w') as out:
    for name, values in dictionaries.items():
        out.write(f'[dictionaries.{name}]\nvalues = {toml(values)}\n\n')
    out.write('[parameters]\n')
    for key, name in bindings.items():
        out.write(f'{toml(key)} = {{ dictionary = {toml(name)}, probability = 0.5 }}\n')
print(f'fuzz: seeded {len(products)} products, a story with a photo, a listing, a pending transaction, a claim code')
PY

# 4. One Schemathesis run per caller.
mkdir -p "$REPORT_DIR"
SEED=${FUZZ_SEED:-$RANDOM}
failed=()
summary=()
for pass in $PASSES; do
  # Logging out and erasing users would take the callers' tokens away mid-run: they get passes of their own, last.
  filters=(--exclude-path-regex '/live$' --exclude-path /api/auth/logout --exclude-path /api/admin/users/{userId})
  auth=()
  budget=$MAX_TIME
  case $pass in
    brand | buyer | admin) auth=(-H "Authorization: Bearer $(cat "$WORK/$pass.token")") ;;
    anonymous) ;;
    logout)
      # The first call revokes the token; what follows must be a clean 401.
      auth=(-H "Authorization: Bearer $(cat "$WORK/throwaway.token")")
      filters=(--include-path /api/auth/logout)
      budget=$((MAX_TIME < 15 ? MAX_TIME : 15))
      ;;
    erase)
      auth=(-H "Authorization: Bearer $(cat "$WORK/admin.token")")
      filters=(--include-name 'DELETE /api/admin/users/{userId}')
      budget=$((MAX_TIME < 15 ? MAX_TIME : 15))
      ;;
    *) echo "fuzz: unknown pass $pass" >&2; exit 2 ;;
  esac
  echo
  echo "fuzz: ===== pass '$pass' (seed $SEED, ≤ $MAX_EXAMPLES examples per operation, ≤ ${budget}s) ====="
  status=0
  # From the temporary folder, where Schemathesis leaves its .schemathesis cache.
  (cd "$WORK" && "$VENV/bin/schemathesis" --config-file "$WORK/schemathesis.toml" run "$BASE/docs/json" \
    --checks "$CHECKS" "${auth[@]}" "${filters[@]}" \
    --phases "$PHASES" --max-examples "$MAX_EXAMPLES" --max-time "$budget" --seed "$SEED" \
    --workers "$WORKERS" --request-timeout 10 --no-color \
    --report junit --report-junit-path "$REPORT_DIR/$pass.xml") 2>&1 | tee "$WORK/$pass.out" || status=$?
  [ "$status" -eq 0 ] || failed+=("$pass")
  summary+=("$(printf '%-10s %-8s %s' "$pass" "$([ "$status" -eq 0 ] && echo ok || echo FAILED)" \
    "$(grep -A1 '^Test cases:' "$WORK/$pass.out" | tail -n1 | sed 's/^ *//'); $(grep -o 'Tested: [0-9]*' "$WORK/$pass.out" | head -n1) operations")")
done

if grep -q '"level":[56]0' "$WORK/app.log"; then
  echo
  echo "fuzz: the app logged errors:"
  grep '"level":[56]0' "$WORK/app.log" | head -n 20
  failed+=(app-log)
fi

echo
echo "fuzz: summary (seed $SEED)"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED in: ${failed[*]} (JUnit reports in $REPORT_DIR)"
  exit 1
fi
echo "fuzz: all passes clean (JUnit reports in $REPORT_DIR)"
