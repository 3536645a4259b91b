// Shoppers that keep checking out while the fault suite kills and restarts the server under them.
//   node shoppers.mjs BASE_URL SHOPPERS PRODUCT_IDS CONFIRMED_FILE
// Runs until SIGTERM, then finishes what is in flight (retrying an order whose answer a crash
// swallowed, with the same idempotency key) and prints one JSON summary line. Every order number
// the shop confirmed is appended to CONFIRMED_FILE as it arrives, so the suite can check each
// one exists after the crashes.
import { appendFileSync } from "node:fs";
import { CASH_ON_DELIVERY, Shopper, placedOrderNumber } from "../lib/shopper.mjs";

const [base, shoppersArg, productsArg, confirmedFile] = process.argv.slice(2);
const productIds = productsArg.split(",").map(Number);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let stopping = false;
process.on("SIGTERM", () => {
  stopping = true;
});

const tally = { confirmed: 0, retried_after_crash: 0, network_errors: 0, server_errors: 0, refused: {} };
const refuse = (what) => {
  tally.refused[what] = (tally.refused[what] ?? 0) + 1;
};

// Calls until the server answers: a killed server shows up as a refused or reset connection.
async function answered(shopper, name, form) {
  let failedBefore = false;
  for (;;) {
    try {
      const answer = await shopper.call(name, form);
      if (answer.status < 500) return { answer, failedBefore };
      tally.server_errors += 1;
    } catch {
      tally.network_errors += 1;
    }
    failedBefore = true;
    await sleep(50);
  }
}

async function emptyCart(shopper) {
  for (const id of productIds) await answered(shopper, "remove_from_cart", `product_id=${id}`);
}

async function shop(shopper) {
  while (!stopping) {
    const productId = productIds[Math.floor(Math.random() * productIds.length)];
    const quantity = 1 + Math.floor(Math.random() * 2);
    const { answer: added } = await answered(shopper, "add_to_cart", `product_id=${productId}&quantity=${quantity}`);
    if (added.status !== 200) {
      refuse(`add_to_cart ${added.status}`);
      await emptyCart(shopper);
      continue;
    }
    const { answer: keyAnswer } = await answered(shopper, "checkout_key", "");
    const key = JSON.parse(keyAnswer.text);
    const { answer: placed, failedBefore } = await answered(shopper, "place_order", `idempotency_key=${key}&${CASH_ON_DELIVERY}`);
    const number = placedOrderNumber(placed);
    if (number) {
      tally.confirmed += 1;
      if (failedBefore) tally.retried_after_crash += 1;
      appendFileSync(confirmedFile, `${number}\n`);
    } else {
      refuse(`place_order ${placed.status}`);
      await emptyCart(shopper);
    }
  }
}

const people = [];
for (let i = 0; i < Number(shoppersArg); i += 1) {
  const shopper = new Shopper(base);
  await shopper.register(`Crash ${i}`, `crash.${Date.now()}.${i}@example.com`);
  people.push(shopper);
}
console.error(`${people.length} shoppers registered`);
await Promise.all(people.map(shop));
console.log(JSON.stringify(tally));
