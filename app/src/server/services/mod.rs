//! Plain async functions over a database handle. All SQL lives here, never in server functions.

pub mod account_links;
pub mod accounts;
pub mod activity;
pub mod addresses;
pub mod admin_catalog;
pub mod admin_categories;
pub mod cart;
pub mod catalog;
pub mod customers;
pub mod orders;
pub mod outbox;
pub mod privacy;
pub mod shop_pages;
pub mod stock;
pub mod timeline;

use crate::domain::admin::{ADMIN_PAGE_SIZE, AdminPage};
use crate::domain::{error::AppError, model::PageNumber};
use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, FromQueryResult, PaginatorTrait,
    PartialModelTrait, QueryOrder, QuerySelect, Select, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

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

/// Commits a write that changes what shoppers see of the catalog (products, prices, stock,
/// categories), then tells this process's catalog and page caches: every such write ends here,
/// so no cache can miss one (see `server::catalog_version`).
pub(crate) async fn commit_catalog_write(txn: DatabaseTransaction) -> Result<(), AppError> {
    txn.commit().await?;
    crate::server::catalog_version::bump();
    Ok(())
}

/// One page of a back-office table: how many rows `select` finds in all, then the page's
/// `ADMIN_PAGE_SIZE` rows of it as `Row` (a partial model: its fields say which columns are
/// read), each made into what the table shows.
pub(crate) async fn admin_page<E, Row, Item>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    page: PageNumber,
    item: impl FnMut(Row) -> Item,
) -> Result<AdminPage<Item>, AppError>
where
    E: EntityTrait,
    E::Model: Sync,
    Row: PartialModelTrait + FromQueryResult + Send + Sync,
{
    let total = select.clone().count(db).await?;
    let rows =
        select.offset(page.offset(ADMIN_PAGE_SIZE)).limit(ADMIN_PAGE_SIZE).into_partial_model::<Row>().all(db).await?;
    Ok(AdminPage { items: rows.into_iter().map(item).collect(), total, page: page.get() })
}

/// The earliest `column` among the rows `select` finds: when a sliding rate-limit window that
/// has filled up starts to free again.
pub(crate) async fn earliest<E>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    column: E::Column,
) -> Result<Option<DateTime<Utc>>, AppError>
where
    E: EntityTrait,
{
    Ok(select.select_only().column(column).order_by_asc(column).into_tuple().one(db).await?)
}
