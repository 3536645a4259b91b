//! Connecting to SQLite or PostgreSQL, and preparing a database for the shop.

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::{path::Path, time::Duration};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabaseSettings {
    pub url: String,
    pub max_connections: u32,
    pub min_connections: u32,
    pub acquire_timeout: Duration,
}

impl DatabaseSettings {
    pub const DEFAULT_URL: &str = "sqlite://data/cloudscale.db?mode=rwc";

    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into(), max_connections: 10, min_connections: 1, acquire_timeout: Duration::from_secs(5) }
    }

    pub fn is_sqlite(&self) -> bool {
        self.url.starts_with("sqlite:")
    }
}

/// The file behind a SQLite URL, if it names one (`sqlite://data/shop.db?mode=rwc` → `data/shop.db`).
pub fn sqlite_file(url: &str) -> Option<&Path> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| Path::new(path))
}

/// A pooled connection idle this long is pinged before use (firewalls and proxies drop idle ones).
const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);

/// Opens a bounded pool. SQLite gets WAL (readers beside the writer), foreign keys, a busy
/// timeout so writers queue instead of failing, and its folder created on first start.
pub async fn connect(settings: &DatabaseSettings) -> Result<DatabaseConnection, DbErr> {
    if settings.is_sqlite()
        && let Some(parent) = sqlite_file(&settings.url).and_then(Path::parent)
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|err| DbErr::Custom(format!("cannot create database folder {}: {err}", parent.display())))?;
    }
    let mut options = ConnectOptions::new(settings.url.clone());
    options
        .max_connections(settings.max_connections)
        .min_connections(settings.min_connections)
        .acquire_timeout(settings.acquire_timeout)
        .connect_timeout(settings.acquire_timeout)
        // sqlx pings a connection on every acquire by default: a second round trip for every
        // query. Only a connection idle long enough to have been dropped is pinged.
        .test_before_acquire_if_idle_for(IDLE_BEFORE_PING)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5))
                .foreign_keys(true)
        });
    Database::connect(options).await
}

/// Applies pending migrations and, when asked, seeds the catalog of an empty database.
pub async fn prepare(db: &DatabaseConnection, seed_catalog: bool) -> Result<(), DbErr> {
    Migrator::up(db, None).await?;
    if seed_catalog {
        let inserted = crate::server::seed::seed_catalog_if_empty(db).await?;
        if inserted > 0 {
            tracing::info!(products = inserted, "seeded the catalog");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(sqlite_file("sqlite://data/shop.db?mode=rwc"), Some(Path::new("data/shop.db")));
        assert_eq!(sqlite_file("sqlite:///tmp/x.db"), Some(Path::new("/tmp/x.db")));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://localhost/shop"), None);
    }
}
