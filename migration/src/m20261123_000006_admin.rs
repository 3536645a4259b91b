//! The back office: a stock-movement ledger that every stock change writes to (so the ledger's
//! sum per product always equals `products.stock`), archived products, and tracking numbers.

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
    Id,
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
                Table::create()
                    .table(StockMovements::Table)
                    .if_not_exists()
                    .col(pk_auto(StockMovements::Id))
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
                    .col(timestamp_with_time_zone(StockMovements::CreatedAt).default(Expr::current_timestamp()))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_stock_movements_product")
                            .from(StockMovements::Table, StockMovements::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_stock_movements_product")
                    .table(StockMovements::Table)
                    .col(StockMovements::ProductId)
                    .col(StockMovements::Id)
                    .if_not_exists()
                    .to_owned(),
            )
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
