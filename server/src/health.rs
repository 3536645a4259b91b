//! Probes for load balancers and orchestrators.

use app::server::state::AppState;
use axum::{extract::State, http::StatusCode, response::IntoResponse};
use std::time::Duration;

/// Liveness: the process is up and serving requests. Touches nothing else.
pub async fn healthz() -> impl IntoResponse {
    "ok"
}

/// Readiness: the database answers within two seconds; 503 otherwise, so a load balancer
/// stops sending shoppers to a replica that cannot serve them.
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match tokio::time::timeout(Duration::from_secs(2), state.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(err)) => {
            tracing::warn!(%err, "not ready: database ping failed");
            (StatusCode::SERVICE_UNAVAILABLE, "not ready: database unavailable")
        }
        Err(_) => {
            tracing::warn!("not ready: database ping timed out");
            (StatusCode::SERVICE_UNAVAILABLE, "not ready: database unavailable")
        }
    }
}
