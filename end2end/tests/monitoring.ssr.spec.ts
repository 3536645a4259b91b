import { expect, test } from "@playwright/test";

test("without JavaScript the metrics page shows every chart with data", async ({ page }) => {
  await page.goto("/monitoring");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Live metrics");
  const charts = page.getByRole("img", { name: /chart$/ });
  await expect(charts).toHaveCount(6);
  for (const chart of await charts.all()) {
    expect(await chart.innerHTML()).toContain("<polyline");
  }
  await expect(page.getByText(/^Now: Average CPU \d+ %\.$/)).toBeVisible();
  await expect(page.getByTestId("tile-instances")).toContainText(/\d+ in service \/ \d+ desired/);
  await expect(page.getByTestId("stream-status")).toHaveText("Snapshot at page load");
});

test("without JavaScript the storefront's fleet widget links to the metrics", async ({ page }) => {
  await page.goto("/products");
  const widget = page.getByTestId("fleet-widget");
  await expect(widget).toContainText(/\d+ of \d+ instances in service/);
  await widget.getByRole("link", { name: "See live metrics" }).click();
  await expect(page).toHaveURL(/\/monitoring$/);
});
