//! The stock-movement ledger, and the one writer of `products.stock`: [`apply`]. Every change
//! (opening stock, checkout, cancellation, an admin's adjustment) goes through it, which writes
//! the movement in the same transaction, so the ledger's sum per product always equals the
//! stock column.

use crate::{
    domain::admin::{MAX_STOCK, StockAdjustment, StockMovementView, StockReason},
    domain::error::AppError,
    server::{
        entities::{order, product, stock_movement},
        services::{begin_write, commit_catalog_write},
    },
};
use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DerivePartialModel, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, Statement,
    sea_query::{Expr, ExprTrait, Query},
};

/// Who or what caused a movement, besides its reason.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cause<'a> {
    pub note: &'a str,
    pub order_id: Option<i32>,
    pub user_id: Option<i32>,
}

/// The only code that changes `products.stock`: adds `change` (negative to take), touches
/// `updated_at` and records the movement, in the caller's transaction. The update is conditional,
/// so however many writers race, the stock never goes below zero, an admin's adjustment never
/// takes it above [`MAX_STOCK`], and a sale only takes from an active product. `Ok(false)` when
/// that condition refused the change: nothing was written.
pub async fn apply(
    db: &impl ConnectionTrait,
    product_id: i32,
    change: i32,
    reason: StockReason,
    cause: Cause<'_>,
) -> Result<bool, AppError> {
    let stock_after = || Expr::col(product::Column::Stock).add(change);
    let mut update = product::Entity::update_many()
        .col_expr(product::Column::Stock, stock_after())
        .col_expr(product::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(product::Column::Id.eq(product_id))
        .filter(stock_after().gte(0));
    if StockReason::ADJUSTMENTS.contains(&reason) {
        update = update.filter(stock_after().lte(MAX_STOCK));
    }
    if reason == StockReason::Sale {
        update = update.filter(product::Column::Active.eq(true));
    }
    if update.exec(db).await?.rows_affected == 0 {
        return Ok(false);
    }
    record(db, product_id, change, reason, cause).await?;
    Ok(true)
}

/// Records a movement of `change` units for a product whose stock column [`apply`] has just
/// changed; the stock after it is read from that column in the same statement.
async fn record(
    db: &impl ConnectionTrait,
    product_id: i32,
    change: i32,
    reason: StockReason,
    cause: Cause<'_>,
) -> Result<(), AppError> {
    use stock_movement::Column as M;
    let insert = Query::insert()
        .into_table(stock_movement::Entity)
        .columns([
            M::ProductId,
            M::QuantityChange,
            M::StockAfter,
            M::Reason,
            M::Note,
            M::OrderId,
            M::UserId,
            M::CreatedAt,
        ])
        .select_from(
            Query::select()
                .column(product::Column::Id)
                .expr(Expr::val(change))
                .column(product::Column::Stock)
                .expr(Expr::val(reason))
                .expr(Expr::val(cause.note.chars().take(200).collect::<String>()))
                .expr(Expr::val(cause.order_id))
                .expr(Expr::val(cause.user_id))
                .expr(Expr::val(Utc::now()))
                .from(product::Entity)
                .and_where(Expr::col(product::Column::Id).eq(product_id))
                .to_owned(),
        )
        .map_err(|err| AppError::internal("building a stock movement", err))?
        .to_owned();
    let inserted = db.execute(&insert).await?;
    if inserted.rows_affected() != 1 {
        return Err(AppError::internal("recording a stock movement", format!("product {product_id} is missing")));
    }
    Ok(())
}

/// Opens the ledger of every product that has none yet with its current stock (after seeding).
pub async fn open_ledgers(db: &impl ConnectionTrait) -> Result<u64, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let result = db
        .execute_raw(Statement::from_string(
            backend,
            "INSERT INTO stock_movements (product_id, quantity_change, stock_after, reason, note, created_at) \
             SELECT id, stock, stock, 'initial', 'Opening stock', CURRENT_TIMESTAMP FROM products p \
             WHERE NOT EXISTS (SELECT 1 FROM stock_movements m WHERE m.product_id = p.id)",
        ))
        .await?;
    Ok(result.rows_affected())
}

/// An admin's adjustment: the change and its movement in one transaction. Stock never goes
/// below zero: removing more than is there is a 422 naming what is left.
pub async fn adjust(
    db: &DatabaseConnection,
    admin_id: i32,
    product_id: i32,
    adjustment: &StockAdjustment,
) -> Result<i32, AppError> {
    let txn = begin_write(db).await?;
    let cause = Cause { note: &adjustment.note, order_id: None, user_id: Some(admin_id) };
    if !apply(&txn, product_id, adjustment.change, adjustment.reason, cause).await? {
        let current = product::Entity::find_by_id(product_id).one(&txn).await?;
        return Err(match current {
            None => AppError::not_found("That product"),
            Some(product) if adjustment.change < 0 => AppError::validation(
                "change",
                format!("Only {} in stock: you can remove at most that many.", product.stock),
            ),
            Some(_) => AppError::validation("change", format!("Stock is limited to {MAX_STOCK}.")),
        });
    }
    let stock = product::Entity::find_by_id(product_id)
        .one(&txn)
        .await?
        .map(|product| product.stock)
        .ok_or_else(|| AppError::not_found("That product"))?;
    commit_catalog_write(txn).await?;
    tracing::info!(
        admin_id,
        product_id,
        change = adjustment.change,
        reason = adjustment.reason.as_str(),
        "stock adjusted"
    );
    Ok(stock)
}

#[derive(Debug, DerivePartialModel)]
#[sea_orm(entity = "stock_movement::Entity")]
struct MovementRow {
    quantity_change: i32,
    stock_after: i32,
    reason: StockReason,
    note: String,
    #[sea_orm(from_expr = "Expr::col((order::Entity, order::Column::Number))")]
    order_number: Option<String>,
    created_at: chrono::DateTime<Utc>,
}

/// A product's newest movements, with the order number where an order caused them.
pub async fn ledger(
    db: &impl ConnectionTrait,
    product_id: i32,
    limit: u64,
) -> Result<Vec<StockMovementView>, AppError> {
    let rows = stock_movement::Entity::find()
        .left_join(order::Entity)
        .filter(stock_movement::Column::ProductId.eq(product_id))
        .order_by_desc(stock_movement::Column::Id)
        .limit(limit)
        .into_partial_model::<MovementRow>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| StockMovementView {
            quantity_change: row.quantity_change,
            stock_after: row.stock_after,
            reason: row.reason,
            note: row.note,
            order_number: row.order_number,
            at: row.created_at.to_rfc3339(),
        })
        .collect())
}

/// A product whose stock column and ledger disagree.
#[derive(Clone, Debug, PartialEq, Eq, FromQueryResult)]
pub struct LedgerMismatch {
    pub product_id: i32,
    pub stock: i32,
    pub ledger_sum: i64,
}

/// Every product whose stock is not the sum of its movements. Empty unless something changed
/// stock behind the ledger's back.
pub async fn mismatches(db: &impl ConnectionTrait) -> Result<Vec<LedgerMismatch>, AppError> {
    let backend = db.get_database_backend();
    Ok(LedgerMismatch::find_by_statement(Statement::from_string(
        backend,
        "SELECT p.id AS product_id, p.stock AS stock, CAST(COALESCE(SUM(m.quantity_change), 0) AS BIGINT) AS ledger_sum \
         FROM products p LEFT JOIN stock_movements m ON m.product_id = p.id \
         GROUP BY p.id, p.stock HAVING p.stock <> COALESCE(SUM(m.quantity_change), 0) ORDER BY p.id",
    ))
    .all(db)
    .await?)
}
