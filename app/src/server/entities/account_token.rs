use sea_orm::entity::prelude::*;

/// A single-use link (password reset, address confirmation). Only the SHA-256 of the token is
/// kept; redeeming one deletes it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    pub purpose: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    /// The address the link went to; for an address change, the new one.
    pub email: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

relations!(User => belongs_to user (UserId));
