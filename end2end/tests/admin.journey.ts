import { expect, type Browser, type Page } from "@playwright/test";
import { PASSWORD, signIn, uniqueEmail } from "./accounts.journey";
import { collectProblems, placeOrderWithTestCard } from "./support";

/** The start-up admin (ADMIN_EMAIL/ADMIN_PASSWORD in playwright.config.ts). */
const ADMIN = { email: "ops@example.com", password: "harbour lantern velvet across quiet" };

async function ready(page: Page, javaScript: boolean) {
  if (javaScript) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

/** A new customer buys one unit of `slug` with the test card; returns the order number. */
async function customerOrders(page: Page, javaScript: boolean, slug: string): Promise<string> {
  await page.goto("/register");
  await ready(page, javaScript);
  await page.getByLabel("Name").fill("Katherine Johnson");
  await page.getByLabel("Email").fill(uniqueEmail(javaScript ? "admin-js" : "admin-nojs"));
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Account" })).toBeVisible();
  await page.goto(`/products/${slug}`);
  await ready(page, javaScript);
  await page.locator("article.product").getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Cart (1)" })).toBeVisible();
  await page.goto("/checkout");
  await ready(page, javaScript);
  return placeOrderWithTestCard(page, {
    fullName: "Katherine Johnson",
    line1: "1 Langley Boulevard",
    city: "Hampton",
    region: "VA",
    postalCode: "23681",
    country: "US",
  });
}

/**
 * A customer is kept out (404 page, 403 from an admin server function) and places an order; the
 * admin creates a subcategory and a product in it that then shows in the storefront (under the
 * subcategory, with its breadcrumb) and its search, adjusts its stock,
 * and moves the customer's order through processing and shipped to delivered. The same steps
 * with and without JavaScript.
 */
export async function adminJourney(browser: Browser, javaScript: boolean) {
  const tag = javaScript ? "Js" : "Plain";
  const customer = await (await browser.newContext({ javaScriptEnabled: javaScript })).newPage();
  const admin = await (await browser.newContext({ javaScriptEnabled: javaScript })).newPage();
  const problems = javaScript ? collectProblems(customer) : [];
  const adminProblems = javaScript ? collectProblems(admin) : [];

  // The customer: an order to work on, and no way into the back office.
  const number = await customerOrders(customer, javaScript, javaScript ? "halo-smart-ring" : "loop-fitness-band");
  const refused = await customer.goto("/admin");
  expect(refused?.status()).toBe(404);
  await expect(customer.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  const call = await customer.request.post("/api/admin_products", { form: {} });
  expect(call.status()).toBe(403);

  // The admin creates a product.
  await signIn(admin, javaScript, ADMIN.email, ADMIN.password);
  await admin.goto("/admin");
  await ready(admin, javaScript);
  for (const heading of ["Products", "Orders", "Customers"]) {
    await expect(admin.getByRole("heading", { level: 2, name: heading, exact: true })).toBeVisible();
  }
  // The admin files a new category under Smart Home; the product goes into it.
  const categoryName = `Desk Lighting ${tag}`;
  await admin.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Categories" }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText("Categories");
  await ready(admin, javaScript);
  await admin.getByLabel("Name", { exact: true }).fill(categoryName);
  await admin.getByLabel("Parent category").selectOption({ label: "Smart Home" });
  await admin.getByRole("button", { name: "Create category" }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(`Edit ${categoryName}`);
  await expect(admin).toHaveURL(/\/admin\/categories\/\d+\?created=1$/);
  await admin.goto("/admin");
  await ready(admin, javaScript);
  await admin.getByRole("link", { name: "New product" }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText("New product");
  await ready(admin, javaScript);
  const name = `Zephyr${tag} Desk Lamp`;
  const slug = `zephyr${tag.toLowerCase()}-desk-lamp`;
  await admin.getByLabel("Name", { exact: true }).fill(name);
  await admin.getByLabel("SKU").fill(`ZEP-${tag.toUpperCase()}-01`);
  await admin.getByLabel("Description").fill("A warm, dimmable desk lamp with a USB-C port.");
  await admin.getByLabel("Category").selectOption({ label: `Smart Home › ${categoryName}` });
  await admin.getByLabel("Price (USD)").fill("49.90");
  await admin.getByLabel("Stock", { exact: true }).fill("12");
  await admin.getByRole("button", { name: "Save product" }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(admin).toHaveURL(/\/admin\/products\/\d+\?created=1$/);
  const editor = admin.url();

  // It is in the storefront and in search.
  const shopper = await (await browser.newContext({ javaScriptEnabled: javaScript })).newPage();
  await shopper.goto(`/products/${slug}`);
  await expect(shopper.getByRole("heading", { level: 1 })).toHaveText(name);
  const crumbs = shopper.getByRole("navigation", { name: "Breadcrumb" });
  await expect(crumbs.getByRole("link", { name: "Smart Home" })).toBeVisible();
  await crumbs.getByRole("link", { name: categoryName }).click();
  await expect(shopper.getByRole("heading", { level: 1 })).toHaveText(categoryName);
  await expect(shopper.locator("article.product-card").filter({ hasText: name })).toBeVisible();
  const categoryNav = shopper.getByRole("navigation", { name: "Categories" });
  await expect(categoryNav.getByRole("link", { name: categoryName })).toHaveAttribute("aria-current", "page");
  await shopper.goto(`/products?q=zephyr${tag.toLowerCase()}`);
  await expect(shopper.locator("article.product-card").filter({ hasText: name })).toBeVisible();

  // Stock: 12 in, 5 more from the supplier.
  await admin.goto(editor);
  await ready(admin, javaScript);
  await expect(admin.getByTestId("stock-level")).toHaveText("12");
  await admin.getByLabel("Change").fill("5");
  await admin.getByLabel("Reason").selectOption({ label: "Delivery from supplier" });
  await admin.getByLabel("Note").fill("pallet 7");
  await admin.getByRole("button", { name: "Adjust stock" }).click();
  await expect(admin.getByTestId("stock-level")).toHaveText("17");
  const ledger = admin.getByRole("table", { name: "Stock movements" });
  await expect(ledger.getByRole("row").filter({ hasText: "Delivery from supplier" })).toContainText("pallet 7");

  // A price change reaches the next signed-out visitor at once, although the product page is
  // served from the page cache to visitors without a session.
  const visitor = await (await browser.newContext({ javaScriptEnabled: javaScript })).newPage();
  // The other journey writes to the catalog on the same server now and then, and each write
  // empties the cache: ask again until a visit is served from it.
  await expect
    .poll(async () => (await visitor.goto(`/products/${slug}`))?.headers()["x-page-cache"], { timeout: 10_000 })
    .toBe("hit");
  await expect(visitor.locator("article.product")).toContainText("$49.90");
  await admin.goto(editor);
  await ready(admin, javaScript);
  await admin.getByLabel("Price (USD)").fill("44.90");
  await admin.getByRole("button", { name: "Save product" }).click();
  await expect(admin.getByLabel("Price (USD)")).toHaveValue("44.90");
  await visitor.goto(`/products/${slug}`);
  await expect(visitor.locator("article.product")).toContainText("$44.90");
  await visitor.context().close();

  // The customer's order, found by status, moved along to delivered.
  await admin.goto("/admin");
  await ready(admin, javaScript);
  await admin.getByLabel("Status").selectOption({ label: "Paid" });
  await admin.getByRole("button", { name: "Filter" }).click();
  await expect(admin).toHaveURL(/status=paid/);
  await admin.getByRole("link", { name: number }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(`Order ${number}`);
  await ready(admin, javaScript);
  const status = admin.getByTestId("order-status");
  await expect(status).toHaveText("Paid");
  await admin.getByRole("button", { name: "Mark as processing" }).click();
  await expect(status).toHaveText("Processing");
  await admin.getByLabel("Tracking number").fill("1Z999AA10123456784");
  await admin.getByRole("button", { name: "Mark as shipped" }).click();
  await expect(status).toHaveText("Shipped");
  await admin.getByRole("button", { name: "Mark as delivered" }).click();
  await expect(status).toHaveText("Delivered");
  await expect(admin.getByRole("button", { name: "Cancel order" })).toHaveCount(0);
  await expect(admin.locator(".order__timeline li")).toHaveCount(4);

  // The customer sees it delivered, with the tracking number.
  await customer.goto(`/orders/${number}`);
  await expect(customer.locator(".order__meta .badge")).toHaveText("Delivered");

  // The one expected failure: the customer's own visit to /admin, answered 404.
  expect(problems.filter((problem) => !problem.includes("status of 404"))).toEqual([]);
  expect(adminProblems).toEqual([]);
}
