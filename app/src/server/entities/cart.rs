use sea_orm::entity::prelude::*;

/// A user's cart, or a guest's (bound to the session); exactly one of the two is set.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "carts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub user_id: Option<i32>,
    #[sea_orm(unique)]
    pub session_key: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    User => belongs_to user (UserId),
    CartItem => has_many cart_item,
}
