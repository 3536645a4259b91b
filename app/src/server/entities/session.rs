use sea_orm::entity::prelude::*;

/// A server-side session (tower-sessions record), shared by every replica.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The session data as JSON.
    pub data: String,
    /// Unix seconds.
    pub expires_at: i64,
    /// Copied from the sign-in data on save, to end a user's other sessions in one statement.
    pub user_id: Option<i32>,
}

relations!(User => belongs_to user (UserId));
