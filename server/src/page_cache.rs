//! The anonymous page cache: public pages rendered once and served to every signed-out visitor
//! for up to [`PAGE_TTL`].
//!
//! A page older than [`REFRESH_AFTER`] is rendered again by the first request that sees it,
//! while the requests arriving meanwhile still get the stored copy (it is younger than
//! [`PAGE_TTL`], so no visitor ever sees an older one). Without that, every request in flight
//! when a popular page expired rendered it at once, and the burst of renders every two seconds
//! was the tail of the mixed load's latency.
//!
//! Only a GET or HEAD without the session cookie, for a page that is the same for every
//! signed-out visitor ([`cache_key`]), is answered from it; only a 200 HTML render that sets no
//! cookie is stored. An entry is dropped when it is older than [`PAGE_TTL`] or when the catalog
//! changed after its render started (`catalog_version`), so a change shows at once on this
//! replica and within two seconds on the others, and the footer's fleet figures are at most two
//! seconds old. Per-response headers (request id, security headers, `Connection: close` while
//! draining) are added by the layers outside this one; the CSP names the page's inline scripts
//! by hash ([`crate::security`]), so it is valid for every visitor of a stored page.

use crate::security::ScriptHashes;
use app::server::{
    catalog_version::{self, Stamp},
    monitoring::TrafficMeter,
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex, RwLock},
    time::{Duration, Instant},
};

/// How long a stored page is served at most.
pub const PAGE_TTL: Duration = Duration::from_secs(2);
/// From this age on, one request renders a replacement while the others are still served.
const REFRESH_AFTER: Duration = Duration::from_millis(1_500);
/// Pages kept at most; beyond this the oldest half is dropped.
const MAX_ENTRIES: usize = 4096;
/// A rendered page bigger than this is not stored.
const MAX_BODY: usize = 1024 * 1024;
/// Whether a response came from the cache, for tests and curious operators.
pub const CACHE_HEADER: &str = "x-page-cache";

/// The public pages and the query parameters each one reads; any other parameter (Leptos's
/// no-JavaScript `__err`/`__path` among them) passes the request by.
fn known_parameters(path: &str) -> Option<&'static [&'static str]> {
    match path {
        "/" => Some(&["shown"]),
        "/products" => Some(&["category", "q", "sort", "page"]),
        "/monitoring" => Some(&[]),
        "/login" | "/register" => Some(&["next"]),
        _ => {
            let slug = path.strip_prefix("/products/").or_else(|| path.strip_prefix("/pages/"))?;
            (!slug.is_empty() && !slug.contains('/')).then_some(&[])
        }
    }
}

/// The cache key of a request, or `None` when it must be rendered: not GET/HEAD, a session
/// cookie, a path that is not public, or a query parameter the page does not know (or given
/// twice). Known parameters are sorted, so `?b=1&a=2` and `?a=2&b=1` share an entry.
pub fn cache_key(
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    cookie: &str,
) -> Option<String> {
    if method != Method::GET && method != Method::HEAD {
        return None;
    }
    if has_cookie(headers, cookie) {
        return None;
    }
    let known = known_parameters(path)?;
    let mut pairs: Vec<&str> = query.unwrap_or_default().split('&').filter(|pair| !pair.is_empty()).collect();
    for pair in &pairs {
        let name = pair.split_once('=').map_or(*pair, |(name, _)| name);
        if !known.contains(&name) {
            return None;
        }
    }
    pairs.sort_unstable();
    let names = || pairs.iter().map(|pair| pair.split_once('=').map_or(*pair, |(name, _)| name));
    if names().zip(names().skip(1)).any(|(a, b)| a == b) {
        return None;
    }
    Some(if pairs.is_empty() { path.to_owned() } else { format!("{path}?{}", pairs.join("&")) })
}

fn has_cookie(headers: &HeaderMap, name: &str) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|value| value.split(';').any(|pair| pair.trim().split_once('=').is_some_and(|(cookie, _)| cookie == name)))
}

/// One stored page.
struct Entry {
    /// Stored after the render, at the catalog version read before it started.
    stamp: Stamp,
    content_type: HeaderValue,
    body: Bytes,
    /// The same body compressed once, at store time.
    brotli: Option<Bytes>,
    scripts: ScriptHashes,
}

/// The stored pages by cache key, and the keys one request is rendering again.
#[derive(Default)]
struct Shelf {
    entries: RwLock<HashMap<String, Arc<Entry>>>,
    refreshing: Mutex<HashSet<String>>,
}

/// What the cache holds for a request.
enum Lookup {
    /// Serve it.
    Fresh(Arc<Entry>),
    /// Still servable, but due for a new render: whoever claims the refresh renders.
    Ageing(Arc<Entry>),
    /// Nothing servable: render.
    Miss,
}

/// One request's right to render a key again; released when dropped, even when the client
/// goes away mid-render and the request's future is dropped with it.
struct RefreshClaim {
    shelf: Arc<Shelf>,
    key: String,
}

impl Drop for RefreshClaim {
    fn drop(&mut self) {
        if let Ok(mut refreshing) = self.shelf.refreshing.lock() {
            refreshing.remove(&self.key);
        }
    }
}

/// The cache's handle: cheap to clone; `enabled: false` passes everything by.
#[derive(Clone)]
pub struct PageCache {
    shelf: Option<Arc<Shelf>>,
    session_cookie: &'static str,
    traffic: TrafficMeter,
}

impl PageCache {
    pub fn new(enabled: bool, session_cookie: &'static str, traffic: TrafficMeter) -> Self {
        Self { shelf: enabled.then(Default::default), session_cookie, traffic }
    }

    fn lookup(&self, key: &str, now: Instant, version: u64) -> Lookup {
        let Some(entry) = self.shelf.as_ref().and_then(|shelf| shelf.entries.read().ok()?.get(key).cloned()) else {
            return Lookup::Miss;
        };
        if entry.stamp.is_fresh(now, version, REFRESH_AFTER) {
            Lookup::Fresh(entry)
        } else if entry.stamp.is_fresh(now, version, PAGE_TTL) {
            Lookup::Ageing(entry)
        } else {
            Lookup::Miss
        }
    }

    /// The right to render `key` again, unless another request already has it.
    fn claim_refresh(&self, key: &str) -> Option<RefreshClaim> {
        let shelf = self.shelf.as_ref()?;
        shelf
            .refreshing
            .lock()
            .ok()?
            .insert(key.to_owned())
            .then(|| RefreshClaim { shelf: Arc::clone(shelf), key: key.to_owned() })
    }

    fn store(&self, key: String, entry: Entry) {
        let Some(shelf) = &self.shelf else { return };
        let Ok(mut entries) = shelf.entries.write() else { return };
        if entries.len() >= MAX_ENTRIES {
            let now = Instant::now();
            entries.retain(|_, kept| now.saturating_duration_since(kept.stamp.read_at) < PAGE_TTL);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key, Arc::new(entry));
    }
}

/// The middleware: answers from the cache, or renders and stores.
pub async fn serve(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    if cache.shelf.is_none() {
        return next.run(request).await;
    }
    let Some(key) = cache_key(
        request.method(),
        request.uri().path(),
        request.uri().query(),
        request.headers(),
        cache.session_cookie,
    ) else {
        return next.run(request).await;
    };
    let version = catalog_version::current();
    let hit = match cache.lookup(&key, Instant::now(), version) {
        Lookup::Fresh(entry) => Some(entry),
        // A HEAD is never stored, so it does not take the refresh from a GET.
        Lookup::Ageing(entry) if request.method() == Method::GET => match cache.claim_refresh(&key) {
            // Held until this render is stored (or abandoned).
            Some(claim) => return render_and_store(&cache, key, version, request, next, Some(claim)).await,
            None => Some(entry),
        },
        Lookup::Ageing(entry) => Some(entry),
        Lookup::Miss => None,
    };
    if let Some(entry) = hit {
        // A hit is still traffic for the simulator (and `/metrics`, counted outside).
        cache.traffic.record_request();
        return answer(&entry, request.method() == Method::HEAD, accepts_brotli(request.headers()));
    }
    render_and_store(&cache, key, version, request, next, None).await
}

/// Renders the page and stores it when it may be (`_claim` is released once that is done).
async fn render_and_store(
    cache: &PageCache,
    key: String,
    version: u64,
    request: Request,
    next: Next,
    _claim: Option<RefreshClaim>,
) -> Response {
    let head = request.method() == Method::HEAD;
    let response = next.run(request).await;
    if head || !storable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(%err, "could not read a rendered page for the page cache");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let content_type =
        parts.headers.get(header::CONTENT_TYPE).cloned().unwrap_or(HeaderValue::from_static("text/html"));
    let scripts = ScriptHashes::of_page(&body);
    let stamp = Stamp { read_at: Instant::now(), version };
    let entry = Entry { stamp, content_type, brotli: compress(&body), body, scripts };
    let mut response = Response::from_parts(parts, Body::from(entry.body.clone()));
    response.extensions_mut().insert(entry.scripts.clone());
    response.headers_mut().insert(CACHE_HEADER, HeaderValue::from_static("miss"));
    cache.store(key, entry);
    response
}

/// A 200 HTML page that sets no cookie and whose length is known to fit.
fn storable(response: &Response) -> bool {
    let headers = response.headers();
    response.status() == StatusCode::OK
        && !headers.contains_key(header::SET_COOKIE)
        && !headers.contains_key(header::CONTENT_ENCODING)
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/html"))
}

fn accepts_brotli(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|value| value.to_str().ok()).any(|value| {
        value.split(',').any(|coding| {
            let mut parts = coding.trim().split(';');
            parts.next().is_some_and(|name| name.trim() == "br")
                && !parts.any(|param| param.trim().replace(' ', "") == "q=0")
        })
    })
}

fn compress(body: &[u8]) -> Option<Bytes> {
    let params = brotli::enc::BrotliEncoderParams { quality: 5, ..Default::default() };
    let mut out = Vec::with_capacity(body.len() / 4);
    brotli::BrotliCompress(&mut &body[..], &mut out, &params).ok()?;
    Some(out.into())
}

fn answer(entry: &Entry, head: bool, brotli: bool) -> Response {
    let (body, encoded) = match (&entry.brotli, brotli) {
        (Some(compressed), true) => (compressed.clone(), true),
        _ => (entry.body.clone(), false),
    };
    let length = body.len();
    let mut response = if head { Response::new(Body::empty()) } else { Response::new(Body::from(body)) };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, entry.content_type.clone());
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(CACHE_HEADER, HeaderValue::from_static("hit"));
    if encoded {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
    }
    response.extensions_mut().insert(entry.scripts.clone());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    const COOKIE: &str = "session";

    fn key(path: &str, query: Option<&str>) -> Option<String> {
        cache_key(&Method::GET, path, query, &HeaderMap::new(), COOKIE)
    }

    #[test]
    fn public_pages_are_keyed_on_their_path_and_sorted_known_parameters() {
        assert_eq!(key("/", None).as_deref(), Some("/"));
        assert_eq!(key("/", Some("shown=24")).as_deref(), Some("/?shown=24"));
        assert_eq!(
            key("/products", Some("sort=price-asc&category=audio")).as_deref(),
            Some("/products?category=audio&sort=price-asc")
        );
        assert_eq!(key("/products/skyline-mini-drone", None).as_deref(), Some("/products/skyline-mini-drone"));
        assert_eq!(key("/monitoring", None).as_deref(), Some("/monitoring"));
        assert_eq!(key("/login", Some("next=%2Fcheckout")).as_deref(), Some("/login?next=%2Fcheckout"));
        assert_eq!(key("/pages/privacy", None).as_deref(), Some("/pages/privacy"));
    }

    #[test]
    fn unknown_repeated_or_form_error_parameters_bypass_the_cache() {
        assert_eq!(key("/", Some("utm_source=mail")), None);
        assert_eq!(key("/products", Some("page=1&page=2")), None);
        assert_eq!(key("/login", Some("__path=%2Fapi%2Fsign_in&__err=x")), None);
        assert_eq!(key("/products/skyline-mini-drone", Some("shown=2")), None);
    }

    #[test]
    fn personal_and_unknown_pages_are_never_cached() {
        for path in [
            "/cart",
            "/checkout",
            "/account",
            "/account/export",
            "/orders",
            "/orders/CS-000001",
            "/admin",
            "/products/a/b",
            "/forgot-password",
            "/reset-password",
            "/confirm-email",
            "/nope",
        ] {
            assert_eq!(key(path, None), None, "{path}");
        }
    }

    #[test]
    fn a_session_cookie_or_a_write_method_bypasses_the_cache() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("theme=dark; session=abc"));
        assert_eq!(cache_key(&Method::GET, "/", None, &headers, COOKIE), None);
        let mut other = HeaderMap::new();
        other.insert(header::COOKIE, HeaderValue::from_static("sessionx=1; theme=dark"));
        assert_eq!(cache_key(&Method::GET, "/", None, &other, COOKIE).as_deref(), Some("/"));
        assert_eq!(cache_key(&Method::HEAD, "/", None, &HeaderMap::new(), COOKIE).as_deref(), Some("/"));
        assert_eq!(cache_key(&Method::POST, "/", None, &HeaderMap::new(), COOKIE), None);
    }

    fn entry(read_at: Instant, version: u64) -> Entry {
        Entry {
            stamp: Stamp { read_at, version },
            content_type: HeaderValue::from_static("text/html"),
            body: Bytes::from_static(b"<p>hi</p>"),
            brotli: None,
            scripts: ScriptHashes::of_page(b""),
        }
    }

    fn servable(lookup: &Lookup) -> bool {
        !matches!(lookup, Lookup::Miss)
    }

    #[test]
    fn a_stored_page_is_served_until_the_ttl_or_a_catalog_change() {
        let cache = PageCache::new(true, COOKIE, TrafficMeter::default());
        let stored = Instant::now();
        cache.store("/".to_owned(), entry(stored, 7));
        assert!(matches!(cache.lookup("/", stored + Duration::from_millis(1_499), 7), Lookup::Fresh(_)));
        assert!(servable(&cache.lookup("/", stored + Duration::from_millis(1_999), 7)));
        assert!(!servable(&cache.lookup("/", stored + PAGE_TTL, 7)));
        assert!(!servable(&cache.lookup("/", stored, 8)));
        assert!(!servable(&cache.lookup("/products", stored, 7)));
    }

    #[test]
    fn an_ageing_page_is_rendered_again_by_one_request_while_the_others_are_served() {
        let cache = PageCache::new(true, COOKIE, TrafficMeter::default());
        let stored = Instant::now();
        cache.store("/".to_owned(), entry(stored, 7));
        assert!(matches!(cache.lookup("/", stored + REFRESH_AFTER, 7), Lookup::Ageing(_)));
        let first = cache.claim_refresh("/");
        assert!(first.is_some());
        assert!(cache.claim_refresh("/").is_none(), "a second request must not render it too");
        assert!(cache.claim_refresh("/products").is_some(), "claims are per page");
        drop(first);
        assert!(cache.claim_refresh("/").is_some(), "a finished or abandoned render frees the claim");
    }

    #[test]
    fn a_disabled_cache_stores_nothing() {
        let cache = PageCache::new(false, COOKIE, TrafficMeter::default());
        let stored = Instant::now();
        cache.store("/".to_owned(), entry(stored, 7));
        assert!(!servable(&cache.lookup("/", stored, 7)));
        assert!(cache.claim_refresh("/").is_none());
    }

    #[test]
    fn brotli_is_served_only_to_clients_that_accept_it() {
        let accepts = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
            accepts_brotli(&headers)
        };
        assert!(accepts("gzip, deflate, br"));
        assert!(accepts("br;q=0.5"));
        assert!(!accepts("br;q=0"));
        assert!(!accepts("gzip, brotli"));
        assert!(!accepts_brotli(&HeaderMap::new()));
    }

    #[test]
    fn a_stored_page_compresses_and_decompresses_to_the_same_bytes() {
        let page = "<html><body>".to_owned() + &"<p>gadgets</p>".repeat(200) + "</body></html>";
        let compressed = compress(page.as_bytes()).unwrap();
        assert!(compressed.len() < page.len() / 4);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &compressed[..], &mut out).unwrap();
        assert_eq!(out, page.as_bytes());
    }
}
