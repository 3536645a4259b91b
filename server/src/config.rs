//! Configuration from environment variables, typed and validated at start-up.
//!
//! Every setting has a default that runs the shop locally; a bad value stops start-up with a
//! message naming the variable, the value and what was expected.

use app::{
    domain::commerce::PricingRules,
    server::{database::DatabaseSettings, monitoring::SimulatorClock},
};
use simulator::{fleet::ScalingMode, simulation::SimulationConfig};
use std::{
    net::{IpAddr, SocketAddr},
    path::PathBuf,
    str::FromStr,
    time::Duration,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    Dev,
    Prod,
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub environment: Environment,
    pub listen_addr: SocketAddr,
    /// The origin browsers use to reach the shop, e.g. `https://shop.example.com`; when unset,
    /// `http://` and the bound address (known only after binding, since the port may be 0).
    pub public_origin: Option<String>,
    pub log_filter: String,
    pub database: DatabaseSettings,
    pub seed_catalog: bool,
    pub site_root: PathBuf,
    pub site_pkg_dir: String,
    pub output_name: String,
    /// How long in-flight requests may take to finish after SIGTERM/SIGINT.
    pub shutdown_grace: Duration,
    /// How long a stopping replica keeps serving while reporting not-ready, so load balancers
    /// take it out of rotation before it stops accepting connections.
    pub shutdown_drain: Duration,
    pub sessions: SessionSettings,
    /// Peers whose `X-Forwarded-For` is believed (the load balancer); nobody else's is.
    pub trusted_proxies: Vec<IpNet>,
    /// An admin account to create or promote at start-up.
    pub bootstrap_admin: Option<AdminBootstrap>,
    /// Opens `/metrics` to scrapers that are not on loopback.
    pub metrics_token: Option<String>,
    /// The auto-scaling simulator: policy type and time scale (the rest is the policy file).
    pub simulation: SimulationConfig,
    /// Real time everywhere but in tests, which step the simulator themselves (no variable).
    pub simulator_clock: SimulatorClock,
    pub pricing: PricingRules,
    pub mail: MailSettings,
    /// Where uploaded product images are stored (served under `/uploads`).
    pub upload_dir: PathBuf,
    /// Requests per minute one client address may make to `/api/v1`.
    pub api_rate_per_minute: u32,
    /// Whether signed-out visitors' public pages come from the page cache (`PAGE_CACHE`).
    pub page_cache: bool,
}

/// Where e-mails go: SMTP when a URL is given, else `.eml` files in `folder`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailSettings {
    pub smtp_url: Option<String>,
    pub from: String,
    pub folder: PathBuf,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionSettings {
    /// A session unused for this long ends.
    pub idle_timeout: Duration,
    /// A sign-in lasts at most this long, however active.
    pub absolute_timeout: Duration,
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self { idle_timeout: Duration::from_secs(60 * 60), absolute_timeout: Duration::from_secs(12 * 60 * 60) }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct AdminBootstrap {
    pub email: String,
    pub name: String,
    pub password: String,
}

impl std::fmt::Debug for AdminBootstrap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminBootstrap").field("email", &self.email).finish_non_exhaustive()
    }
}

/// An address block such as `10.0.0.0/8`, or one address (`10.0.0.7`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpNet {
    network: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for IpNet {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr = address.trim().parse().map_err(|_| ())?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(prefix) => prefix.trim().parse::<u8>().map_err(|_| ())?,
            None => max,
        };
        if prefix > max {
            return Err(());
        }
        Ok(Self { network, prefix })
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid configuration: {var}={value:?}: {expected}")]
pub struct ConfigError {
    pub var: &'static str,
    pub value: String,
    pub expected: String,
}

/// The documented variables, their defaults and meaning (also printed by `server --help`).
pub const VARIABLES: &[(&str, &str, &str)] = &[
    (
        "DATABASE_URL",
        DatabaseSettings::DEFAULT_URL,
        "SQLite file (created on first start) or postgres://user:pass@host/db",
    ),
    ("DB_MAX_CONNECTIONS", "10", "pool size upper bound (1-1000)"),
    ("DB_MIN_CONNECTIONS", "1", "connections kept open (0 to DB_MAX_CONNECTIONS)"),
    ("DB_ACQUIRE_TIMEOUT_SECS", "5", "seconds to wait for a pooled connection (1-300)"),
    ("LEPTOS_SITE_ADDR", "127.0.0.1:3000", "listen address; port 0 picks a free port"),
    ("APP_ENV", "dev", "dev or prod (prod logs JSON)"),
    ("PUBLIC_ORIGIN", "http://<LEPTOS_SITE_ADDR>", "origin browsers use to reach the shop"),
    ("RUST_LOG", "info,tower_http=info,sqlx=warn", "log filter (tracing EnvFilter syntax)"),
    ("SEED_CATALOG", "true", "seed the demo catalog into an empty database"),
    ("LEPTOS_SITE_ROOT", "target/site", "folder with the built site (pkg/, images, ...)"),
    ("LEPTOS_SITE_PKG_DIR", "pkg", "folder under the site root holding JS, wasm and CSS"),
    ("LEPTOS_OUTPUT_NAME", "cloudscale", "name of the JS/wasm/CSS bundle"),
    ("PAGE_CACHE", "on", "on or off: serve signed-out visitors' public pages from a 2 s in-process cache"),
    ("SHUTDOWN_DRAIN_SECS", "5", "seconds a stopping replica serves on while /readyz says 503 (0-300)"),
    ("SHUTDOWN_GRACE_SECS", "30", "seconds in-flight requests get after SIGTERM (1-3600)"),
    ("SESSION_IDLE_MINUTES", "60", "a session unused this long ends (5-1440)"),
    ("SESSION_ABSOLUTE_HOURS", "12", "a sign-in lasts at most this long (1-720)"),
    ("TRUSTED_PROXIES", "(none)", "comma-separated IPs/CIDRs whose X-Forwarded-For is used"),
    ("ADMIN_EMAIL", "(none)", "with ADMIN_PASSWORD: create or promote this admin at start-up"),
    ("ADMIN_PASSWORD", "(none)", "the bootstrap admin's password (15+ characters)"),
    ("ADMIN_NAME", "Administrator", "the bootstrap admin's name"),
    ("METRICS_TOKEN", "(none)", "bearer token for /metrics from other hosts (loopback needs none)"),
    ("SCALING_POLICY", "step", "the simulator's CPU policy: step, simple or target-tracking"),
    ("SIM_TIME_SCALE", "10", "simulated seconds per real second on the metrics page (1-600)"),
    ("SHIPPING_FEE_CENTS", "499", "flat shipping fee in cents (0-100000)"),
    ("FREE_SHIPPING_FROM_CENTS", "5000", "subtotal in cents from which shipping is free (0-100000000)"),
    ("TAX_RATE_BASIS_POINTS", "800", "tax rate in basis points, 800 = 8 % (0-5000)"),
    ("SMTP_URL", "(none)", "smtp[s]://user:pass@host:port for e-mails; unset writes .eml files"),
    ("MAIL_FROM", "CloudScale Commerce <orders@cloudscale.local>", "sender of every e-mail"),
    ("MAIL_DIR", "data/mail", "folder for .eml files when SMTP_URL is unset"),
    ("UPLOAD_DIR", "data/uploads", "folder for product images uploaded in the admin (served at /uploads)"),
    ("API_RATE_PER_MINUTE", "120", "requests per minute per client address to /api/v1 (1-100000; 0: no limit)"),
];

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|var| std::env::var(var).ok())
    }

    /// Reads settings through `lookup`, so tests can supply variables without touching the
    /// process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |var: &str| lookup(var).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        // A whole-number setting: the variable's name is written once, for reading and for errors.
        let number = |var: &'static str, default: u32, range| ranged(var, get(var), default, range);

        let environment = match get("APP_ENV").as_deref() {
            None | Some("dev" | "development") => Environment::Dev,
            Some("prod" | "production") => Environment::Prod,
            Some(other) => return Err(invalid("APP_ENV", other, "dev or prod")),
        };
        let listen_addr = parse(
            "LEPTOS_SITE_ADDR",
            get("LEPTOS_SITE_ADDR"),
            "127.0.0.1:3000".parse().unwrap(),
            "an address such as 127.0.0.1:3000",
        )?;

        let url = get("DATABASE_URL").unwrap_or_else(|| DatabaseSettings::DEFAULT_URL.to_owned());
        if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(invalid("DATABASE_URL", &redact_password(&url), "a sqlite: or postgres:// URL"));
        }
        let mut database = DatabaseSettings::new(url);
        database.max_connections = number("DB_MAX_CONNECTIONS", 10, 1..=1000)?;
        database.min_connections = number("DB_MIN_CONNECTIONS", 1, 0..=database.max_connections)?;
        database.acquire_timeout = Duration::from_secs(number("DB_ACQUIRE_TIMEOUT_SECS", 5, 1..=300)?.into());

        let public_origin = get("PUBLIC_ORIGIN").map(|origin| parse_origin(&origin)).transpose()?;
        let page_cache = match get("PAGE_CACHE").as_deref() {
            None | Some("on" | "true" | "1") => true,
            Some("off" | "false" | "0") => false,
            Some(other) => return Err(invalid("PAGE_CACHE", other, "on or off")),
        };
        let seed_catalog = match get("SEED_CATALOG").as_deref() {
            None | Some("true" | "1" | "yes") => true,
            Some("false" | "0" | "no") => false,
            Some(other) => return Err(invalid("SEED_CATALOG", other, "true or false")),
        };

        let sessions = SessionSettings {
            idle_timeout: Duration::from_secs(u64::from(number("SESSION_IDLE_MINUTES", 60, 5..=1440)?) * 60),
            absolute_timeout: Duration::from_secs(u64::from(number("SESSION_ABSOLUTE_HOURS", 12, 1..=720)?) * 3600),
        };
        let trusted_proxies = get("TRUSTED_PROXIES")
            .map(|list| {
                list.split(',')
                    .filter(|entry| !entry.trim().is_empty())
                    .map(|entry| {
                        entry.trim().parse().map_err(|()| {
                            invalid("TRUSTED_PROXIES", &list, "comma-separated IP addresses or CIDR blocks")
                        })
                    })
                    .collect::<Result<Vec<IpNet>, _>>()
            })
            .transpose()?
            .unwrap_or_default();
        let bootstrap_admin = match (get("ADMIN_EMAIL"), lookup("ADMIN_PASSWORD").filter(|p| !p.is_empty())) {
            (Some(email), Some(password)) => Some(AdminBootstrap {
                email,
                name: get("ADMIN_NAME").unwrap_or_else(|| "Administrator".to_owned()),
                password,
            }),
            (None, None) => None,
            (Some(_), None) => return Err(invalid("ADMIN_PASSWORD", "", "set together with ADMIN_EMAIL")),
            (None, Some(_)) => return Err(invalid("ADMIN_EMAIL", "", "set together with ADMIN_PASSWORD")),
        };

        let metrics_token = lookup("METRICS_TOKEN").filter(|token| !token.is_empty());
        if metrics_token.as_ref().is_some_and(|token| token.len() < 16) {
            return Err(invalid("METRICS_TOKEN", "(hidden)", "at least 16 characters"));
        }

        let mut simulation = SimulationConfig::default();
        simulation.fleet.mode = match get("SCALING_POLICY").as_deref() {
            None | Some("step") => ScalingMode::Step,
            Some("simple") => ScalingMode::simple(),
            Some("target-tracking") => ScalingMode::target_tracking(),
            Some(other) => return Err(invalid("SCALING_POLICY", other, "step, simple or target-tracking")),
        };
        simulation.time_scale = f64::from(number("SIM_TIME_SCALE", 10, 1..=600)?);

        let pricing = PricingRules {
            shipping_fee_cents: i64::from(number("SHIPPING_FEE_CENTS", 499, 0..=100_000)?),
            free_shipping_from_cents: i64::from(number("FREE_SHIPPING_FROM_CENTS", 5_000, 0..=100_000_000)?),
            tax_rate_basis_points: i64::from(number("TAX_RATE_BASIS_POINTS", 800, 0..=5_000)?),
        };

        let mail = MailSettings {
            smtp_url: get("SMTP_URL").filter(|url| !url.trim().is_empty()),
            from: get("MAIL_FROM").unwrap_or_else(|| "CloudScale Commerce <orders@cloudscale.local>".to_owned()),
            folder: PathBuf::from(get("MAIL_DIR").unwrap_or_else(|| "data/mail".to_owned())),
        };
        if let Some(url) = &mail.smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err(invalid("SMTP_URL", &redact_password(url), "an smtp:// or smtps:// URL"));
        }

        let upload_dir = PathBuf::from(get("UPLOAD_DIR").unwrap_or_else(|| "data/uploads".to_owned()));
        let api_rate_per_minute = number("API_RATE_PER_MINUTE", 120, 0..=100_000)?;

        Ok(Self {
            upload_dir,
            api_rate_per_minute,
            page_cache,
            mail,
            pricing,
            simulation,
            simulator_clock: SimulatorClock::RealTime,
            metrics_token,
            sessions,
            trusted_proxies,
            bootstrap_admin,
            environment,
            listen_addr,
            public_origin,
            log_filter: get("RUST_LOG").unwrap_or_else(|| "info,tower_http=info,sqlx=warn".to_owned()),
            database,
            seed_catalog,
            site_root: PathBuf::from(get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned())),
            site_pkg_dir: get("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|| "pkg".to_owned()),
            output_name: get("LEPTOS_OUTPUT_NAME").unwrap_or_else(|| "cloudscale".to_owned()),
            shutdown_grace: Duration::from_secs(number("SHUTDOWN_GRACE_SECS", 30, 1..=3600)?.into()),
            shutdown_drain: Duration::from_secs(number("SHUTDOWN_DRAIN_SECS", 5, 0..=300)?.into()),
        })
    }
}

fn invalid(var: &'static str, value: &str, expected: &str) -> ConfigError {
    ConfigError { var, value: value.to_owned(), expected: expected.to_owned() }
}

fn parse<T: FromStr>(var: &'static str, value: Option<String>, default: T, expected: &str) -> Result<T, ConfigError> {
    match value {
        None => Ok(default),
        Some(raw) => raw.parse().map_err(|_| invalid(var, &raw, expected)),
    }
}

fn ranged(
    var: &'static str,
    value: Option<String>,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32, ConfigError> {
    let expected = format!("a whole number from {} to {}", range.start(), range.end());
    let number = parse(var, value.clone(), default, &expected)?;
    if range.contains(&number) { Ok(number) } else { Err(invalid(var, &value.unwrap_or_default(), &expected)) }
}

/// `scheme://host[:port]` with no path, as browsers send it in `Origin`.
fn parse_origin(origin: &str) -> Result<String, ConfigError> {
    let expected = "an origin such as https://shop.example.com (scheme, host, optional port; no path)";
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or_else(|| invalid("PUBLIC_ORIGIN", origin, expected))?;
    let host = rest.strip_suffix('/').unwrap_or(rest);
    if host.is_empty() || host.contains(['/', '?', '#', '@', ' ']) {
        return Err(invalid("PUBLIC_ORIGIN", origin, expected));
    }
    Ok(origin.trim_end_matches('/').to_owned())
}

/// Hides the password of a URL so it never reaches a log or an error message.
pub fn redact_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else { return url.to_owned() };
    let Some(at) = url[scheme_end..].find('@').map(|i| i + scheme_end) else { return url.to_owned() };
    match url[scheme_end..at].find(':') {
        Some(colon) => format!("{}:***{}", &url[..scheme_end + colon], &url[at..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|k| vars.get(k).cloned())
    }

    #[test]
    fn defaults_run_the_shop_locally_on_sqlite() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.environment, Environment::Dev);
        assert_eq!(s.listen_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(s.public_origin, None);
        assert!(s.database.is_sqlite());
        assert_eq!(s.database.max_connections, 10);
        assert!(s.seed_catalog);
    }

    #[test]
    fn postgres_and_production_settings_are_read() {
        let s = settings(&[
            ("DATABASE_URL", "postgres://shop:pw@db/shop"),
            ("APP_ENV", "prod"),
            ("PUBLIC_ORIGIN", "https://shop.example.com/"),
            ("DB_MAX_CONNECTIONS", "25"),
            ("LEPTOS_SITE_ADDR", "0.0.0.0:8080"),
        ])
        .unwrap();
        assert_eq!(s.environment, Environment::Prod);
        assert_eq!(s.public_origin.as_deref(), Some("https://shop.example.com"));
        assert_eq!(s.database.max_connections, 25);
        assert!(!s.database.is_sqlite());
    }

    #[test]
    fn bad_values_name_the_variable_and_what_was_expected() {
        let err = settings(&[("DB_MAX_CONNECTIONS", "lots")]).unwrap_err();
        assert_eq!(err.var, "DB_MAX_CONNECTIONS");
        assert!(err.to_string().contains("whole number from 1 to 1000"), "{err}");
        assert_eq!(settings(&[("DB_MAX_CONNECTIONS", "0")]).unwrap_err().var, "DB_MAX_CONNECTIONS");
        assert_eq!(settings(&[("DB_MIN_CONNECTIONS", "11")]).unwrap_err().var, "DB_MIN_CONNECTIONS");
        assert_eq!(settings(&[("APP_ENV", "staging")]).unwrap_err().var, "APP_ENV");
        assert_eq!(settings(&[("LEPTOS_SITE_ADDR", "localhost")]).unwrap_err().var, "LEPTOS_SITE_ADDR");
        assert_eq!(settings(&[("PUBLIC_ORIGIN", "shop.example.com")]).unwrap_err().var, "PUBLIC_ORIGIN");
        assert_eq!(settings(&[("PUBLIC_ORIGIN", "https://x.com/path")]).unwrap_err().var, "PUBLIC_ORIGIN");
        assert_eq!(settings(&[("SEED_CATALOG", "maybe")]).unwrap_err().var, "SEED_CATALOG");
        let short_token = settings(&[("METRICS_TOKEN", "hunter2")]).unwrap_err();
        assert_eq!(short_token.var, "METRICS_TOKEN");
        assert!(!short_token.to_string().contains("hunter2"), "tokens never appear in errors");
    }

    #[test]
    fn order_mail_goes_to_eml_files_unless_an_smtp_url_is_given() {
        let local = settings(&[]).unwrap().mail;
        assert_eq!(local.smtp_url, None);
        assert_eq!(local.folder, PathBuf::from("data/mail"));
        let smtp = settings(&[("SMTP_URL", "smtps://shop:secret@mail.example.com:465")]).unwrap().mail;
        assert_eq!(smtp.smtp_url.as_deref(), Some("smtps://shop:secret@mail.example.com:465"));
        let err = settings(&[("SMTP_URL", "http://shop:secret@mail.example.com")]).unwrap_err();
        assert_eq!(err.var, "SMTP_URL");
        assert!(!err.value.contains("secret"), "the password is redacted: {}", err.value);
    }

    #[test]
    fn pricing_comes_from_the_environment_within_bounds() {
        let s = settings(&[("SHIPPING_FEE_CENTS", "0"), ("TAX_RATE_BASIS_POINTS", "2000")]).unwrap();
        assert_eq!(s.pricing.shipping_fee_cents, 0);
        assert_eq!(s.pricing.tax_rate_basis_points, 2_000);
        assert_eq!(s.pricing.free_shipping_from_cents, 5_000);
        assert!(settings(&[("TAX_RATE_BASIS_POINTS", "9000")]).is_err());
        assert!(settings(&[("SHIPPING_FEE_CENTS", "-1")]).is_err());
    }

    #[test]
    fn the_scaling_policy_and_time_scale_are_read_and_checked() {
        let s = settings(&[("SCALING_POLICY", "target-tracking"), ("SIM_TIME_SCALE", "60")]).unwrap();
        assert!(matches!(s.simulation.fleet.mode, ScalingMode::TargetTracking { .. }));
        assert_eq!(s.simulation.time_scale, 60.0);
        assert_eq!(settings(&[]).unwrap().simulation.fleet.mode, ScalingMode::Step);
        assert_eq!(settings(&[("SCALING_POLICY", "random")]).unwrap_err().var, "SCALING_POLICY");
        assert_eq!(settings(&[("SIM_TIME_SCALE", "0")]).unwrap_err().var, "SIM_TIME_SCALE");
    }

    #[test]
    fn session_timeouts_and_trusted_proxies_are_read() {
        let s = settings(&[
            ("SESSION_IDLE_MINUTES", "15"),
            ("SESSION_ABSOLUTE_HOURS", "8"),
            ("TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1"),
        ])
        .unwrap();
        assert_eq!(s.sessions.idle_timeout, Duration::from_secs(900));
        assert_eq!(s.sessions.absolute_timeout, Duration::from_secs(8 * 3600));
        assert!(s.trusted_proxies[0].contains("10.1.2.3".parse().unwrap()));
        assert!(!s.trusted_proxies[0].contains("11.0.0.1".parse().unwrap()));
        assert!(s.trusted_proxies[1].contains("::ffff:127.0.0.1".parse().unwrap()));
        assert_eq!(settings(&[("TRUSTED_PROXIES", "10.0.0.0/33")]).unwrap_err().var, "TRUSTED_PROXIES");
        assert_eq!(settings(&[("SESSION_IDLE_MINUTES", "1")]).unwrap_err().var, "SESSION_IDLE_MINUTES");
        assert_eq!(settings(&[]).unwrap().sessions, SessionSettings::default());
    }

    #[test]
    fn an_admin_bootstrap_needs_both_email_and_password() {
        assert_eq!(settings(&[("ADMIN_EMAIL", "ops@example.com")]).unwrap_err().var, "ADMIN_PASSWORD");
        let s = settings(&[("ADMIN_EMAIL", "ops@example.com"), ("ADMIN_PASSWORD", "a long secret phrase")]).unwrap();
        let admin = s.bootstrap_admin.unwrap();
        assert_eq!(admin.name, "Administrator");
        assert!(!format!("{admin:?}").contains("secret"));
    }

    #[test]
    fn database_passwords_never_appear_in_errors() {
        let err = settings(&[("DATABASE_URL", "mysql://root:hunter2@db/shop")]).unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
        assert_eq!(redact_password("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact_password("postgres://u@h/db"), "postgres://u@h/db");
    }
}
