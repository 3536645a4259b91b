//! Schema migrations for CloudScale Commerce.
//!
//! Migrations use string table and column names through `sea_query` identifiers so that
//! this crate does not depend on the entity definitions in `app`.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_catalog;
mod m20261122_000002_product_search;
mod m20261122_000003_create_accounts;
mod m20261123_000004_create_monitoring;
mod m20261123_000005_create_orders;
mod m20261123_000006_admin;
mod m20261203_000007_account_mail;
mod m20261207_000008_category_tree;
mod shared;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_catalog::Migration),
            Box::new(m20261122_000002_product_search::Migration),
            Box::new(m20261122_000003_create_accounts::Migration),
            Box::new(m20261123_000004_create_monitoring::Migration),
            Box::new(m20261123_000005_create_orders::Migration),
            Box::new(m20261123_000006_admin::Migration),
            Box::new(m20261203_000007_account_mail::Migration),
            Box::new(m20261207_000008_category_tree::Migration),
        ]
    }
}
