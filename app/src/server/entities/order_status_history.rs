use crate::domain::commerce::OrderStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_status_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub order_id: i32,
    pub status: OrderStatus,
    pub note: String,
    pub created_at: DateTimeUtc,
}

relations!(Order => belongs_to order (OrderId));
