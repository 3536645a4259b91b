import { test } from "@playwright/test";
import { shopJourney } from "./shop.journey";

test.describe("cart, checkout and orders without JavaScript", () => {
  test("add two products, change a quantity, check out, find the order, cancel it", async ({ page }) => {
    test.setTimeout(90_000);
    await shopJourney(page, false);
  });
});
