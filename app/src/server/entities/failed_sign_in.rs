use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "failed_sign_ins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Normalised, whether or not an account has it.
    pub email: String,
    pub client_ip: String,
    pub attempted_at: DateTimeUtc,
}

relations!();
