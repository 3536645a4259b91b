// Availability probe for the PostgreSQL restart: asks the catalog API for a product every 50 ms
// (open loop: a slow answer does not delay the next request) for SECONDS, then prints every
// request's start time (ms since the epoch) and status as JSON (status 0: no answer in 8 s, longer
// than the shop's 5-second wait for a database connection).
//   node availability.mjs BASE_URL SECONDS
const [base, secondsArg] = process.argv.slice(2);
const url = `${base}/api/v1/products/aurora-wireless-headphones`;
const samples = [];
const pending = [];
const deadline = Date.now() + Number(secondsArg) * 1000;
while (Date.now() < deadline) {
  const sample = { at: Date.now(), status: 0 };
  samples.push(sample);
  pending.push(
    fetch(url, { signal: AbortSignal.timeout(8000) })
      .then(async (response) => {
        await response.arrayBuffer();
        sample.status = response.status;
      })
      .catch(() => {}),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await Promise.all(pending);
console.log(JSON.stringify(samples));
