//! The shop's own pages: read by anyone, edited by an admin.

use crate::{domain::content::ShopPage, domain::error::AppError};
use leptos::prelude::*;

#[server(endpoint = "shop_page")]
pub async fn get_shop_page(slug: String) -> Result<ShopPage, AppError> {
    use crate::server::{services::shop_pages, state::db};
    shop_pages::get(&db()?, &slug).await
}

#[server(endpoint = "admin_shop_pages")]
pub async fn list_shop_pages() -> Result<Vec<ShopPage>, AppError> {
    use crate::server::{auth::require_admin, services::shop_pages, state::db};
    require_admin()?;
    shop_pages::list(&db()?).await
}

#[server(endpoint = "save_shop_page")]
pub async fn save_shop_page(slug: String, title: String, body: String) -> Result<ShopPage, AppError> {
    use crate::server::{auth::require_admin, services::shop_pages, state::db};
    let admin = require_admin()?;
    let saved = shop_pages::save(&db()?, &slug, &title, &body).await?;
    tracing::info!(admin_id = admin.id, page = %saved.slug, "shop page saved");
    leptos_axum::redirect(&format!("/admin/pages/{}?saved=1", saved.slug));
    Ok(saved)
}
