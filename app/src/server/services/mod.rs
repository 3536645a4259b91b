//! Plain async functions over a database handle. All SQL lives here, never in server functions.

pub mod account_links;
pub mod accounts;
pub mod activity;
pub mod addresses;
pub mod admin_catalog;
pub mod cart;
pub mod catalog;
pub mod customers;
pub mod orders;
pub mod outbox;
pub mod privacy;
pub mod shop_pages;
pub mod stock;
pub mod timeline;

use crate::domain::error::AppError;
use sea_orm::{DatabaseConnection, DatabaseTransaction, SqliteTransactionMode, TransactionOptions, TransactionTrait};

/// A transaction that will write. On SQLite it takes the write lock at BEGIN (IMMEDIATE): a
/// deferred transaction that reads first and writes later cannot upgrade while another writer
/// commits, and SQLite answers SQLITE_BUSY at once instead of waiting out the busy timeout.
pub(crate) async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, AppError> {
    Ok(db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?)
}
