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
