import { defineConfig } from "@playwright/test";
import path from "node:path";

// The release server built by `make build`, on a fresh SQLite database per run.
const root = path.resolve(__dirname, "..");
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, "target");
const serverBin = process.env.E2E_SERVER_BIN ?? path.join(targetDir, "release", "server");
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(root, "target", "site");
const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = path.join(__dirname, ".data");
// The admin tests add products and move orders: they get a server and database of their own,
// so the catalog the other tests read stays the seed catalog.
const adminPort = port + 1;
const adminDataDir = path.join(__dirname, ".data-admin");

function shopServer(portNumber: number, data: string) {
  return {
    command: `rm -rf "${data}" && mkdir -p "${data}" && exec "${serverBin}"`,
    url: `http://127.0.0.1:${portNumber}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore" as const,
    stderr: "pipe" as const,
    env: {
      DATABASE_URL: `sqlite://${data}/e2e.db`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${portNumber}`,
      LEPTOS_SITE_ROOT: siteRoot,
      RUST_LOG: "warn",
      // Order e-mails as .eml files, which the shop journey reads.
      MAIL_DIR: path.join(data, "mail"),
      UPLOAD_DIR: path.join(data, "uploads"),
      // The start-up admin bootstrap, used by the admin page tests.
      ADMIN_EMAIL: "ops@example.com",
      ADMIN_PASSWORD: "harbour lantern velvet across quiet",
    },
  };
}

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  // One retry under CI only. Pages used to arrive now and then with a CSP lacking their script
  // nonce (hydration blocked); the header is now derived from the rendered page itself. The
  // retry stays until repeated runs show that was the whole story.
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromium,
    trace: "off",
  },
  projects: [
    { name: "hydrate", testMatch: /.*\.hydrate\.spec\.ts/, testIgnore: /admin\./, use: { javaScriptEnabled: true } },
    { name: "ssr", testMatch: /.*\.ssr\.spec\.ts/, testIgnore: /admin\./, use: { javaScriptEnabled: false } },
    {
      name: "admin-hydrate",
      testMatch: /admin\.hydrate\.spec\.ts/,
      use: { javaScriptEnabled: true, baseURL: `http://127.0.0.1:${adminPort}` },
    },
    {
      name: "admin-ssr",
      testMatch: /admin\.ssr\.spec\.ts/,
      use: { javaScriptEnabled: false, baseURL: `http://127.0.0.1:${adminPort}` },
    },
  ],
  webServer: [shopServer(port, dataDir), shopServer(adminPort, adminDataDir)],
});
