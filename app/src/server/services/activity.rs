//! Session activity: where and when each session was last seen. It feeds the account page's
//! "Devices" list and the "active users" figure the auto-scaling simulator uses.

use crate::{
    domain::accounts::Device,
    domain::error::AppError,
    server::entities::{session, session_activity},
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{OnConflict, Query},
};

/// What one request tells about its session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sighting {
    pub session_id: String,
    pub user_id: Option<i32>,
    pub client_ip: String,
    pub user_agent: String,
    pub at: DateTime<Utc>,
}

/// Records a sighting: the first one creates the row, later ones move `last_seen` (the caller
/// throttles this to once a minute per session).
pub async fn record(db: &impl ConnectionTrait, sighting: Sighting) -> Result<(), AppError> {
    let client_ip: String = sighting.client_ip.chars().take(45).collect();
    let user_agent: String = sighting.user_agent.chars().filter(|c| !c.is_control()).take(512).collect();
    session_activity::Entity::insert(session_activity::ActiveModel {
        session_id: Set(sighting.session_id),
        user_id: Set(sighting.user_id),
        client_ip: Set(client_ip),
        user_agent: Set(user_agent),
        first_seen: Set(sighting.at),
        last_seen: Set(sighting.at),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(session_activity::Column::SessionId)
            .update_columns([
                session_activity::Column::UserId,
                session_activity::Column::ClientIp,
                session_activity::Column::UserAgent,
                session_activity::Column::LastSeen,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// People active in the last `minutes`: each signed-in user once, however many devices, plus
/// each anonymous session.
pub async fn active_users(db: &impl ConnectionTrait, minutes: i64, now: DateTime<Utc>) -> Result<u64, AppError> {
    let since = now - Duration::minutes(minutes);
    let recent = session_activity::Entity::find().filter(session_activity::Column::LastSeen.gt(since));
    let anonymous = recent.clone().filter(session_activity::Column::UserId.is_null()).count(db).await?;
    let signed_in: Vec<Option<i32>> = recent
        .filter(session_activity::Column::UserId.is_not_null())
        .select_only()
        .column(session_activity::Column::UserId)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    Ok(anonymous + signed_in.len() as u64)
}

/// The user's signed-in sessions that still exist, most recently seen first.
pub async fn devices(
    db: &impl ConnectionTrait,
    user_id: i32,
    current_session: Option<&str>,
) -> Result<Vec<Device>, AppError> {
    let live: Vec<String> = session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::ExpiresAt.gt(Utc::now().timestamp()))
        .select_only()
        .column(session::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    if live.is_empty() {
        return Ok(Vec::new());
    }
    let rows = session_activity::Entity::find()
        .filter(session_activity::Column::UserId.eq(user_id))
        .filter(session_activity::Column::SessionId.is_in(live))
        .order_by_desc(session_activity::Column::LastSeen)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| Device {
            id: row.id,
            is_current: current_session == Some(row.session_id.as_str()),
            user_agent: row.user_agent,
            client_ip: row.client_ip,
            first_seen: row.first_seen.to_rfc3339(),
            last_seen: row.last_seen.to_rfc3339(),
        })
        .collect())
}

/// Ends one of the user's sessions by its device id; someone else's device answers 404.
pub async fn sign_out_device(db: &impl ConnectionTrait, user_id: i32, device_id: i32) -> Result<(), AppError> {
    let row = session_activity::Entity::find_by_id(device_id)
        .filter(session_activity::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That device"))?;
    session::Entity::delete_many()
        .filter(session::Column::Id.eq(row.session_id.as_str()))
        .filter(session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    session_activity::Entity::delete_by_id(row.id).exec(db).await?;
    Ok(())
}

/// Forgets activity of sessions that are gone and were last seen over a day ago.
pub async fn prune(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, AppError> {
    let live = Query::select().column(session::Column::Id).from(session::Entity).to_owned();
    let stale = session_activity::Entity::delete_many()
        .filter(session_activity::Column::LastSeen.lt(now - Duration::days(1)))
        .filter(session_activity::Column::SessionId.not_in_subquery(live))
        .exec(db)
        .await?;
    Ok(stale.rows_affected)
}

/// Forgets one session's activity (it was signed out or renewed), so it stops counting.
pub async fn forget(db: &impl ConnectionTrait, session_id: &str) -> Result<(), AppError> {
    session_activity::Entity::delete_many().filter(session_activity::Column::SessionId.eq(session_id)).exec(db).await?;
    Ok(())
}
