//! Admin-only server functions. Each one starts with the `require_admin` guard.

// `save_product` takes the product form's fields one by one (that is how a no-JS form posts).
#![allow(clippy::too_many_arguments)]

use crate::domain::error::AppError;
use leptos::prelude::*;

/// People active in the last `minutes` (1 to 1440): signed-in users once each plus anonymous
/// sessions. The metrics page and the auto-scaling simulator read this.
#[server(endpoint = "active_users")]
pub async fn active_users(minutes: u32) -> Result<u64, AppError> {
    use crate::server::{auth::require_admin, services::activity, state::db};
    require_admin()?;
    if !(1..=1440).contains(&minutes) {
        return Err(AppError::validation("minutes", "Choose between 1 and 1440 minutes."));
    }
    activity::active_users(&db()?, i64::from(minutes), chrono::Utc::now()).await
}

/// The monitoring page's admin controls: `spike`, `fail`, `drift` or `reset`.
#[server(endpoint = "simulator_control")]
pub async fn simulator_control(action: String) -> Result<(), AppError> {
    use crate::server::{auth::require_admin, monitoring::Command, state::simulator};
    let admin = require_admin()?;
    let command = match action.as_str() {
        "spike" => Command::InjectSpike,
        "fail" => Command::FailInstance,
        "drift" => Command::CauseDrift,
        "reset" => Command::Reset,
        _ => return Err(AppError::validation("action", "Choose spike, fail, drift or reset.")),
    };
    if !simulator()?.send(command).await {
        return Err(AppError::Unavailable);
    }
    tracing::info!(user_id = admin.id, ?command, "simulator control");
    Ok(())
}

/// The products table: every product (archived too), newest first, optionally searched.
#[server(endpoint = "admin_products")]
pub async fn admin_products(
    q: Option<String>,
    page: Option<u32>,
) -> Result<crate::domain::admin::AdminPage<crate::domain::admin::AdminProductRow>, AppError> {
    use crate::server::{auth::require_admin, services::admin_catalog, state::db};
    require_admin()?;
    admin_catalog::list(&db()?, q.as_deref(), crate::domain::admin::admin_page(page)).await
}

#[server(endpoint = "admin_categories")]
pub async fn admin_categories() -> Result<Vec<crate::domain::admin::CategoryChoice>, AppError> {
    use crate::server::{auth::require_admin, services::admin_catalog, state::db};
    require_admin()?;
    admin_catalog::category_choices(&db()?).await
}

#[server(endpoint = "admin_product")]
pub async fn admin_product(id: i32) -> Result<crate::domain::admin::ProductEditor, AppError> {
    use crate::server::{auth::require_admin, services::admin_catalog, state::db};
    require_admin()?;
    admin_catalog::editor(&db()?, id).await
}

/// Creates (no `id`) or updates a product. A new product's page opens once it exists.
#[server(endpoint = "save_product")]
pub async fn save_product(
    id: Option<i32>,
    name: String,
    slug: String,
    sku: String,
    description: String,
    category: String,
    price: String,
    stock: Option<String>,
    active: Option<String>,
    image_path: Option<String>,
) -> Result<i32, AppError> {
    use crate::{
        domain::admin::{ProductDraft, ProductForm},
        server::{auth::require_admin, services::admin_catalog, state::db},
    };
    let admin = require_admin()?;
    let form = ProductForm {
        name,
        slug,
        sku,
        description,
        category,
        price,
        stock,
        active: active.is_some(),
        image_path: image_path.unwrap_or_default(),
    };
    let draft = ProductDraft::parse(&form, id.is_none())?;
    match id {
        Some(id) => {
            admin_catalog::update(&db()?, admin.id, id, &draft).await?;
            leptos_axum::redirect(&format!("/admin/products/{id}?saved=1"));
            Ok(id)
        }
        None => {
            let id = admin_catalog::create(&db()?, admin.id, &draft).await?;
            leptos_axum::redirect(&format!("/admin/products/{id}?created=1"));
            Ok(id)
        }
    }
}

#[server(endpoint = "archive_product")]
pub async fn archive_product(id: i32) -> Result<(), AppError> {
    use crate::server::{auth::require_admin, services::admin_catalog, state::db};
    let admin = require_admin()?;
    admin_catalog::archive(&db()?, admin.id, id).await
}

/// Adds (or, negative, removes) units with a reason; answers with the new stock.
#[server(endpoint = "adjust_stock")]
pub async fn adjust_stock(
    product_id: i32,
    change: String,
    reason: String,
    note: Option<String>,
) -> Result<i32, AppError> {
    use crate::{
        domain::admin::StockAdjustment,
        server::{auth::require_admin, services::stock, state::db},
    };
    let admin = require_admin()?;
    let adjustment = StockAdjustment::parse(&change, &reason, note.as_deref().unwrap_or_default())?;
    stock::adjust(&db()?, admin.id, product_id, &adjustment).await
}

/// The orders table, newest first; `status` filters (blank for all).
#[server(endpoint = "admin_orders")]
pub async fn admin_orders(
    status: Option<String>,
    page: Option<u32>,
) -> Result<crate::domain::admin::AdminPage<crate::domain::admin::AdminOrderRow>, AppError> {
    use crate::{
        domain::commerce::OrderStatus,
        server::{auth::require_admin, services::orders, state::db},
    };
    require_admin()?;
    let status = match status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => Some(OrderStatus::parse(raw).ok_or_else(|| AppError::validation("status", "Unknown status."))?),
    };
    orders::admin_list(&db()?, status, crate::domain::admin::admin_page(page)).await
}

#[server(endpoint = "admin_order")]
pub async fn admin_order(number: String) -> Result<crate::domain::admin::AdminOrderDetail, AppError> {
    use crate::server::{auth::require_admin, services::orders, state::db};
    require_admin()?;
    orders::admin_detail(&db()?, &number).await
}

/// Moves an order to `to` (`paid`, `processing`, `shipped` with a tracking number, `delivered`
/// or `cancelled`).
#[server(endpoint = "advance_order")]
pub async fn advance_order(number: String, to: String, tracking_number: Option<String>) -> Result<(), AppError> {
    use crate::{
        domain::commerce::OrderStatus,
        server::{auth::require_admin, services::orders, state::db},
    };
    let admin = require_admin()?;
    let target = OrderStatus::parse(&to).ok_or_else(|| AppError::validation("to", "Unknown status."))?;
    orders::transition(&db()?, admin.id, &number, target, tracking_number.as_deref()).await
}

#[server(endpoint = "admin_customers")]
pub async fn admin_customers(
    page: Option<u32>,
) -> Result<crate::domain::admin::AdminPage<crate::domain::admin::CustomerRow>, AppError> {
    use crate::server::{auth::require_admin, services::customers, state::db};
    require_admin()?;
    customers::list(&db()?, crate::domain::admin::admin_page(page)).await
}

/// The category table: every category, archived ones too, in navigation order.
#[server(endpoint = "admin_category_list")]
pub async fn admin_category_list() -> Result<Vec<crate::domain::categories::AdminCategoryRow>, AppError> {
    use crate::server::{auth::require_admin, services::admin_categories, state::db};
    require_admin()?;
    admin_categories::list(&db()?).await
}

/// The categories a new category may be filed under.
#[server(endpoint = "admin_category_parents")]
pub async fn admin_category_parents() -> Result<Vec<crate::domain::model::CategoryRef>, AppError> {
    use crate::server::{auth::require_admin, services::admin_categories, state::db};
    require_admin()?;
    admin_categories::parent_choices(&db()?, None).await
}

#[server(endpoint = "admin_category")]
pub async fn admin_category(id: i32) -> Result<crate::domain::categories::CategoryEditor, AppError> {
    use crate::server::{auth::require_admin, services::admin_categories, state::db};
    require_admin()?;
    admin_categories::editor(&db()?, id).await
}

/// Creates (no `id`) or updates a category; its editor opens once it exists.
#[server(endpoint = "save_category")]
pub async fn save_category(
    id: Option<i32>,
    name: String,
    slug: String,
    description: String,
    parent: Option<String>,
) -> Result<i32, AppError> {
    use crate::{
        domain::categories::{CategoryDraft, CategoryForm},
        server::{auth::require_admin, services::admin_categories, state::db},
    };
    let admin = require_admin()?;
    let draft = CategoryDraft::parse(&CategoryForm { name, slug, description, parent: parent.unwrap_or_default() })?;
    let (id, notice) = match id {
        Some(id) => (admin_categories::update(&db()?, admin.id, id, &draft).await.map(|()| id)?, "saved"),
        None => (admin_categories::create(&db()?, admin.id, &draft).await?, "created"),
    };
    leptos_axum::redirect(&format!("/admin/categories/{id}?{notice}=1"));
    Ok(id)
}

/// Moves a category one place `up` or `down` among its siblings.
#[server(endpoint = "move_category")]
pub async fn move_category(id: i32, direction: String) -> Result<(), AppError> {
    use crate::{
        domain::categories::Direction,
        server::{auth::require_admin, services::admin_categories, state::db},
    };
    let admin = require_admin()?;
    let direction =
        Direction::parse(&direction).ok_or_else(|| AppError::validation("direction", "Choose up or down."))?;
    admin_categories::shift(&db()?, admin.id, id, direction).await
}

/// Archives (`archived` = `true`) or restores (`false`) a category.
#[server(endpoint = "archive_category")]
pub async fn archive_category(id: i32, archived: bool) -> Result<(), AppError> {
    use crate::server::{auth::require_admin, services::admin_categories, state::db};
    let admin = require_admin()?;
    admin_categories::set_archived(&db()?, admin.id, id, archived).await
}

/// Deletes an empty category (no products, no subcategories).
#[server(endpoint = "delete_category")]
pub async fn delete_category(id: i32) -> Result<(), AppError> {
    use crate::server::{auth::require_admin, services::admin_categories, state::db};
    let admin = require_admin()?;
    admin_categories::delete(&db()?, admin.id, id).await?;
    leptos_axum::redirect("/admin/categories?deleted=1");
    Ok(())
}
