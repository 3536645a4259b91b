import { expect, type Browser, type Page } from "@playwright/test";
import { fillAddress } from "./support";

export const PASSWORD = "velvet lantern across quiet harbours";
export const NEW_PASSWORD = "orchard kettle under silver rain";

/** A fresh address per run and project, so journeys never collide. */
export function uniqueEmail(tag: string): string {
  return `ada.${tag}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.com`;
}

async function ready(page: Page, javaScript: boolean) {
  if (javaScript) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

const header = (page: Page) => page.getByRole("banner");

export async function signIn(page: Page, javaScript: boolean, email: string, password: string) {
  await page.goto("/login");
  await ready(page, javaScript);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your account");
}

async function signOut(page: Page) {
  await header(page).getByRole("button", { name: "Sign out" }).click();
  await expect(header(page).getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
}

/**
 * Register, sign out, sign in, edit the profile, add and edit an address, change the password,
 * sign in with the new one and sign out another device: the same steps with and without
 * JavaScript. Without it every form is a plain POST answered with a redirect.
 */
export async function accountJourney(page: Page, browser: Browser, javaScript: boolean) {
  const email = uniqueEmail(javaScript ? "js" : "nojs");

  // Registration, with a field-level message for a guessable password first.
  await page.goto("/products/aurora-wireless-headphones");
  await ready(page, javaScript);
  await header(page).getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/login\?next=%2Fproducts%2Faurora-wireless-headphones$/);
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Create an account");
  await ready(page, javaScript);
  await page.getByLabel("Name").fill("Ada Lovelace");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("passwordpassword");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#register-password-error")).toContainText("longer phrase");
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await ready(page, javaScript);
  await page.getByLabel("Name").fill("Ada Lovelace");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  // Back where the shopper came from, signed in.
  await expect(page).toHaveURL(/\/products\/aurora-wireless-headphones$/);
  await expect(header(page).getByRole("link", { name: "Account" })).toBeVisible();

  await signOut(page);
  await signIn(page, javaScript, email, PASSWORD);

  // Profile.
  const profile = page.getByRole("region", { name: "Profile" });
  await ready(page, javaScript);
  await profile.getByLabel("Name").fill("Ada King");
  await profile.getByLabel("Phone").fill("+44 20 7946 0958");
  await profile.getByRole("button", { name: "Save profile" }).click();
  // With JavaScript or without, the account forms are plain POSTs (the page holds no island):
  // the server answers with a redirect back to the freshly rendered page.
  await expect(page).toHaveURL(/\/account\?profile=saved$/);
  await expect(page.getByRole("status").filter({ hasText: "Your profile is saved." })).toBeVisible();
  await expect(profile.getByLabel("Name")).toHaveValue("Ada King");
  await expect(profile.getByLabel("Phone")).toHaveValue("+44 20 7946 0958");

  // Add an address.
  const addresses = page.getByRole("region", { name: "Addresses" });
  const newAddress = addresses.getByRole("group", { name: "New address" });
  await fillAddress(newAddress, {
    fullName: "Ada King",
    line1: "12 St James's Square",
    line2: "Flat 3",
    city: "London",
    region: "Greater London",
    postalCode: "SW1Y 4JH",
    country: "GB",
    phone: "+44 20 7946 0958",
  });
  await newAddress.getByRole("button", { name: "Add address" }).click();
  const card = addresses.getByRole("listitem").filter({ hasText: "12 St James's Square" });
  await expect(card).toContainText("London, Greater London SW1Y 4JH");
  await expect(card).toContainText("Default");
  await expect(newAddress.getByLabel("Full name")).toHaveValue("");

  // Edit it.
  await ready(page, javaScript);
  await card.getByText("Edit", { exact: true }).click();
  await card.getByLabel("City").fill("Westminster");
  await card.getByRole("button", { name: "Save address" }).click();
  await expect(addresses.getByRole("listitem").filter({ hasText: "12 St James's Square" })).toContainText(
    "Westminster, Greater London SW1Y 4JH",
  );

  // A second device signs in; this one signs it out.
  const other = await browser.newContext({ javaScriptEnabled: javaScript });
  const phone = await other.newPage();
  await signIn(phone, javaScript, email, PASSWORD);
  await page.reload();
  await ready(page, javaScript);
  const devices = page.getByRole("region", { name: "Devices" }).getByRole("listitem");
  await expect(devices).toHaveCount(2);
  await expect(devices.filter({ hasText: "This device" })).toHaveCount(1);
  await devices.filter({ hasNotText: "This device" }).getByRole("button", { name: "Sign out" }).click();
  await expect(devices).toHaveCount(1);
  await phone.goto("/account");
  await expect(phone).toHaveURL(/\/login\?next=%2Faccount$/);
  await other.close();

  // Change the password, then sign in with the new one.
  const password = page.getByRole("region", { name: "Password" });
  await ready(page, javaScript);
  await password.getByLabel("Current password").fill("not my password at all");
  await password.getByLabel("New password").fill(NEW_PASSWORD);
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(page.locator("#password-current-error")).toHaveText("That is not your current password.");
  await ready(page, javaScript);
  await password.getByLabel("Current password").fill(PASSWORD);
  await password.getByLabel("New password").fill(NEW_PASSWORD);
  await password.getByRole("button", { name: "Change password" }).click();
  // Redirected back to the account page with a notice, the earlier error gone from the URL.
  await expect(page).toHaveURL(/\/account\?password=changed$/);
  await expect(page.getByRole("status").filter({ hasText: "Your password was changed" })).toBeVisible();
  await expect(page.locator("#password-current-error")).toBeHidden();
  await signOut(page);
  await page.goto("/login");
  await ready(page, javaScript);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("The email or password is not right.");
  await signIn(page, javaScript, email, NEW_PASSWORD);
}
