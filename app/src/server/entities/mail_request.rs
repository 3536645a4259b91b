use sea_orm::entity::prelude::*;

/// One request for a mailed link (forgot password, send the confirmation again), for throttling.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub purpose: String,
    /// Normalised, whether or not an account has it.
    pub email: String,
    pub client_ip: String,
    pub requested_at: DateTimeUtc,
}

relations!();
