import { expect, test } from "@playwright/test";
import { collectProblems } from "./support";
import { browseTheCatalog } from "./catalog.journey";

test.describe("catalog with JavaScript", () => {
  test("search, filter, sort, page, open a product and come back", async ({ page }) => {
    const problems = collectProblems(page);
    // After hydration, moving around the catalog must not reload the document.
    let documentLoads = 0;
    page.on("load", () => documentLoads++);

    await browseTheCatalog(page, true);

    expect(documentLoads).toBe(1);
    expect(problems).toEqual([]);
  });

  test("listing and product pages hydrate cleanly when opened directly", async ({ page }) => {
    const problems = collectProblems(page);

    for (const url of ["/products?category=audio", "/products?q=smart&page=1", "/products?page=3", "/products/skyline-mini-drone"]) {
      await page.goto(url);
      await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    }
    // Hydrated, the sort choice applies at once, without the Apply button.
    await page.goto("/products?category=audio");
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await page.getByLabel("Sort by").selectOption("price-desc");
    await expect(page).toHaveURL(/\/products\?category=audio&sort=price-desc$/);
    await expect(page.locator("main").getByRole("article").first().getByRole("heading")).toHaveText(
      "Echo Studio Monitor Pair",
    );
    expect(problems).toEqual([]);
  });

  test("an unknown product shows the not-found notice", async ({ page }) => {
    const response = await page.goto("/products/no-such-gadget");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not found");
    await expect(page.getByRole("alert")).toContainText("That product was not found");
  });
});
