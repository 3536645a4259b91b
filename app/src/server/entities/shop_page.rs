use sea_orm::entity::prelude::*;

/// A page the operator writes in the admin (terms, privacy, returns, contact), as Markdown.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "shop_pages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    pub title: String,
    pub body: String,
    pub updated_at: DateTimeUtc,
}

relations!();
