use crate::domain::commerce::{OrderStatus, PaymentMethod, PaymentStatus};
use sea_orm::entity::prelude::*;

/// A placed order. Addresses are JSON snapshots; money is in minor units.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub number: String,
    pub user_id: i32,
    pub status: OrderStatus,
    pub payment_status: PaymentStatus,
    pub payment_method: PaymentMethod,
    pub card_last4: Option<String>,
    pub shipping_address: String,
    pub billing_address: String,
    pub subtotal_cents: i64,
    pub shipping_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
    pub currency: String,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub cart_fingerprint: String,
    /// The carrier's tracking number, set when the order ships.
    pub tracking_number: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    User => belongs_to user (UserId),
    OrderItem => has_many order_item,
    StatusHistory => has_many order_status_history,
}
