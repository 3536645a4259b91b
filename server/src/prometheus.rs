//! Prometheus exposition at `/metrics`: HTTP requests and latency by route and status, the
//! database pool, live sessions, and the simulator's gauges.
//!
//! Internal figures, so only loopback clients may read them, or anyone presenting
//! `METRICS_TOKEN` as a bearer token (what a scraper behind the load balancer does).

use app::server::{entities::session, state::AppState};
use axum::{
    extract::{ConnectInfo, MatchedPath, Request, State},
    http::{HeaderMap, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sea_orm::{ColumnTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryFilter};
use std::{
    collections::BTreeMap,
    fmt::Write,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::Instant,
};

/// Latency buckets in seconds (Prometheus' defaults).
const BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Clone, Debug, Default)]
struct RouteStats {
    count: u64,
    sum_secs: f64,
    /// Cumulative: requests at or below each bucket's bound.
    buckets: [u64; BUCKETS.len()],
}

/// Request counts and latency histograms, keyed by route pattern (not raw path, so an attacker
/// cannot create series) and status.
#[derive(Debug, Default)]
pub struct HttpMetrics {
    routes: Mutex<BTreeMap<(String, u16), RouteStats>>,
}

impl HttpMetrics {
    pub fn observe(&self, route: &str, status: u16, secs: f64) {
        let Ok(mut routes) = self.routes.lock() else { return };
        let stats = routes.entry((route.to_owned(), status)).or_default();
        stats.count += 1;
        stats.sum_secs += secs;
        for (bound, bucket) in BUCKETS.iter().zip(stats.buckets.iter_mut()) {
            if secs <= *bound {
                *bucket += 1;
            }
        }
    }

    fn render(&self, out: &mut String) {
        let Ok(routes) = self.routes.lock() else { return };
        let _ = writeln!(out, "# HELP cloudscale_http_requests_total HTTP requests by route pattern and status.");
        let _ = writeln!(out, "# TYPE cloudscale_http_requests_total counter");
        for ((route, status), stats) in routes.iter() {
            let _ = writeln!(
                out,
                "cloudscale_http_requests_total{{route=\"{}\",status=\"{status}\"}} {}",
                escape(route),
                stats.count
            );
        }
        let _ = writeln!(out, "# HELP cloudscale_http_request_duration_seconds Time to answer, by route pattern.");
        let _ = writeln!(out, "# TYPE cloudscale_http_request_duration_seconds histogram");
        let mut by_route: BTreeMap<&str, RouteStats> = BTreeMap::new();
        for ((route, _), stats) in routes.iter() {
            let merged = by_route.entry(route.as_str()).or_default();
            merged.count += stats.count;
            merged.sum_secs += stats.sum_secs;
            for (total, bucket) in merged.buckets.iter_mut().zip(stats.buckets) {
                *total += bucket;
            }
        }
        for (route, stats) in by_route {
            let route = escape(route);
            for (bound, bucket) in BUCKETS.iter().zip(stats.buckets) {
                let _ = writeln!(
                    out,
                    "cloudscale_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {bucket}"
                );
            }
            let _ = writeln!(
                out,
                "cloudscale_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                stats.count
            );
            let _ =
                writeln!(out, "cloudscale_http_request_duration_seconds_sum{{route=\"{route}\"}} {}", stats.sum_secs);
            let _ =
                writeln!(out, "cloudscale_http_request_duration_seconds_count{{route=\"{route}\"}} {}", stats.count);
        }
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Times every routed request.
pub async fn observe_requests(State(metrics): State<Arc<HttpMetrics>>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.observe(&route, response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

#[derive(Clone, Debug)]
pub struct MetricsEndpoint {
    pub http: Arc<HttpMetrics>,
    pub state: AppState,
    pub token: Option<Arc<str>>,
}

pub async fn metrics(
    State(endpoint): State<MetricsEndpoint>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    let allowed = match (&endpoint.token, bearer) {
        (Some(token), Some(given)) => constant_time_eq(token.as_bytes(), given.as_bytes()),
        _ => peer.ip().is_loopback(),
    };
    if !allowed {
        return (StatusCode::FORBIDDEN, "Metrics are for the operators' scraper.").into_response();
    }
    let mut out = String::new();
    endpoint.http.render(&mut out);
    render_database(&endpoint.state, &mut out).await;
    render_simulator(&endpoint.state, &mut out);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], out).into_response()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn gauge(out: &mut String, name: &str, help: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
}

async fn render_database(state: &AppState, out: &mut String) {
    let (size, idle) = match state.db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let pool = state.db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DatabaseBackend::Postgres => {
            let pool = state.db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    };
    gauge(out, "cloudscale_db_pool_connections", "Open database connections.", size);
    gauge(out, "cloudscale_db_pool_idle_connections", "Idle database connections.", idle);
    let live = session::Entity::find()
        .filter(session::Column::ExpiresAt.gt(chrono::Utc::now().timestamp()))
        .count(&state.db)
        .await;
    match live {
        Ok(count) => gauge(out, "cloudscale_sessions_active", "Unexpired sessions (all replicas).", count),
        Err(err) => tracing::warn!(%err, "could not count sessions for /metrics"),
    }
}

fn render_simulator(state: &AppState, out: &mut String) {
    let frame = state.simulator.latest();
    let s = &frame.snapshot;
    for (name, help, value) in [
        ("cloudscale_sim_time_seconds", "Simulated seconds since the simulation started.", s.sim_time),
        ("cloudscale_sim_requests_per_second", "Simulated load on the fleet.", s.requests_per_sec),
        ("cloudscale_sim_cpu_percent", "Average CPU of in-service instances.", s.cpu_percent),
        ("cloudscale_sim_latency_p95_ms", "Simulated p95 response time.", s.latency_p95_ms),
        ("cloudscale_sim_active_users", "Active users fed into the simulation.", f64::from(s.active_users)),
        ("cloudscale_sim_desired_capacity", "Auto Scaling group desired capacity.", f64::from(s.fleet.desired)),
        ("cloudscale_sim_in_service_instances", "Instances in service.", f64::from(s.fleet.in_service)),
        ("cloudscale_sim_hpa_replicas", "Replicas in the Kubernetes HPA view.", f64::from(s.hpa.replicas)),
    ] {
        gauge(out, name, help, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_counts_add_up() {
        let metrics = HttpMetrics::default();
        metrics.observe("/products", 200, 0.004);
        metrics.observe("/products", 200, 0.3);
        metrics.observe("/products", 404, 20.0);
        let mut out = String::new();
        metrics.render(&mut out);
        assert!(out.contains("cloudscale_http_requests_total{route=\"/products\",status=\"200\"} 2"));
        assert!(out.contains("cloudscale_http_request_duration_seconds_bucket{route=\"/products\",le=\"0.005\"} 1"));
        assert!(out.contains("cloudscale_http_request_duration_seconds_bucket{route=\"/products\",le=\"0.5\"} 2"));
        assert!(out.contains("cloudscale_http_request_duration_seconds_bucket{route=\"/products\",le=\"+Inf\"} 3"));
        assert!(out.contains("cloudscale_http_request_duration_seconds_count{route=\"/products\"} 3"));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
