//! The storefront's compact monitoring widget: fleet status, instances and CPU, linking to the
//! metrics page. An island: the server renders the figures, the browser refreshes them. It
//! carries no chart code.

use crate::metrics::Snapshot;
use leptos::prelude::*;

/// How often the widget refreshes in the browser.
#[cfg(feature = "hydrate")]
const REFRESH: std::time::Duration = std::time::Duration::from_secs(15);

#[island]
pub fn FleetWidget(status: Snapshot) -> impl IntoView {
    let status = RwSignal::new(status);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || {
                leptos::task::spawn_local(async move {
                    // A failed refresh keeps the last figures.
                    if let Ok(latest) = crate::api::monitoring::fleet_status().await {
                        status.set(latest);
                    }
                })
            },
            REFRESH,
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    let figures = move || {
        status.with(|s| {
            let state = if s.fleet.unhealthy > 0 {
                "healing"
            } else if s.fleet.pending > 0 || s.fleet.terminating > 0 {
                "scaling"
            } else {
                "healthy"
            };
            (
                state,
                format!("{} of {} instances in service", s.fleet.in_service, s.fleet.desired),
                format!("CPU {:.0} %", s.cpu_percent),
            )
        })
    };
    view! {
        <aside class="fleet-widget" aria-labelledby="fleet-widget-title" data-testid="fleet-widget">
            <h2 id="fleet-widget-title" class="fleet-widget__title">"Our servers right now"</h2>
            <p class="fleet-widget__figures">
                <span class="badge" data-tone=move || if figures().0 == "healthy" { "good" } else { "busy" }>
                    {move || format!("Fleet {}", figures().0)}
                </span>
                <span>{move || figures().1}</span>
                <span>{move || figures().2}</span>
            </p>
            <a href="/monitoring">"See live metrics"</a>
        </aside>
    }
}
