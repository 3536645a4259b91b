#!/usr/bin/env bash
# Fault suite: what the shop survives.
#  1. Crashes: shoppers keep checking out while the release server is killed with SIGKILL
#     KILLS times (default 100), each time at a random moment, and started again. Then SQL
#     checks the data: no negative stock, no order without items, every line and order total adds
#     up, the stock ledger agrees with the stock, one order per idempotency key, and every order
#     a shopper was told about exists. Runs on PostgreSQL (TEST_DATABASE_URL) when set, and on
#     SQLite (FAULT_DATABASES="postgres sqlite" by default).
#  2. PostgreSQL restart under load (needs pg_ctlcluster, i.e. a local Debian PostgreSQL you may
#     restart): requests fail only while the database is down, the shop recovers on its own, and
#     the seconds it took are printed.
# Prints one figure per line; exits non-zero when a correctness figure is wrong.
#
#   end2end/faults/faults.sh          (make faults builds first)
#   KILLS=20 FAULT_DATABASES=sqlite end2end/faults/faults.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

KILLS=${KILLS:-100}
SHOPPERS=${SHOPPERS:-8}
PORT=${FAULTS_PORT:-3400}
FAULT_DATABASES=${FAULT_DATABASES:-postgres sqlite}
PG_ADMIN_URL=${TEST_DATABASE_URL:-}
RESTART_POSTGRES=${RESTART_POSTGRES:-auto}
ADMIN_EMAIL=faults.admin@example.com
ADMIN_PASSWORD='a long and careful operator phrase'
# The availability probe reads the catalog API far faster than its per-address limit allows.
export ADMIN_EMAIL ADMIN_PASSWORD SHUTDOWN_DRAIN_SECS=0 API_RATE_PER_MINUTE=0
source end2end/lib.sh
source end2end/lib/invariants.sh

# Whatever happens, a PostgreSQL this script stopped is started again.
STOPPED_CLUSTER=
restart_stopped_postgres() {
  # shellcheck disable=SC2086
  [[ -z "$STOPPED_CLUSTER" ]] || pg_ctlcluster $STOPPED_CLUSTER start || true
}
trap 'restart_stopped_postgres; stop_release_server' EXIT

status=0
fail() {
  echo "FAILED: $*"
  status=1
}

now_ms() { date +%s%3N; }

crash_suite() {
  local label=$1 url=$2 base="http://127.0.0.1:$PORT"
  : >"$WORKDIR/server.log"
  start_release_server "$PORT" "$url"
  local products aggregate=string_agg
  [[ $url == sqlite* ]] && aggregate=group_concat
  products=$(sql "$url" "SELECT $aggregate(CAST(id AS TEXT), ',') FROM (SELECT id FROM products WHERE active ORDER BY id LIMIT 4) p")
  # All but the last product get plenty; the last stays scarce and sells out under the crashes.
  local plentiful
  IFS=, read -ra plentiful <<<"${products%,*}"
  stock_up "$base" "${plentiful[@]}"
  local confirmed=$WORKDIR/confirmed-$label.txt
  : >"$confirmed"
  node end2end/faults/shoppers.mjs "$base" "$SHOPPERS" "$products" "$confirmed" >"$WORKDIR/shoppers.json" 2>"$WORKDIR/shoppers.log" &
  local shoppers_pid=$! started restart_ms=() i
  until grep -q "shoppers registered" "$WORKDIR/shoppers.log"; do
    kill -0 "$shoppers_pid" 2>/dev/null || { echo "FAILED: $label: the shoppers did not start:"; cat "$WORKDIR/shoppers.log"; exit 1; }
    sleep 0.2
  done
  started=$(now_ms)
  for ((i = 1; i <= KILLS; i++)); do
    sleep "0.$((200 + RANDOM % 800))"
    kill -9 "$SERVER_PID" 2>/dev/null || { echo "FAILED: $label: the server had exited by itself:"; tail -n 20 "$WORKDIR/server.log"; exit 1; }
    wait "$SERVER_PID" 2>/dev/null || true
    local t0
    t0=$(now_ms)
    start_release_server "$PORT" "$url"
    restart_ms+=($(($(now_ms) - t0)))
  done
  local elapsed_ms=$(($(now_ms) - started))
  # Let every shopper finish what it has in flight against the last server, then stop cleanly.
  kill -TERM "$shoppers_pid" 2>/dev/null || true
  wait "$shoppers_pid" || fail "$label: the shoppers failed: $(tail -n 5 "$WORKDIR/shoppers.log")"
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=

  local tally
  tally=$(cat "$WORKDIR/shoppers.json")
  echo "$label: kills: $KILLS in $((elapsed_ms / 1000)) s, restart to ready median $(printf '%s\n' "${restart_ms[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }') ms, max $(printf '%s\n' "${restart_ms[@]}" | sort -n | tail -1) ms"
  echo "$label: shoppers: $tally"
  local in_db confirmed_count missing
  in_db=$(sql "$url" "SELECT count(*) FROM orders")
  confirmed_count=$(sort -u "$confirmed" | wc -l)
  if [[ $url == postgres* ]]; then
    psql -qtA "$url" -c "SELECT number FROM orders" | sort -u >"$WORKDIR/in-db.txt"
  else
    python3 -c 'import sqlite3, sys; [print(r[0]) for r in sqlite3.connect(sys.argv[1]).execute("SELECT number FROM orders")]' \
      "$(echo "${url#sqlite://}" | cut -d'?' -f1)" | sort -u >"$WORKDIR/in-db.txt"
  fi
  missing=$(sort -u "$confirmed" | comm -23 - "$WORKDIR/in-db.txt" | wc -l)
  echo "$label: orders confirmed to shoppers: $confirmed_count"
  echo "$label: orders in the database: $in_db"
  echo "$label: confirmed orders missing from the database: $missing"
  ((missing == 0)) || fail "$label: $missing confirmed orders are missing"
  ((in_db == confirmed_count)) || fail "$label: $in_db orders in the database but $confirmed_count confirmed (an answer was lost)"
  ((confirmed_count > 0)) || fail "$label: no order was placed at all"
  local check name query count
  for check in "${INVARIANTS[@]}"; do
    name=${check%%|*} query=${check#*|}
    count=$(sql "$url" "$query")
    echo "$label: $name: $count"
    ((count == 0)) || fail "$label: $name: $count"
  done
  local panics
  panics=$(grep -c "panicked" "$WORKDIR/server.log" || true)
  echo "$label: panics in the server log: $panics"
  ((panics == 0)) || fail "$label: the server panicked: $(grep -m3 panicked "$WORKDIR/server.log")"
}

postgres_restart() {
  local url=$1 base="http://127.0.0.1:$PORT" cluster
  cluster=$(pg_lsclusters -h 2>/dev/null | awk '$4 == "online" && $3 == "5432" { print $1 " " $2; exit }')
  [[ -n "$cluster" ]] || { echo "postgres restart: skipped (no local cluster on port 5432 to restart)"; return; }
  : >"$WORKDIR/server.log"
  start_release_server "$PORT" "$url"
  local pid=$SERVER_PID
  node end2end/faults/availability.mjs "$base" 24 >"$WORKDIR/availability.json" &
  local watcher=$!
  sleep 6
  local down_ms up_ms
  down_ms=$(now_ms)
  STOPPED_CLUSTER=$cluster
  # shellcheck disable=SC2086
  pg_ctlcluster $cluster stop -m fast
  sleep 5
  # shellcheck disable=SC2086
  pg_ctlcluster $cluster start
  STOPPED_CLUSTER=
  until pg_isready -q -h 127.0.0.1 -p 5432; do sleep 0.1; done
  up_ms=$(now_ms)
  wait "$watcher"
  node - "$WORKDIR/availability.json" "$down_ms" "$up_ms" <<'JS' || status=1
const [file, down, up] = process.argv.slice(2).map((v, i) => (i ? Number(v) : v));
const samples = JSON.parse(require("node:fs").readFileSync(file, "utf8"));
const failed = (s) => s.status !== 200;
const before = samples.filter((s) => s.at < down);
const firstOkAfterUp = samples.find((s) => s.at >= up && !failed(s));
const afterRecovery = firstOkAfterUp ? samples.filter((s) => s.at > firstOkAfterUp.at) : [];
const recovered = firstOkAfterUp ? (firstOkAfterUp.at - up) / 1000 : NaN;
const statuses = {};
for (const s of samples.filter(failed)) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
console.log(`postgres restart: requests: ${samples.length} (every 50 ms), failed: ${samples.filter(failed).length} ${JSON.stringify(statuses)}`);
console.log(`postgres restart: database down for ${((up - down) / 1000).toFixed(1)} s`);
console.log(`postgres restart: failures before the database stopped: ${before.filter(failed).length}`);
console.log(`postgres restart: seconds from the database being back to the first good answer: ${recovered.toFixed(2)}`);
console.log(`postgres restart: failures after recovery: ${afterRecovery.filter(failed).length}`);
const bad = before.some(failed) || !firstOkAfterUp || afterRecovery.some(failed);
if (bad) console.log("FAILED: postgres restart: failures outside the outage, or no recovery");
process.exit(bad ? 1 : 0);
JS
  if kill -0 "$pid" 2>/dev/null; then
    echo "postgres restart: the shop recovered without a restart (same process)"
  else
    fail "postgres restart: the shop process died"
  fi
  kill "$SERVER_PID"
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
  local panics
  panics=$(grep -c "panicked" "$WORKDIR/server.log" || true)
  echo "postgres restart: panics in the server log: $panics"
  ((panics == 0)) || fail "postgres restart: the server panicked"
}

echo "fault suite: $(nproc) cores, $KILLS kills per database, $SHOPPERS shoppers"
for database in $FAULT_DATABASES; do
  case $database in
    postgres)
      if [[ -z "$PG_ADMIN_URL" ]]; then
        echo "PostgreSQL: skipped (set TEST_DATABASE_URL)"
        continue
      fi
      create_scratch_postgres "$PG_ADMIN_URL" faults
      crash_suite PostgreSQL "$PG_URL"
      if [[ $RESTART_POSTGRES != no ]] && command -v pg_ctlcluster >/dev/null; then
        postgres_restart "$PG_URL"
      fi
      ;;
    sqlite) crash_suite SQLite "sqlite://$WORKDIR/faults.db?mode=rwc" ;;
  esac
done
exit $status
