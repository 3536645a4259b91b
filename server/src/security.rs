//! Request hygiene for every route: cross-site request refusal, security headers and a body
//! size limit.

use app::{error::AppError, server::security::content_security_policy};
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
pub const MAX_UPLOAD_BODY: usize = app::admin::MAX_IMAGE_BYTES + 64 * 1024;

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
    let error = AppError::BadRequest { message: "text fields cannot contain NUL characters".into() };
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

/// Rendered pages are small; a bigger HTML body is passed through with the nonce-less policy.
const MAX_SCANNED_HTML: usize = 4 * 1024 * 1024;

/// Headers every response carries. An HTML page's CSP names the nonce its own scripts carry,
/// read from the rendered document itself, so header and scripts always agree.
pub async fn security_headers(State(policy): State<SecurityPolicy>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    let (parts, body) = response.into_parts();
    let (body, nonce) = if is_html && !parts.headers.contains_key(header::CONTENT_ENCODING) {
        match axum::body::to_bytes(body, MAX_SCANNED_HTML).await {
            Ok(bytes) => {
                let nonce = script_nonce(&bytes);
                (axum::body::Body::from(bytes), nonce)
            }
            Err(err) => {
                tracing::error!(%err, "could not read a page to find its script nonce");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
    } else {
        (body, None)
    };
    let mut response = Response::from_parts(parts, body);
    let headers = response.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&content_security_policy(nonce.as_deref(), !policy.production)) {
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

/// The nonce on the page's first `<script nonce="…">`: Leptos puts the same one on all of them.
fn script_nonce(html: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(html).ok()?;
    let start = text.find(" nonce=\"")? + " nonce=\"".len();
    let value: String =
        text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || "-_+/=".contains(*c)).collect();
    (!value.is_empty() && value.len() <= 128).then_some(value)
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
    fn the_nonce_is_read_from_the_pages_scripts() {
        assert_eq!(script_nonce(b"<script type=\"module\" nonce=\"abc-123_x\">").as_deref(), Some("abc-123_x"));
        assert_eq!(script_nonce(b"<p>no scripts</p>"), None);
        assert_eq!(script_nonce(b"<script nonce=\"\">"), None);
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
