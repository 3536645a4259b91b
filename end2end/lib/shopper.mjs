// A customer speaking to the shop's server functions the way the browser does (form bodies,
// cookies kept), shared by the checkout benchmark and the fault suite.
export const PASSWORD = "velvet lantern across quiet harbours";

export const CASH_ON_DELIVERY = new URLSearchParams({
  "shipping[kind]": "shipping",
  "shipping[full_name]": "Load Tester",
  "shipping[line1]": "1 Main Street",
  "shipping[city]": "Springfield",
  "shipping[region]": "IL",
  "shipping[postal_code]": "62701",
  "shipping[country]": "US",
  billing_same: "on",
  payment_method: "cash",
}).toString();

export class Shopper {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
  }

  /// POSTs a form to /api/<name>; resolves to { status, text, location }. Network errors reject.
  async call(name, form = "") {
    const headers = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const response = await fetch(`${this.base}/api/${name}`, {
      method: "POST",
      headers,
      body: form,
      redirect: "manual",
      signal: AbortSignal.timeout(10_000),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair.indexOf("=");
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return { status: response.status, text: await response.text(), location: response.headers.get("location") };
  }

  async register(name, email, password = PASSWORD) {
    const answer = await this.call("register", new URLSearchParams({ name, email, password }).toString());
    if (answer.status >= 400) throw new Error(`register ${answer.status}: ${answer.text}`);
    return answer;
  }

  async signIn(email, password = PASSWORD) {
    const answer = await this.call("sign_in", new URLSearchParams({ email, password }).toString());
    if (answer.status >= 400) throw new Error(`sign_in ${answer.status}: ${answer.text}`);
    return answer;
  }
}

/// The order number from a successful place_order answer (JSON string or a redirect), else null.
export function placedOrderNumber(answer) {
  if (answer.status === 200) {
    try {
      return JSON.parse(answer.text);
    } catch {
      return null;
    }
  }
  if ((answer.status === 302 || answer.status === 303) && answer.location) {
    return answer.location.match(/\/orders\/([^?]+)/)?.[1] ?? null;
  }
  return null;
}
