//! The monitoring page's public reads. The controls are admin-only and live in `admin`.

use crate::domain::error::AppError;
use leptos::prelude::*;
use simulator::snapshot::{FleetSummary, Overview};

/// The recent history and event log the metrics page first renders; the stream takes over.
#[server(endpoint = "monitoring_overview")]
pub async fn monitoring_overview() -> Result<Overview, AppError> {
    Ok(crate::server::state::simulator()?.overview())
}

/// The fleet in a few figures, for the storefront's compact widget.
#[server(endpoint = "fleet_status")]
pub async fn fleet_status() -> Result<FleetSummary, AppError> {
    fleet_status_now()
}

/// The fleet's figures, read at once from the simulator in this process.
#[cfg(feature = "ssr")]
pub fn fleet_status_now() -> Result<FleetSummary, AppError> {
    Ok(FleetSummary::from(&crate::server::state::simulator()?.latest().snapshot))
}
