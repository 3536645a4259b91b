//! Statements the migrations write the same way. Each helper builds exactly the statement the
//! migrations spelled out before it existed (the schema they produce was compared, SQLite and
//! PostgreSQL, before and after), and released migrations call them: to change a statement, add
//! a helper for the new migration rather than edit one of these.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::StatementBuilder};

/// `CREATE TABLE IF NOT EXISTS table` with an auto-increment `id` primary key; add the columns.
pub fn table_with_id(table: impl IntoIden, id: impl IntoIden) -> TableCreateStatement {
    Table::create().table(table).if_not_exists().col(pk_auto(id)).to_owned()
}

/// A time stamp that defaults to when the row is written.
pub fn timestamp_now(column: impl IntoIden) -> ColumnDef {
    timestamp_with_time_zone(column).default(Expr::current_timestamp()).to_owned()
}

/// A foreign key, declared inside the child's `CREATE TABLE`, from `column` to `parent`'s `id`;
/// the child's rows go when the parent row they point at goes.
pub fn cascade(name: &str, column: impl IntoIden, parent: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from_col(column)
        .to(parent, Alias::new("id"))
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// Runs each statement, in the order given.
async fn execute_all<S: StatementBuilder>(
    manager: &SchemaManager<'_>,
    statements: impl IntoIterator<Item = S>,
) -> Result<(), DbErr> {
    for statement in statements {
        manager.execute(statement).await?;
    }
    Ok(())
}

/// `CREATE TABLE` each table, in the order given (parents before their children).
pub async fn create_tables(
    manager: &SchemaManager<'_>,
    tables: impl IntoIterator<Item = TableCreateStatement>,
) -> Result<(), DbErr> {
    execute_all(manager, tables).await
}

/// `CREATE INDEX IF NOT EXISTS name ON table (columns…)`.
pub fn index<C: IntoIden>(
    name: &str,
    table: impl IntoIden,
    columns: impl IntoIterator<Item = C>,
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table).if_not_exists();
    for column in columns {
        index.col(column.into_iden());
    }
    index.to_owned()
}

/// `CREATE UNIQUE INDEX IF NOT EXISTS name ON table (columns…)`.
pub fn unique_index<C: IntoIden>(
    name: &str,
    table: impl IntoIden,
    columns: impl IntoIterator<Item = C>,
) -> IndexCreateStatement {
    index(name, table, columns).unique().to_owned()
}

pub async fn create_indexes(
    manager: &SchemaManager<'_>,
    indexes: impl IntoIterator<Item = IndexCreateStatement>,
) -> Result<(), DbErr> {
    execute_all(manager, indexes).await
}

/// `DROP TABLE IF EXISTS` each table, in the order given (children before their parents).
pub async fn drop_tables(manager: &SchemaManager<'_>, tables: impl IntoIterator<Item = DynIden>) -> Result<(), DbErr> {
    execute_all(manager, tables.into_iter().map(|table| Table::drop().table(table).if_exists().to_owned())).await
}

#[derive(DeriveIden)]
enum EmailOutbox {
    Table,
    Id,
    OrderId,
    Kind,
    Recipient,
    Attempts,
    NextAttemptAt,
    SentAt,
    LastError,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
}

/// The order-only outbox and its indexes: created by 20261123_000005, replaced by the general
/// outbox in 20261203_000007, whose down() brings it back through this same function.
pub async fn create_email_outbox(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            table_with_id(EmailOutbox::Table, EmailOutbox::Id)
                .col(integer(EmailOutbox::OrderId))
                .col(string_len(EmailOutbox::Kind, 32))
                .col(string_len(EmailOutbox::Recipient, 254))
                .col(integer(EmailOutbox::Attempts).default(0))
                .col(timestamp_now(EmailOutbox::NextAttemptAt))
                .col(timestamp_with_time_zone_null(EmailOutbox::SentAt))
                .col(string_len_null(EmailOutbox::LastError, 300))
                .col(timestamp_now(EmailOutbox::CreatedAt))
                .foreign_key(&mut cascade("fk_email_outbox_order", EmailOutbox::OrderId, Orders::Table))
                .to_owned(),
        )
        .await?;
    let indexes = [
        // At most one message of each kind per order: the worker may retry, never duplicate.
        unique_index("uq_email_outbox_order_kind", EmailOutbox::Table, [EmailOutbox::OrderId, EmailOutbox::Kind]),
        index("idx_email_outbox_due", EmailOutbox::Table, [EmailOutbox::SentAt, EmailOutbox::NextAttemptAt]),
    ];
    create_indexes(manager, indexes).await
}
