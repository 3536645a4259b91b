use crate::{
    api_v1::{self, ApiState, RateLimiter},
    config::{Environment, Settings, redact_password},
    connections::ConnectionStats,
    health::{self, Readiness, ReadyCheck},
    live, mail,
    middleware::server_fn_error_status,
    page_cache::{self, PageCache},
    prometheus::{self, HttpMetrics, MetricsEndpoint},
    security::{self, SecurityPolicy},
    seo,
    sessions::{self, ActivityTracker, ClientIpPolicy},
    uploads::{UploadState, upload_product_image},
};
use app::{
    App,
    server::{
        auth::Backend,
        database,
        monitoring::{self, SimulatorHandle},
        password::PasswordHasher,
        services::{accounts, activity},
        session_store::DbSessionStore,
        state::{AppState, OutboxSignal},
        user_handoff::UserHandoff,
    },
    shell,
};
use axum::{
    Router,
    http::Request,
    routing::{get, post},
};
use leptos::config::{Env, LeptosOptions};
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use std::{
    future::Future,
    net::SocketAddr,
    sync::{Arc, OnceLock},
    time::Duration,
};
use tokio::{net::TcpListener, sync::Notify};
use tower_http::{
    CompressionLevel,
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    services::ServeDir,
    trace::{DefaultOnResponse, TraceLayer},
};
use tracing::Level;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot open the database: {0}")]
    Database(#[source] sea_orm::DbErr),
    #[error("cannot migrate or seed the database: {0}")]
    Prepare(#[source] sea_orm::DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("cannot create the admin account: {0}")]
    Admin(app::domain::error::AppError),
    #[error("cannot set up order e-mail: {0}")]
    Mail(String),
    #[error(
        "another server is already using the SQLite database {0}: SQLite serves one replica only; \
         run several replicas on PostgreSQL (DATABASE_URL=postgres://...)"
    )]
    SqliteInUse(String),
    #[error("cannot lock the SQLite database {path}: {source}")]
    SqliteLock { path: String, source: std::io::Error },
}

/// A built server: database ready, port bound, router assembled. `build` with port 0 picks
/// a free port, which is how the tests run many servers at once.
pub struct Application {
    listener: TcpListener,
    router: Router,
    db: DatabaseConnection,
    local_addr: SocketAddr,
    shutdown_grace: Duration,
    shutdown_drain: Duration,
    readiness: Readiness,
    connections: Arc<ConnectionStats>,
    /// Held while serving from a SQLite file, so a second server on the same file refuses to start.
    _sqlite_lock: Option<std::fs::File>,
    simulator: SimulatorHandle,
    /// The e-mail worker's mailer and wake-up, taken when serving starts.
    outbox: Option<(app::server::services::outbox::Mailer, OutboxSignal)>,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        prometheus::mark_process_start();
        tracing::info!(database = %redact_password(&settings.database.url), "opening the database");
        let sqlite_lock = lock_sqlite_file(&settings.database.url)?;
        let db = database::connect(&settings.database).await.map_err(StartupError::Database)?;
        database::prepare(&db, settings.seed_catalog).await.map_err(StartupError::Prepare)?;
        let hasher = PasswordHasher::default();
        if let Some(admin) = &settings.bootstrap_admin {
            let user = accounts::ensure_admin(&db, &hasher, &admin.name, &admin.email, &admin.password)
                .await
                .map_err(StartupError::Admin)?;
            tracing::info!(user_id = user.id, "admin account ready");
        }

        let listener = TcpListener::bind(settings.listen_addr)
            .await
            .map_err(|source| StartupError::Bind { addr: settings.listen_addr, source })?;
        let local_addr =
            listener.local_addr().map_err(|source| StartupError::Bind { addr: settings.listen_addr, source })?;

        let leptos_options = LeptosOptions::builder()
            .output_name(settings.output_name.as_str())
            .site_root(settings.site_root.to_string_lossy().as_ref())
            .site_pkg_dir(settings.site_pkg_dir.as_str())
            .site_addr(local_addr)
            .env(match settings.environment {
                Environment::Dev => Env::DEV,
                Environment::Prod => Env::PROD,
            })
            // cargo-leptos names the pkg/ files by content hash; Leptos links those names.
            .hash_files(crate::assets::site_is_fingerprinted())
            .reload_port(std::env::var("LEPTOS_RELOAD_PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(3001))
            .build();
        let public_origin = settings.public_origin.clone().unwrap_or_else(|| format!("http://{local_addr}"));
        let mailer = mail::mailer(&settings.mail).map_err(StartupError::Mail)?.with_origin(&public_origin);
        let simulator = monitoring::spawn(settings.simulation.clone(), settings.simulator_clock, db.clone()).await;
        let state = AppState {
            leptos_options,
            db: db.clone(),
            public_origin,
            hasher,
            simulator: simulator.clone(),
            pricing: settings.pricing,
            outbox: OutboxSignal::default(),
            catalog: Default::default(),
        };
        let outbox_signal = state.outbox.clone();

        let policy = SecurityPolicy {
            public_origin: state.public_origin.as_str().into(),
            production: settings.environment == Environment::Prod,
            metrics_token: settings.metrics_token.as_deref().map(Arc::from),
        };
        let sessions = SessionPolicy {
            settings: settings.sessions.clone(),
            trusted_proxies: settings.trusted_proxies.clone().into(),
        };
        let readiness = Readiness::default();
        let extras = RouterExtras {
            upload_dir: settings.upload_dir.clone(),
            api_rate_per_minute: settings.api_rate_per_minute,
            page_cache: settings.page_cache,
            connections: Arc::default(),
        };
        let connections = extras.connections.clone();
        Ok(Self {
            simulator,
            connections,
            listener,
            outbox: Some((mailer, outbox_signal)),
            router: router(state, policy, sessions, readiness.clone(), extras),
            db,
            local_addr,
            shutdown_grace: settings.shutdown_grace,
            shutdown_drain: settings.shutdown_drain,
            readiness,
            _sqlite_lock: sqlite_lock,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    pub fn port(&self) -> u16 {
        self.local_addr.port()
    }

    /// The in-process simulator, for tests that step its clock.
    pub fn simulator(&self) -> SimulatorHandle {
        self.simulator.clone()
    }

    /// Serves until `shutdown` resolves, then drains: `/readyz` answers 503 while everything
    /// else is still served, for the drain period, so load balancers move traffic elsewhere.
    /// Then it stops accepting, lets in-flight requests finish (up to the grace period) and
    /// closes the database pool.
    pub async fn run_until_stopped(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let stopping = Arc::new(Notify::new());
        let signal = {
            let stopping = stopping.clone();
            let (readiness, drain) = (self.readiness.clone(), self.shutdown_drain);
            async move {
                shutdown.await;
                readiness.start_draining();
                if !drain.is_zero() {
                    tracing::info!(drain_secs = drain.as_secs(), "draining: /readyz answers 503, still serving");
                    tokio::time::sleep(drain).await;
                }
                tracing::info!("shutting down: no new connections, finishing in-flight requests");
                stopping.notify_one();
            }
        };
        let sweeper = tokio::spawn(sweep_expired_sessions(self.db.clone()));
        let mailer =
            self.outbox.map(|(mailer, signal)| tokio::spawn(mail::run_outbox_worker(self.db.clone(), mailer, signal)));
        tracing::info!(address = %format!("http://{}", self.local_addr), "listening");
        let server = crate::connections::serve(self.listener, self.router, self.connections, signal);
        let grace = self.shutdown_grace;
        let result = tokio::select! {
            () = server => Ok(()),
            () = async { stopping.notified().await; tokio::time::sleep(grace).await } => {
                tracing::warn!(grace_secs = grace.as_secs(), "grace period over; exiting with requests still open");
                Ok(())
            }
        };
        sweeper.abort();
        // Anything half-sent is sent again by the next start (at-least-once).
        if let Some(worker) = mailer {
            worker.abort();
        }
        if let Err(err) = self.db.close().await {
            tracing::warn!(%err, "closing the database pool failed");
        }
        tracing::info!("stopped");
        result
    }
}

/// SQLite serves one replica: a second server process on the same file would pass its own
/// in-process checks (the simulator's timeline, the outbox worker's leases are written as if
/// alone) and the two would contend for the one writer lock. An exclusive lock on a file beside
/// the database makes the second server refuse to start instead; the lock goes with the process.
fn lock_sqlite_file(url: &str) -> Result<Option<std::fs::File>, StartupError> {
    let Some(path) = database::sqlite_file(url) else { return Ok(None) };
    let lock_path = format!("{}.server-lock", path.display());
    if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|source| StartupError::SqliteLock { path: path.display().to_string(), source })?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|source| StartupError::SqliteLock { path: lock_path.clone(), source })?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(StartupError::SqliteInUse(path.display().to_string())),
        Err(std::fs::TryLockError::Error(source)) => Err(StartupError::SqliteLock { path: lock_path, source }),
    }
}

/// `server create-admin`: migrates the database if needed and creates or promotes the admin.
pub async fn create_admin(settings: &Settings, name: &str, email: &str, password: &str) -> Result<i32, StartupError> {
    let db = database::connect(&settings.database).await.map_err(StartupError::Database)?;
    database::prepare(&db, settings.seed_catalog).await.map_err(StartupError::Prepare)?;
    let user = accounts::ensure_admin(&db, &PasswordHasher::default(), name, email, password)
        .await
        .map_err(StartupError::Admin)?;
    db.close().await.ok();
    Ok(user.id)
}

/// Deletes expired sessions and the activity of long-gone ones, every five minutes.
async fn sweep_expired_sessions(db: DatabaseConnection) {
    use axum_login::tower_sessions::ExpiredDeletion;
    let store = DbSessionStore::new(db.clone());
    let mut tick = tokio::time::interval(Duration::from_secs(300));
    loop {
        tick.tick().await;
        if let Err(err) = store.delete_expired().await {
            tracing::warn!(%err, "could not delete expired sessions");
        }
        if let Err(err) = activity::prune(&db, chrono::Utc::now()).await {
            tracing::warn!(%err, "could not prune session activity");
        }
        if let Err(err) = app::server::services::account_links::prune_requests(&db, chrono::Utc::now()).await {
            tracing::warn!(%err, "could not prune mail requests");
        }
    }
}

/// The app's routes, generated once per process. Generating them sets a process-wide flag that
/// parks any resource first polled meanwhile forever (leptos issue #4773): a second server
/// built in the same process, as the HTTP tests do, would otherwise hang a render in flight.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// How sessions behave and whose forwarded addresses are believed.
#[derive(Clone, Debug, Default)]
pub struct SessionPolicy {
    pub settings: crate::config::SessionSettings,
    pub trusted_proxies: Arc<[crate::config::IpNet]>,
}

/// Where uploads go and how hard `/api/v1` may be called.
#[derive(Clone, Debug)]
pub struct RouterExtras {
    pub upload_dir: std::path::PathBuf,
    pub api_rate_per_minute: u32,
    /// Serve signed-out visitors' public pages from the page cache.
    pub page_cache: bool,
    /// The connection layer's gauges, shown in `/metrics`.
    pub connections: Arc<ConnectionStats>,
}

/// Every route of the shop, with its middleware. Layers run outermost-last.
pub fn router(
    state: AppState,
    policy: SecurityPolicy,
    session_policy: SessionPolicy,
    readiness: Readiness,
    extras: RouterExtras,
) -> Router {
    let routes = route_list();
    let options = state.leptos_options.clone();
    let backend = Backend { db: state.db.clone(), hasher: state.hasher.clone(), users: UserHandoff::default() };
    let auth = sessions::auth_layer(state.db.clone(), backend, &session_policy.settings, policy.production);
    let tracker = ActivityTracker::new(state.db.clone(), &session_policy.settings);
    let client_ips = ClientIpPolicy { trusted_proxies: session_policy.trusted_proxies.clone() };
    let http_metrics = Arc::new(HttpMetrics::default());
    let metrics_endpoint = MetricsEndpoint {
        http: http_metrics.clone(),
        state: state.clone(),
        token: policy.metrics_token.clone(),
        connections: extras.connections.clone(),
    };
    // Probes and built assets skip the session layers: they need no user, and loading the
    // session for every wasm, CSS and image request would cost database queries for nothing.
    let site_root = std::path::PathBuf::from(state.leptos_options.site_root.as_ref());
    let pkg_dir = site_root.join(state.leptos_options.site_pkg_dir.as_ref());
    let assets = |dir: std::path::PathBuf| ServeDir::new(dir).precompressed_br().precompressed_gzip();
    let page_cache = PageCache::new(
        extras.page_cache,
        if policy.production { sessions::PRODUCTION_COOKIE } else { sessions::DEVELOPMENT_COOKIE },
        state.simulator.traffic.clone(),
    );
    let uploads = UploadState { db: state.db.clone(), dir: extras.upload_dir.clone() };
    let api = ApiState {
        db: state.db.clone(),
        limiter: Arc::new(RateLimiter::new(extras.api_rate_per_minute)),
        trusted_proxies: session_policy.trusted_proxies.clone(),
    };
    Router::new()
        .route("/admin/products/{id}/image", post(upload_product_image).with_state(uploads))
        .route("/sitemap.xml", get(seo::sitemap))
        .route("/robots.txt", get(seo::robots))
        .route("/account/export", get(crate::privacy::export))
        .route("/admin/products.csv", get(crate::exports::products_csv))
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn(server_fn_error_status))
        .layer(axum::middleware::from_fn_with_state(state.simulator.traffic.clone(), live::count_requests))
        .layer(axum::middleware::from_fn_with_state(tracker, sessions::track_sessions))
        .layer(auth)
        .layer(axum::middleware::from_fn_with_state(client_ips, sessions::record_client_ip))
        // Outside the session layers: a hit loads no session and renders nothing.
        .layer(axum::middleware::from_fn_with_state(page_cache, page_cache::serve))
        .route("/healthz", get(health::healthz))
        .route(
            "/readyz",
            get(health::readyz).with_state(ReadyCheck { db: state.db.clone(), readiness: readiness.clone() }),
        )
        .route("/monitoring/stream", get(live::stream))
        .route("/metrics", get(prometheus::metrics).with_state(metrics_endpoint))
        .nest_service(
            &format!("/{}", state.leptos_options.site_pkg_dir),
            Router::new()
                .fallback_service(assets(pkg_dir))
                .layer(axum::middleware::from_fn(crate::assets::pkg_cache_control)),
        )
        .nest_service("/images", assets(site_root.join("images")))
        .nest_service("/uploads", ServeDir::new(extras.upload_dir))
        .nest_service("/api/docs", assets(site_root.join("api-docs")))
        .merge(api_v1::routes(api))
        .layer(axum::middleware::from_fn_with_state(http_metrics, prometheus::observe_requests))
        .layer(axum::middleware::from_fn(security::refuse_nul_characters))
        .layer(axum::middleware::from_fn_with_state(policy.clone(), security::csrf_guard))
        .layer(axum::middleware::from_fn(security::limit_request_body))
        .layer(axum::middleware::from_fn_with_state(policy, security::security_headers))
        .layer(axum::middleware::from_fn_with_state(readiness, health::close_connections_while_draining))
        // HTML, JSON, JS, CSS and wasm; files with a precompressed .br/.gz twin are served as is.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let request_id = request
                        .extensions()
                        .get::<RequestId>()
                        .and_then(|id| id.header_value().to_str().ok())
                        .unwrap_or("-");
                    // The path only: query strings can carry search terms and tokens.
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// Resolves on SIGINT (Ctrl-C, cargo-leptos) or SIGTERM (Docker, Kubernetes).
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(%err, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("received SIGINT"),
        () = terminate => tracing::info!("received SIGTERM"),
    }
}
