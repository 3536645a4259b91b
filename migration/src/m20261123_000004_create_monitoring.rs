//! The monitoring page's timeline: a downsampled history of simulator snapshots and its event
//! log, so a restart keeps what the operator saw.

use crate::shared::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MonitoringSamples {
    Table,
    Id,
    RecordedAt,
    SimTime,
    Snapshot,
}

#[derive(DeriveIden)]
enum MonitoringEvents {
    Table,
    Id,
    RecordedAt,
    SimTime,
    Name,
    Detail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                table_with_id(MonitoringSamples::Table, MonitoringSamples::Id)
                    .col(timestamp_with_time_zone(MonitoringSamples::RecordedAt))
                    .col(double(MonitoringSamples::SimTime))
                    // One snapshot as JSON: the page reads it whole, nothing queries inside it.
                    .col(text(MonitoringSamples::Snapshot))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_monitoring_samples_recorded_at",
                MonitoringSamples::Table,
                [MonitoringSamples::RecordedAt],
            ))
            .await?;
        manager
            .create_table(
                table_with_id(MonitoringEvents::Table, MonitoringEvents::Id)
                    .col(timestamp_with_time_zone(MonitoringEvents::RecordedAt))
                    .col(double(MonitoringEvents::SimTime))
                    .col(string_len(MonitoringEvents::Name, 64))
                    .col(string_len(MonitoringEvents::Detail, 300))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_monitoring_events_recorded_at",
                MonitoringEvents::Table,
                [MonitoringEvents::RecordedAt],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, vec![MonitoringEvents::Table.into_iden(), MonitoringSamples::Table.into_iden()]).await
    }
}
