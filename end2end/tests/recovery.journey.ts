import { expect, type Browser, type Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";
import { NEW_PASSWORD, PASSWORD, signIn, uniqueEmail } from "./accounts.journey";

/** Where the e2e server writes its e-mails (MAIL_DIR in playwright.config.ts). */
const MAIL_DIR = path.join(__dirname, "..", ".data", "mail");

/** The newest message of `kind` to `to`, waiting for the outbox worker to write it. */
async function mailTo(kind: string, to: string): Promise<string> {
  let found = "";
  await expect
    .poll(
      () => {
        const names = fs.existsSync(MAIL_DIR) ? fs.readdirSync(MAIL_DIR) : [];
        const matching = names
          .filter((name) => name.startsWith(`${kind}-`) && name.endsWith(".eml"))
          .map((name) => fs.readFileSync(path.join(MAIL_DIR, name), "utf8"))
          .filter((text) => text.includes(`To: ${to}`));
        found = matching.at(-1) ?? "";
        return found !== "";
      },
      { timeout: 15_000, message: `a ${kind} mail to ${to}` },
    )
    .toBe(true);
  return found;
}

/** The path and query of the first link to `linkPath` in a message (quoted-printable undone). */
function linkIn(message: string, linkPath: string): string {
  const text = message.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  const match = text.match(new RegExp(`https?://[^/\\s]+(${linkPath}\\?token=[A-Za-z0-9_-]{43})`));
  if (!match) throw new Error(`no ${linkPath} link in ${text}`);
  return match[1];
}

async function ready(page: Page, javaScript: boolean) {
  if (javaScript) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

/** A paid order placed through the server functions, sharing the page's session cookie. */
async function placeOrder(page: Page): Promise<string> {
  const product = await page.request.post("/api/get_product", { form: { slug: "aurora-wireless-headphones" } });
  const { card } = await product.json();
  await page.request.post("/api/add_to_cart", { form: { product_id: String(card.id), quantity: "1" } });
  const key = await (await page.request.post("/api/checkout_key")).json();
  const placed = await page.request.post("/api/place_order", {
    form: {
      idempotency_key: key,
      "shipping[kind]": "shipping",
      "shipping[full_name]": "Ada Lovelace",
      "shipping[line1]": "1 Main Street",
      "shipping[city]": "Springfield",
      "shipping[region]": "IL",
      "shipping[postal_code]": "62701",
      "shipping[country]": "us",
      billing_same: "on",
      payment_method: "cash",
    },
  });
  expect(placed.ok()).toBe(true);
  const orders = await (await page.request.post("/api/orders")).json();
  return orders[0].number;
}

/**
 * Register and confirm the address from the mail; forget the password and set a new one from
 * the mailed link (another browser's session ends); change the address and confirm the new one;
 * download the data; delete the account, after which signing in fails and the order stays without
 * the person. The same steps with and without JavaScript: every form here is a plain POST.
 */
export async function recoveryJourney(page: Page, browser: Browser, javaScript: boolean) {
  const email = uniqueEmail(javaScript ? "recover-js" : "recover-nojs");
  const newEmail = email.replace("@example.com", "@new.example.com");

  // Register: the account works at once, with a notice until the address is confirmed.
  await page.goto("/register");
  await ready(page, javaScript);
  await page.getByLabel("Name").fill("Ada Lovelace");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("unverified-notice")).toContainText("not confirmed yet");
  const verify = linkIn(await mailTo("verify_email", email), "/confirm-email");
  await page.goto(verify);
  await ready(page, javaScript);
  await page.getByRole("button", { name: "Confirm my e-mail address" }).click();
  await expect(page).toHaveURL(/\/account\?confirmed=address$/);
  await expect(page.getByRole("status").filter({ hasText: "your e-mail address is confirmed" })).toBeVisible();
  await expect(page.getByTestId("unverified-notice")).toHaveCount(0);
  const number = await placeOrder(page);

  // Another browser stays signed in meanwhile.
  const other = await browser.newContext({ javaScriptEnabled: javaScript });
  const otherPage = await other.newPage();
  await signIn(otherPage, javaScript, email, PASSWORD);

  // Forgot the password: the same answer for any address, the link in the mail.
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Forgot your password?");
  await ready(page, javaScript);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByRole("status").filter({ hasText: "If an account uses that address" })).toBeVisible();
  const reset = linkIn(await mailTo("password_reset", email), "/reset-password");
  await page.goto(reset);
  await ready(page, javaScript);
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.locator("#reset-password-error")).not.toBeEmpty();
  await ready(page, javaScript);
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/account\?password=reset$/);
  await expect(page.getByRole("status").filter({ hasText: "Your new password is set" })).toBeVisible();
  // The other browser's session is gone; the link is spent.
  await otherPage.goto("/account");
  await expect(otherPage).toHaveURL(/\/login\?next=%2Faccount$/);
  await other.close();
  await page.goto(reset);
  await expect(page.getByRole("alert")).toContainText("This link is no longer valid");

  // Change the address: nothing moves until the new one is confirmed; the old one is told.
  await page.goto("/account");
  await ready(page, javaScript);
  const profile = page.getByRole("region", { name: "Profile" });
  await profile.getByLabel("Email").fill(newEmail);
  await profile.getByLabel("Current password").fill(NEW_PASSWORD);
  await profile.getByRole("button", { name: "Change email" }).click();
  await expect(page).toHaveURL(/\/account\?email_change=sent$/);
  await expect(page.getByTestId("pending-email")).toContainText(newEmail);
  const confirmChange = linkIn(await mailTo("confirm_email_change", newEmail), "/confirm-email");
  await page.goto(confirmChange);
  await ready(page, javaScript);
  await page.getByRole("button", { name: "Confirm my e-mail address" }).click();
  await expect(page).toHaveURL(/\/account\?confirmed=new_address$/);
  await expect(page.getByRole("region", { name: "Profile" }).getByLabel("Email")).toHaveValue(newEmail);
  expect(await mailTo("email_changed", email)).toContain(newEmail);

  // Download everything the shop holds.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download my data" }).click(),
  ]);
  const data = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
  expect(data.profile.email).toBe(newEmail);
  expect(data.orders.map((o: { summary: { number: string } }) => o.summary.number)).toContain(number);

  // Delete the account: the box must be ticked, then signing in fails.
  await ready(page, javaScript);
  const privacy = page.getByRole("region", { name: "Your data" });
  await privacy.getByLabel("Current password").fill(NEW_PASSWORD);
  await privacy.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.locator("#delete-confirm-error")).toContainText("Tick the box");
  await ready(page, javaScript);
  await privacy.getByLabel("Current password").fill(NEW_PASSWORD);
  await privacy.getByLabel("I understand that deleting my account cannot be undone").check();
  await privacy.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/login\?deleted=1$/);
  await expect(page.getByRole("status").filter({ hasText: "Your account has been deleted" })).toBeVisible();
  await ready(page, javaScript);
  await page.getByLabel("Email").fill(newEmail);
  await page.getByLabel("Password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "The email or password is not right" })).toBeVisible();

  // The shop still has the order, without the person.
  await signIn(page, javaScript, "ops@example.com", "harbour lantern velvet across quiet");
  await page.goto(`/admin/orders/${number}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(number);
  await expect(page.locator("main")).not.toContainText("Ada Lovelace");
  await expect(page.locator("main")).not.toContainText("1 Main Street");
}
