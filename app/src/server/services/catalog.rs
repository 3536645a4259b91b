use crate::{
    error::AppError,
    model::{Money, PageWindow, ProductCard, ProductPage},
    server::entities::{category, product},
};
use sea_orm::{ConnectionTrait, FromQueryResult, QueryOrder, QuerySelect, prelude::*, sea_query::Order};

/// The columns a card needs, joined with the category name in the same query (no N+1).
#[derive(Debug, FromQueryResult)]
struct CardRow {
    id: i32,
    name: String,
    slug: String,
    category_name: String,
    price_cents: i64,
    currency: String,
    stock: i32,
    image_path: String,
    image_width: i32,
    image_height: i32,
}

impl From<CardRow> for ProductCard {
    fn from(row: CardRow) -> Self {
        Self {
            id: row.id,
            name: row.name,
            slug: row.slug,
            category_name: row.category_name,
            price: Money::new(row.price_cents, row.currency),
            stock: row.stock,
            image_path: row.image_path,
            image_width: row.image_width,
            image_height: row.image_height,
        }
    }
}

fn card_query() -> Select<product::Entity> {
    product::Entity::find()
        .select_only()
        .columns([
            product::Column::Id,
            product::Column::Name,
            product::Column::Slug,
            product::Column::PriceCents,
            product::Column::Currency,
            product::Column::Stock,
            product::Column::ImagePath,
            product::Column::ImageWidth,
            product::Column::ImageHeight,
        ])
        .column_as(category::Column::Name, "category_name")
        .inner_join(category::Entity)
        .filter(product::Column::Active.eq(true))
}

/// Active products, newest first, in the given window. Fetches one extra row to learn
/// whether another page exists, instead of a separate COUNT query.
pub async fn latest_products(db: &impl ConnectionTrait, window: PageWindow) -> Result<ProductPage, AppError> {
    let mut rows = card_query()
        .order_by(product::Column::CreatedAt, Order::Desc)
        .order_by(product::Column::Id, Order::Desc)
        .offset(window.offset())
        .limit(window.limit() + 1)
        .into_model::<CardRow>()
        .all(db)
        .await?;
    let has_more = rows.len() as u64 > window.limit();
    rows.truncate(window.limit() as usize);
    Ok(ProductPage { items: rows.into_iter().map(ProductCard::from).collect(), has_more })
}
