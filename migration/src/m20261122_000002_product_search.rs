//! Full-text search over product names, descriptions and SKUs.
//!
//! SQLite: an external-content FTS5 table kept in step with `products` by triggers (porter
//! stemming, so "headphone" finds "Headphones"; prefix queries use `token*`).
//! PostgreSQL: a stored generated `tsvector` column (name weighted above description) with a GIN
//! index; prefix queries use `token:*`.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE IF NOT EXISTS products_fts USING fts5(
        name, description, sku,
        content = 'products', content_rowid = 'id',
        tokenize = 'porter unicode61 remove_diacritics 2'
    )",
    "CREATE TRIGGER IF NOT EXISTS products_fts_after_insert AFTER INSERT ON products BEGIN
        INSERT INTO products_fts (rowid, name, description, sku) VALUES (new.id, new.name, new.description, new.sku);
    END",
    "CREATE TRIGGER IF NOT EXISTS products_fts_after_delete AFTER DELETE ON products BEGIN
        INSERT INTO products_fts (products_fts, rowid, name, description, sku)
        VALUES ('delete', old.id, old.name, old.description, old.sku);
    END",
    "CREATE TRIGGER IF NOT EXISTS products_fts_after_update AFTER UPDATE OF name, description, sku ON products BEGIN
        INSERT INTO products_fts (products_fts, rowid, name, description, sku)
        VALUES ('delete', old.id, old.name, old.description, old.sku);
        INSERT INTO products_fts (rowid, name, description, sku) VALUES (new.id, new.name, new.description, new.sku);
    END",
    // Index rows that existed before this migration.
    "INSERT INTO products_fts (products_fts) VALUES ('rebuild')",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS products_fts_after_update",
    "DROP TRIGGER IF EXISTS products_fts_after_delete",
    "DROP TRIGGER IF EXISTS products_fts_after_insert",
    "DROP TABLE IF EXISTS products_fts",
];

const POSTGRES_UP: &[&str] = &[
    "ALTER TABLE products ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
        -- SKUs like AUD-1001: without the hyphen, PostgreSQL would read -1001 as a number.
        setweight(to_tsvector('simple', replace(coalesce(sku, ''), '-', ' ')), 'A') ||
        setweight(to_tsvector('english', coalesce(description, '')), 'B')
    ) STORED",
    "CREATE INDEX IF NOT EXISTS idx_products_search ON products USING GIN (search)",
];

const POSTGRES_DOWN: &[&str] =
    &["DROP INDEX IF EXISTS idx_products_search", "ALTER TABLE products DROP COLUMN IF EXISTS search"];

async fn run(manager: &SchemaManager<'_>, sqlite: &[&str], postgres: &[&str]) -> Result<(), DbErr> {
    let statements = match manager.get_database_backend() {
        DbBackend::Sqlite => sqlite,
        DbBackend::Postgres => postgres,
        other => return Err(DbErr::Migration(format!("product search is not implemented for {other:?}"))),
    };
    let db = manager.get_connection();
    for statement in statements {
        db.execute_unprepared(statement).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, SQLITE_UP, POSTGRES_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, SQLITE_DOWN, POSTGRES_DOWN).await
    }
}
