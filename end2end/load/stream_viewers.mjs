// Opens VIEWERS concurrent connections to the monitoring stream for SECONDS and reports how many
// frames each received. Usage: node stream_viewers.mjs URL VIEWERS SECONDS
import http from "node:http";

const [url, viewersArg, secondsArg] = process.argv.slice(2);
const viewers = Number(viewersArg ?? 1000);
const seconds = Number(secondsArg ?? 30);
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const counts = new Array(viewers).fill(0);
let failed = 0;
let opened = 0;
const requests = [];

for (let i = 0; i < viewers; i++) {
  const request = http.get(url, { agent, headers: { accept: "text/event-stream" } }, (response) => {
    if (response.statusCode !== 200) {
      failed++;
      response.resume();
      return;
    }
    opened++;
    response.setEncoding("utf8");
    let buffer = "";
    response.on("data", (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        if (buffer.slice(0, end).includes("event: frame")) counts[i]++;
        buffer = buffer.slice(end + 2);
      }
    });
  });
  request.on("error", () => failed++);
  requests.push(request);
}

// Everyone connected first: count only the measured window.
await new Promise((resolve) => setTimeout(resolve, 3000));
const start = counts.slice();
console.log(`READY ${opened} ${failed}`);
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const got = counts.map((c, i) => c - start[i]).sort((a, b) => a - b);
const total = got.reduce((a, b) => a + b, 0);
console.log(`RESULT ${opened} ${failed} ${total} ${got[0]} ${got[Math.floor(got.length / 2)]} ${(total / seconds).toFixed(1)}`);
requests.forEach((r) => r.destroy());
process.exit(0);
