import { expect, test } from "@playwright/test";
import { collectProblems } from "./support";

test.describe("home page with JavaScript", () => {
  test("hydrates without warnings and loads more products through a server function", async ({ page }) => {
    const problems = collectProblems(page);

    await page.goto("/");
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    const cards = page.getByRole("region", { name: "Latest products" }).getByRole("article");
    await expect(cards).toHaveCount(12);

    const call = page.waitForResponse(
      (response) => response.url().endsWith("/api/latest_products") && response.request().method() === "POST",
    );
    await page.getByRole("button", { name: "Load more products" }).click();
    expect((await call).status()).toBe(200);

    await expect(cards).toHaveCount(24);
    await expect(page.getByRole("heading", { level: 3, name: "Vista 27 4K Monitor" })).toBeVisible();
    // Appended in place: the page did not navigate to the no-JavaScript URL.
    expect(new URL(page.url()).search).toBe("");
    await expect(page.getByText("Showing 24 products")).toBeAttached();

    // Three more clicks reach the home page's cap of 48; then the button goes away.
    for (const expected of [36, 48]) {
      await page.getByRole("button", { name: "Load more products" }).click();
      await expect(cards).toHaveCount(expected);
    }
    await expect(page.getByRole("button", { name: "Load more products" })).toHaveCount(0);

    expect(problems).toEqual([]);
  });

  test("the shop name in the header leads home", async ({ page }) => {
    await page.goto("/?shown=24");
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await page.getByRole("link", { name: "CloudScale Commerce" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("region", { name: "Latest products" }).getByRole("article")).toHaveCount(12);
  });
});
