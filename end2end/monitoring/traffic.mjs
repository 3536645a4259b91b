// Ordinary shop traffic for the monitoring test, so every dashboard panel has data: page views,
// a missing page, registrations, sign-ins (good and bad), cart additions and orders.
//   node traffic.mjs BASE_URL SECONDS
import { CASH_ON_DELIVERY, PASSWORD, Shopper, placedOrderNumber } from "../lib/shopper.mjs";

const [base, secondsArg] = process.argv.slice(2);
const deadline = performance.now() + Number(secondsArg ?? 15) * 1000;
const products = (await (await fetch(`${base}/api/v1/products`)).json()).items ?? [];
if (!products.length) throw new Error("the catalog API listed no products");

const counts = { pages: 0, orders: 0, additions: 0, signIns: 0, failedSignIns: 0, registrations: 0 };
let round = 0;
while (performance.now() < deadline) {
  round += 1;
  for (const path of ["/", "/products?category=audio", `/products/${products[round % products.length].slug}`, "/no-such-page"]) {
    await (await fetch(`${base}${path}`)).arrayBuffer();
    counts.pages += 1;
  }
  const email = `watch.${Date.now()}.${round}@example.com`;
  const shopper = new Shopper(base);
  await shopper.register(`Watcher ${round}`, email);
  counts.registrations += 1;
  const wrong = await shopper.call("sign_in", new URLSearchParams({ email, password: `${PASSWORD} typo` }).toString());
  if (wrong.status === 401) counts.failedSignIns += 1;
  await shopper.signIn(email);
  counts.signIns += 1;
  const added = await shopper.call("add_to_cart", `product_id=${products[round % products.length].id}&quantity=1`);
  if (added.status !== 200) continue;
  counts.additions += 1;
  const key = JSON.parse((await shopper.call("checkout_key", "")).text);
  if (placedOrderNumber(await shopper.call("place_order", `idempotency_key=${key}&${CASH_ON_DELIVERY}`))) counts.orders += 1;
}
console.log(JSON.stringify(counts));
if (!counts.orders || !counts.signIns || !counts.failedSignIns) process.exit(1);
