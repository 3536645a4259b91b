#!/usr/bin/env bash
# The race suite (app/examples/races.rs): the last unit against 50 concurrent buyers for 1,000
# rounds, multi-item carts filled in random orders, and one checkout form submitted 20 times at
# once, on a fresh SQLite database and (with TEST_DATABASE_URL) a fresh PostgreSQL one.
# Prints one figure per line; exits 1 when oversold, duplicates, deadlocks or ledger mismatches
# are not 0 or a round has other than one winner.
#
#   end2end/races/races.sh                      (make races)
#   ROUNDS=200 BUYERS=20 end2end/races/races.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
exec cargo run --quiet --locked --release -p app --features testing --example races
