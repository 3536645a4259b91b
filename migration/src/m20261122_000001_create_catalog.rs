use crate::shared::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Categories {
    Table,
    Id,
    Name,
    Slug,
    Description,
    Position,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Products {
    Table,
    Id,
    CategoryId,
    Name,
    Slug,
    Sku,
    Description,
    PriceCents,
    Currency,
    Stock,
    ImagePath,
    ImageWidth,
    ImageHeight,
    Featured,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_tables(
            manager,
            [
                table_with_id(Categories::Table, Categories::Id)
                    .col(string_len(Categories::Name, 80))
                    .col(string_len_uniq(Categories::Slug, 80))
                    .col(text(Categories::Description))
                    .col(integer(Categories::Position).default(0))
                    .col(timestamp_now(Categories::CreatedAt))
                    .col(timestamp_now(Categories::UpdatedAt))
                    .to_owned(),
                // CHECK constraints must be part of CREATE TABLE: SQLite cannot add them later.
                table_with_id(Products::Table, Products::Id)
                    .col(integer(Products::CategoryId))
                    .col(string_len(Products::Name, 160))
                    .col(string_len_uniq(Products::Slug, 160))
                    .col(string_len_uniq(Products::Sku, 32))
                    .col(text(Products::Description))
                    .col(
                        big_integer(Products::PriceCents)
                            .check(("products_price_not_negative", Expr::col(Products::PriceCents).gte(0))),
                    )
                    .col(char_len(Products::Currency, 3).default("USD"))
                    .col(
                        integer(Products::Stock)
                            .check(("products_stock_not_negative", Expr::col(Products::Stock).gte(0))),
                    )
                    .col(string_len(Products::ImagePath, 255))
                    .col(integer(Products::ImageWidth))
                    .col(integer(Products::ImageHeight))
                    .col(boolean(Products::Featured).default(false))
                    .col(boolean(Products::Active).default(true))
                    .col(timestamp_now(Products::CreatedAt))
                    .col(timestamp_now(Products::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_products_category")
                            .from(Products::Table, Products::CategoryId)
                            .to(Categories::Table, Categories::Id)
                            .on_delete(ForeignKeyAction::Restrict)
                            .on_update(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            ],
        )
        .await?;

        // Listing queries always filter on `active` and order by one of these columns; the id
        // breaks ties so pagination is stable.
        let listing_indexes: [(&str, &[Products]); 5] = [
            ("idx_products_active_created", &[Products::Active, Products::CreatedAt, Products::Id]),
            ("idx_products_active_price", &[Products::Active, Products::PriceCents, Products::Id]),
            ("idx_products_active_name", &[Products::Active, Products::Name, Products::Id]),
            (
                "idx_products_category_active_created",
                &[Products::CategoryId, Products::Active, Products::CreatedAt, Products::Id],
            ),
            ("idx_products_featured", &[Products::Featured, Products::Active]),
        ];
        let indexes: Vec<_> = listing_indexes
            .iter()
            .map(|(name, columns)| index(name, Products::Table, columns.iter().copied()))
            .collect();
        create_indexes(manager, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Products::Table).if_exists().to_owned()).await?;
        manager.drop_table(Table::drop().table(Categories::Table).if_exists().to_owned()).await
    }
}
