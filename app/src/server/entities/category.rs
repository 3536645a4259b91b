use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "categories")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    #[sea_orm(unique)]
    pub slug: String,
    pub description: String,
    /// Order among its siblings (the top level, or the children of one parent).
    pub position: i32,
    /// One level of nesting only: a parent never has a parent (`services::admin_categories`).
    pub parent_id: Option<i32>,
    /// Set when an admin archives it: it leaves the navigation, its products stay in the shop.
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

// `Parent` points at a row of this same table; join it through an alias, never `find_also_related`.
relations!(Product => has_many product, Parent => belongs_to category (ParentId));
