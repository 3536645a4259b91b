#!/usr/bin/env bash
# Load suite: the release server on PostgreSQL (TEST_DATABASE_URL; SQLite without it), measured
# with oha from the same machine.
#  1. closed loop: the most requests/s CONNECTIONS keep-alive clients get from /, a listing, a
#     product page, /api/v1/products and /healthz, with p50/p95/p99; the home page's share of
#     /healthz's throughput, from the same run;
#  2. open loop: p50/p95/p99 at fixed rates (RATES, and half of each path's maximum), corrected
#     for coordinated omission (oha --latency-correction);
#  3. 10,000 concurrent keep-alive connections at a modest rate (the file-descriptor limit is
#     raised first): errors, p95 and the server's peak memory;
#  4. sign-ins per second (each one argon2id verification).
# Every request must succeed: exits non-zero on any error or non-2xx answer.
#
#   end2end/load/run.sh         (make load builds and installs oha first)
#   DURATION=20s CONNECTIONS=64 BIG_CONNECTIONS=10000 BIG_RATE=500 end2end/load/run.sh
#
# The load generator shares the server's cores, so the maxima are lower than on separate hosts.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
RATES=${RATES:-200}
BIG_CONNECTIONS=${BIG_CONNECTIONS:-10000}
BIG_RATE=${BIG_RATE:-500}
BIG_DURATION=${BIG_DURATION:-30s}
PORT=${LOAD_PORT:-3200}
PATHS=("/" "/products?category=audio" "/products/aurora-wireless-headphones" "/api/v1/products" "/healthz")
# One client address sends everything: the catalog API's per-address limit would answer 429.
export API_RATE_PER_MINUTE=0 SHUTDOWN_DRAIN_SECS=0
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
  "$OHA" --no-tui -w --output-format json -H 'Accept-Encoding: br' "$@" >"$WORKDIR/oha.json" 2>"$WORKDIR/oha.err" || {
    cat "$WORKDIR/oha.err" >&2
    return 1
  }
  python3 - "$WORKDIR/oha.json" <<'PY'
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

row() { printf '%-40s %9s %9s %9s %9s %8s %9s\n' "$@"; }

echo "load suite: release server on $database, oha on the same $(nproc) cores"
echo
echo "closed loop: $CONNECTIONS connections for $DURATION per path"
row path "req/s" "p50 ms" "p95 ms" "p99 ms" failed requests
declare -A max_rps
for path in "${PATHS[@]}"; do
  curl -fsS -o /dev/null "$base$path"
  read -r rps p50 p95 p99 failed total < <(run_oha -z "$DURATION" -c "$CONNECTIONS" "$base$path")
  max_rps[$path]=$rps
  row "$path" "$rps" "$p50" "$p95" "$p99" "$failed" "$total"
  note_failures "closed loop $path" "$failed"
done
python3 -c 'import sys; home, health = map(float, sys.argv[1:]); print(f"home page / healthz throughput: {home / health:.2f} ({home:.0f} / {health:.0f} req/s)")' \
  "${max_rps[/]}" "${max_rps[/healthz]}"

echo
echo "open loop: fixed arrival rates for $DURATION each, latency from the scheduled send time"
row "path @ rate" "req/s" "p50 ms" "p95 ms" "p99 ms" failed requests
for path in "${PATHS[@]}"; do
  half=$((${max_rps[$path]} / 2))
  for rate in $RATES "$half"; do
    read -r rps p50 p95 p99 failed total < <(run_oha -z "$DURATION" -c 64 -q "$rate" --latency-correction "$base$path")
    label="$path @ $rate/s"
    [[ $rate == "$half" ]] && label="$path @ $rate/s (half max)"
    row "$label" "$rps" "$p50" "$p95" "$p99" "$failed" "$total"
    note_failures "open loop $label" "$failed"
  done
done

echo
echo "$BIG_CONNECTIONS concurrent connections at $BIG_RATE req/s for $BIG_DURATION (open-file limit $(ulimit -n))"
rss_before=$(awk '/VmRSS/ { print $2 }' "/proc/$SERVER_PID/status")
read -r rps p50 p95 p99 failed total < <(run_oha -z "$BIG_DURATION" -c "$BIG_CONNECTIONS" -q "$BIG_RATE" --latency-correction \
  "$base/products/aurora-wireless-headphones")
echo "requests: $total, failed: $failed, p50 $p50 ms, p95 $p95 ms, p99 $p99 ms"
note_failures "$BIG_CONNECTIONS connections" "$failed"
echo "server memory: $((rss_before / 1024)) MiB before, peak $(($(awk '/VmHWM/ { print $2 }' "/proc/$SERVER_PID/status") / 1024)) MiB (VmHWM since start)"

echo
password='velvet lantern across quiet harbours'
curl -fsS -o /dev/null -X POST "$base/api/register" \
  --data-urlencode 'name=Load Test' --data-urlencode 'email=load@example.com' --data-urlencode "password=$password"
row "sign-in (connections)" "per s" "p50 ms" "p95 ms" "p99 ms" failed requests
for connections in 1 8; do
  read -r rps p50 p95 p99 failed total < <(run_oha -z "$DURATION" -c "$connections" -m POST -T application/x-www-form-urlencoded -H 'Accept: application/json' \
    -d "email=load%40example.com&password=${password// /+}" "$base/api/sign_in")
  row "sign-in ($connections)" "$rps" "$p50" "$p95" "$p99" "$failed" "$total"
  note_failures "sign-in" "$failed"
done
echo "(argon2 alone: cargo run --release -p app --features ssr --example password_hashing)"
exit $status
