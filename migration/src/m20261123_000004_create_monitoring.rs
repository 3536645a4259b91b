//! The monitoring page's timeline: a downsampled history of simulator snapshots and its event
//! log, so a restart keeps what the operator saw.

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
                Table::create()
                    .table(MonitoringSamples::Table)
                    .if_not_exists()
                    .col(pk_auto(MonitoringSamples::Id))
                    .col(timestamp_with_time_zone(MonitoringSamples::RecordedAt))
                    .col(double(MonitoringSamples::SimTime))
                    // One snapshot as JSON: the page reads it whole, nothing queries inside it.
                    .col(text(MonitoringSamples::Snapshot))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_monitoring_samples_recorded_at")
                    .table(MonitoringSamples::Table)
                    .col(MonitoringSamples::RecordedAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MonitoringEvents::Table)
                    .if_not_exists()
                    .col(pk_auto(MonitoringEvents::Id))
                    .col(timestamp_with_time_zone(MonitoringEvents::RecordedAt))
                    .col(double(MonitoringEvents::SimTime))
                    .col(string_len(MonitoringEvents::Name, 64))
                    .col(string_len(MonitoringEvents::Detail, 300))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_monitoring_events_recorded_at")
                    .table(MonitoringEvents::Table)
                    .col(MonitoringEvents::RecordedAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [MonitoringEvents::Table.into_iden(), MonitoringSamples::Table.into_iden()] {
            manager.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
