//! Fresh databases for tests: a SQLite file in the temp folder, or a new PostgreSQL database
//! created on the server named by `TEST_DATABASE_URL` and dropped afterwards.

use crate::server::database::{DatabaseSettings, connect, prepare};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use std::path::PathBuf;

pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";

/// The password of every account a test registers: long and plain enough for the strength rules.
pub const TEST_PASSWORD: &str = "velvet lantern across quiet harbours";

/// Registers "Test Shopper" at `email` with [`TEST_PASSWORD`], hashed at the lowest cost (tests
/// do not measure argon2).
pub async fn registered_shopper(db: &DatabaseConnection, email: &str) -> crate::server::entities::user::Model {
    let hasher = crate::server::password::PasswordHasher::new(2);
    crate::server::services::accounts::register(db, &hasher, "Test Shopper", email, TEST_PASSWORD)
        .await
        .expect("register a test shopper")
}

/// `application/x-www-form-urlencoded` body of `pairs`, as a browser posts a form.
pub fn form_body(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={}", crate::domain::listing::encode_query_value(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A complete US shipping address for `name`, as a customer would type it (not yet validated).
pub fn sample_address(name: &str) -> crate::domain::accounts::AddressForm {
    crate::domain::accounts::AddressForm {
        kind: "shipping".into(),
        full_name: name.into(),
        line1: "1 Main Street".into(),
        line2: String::new(),
        city: "Springfield".into(),
        region: "IL".into(),
        postal_code: "62701".into(),
        country: "us".into(),
        phone: String::new(),
        is_default: None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A migrated, seeded database that is removed when dropped.
pub struct TestDb {
    pub db: DatabaseConnection,
    pub settings: DatabaseSettings,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

/// The PostgreSQL server for tests, if configured. Under CI it must be: a missing URL there
/// would silently skip half the suite.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var(TEST_DATABASE_URL) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("CI=true but {TEST_DATABASE_URL} is not set: PostgreSQL tests would be skipped")
        }
        _ => None,
    }
}

impl TestDb {
    /// A fresh database on `backend`, or `None` when PostgreSQL is not configured.
    pub async fn new(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite().await),
            Backend::Postgres => Self::postgres().await,
        }
    }

    pub async fn sqlite() -> Self {
        let path = std::env::temp_dir().join(format!("cloudscale-test-{}.db", uuid::Uuid::new_v4().simple()));
        let settings = DatabaseSettings::new(format!("sqlite://{}?mode=rwc", path.display()));
        Self::open(settings, Cleanup::File(path)).await
    }

    pub async fn postgres() -> Option<Self> {
        let admin_url = postgres_admin_url()?;
        let name = format!("cloudscale_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(admin_url.as_str()).await.expect("connect to TEST_DATABASE_URL");
        admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
        admin.close().await.ok();
        let settings = DatabaseSettings::new(replace_database_name(&admin_url, &name));
        Some(Self::open(settings, Cleanup::PostgresDatabase { admin_url, name }).await)
    }

    async fn open(settings: DatabaseSettings, cleanup: Cleanup) -> Self {
        let db = connect(&settings).await.expect("connect to the test database");
        prepare(&db, true).await.expect("migrate and seed the test database");
        Self { db, settings, cleanup }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                // Drop needs async work; do it on a private runtime so any test runtime is fine.
                let (admin_url, name) = (admin_url.clone(), name.clone());
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
                    runtime.block_on(async {
                        if let Ok(admin) = Database::connect(admin_url.as_str()).await {
                            let _ = admin
                                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                                .await;
                            let _ = admin.close().await;
                        }
                    });
                    Ok::<_, std::io::Error>(())
                })
                .join();
            }
        }
    }
}

/// `postgres://u@h:5432/test?x=y` with the database name replaced.
pub fn replace_database_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

/// Why the PostgreSQL variant of every test is `#[ignore]`d: `cargo test` then says "ignored"
/// instead of passing a test that did not run. `make test-rust` (and CI) set `TEST_DATABASE_URL`
/// and run them with `--include-ignored`.
pub const POSTGRES_ONLY: &str = "PostgreSQL: set TEST_DATABASE_URL and pass --include-ignored";

/// Runs a service test body once per backend: `db_test!(name, |db| async move { ... })`
/// expands to `name::on_sqlite` and `name::on_postgres` (ignored unless asked for: see
/// [`POSTGRES_ONLY`]).
#[macro_export]
macro_rules! db_test {
    ($name:ident, |$db:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($db: &$crate::server::testing::TestDb) {
                $body.await
            }

            #[tokio::test]
            async fn on_sqlite() {
                let db = $crate::server::testing::TestDb::sqlite().await;
                run(&db).await;
            }

            #[tokio::test]
            #[ignore = "PostgreSQL: set TEST_DATABASE_URL and pass --include-ignored"]
            async fn on_postgres() {
                let db = $crate::server::testing::TestDb::postgres().await;
                run(&db.expect($crate::server::testing::POSTGRES_ONLY)).await;
            }
        }
    };
}

/// A slug written in a test, checked as the shop checks one from a URL.
pub fn test_slug(text: &str) -> crate::domain::model::Slug {
    crate::domain::model::Slug::parse(text).expect("a slug-shaped test value")
}

#[cfg(test)]
mod tests {
    use super::replace_database_name;

    #[test]
    fn the_database_name_is_replaced_and_the_rest_kept() {
        assert_eq!(replace_database_name("postgres://u@h:5432/test", "x"), "postgres://u@h:5432/x");
        assert_eq!(
            replace_database_name("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(replace_database_name("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
