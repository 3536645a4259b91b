// Three shop replicas on one PostgreSQL database behind haproxy, on loopback ports.
//  1. Sessions: a signed-in client whose requests haproxy spreads round-robin over all replicas
//     stays signed in and sees one cart.
//  2. Rolling restart under load: RATE requests/s (pages, cart reads, cart writes) while each
//     replica in turn gets SIGTERM (it reports not-ready, drains, exits) and is started again.
// Prints the figures; exits 1 when a request failed, a session was lost or a cart write went
// missing.
//
//   node scale.mjs   (run by scale.sh, which provides the environment below)
import { spawn } from "node:child_process";
import { openSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const env = process.env;
const SERVER_BIN = env.SERVER_BIN;
const DATABASE_URL = env.SCALE_DATABASE_URL;
const WORKDIR = env.WORKDIR;
const RATE = Number(env.RATE ?? 100);
const DRAIN_SECS = Number(env.DRAIN_SECS ?? 2);
const BASE_PORT = Number(env.BASE_PORT ?? 3300);
const LB_PORT = BASE_PORT;
const STATS_PORT = BASE_PORT + 9;
const REPLICAS = ["r1", "r2", "r3"].map((name, i) => ({ name, port: BASE_PORT + 1 + i, child: null }));
const LB = `http://127.0.0.1:${LB_PORT}`;
const PASSWORD = "velvet lantern across quiet harbours";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const children = new Set();
const stopAll = () => children.forEach((child) => child.kill("SIGKILL"));
process.on("exit", stopAll);
process.on("SIGINT", () => process.exit(130));

function startReplica(replica) {
  const log = openSync(join(WORKDIR, `${replica.name}.log`), "a");
  const child = spawn(SERVER_BIN, ["serve"], {
    env: {
      ...env,
      DATABASE_URL,
      LEPTOS_SITE_ADDR: `127.0.0.1:${replica.port}`,
      PUBLIC_ORIGIN: LB,
      TRUSTED_PROXIES: "127.0.0.1",
      SHUTDOWN_DRAIN_SECS: String(DRAIN_SECS),
      MAIL_DIR: join(WORKDIR, "mail"),
      RUST_LOG: "warn",
    },
    stdio: ["ignore", log, log],
  });
  children.add(child);
  child.exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  child.exited.then(() => children.delete(child));
  replica.child = child;
}

async function until(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const ready = (port) => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200);

/** haproxy's view of each server: { r1: "UP", r2: "DOWN", ... }. */
async function lbStatus() {
  const csv = await (await fetch(`http://127.0.0.1:${STATS_PORT}/stats;csv`)).text();
  const [header, ...rows] = csv.trim().split("\n");
  const columns = header.replace(/^# /, "").split(",");
  const [px, sv, st] = ["pxname", "svname", "status"].map((c) => columns.indexOf(c));
  const status = {};
  for (const row of rows.map((r) => r.split(","))) if (row[px] === "replicas") status[row[sv]] = row[st];
  return status;
}

function startHaproxy() {
  const config = `
global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  option forwardfor
  # No retries, as with an AWS ALB: a request sent to a replica that has stopped fails, so
  # zero failures shows the replicas' own drain at work, not the balancer covering for them.
  retries 0
frontend shop
  bind 127.0.0.1:${LB_PORT}
  default_backend replicas
backend replicas
  balance roundrobin
  option httpchk
  http-check send meth GET uri /readyz
  http-check expect status 200
  http-response set-header X-Replica %s
  default-server inter 500ms fastinter 250ms downinter 500ms rise 2 fall 2
${REPLICAS.map((r) => `  server ${r.name} 127.0.0.1:${r.port} check`).join("\n")}
listen stats
  bind 127.0.0.1:${STATS_PORT}
  stats enable
  stats uri /stats
`;
  const path = join(WORKDIR, "haproxy.cfg");
  writeFileSync(path, config);
  const log = openSync(join(WORKDIR, "haproxy.log"), "a");
  const child = spawn(env.HAPROXY ?? "haproxy", ["-db", "-f", path], { stdio: ["ignore", log, log] });
  children.add(child);
}

/** A browser-like client: a cookie jar, server functions as form posts. */
class Client {
  constructor(name) {
    this.name = name;
    this.cookies = new Map();
  }
  headers(extra = {}) {
    const headers = { accept: "application/json", ...extra };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return headers;
  }
  remember(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  async request(method, path, body) {
    const headers = this.headers(body === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" });
    const response = await fetch(`${LB}${path}`, {
      method,
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(15_000),
    });
    this.remember(response);
    const text = await response.text();
    return { status: response.status, text, replica: response.headers.get("x-replica") };
  }
  call(name, form = "") {
    return this.request("POST", `/api/${name}`, form);
  }
}

async function register(name) {
  const client = new Client(name);
  client.email = `scale.${Date.now()}.${name}@example.com`;
  const form = new URLSearchParams({ name: `Scale ${name}`, email: client.email, password: PASSWORD }).toString();
  const answer = await client.call("register", form);
  if (answer.status >= 400) throw new Error(`register ${answer.status}: ${answer.text}`);
  return client;
}

const count = (cart) => cart.lines.reduce((sum, line) => sum + line.quantity, 0);

// ------------------------------------------------------------------ start the fleet
startReplica(REPLICAS[0]);
await until("r1 ready", () => ready(REPLICAS[0].port));
for (const replica of REPLICAS.slice(1)) startReplica(replica);
for (const replica of REPLICAS.slice(1)) await until(`${replica.name} ready`, () => ready(replica.port));
startHaproxy();
await until("haproxy to see three replicas up", async () =>
  Object.values(await lbStatus()).filter((s) => s === "UP").length === 3,
);

const products = JSON.parse(env.PRODUCT_IDS);
console.log(
  `scale test: ${REPLICAS.length} replicas on one PostgreSQL database behind haproxy ` +
    `(round-robin, /readyz checked every 500 ms, down after 2 failures); drain ${DRAIN_SECS} s`,
);

// ------------------------------------------------------------------ 1. one session, three replicas
const shopper = await register("shopper");
for (const [i, id] of products.slice(0, 3).entries()) {
  const added = await shopper.call("add_to_cart", `product_id=${id}&quantity=${i + 1}`);
  if (added.status !== 200) throw new Error(`add_to_cart ${added.status}: ${added.text}`);
}
const seen = new Map();
let signedIn = 0;
let sameCart = 0;
const ROUNDS = 30;
for (let i = 0; i < ROUNDS; i += 1) {
  const user = await shopper.call("current_user");
  const cart = await shopper.call("cart");
  for (const answer of [user, cart]) seen.set(answer.replica, (seen.get(answer.replica) ?? 0) + 1);
  if (user.status === 200 && JSON.parse(user.text)?.email === shopper.email) signedIn += 1;
  if (cart.status === 200 && count(JSON.parse(cart.text)) === 6) sameCart += 1;
}
const spread = [...seen].sort().map(([name, n]) => `${name} ${n}`).join(", ");
console.log(
  `sessions across replicas: ${ROUNDS * 2} requests of one signed-in client went to ${seen.size} replicas (${spread}); ` +
    `signed in on ${signedIn}/${ROUNDS}, the same 6-item cart on ${sameCart}/${ROUNDS}`,
);
const sessionsOk = seen.size === REPLICAS.length && signedIn === ROUNDS && sameCart === ROUNDS;

// ------------------------------------------------------------------ 2. rolling restart under load
const readers = await Promise.all(["reader1", "reader2"].map(register));
const writers = await Promise.all(["writer1", "writer2", "writer3", "writer4"].map(register));
writers.forEach((w) => (w.added = 0));
const stats = { sent: 0, ok: 0, failed: 0, sessionChecks: 0, sessionKept: 0, failures: new Map(), byReplica: new Map() };
const latencies = [];

function fail(kind) {
  stats.failed += 1;
  stats.failures.set(kind, (stats.failures.get(kind) ?? 0) + 1);
}

async function oneRequest(n) {
  const t0 = performance.now();
  const kind = n % 6;
  try {
    let answer;
    if (kind === 0) answer = await readers[n % 2].request("GET", "/");
    else if (kind === 1) answer = await readers[n % 2].request("GET", "/products");
    else if (kind === 2) answer = await readers[n % 2].request("GET", "/cart");
    else if (kind === 3 || kind === 4) {
      const reader = readers[n % 2];
      answer = await reader.call("current_user");
      stats.sessionChecks += 1;
      if (answer.status === 200 && JSON.parse(answer.text)?.email === reader.email) stats.sessionKept += 1;
    } else {
      const writer = writers[Math.floor(n / 6) % writers.length];
      const product = products[Math.floor(n / 24) % products.length];
      answer = await writer.call("add_to_cart", `product_id=${product}&quantity=1`);
      if (answer.status === 200) writer.added += 1;
    }
    latencies.push(performance.now() - t0);
    stats.byReplica.set(answer.replica, (stats.byReplica.get(answer.replica) ?? 0) + 1);
    if (answer.status >= 200 && answer.status < 400) stats.ok += 1;
    else fail(`HTTP ${answer.status}${answer.replica ? "" : " from haproxy"}`);
  } catch (error) {
    fail(error.name === "TimeoutError" ? "timeout" : `network: ${error.cause?.code ?? error.message}`);
  }
}

let loadRunning = true;
const inFlight = new Set();
const loadStarted = performance.now();
const load = (async () => {
  while (loadRunning) {
    const due = Math.floor(((performance.now() - loadStarted) / 1000) * RATE);
    while (stats.sent < due) {
      const request = oneRequest(stats.sent);
      inFlight.add(request);
      request.finally(() => inFlight.delete(request));
      stats.sent += 1;
    }
    await sleep(5);
  }
})();

await sleep(3000);
const restarts = [];
for (const replica of REPLICAS) {
  const t0 = performance.now();
  const old = replica.child;
  old.kill("SIGTERM");
  let markedDown = null;
  const watchDown = (async () => {
    while (markedDown === null && performance.now() - t0 < 30_000) {
      if ((await lbStatus().catch(() => ({})))[replica.name]?.startsWith("DOWN")) markedDown = performance.now() - t0;
      else await sleep(50);
    }
  })();
  const exit = await old.exited;
  const exitedAfter = performance.now() - t0;
  await watchDown;
  startReplica(replica);
  await until(`${replica.name} ready again`, () => ready(replica.port));
  await until(`haproxy to see ${replica.name} up`, async () => (await lbStatus())[replica.name] === "UP");
  const upAfter = performance.now() - t0;
  restarts.push({ name: replica.name, markedDown, exitedAfter, upAfter, exit });
  await sleep(1000);
}
await sleep(3000);
loadRunning = false;
await load;
await Promise.all([...inFlight]);
const elapsed = (performance.now() - loadStarted) / 1000;

for (const r of restarts) {
  const exit = r.exit.code === 0 ? "exit 0" : `exit ${r.exit.code ?? r.exit.signal}`;
  console.log(
    `restart ${r.name}: SIGTERM → haproxy marked it down after ${(r.markedDown / 1000).toFixed(2)} s → ` +
      `drained and stopped (${exit}) after ${(r.exitedAfter / 1000).toFixed(2)} s → back in rotation after ${(r.upAfter / 1000).toFixed(2)} s`,
  );
}

// Every cart write that was answered 200 is in the cart, once.
let inCarts = 0;
for (const writer of writers) inCarts += count(JSON.parse((await writer.call("cart")).text));
const added = writers.reduce((sum, w) => sum + w.added, 0);

latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
const spreadLoad = [...stats.byReplica].sort().map(([name, n]) => `${name ?? "none"} ${n}`).join(", ");
console.log(`requests sent: ${stats.sent} at ${RATE}/s over ${elapsed.toFixed(1)} s (${spreadLoad}); p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms`);
console.log(
  `failed during the rolling restart: ${stats.failed}` +
    (stats.failures.size ? ` (${[...stats.failures].map(([k, n]) => `${k}: ${n}`).join(", ")})` : ""),
);
console.log(`sessions kept across replicas: ${stats.sessionKept}/${stats.sessionChecks} signed-in checks during the restarts`);
console.log(`cart writes: ${added} answered 200, ${inCarts} items in the carts afterwards`);

const ok =
  sessionsOk &&
  stats.failed === 0 &&
  stats.sessionKept === stats.sessionChecks &&
  added === inCarts &&
  restarts.every((r) => r.exit.code === 0 && r.markedDown !== null && r.markedDown < r.exitedAfter);
console.log(ok ? "scale test passed" : "scale test FAILED");
stopAll();
process.exit(ok ? 0 : 1);
