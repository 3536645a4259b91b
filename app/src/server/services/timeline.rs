//! The monitoring timeline on disk: downsampled snapshots and the event log, so a restarted
//! server picks up where the page left off.

use crate::{
    domain::error::AppError,
    server::entities::{monitoring_event, monitoring_sample},
};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use simulator::snapshot::{EventView, Snapshot};

pub async fn save_sample(db: &impl ConnectionTrait, snapshot: &Snapshot, at: DateTime<Utc>) -> Result<(), AppError> {
    let json =
        serde_json::to_string(snapshot).map_err(|err| AppError::internal("encode a monitoring snapshot", err))?;
    monitoring_sample::Entity::insert(monitoring_sample::ActiveModel {
        recorded_at: Set(at),
        sim_time: Set(snapshot.sim_time),
        snapshot: Set(json),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn save_events(db: &impl ConnectionTrait, events: &[EventView], at: DateTime<Utc>) -> Result<(), AppError> {
    if events.is_empty() {
        return Ok(());
    }
    let rows = events.iter().map(|event| monitoring_event::ActiveModel {
        recorded_at: Set(at),
        sim_time: Set(event.sim_time),
        name: Set(event.name.chars().take(64).collect()),
        detail: Set(event.detail.chars().take(300).collect()),
        ..Default::default()
    });
    monitoring_event::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

/// The newest `limit` samples recorded since `since`, oldest first. A row that no longer
/// decodes (an older snapshot shape) is skipped, not fatal.
pub async fn recent_samples(
    db: &impl ConnectionTrait,
    since: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Snapshot>, AppError> {
    let rows = monitoring_sample::Entity::find()
        .filter(monitoring_sample::Column::RecordedAt.gte(since))
        .order_by_desc(monitoring_sample::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let mut samples: Vec<Snapshot> = rows
        .into_iter()
        .filter_map(|row| match serde_json::from_str(&row.snapshot) {
            Ok(snapshot) => Some(snapshot),
            Err(err) => {
                tracing::warn!(id = row.id, %err, "skipping a stored snapshot that no longer decodes");
                None
            }
        })
        .collect();
    samples.reverse();
    Ok(samples)
}

/// The newest `limit` events, newest first.
pub async fn recent_events(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<EventView>, AppError> {
    let rows =
        monitoring_event::Entity::find().order_by_desc(monitoring_event::Column::Id).limit(limit).all(db).await?;
    Ok(rows.into_iter().map(|row| EventView { sim_time: row.sim_time, name: row.name, detail: row.detail }).collect())
}

/// Forgets what was recorded before `before`; returns how many rows went.
pub async fn prune(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, AppError> {
    let samples = monitoring_sample::Entity::delete_many()
        .filter(monitoring_sample::Column::RecordedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected;
    let events = monitoring_event::Entity::delete_many()
        .filter(monitoring_event::Column::RecordedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected;
    Ok(samples + events)
}
