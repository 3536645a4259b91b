//! The back office: a stock-movement ledger that every stock change writes to (so the ledger's
//! sum per product always equals `products.stock`), archived products, and tracking numbers.

use crate::shared::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StockMovements {
    Table,
    Id,
    ProductId,
    QuantityChange,
    StockAfter,
    Reason,
    Note,
    OrderId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    TrackingNumber,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table_with_id(StockMovements::Table, StockMovements::Id)
                    .col(integer(StockMovements::ProductId))
                    .col(integer(StockMovements::QuantityChange))
                    .col(integer(StockMovements::StockAfter).check((
                        "stock_movements_stock_after_not_negative",
                        Expr::col(StockMovements::StockAfter).gte(0),
                    )))
                    .col(string_len(StockMovements::Reason, 24))
                    .col(string_len(StockMovements::Note, 200).default(""))
                    // Plain references, no foreign keys: the ledger outlives what it mentions.
                    .col(integer_null(StockMovements::OrderId))
                    .col(integer_null(StockMovements::UserId))
                    .col(timestamp_now(StockMovements::CreatedAt))
                    .foreign_key(&mut cascade("fk_stock_movements_product", StockMovements::ProductId, Products::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_stock_movements_product",
                StockMovements::Table,
                [StockMovements::ProductId, StockMovements::Id],
            ))
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Products::Table)
                    .add_column(timestamp_with_time_zone_null(Products::ArchivedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Orders::Table).add_column(string_len_null(Orders::TrackingNumber, 64)).to_owned(),
            )
            .await?;
        // The ledger opens with each product's current stock.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO stock_movements (product_id, quantity_change, stock_after, reason, note, created_at) \
                 SELECT id, stock, stock, 'initial', 'Stock when the ledger began', CURRENT_TIMESTAMP FROM products",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Orders::Table).drop_column(Orders::TrackingNumber).to_owned()).await?;
        manager.alter_table(Table::alter().table(Products::Table).drop_column(Products::ArchivedAt).to_owned()).await?;
        manager.drop_table(Table::drop().table(StockMovements::Table).if_exists().to_owned()).await
    }
}
