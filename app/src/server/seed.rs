//! The demo catalog, inserted into an empty database on first start.

use crate::domain::shop::CURRENCY;
use crate::{
    domain::model::slugify,
    server::entities::{category, product},
};
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, PaginatorTrait,
    TransactionTrait,
};
use serde::Deserialize;
use std::collections::HashMap;

const CATALOG_JSON: &str = include_str!("seed/catalog.json");

/// Every seeded product image is a 4:3 SVG of this size under `public/images/products/`.
pub const IMAGE_WIDTH: i32 = 480;
pub const IMAGE_HEIGHT: i32 = 360;

#[derive(Debug, Deserialize)]
pub struct SeedCatalog {
    pub categories: Vec<SeedCategory>,
    pub products: Vec<SeedProduct>,
}

#[derive(Debug, Deserialize)]
pub struct SeedCategory {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub position: i32,
}

#[derive(Debug, Deserialize)]
pub struct SeedProduct {
    pub category: String,
    pub name: String,
    pub sku: String,
    pub price_cents: i64,
    pub stock: i32,
    pub description: String,
    pub featured: bool,
}

impl SeedProduct {
    pub fn slug(&self) -> String {
        slugify(&self.name)
    }

    pub fn image_path(&self) -> String {
        format!("/images/products/{}.svg", self.slug())
    }
}

pub fn seed_catalog() -> SeedCatalog {
    serde_json::from_str(CATALOG_JSON).expect("the embedded seed catalog is valid JSON (checked by a test)")
}

/// Inserts the seed catalog when the database has no products, in one transaction.
/// Returns how many products were inserted (0 when the catalog already had some).
pub async fn seed_catalog_if_empty(db: &DatabaseConnection) -> Result<u64, DbErr> {
    let txn = db.begin().await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        // Replicas starting together on one PostgreSQL database seed it once, not twice.
        txn.execute_unprepared("SELECT pg_advisory_xact_lock(72451)").await?;
    }
    if product::Entity::find().count(&txn).await? > 0 {
        return Ok(0);
    }
    let inserted = insert_catalog(&txn, &seed_catalog()).await?;
    txn.commit().await?;
    Ok(inserted)
}

async fn insert_catalog(db: &impl ConnectionTrait, catalog: &SeedCatalog) -> Result<u64, DbErr> {
    let now = Utc::now();
    let mut category_ids = HashMap::new();
    for seed in &catalog.categories {
        let row = category::ActiveModel {
            name: Set(seed.name.clone()),
            slug: Set(seed.slug.clone()),
            description: Set(seed.description.clone()),
            position: Set(seed.position),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        let id = category::Entity::insert(row).exec(db).await?.last_insert_id;
        category_ids.insert(seed.slug.as_str(), id);
    }

    // Spread creation times over the past weeks, first listed = newest, so "newest" is stable.
    let rows = catalog.products.iter().enumerate().map(|(index, seed)| {
        let created_at = now - Duration::hours(7 * index as i64);
        product::ActiveModel {
            category_id: Set(category_ids[seed.category.as_str()]),
            name: Set(seed.name.clone()),
            slug: Set(seed.slug()),
            sku: Set(seed.sku.clone()),
            description: Set(seed.description.clone()),
            price_cents: Set(seed.price_cents),
            currency: Set(CURRENCY.to_owned()),
            stock: Set(seed.stock),
            image_path: Set(seed.image_path()),
            image_width: Set(IMAGE_WIDTH),
            image_height: Set(IMAGE_HEIGHT),
            featured: Set(seed.featured),
            active: Set(true),
            created_at: Set(created_at),
            updated_at: Set(created_at),
            ..Default::default()
        }
    });
    product::Entity::insert_many(rows).exec(db).await?;
    crate::server::services::stock::open_ledgers(db).await?;
    Ok(catalog.products.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::path::Path;

    #[test]
    fn the_seed_catalog_has_at_least_sixty_products_in_six_categories() {
        let catalog = seed_catalog();
        assert!(catalog.categories.len() >= 6);
        assert!(catalog.products.len() >= 60);
        let used: HashSet<_> = catalog.products.iter().map(|p| p.category.as_str()).collect();
        assert_eq!(used.len(), catalog.categories.len(), "every category has products");
    }

    #[test]
    fn seed_products_have_unique_slugs_and_skus_and_known_categories() {
        let catalog = seed_catalog();
        let categories: HashSet<_> = catalog.categories.iter().map(|c| c.slug.as_str()).collect();
        let mut slugs = HashSet::new();
        let mut skus = HashSet::new();
        for product in &catalog.products {
            assert!(categories.contains(product.category.as_str()), "{}", product.name);
            assert!(slugs.insert(product.slug()), "duplicate slug {}", product.slug());
            assert!(skus.insert(product.sku.clone()), "duplicate sku {}", product.sku);
            assert!(product.price_cents > 0 && product.stock >= 0);
        }
    }

    #[test]
    fn every_seed_product_has_an_image_file() {
        let public = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
        for product in seed_catalog().products {
            let file = public.join(product.image_path().trim_start_matches('/'));
            assert!(file.is_file(), "missing {}", file.display());
        }
    }
}
