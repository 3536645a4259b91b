import { expect, test } from "@playwright/test";
import { browseTheCatalog } from "./catalog.journey";

test.describe("catalog with JavaScript", () => {
  test("search, filter, sort, page, open a product and come back", async ({ page }) => {
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    // After hydration, moving around the catalog must not reload the document.
    let documentLoads = 0;
    page.on("load", () => documentLoads++);

    await browseTheCatalog(page, true);

    expect(documentLoads).toBe(1);
    expect(problems).toEqual([]);
  });

  test("an unknown product shows the not-found notice", async ({ page }) => {
    const response = await page.goto("/products/no-such-gadget");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not found");
    await expect(page.getByRole("alert")).toContainText("That product was not found");
  });
});
