"""Property-based bad-input suite for every server function and page route.

For each server function (POST /api/<endpoint>) Hypothesis generates requests with malformed,
wrongly typed, negative, overflowing, over-long and broken-UTF-8 values, unknown, duplicated and
missing fields, deeply nested keys, JSON and garbage bodies, as a visitor, a customer and an
admin. The property: the shop never answers 5xx. Then every endpoint (and the image upload) gets
a 10 MB body, which must be refused with 413, and the page routes get hostile paths and queries.

    python fuzz_server_fns.py BASE_URL ADMIN_EMAIL ADMIN_PASSWORD [EXAMPLES]

Prints one figure per line and exits non-zero unless 5xx = 0 and every 10 MB body got 413; the
caller checks the server log for panics.
The table below must name every #[server] endpoint in app/src/server_fns (checked at start).
"""

import json
import pathlib
import re
import sys
import urllib.parse
import uuid

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BASE, ADMIN_EMAIL, ADMIN_PASSWORD = sys.argv[1:4]
EXAMPLES = int(sys.argv[4]) if len(sys.argv) > 4 else 120
API_SOURCES = pathlib.Path(__file__).resolve().parents[2] / "app" / "src" / "server_fns"
PASSWORD = "velvet lantern across quiet harbours"

S, OS, I32, OI32, U32, OU32, I64, ADDRESS, OADDRESS = (
    "str", "opt str", "i32", "opt i32", "u32", "opt u32", "i64", "address", "opt address")
ADDRESS_FIELDS = ["kind", "full_name", "line1", "line2", "city", "region", "postal_code", "country", "phone", "is_default"]

# endpoint -> (who can reach its code, [(argument, kind)])
ENDPOINTS = {
    "current_user": ("visitor", []),
    "register": ("visitor", [("name", S), ("email", S), ("password", S), ("next", OS)]),
    "sign_in": ("visitor", [("email", S), ("password", S), ("next", OS)]),
    "sign_out": ("customer", []),
    "profile": ("customer", []),
    "update_profile": ("customer", [("name", S), ("phone", S)]),
    "change_email": ("customer", [("email", S), ("current_password", S)]),
    "change_password": ("customer", [("current_password", S), ("new_password", S)]),
    "addresses": ("customer", []),
    "save_address": ("customer", [("id", OI32)] + [(f, S) for f in ADDRESS_FIELDS[:8]] + [("phone", OS), ("is_default", OS)]),
    "delete_address": ("customer", [("id", I32)]),
    "default_address": ("customer", [("id", I32)]),
    "devices": ("customer", []),
    "sign_out_device": ("customer", [("id", I32)]),
    "active_users": ("admin", [("minutes", U32)]),
    "simulator_control": ("admin", [("action", S)]),
    "admin_products": ("admin", [("q", OS), ("page", OU32)]),
    "admin_categories": ("admin", []),
    "admin_product": ("admin", [("id", I32)]),
    "save_product": ("admin", [("id", OI32), ("name", S), ("slug", S), ("sku", S), ("description", S), ("category", S),
                               ("price", S), ("stock", OS), ("active", OS), ("image_path", OS)]),
    "archive_product": ("admin", [("id", I32)]),
    "adjust_stock": ("admin", [("product_id", I32), ("change", S), ("reason", S), ("note", OS)]),
    "admin_orders": ("admin", [("status", OS), ("page", OU32)]),
    "admin_order": ("admin", [("number", S)]),
    "advance_order": ("admin", [("number", S), ("to", S), ("tracking_number", OS)]),
    "admin_customers": ("admin", [("page", OU32)]),
    "latest_products": ("visitor", [("offset", I64), ("limit", I64)]),
    "featured_products": ("visitor", []),
    "categories": ("visitor", []),
    "list_products": ("visitor", [("category", OS), ("q", OS), ("sort", OS), ("page", OS)]),
    "get_product": ("visitor", [("slug", S)]),
    "monitoring_overview": ("visitor", []),
    "fleet_status": ("visitor", []),
    "cart": ("customer", []),
    "add_to_cart": ("customer", [("product_id", I32), ("quantity", OI32)]),
    "update_cart": ("customer", [("product_id", I32), ("quantity", I32)]),
    "remove_from_cart": ("customer", [("product_id", I32)]),
    "checkout_key": ("customer", []),
    "place_order": ("customer", [("idempotency_key", S), ("shipping_choice", OS), ("shipping", OADDRESS), ("billing_same", OS),
                                 ("billing", OADDRESS), ("payment_method", S), ("card_number", OS), ("save_address", OS)]),
    "orders": ("customer", []),
    "order": ("customer", [("number", S)]),
    "cancel_order": ("customer", [("number", S)]),
}

PLAUSIBLE = {
    "email": ["fuzz@example.com", "a@b.co"], "password": [PASSWORD], "kind": ["shipping", "billing"],
    "country": ["US", "GB", "DE"], "postal_code": ["62701", "SW1A 1AA"], "action": ["spike", "fail", "drift", "reset", "nope"],
    "reason": ["restock", "returned", "damaged", "correction", "sale"], "change": ["5", "-2", "+3"],
    "price": ["19.99", "0.5", "1000000"], "payment_method": ["cash", "test_card"], "card_number": ["4242424242424242", "4000000000000002"],
    "to": ["paid", "processing", "shipped", "delivered", "cancelled"], "sort": ["price_asc", "price_desc", "newest", "name"],
    "category": ["audio", "home", "wearables"], "slug": ["aurora-wireless-headphones", "nope"], "number": ["CS-00000001"],
    "next": ["/orders", "//evil.example", "https://evil.example"], "image_path": ["/images/products/placeholder.svg", "/etc/passwd"],
    "idempotency_key": [str(uuid.uuid4())], "status": ["paid", "shipped", "bogus"], "tracking_number": ["1Z999AA1", "x"],
}
HOSTILE_TEXT = [
    "", " ", "\x00", "'", "\"", "' OR '1'='1", "1; DROP TABLE orders; --", "%", "_", "\\", "<script>alert(1)</script>",
    "../../etc/passwd", "\u202e\u0000\ufeff", "𝕱𝖚𝖟𝖟 🛒", "a" * 5000, "é" * 3000, "{{7*7}}", "${jndi:ldap://x}",
    "-1", "0", "99999999999999999999999999", "NaN", "1e309", "null", "[]", "{}",
]
HOSTILE_NUMBERS = [
    "", "-1", "0", "-0", "2147483647", "2147483648", "-2147483649", "4294967296", "9223372036854775807",
    "9223372036854775808", "-9223372036854775809", "1e3", "1.5", "NaN", "inf", "0x10", " 7", "7 ", "٣", "true", "null",
]


def hostile_bytes():
    """Bytes that are not UTF-8, percent-encoded or raw."""
    return st.sampled_from([b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"abc\x80", b"\xf8\x88\x80\x80\x80"])


def value_for(name, kind):
    if kind in (I32, OI32, U32, OU32, I64):
        number = st.one_of(
            st.integers(min_value=-3, max_value=60).map(str),
            st.integers(min_value=-(2**80), max_value=2**80).map(str),
            st.sampled_from(HOSTILE_NUMBERS),
        )
        return st.one_of(number.map(str.encode), hostile_bytes())
    text = st.one_of(
        st.sampled_from(PLAUSIBLE.get(name, ["Fuzz value"])),
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=200),
    )
    return st.one_of(text.map(lambda t: t.encode("utf-8", "surrogatepass")), hostile_bytes(), st.binary(max_size=64))


@st.composite
def form_pairs(draw, args):
    """(key bytes, value bytes) pairs for an urlencoded body: fields dropped, doubled, renamed."""
    pairs = []
    for name, kind in args:
        if kind.startswith("opt") and draw(st.booleans()):
            continue
        if draw(st.integers(0, 19)) == 0:  # a required field missing now and then
            continue
        if kind in (ADDRESS, OADDRESS):
            for field in ADDRESS_FIELDS:
                if draw(st.integers(0, 9)):
                    pairs.append((f"{name}[{field}]".encode(), draw(value_for(field, S))))
            continue
        pairs.append((name.encode(), draw(value_for(name, kind))))
        if draw(st.integers(0, 14)) == 0:
            pairs.append((name.encode(), draw(value_for(name, kind))))
    if draw(st.integers(0, 4)) == 0:
        pairs.append((draw(st.sampled_from([b"unknown", b"__proto__", b"a[b][c]", b"id[]", b"", b"\xff"])), b"1"))
    return draw(st.permutations(pairs))


def urlencode(pairs):
    return b"&".join(urllib.parse.quote_from_bytes(k).encode() + b"=" + urllib.parse.quote_from_bytes(v).encode() for k, v in pairs)


@st.composite
def request_body(draw, args):
    """(content type, body bytes)."""
    shape = draw(st.sampled_from(["form"] * 6 + ["raw form", "json", "deep keys", "deep json", "garbage", "empty"]))
    form = "application/x-www-form-urlencoded"
    if shape == "form":
        return form, urlencode(draw(form_pairs(args)))
    if shape == "raw form":  # values not percent-encoded at all
        return form, b"&".join(k + b"=" + v for k, v in draw(form_pairs(args)))
    if shape == "json":
        value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                             lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4))
        body = {name: draw(value) for name, _ in args} if draw(st.booleans()) else draw(value)
        return draw(st.sampled_from(["application/json", form])), json.dumps(body).encode()
    if shape == "deep keys":
        depth = draw(st.sampled_from([64, 1000, 5000]))
        name = (args[0][0] if args else "x").encode()
        return form, name + b"[a]" * depth + b"=1"
    if shape == "deep json":
        depth = draw(st.sampled_from([128, 10000, 20000]))
        return "application/json", b"[" * depth + b"]" * depth
    if shape == "garbage":
        return draw(st.sampled_from([form, "multipart/form-data; boundary=x", "text/plain", "application/cbor"])), draw(st.binary(max_size=512))
    return form, b""


class Accounts:
    """A signed-in session per role, renewed before each endpoint (a fuzzed sign-out ends one)."""

    def __init__(self):
        self.customer_email = f"fuzz.{uuid.uuid4().hex[:12]}@example.com"
        visitor = requests.Session()
        answer = visitor.post(f"{BASE}/api/register", data={"name": "Fuzz Customer", "email": self.customer_email, "password": PASSWORD},
                              headers={"accept": "application/json"})
        answer.raise_for_status()

    def session(self, role):
        session = requests.Session()
        if role == "visitor":
            return session
        email, password = (ADMIN_EMAIL, ADMIN_PASSWORD) if role == "admin" else (self.customer_email, PASSWORD)
        answer = session.post(f"{BASE}/api/sign_in", data={"email": email, "password": password}, headers={"accept": "application/json"})
        answer.raise_for_status()
        if role == "customer":  # something in the cart, so checkout code runs deep
            session.post(f"{BASE}/api/add_to_cart", data={"product_id": "1", "quantity": "1"}, headers={"accept": "application/json"})
        return session


failures = []
requests_sent = 0
server_errors = 0


def counted(answer):
    global requests_sent, server_errors
    requests_sent += 1
    server_errors += answer.status_code >= 500
    return answer


def post(session, endpoint, content_type, body):
    headers = {"content-type": content_type, "accept": "application/json"}
    return counted(session.post(f"{BASE}/api/{endpoint}", data=body, headers=headers, allow_redirects=False, timeout=30))


def fuzz_endpoint(endpoint, role, args, session):
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(request_body(args))
    def never_answers_5xx(case):
        content_type, body = case
        answer = post(session, endpoint, content_type, body)
        assert answer.status_code < 500, f"{answer.status_code} {answer.text[:200]!r} for {content_type} {body[:300]!r}"

    try:
        never_answers_5xx()
    except AssertionError as failure:
        failures.append(f"/api/{endpoint} as {role}: {str(failure).splitlines()[0]}")


def check_endpoints_cover_the_source():
    declared = set()
    for source in API_SOURCES.glob("*.rs"):
        declared |= set(re.findall(r'#\[server\(endpoint = "(\w+)"', source.read_text()))
    missing, stale = declared - ENDPOINTS.keys(), ENDPOINTS.keys() - declared
    if missing or stale:
        sys.exit(f"the fuzz table is out of date: not fuzzed {sorted(missing)}, no longer in the source {sorted(stale)}")
    return len(declared)


def oversized_bodies(accounts):
    """Every endpoint, and the image upload, refuses 10 MB with 413."""
    global requests_sent
    ten_mb = b"a=" + b"x" * (10 * 1024 * 1024)
    admin = accounts.session("admin")
    wrong = []
    targets = [f"/api/{endpoint}" for endpoint in ENDPOINTS] + ["/admin/products/1/image"]
    for path in targets:
        requests_sent += 1
        try:
            answer = admin.post(f"{BASE}{path}", data=ten_mb, headers={"content-type": "application/x-www-form-urlencoded"},
                                allow_redirects=False, timeout=30)
            status = answer.status_code
        except requests.ConnectionError:
            status = "connection closed before an answer"
        if status != 413:
            wrong.append(f"{path}: {status}")
    return len(targets), wrong


PAGE_PATHS = ["/", "/products", "/products/{}", "/login", "/register", "/account", "/admin", "/admin/products/new",
              "/admin/products/{}", "/admin/orders/{}", "/monitoring", "/cart", "/checkout", "/orders", "/orders/{}",
              "/api/v1/products", "/api/v1/products/{}", "/api/v1/categories", "/api/v1/{}", "/{}"]
QUERY_KEYS = ["category", "q", "sort", "page", "status", "next", "placed", "unknown", "page[]"]


def fuzz_pages(accounts):
    segment = st.one_of(st.sampled_from(["1", "-1", "0", "99999999999999999999", "%ff", "%00", "..%2f..%2fetc", "a" * 3000,
                                         "%F0%28%8C%28", "CS-00000001", "aurora-wireless-headphones"]),
                        st.text(max_size=40).map(lambda t: urllib.parse.quote(t.encode("utf-8", "surrogatepass"), safe="")))
    query = st.lists(st.tuples(st.sampled_from(QUERY_KEYS), segment), max_size=5).map(
        lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))
    admin = accounts.session("admin")

    @settings(max_examples=EXAMPLES * 4, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(PAGE_PATHS), segment, query)
    def pages_never_answer_5xx(template, part, params):
        path = template.replace("{}", part) + (f"?{params}" if params else "")
        answer = counted(admin.get(f"{BASE}{path}", allow_redirects=False, timeout=30))
        assert answer.status_code < 500, f"GET {path[:300]} answered {answer.status_code}"

    try:
        pages_never_answer_5xx()
    except AssertionError as failure:
        failures.append(str(failure).splitlines()[0])


def main():
    count = check_endpoints_cover_the_source()
    accounts = Accounts()
    for endpoint, (role, args) in ENDPOINTS.items():
        fuzz_endpoint(endpoint, role, args, accounts.session(role))
        if role != "visitor":  # and as a visitor, who must be turned away with a 4xx
            fuzz_endpoint(endpoint, "visitor", args, accounts.session("visitor"))
    fuzz_pages(accounts)
    oversized, not_413 = oversized_bodies(accounts)
    print(f"server functions fuzzed: {count} of {count}, {EXAMPLES} cases each per role")
    print(f"requests sent: {requests_sent}")
    print(f"5xx answers: {server_errors} (endpoints or routes with one: {len(failures)})")
    for failure in failures:
        print(f"  {failure}")
    print(f"10 MB bodies refused with 413: {oversized - len(not_413)} of {oversized}")
    for wrong in not_413:
        print(f"  {wrong}")
    sys.exit(1 if server_errors or not_413 or failures else 0)


if __name__ == "__main__":
    main()
