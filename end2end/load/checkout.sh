#!/usr/bin/env bash
# Checkout benchmark: orders per second through the real server functions (add to cart,
# checkout key, place order), on SQLite and, when BENCH_DATABASE_URL or TEST_DATABASE_URL
# names a PostgreSQL server, on PostgreSQL (a throwaway database is created and dropped).
#
#   end2end/load/checkout.sh        (make load-checkout builds first)
#   SHOPPERS=32 SECONDS_PER_RUN=30 end2end/load/checkout.sh
#
# Every order takes stock, so the product gets a large stock first. Shoppers run on the same
# machine as the server.
set -euo pipefail
cd "$(dirname "$0")/../.."

SHOPPERS=${SHOPPERS:-16}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
SLUG=aurora-wireless-headphones
source end2end/lib.sh

# Starts a server on the database, gives the product a large stock and runs the shoppers.
run() {
  local label=$1 port=$2 url=$3 set_stock=$4
  start_release_server "$port" "$url"
  local id
  id=$($set_stock)
  echo -n "$label: "
  node end2end/load/checkout.mjs "http://127.0.0.1:$port" "$SHOPPERS" "$SECONDS_PER_RUN" "$id"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

sqlite_stock() {
  python3 - "$WORKDIR/shop.db" "$SLUG" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("update products set stock = 1000000 where slug = ?", (sys.argv[2],))
db.commit()
print(db.execute("select id from products where slug = ?", (sys.argv[2],)).fetchone()[0])
PY
}

echo "checkout benchmark: $(nproc) cores, $SHOPPERS shoppers for $SECONDS_PER_RUN s, cash on delivery"
run "SQLite" 3202 "sqlite://$WORKDIR/shop.db?mode=rwc" sqlite_stock

ADMIN_URL=${BENCH_DATABASE_URL:-${TEST_DATABASE_URL:-}}
if [[ -n "$ADMIN_URL" ]] && command -v psql >/dev/null; then
  create_scratch_postgres "$ADMIN_URL" bench
  postgres_stock() {
    psql -qtA "$PG_URL" -c "update products set stock = 1000000 where slug = '$SLUG'" >/dev/null
    psql -qtA "$PG_URL" -c "select id from products where slug = '$SLUG'"
  }
  run "PostgreSQL" 3203 "$PG_URL" postgres_stock
else
  echo "PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL, and install psql)"
fi
