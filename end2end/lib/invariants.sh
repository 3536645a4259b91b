# shellcheck shell=bash
# The shop's data invariants as SQL, shared by the fault suite and the backup test, and a helper
# that runs a query on SQLite or PostgreSQL. Usage: source end2end/lib/invariants.sh

# sql DATABASE_URL QUERY: the first column of the first row, on either database.
sql() {
  case $1 in
    postgres*) psql -qtA "$1" -c "$2" ;;
    sqlite*)
      python3 - "$1" "$2" <<'PY'
import sqlite3, sys
path = sys.argv[1].removeprefix("sqlite://").split("?")[0]
print(sqlite3.connect(path).execute(sys.argv[2]).fetchone()[0])
PY
      ;;
  esac
}

# These SQL checks must each count 0 rows.
INVARIANTS=(
  "negative stock|SELECT count(*) FROM products WHERE stock < 0"
  "orders without items|SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id)"
  "lines whose total is not price x quantity|SELECT count(*) FROM order_items WHERE line_total_cents <> unit_price_cents * quantity OR quantity <= 0"
  "orders whose subtotal is not the sum of lines|SELECT count(*) FROM orders o WHERE subtotal_cents <> (SELECT sum(line_total_cents) FROM order_items i WHERE i.order_id = o.id)"
  "orders whose total is not subtotal + shipping + tax|SELECT count(*) FROM orders WHERE total_cents <> subtotal_cents + shipping_cents + tax_cents"
  "products whose stock disagrees with the ledger|SELECT count(*) FROM products p WHERE stock <> (SELECT coalesce(sum(quantity_change), 0) FROM stock_movements m WHERE m.product_id = p.id)"
  "orders whose sales are missing from the ledger|SELECT count(*) FROM orders o WHERE (SELECT sum(quantity) FROM order_items i WHERE i.order_id = o.id) <> -(SELECT coalesce(sum(quantity_change), 0) FROM stock_movements m WHERE m.order_id = o.id AND m.reason = 'sale')"
  "idempotency keys used by more than one order|SELECT count(*) FROM (SELECT idempotency_key FROM orders GROUP BY idempotency_key HAVING count(*) > 1) d"
)
