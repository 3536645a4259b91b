import { expect, test } from "@playwright/test";
import { collectProblems } from "./support";
import { signIn } from "./accounts.journey";
import { adminJourney } from "./admin.journey";

// The server starts with ADMIN_EMAIL/ADMIN_PASSWORD (see playwright.config.ts).
test("with JavaScript an admin creates a subcategory and a product in it, adjusts its stock and delivers an order; customers get 404 and 403", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  await adminJourney(browser, true);
});

test("the admin page counts active users for an admin and hydrates cleanly", async ({ page }) => {
  const problems = collectProblems(page);
  await signIn(page, true, "ops@example.com", "harbour lantern velvet across quiet");
  await page.getByRole("banner").getByRole("link", { name: "Admin" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Admin");
  const count = Number(await page.getByTestId("active-users").textContent());
  expect(count).toBeGreaterThanOrEqual(1);
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("active-users")).toBeVisible();
  expect(problems).toEqual([]);
});

test("the API documentation renders the shop's own OpenAPI document with no CDN", async ({ page }) => {
  const problems = collectProblems(page);
  const outside: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith("http://127.0.0.1")) outside.push(request.url());
  });
  await page.goto("/api/docs/");
  await expect(page.locator(".swagger-ui .info .title")).toContainText("CloudScale Commerce catalog API");
  await expect(page.locator(".opblock-summary-path").first()).toBeVisible();
  await expect(page.locator(".opblock-summary-path")).toHaveCount(3);
  expect(outside).toEqual([]);
  expect(problems).toEqual([]);
});
