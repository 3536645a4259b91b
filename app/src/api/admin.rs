//! Admin-only server functions. Each one starts with the `require_admin` guard.

use crate::error::AppError;
use leptos::prelude::*;

/// People active in the last `minutes` (1 to 1440): signed-in users once each plus anonymous
/// sessions. The metrics page and the auto-scaling simulator read this.
#[server(endpoint = "active_users")]
pub async fn active_users(minutes: u32) -> Result<u64, AppError> {
    use crate::server::{auth::require_admin, services::activity, state::db};
    require_admin()?;
    if !(1..=1440).contains(&minutes) {
        return Err(AppError::validation("minutes", "Choose between 1 and 1440 minutes."));
    }
    activity::active_users(&db()?, i64::from(minutes), chrono::Utc::now()).await
}

/// The monitoring page's admin controls: `spike`, `fail`, `drift` or `reset`.
#[server(endpoint = "simulator_control")]
pub async fn simulator_control(action: String) -> Result<(), AppError> {
    use crate::server::{auth::require_admin, monitoring::Command, state::simulator};
    let admin = require_admin()?;
    let command = match action.as_str() {
        "spike" => Command::InjectSpike,
        "fail" => Command::FailInstance,
        "drift" => Command::CauseDrift,
        "reset" => Command::Reset,
        _ => return Err(AppError::validation("action", "Choose spike, fail, drift or reset.")),
    };
    if !simulator()?.send(command).await {
        return Err(AppError::Unavailable);
    }
    tracing::info!(user_id = admin.id, ?command, "simulator control");
    Ok(())
}
