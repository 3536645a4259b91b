#!/usr/bin/env bash
# Browser performance suite: Lighthouse (npm, driving Debian's chromium) on the release build, for
# the home page, a listing, a product page, registration, checkout (signed in, with a cart) and the
# metrics page, as a throttled mobile and as a desktop. Prints each category score, FCP, LCP, CLS
# and total blocking time, and the JS + wasm a page loads: brotli bytes (what a browser that
# accepts br receives) and what this Chrome received.
# Fails when accessibility, best practices or SEO (public pages only) is below MIN_SCORE (default
# 100), when a page's JS + wasm (brotli, before its own lazy chunks) is over its byte budget
# (STOREFRONT_BUDGET_KB, default 100, for home, listings and product pages; OTHER_BUDGET_KB,
# default 150, elsewhere), when a storefront page loads a lazy chunk, or when a performance figure
# is missing; performance scores are reported, not gated (they depend on the machine).
#
#   end2end/perf/perf.sh                           (make perf builds and installs Lighthouse first)
#   FORM_FACTORS=mobile end2end/perf/perf.sh       (make lighthouse, in make test)
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT=${LIGHTHOUSE_PORT:-3300}
MIN_SCORE=${MIN_SCORE:-100}
FORM_FACTORS=${FORM_FACTORS:-mobile desktop}
LIGHTHOUSE=${LIGHTHOUSE:-lighthouse}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
# PAGES="/ /checkout" picks pages; REPORT_DIR keeps the JSON reports.
read -ra PAGES <<<"${PAGES:-/ /products?category=audio /products/aurora-wireless-headphones /register /checkout /monitoring}"
# Private pages are kept out of search engines on purpose (noindex): SEO is not judged there.
PRIVATE_PAGES=" /checkout "

source end2end/lib.sh
command -v "$LIGHTHOUSE" >/dev/null || { echo "lighthouse is missing: run make lighthouse" >&2; exit 1; }
start_release_server "$PORT"
base="http://127.0.0.1:$PORT"

# A signed-in customer with a cart, for the checkout page.
jar=$WORKDIR/customer.jar
curl -fsS -o /dev/null -c "$jar" -b "$jar" -X POST "$base/api/register" --data-urlencode 'name=Perf Customer' \
  --data-urlencode 'email=perf@example.com' --data-urlencode 'password=velvet lantern across quiet harbours'
curl -fsS -o /dev/null -c "$jar" -b "$jar" -H 'Accept: application/json' -X POST "$base/api/add_to_cart" -d 'product_id=1&quantity=1'
cookie=$(awk '!/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " } /^#HttpOnly_/ { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")

flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"
status=0
printf '%-8s %-38s %4s %4s %4s %4s %6s %6s %6s %6s %9s %9s\n' form page perf a11y bp seo "FCP" "LCP" "CLS" "TBT" "JS+wasm" "(as sent)"
printf '%-8s %-38s %4s %4s %4s %4s %6s %6s %6s %6s %9s %9s\n' "" "" "" "" "" "" ms ms "" ms "KB br" "KB sent"
for form in $FORM_FACTORS; do
  preset=()
  [[ $form == desktop ]] && preset=(--preset=desktop)
  for path in "${PAGES[@]}"; do
    headers=()
    [[ $path == /checkout ]] && headers=(--extra-headers="{\"Cookie\": \"$cookie\"}")
    report="${REPORT_DIR:-$WORKDIR}/$form-$(tr -c 'a-z0-9\n' '_' <<<"$path").json"
    mkdir -p "$(dirname "$report")"
    # Lighthouse itself sometimes fails to record a trace (NO_NAVSTART and the like): that is a
    # tool failure, not a score, so it gets two more tries. Low scores are judged below, untried.
    for attempt in 1 2 3; do
      "$LIGHTHOUSE" "$base$path" --quiet --output=json --output-path="$report" "${preset[@]}" "${headers[@]}" \
        --only-categories=performance,accessibility,best-practices,seo --chrome-flags="$flags" >/dev/null 2>"$WORKDIR/lighthouse.log" &&
        break
      if [[ $attempt == 3 ]]; then cat "$WORKDIR/lighthouse.log" >&2; exit 1; fi
      echo "lighthouse failed to run on $path (attempt $attempt): $(grep -o 'Runtime error.*' "$WORKDIR/lighthouse.log" | head -1)" >&2
    done
    judged=accessibility,best-practices,seo
    [[ $PRIVATE_PAGES == *" $path "* ]] && judged=accessibility,best-practices
    node end2end/perf/summarize.mjs "$report" "$form" "$path" "$MIN_SCORE" "$base" "$judged" || status=1
  done
done
exit $status
