use sea_orm::entity::prelude::*;

/// Where and when a session was last seen: the "Devices" list and the active-user count.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session_activity")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The session's id; never sent to the browser (the row id names a device instead).
    #[sea_orm(unique)]
    pub session_id: String,
    pub user_id: Option<i32>,
    pub client_ip: String,
    pub user_agent: String,
    pub first_seen: DateTimeUtc,
    pub last_seen: DateTimeUtc,
}

relations!();
