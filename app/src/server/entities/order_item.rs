use sea_orm::entity::prelude::*;

/// One line of an order, with the product's name, SKU and price as they were when bought.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub order_id: i32,
    pub product_id: i32,
    pub name: String,
    pub sku: String,
    pub unit_price_cents: i64,
    pub quantity: i32,
    pub line_total_cents: i64,
}

relations! {
    Order => belongs_to order (OrderId),
    Product => belongs_to product (ProductId),
}
