//! The storefront's compact monitoring widget: fleet status, instances and CPU, linking to the
//! metrics page. An island: the server renders the figures, the browser refreshes them. It
//! carries no chart code.

use crate::metrics::Snapshot;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How often the widget refreshes in the browser.
#[cfg(feature = "hydrate")]
const REFRESH: std::time::Duration = std::time::Duration::from_secs(15);

/// What the widget shows: a few numbers, so the island's props stay small in every page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FleetSummary {
    /// "healthy", "scaling" or "healing".
    pub state: String,
    pub in_service: u32,
    pub desired: u32,
    /// Whole percent.
    pub cpu_percent: u32,
}

impl From<&Snapshot> for FleetSummary {
    fn from(s: &Snapshot) -> Self {
        let state = if s.fleet.unhealthy > 0 {
            "healing"
        } else if s.fleet.pending > 0 || s.fleet.terminating > 0 {
            "scaling"
        } else {
            "healthy"
        };
        Self {
            state: state.to_owned(),
            in_service: s.fleet.in_service,
            desired: s.fleet.desired,
            cpu_percent: s.cpu_percent.clamp(0.0, 1000.0).round() as u32,
        }
    }
}

#[island]
pub fn FleetWidget(status: FleetSummary) -> impl IntoView {
    let status = RwSignal::new(status);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || {
                leptos::task::spawn_local(async move {
                    // A failed refresh keeps the last figures.
                    if let Ok(latest) = crate::api::monitoring::fleet_status().await {
                        status.set(FleetSummary::from(&latest));
                    }
                })
            },
            REFRESH,
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    view! {
        <aside class="fleet-widget" aria-labelledby="fleet-widget-title" data-testid="fleet-widget">
            <h2 id="fleet-widget-title" class="fleet-widget__title">"Our servers right now"</h2>
            <p class="fleet-widget__figures">
                <span class="badge" data-tone=move || status.with(|s| if s.state == "healthy" { "good" } else { "busy" })>
                    {move || status.with(|s| format!("Fleet {}", s.state))}
                </span>
                <span>{move || status.with(|s| format!("{} of {} instances in service", s.in_service, s.desired))}</span>
                <span>{move || status.with(|s| format!("CPU {} %", s.cpu_percent))}</span>
            </p>
            <a href="/monitoring">"See live metrics"</a>
        </aside>
    }
}
