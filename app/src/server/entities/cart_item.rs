use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cart_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub cart_id: i32,
    pub product_id: i32,
    pub quantity: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::product::Entity", from = "Column::ProductId", to = "super::product::Column::Id")]
    Product,
    #[sea_orm(belongs_to = "super::cart::Entity", from = "Column::CartId", to = "super::cart::Column::Id")]
    Cart,
}

related!(product => Product, cart => Cart);

impl ActiveModelBehavior for ActiveModel {}
