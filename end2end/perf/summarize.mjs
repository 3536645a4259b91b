// One line of the performance table from a Lighthouse JSON report, and the failed audits of any
// category below the minimum score. The JS + wasm bytes are what the page loaded: each file is
// asked for again with Accept-Encoding: br (the shop sends precompressed brotli).
// Byte budgets (deterministic, so gated): the storefront's pages (home, listings, product pages)
// load at most 100 KB of JS + wasm; every other page at most 150 KB before its own lazy chunks
// (the split_*/chunk_* files an island loads when it hydrates).
//   node summarize.mjs REPORT FORM PATH MIN_SCORE BASE_URL JUDGED_CATEGORIES
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const [file, form, path, min, base, judged] = process.argv.slice(2);
const report = JSON.parse(readFileSync(file, "utf8"));
const score = (id) => Math.round(report.categories[id].score * 100);
const metric = (id) => report.audits[id]?.numericValue;

const requests = report.audits["network-requests"]?.details?.items ?? [];
const code = requests.filter((r) => r.url.startsWith(base) && (r.resourceType === "Script" || r.url.endsWith(".wasm")));
const brotliBytes = (url) =>
  Number(execFileSync("curl", ["-sS", "-o", "/dev/null", "-w", "%{size_download}", "-H", "Accept-Encoding: br", url]));
const sizes = code.map((r) => ({ url: r.url, br: brotliBytes(r.url) }));
const br = sizes.reduce((sum, f) => sum + f.br, 0);
const lazy = (url) => /\/pkg\/(split_|chunk_)[^/]*\.wasm$/.test(new URL(url).pathname);
const beforeLazy = sizes.filter((f) => !lazy(f.url)).reduce((sum, f) => sum + f.br, 0);
const storefront = path === "/" || path.startsWith("/products");
// STOREFRONT_BUDGET_KB / OTHER_BUDGET_KB override the targets (see the Makefile's lighthouse).
const budget = Number(storefront ? process.env.STOREFRONT_BUDGET_KB ?? 100 : process.env.OTHER_BUDGET_KB ?? 150) * 1024;
const sent = code.reduce((sum, r) => sum + (r.transferSize ?? 0), 0);

const figures = ["first-contentful-paint", "largest-contentful-paint", "cumulative-layout-shift", "total-blocking-time"].map(metric);
if (figures.some((value) => value === undefined)) {
  console.log(`${form} ${path}: Lighthouse reported no ${["FCP", "LCP", "CLS", "TBT"].filter((_, i) => figures[i] === undefined)}`);
  process.exit(1);
}
const [fcp, lcp, cls, tbt] = figures;
console.log(
  [
    form.padEnd(8),
    path.padEnd(38),
    ...["performance", "accessibility", "best-practices", "seo"].map((c) => String(score(c)).padStart(4)),
    String(Math.round(fcp)).padStart(6),
    String(Math.round(lcp)).padStart(6),
    cls.toFixed(3).padStart(6),
    String(Math.round(tbt)).padStart(6),
    (br / 1024).toFixed(1).padStart(9),
    (sent / 1024).toFixed(1).padStart(9),
  ].join(" "),
);

let failed = false;
if (storefront && sizes.some((f) => lazy(f.url))) {
  failed = true;
  console.log(`  budget: ${path} loaded a lazy chunk: ${sizes.filter((f) => lazy(f.url)).map((f) => f.url)}`);
}
if (beforeLazy > budget) {
  failed = true;
  console.log(`  budget: ${path} loads ${(beforeLazy / 1024).toFixed(1)} KB of JS + wasm (brotli) before its lazy chunks; the budget is ${budget / 1024} KB`);
  for (const f of sizes) console.log(`    ${(f.br / 1024).toFixed(1).padStart(7)} KB ${f.url}`);
}
for (const id of judged.split(",")) {
  if (score(id) < Number(min)) {
    failed = true;
    for (const ref of report.categories[id].auditRefs) {
      const audit = report.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) console.log(`  ${id}: ${audit.id}: ${audit.title}`);
    }
  }
}
process.exit(failed ? 1 : 0);
