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

/// What the CSRF guard and header middleware need to know about the deployment.
#[derive(Clone, Debug)]
pub struct SecurityPolicy {
    pub public_origin: Arc<str>,
    pub production: bool,
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

/// Headers every response carries. Pages set their own CSP (with the script nonce); everything
/// else gets the same policy without one.
pub async fn security_headers(State(policy): State<SecurityPolicy>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(csp) = HeaderValue::from_str(&content_security_policy(None, !policy.production))
    {
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
