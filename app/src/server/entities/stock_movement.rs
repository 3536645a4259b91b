use crate::domain::admin::StockReason;
use sea_orm::entity::prelude::*;

/// One change to a product's stock. Every change writes one, in the same transaction, so the
/// sum of `quantity_change` per product equals `products.stock`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_movements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub product_id: i32,
    pub quantity_change: i32,
    pub stock_after: i32,
    pub reason: StockReason,
    pub note: String,
    pub order_id: Option<i32>,
    pub user_id: Option<i32>,
    pub created_at: DateTimeUtc,
}

relations! {
    Product => belongs_to product (ProductId),
    Order => belongs_to order (OrderId),
    User => belongs_to user (UserId),
}
