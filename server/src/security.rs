//! Request hygiene for every route: cross-site request refusal, security headers and a body
//! size limit.

use app::{domain::error::AppError, server::security::content_security_policy};
use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::sync::Arc;

/// Server-function arguments and forms are small; anything bigger is refused with 413.
pub const MAX_REQUEST_BODY: usize = 64 * 1024;
/// An uploaded product image plus the multipart framing around it.
pub const MAX_UPLOAD_BODY: usize = app::domain::admin::MAX_IMAGE_BYTES + 64 * 1024;

/// The one route that takes large bodies: the admin's image upload.
fn takes_uploads(path: &str) -> bool {
    path.starts_with("/admin/products/") && path.ends_with("/image")
}

/// Caps every request body (413 beyond it): 64 KiB, or the image limit on the upload route.
/// A declared length over the cap is refused before reading; an undeclared (chunked) body is cut
/// off at the cap, which the body's reader reports as 413.
pub async fn limit_request_body(request: Request, next: Next) -> Response {
    let limit = if takes_uploads(request.uri().path()) { MAX_UPLOAD_BODY } else { MAX_REQUEST_BODY };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "The request body is too large.").into_response();
    }
    next.run(request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit)))).await
}

/// PostgreSQL text cannot hold U+0000 and no field here has a use for it, so a page query or a
/// server-function body carrying one (`%00`, a raw zero byte, or JSON's `\u0000`) is refused
/// with 400 before any handler sees it, instead of failing later as a database error (500).
/// `/api/v1` validates its own parameters and answers in problem+json; uploads are binary.
pub async fn refuse_nul_characters(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with("/api/v1/") || takes_uploads(path) {
        return next.run(request).await;
    }
    let json = path.starts_with("/api/");
    if contains_nul(request.uri().path().as_bytes())
        || request.uri().query().is_some_and(|q| contains_nul(q.as_bytes()))
    {
        return nul_refused(json);
    }
    let textual =
        request.headers().get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).is_some_and(|value| {
            value.starts_with("application/x-www-form-urlencoded") || value.starts_with("application/json")
        });
    if !textual {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // The body limit layer outside this one has already capped the body.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(err) if is_length_limit(&err) => {
            return (StatusCode::PAYLOAD_TOO_LARGE, "The request body is too large.").into_response();
        }
        Err(_) => return (StatusCode::BAD_REQUEST, "The request body could not be read.").into_response(),
    };
    if contains_nul(&bytes) {
        return nul_refused(json);
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

fn contains_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0) || bytes.windows(3).any(|w| w == b"%00") || bytes.windows(6).any(|w| w == b"\\u0000")
}

fn is_length_limit(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(cause) = source {
        if cause.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = cause.source();
    }
    false
}

fn nul_refused(json: bool) -> Response {
    let error = AppError::BadRequest { message: "Text fields cannot contain NUL characters.".into() };
    if json {
        let body = serde_json::to_string(&error).unwrap_or_default();
        (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        (StatusCode::BAD_REQUEST, "Text fields cannot contain NUL characters.").into_response()
    }
}

/// What the CSRF guard and header middleware need to know about the deployment.
#[derive(Clone, Debug)]
pub struct SecurityPolicy {
    pub public_origin: Arc<str>,
    pub production: bool,
    /// Bearer token that opens `/metrics` to non-loopback scrapers.
    pub metrics_token: Option<Arc<str>>,
}

/// Refuses state-changing requests a browser sent on behalf of another site. Browsers send
/// `Sec-Fetch-Site` (it must be `same-origin`, or `none` for a user's own navigation); older
/// ones send `Origin`, which must be ours. Requests with neither come from non-browser clients,
/// which carry no ambient cookies worth forging.
pub async fn csrf_guard(State(policy): State<SecurityPolicy>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    match cross_site_reason(request.headers(), &policy.public_origin) {
        None => next.run(request).await,
        Some(reason) => {
            tracing::warn!(reason, path = %request.uri().path(), "refused a cross-site request");
            refuse(request.uri().path().starts_with("/api/"))
        }
    }
}

fn cross_site_reason(headers: &HeaderMap, public_origin: &str) -> Option<&'static str> {
    if let Some(site) = headers.get("sec-fetch-site") {
        return match site.as_bytes() {
            b"same-origin" | b"none" => None,
            _ => Some("Sec-Fetch-Site is not same-origin"),
        };
    }
    match headers.get(header::ORIGIN) {
        Some(origin) if origin.as_bytes() != public_origin.as_bytes() => Some("Origin is not this shop"),
        _ => None,
    }
}

fn refuse(json: bool) -> Response {
    if json {
        let body = serde_json::to_string(&AppError::Forbidden).unwrap_or_default();
        (StatusCode::FORBIDDEN, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        (StatusCode::FORBIDDEN, "This request came from another site and was refused.").into_response()
    }
}

/// Rendered pages are small; a bigger HTML body is passed through with the hash-less policy.
const MAX_SCANNED_HTML: usize = 4 * 1024 * 1024;

/// The `'sha256-…'` sources of a page's inline scripts. A policy that names scripts by hash
/// instead of a per-response nonce stays valid for every visitor of a cached page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScriptHashes(Arc<[String]>);

impl ScriptHashes {
    /// Hashes the body of every `<script>` without `src` (JSON-LD and other data blocks too:
    /// naming them does no harm, and telling them apart is not worth the parsing).
    pub fn of_page(html: &[u8]) -> Self {
        use base64::Engine;
        use sha2::{Digest, Sha256};
        let Ok(text) = std::str::from_utf8(html) else { return Self::default() };
        let mut hashes = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("<script") {
            rest = &rest[start + "<script".len()..];
            let Some(tag_end) = rest.find('>') else { break };
            let attributes = &rest[..tag_end];
            rest = &rest[tag_end + 1..];
            let Some(close) = rest.find("</script") else { break };
            let content = &rest[..close];
            rest = &rest[close..];
            if attributes.contains(" src=") || content.is_empty() {
                continue;
            }
            let digest = Sha256::digest(content.as_bytes());
            let source = format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest));
            if !hashes.contains(&source) {
                hashes.push(source);
            }
        }
        Self(hashes.into())
    }

    pub fn sources(&self) -> &[String] {
        &self.0
    }
}

/// Headers every response carries. An HTML page's CSP names the hashes of its own inline
/// scripts, read from the rendered document (or handed over by the page cache), so header and
/// scripts always agree.
pub async fn security_headers(State(policy): State<SecurityPolicy>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let known = response.extensions_mut().remove::<ScriptHashes>();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    let (parts, body) = response.into_parts();
    let (body, scripts) = match known {
        Some(scripts) => (body, scripts),
        None if is_html && !parts.headers.contains_key(header::CONTENT_ENCODING) => {
            match axum::body::to_bytes(body, MAX_SCANNED_HTML).await {
                Ok(bytes) => {
                    let scripts = ScriptHashes::of_page(&bytes);
                    (axum::body::Body::from(bytes), scripts)
                }
                Err(err) => {
                    tracing::error!(%err, "could not read a page to hash its scripts");
                    return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                }
            }
        }
        None => (body, ScriptHashes::default()),
    };
    let mut response = Response::from_parts(parts, body);
    let headers = response.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&content_security_policy(scripts.sources(), !policy.production)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(self)"),
    );
    if policy.production {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_image_upload_route_takes_large_bodies() {
        assert!(takes_uploads("/admin/products/42/image"));
        for path in ["/api/save_product", "/admin/products/42", "/api/v1/products", "/images/x.png"] {
            assert!(!takes_uploads(path), "{path}");
        }
    }

    #[test]
    fn nul_characters_are_found_raw_percent_encoded_and_json_escaped() {
        assert!(contains_nul(b"slug=%00"));
        assert!(contains_nul(b"a\0b"));
        assert!(contains_nul(br#"{"q":"\u0000"}"#));
        assert!(!contains_nul(b"price=100&q=%2500"));
        assert!(!contains_nul(b"note=50%25+off"));
    }

    #[test]
    fn inline_scripts_are_named_by_their_sha256_and_external_ones_are_not() {
        let page = br#"<script type="module" nonce="x">alert(1)</script><script src="/pkg/a.js"></script>
            <script type="module">alert(1)</script><script>alert(2)</script>"#;
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            ScriptHashes::of_page(page).sources(),
            [
                "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='",
                "'sha256-4axlHpxgDbFzJObpXPFZgZhULrEGgJiud3OwxN9unHg='"
            ]
        );
        assert!(ScriptHashes::of_page(b"<p>no scripts</p>").sources().is_empty());
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    const ORIGIN: &str = "https://shop.example";

    #[test]
    fn same_origin_and_user_initiated_requests_pass() {
        assert_eq!(cross_site_reason(&headers(&[("sec-fetch-site", "same-origin")]), ORIGIN), None);
        assert_eq!(cross_site_reason(&headers(&[("sec-fetch-site", "none")]), ORIGIN), None);
        assert_eq!(cross_site_reason(&headers(&[("origin", "https://shop.example")]), ORIGIN), None);
        assert_eq!(cross_site_reason(&headers(&[]), ORIGIN), None);
    }

    #[test]
    fn cross_site_and_same_site_requests_are_refused() {
        for site in ["cross-site", "same-site"] {
            let map = headers(&[("sec-fetch-site", site), ("origin", "https://shop.example")]);
            assert!(cross_site_reason(&map, ORIGIN).is_some(), "{site}");
        }
        assert!(cross_site_reason(&headers(&[("origin", "http://evil.example")]), ORIGIN).is_some());
        assert!(cross_site_reason(&headers(&[("origin", "null")]), ORIGIN).is_some());
    }
}
