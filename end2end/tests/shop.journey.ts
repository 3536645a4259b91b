import { expect, type Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { PASSWORD, uniqueEmail } from "./accounts.journey";
import { placeOrderWithTestCard } from "./support";

/** Where the e2e server writes order e-mails (MAIL_DIR in playwright.config.ts). */
const MAIL_DIR = path.join(__dirname, "..", ".data", "mail");

async function ready(page: Page, javaScript: boolean) {
  if (javaScript) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

const header = (page: Page) => page.getByRole("banner");

/** "Only 4 left" on a product page, as a number. */
async function stockLeft(page: Page): Promise<number> {
  const text = (await page.locator(".product__stock").textContent()) ?? "";
  const match = /Only (\d+) left/.exec(text);
  if (!match) throw new Error(`expected a low-stock product, found "${text}"`);
  return Number(match[1]);
}

async function register(page: Page, javaScript: boolean) {
  await page.goto("/register");
  await ready(page, javaScript);
  await page.getByLabel("Name").fill("Grace Hopper");
  await page.getByLabel("Email").fill(uniqueEmail(javaScript ? "shop-js" : "shop-nojs"));
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(header(page).getByRole("link", { name: "Account" })).toBeVisible();
}

/**
 * Add two low-stock products (one from its page, one from a listing card), raise a quantity,
 * check out with a new address and the test card, find the order, cancel it and see the stock
 * come back; the confirmation e-mail is on disk. The same steps with and without JavaScript
 * (each on its own products, since both run against one server).
 */
export async function shopJourney(page: Page, javaScript: boolean) {
  const [first, second] = javaScript
    ? ["quill-graphics-tablet", "arc-sleep-headband"]
    : ["anchor-wireless-charger", "nimbus-portable-dac"];
  await register(page, javaScript);

  // The first product, from its page.
  await page.goto(`/products/${first}`);
  await ready(page, javaScript);
  const firstName = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();
  const stockBefore = await stockLeft(page);
  // The product's own button (related products below have theirs).
  await page.locator("article.product").getByRole("button", { name: "Add to cart" }).click();
  const drawer = page.getByRole("dialog", { name: "Shopping cart" });
  if (javaScript) {
    // The drawer opens with the line; Escape closes it.
    await expect(drawer).toBeVisible();
    await expect(drawer.getByRole("listitem").filter({ hasText: firstName })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
  }
  await expect(header(page).getByRole("link", { name: "Cart (1)" })).toBeVisible();

  // The second, from a card in the listing.
  await page.goto(`/products/${second}`);
  const secondName = (await page.getByRole("heading", { level: 1 }).textContent())!.trim();
  await page.goto(`/products?q=${encodeURIComponent(secondName)}`);
  await ready(page, javaScript);
  await page
    .locator("article.product-card")
    .filter({ hasText: secondName })
    .getByRole("button", { name: "Add to cart" })
    .click();
  if (javaScript) {
    await expect(drawer.getByRole("listitem")).toHaveCount(2);
    await page.keyboard.press("Escape");
  }
  await expect(header(page).getByRole("link", { name: "Cart (2)" })).toBeVisible();

  // The cart: the drawer with JavaScript, the /cart page without.
  await header(page).getByRole("link", { name: "Cart (2)" }).click();
  const cart = javaScript ? drawer : page.getByRole("main");
  if (!javaScript) await expect(page).toHaveURL(/\/cart$/);
  const firstLine = cart.getByRole("listitem").filter({ hasText: firstName });
  await firstLine.getByRole("button", { name: "Increase quantity" }).click();
  await expect(header(page).getByRole("link", { name: "Cart (3)" })).toBeVisible();
  await expect(cart.getByRole("listitem").filter({ hasText: firstName }).getByLabel("2 in cart")).toBeVisible();
  await cart.getByRole("link", { name: "Checkout" }).click();

  // Checkout with a new address and the test card.
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Checkout");
  await ready(page, javaScript);
  const number = await placeOrderWithTestCard(page, {
    fullName: "Grace Hopper",
    line1: "1 Navy Yard",
    city: "Arlington",
    region: "VA",
    postalCode: "22202",
    country: "US",
  });
  await expect(header(page).getByRole("link", { name: "Cart (0)" })).toBeVisible();

  // The stock went down by the two units.
  await page.goto(`/products/${first}`);
  expect(await stockLeft(page)).toBe(stockBefore - 2);

  // In Orders; cancel it.
  await header(page).getByRole("link", { name: "Orders" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Orders");
  await page.getByRole("link", { name: number! }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Order ${number}`);
  await ready(page, javaScript);
  await page.getByRole("button", { name: "Cancel order" }).click();
  await expect(page.locator(".order__meta .badge")).toHaveText("Cancelled");
  await expect(page.getByRole("button", { name: "Cancel order" })).toHaveCount(0);

  // The stock is back.
  await page.goto(`/products/${first}`);
  expect(await stockLeft(page)).toBe(stockBefore);

  // The confirmation e-mail, written by the outbox worker.
  const file = path.join(MAIL_DIR, `${number}-order_confirmation.eml`);
  await expect.poll(() => fs.existsSync(file), { timeout: 15_000 }).toBe(true);
  const message = fs.readFileSync(file, "utf8");
  expect(message).toContain(`Order ${number} confirmed`);
  expect(message).toContain(firstName);
  expect(message).toContain("Total: $");
}
