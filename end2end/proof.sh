#!/usr/bin/env bash
# The proof kit: load, races, faults, bad input and browser performance in one run (about 25
# minutes on the 2-core machine), each suite's figures written to end2end/results/<date>.md as
# well as the terminal. Exits non-zero when any suite does (a wrong correctness figure).
#
#   make proof        (builds and installs every tool first)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
SITE=${LEPTOS_SITE_ROOT:-$TARGET_DIR/site}
mkdir -p end2end/results
results=end2end/results/$(date -u +%Y-%m-%d).md
SUITES=(
  "Load|end2end/load/run.sh"
  "Races|end2end/races/races.sh"
  "Faults|end2end/faults/faults.sh"
  "Bad input|end2end/fuzz/fuzz.sh"
  "Browser performance|end2end/perf/perf.sh"
)

dirty=$(git diff --quiet HEAD 2>/dev/null || echo " with uncommitted changes")
{
  echo "# Proof kit run of $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "Commit $(git rev-parse --short HEAD)$dirty; $(nproc) cores, $(free -g | awk '/^Mem/ { print $2 }') GiB;" \
    "$(rustc --version | cut -d' ' -f1-2); PostgreSQL suites: $([[ -n ${TEST_DATABASE_URL:-} ]] && echo on || echo "off (TEST_DATABASE_URL unset)")."
  echo "Storefront wasm module: $(stat -c %s "$SITE"/pkg/cloudscale*.wasm.br 2>/dev/null | head -1) bytes brotli (site $SITE)."
} | tee "$results"

overall=0
summary=()
started=$SECONDS
for suite in "${SUITES[@]}"; do
  name=${suite%%|*} command=${suite#*|}
  t0=$SECONDS
  printf '\n## %s\n\n`%s`\n\n```\n' "$name" "$command" | tee -a "$results"
  "$command" 2>&1 | tee -a "$results"
  rc=${PIPESTATUS[0]}
  printf '```\n' | tee -a "$results"
  ((rc == 0)) || overall=1
  summary+=("| $name | $([[ $rc == 0 ]] && echo passed || echo "FAILED (exit $rc)") | $((SECONDS - t0)) s |")
done
{
  printf '\n## Summary\n\n| Suite | Result | Time |\n|---|---|---|\n'
  printf '%s\n' "${summary[@]}"
  printf '\nAll suites: %d min %d s.\n' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60))
} | tee -a "$results"
echo "written to $results"
exit $overall
