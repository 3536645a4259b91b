// Checkout throughput: SHOPPERS signed-in customers, each in a loop of add to cart → checkout
// key → place order (cash on delivery), for SECONDS. Prints orders/s, latency of the
// place_order call and the answers other than success.
//   node checkout.mjs BASE_URL SHOPPERS SECONDS PRODUCT_ID
import { CASH_ON_DELIVERY, Shopper } from "../lib/shopper.mjs";

const [base, shoppersArg, secondsArg, productArg] = process.argv.slice(2);
const shoppers = Number(shoppersArg ?? 16);
const seconds = Number(secondsArg ?? 20);
const productId = Number(productArg);

const people = await Promise.all(
  Array.from({ length: shoppers }, async (_, i) => {
    const shopper = new Shopper(base);
    await shopper.register(`Load ${i}`, `load.${Date.now()}.${i}@example.com`);
    return shopper;
  }),
);

const latencies = [];
const failures = new Map();
let orders = 0;
const deadline = performance.now() + seconds * 1000;
const started = performance.now();
await Promise.all(
  people.map(async (shopper) => {
    while (performance.now() < deadline) {
      const added = await shopper.call("add_to_cart", `product_id=${productId}&quantity=1`);
      if (added.status !== 200) {
        failures.set(`add ${added.status}`, (failures.get(`add ${added.status}`) ?? 0) + 1);
        continue;
      }
      const key = JSON.parse((await shopper.call("checkout_key", "")).text);
      const t0 = performance.now();
      const placed = await shopper.call("place_order", `idempotency_key=${key}&${CASH_ON_DELIVERY}`);
      latencies.push(performance.now() - t0);
      if (placed.status === 200 || placed.status === 302 || placed.status === 303) orders += 1;
      else failures.set(`place_order ${placed.status}`, (failures.get(`place_order ${placed.status}`) ?? 0) + 1);
    }
  }),
);
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
console.log(
  `${orders} orders in ${elapsed.toFixed(1)} s = ${(orders / elapsed).toFixed(1)} orders/s ` +
    `(${shoppers} shoppers); place_order p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms; ` +
    `other answers: ${failures.size ? JSON.stringify(Object.fromEntries(failures)) : "none"}`,
);
