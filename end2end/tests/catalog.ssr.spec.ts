import { expect, test } from "@playwright/test";
import { browseTheCatalog } from "./catalog.journey";

test.describe("catalog without JavaScript", () => {
  test("search, filter, sort, page, open a product and come back", async ({ page }) => {
    await browseTheCatalog(page, false);
  });

  test("a search with no results explains what to do next", async ({ page }) => {
    await page.goto("/products?q=zzyzx");
    await expect(page.getByRole("heading", { name: "No products match" })).toBeVisible();
    await expect(page.getByRole("main").getByRole("link", { name: "Browse all products" })).toBeVisible();
  });
});
