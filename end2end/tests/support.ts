import { expect, type Locator, type Page } from "@playwright/test";

/** Collects console errors and warnings (hydration problems among them) and uncaught errors. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return problems;
}

export interface AddressFields {
  fullName: string;
  line1: string;
  line2?: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  phone?: string;
}

/** Types an address into a fieldset that has the address form's labelled fields. */
export async function fillAddress(fieldset: Locator, address: AddressFields): Promise<void> {
  await fieldset.getByLabel("Full name").fill(address.fullName);
  await fieldset.getByLabel("Address line 1").fill(address.line1);
  if (address.line2 !== undefined) await fieldset.getByLabel("Address line 2").fill(address.line2);
  await fieldset.getByLabel("City").fill(address.city);
  await fieldset.getByLabel("Region").fill(address.region);
  await fieldset.getByLabel("Postal code").fill(address.postalCode);
  await fieldset.getByLabel("Country").fill(address.country);
  if (address.phone !== undefined) await fieldset.getByLabel("Phone").fill(address.phone);
}

/** On the checkout page: ships to `address`, pays with the test card and returns the order number. */
export async function placeOrderWithTestCard(page: Page, address: AddressFields): Promise<string> {
  await fillAddress(page.getByRole("group", { name: "Shipping address" }), address);
  await page.getByLabel("Test card").check();
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Place order" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Order confirmed");
  const confirmation = (await page.locator(".order__confirmed").textContent()) ?? "";
  const number = /CS-\d{6}/.exec(confirmation)?.[0];
  expect(number, confirmation).toBeTruthy();
  return number!;
}
