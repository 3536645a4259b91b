//! The back office's product management: the searchable table, the editor, create, update,
//! archive and uploaded images. Stock changes go through `services::stock`, never here
//! (except a new product's opening stock, which opens its ledger).

use crate::domain::shop::CURRENCY;
use crate::{
    domain::admin::{
        AdminPage, AdminProductRow, CategoryChoice, ProductDraft, ProductEditor, StockReason, price_field,
    },
    domain::categories::{TreePlace, tree_order},
    domain::csv,
    domain::error::{AppError, FieldError},
    domain::model::{Money, PageNumber},
    server::{
        entities::{category, order_item, product},
        services::{admin_page, begin_write, commit_catalog_write, stock},
    },
};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DerivePartialModel, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, UpdateMany,
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
};

/// The placeholder a product shows until it gets an image.
pub const PLACEHOLDER_IMAGE: &str = "/images/products/placeholder.svg";
const PLACEHOLDER_SIZE: (i32, i32) = (480, 360);
/// Movements shown in the editor.
const LEDGER_SHOWN: u64 = 50;

#[derive(Debug, DerivePartialModel)]
#[sea_orm(entity = "product::Entity")]
struct RowData {
    id: i32,
    name: String,
    sku: String,
    slug: String,
    #[sea_orm(from_expr = "Expr::col((category::Entity, category::Column::Name))")]
    category_name: String,
    price_cents: i64,
    currency: String,
    stock: i32,
    active: bool,
    archived_at: Option<chrono::DateTime<Utc>>,
}

/// `%text%` for LIKE, with the pattern characters in the text escaped.
fn contains_pattern(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{}%", escaped.to_lowercase())
}

/// Every product, archived ones too, newest first; `search` matches name, SKU or slug.
pub async fn list(
    db: &impl ConnectionTrait,
    search: Option<&str>,
    page: PageNumber,
) -> Result<AdminPage<AdminProductRow>, AppError> {
    let mut select = product::Entity::find().inner_join(category::Entity);
    if let Some(text) = search.map(str::trim).filter(|text| !text.is_empty()) {
        let pattern = contains_pattern(&text.chars().take(100).collect::<String>());
        let like = |column: product::Column| {
            Expr::expr(Func::lower(Expr::col((product::Entity, column))))
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
        };
        select = select.filter(
            Condition::any()
                .add(like(product::Column::Name))
                .add(like(product::Column::Sku))
                .add(like(product::Column::Slug)),
        );
    }
    let select = select.order_by_desc(product::Column::CreatedAt).order_by_desc(product::Column::Id);
    admin_page(db, select, page, |row: RowData| AdminProductRow {
        id: row.id,
        name: row.name,
        sku: row.sku,
        slug: row.slug,
        category_name: row.category_name,
        price: Money::new(row.price_cents, row.currency),
        stock: row.stock,
        active: row.active,
        archived: row.archived_at.is_some(),
    })
    .await
}

/// The product form's category choices in navigation order: a subcategory as "Parent › Child",
/// an archived one marked so (a product may stay in it, none may move into it).
pub async fn category_choices(db: &impl ConnectionTrait) -> Result<Vec<CategoryChoice>, AppError> {
    let all = category::Entity::find().all(db).await?;
    let name_of = |id: i32| all.iter().find(|c| c.id == id).map(|c| c.name.as_str()).unwrap_or_default();
    let ordered = tree_order(all.clone(), |c| TreePlace { id: c.id, parent: c.parent_id, position: c.position });
    Ok(ordered
        .into_iter()
        .map(|c| {
            let path = match c.parent_id {
                Some(parent) => format!("{} › {}", name_of(parent), c.name),
                None => c.name,
            };
            let name = if c.archived_at.is_some() { format!("{path} (archived)") } else { path };
            CategoryChoice { slug: c.slug, name }
        })
        .collect())
}

pub async fn editor(db: &impl ConnectionTrait, id: i32) -> Result<ProductEditor, AppError> {
    let Some((product, Some(category))) =
        product::Entity::find_by_id(id).find_also_related(category::Entity).one(db).await?
    else {
        return Err(AppError::not_found("That product"));
    };
    Ok(ProductEditor {
        id: product.id,
        name: product.name,
        slug: product.slug,
        sku: product.sku,
        description: product.description,
        category_slug: category.slug,
        price: price_field(product.price_cents),
        currency: product.currency,
        stock: product.stock,
        active: product.active,
        archived: product.archived_at.is_some(),
        image_path: product.image_path,
        image_width: product.image_width,
        image_height: product.image_height,
        ledger: stock::ledger(db, id, LEDGER_SHOWN).await?,
    })
}

/// The chosen category's id. An archived category takes no new products; a product already
/// in one may stay there (`current`: the product's category now).
async fn category_id(db: &impl ConnectionTrait, slug: &str, current: Option<i32>) -> Result<i32, AppError> {
    let chosen = category::Entity::find()
        .filter(category::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or_else(|| AppError::validation("category", "Choose one of the shop's categories."))?;
    if chosen.archived_at.is_some() && current != Some(chosen.id) {
        return Err(AppError::validation("category", "That category is archived. Choose another or restore it."));
    }
    Ok(chosen.id)
}

/// Slug and SKU are unique: a clash is a message on that field, not a database error.
async fn check_unique(db: &impl ConnectionTrait, draft: &ProductDraft, except: Option<i32>) -> Result<(), AppError> {
    let mut errors = Vec::new();
    for (column, value, field, message) in [
        (product::Column::Slug, &draft.slug, "slug", "Another product already uses this slug."),
        (product::Column::Sku, &draft.sku, "sku", "Another product already has this SKU."),
    ] {
        let mut clash = product::Entity::find().filter(column.eq(value.as_str()));
        if let Some(id) = except {
            clash = clash.filter(product::Column::Id.ne(id));
        }
        if clash.count(db).await? > 0 {
            errors.push(FieldError::new(field, message));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(AppError::Fields { errors }) }
}

/// A unique index can still refuse a row that passed `check_unique` (two admins at once).
fn clash_or(err: sea_orm::DbErr) -> AppError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::validation("sku", "Another product already has this SKU or slug.")
        }
        _ => err.into(),
    }
}

/// Creates a product and opens its stock ledger; returns its id.
pub async fn create(db: &DatabaseConnection, admin_id: i32, draft: &ProductDraft) -> Result<i32, AppError> {
    let txn = begin_write(db).await?;
    let category_id = category_id(&txn, &draft.category_slug, None).await?;
    check_unique(&txn, draft, None).await?;
    let now = Utc::now();
    let (width, height) = PLACEHOLDER_SIZE;
    let inserted = product::ActiveModel {
        category_id: Set(category_id),
        name: Set(draft.name.clone()),
        slug: Set(draft.slug.clone()),
        sku: Set(draft.sku.clone()),
        description: Set(draft.description.clone()),
        price_cents: Set(draft.price_cents),
        currency: Set(CURRENCY.to_owned()),
        // Opened by the ledger's writer below, like every other stock change.
        stock: Set(0),
        image_path: Set(draft.image_path.clone().unwrap_or_else(|| PLACEHOLDER_IMAGE.to_owned())),
        image_width: Set(width),
        image_height: Set(height),
        featured: Set(false),
        active: Set(draft.active),
        archived_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(clash_or)?;
    let cause = stock::Cause { note: "Stock when the product was created", order_id: None, user_id: Some(admin_id) };
    if !stock::apply(&txn, inserted.id, draft.initial_stock, StockReason::Initial, cause).await? {
        return Err(AppError::validation("initial_stock", "Opening stock cannot be negative."));
    }
    commit_catalog_write(txn).await?;
    tracing::info!(admin_id, product_id = inserted.id, sku = %inserted.sku, "product created");
    Ok(inserted.id)
}

/// Saves the editor. Stock is left alone (adjustments do that); making an archived product
/// active again brings it back to the shop.
pub async fn update(db: &DatabaseConnection, admin_id: i32, id: i32, draft: &ProductDraft) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let current =
        product::Entity::find_by_id(id).one(&txn).await?.ok_or_else(|| AppError::not_found("That product"))?;
    let category_id = category_id(&txn, &draft.category_slug, Some(current.category_id)).await?;
    check_unique(&txn, draft, Some(id)).await?;
    let archived_at = if draft.active { None } else { current.archived_at };
    let mut row: product::ActiveModel = current.into();
    row.category_id = Set(category_id);
    row.name = Set(draft.name.clone());
    row.slug = Set(draft.slug.clone());
    row.sku = Set(draft.sku.clone());
    row.description = Set(draft.description.clone());
    row.price_cents = Set(draft.price_cents);
    row.active = Set(draft.active);
    row.archived_at = Set(archived_at);
    if let Some(path) = &draft.image_path {
        row.image_path = Set(path.clone());
    }
    row.updated_at = Set(Utc::now());
    row.update(&txn).await.map_err(clash_or)?;
    commit_catalog_write(txn).await?;
    tracing::info!(admin_id, product_id = id, "product updated");
    Ok(())
}

/// Takes a product out of the shop for good while keeping it for the orders that name it:
/// products are archived, never deleted, so order history and the ledger stay whole.
pub async fn archive(db: &DatabaseConnection, admin_id: i32, id: i32) -> Result<(), AppError> {
    let archive = product::Entity::update_many()
        .col_expr(product::Column::Active, Expr::value(false))
        .col_expr(product::Column::ArchivedAt, Expr::value(Utc::now()));
    update_product(db, id, archive).await?;
    let on_orders = order_item::Entity::find().filter(order_item::Column::ProductId.eq(id)).count(db).await?;
    tracing::info!(admin_id, product_id = id, on_orders, "product archived");
    Ok(())
}

/// The export's columns, in order; `category` is the category's slug.
pub const EXPORT_COLUMNS: [&str; 12] = [
    "sku",
    "name",
    "slug",
    "category",
    "price",
    "currency",
    "stock",
    "active",
    "archived",
    "featured",
    "image",
    "description",
];

#[derive(Debug, DerivePartialModel)]
#[sea_orm(entity = "product::Entity")]
struct ExportRow {
    sku: String,
    name: String,
    slug: String,
    #[sea_orm(from_expr = "Expr::col((category::Entity, category::Column::Slug))")]
    category_slug: String,
    price_cents: i64,
    currency: String,
    stock: i32,
    active: bool,
    archived_at: Option<chrono::DateTime<Utc>>,
    featured: bool,
    image_path: String,
    description: String,
}

/// Every product, archived ones too, as CSV (one line per product, oldest first, after a header
/// line of [`EXPORT_COLUMNS`]). One query.
pub async fn export_csv(db: &impl ConnectionTrait) -> Result<String, AppError> {
    let rows = product::Entity::find()
        .inner_join(category::Entity)
        .order_by_asc(product::Column::Id)
        .into_partial_model::<ExportRow>()
        .all(db)
        .await?;
    let mut out = csv::line(&EXPORT_COLUMNS);
    for row in rows {
        let yes_no = |flag: bool| if flag { "yes" } else { "no" }.to_owned();
        out.push_str(&csv::line(&[
            row.sku,
            row.name,
            row.slug,
            row.category_slug,
            price_field(row.price_cents),
            row.currency,
            row.stock.to_string(),
            yes_no(row.active),
            yes_no(row.archived_at.is_some()),
            yes_no(row.featured),
            row.image_path,
            row.description,
        ]));
    }
    Ok(out)
}

/// Points a product at an uploaded image (already stored by the caller).
pub async fn set_image(
    db: &impl ConnectionTrait,
    id: i32,
    path: &str,
    width: u32,
    height: u32,
) -> Result<(), AppError> {
    let clamp = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    let point_at_image = product::Entity::update_many()
        .col_expr(product::Column::ImagePath, Expr::value(path))
        .col_expr(product::Column::ImageWidth, Expr::value(clamp(width)))
        .col_expr(product::Column::ImageHeight, Expr::value(clamp(height)));
    update_product(db, id, point_at_image).await
}

/// Applies `update` to product `id` (stamping `updated_at`) and tells the catalog caches; a
/// missing product is "not found".
async fn update_product(
    db: &impl ConnectionTrait,
    id: i32,
    update: UpdateMany<product::Entity>,
) -> Result<(), AppError> {
    let changed = update
        .col_expr(product::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(product::Column::Id.eq(id))
        .exec(db)
        .await?;
    if changed.rows_affected == 0 {
        return Err(AppError::not_found("That product"));
    }
    crate::server::catalog_version::bump();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn search_text_cannot_inject_like_wildcards() {
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
        assert_eq!(contains_pattern("Lamp"), "%lamp%");
    }
}
