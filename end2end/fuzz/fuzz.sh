#!/usr/bin/env bash
# Bad-input suite, against the release server on PostgreSQL (TEST_DATABASE_URL) or, without it,
# SQLite:
#  1. fuzz_server_fns.py (Hypothesis): every server function and page route with malformed,
#     wrongly typed, negative, overflowing, broken-UTF-8, unknown, deeply nested and 10 MB input;
#  2. sqlmap against every endpoint that takes text (the listing's search and filters, the catalog
#     API, sign-in, registration, the back office's product search);
#  3. schemathesis against /api/v1 (end2end/api/contract.sh).
# Prints 5xx answers, panics in the server log, injectable parameters and 10 MB bodies not
# refused with 413; exits non-zero unless each is 0.
#
#   end2end/fuzz/fuzz.sh            (make fuzz builds and installs the tools first)
#   FUZZ_EXAMPLES=40 SQLMAP_LEVEL=1 end2end/fuzz/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT=${FUZZ_PORT:-3500}
EXAMPLES=${FUZZ_EXAMPLES:-120}
SQLMAP_LEVEL=${SQLMAP_LEVEL:-2}
TOOLS_DIR=${TOOLS_DIR:-$HOME/.cache/cloudscale-tools}
VENV=${API_VENV:-$TOOLS_DIR/api-venv}
ADMIN_EMAIL=fuzz.admin@example.com
ADMIN_PASSWORD='a long and careful operator phrase'
# sqlmap and the fuzzer send thousands of requests from one address.
export ADMIN_EMAIL ADMIN_PASSWORD API_RATE_PER_MINUTE=0 SHUTDOWN_DRAIN_SECS=0
source end2end/lib.sh

[[ -x "$VENV/bin/sqlmap" ]] || { echo "sqlmap is missing: run make api-tools" >&2; exit 1; }
if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  create_scratch_postgres "$TEST_DATABASE_URL" fuzz
  database=PostgreSQL
  start_release_server "$PORT" "$PG_URL"
else
  database=SQLite
  start_release_server "$PORT"
fi
base="http://127.0.0.1:$PORT"
status=0
echo "bad-input suite: release server on $database"

"$VENV/bin/python" end2end/fuzz/fuzz_server_fns.py "$base" "$ADMIN_EMAIL" "$ADMIN_PASSWORD" "$EXAMPLES" || status=1

# sqlmap: each target's text parameters (a * marks a place in a path), as an admin where needed.
jar=$WORKDIR/admin.jar
curl -fsS -o /dev/null -c "$jar" -X POST "$base/api/sign_in" \
  --data-urlencode "email=$ADMIN_EMAIL" --data-urlencode "password=$ADMIN_PASSWORD"
admin_cookie=$(awk '(!/^#/ || /^#HttpOnly_/) && NF >= 7 { printf "%s=%s; ", $6, $7 }' "$jar")
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $admin_cookie" -H 'Accept: application/json' -X POST "$base/api/admin_products" -d page=1) == 200 ]] ||
  { echo "the admin session for sqlmap does not work" >&2; exit 1; }
targets=(
  "GET|/products?category=audio&q=lamp&sort=price_asc&page=1|"
  "GET|/api/v1/products?category=audio&q=lamp&sort=price_asc&page=1|"
  "GET|/api/v1/products/aurora-wireless-headphones*|"
  "POST|/api/list_products|category=audio&q=lamp&sort=price_asc&page=1"
  "POST|/api/get_product|slug=aurora-wireless-headphones"
  "POST|/api/sign_in|email=someone%40example.com&password=not+the+password"
  "POST|/api/register|name=Sql+Map&email=sqlmap%40example.com&password=a+long+enough+pass+phrase"
  "POST|/api/admin_products|q=lamp&page=1|admin"
  "POST|/api/admin_order|number=CS-00000001|admin"
)
injectable=0
printf '%-58s %s\n' "sqlmap target (level $SQLMAP_LEVEL)" "injectable parameters"
for target in "${targets[@]}"; do
  IFS='|' read -r method path data as <<<"$target"
  # JSON answers (no redirects); refusals of bad values (4xx) are answers to compare, not errors.
  args=(-u "$base$path" --batch --level="$SQLMAP_LEVEL" --risk=1 --threads=4 --flush-session --disable-coloring
    --output-dir="$WORKDIR/sqlmap" --technique=BEUST --time-sec=2 --skip-waf --headers="Accept: application/json"
    --ignore-code=400,401,404,409,422,429)
  [[ $method == POST ]] && args+=(--data="$data")
  [[ ${as:-} == admin ]] && args+=(--cookie="$admin_cookie")
  "$VENV/bin/sqlmap" "${args[@]}" >"$WORKDIR/sqlmap.log" 2>&1 || true
  found=$(grep -c "^Parameter: " "$WORKDIR/sqlmap.log" || true)
  if ! grep -qE "do not appear to be injectable|^Parameter: " "$WORKDIR/sqlmap.log"; then
    echo "sqlmap did not finish on $path:" >&2
    tail -n 15 "$WORKDIR/sqlmap.log" >&2
    status=1
  fi
  printf '%-58s %s\n' "$method ${path:0:52}" "$found"
  injectable=$((injectable + found))
  if ((found > 0)); then grep -A4 "^Parameter: " "$WORKDIR/sqlmap.log"; fi
done
echo "injectable parameters: $injectable"
((injectable == 0)) || status=1

alive=$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz" || true)
panics=$(grep -c "panicked" "$WORKDIR/server.log" || true)
errors=$(grep -c '"level":"ERROR"' "$WORKDIR/server.log" || true)
echo "server still answering /healthz: $alive"
echo "panics in the server log: $panics"
echo "internal errors logged: $errors"
[[ $alive == 200 && $panics == 0 ]] || status=1
if [[ $panics != 0 || $errors != 0 ]]; then grep -m5 -E 'panicked|"level":"ERROR"' "$WORKDIR/server.log"; fi
stop_release_server
trap - EXIT

echo
echo "schemathesis on /api/v1:"
end2end/api/contract.sh || status=1
exit $status
