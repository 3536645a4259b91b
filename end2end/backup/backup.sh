#!/usr/bin/env bash
# Backups that restore: while shoppers check out against the release server on SQLite,
# `server backup --to FILE` copies the database; the copy is then served by a new server, which
# must start, answer /readyz and the storefront, and hold every data invariant of the fault
# suite (stock equals the ledger, every order has its lines, totals add up). Prints the figures;
# exits non-zero when any check fails.
#
#   end2end/backup/backup.sh        (make backup-test builds first)
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT=${BACKUP_PORT:-3600}
RESTORED_PORT=${BACKUP_RESTORED_PORT:-3601}
SHOPPERS=${SHOPPERS:-4}
LOAD_SECS=${LOAD_SECS:-10}
ADMIN_EMAIL=backup.admin@example.com
ADMIN_PASSWORD='a long and careful operator phrase'
export ADMIN_EMAIL ADMIN_PASSWORD SHUTDOWN_DRAIN_SECS=0
source end2end/lib.sh
source end2end/lib/invariants.sh

status=0
fail() {
  echo "FAILED: $*"
  status=1
}

start_release_server "$PORT"
live_url="sqlite://$WORKDIR/shop.db"
product=$(sql "$live_url" "SELECT id FROM products WHERE active ORDER BY id LIMIT 1")
stock_up "http://127.0.0.1:$PORT" "$product"

node end2end/load/checkout.mjs "http://127.0.0.1:$PORT" "$SHOPPERS" "$LOAD_SECS" "$product" >"$WORKDIR/load.txt" &
load_pid=$!
# Back up in the middle of the load, once orders are flowing.
sleep $((LOAD_SECS / 2))
orders_before=$(sql "$live_url" "SELECT count(*) FROM orders")
DATABASE_URL="$live_url" "$SERVER_BIN" backup --to "$WORKDIR/backup.db" | sed 's/^/server backup: /'
orders_after=$(sql "$live_url" "SELECT count(*) FROM orders")
wait "$load_pid"
echo "checkout load: $(cat "$WORKDIR/load.txt")"
orders_final=$(sql "$live_url" "SELECT count(*) FROM orders")
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=

backup_url="sqlite://$WORKDIR/backup.db"
orders_backed_up=$(sql "$backup_url" "SELECT count(*) FROM orders")
echo "orders: $orders_before when the backup began, $orders_backed_up in the backup, $orders_after when it ended, $orders_final at the end"
((orders_backed_up > 0)) || fail "the backup holds no orders: it was not taken under load"
((orders_backed_up >= orders_before && orders_backed_up <= orders_after)) ||
  fail "the backup's $orders_backed_up orders are not between $orders_before and $orders_after"
((orders_final > orders_backed_up)) || fail "no order was placed after the backup: the shop stopped while it ran"

# Restore: the copy becomes a new server's database.
restored_dir=$(mktemp -d)
cp "$WORKDIR/backup.db" "$restored_dir/shop.db"
restored_url="sqlite://$restored_dir/shop.db?mode=rwc"
start_release_server "$RESTORED_PORT" "$restored_url"
for page in /readyz / "/products?category=audio" /api/v1/products; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$RESTORED_PORT$page")
  [[ "$code" == 200 ]] || fail "the restored shop answered $code on $page"
done
served=$(curl -fsS "http://127.0.0.1:$RESTORED_PORT/api/v1/products" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
echo "the restored shop serves: /readyz, /, a listing and the catalog API answer 200 ($served products listed)"
restored_orders=$(sql "sqlite://$restored_dir/shop.db" "SELECT count(*) FROM orders")
[[ "$restored_orders" == "$orders_backed_up" ]] || fail "the restored shop has $restored_orders orders, the backup $orders_backed_up"

for check in "${INVARIANTS[@]}"; do
  label=${check%%|*} query=${check#*|}
  count=$(sql "sqlite://$restored_dir/shop.db" "$query")
  echo "restored: $label: $count"
  [[ "$count" == 0 ]] || fail "restored: $label: $count"
done
rm -rf "$restored_dir"
# A second backup to the same file is refused (exit 2), and the first is left as it was.
checksum=$(sha256sum "$WORKDIR/backup.db")
refused=0
DATABASE_URL="$live_url" "$SERVER_BIN" backup --to "$WORKDIR/backup.db" 2>/dev/null || refused=$?
((refused == 2)) || fail "a backup over an existing file exited $refused, not 2"
[[ "$(sha256sum "$WORKDIR/backup.db")" == "$checksum" ]] || fail "a refused backup changed the existing file"
echo "a second backup to the same file: refused (exit $refused), the first copy unchanged"
((status == 0)) && echo "backup and restore: passed"
exit "$status"
