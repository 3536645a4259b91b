use sea_orm::entity::prelude::*;

/// One line of the monitoring page's event log.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "monitoring_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub recorded_at: DateTimeUtc,
    pub sim_time: f64,
    pub name: String,
    pub detail: String,
}

relations!();
