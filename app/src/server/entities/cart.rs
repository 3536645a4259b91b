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

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::user::Entity", from = "Column::UserId", to = "super::user::Column::Id")]
    User,
    #[sea_orm(has_many = "super::cart_item::Entity")]
    CartItem,
}

related!(user => User, cart_item => CartItem);

impl ActiveModelBehavior for ActiveModel {}
