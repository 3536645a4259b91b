use crate::domain::accounts::Role;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Trimmed and lowercased.
    #[sea_orm(unique)]
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    /// PHC string (argon2id).
    pub password_hash: String,
    /// `customer` or `admin`.
    pub role: Role,
    /// When the person proved they read mail at `email`; `None` until then.
    pub email_verified_at: Option<DateTimeUtc>,
    /// Set when the account was deleted and its personal data erased.
    pub deleted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

relations! {
    Order => has_many order,
    Address => has_many address,
}
