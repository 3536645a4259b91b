//! The shop's own pages: read by the storefront, written by the admin.

use crate::{
    domain::content::{ShopPage, is_shop_page, parse_page},
    domain::error::AppError,
    server::{entities::shop_page, markdown},
};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{Set, Unchanged},
    ConnectionTrait, EntityTrait, QueryOrder,
};

fn to_page(row: shop_page::Model) -> ShopPage {
    ShopPage {
        html: markdown::render(&row.body),
        slug: row.slug,
        title: row.title,
        markdown: row.body,
        updated_at: row.updated_at.to_rfc3339(),
    }
}

pub async fn get(db: &impl ConnectionTrait, slug: &str) -> Result<ShopPage, AppError> {
    if !is_shop_page(slug) {
        return Err(AppError::not_found("That page"));
    }
    let row = shop_page::Entity::find_by_id(slug.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That page"))?;
    Ok(to_page(row))
}

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<ShopPage>, AppError> {
    Ok(shop_page::Entity::find()
        .order_by_asc(shop_page::Column::Slug)
        .all(db)
        .await?
        .into_iter()
        .map(to_page)
        .collect())
}

pub async fn save(db: &impl ConnectionTrait, slug: &str, title: &str, body: &str) -> Result<ShopPage, AppError> {
    let existing = get(db, slug).await?;
    let (title, body) = parse_page(title, body)?;
    let row = shop_page::ActiveModel {
        slug: Unchanged(existing.slug),
        title: Set(title),
        body: Set(body),
        updated_at: Set(Utc::now()),
    }
    .update(db)
    .await?;
    // The page cache keeps public pages until the version moves.
    crate::server::catalog_version::bump();
    Ok(to_page(row))
}
