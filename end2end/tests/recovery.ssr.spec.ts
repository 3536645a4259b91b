import { test } from "@playwright/test";
import { recoveryJourney } from "./recovery.journey";

test.describe("account recovery and privacy without JavaScript", () => {
  test("verify, reset the password, change the address, export and delete", async ({ page, browser }) => {
    test.setTimeout(120_000);
    await recoveryJourney(page, browser, false);
  });
});
