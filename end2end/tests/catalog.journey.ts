import { expect, type Page } from "@playwright/test";

// The shopper's path through the catalog, identical with and without JavaScript: only how the
// sort is applied differs (hydrated, choosing an option navigates; otherwise the Apply button).
export async function browseTheCatalog(page: Page, javaScript: boolean) {
  const cards = page.locator("main").getByRole("article");

  await page.goto("/");
  if (javaScript) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");

  // Search by a partial word.
  await page.getByRole("searchbox", { name: "Search products" }).fill("headph");
  await page.getByRole("searchbox", { name: "Search products" }).press("Enter");
  await expect(page).toHaveURL(/\/products\?q=headph$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Search results for “headph”");
  await expect(page.getByRole("heading", { name: "Aurora Wireless Headphones" })).toBeVisible();

  // Filter by a category.
  await page.getByRole("navigation", { name: "Categories" }).getByRole("link", { name: /^Cameras/ }).click();
  await expect(page).toHaveURL(/\/products\?category=cameras$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cameras");
  await expect(cards).toHaveCount(10);
  await expect(cards.first()).toContainText("Cameras");

  // Sort everything by price.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "All products" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("All products");
  // With JavaScript the choice alone reloads the list, once the sort island has hydrated (on
  // idle); a choice made before that needs "Apply", as without JavaScript.
  if (javaScript) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByLabel("Sort by").selectOption("price-asc");
  if (!javaScript) await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/\/products\?sort=price-asc$/);
  await expect(cards.first().getByRole("heading")).toHaveText("Lens Screen Cleaning Kit");
  await expect(cards.first()).toContainText("$14.00");

  // Page 2.
  await page.getByRole("navigation", { name: "Pagination" }).getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/\/products\?sort=price-asc&page=2$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("All products");
  await expect(cards).toHaveCount(24);
  const firstOnPage2 = (await cards.first().getByRole("heading").textContent())!.trim();
  expect(firstOnPage2).not.toBe("Lens Screen Cleaning Kit");

  // Open a product, then come back to the same listing state.
  await cards.first().getByRole("link", { name: firstOnPage2 }).click();
  await expect(page).toHaveURL(/\/products\/[a-z0-9-]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(firstOnPage2);
  await expect(page.getByText(/^(In stock|Only \d+ left|Out of stock)$/)).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL(/\/products\?sort=price-asc&page=2$/);
  await expect(page.getByLabel("Sort by")).toHaveValue("price-asc");
  await expect(cards.first().getByRole("heading")).toHaveText(firstOnPage2);
  await expect(
    page.getByRole("navigation", { name: "Pagination" }).getByRole("link", { name: "Page 2" }),
  ).toHaveAttribute("aria-current", "page");
}
