#!/usr/bin/env bash
# The catalog API against its own OpenAPI document: schemathesis (PyPI, pinned in the Makefile)
# generates valid and invalid requests for every operation in /api/v1/openapi.json and checks
# each answer (no 5xx, documented status codes, content types, headers and schemas, invalid
# input refused with 4xx). Exits non-zero on any failure or on a panic in the server's log.
#
#   end2end/api/contract.sh          (make api-contract builds first and installs schemathesis)
#   MAX_EXAMPLES=500 end2end/api/contract.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

SCHEMATHESIS=${SCHEMATHESIS:-$HOME/.cache/cloudscale-tools/api-venv/bin/schemathesis}
[[ -x "$SCHEMATHESIS" ]] || { echo "schemathesis is not installed (make api-contract installs it)" >&2; exit 1; }
PORT=${PORT:-3130}

source end2end/lib.sh
# Hundreds of requests a minute from one address are the fuzzer, not what is measured here; the
# rate limit has its own HTTP test.
export API_RATE_PER_MINUTE=100000
start_release_server "$PORT"

status=0
"$SCHEMATHESIS" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --checks all \
  --max-examples "${MAX_EXAMPLES:-100}" \
  --workers 2 \
  --seed "${SEED:-20261123}" \
  --request-timeout 10 \
  --no-color || status=$?

panics=$(grep -c "panicked" "$WORKDIR/server.log" || true)
errors=$(grep -c '"level":"ERROR"' "$WORKDIR/server.log" || true)
echo "api contract: schemathesis exit $status, server panics $panics, server errors logged $errors"
if [[ $status -ne 0 || $panics -ne 0 || $errors -ne 0 ]]; then
  tail -n 40 "$WORKDIR/server.log" >&2
  exit 1
fi
