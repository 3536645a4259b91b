import { expect, test } from "@playwright/test";
import { collectProblems } from "./support";
import { recoveryJourney } from "./recovery.journey";

test.describe("account recovery and privacy with JavaScript", () => {
  test("verify, reset the password, change the address, export and delete", async ({ page, browser }) => {
    test.setTimeout(120_000);
    const problems = collectProblems(page);
    await recoveryJourney(page, browser, true);
    // The deliberate mistakes answer 401/422 (a weak password, an unticked box, a spent link).
    const unexpected = problems.filter((p) => !/status of (401|422)/.test(p));
    expect(unexpected).toEqual([]);
  });
});
