//! Sessions and who is behind a request: the cookie and session layers (axum-login on
//! tower-sessions, stored in the shop's database), the client address behind trusted proxies,
//! the absolute sign-in lifetime, and the session activity record.

use crate::config::{IpNet, SessionSettings};
use app::server::{
    auth::{AuthSession, Backend, ClientIp, SIGNED_IN_AT_KEY},
    services::activity::{self, Sighting},
    session_store::{AUTH_DATA_KEY, DbSessionStore},
};
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, header},
    middleware::Next,
    response::Response,
};
use axum_login::{
    AuthManagerLayer, AuthManagerLayerBuilder,
    tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite, cookie::time},
};
use sea_orm::DatabaseConnection;
use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// `__Host-` cookies must be Secure, host-only and on `/`: a subdomain cannot plant or read them.
pub const PRODUCTION_COOKIE: &str = "__Host-session";
/// Plain-HTTP development and tests cannot use the prefix (it requires Secure).
pub const DEVELOPMENT_COOKIE: &str = "session";

/// Activity is written, and the idle expiry pushed back, at most this often per session.
const ACTIVITY_INTERVAL: Duration = Duration::from_secs(60);
/// The session key whose periodic update keeps an active session's idle expiry moving.
const LAST_SEEN_KEY: &str = "last_seen";

/// The store shares the backend's user handoff: it reads each session with its user and leaves
/// the row there, so a signed-in request costs one query instead of two.
pub fn auth_layer(
    db: DatabaseConnection,
    backend: Backend,
    settings: &SessionSettings,
    production: bool,
) -> AuthManagerLayer<Backend, DbSessionStore> {
    let idle = time::Duration::seconds(i64::try_from(settings.idle_timeout.as_secs()).unwrap_or(i64::MAX));
    let store = DbSessionStore::with_user_handoff(db, backend.users.clone());
    let sessions = SessionManagerLayer::new(store)
        .with_name(if production { PRODUCTION_COOKIE } else { DEVELOPMENT_COOKIE })
        .with_secure(production)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle));
    AuthManagerLayerBuilder::new(backend, sessions).build()
}

/// Who sent the request: the peer address, or, when the peer is a trusted proxy, the nearest
/// `X-Forwarded-For` hop that is not one of ours (hops further left are client-controlled).
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|hop| hop.trim().parse::<IpAddr>())
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    hops.into_iter().rev().find(|hop| !is_trusted(*hop)).unwrap_or(peer)
}

#[derive(Clone, Debug)]
pub struct ClientIpPolicy {
    pub trusted_proxies: Arc<[IpNet]>,
}

/// Puts the client address on the request for lockout records, logs and session activity.
pub async fn record_client_ip(State(policy): State<ClientIpPolicy>, mut request: Request, next: Next) -> Response {
    let peer =
        request.extensions().get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::from([0, 0, 0, 0]), |info| info.0.ip());
    let ip = client_ip(peer, request.headers(), &policy.trusted_proxies);
    request.extensions_mut().insert(ClientIp(ip.to_string()));
    next.run(request).await
}

#[derive(Clone)]
pub struct ActivityTracker {
    db: DatabaseConnection,
    absolute_timeout: Duration,
    /// When each session was last recorded by this replica.
    recorded: Arc<Mutex<HashMap<String, Instant>>>,
}

impl ActivityTracker {
    pub fn new(db: DatabaseConnection, settings: &SessionSettings) -> Self {
        Self { db, absolute_timeout: settings.absolute_timeout, recorded: Arc::default() }
    }

    /// True when this session is due for a record, claiming the slot.
    fn due(&self, session_id: &str, now: Instant) -> bool {
        let Ok(mut recorded) = self.recorded.lock() else { return true };
        if recorded.len() > 50_000 {
            recorded.retain(|_, at| now.duration_since(*at) < ACTIVITY_INTERVAL);
        }
        match recorded.get(session_id) {
            Some(at) if now.duration_since(*at) < ACTIVITY_INTERVAL => false,
            _ => {
                recorded.insert(session_id.to_owned(), now);
                true
            }
        }
    }
}

/// Ends sign-ins older than the absolute lifetime, then, after the request, records where and
/// when the session was seen (at most once a minute) and pushes its idle expiry back.
pub async fn track_sessions(State(tracker): State<ActivityTracker>, mut request: Request, next: Next) -> Response {
    let Some(mut auth) = request.extensions().get::<AuthSession>().cloned() else {
        return next.run(request).await;
    };
    if auth.user.is_some() {
        let signed_in_at = auth.session.get::<i64>(SIGNED_IN_AT_KEY).await.ok().flatten().unwrap_or(0);
        let age = chrono::Utc::now().timestamp().saturating_sub(signed_in_at);
        if age > i64::try_from(tracker.absolute_timeout.as_secs()).unwrap_or(i64::MAX) {
            if let Err(err) = auth.logout().await {
                tracing::error!(%err, "could not end an expired sign-in");
            }
            tracing::info!("sign-in reached its absolute lifetime and was ended");
            request.extensions_mut().insert(auth.clone());
        }
    }
    let user_agent = header_text(request.headers(), header::USER_AGENT);
    let client_ip = request.extensions().get::<ClientIp>().map(|ip| ip.0.clone()).unwrap_or_default();
    let response = next.run(request).await;

    // No id: no session yet, or one just ended or renewed (the next request records it).
    let Some(session_id) = auth.session.id().map(|id| id.to_string()) else { return response };
    if !tracker.due(&session_id, Instant::now()) {
        return response;
    }
    let user_id = auth
        .session
        .get_value(AUTH_DATA_KEY)
        .await
        .ok()
        .flatten()
        .and_then(|data| data.get("user_id").and_then(serde_json::Value::as_i64))
        .and_then(|id| i32::try_from(id).ok());
    let now = chrono::Utc::now();
    let sighting = Sighting { session_id, user_id, client_ip, user_agent, at: now };
    if let Err(err) = activity::record(&tracker.db, sighting).await {
        tracing::warn!(%err, "could not record session activity");
    }
    if let Err(err) = auth.session.insert(LAST_SEEN_KEY, now.timestamp()).await {
        tracing::warn!(%err, "could not extend the session");
    }
    response
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> String {
    headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static(value));
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
        let headers = forwarded("1.2.3.4");
        assert_eq!(client_ip(ip("203.0.113.9"), &headers, &[]), ip("203.0.113.9"));
        let proxies = ["10.0.0.0/8".parse().unwrap()];
        assert_eq!(client_ip(ip("203.0.113.9"), &headers, &proxies), ip("203.0.113.9"));
        assert_eq!(client_ip(ip("10.0.0.2"), &headers, &proxies), ip("1.2.3.4"));
    }

    #[test]
    fn the_nearest_untrusted_hop_wins_over_spoofed_ones_further_left() {
        let proxies = ["10.0.0.0/8".parse().unwrap()];
        let headers = forwarded("6.6.6.6, 198.51.100.7, 10.0.0.3");
        assert_eq!(client_ip(ip("10.0.0.2"), &headers, &proxies), ip("198.51.100.7"));
        // Garbage in the header: fall back to the proxy itself rather than guess.
        assert_eq!(client_ip(ip("10.0.0.2"), &forwarded("not an ip"), &proxies), ip("10.0.0.2"));
    }
}
