//! `server backup --to FILE`: an online, consistent copy of the shop's SQLite database.
//!
//! `VACUUM INTO` copies the database inside one read transaction, so the copy is a snapshot of
//! one moment even while the shop keeps taking orders (WAL lets the writer go on beside it).
//! The copy is written next to its destination, checked, synced and only then renamed into
//! place: a backup file that exists is a complete one. PostgreSQL has its own tools (`pg_dump`,
//! point-in-time recovery), which the README describes.

use crate::server::database::sqlite_file;
use sea_orm::sqlx::{
    self, Row,
    sqlite::{SqliteConnectOptions, SqlitePoolOptions},
};
use std::{
    fs,
    path::{Path, PathBuf},
    time::Duration,
};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("DATABASE_URL is not a SQLite file; back up PostgreSQL with pg_dump (see the README)")]
    NotSqlite,
    #[error("there is no SQLite database at {0}")]
    NoDatabase(PathBuf),
    #[error("{0} already exists; choose a new file so no backup is overwritten")]
    TargetExists(PathBuf),
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("the database refused the copy: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the copy failed its integrity check: {0}")]
    Corrupt(String),
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
}

/// Copies the SQLite database `database_url` names to `to`, which must not exist yet.
pub async fn backup_sqlite(database_url: &str, to: &Path) -> Result<BackupReport, BackupError> {
    let source = sqlite_file(database_url).ok_or(BackupError::NotSqlite)?;
    if !source.is_file() {
        return Err(BackupError::NoDatabase(source.to_path_buf()));
    }
    if to.exists() {
        return Err(BackupError::TargetExists(to.to_path_buf()));
    }
    let partial = partial_path(to);
    let write_error = |source| BackupError::Write { path: partial.clone(), source };
    match fs::remove_file(&partial) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(write_error(err)),
    }
    let partial_text = partial.to_str().ok_or_else(|| {
        write_error(std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path is not valid UTF-8"))
    })?;

    // Read-only, and never created: a mistyped path must not back up a new empty database.
    let source_pool = open(SqliteConnectOptions::new().filename(source).read_only(true)).await?;
    let copied = sqlx::query("VACUUM INTO ?").bind(partial_text).execute(&source_pool).await;
    source_pool.close().await;
    if let Err(err) = copied {
        let _ = fs::remove_file(&partial);
        return Err(err.into());
    }

    if let Err(err) = check_integrity(&partial).await {
        let _ = fs::remove_file(&partial);
        return Err(err);
    }
    let file = fs::File::open(&partial).map_err(write_error)?;
    file.sync_all().map_err(write_error)?;
    let bytes = file.metadata().map_err(write_error)?.len();
    fs::rename(&partial, to).map_err(|source| BackupError::Write { path: to.to_path_buf(), source })?;
    if let Some(dir) = to.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        // The rename is durable once the folder's entry is.
        fs::File::open(dir).and_then(|dir| dir.sync_all()).map_err(write_error)?;
    }
    Ok(BackupReport { path: to.to_path_buf(), bytes })
}

fn partial_path(to: &Path) -> PathBuf {
    let mut name = to.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    to.with_file_name(name)
}

async fn open(options: SqliteConnectOptions) -> Result<sqlx::SqlitePool, sqlx::Error> {
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options.busy_timeout(Duration::from_secs(10)).create_if_missing(false))
        .await
}

async fn check_integrity(path: &Path) -> Result<(), BackupError> {
    let pool = open(SqliteConnectOptions::new().filename(path).read_only(true)).await?;
    let verdict: Result<String, sqlx::Error> =
        sqlx::query("PRAGMA integrity_check").fetch_one(&pool).await.and_then(|row| row.try_get(0));
    pool.close().await;
    match verdict? {
        ok if ok == "ok" => Ok(()),
        problem => Err(BackupError::Corrupt(problem)),
    }
}
