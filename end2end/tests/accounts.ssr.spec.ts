import { test } from "@playwright/test";
import { accountJourney } from "./accounts.journey";

test.describe("accounts without JavaScript", () => {
  test("register, sign out and in, edit profile and addresses, sign out a device, change password", async ({
    page,
    browser,
  }) => {
    test.setTimeout(90_000);
    await accountJourney(page, browser, false);
  });
});
