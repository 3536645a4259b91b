// One line of the performance table from a Lighthouse JSON report, and the failed audits of any
// category below the minimum score. The JS + wasm bytes are what the page loaded: each file is
// asked for again with Accept-Encoding: br (the shop sends precompressed brotli).
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
const br = code.reduce((sum, r) => sum + brotliBytes(r.url), 0);
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
