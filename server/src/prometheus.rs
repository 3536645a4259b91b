//! Prometheus exposition at `/metrics`: HTTP requests and latency by route and status, the
//! process (CPU, memory, file descriptors), the database pool and whether the database answers,
//! live sessions, the business counters, and the simulator's gauges. The rules in
//! `terraform/monitoring/prometheus` alert on these names; `terraform/monitoring/grafana` charts
//! them.
//!
//! Internal figures, so only loopback clients may read them, or anyone presenting
//! `METRICS_TOKEN` as a bearer token (what a scraper behind the load balancer does).

use app::server::{business_metrics::BUSINESS, session_store::count_live_sessions, state::AppState};
use axum::{
    extract::{ConnectInfo, MatchedPath, Request, State},
    http::{HeaderMap, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sea_orm::DatabaseBackend;
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
    pub connections: Arc<crate::connections::ConnectionStats>,
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
    render_process(&mut out);
    render_connections(&endpoint.connections, &mut out);
    render_database(&endpoint.state, &mut out).await;
    render_business(&mut out);
    render_simulator(&endpoint.state, &mut out);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], out).into_response()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn gauge(out: &mut String, name: &str, help: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
}

fn counter(out: &mut String, name: &str, help: &str, value: u64) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}");
}

/// When this process started, for `process_start_time_seconds` (a restart shows as a new value).
static STARTED_AT: std::sync::OnceLock<f64> = std::sync::OnceLock::new();

/// Marks the process's start; called once at start-up.
pub fn mark_process_start() {
    STARTED_AT.get_or_init(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
    });
}

/// Open client connections, and those with a request on them (the rest wait, parked, for their
/// next request).
fn render_connections(connections: &crate::connections::ConnectionStats, out: &mut String) {
    gauge(out, "cloudscale_http_connections_open", "Open client connections.", connections.open());
    gauge(
        out,
        "cloudscale_http_connections_serving",
        "Client connections with a request being read or answered.",
        connections.serving(),
    );
}

/// The standard `process_*` metrics, read from /proc (absent elsewhere, as in Prometheus's own
/// client libraries).
fn render_process(out: &mut String) {
    let _ = writeln!(out, "# HELP cloudscale_build_info The running version.\n# TYPE cloudscale_build_info gauge");
    let _ = writeln!(out, "cloudscale_build_info{{version=\"{}\"}} 1", env!("CARGO_PKG_VERSION"));
    if let Some(started) = STARTED_AT.get() {
        gauge(out, "process_start_time_seconds", "Start time of the process since the Unix epoch.", started);
    }
    let Some(process) = ProcessFigures::read() else { return };
    let _ = writeln!(
        out,
        "# HELP process_cpu_seconds_total User and system CPU time spent.\n# TYPE process_cpu_seconds_total counter\n\
         process_cpu_seconds_total {}",
        process.cpu_seconds
    );
    gauge(out, "process_resident_memory_bytes", "Resident memory size.", process.resident_bytes);
    gauge(out, "process_open_fds", "Open file descriptors.", process.open_fds);
    if let Some(max) = process.max_fds {
        gauge(out, "process_max_fds", "The open file descriptor limit.", max);
    }
    gauge(out, "process_threads", "Operating system threads.", process.threads);
}

#[derive(Debug, PartialEq)]
struct ProcessFigures {
    cpu_seconds: f64,
    resident_bytes: u64,
    open_fds: usize,
    max_fds: Option<u64>,
    threads: u64,
}

/// Linux reports CPU time in USER_HZ ticks, 100 per second on every architecture (an ABI
/// constant, unlike the kernel's HZ).
const USER_HZ: f64 = 100.0;

impl ProcessFigures {
    fn read() -> Option<Self> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
        let open_fds = std::fs::read_dir("/proc/self/fd").map(Iterator::count).unwrap_or(0);
        Self::parse(&stat, &status, &limits, open_fds)
    }

    fn parse(stat: &str, status: &str, limits: &str, open_fds: usize) -> Option<Self> {
        // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        // utime and stime are fields 14 and 15; fields[0] is field 3.
        let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
        let status_value = |key: &str| {
            status.lines().find_map(|line| line.strip_prefix(key)?.split_whitespace().next()?.parse::<u64>().ok())
        };
        let max_fds = limits
            .lines()
            .find_map(|line| line.strip_prefix("Max open files")?.split_whitespace().next()?.parse().ok());
        Some(Self {
            cpu_seconds: ticks / USER_HZ,
            resident_bytes: status_value("VmRSS:")? * 1024,
            open_fds,
            max_fds,
            threads: status_value("Threads:")?,
        })
    }
}

fn render_business(out: &mut String) {
    let figures = BUSINESS.figures();
    counter(out, "cloudscale_orders_placed_total", "Orders placed.", figures.orders_placed);
    let _ = writeln!(
        out,
        "# HELP cloudscale_revenue_cents_total Order totals placed, in the currency's minor unit.\n\
         # TYPE cloudscale_revenue_cents_total counter"
    );
    for (currency, cents) in &figures.revenue_cents {
        let _ = writeln!(out, "cloudscale_revenue_cents_total{{currency=\"{}\"}} {cents}", escape(currency));
    }
    counter(out, "cloudscale_cart_additions_total", "Products added to carts.", figures.cart_additions);
    counter(out, "cloudscale_registrations_total", "Accounts registered.", figures.registrations);
    let _ = writeln!(
        out,
        "# HELP cloudscale_sign_ins_total Sign-in attempts by result.\n# TYPE cloudscale_sign_ins_total counter\n\
         cloudscale_sign_ins_total{{result=\"success\"}} {}\ncloudscale_sign_ins_total{{result=\"failure\"}} {}",
        figures.sign_ins, figures.failed_sign_ins
    );
}

async fn render_database(state: &AppState, out: &mut String) {
    let (size, idle, max) = match state.db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let pool = state.db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle(), pool.options().get_max_connections())
        }
        DatabaseBackend::Postgres => {
            let pool = state.db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle(), pool.options().get_max_connections())
        }
        _ => (0, 0, 0),
    };
    gauge(out, "cloudscale_db_pool_connections", "Open database connections.", size);
    gauge(out, "cloudscale_db_pool_idle_connections", "Idle database connections.", idle);
    gauge(out, "cloudscale_db_pool_max_connections", "The pool's connection limit.", max);
    // Counting live sessions doubles as the scrape's database probe.
    let started = Instant::now();
    let live = count_live_sessions(&state.db).await;
    gauge(
        out,
        "cloudscale_db_probe_seconds",
        "Time the scrape's database query took.",
        started.elapsed().as_secs_f64(),
    );
    gauge(out, "cloudscale_db_up", "Whether the scrape's database query succeeded.", u8::from(live.is_ok()));
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

    #[test]
    fn process_figures_come_from_proc_even_with_a_tricky_command_name() {
        let stat = "4242 (server (shop) x) S 1 4242 4242 0 -1 4194560 9000 0 0 0 1234 566 0 0 20 0 6 0 100 \
                    200000000 12000 18446744073709551615";
        let status = "Name:\tserver\nVmRSS:\t   81234 kB\nThreads:\t6\n";
        let limits = "Limit                     Soft Limit           Hard Limit           Units\n\
                      Max open files            20000                20000                files\n";
        let figures = ProcessFigures::parse(stat, status, limits, 17).unwrap();
        assert_eq!(
            figures,
            ProcessFigures {
                cpu_seconds: 18.0,
                resident_bytes: 81234 * 1024,
                open_fds: 17,
                max_fds: Some(20000),
                threads: 6
            }
        );
        assert_eq!(ProcessFigures::parse("garbage", status, limits, 0), None);
    }

    #[test]
    fn the_business_counters_are_exposed_with_their_types() {
        let mut out = String::new();
        render_business(&mut out);
        for line in [
            "# TYPE cloudscale_orders_placed_total counter",
            "# TYPE cloudscale_revenue_cents_total counter",
            "# TYPE cloudscale_cart_additions_total counter",
            "cloudscale_sign_ins_total{result=\"success\"}",
            "cloudscale_sign_ins_total{result=\"failure\"}",
        ] {
            assert!(out.contains(line), "{line} missing from {out}");
        }
    }
}
