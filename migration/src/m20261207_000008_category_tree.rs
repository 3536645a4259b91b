//! Categories the operator manages: one level of nesting (a parent and its children) and
//! archiving, which takes a category out of the shop's navigation without touching its products.

use crate::shared::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Categories {
    Table,
    ParentId,
    ArchivedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite cannot add a foreign key to an existing table, but it accepts a column that
        // references one (NULL for every existing row); PostgreSQL reads the same clause.
        // RESTRICT: a parent goes only once it has no children (the service says so first).
        manager
            .alter_table(
                Table::alter()
                    .table(Categories::Table)
                    .add_column(
                        integer_null(Categories::ParentId).extra("REFERENCES categories (id) ON DELETE RESTRICT"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Categories::Table)
                    .add_column(timestamp_with_time_zone_null(Categories::ArchivedAt))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("idx_categories_parent", Categories::Table, [Categories::ParentId])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_categories_parent").table(Categories::Table).to_owned()).await?;
        manager
            .alter_table(Table::alter().table(Categories::Table).drop_column(Categories::ArchivedAt).to_owned())
            .await?;
        manager.alter_table(Table::alter().table(Categories::Table).drop_column(Categories::ParentId).to_owned()).await
    }
}
