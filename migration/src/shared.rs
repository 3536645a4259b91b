//! Statements the migrations write the same way. Each helper builds exactly the statement the
//! migrations spelled out before it existed (the schema they produce was compared, SQLite and
//! PostgreSQL, before and after), and released migrations call them: to change a statement, add
//! a helper for the new migration rather than edit one of these.

use sea_orm_migration::{prelude::*, schema::*};

/// `CREATE TABLE IF NOT EXISTS table` with an auto-increment `id` primary key; add the columns.
pub fn table_with_id(table: impl IntoIden, id: impl IntoIden) -> TableCreateStatement {
    Table::create().table(table).if_not_exists().col(pk_auto(id)).to_owned()
}

/// A time stamp that defaults to when the row is written.
pub fn timestamp_now(column: impl IntoIden) -> ColumnDef {
    timestamp_with_time_zone(column).default(Expr::current_timestamp()).to_owned()
}

/// A foreign key from `from` to `to` whose rows go when the row they point at goes.
pub fn cascade(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Cascade).to_owned()
}

/// `CREATE INDEX IF NOT EXISTS name ON table (columns…)`.
pub fn index(name: &str, table: impl IntoIden, columns: impl IntoIterator<Item = DynIden>) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table).if_not_exists();
    for column in columns {
        index.col(column);
    }
    index.to_owned()
}

pub async fn create_indexes(
    manager: &SchemaManager<'_>,
    indexes: impl IntoIterator<Item = IndexCreateStatement>,
) -> Result<(), DbErr> {
    for index in indexes {
        manager.create_index(index).await?;
    }
    Ok(())
}

/// `DROP TABLE IF EXISTS` each table, in the order given (children before their parents).
pub async fn drop_tables(manager: &SchemaManager<'_>, tables: impl IntoIterator<Item = DynIden>) -> Result<(), DbErr> {
    for table in tables {
        manager.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
    }
    Ok(())
}
