import { expect, test } from "@playwright/test";

test.describe("home page without JavaScript", () => {
  test("is complete as rendered by the server", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveTitle("Electronics and gadgets · CloudScale Commerce");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Gadgets that keep up with you");
    const cards = page.getByRole("region", { name: "Latest products" }).getByRole("article");
    await expect(cards).toHaveCount(12);

    const first = cards.first();
    await expect(first.getByRole("heading", { name: "Aurora Wireless Headphones" })).toBeVisible();
    await expect(first.getByText("$149.00")).toBeVisible();
    const image = first.locator("img");
    await expect(image).toHaveAttribute("width", "480");
    expect(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

    await expect(page.getByRole("contentinfo")).toContainText("CloudScale Commerce");
  });

  test("load more asks the server for a longer page", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("button", { name: "Load more products" }).click();
    await expect(page).toHaveURL(/\/\?shown=24$/);
    await expect(page.getByRole("region", { name: "Latest products" }).getByRole("article")).toHaveCount(24);
  });

  test("unknown pages get the styled not-found page with status 404", async ({ page }) => {
    const response = await page.goto("/no/such/page");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    await page.getByRole("link", { name: "Back to the shop" }).click();
    await expect(page.getByRole("region", { name: "Latest products" }).getByRole("article")).toHaveCount(12);
  });
});
