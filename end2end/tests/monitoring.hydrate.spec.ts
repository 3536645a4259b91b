import { expect, test, type Page } from "@playwright/test";
import { collectProblems } from "./support";
import { signIn } from "./accounts.journey";

async function openMetrics(page: Page) {
  await page.goto("/monitoring");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Live metrics");
  await expect(page.getByTestId("stream-status")).toHaveAttribute("data-state", "Live");
}

/** "3 in service / 4 desired" → [3, 4] */
async function instances(page: Page): Promise<[number, number]> {
  const text = (await page.getByTestId("tile-instances").textContent()) ?? "";
  const match = text.match(/(\d+) in service \/ (\d+) desired/);
  expect(match, text).not.toBeNull();
  return [Number(match![1]), Number(match![2])];
}

test("the charts follow the live stream and are redrawn in the browser", async ({ page }) => {
  const problems = collectProblems(page);
  await openMetrics(page);
  const cpuChart = page.getByRole("img", { name: "CPU utilisation chart" });
  const first = await cpuChart.innerHTML();
  expect(first).toContain("<polyline");
  // New frames arrive twice a second; the drawing changes as the window moves.
  await expect.poll(() => cpuChart.innerHTML(), { timeout: 10_000 }).not.toBe(first);
  await expect(page.getByRole("img", { name: /chart$/ })).toHaveCount(6);
  expect(problems).toEqual([]);
});

test("the header links the metrics page, the chart code loads only there, and visitors get no controls", async ({ page }) => {
  const chartChunks: string[] = [];
  page.on("request", (request) => {
    if (/\/pkg\/split_draw_chart_.*\.wasm$/.test(request.url())) chartChunks.push(request.url());
  });
  await page.goto("/");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("fleet-widget")).toContainText("instances in service");
  expect(chartChunks, "the storefront does not download the chart code").toEqual([]);
  await page.getByRole("banner").getByRole("link", { name: "Metrics" }).click();
  await expect(page).toHaveURL(/\/monitoring$/);
  await expect(page.getByTestId("stream-status")).toHaveAttribute("data-state", "Live");
  // The page arrives with the server's drawings; the chart code comes with the first new frame
  // and draws every redraw after it.
  const cpuChart = page.getByRole("img", { name: "CPU utilisation chart" });
  await expect(cpuChart.locator("polyline").first()).toBeAttached();
  await expect.poll(() => chartChunks.length, { timeout: 10_000 }).toBe(1);
  const drawn = await cpuChart.innerHTML();
  await expect.poll(() => cpuChart.innerHTML(), { timeout: 10_000 }).not.toBe(drawn);
  expect(chartChunks.length, "the metrics page loads the chart code once").toBe(1);
  await expect(page.getByRole("button", { name: "Inject traffic spike" })).toHaveCount(0);
});

test("an admin's traffic spike raises the instance count within a minute", async ({ page }) => {
  test.setTimeout(120_000);
  const problems = collectProblems(page);
  await signIn(page, true, "ops@example.com", "harbour lantern velvet across quiet");
  await openMetrics(page);
  const [, desiredBefore] = await instances(page);
  await page.getByRole("button", { name: "Inject traffic spike" }).click();
  await expect(page.getByTestId("event-log")).toContainText("control:TRAFFIC_SPIKE");
  // Two 60 s alarm periods and a 40 s launch at ten times real time: about 15 s here.
  await expect
    .poll(async () => (await instances(page))[1], { timeout: 60_000, intervals: [1_000] })
    .toBeGreaterThan(desiredBefore);
  await expect(page.getByTestId("event-log")).toContainText("autoscaling:EC2_INSTANCE_LAUNCH");
  await expect(page.getByTestId("alarm-high")).toHaveText("ALARM");
  expect(problems).toEqual([]);
});
