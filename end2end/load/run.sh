#!/usr/bin/env bash
# Load kit: the release server on a fresh SQLite database, measured with wrk from loopback.
# Prints requests/s and p50/p99 latency for the SSR home page and /healthz, and their ratio;
# then successful sign-ins per second (each one argon2id verification) and their latency.
#
#   end2end/load/run.sh              (make load builds first)
#   DURATION=30s CONNECTIONS=64 THREADS=2 end2end/load/run.sh
#
# Figures depend on the machine; compare runs on the same one.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
PORT=${LOAD_PORT:-3200}
source end2end/lib.sh

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
start_release_server "$PORT"
workdir=$WORKDIR
server_pid=$SERVER_PID

# wrk prints latency percentiles in its own units; a Lua "done" hook reports them in ms.
cat >"$workdir/report.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests))
end
LUA

measure() {
  local path=$1 script=${2:-$workdir/report.lua} connections=${3:-$CONNECTIONS}
  curl -sS -o /dev/null "http://127.0.0.1:$PORT$path" || true   # warm up
  wrk -t"$(( THREADS < connections ? THREADS : connections ))" -c"$connections" -d"$DURATION" --latency -H 'Accept-Encoding: br' \
    -s "$script" "http://127.0.0.1:$PORT$path" | awk '/^RESULT/ { $1 = ""; print substr($0, 2) }'
}

echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per path, $(nproc) cores, same machine as the server"
printf '%-10s %12s %10s %10s %8s %10s\n' path "req/s" "p50 ms" "p99 ms" errors requests
declare -A rps
for path in / /healthz; do
  read -r r p50 p99 errors requests < <(measure "$path")
  rps[$path]=$r
  printf '%-10s %12s %10s %10s %8s %10s\n' "$path" "$r" "$p50" "$p99" "$errors" "$requests"
done
awk -v home="${rps[/]}" -v health="${rps[/healthz]}" \
  'BEGIN { printf "ratio: / serves %.1f%% of /healthz throughput\n", 100 * home / health }'
echo "server RSS after load: $(($(awk '/VmRSS/ { print $2 }' /proc/$server_pid/status) / 1024)) MiB"

# Sign-ins: one account, the right password every time (the lockout only counts failures).
password='velvet lantern across quiet harbours'
curl -fsS -o /dev/null -X POST "http://127.0.0.1:$PORT/api/register" \
  --data-urlencode 'name=Load Test' --data-urlencode 'email=load@example.com' --data-urlencode "password=$password"
{
  echo 'wrk.method = "POST"'
  echo 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"'
  echo "wrk.body = \"email=load%40example.com&password=${password// /+}\""
  cat "$workdir/report.lua"
} >"$workdir/sign_in.lua"
echo
printf '%-22s %10s %10s %10s %8s %10s\n' "sign-in (connections)" "per s" "p50 ms" "p99 ms" errors requests
for connections in 1 8; do
  read -r r p50 p99 errors requests < <(measure /api/sign_in "$workdir/sign_in.lua" "$connections")
  printf '%-22s %10s %10s %10s %8s %10s\n' "sign-in ($connections)" "$r" "$p50" "$p99" "$errors" "$requests"
done
echo "(argon2 alone: cargo run --release -p app --features ssr --example password_hashing)"
