use sea_orm::entity::prelude::*;

/// One downsampled simulator snapshot, stored as JSON.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "monitoring_samples")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub recorded_at: DateTimeUtc,
    pub sim_time: f64,
    #[sea_orm(column_type = "Text")]
    pub snapshot: String,
}

relations!();
