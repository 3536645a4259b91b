import { expect, test } from "@playwright/test";
import { collectProblems } from "./support";
import { accountJourney } from "./accounts.journey";

test.describe("accounts with JavaScript", () => {
  test("register, sign out and in, edit profile and addresses, sign out a device, change password", async ({
    page,
    browser,
  }) => {
    test.setTimeout(90_000);
    const problems = collectProblems(page);
    await accountJourney(page, browser, true);
    // The deliberate mistakes answer 401/422; the browser logs those responses. Nothing else.
    const unexpected = problems.filter((p) => !/status of (401|422)/.test(p));
    expect(unexpected).toEqual([]);
  });

  test("the account page sends visitors to sign in", async ({ page }) => {
    await page.goto("/account");
    await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  });
});
