import { expect, test } from "@playwright/test";
import { collectProblems } from "./support";

// The anonymous page cache and the islands bundle, as a shopper's browser meets them.

test("a cached page hydrates its islands and adds to the cart", async ({ page }) => {
  const problems = collectProblems(page);
  // A signed-out visitor with no cookie: the second load of the same page is a cache hit. The
  // tests beside this one place orders on the same server, and each stock change makes stored
  // pages stale: load again until one comes from the cache.
  await page.request.get("/products?category=audio");
  await expect
    .poll(async () => (await page.goto("/products?category=audio"))?.headers()["x-page-cache"], { timeout: 10_000 })
    .toBe("hit");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");

  await page.locator("article.product-card").first().getByRole("button", { name: "Add to cart" }).click();
  const drawer = page.getByRole("dialog", { name: "Shopping cart" });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole("listitem")).toHaveCount(1);
  await expect(page.getByRole("banner").getByRole("link", { name: "Cart (1)" })).toBeVisible();
  // Added in place: the page did not load again.
  expect(new URL(page.url()).search).toBe("?category=audio");
  expect(problems).toEqual([]);
});

test("a visitor who has a cart never gets a cached page", async ({ page }) => {
  await page.goto("/");
  await page.goto("/");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.locator("article.product-card").first().getByRole("button", { name: "Add to cart" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Cart (1)" })).toBeVisible();

  // The cart lives in a session now: every page is rendered for this visitor.
  for (const path of ["/", "/products?category=audio", "/products"]) {
    const response = await page.goto(path);
    expect(response?.headers()["x-page-cache"], path).toBeUndefined();
    await expect(page.getByRole("banner").getByRole("link", { name: "Cart (1)" })).toBeVisible();
  }
});

test("storefront pages fetch no chart code and no admin code", async ({ page }) => {
  const wasm: string[] = [];
  page.on("request", (request) => {
    if (/\.wasm$/.test(new URL(request.url()).pathname)) wasm.push(new URL(request.url()).pathname);
  });
  for (const path of ["/", "/products?category=audio", "/products/skyline-mini-drone"]) {
    await page.goto(path);
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
  // Only the islands' main module: the metrics dashboard and its chart drawing are chunks of
  // their own, and the back office has no browser code at all.
  expect(wasm.length).toBeGreaterThan(0);
  for (const file of wasm) expect(file).toMatch(/^\/pkg\/cloudscale[^/]*\.wasm$/);
});

test("the storefront's code and styles are content-hashed and cached for a year", async ({ page }) => {
  const assets = new Map<string, string | undefined>();
  page.on("response", (response) => {
    const path = new URL(response.url()).pathname;
    if (/^\/pkg\/.*\.(js|wasm|css)$/.test(path)) assets.set(path, response.headers()["cache-control"]);
  });
  await page.goto("/");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");

  const kinds = [...assets.keys()].map((path) => path.split(".").pop());
  expect(new Set(kinds)).toEqual(new Set(["js", "wasm", "css"]));
  for (const [path, cacheControl] of assets) {
    // A new build gets new names, so a year-long cache can never pair new pages with old code.
    expect(path).toMatch(/\.[A-Za-z0-9_-]{22}\.(js|wasm|css)$/);
    expect(cacheControl, path).toBe("public, max-age=31536000, immutable");
  }
});

test("the cart's code arrives only when the shopper reaches for it", async ({ page }) => {
  const problems = collectProblems(page);
  const chunks: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (/^\/pkg\/(split_|chunk_)/.test(path)) chunks.push(path);
  });
  await page.goto("/products?category=audio");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  // Hydrated with the main module alone: the islands parse no props and call no server yet.
  expect(chunks).toEqual([]);

  // Pointing at "Add to cart" fetches the cart's chunks; none of them is chart code.
  const button = page.locator("article.product-card").first().getByRole("button", { name: "Add to cart" });
  await button.hover();
  await expect.poll(() => chunks.length).toBeGreaterThan(0);
  await button.click();
  const drawer = page.getByRole("dialog", { name: "Shopping cart" });
  await expect(drawer.getByRole("listitem")).toHaveCount(1);
  await expect(page.getByRole("banner").getByRole("link", { name: "Cart (1)" })).toBeVisible();

  // Closed and opened again from the header, the drawer fetches the cart and shows the line.
  await drawer.getByRole("button", { name: "Close" }).click();
  await expect(drawer).toBeHidden();
  await page.getByRole("banner").getByRole("link", { name: "Cart (1)" }).click();
  await expect(drawer.getByRole("listitem")).toHaveCount(1);
  await drawer.getByRole("button", { name: "Increase quantity" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Cart (2)" })).toBeVisible();

  expect(chunks.filter((path) => /dashboard/.test(path))).toEqual([]);
  expect(problems).toEqual([]);
});
