# shellcheck shell=bash
# Shared by the end2end suites: start the release server on a fresh SQLite
# database in a temporary folder, wait until it is ready, and stop it on exit.
# Usage: source end2end/lib.sh; start_release_server PORT [DATABASE_URL]   (sets SERVER_PID and WORKDIR;
# a restart on the same folder appends to WORKDIR/server.log)

TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
SERVER_BIN=${SERVER_BIN:-$TARGET_DIR/release/server}
export LEPTOS_SITE_ROOT=${LEPTOS_SITE_ROOT:-$TARGET_DIR/site}
SERVER_PID=
WORKDIR=$(mktemp -d)

stop_release_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORKDIR"
  local scratch
  for scratch in "${SCRATCH_DATABASES[@]}"; do
    psql -q "${scratch%|*}" -c "drop database if exists ${scratch#*|} with (force)" 2>/dev/null || true
  done
}
trap stop_release_server EXIT

# A throwaway PostgreSQL database on the server ADMIN_URL names, dropped on exit; sets PG_URL.
# Usage: create_scratch_postgres ADMIN_URL LABEL
SCRATCH_DATABASES=()
create_scratch_postgres() {
  local admin_url=$1 name="cloudscale_$2_$$"
  command -v psql >/dev/null || { echo "psql is missing: apt-get install postgresql-client" >&2; exit 1; }
  psql -q "$admin_url" -c "create database $name"
  SCRATCH_DATABASES+=("$admin_url|$name")
  # shellcheck disable=SC2034 # read by the caller
  PG_URL="${admin_url%/*}/$name"
}

start_release_server() {
  local port=$1
  local database_url=${2:-sqlite://$WORKDIR/shop.db?mode=rwc}
  [[ -x "$SERVER_BIN" ]] || { echo "no release server at $SERVER_BIN: run make build" >&2; exit 1; }
  DATABASE_URL="$database_url" MAIL_DIR="$WORKDIR/mail" LEPTOS_SITE_ADDR="127.0.0.1:$port" APP_ENV=prod \
    RUST_LOG=${RUST_LOG:-warn} "$SERVER_BIN" >>"$WORKDIR/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 150); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.2
  done
  echo "the server did not become ready:" >&2
  cat "$WORKDIR/server.log" >&2
  exit 1
}

# The admin (ADMIN_EMAIL / ADMIN_PASSWORD, bootstrapped at start) raises the stock of each product
# id through the ledger. Usage: stock_up BASE_URL ID...
stock_up() {
  local base=$1 jar=$WORKDIR/admin.jar; shift
  curl -fsS -o /dev/null -c "$jar" -b "$jar" -X POST "$base/api/sign_in" \
    --data-urlencode "email=$ADMIN_EMAIL" --data-urlencode "password=$ADMIN_PASSWORD"
  local id
  for id in "$@"; do
    curl -fsS -o /dev/null -c "$jar" -b "$jar" -H 'Accept: application/json' -X POST "$base/api/adjust_stock" \
      -d "product_id=$id&change=500000&reason=restock&note=end2end+suite"
  done
}
