import { expect, test } from "@playwright/test";
import { collectProblems } from "./support";
import { browseTheCatalog } from "./catalog.journey";

test.describe("catalog with JavaScript", () => {
  test("search, filter, sort, page, open a product and come back", async ({ page }) => {
    const problems = collectProblems(page);
    // Moving between pages is an ordinary page load (islands, no client router), each one
    // clean; the sort choice applies at once.
    await browseTheCatalog(page, true);
    expect(problems).toEqual([]);
  });

  test("every page asks the browser to prefetch same-origin links, within the CSP", async ({ page }) => {
    const problems = collectProblems(page);
    const response = await page.goto("/products?category=audio");
    const rules = JSON.parse((await page.locator('script[type="speculationrules"]').textContent()) ?? "{}");
    expect(rules.prefetch[0].eagerness).toBe("moderate");
    expect(JSON.stringify(rules)).toContain("/checkout");
    // The policy names the page's inline scripts by hash, so none of them was refused.
    expect(response?.headers()["content-security-policy"]).toMatch(/'sha256-/);
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
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
