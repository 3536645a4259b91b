#!/usr/bin/env bash
# Load suite: the release server on PostgreSQL (TEST_DATABASE_URL; SQLite without it), measured
# with oha from the same machine, every path with the same connections and encoding (ENCODING,
# identity unless set to br).
#  1. closed loop: the most requests/s CONNECTIONS keep-alive clients get from /healthz, the
#     catalog API, and /, a listing and a product page twice: as the render path (a signed-in
#     customer with a cart: the page cache is bypassed) and as cache hits (no cookie); each
#     page's share of /healthz's throughput, from the same run, against the targets;
#  2. a mixed run: 90 % of the connections signed out, 10 % signed in with carts, over the three
#     storefront pages; then open loop at half its maximum (p99 target 10 ms);
#  3. open loop per path: p50/p95/p99 at fixed rates (RATES, and half of each path's maximum),
#     corrected for coordinated omission (oha --latency-correction);
#  4. 10,000 concurrent keep-alive connections at BIG_RATE: errors, p95 and the server's peak
#     memory;
#  5. sign-ins per second (each one argon2id verification);
#  6. the server must then stop within its grace period: a worker thread deadlocked by the load
#     keeps the runtime from shutting down (its stack is printed).
# Every request must succeed: exits non-zero on any error or non-2xx answer. Throughput targets
# are printed beside the figures, not gated (they depend on the machine).
#
#   end2end/load/run.sh         (make load builds and installs oha first)
#   DURATION=20s CONNECTIONS=64 BIG_CONNECTIONS=10000 BIG_RATE=1000 end2end/load/run.sh
#
# The load generator shares the server's cores, so the maxima are lower than on separate hosts.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
RATES=${RATES:-200}
BIG_CONNECTIONS=${BIG_CONNECTIONS:-10000}
BIG_RATE=${BIG_RATE:-1000}
BIG_DURATION=${BIG_DURATION:-30s}
ENCODING=${ENCODING:-identity}
PORT=${LOAD_PORT:-3200}
PAGES=("/" "/products?category=audio" "/products/aurora-wireless-headphones")
# One client address sends everything: the catalog API's per-address limit would answer 429.
export API_RATE_PER_MINUTE=0 SHUTDOWN_DRAIN_SECS=0 SHUTDOWN_GRACE_SECS=${SHUTDOWN_GRACE_SECS:-5}
OHA=${OHA:-oha}
command -v "$OHA" >/dev/null || { echo "oha is missing: run make load-tools" >&2; exit 1; }

# A socket per connection in oha and in the server (each process has its own limit; the server
# inherits this shell's).
needed_files=$((BIG_CONNECTIONS + 1000))
if (($(ulimit -n) < needed_files)); then
  ulimit -n "$needed_files" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi
(($(ulimit -n) >= needed_files)) ||
  { echo "cannot raise the open-file limit to $needed_files (hard limit $(ulimit -Hn)): raise it, or lower BIG_CONNECTIONS" >&2; exit 1; }

source end2end/lib.sh
if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  create_scratch_postgres "$TEST_DATABASE_URL" load
  database=PostgreSQL
  # A PostgreSQL on this machine is reached without TLS, as the Node peer's driver (pg) does by
  # default: encrypting loopback traffic protects nothing and cost 22 % of a signed-in page's
  # server time (rustls under sqlx, which prefers TLS when the server offers it).
  if [[ "$PG_URL" =~ ^postgres(ql)?://[^/]*@?(127\.0\.0\.1|localhost)[:/] ]]; then
    PG_URL="$PG_URL?sslmode=disable"
    database="PostgreSQL on loopback, no TLS"
  fi
  start_release_server "$PORT" "$PG_URL"
else
  database="SQLite (set TEST_DATABASE_URL for PostgreSQL)"
  start_release_server "$PORT"
fi
base="http://127.0.0.1:$PORT"
status=0

# oha ARGS...: prints "req/s p50 p95 p99 failed total" (latencies in ms; failed = errors + non-2xx).
run_oha() {
  # -w: requests still in flight at the deadline are waited for, not counted as errors.
  local out="$WORKDIR/${OHA_JSON:-oha}"
  "$OHA" --no-tui -w --output-format json -H "Accept-Encoding: $ENCODING" "$@" >"$out.json" 2>"$out.err" || {
    cat "$out.err" >&2
    return 1
  }
  python3 - "$out.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
pct = r.get("latencyPercentiles") or {}
ms = lambda key: (pct.get(key) or 0) * 1000
codes = r.get("statusCodeDistribution") or {}
ok = sum(n for code, n in codes.items() if 200 <= int(code) < 300)
errors = sum((r.get("errorDistribution") or {}).values())
total = sum(codes.values()) + errors
print(f'{r["summary"]["requestsPerSec"]:.0f} {ms("p50"):.2f} {ms("p95"):.2f} {ms("p99"):.2f} {total - ok} {total}')
PY
}

note_failures() {
  local label=$1 failed=$2
  if ((failed > 0)); then
    echo "FAILED: $label: $failed requests failed: $(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r.get("statusCodeDistribution"), r.get("errorDistribution"))' "$WORKDIR/oha.json")"
    status=1
  fi
}

row() { printf '%-50s %9s %9s %9s %9s %8s %9s\n' "$@"; }

# A signed-in customer with a cart: the render path (the cookie keeps the page cache out).
password='velvet lantern across quiet harbours'
jar=$WORKDIR/customer.jar
curl -fsS -o /dev/null -c "$jar" -b "$jar" -X POST "$base/api/register" \
  --data-urlencode 'name=Load Test' --data-urlencode 'email=load@example.com' --data-urlencode "password=$password"
curl -fsS -o /dev/null -c "$jar" -b "$jar" -H 'Accept: application/json' -X POST "$base/api/add_to_cart" -d 'product_id=1&quantity=1'
# The production cookie is __Host- (Secure): curl will not send it over http, so it goes as a header.
cookie=$(awk '/^#HttpOnly_/ || !/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")
[[ -n $cookie ]] || { echo "could not sign the load customer in" >&2; exit 1; }

echo "load suite: release server on $database, oha on the same $(nproc) cores, Accept-Encoding: $ENCODING"
echo
echo "closed loop: $CONNECTIONS connections for $DURATION per path"
row path "req/s" "p50 ms" "p95 ms" "p99 ms" failed requests
declare -A max_rps
closed_loop() {
  local label=$1
  shift
  read -r rps p50 p95 p99 failed total < <(run_oha -z "$DURATION" -c "$CONNECTIONS" "$@")
  max_rps[$label]=$rps
  row "$label" "$rps" "$p50" "$p95" "$p99" "$failed" "$total"
  note_failures "closed loop $label" "$failed"
}
closed_loop /healthz "$base/healthz"
closed_loop /api/v1/products "$base/api/v1/products"
for path in "${PAGES[@]}"; do
  curl -fsS -o /dev/null -H "Cookie: $cookie" "$base$path"
  closed_loop "$path (render)" -H "Cookie: $cookie" "$base$path"
done
for path in "${PAGES[@]}"; do
  curl -fsS -o /dev/null "$base$path"
  closed_loop "$path (cache hit)" "$base$path"
done
echo
echo "share of /healthz's throughput (target)"
ratio() {
  python3 -c 'import sys; page, health, target = map(float, sys.argv[1:4]); r = page / health; verdict = "met" if r >= target else "NOT met"; print(f"{sys.argv[4]:<48} {r:5.2f}  (target >= {target:.2f}: {verdict})")' \
    "${max_rps[$1]}" "${max_rps[/healthz]}" "$2" "$1"
}
ratio "/ (render)" 0.20
ratio "/products/aurora-wireless-headphones (render)" 0.25
ratio "/products?category=audio (render)" 0.15
ratio "/ (cache hit)" 0.60

# The mixed run: oha picks each request's page at random from the three.
pages_regex="$base/(|products\\?category=audio|products/aurora-wireless-headphones)"
visitors=$((CONNECTIONS * 9 / 10))
customers=$((CONNECTIONS - visitors))
# mixed ARGS_FOR_VISITORS -- ARGS_FOR_CUSTOMERS: both at once; prints "req/s p99 failed total share".
mixed() {
  local -a visitor_args=() customer_args=() side=visitor
  for arg in "$@"; do
    if [[ $arg == -- ]]; then side=customer; continue; fi
    if [[ $side == visitor ]]; then visitor_args+=("$arg"); else customer_args+=("$arg"); fi
  done
  OHA_JSON=visitors run_oha "${visitor_args[@]}" --rand-regex-url "$pages_regex" >"$WORKDIR/visitors.txt" &
  local visitors_pid=$!
  OHA_JSON=customers run_oha "${customer_args[@]}" -H "Cookie: $cookie" --rand-regex-url "$pages_regex" >"$WORKDIR/customers.txt"
  wait "$visitors_pid"
  python3 - "$WORKDIR/visitors.txt" "$WORKDIR/customers.txt" <<'PY'
import sys
v, c = ([float(x) for x in open(path).read().split()] for path in sys.argv[1:3])
rps = v[0] + c[0]
# p99 of the whole run: the larger of the two groups' p99s (an upper bound).
print(f"{rps:.0f} {max(v[3], c[3]):.2f} {v[4] + c[4]:.0f} {v[5] + c[5]:.0f} {c[5] / max(v[5] + c[5], 1) * 100:.1f}")
PY
}

echo
echo "mixed: $visitors signed-out and $customers signed-in connections (with carts) over the three pages, $DURATION"
row "run" "req/s" "p99 ms" failed requests "signed in %"
read -r rps p99 failed total share < <(mixed -z "$DURATION" -c "$visitors" -- -z "$DURATION" -c "$customers")
row "closed loop" "$rps" "$p99" "$failed" "$total" "$share"
note_failures "mixed closed loop" "$failed"
half=$((${rps%.*} / 2))
visitor_rate=$((half * 9 / 10))
customer_rate=$((half - visitor_rate))
read -r rps p99 failed total share < <(mixed -z "$DURATION" -c 58 -q "$visitor_rate" --latency-correction -- \
  -z "$DURATION" -c 6 -q "$customer_rate" --latency-correction)
row "open loop @ $half/s (half max)" "$rps" "$p99" "$failed" "$total" "$share"
python3 -c 'import sys; p = float(sys.argv[1]); verdict = "met" if p <= 10 else "NOT met"; print(f"mixed open loop p99 {p:.2f} ms (target <= 10 ms: {verdict})")' "$p99"
note_failures "mixed open loop" "$failed"

echo
echo "open loop: fixed arrival rates for $DURATION each, latency from the scheduled send time"
row "path @ rate" "req/s" "p50 ms" "p95 ms" "p99 ms" failed requests
for label in /healthz /api/v1/products "/ (render)" "/ (cache hit)" "/products/aurora-wireless-headphones (render)"; do
  path=${label%% *}
  headers=()
  [[ $label == *render* ]] && headers=(-H "Cookie: $cookie")
  half=$((${max_rps[$label]} / 2))
  for rate in $RATES "$half"; do
    read -r rps p50 p95 p99 failed total < <(run_oha -z "$DURATION" -c 64 -q "$rate" --latency-correction "${headers[@]}" "$base$path")
    row "$label @ $rate/s$([[ $rate == "$half" ]] && echo ' (half max)')" "$rps" "$p50" "$p95" "$p99" "$failed" "$total"
    note_failures "open loop $label @ $rate/s" "$failed"
  done
done

echo
echo "$BIG_CONNECTIONS concurrent connections at $BIG_RATE req/s for $BIG_DURATION (open-file limit $(ulimit -n))"
rss_before=$(awk '/VmRSS/ { print $2 }' "/proc/$SERVER_PID/status")
read -r rps p50 p95 p99 failed total < <(run_oha -z "$BIG_DURATION" -c "$BIG_CONNECTIONS" -q "$BIG_RATE" --latency-correction \
  "$base/products/aurora-wireless-headphones")
echo "requests: $total, failed: $failed, p50 $p50 ms, p95 $p95 ms, p99 $p99 ms"
note_failures "$BIG_CONNECTIONS connections" "$failed"
peak=$(($(awk '/VmHWM/ { print $2 }' "/proc/$SERVER_PID/status") / 1024))
echo "server memory: $((rss_before / 1024)) MiB before, peak $peak MiB (VmHWM since start; target <= 150 MB: $( ((peak * 1048576 <= 150000000)) && echo met || echo 'NOT met'))"

echo
row "sign-in (connections)" "per s" "p50 ms" "p95 ms" "p99 ms" failed requests
for connections in 1 8; do
  read -r rps p50 p95 p99 failed total < <(run_oha -z "$DURATION" -c "$connections" -m POST -T application/x-www-form-urlencoded -H 'Accept: application/json' \
    -d "email=load%40example.com&password=${password// /+}" "$base/api/sign_in")
  row "sign-in ($connections)" "$rps" "$p50" "$p95" "$p99" "$failed" "$total"
  note_failures "sign-in" "$failed"
done
echo "(argon2 alone: cargo run --release -p app --features ssr --example password_hashing)"

# A worker thread that deadlocked under the load would still let the others serve, but the
# runtime cannot shut down with it: a stop that outlives the grace period means one is stuck.
echo
kill -TERM "$SERVER_PID"
stop_started=$SECONDS
while kill -0 "$SERVER_PID" 2>/dev/null && ((SECONDS - stop_started <= SHUTDOWN_GRACE_SECS + 5)); do sleep 0.2; done
if kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "the server did not stop within $((SHUTDOWN_GRACE_SECS + 5)) s of SIGTERM: a worker thread is stuck" >&2
  command -v gdb >/dev/null && gdb -p "$SERVER_PID" -batch -ex "thread apply all bt 16" 2>/dev/null | grep -E '^(Thread|#)' >&2
  kill -9 "$SERVER_PID"
  status=1
else
  echo "server stopped $((SECONDS - stop_started)) s after SIGTERM (no stuck worker)"
fi
SERVER_PID=
exit $status
