#!/usr/bin/env bash
# Three replicas behind haproxy on one PostgreSQL database (a throwaway one, created and dropped
# here): sessions across replicas, and a rolling restart under load. See scale.mjs.
#
#   end2end/scale/scale.sh     (make scale builds first and installs haproxy)
#   RATE=200 DRAIN_SECS=3 end2end/scale/scale.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
export SERVER_BIN=${SERVER_BIN:-$TARGET_DIR/release/server}
export LEPTOS_SITE_ROOT=${LEPTOS_SITE_ROOT:-$TARGET_DIR/site}
[[ -x "$SERVER_BIN" ]] || { echo "no release server at $SERVER_BIN: run make build" >&2; exit 1; }
command -v haproxy >/dev/null || { echo "haproxy is not installed (make scale installs it)" >&2; exit 1; }

ADMIN_URL=${SCALE_ADMIN_DATABASE_URL:-${TEST_DATABASE_URL:-}}
if [[ -z "$ADMIN_URL" ]]; then
  echo "scale test: skipped (it needs PostgreSQL: set TEST_DATABASE_URL to a server whose user may create databases)"
  exit 0
fi

export WORKDIR
WORKDIR=$(mktemp -d)
DB="cloudscale_scale_$$"
export SCALE_DATABASE_URL="${ADMIN_URL%/*}/$DB"
psql -q "$ADMIN_URL" -c "create database $DB"
cleanup() {
  local status=$?
  if [[ $status -ne 0 ]]; then
    for log in "$WORKDIR"/*.log; do echo "--- $log (last lines)"; tail -n 20 "$log"; done
  fi
  psql -q "$ADMIN_URL" -c "drop database if exists $DB with (force)" || true
  rm -rf "$WORKDIR"
}
trap cleanup EXIT

# create-admin migrates and seeds the database without serving, so the products exist before any
# replica starts; their stock is then raised so that cart writes never run out.
export PRODUCT_IDS
PRODUCT_IDS=$(
  DATABASE_URL="$SCALE_DATABASE_URL" MAIL_DIR="$WORKDIR/mail" RUST_LOG=warn \
    ADMIN_PASSWORD="an administrator passphrase for the scale test" \
    timeout 60 "$SERVER_BIN" create-admin --email scale.admin@example.com >/dev/null &&
  psql -qtA "$SCALE_DATABASE_URL" -c "update products set stock = 100000 where active" >/dev/null &&
  psql -qtA "$SCALE_DATABASE_URL" -c "select coalesce(json_agg(id order by id), '[]') from (select id from products where active order by id limit 20) p"
)
node end2end/scale/scale.mjs
