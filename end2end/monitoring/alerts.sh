#!/usr/bin/env bash
# The monitoring files against a real shop: a local Prometheus (Debian's) scrapes the release
# server's /metrics with a bearer token, evaluates terraform/monitoring/prometheus/rules.yml, and
#  1. ordinary traffic (pages, sign-ins, carts, orders) leaves CloudscaleHighErrorRate quiet;
#  2. an induced error burst (the catalog table renamed away under the running shop, as a
#     botched migration would) makes CloudscaleHighErrorRate fire; the seconds it took are printed;
#  3. with the table back, every Grafana dashboard's panel query returns data (dashboards.py).
# Exits non-zero when any of these does not hold.
#
#   end2end/monitoring/alerts.sh        (make monitoring-e2e builds first)
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT=${MONITORING_PORT:-3500}
PROMETHEUS_PORT=${PROMETHEUS_PORT:-9590}
FIRE_TIMEOUT_SECS=${FIRE_TIMEOUT_SECS:-180}
METRICS_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export METRICS_TOKEN SHUTDOWN_DRAIN_SECS=0 API_RATE_PER_MINUTE=0
source end2end/lib.sh
command -v prometheus >/dev/null || { echo "prometheus is missing: make monitoring-tools" >&2; exit 1; }

PROMETHEUS_PID=
stop_everything() {
  [[ -z "$PROMETHEUS_PID" ]] || { kill "$PROMETHEUS_PID" 2>/dev/null || true; wait "$PROMETHEUS_PID" 2>/dev/null || true; }
  stop_release_server
}
trap stop_everything EXIT

start_release_server "$PORT"
base="http://127.0.0.1:$PORT"
prometheus_url="http://127.0.0.1:$PROMETHEUS_PORT"

# The scrape presents the token as Kubernetes does, from a file; the rules are the repository's.
printf '%s' "$METRICS_TOKEN" >"$WORKDIR/metrics-token"
cat >"$WORKDIR/prometheus.yml" <<YAML
global:
  scrape_interval: 2s
  evaluation_interval: 2s
rule_files:
  - $PWD/terraform/monitoring/prometheus/rules.yml
scrape_configs:
  - job_name: cloudscale
    metrics_path: /metrics
    authorization:
      type: Bearer
      credentials_file: $WORKDIR/metrics-token
    static_configs:
      - targets: ["localhost:$PORT"]
YAML
prometheus --config.file="$WORKDIR/prometheus.yml" --storage.tsdb.path="$WORKDIR/tsdb" \
  --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --log.level=warn >"$WORKDIR/prometheus.log" 2>&1 &
PROMETHEUS_PID=$!

# instant QUERY: the first value of the result, or "none".
instant() {
  curl -fsS --get "$prometheus_url/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")'
}
# The error-rate alert's state: inactive, pending or firing.
alert_state() {
  curl -fsS "$prometheus_url/api/v1/alerts" | python3 -c '
import json, sys
states = [a["state"] for a in json.load(sys.stdin)["data"]["alerts"] if a["labels"]["alertname"] == "CloudscaleHighErrorRate"]
print(states[0] if states else "inactive")'
}

for _ in $(seq 1 60); do
  [[ "$(instant 'up{job="cloudscale"}' 2>/dev/null)" == 1 ]] && break
  kill -0 "$PROMETHEUS_PID" 2>/dev/null || { cat "$WORKDIR/prometheus.log"; exit 1; }
  sleep 1
done
[[ "$(instant 'up{job="cloudscale"}')" == 1 ]] || { echo "FAILED: Prometheus could not scrape the shop"; cat "$WORKDIR/prometheus.log"; exit 1; }
echo "Prometheus scrapes the shop with the bearer token: up=1"
# The token is what let it in: without one, a client on another address gets 403 (loopback may
# read without it, so the check is that a wrong token is refused).
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer wrong-token' "$base/metrics")
[[ "$status" == 403 ]] || { echo "FAILED: /metrics with a wrong token answered $status, not 403"; exit 1; }

echo "ordinary traffic for 20 s: $(node end2end/monitoring/traffic.mjs "$base" 20)"
sleep 6
state=$(alert_state)
[[ "$state" == inactive ]] || { echo "FAILED: CloudscaleHighErrorRate is $state under ordinary traffic"; exit 1; }
echo "CloudscaleHighErrorRate under ordinary traffic: $state"

# The burst: the products table disappears under the running shop. Pages that read the catalog
# answer 500 once the 2-second caches expire; nothing else changes.
python3 - "$WORKDIR/shop.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("ALTER TABLE products RENAME TO products_gone")
db.commit()
PY
burst_started=$(date +%s)
fired=
for ((i = 1; ; i++)); do
  for page in / "/products?category=audio" "/products?sort=newest&category=home"; do
    curl -s -o /dev/null "$base$page" || true
  done
  if ((i % 10 == 0)); then
    state=$(alert_state)
    if [[ "$state" == firing ]]; then fired=$(($(date +%s) - burst_started)); break; fi
    (($(date +%s) - burst_started < FIRE_TIMEOUT_SECS)) || break
  fi
  sleep 0.1
done
five_xx=$(instant 'sum(cloudscale_http_requests_total{job="cloudscale", status=~"5.."})')
[[ -n "$fired" ]] || { echo "FAILED: CloudscaleHighErrorRate did not fire within ${FIRE_TIMEOUT_SECS} s ($five_xx 5xx answers)"; exit 1; }
echo "CloudscaleHighErrorRate fired ${fired} s after the burst began (rule: 5 % for 1 minute; $five_xx 5xx answers)"

python3 - "$WORKDIR/shop.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("ALTER TABLE products_gone RENAME TO products")
db.commit()
PY
# Every panel has data now: ordinary traffic, the errors, the process and the simulator.
end2end/monitoring/dashboards.py "$prometheus_url"
grep -q "ERROR" "$WORKDIR/server.log" && echo "the server logged the induced failures as errors (expected): $(grep -c ERROR "$WORKDIR/server.log") lines"
echo "monitoring end to end: passed"
