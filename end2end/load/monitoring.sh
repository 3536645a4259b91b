#!/usr/bin/env bash
# Monitoring benchmark: the CPU the simulator costs an idle server, the CPU 1,000 concurrent
# live-stream viewers cost, and what the metrics page transfers on first load.
#
#   end2end/load/monitoring.sh           (make load-monitoring builds first)
#   VIEWERS=2000 SECONDS_PER_RUN=60 end2end/load/monitoring.sh
#
# Figures depend on the machine; the viewers run on the same machine as the server.
set -euo pipefail
cd "$(dirname "$0")/../.."

VIEWERS=${VIEWERS:-1000}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-30}
PORT=${LOAD_PORT:-3201}
# Each viewer holds one socket on both sides.
ulimit -n "$(( VIEWERS * 2 + 1024 ))"
source end2end/lib.sh
start_release_server "$PORT"
base="http://127.0.0.1:$PORT"
clock_ticks=$(getconf CLK_TCK)

# CPU seconds (user + system) the server has used so far.
cpu_seconds() {
  awk -v hz="$clock_ticks" '{ printf "%.3f\n", ($14 + $15) / hz }' "/proc/$SERVER_PID/stat"
}
# Percent of one core used by the server over the next N seconds.
cpu_over() {
  local before after
  before=$(cpu_seconds)
  sleep "$1"
  after=$(cpu_seconds)
  awk -v a="$before" -v b="$after" -v s="$1" 'BEGIN { printf "%.2f", 100 * (b - a) / s }'
}

echo "monitoring benchmark: $(nproc) cores, viewers on the same machine as the server"
sleep 3   # past start-up
echo "idle server (the simulator ticking twice a second, nobody watching): $(cpu_over "$SECONDS_PER_RUN") % of one core over ${SECONDS_PER_RUN} s"

node end2end/load/stream_viewers.mjs "$base/monitoring/stream" "$VIEWERS" "$SECONDS_PER_RUN" >"$WORKDIR/viewers.out" &
viewers_pid=$!
for _ in $(seq 1 100); do grep -q '^READY' "$WORKDIR/viewers.out" 2>/dev/null && break; sleep 0.1; done
read -r _ opened failed < <(grep '^READY' "$WORKDIR/viewers.out")
busy=$(cpu_over "$SECONDS_PER_RUN")
wait "$viewers_pid"
read -r _ opened failed frames min_frames median_frames frames_per_sec < <(grep '^RESULT' "$WORKDIR/viewers.out")
echo "$VIEWERS viewers: $opened connected, $failed failed; server $busy % of one core over ${SECONDS_PER_RUN} s"
echo "  frames delivered: $frames ($frames_per_sec/s), per viewer min $min_frames, median $median_frames in ${SECONDS_PER_RUN} s"
echo "server RSS with viewers gone: $(($(awk '/VmRSS/ { print $2 }' /proc/$SERVER_PID/status) / 1024)) MiB"

# First-load transfer of the metrics page with brotli, as a browser would fetch it.
size() { curl -sS -o /dev/null -H 'Accept-Encoding: br' -w '%{size_download}' "$base$1"; }
html=$(size /monitoring)
home=$(size /)
# File names carry content hashes: take them from the page, as a browser does.
page=$(curl -sS "$base/monitoring")
name=${LEPTOS_OUTPUT_NAME:-cloudscale}
linked() { grep -oE "/pkg/$name(\.[A-Za-z0-9_-]{22})?\.$1\"" <<<"$page" | head -1 | tr -d '"'; }
wasm=$(size "$(linked wasm)")
js=$(size "$(linked js)")
css=$(size "$(linked css)")
# The lazily loaded chunks that hold the chart drawing code (only /monitoring fetches them).
chunks=0
for chunk in "$LEPTOS_SITE_ROOT"/pkg/split_*.wasm; do
  if [[ -e $chunk ]]; then chunks=$(( chunks + $(size "/pkg/$(basename "$chunk")") )); fi
done
echo
echo "first load, brotli bytes: /monitoring HTML $html, / HTML $home, wasm $wasm, JS $js, CSS $css, chart chunk $chunks"
echo "  storefront / total: $(( home + wasm + js + css )) bytes (no chart chunk)"
echo "  /monitoring total: $(( html + wasm + js + css + chunks )) bytes"
