import { expect, test } from "@playwright/test";
import { collectProblems } from "./support";
import { shopJourney } from "./shop.journey";

test.describe("cart, checkout and orders with JavaScript", () => {
  test("add two products, change a quantity, check out, find the order, cancel it", async ({ page }) => {
    test.setTimeout(90_000);
    const problems = collectProblems(page);
    await shopJourney(page, true);
    expect(problems).toEqual([]);
  });

  test("the checkout sends visitors to sign in and back", async ({ page }) => {
    await page.goto("/checkout");
    await expect(page).toHaveURL(/\/login\?next=%2Fcheckout$/);
  });
});
