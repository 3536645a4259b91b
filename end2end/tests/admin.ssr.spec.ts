import { test } from "@playwright/test";
import { adminJourney } from "./admin.journey";

test("without JavaScript an admin creates a subcategory and a product in it, adjusts its stock and delivers an order; customers get 404 and 403", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  await adminJourney(browser, false);
});
