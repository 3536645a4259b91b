//! The storefront's compact monitoring widget: fleet status, instances and CPU, linking to the
//! metrics page. The server renders the figures; in the browser a small island refreshes them.
//! It carries no chart code.

use leptos::prelude::*;
use simulator::snapshot::FleetSummary;

/// How often the widget refreshes in the browser.
#[cfg(feature = "hydrate")]
const REFRESH: std::time::Duration = std::time::Duration::from_secs(15);

#[component]
pub fn FleetWidget(status: FleetSummary) -> impl IntoView {
    view! {
        <FleetRefresh>
            <aside class="fleet-widget" aria-labelledby="fleet-widget-title" data-testid="fleet-widget">
                <h2 id="fleet-widget-title" class="fleet-widget__title">"Our servers right now"</h2>
                <p class="fleet-widget__figures">
                    <span class="badge" data-tone=status.tone() data-fleet="state">{status.state_text()}</span>
                    <span data-fleet="instances">{status.instances_text()}</span>
                    <span data-fleet="cpu">{status.cpu_text()}</span>
                </p>
                <a href="/monitoring">"See live metrics"</a>
            </aside>
        </FleetRefresh>
    }
}

/// Refreshes the figures the server rendered (its children, so it has no props to parse) every
/// [`REFRESH`]. The refresh itself is a wasm chunk of its own, fetched at the first refresh.
#[island]
fn FleetRefresh(children: Children) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(|| leptos::task::spawn_local(refresh()), REFRESH) {
            on_cleanup(move || handle.clear());
        }
    });
    children()
}

/// Asks the server for the latest figures and writes them into the widget. A failed refresh
/// keeps the last figures.
#[cfg(feature = "hydrate")]
#[leptos::lazy]
async fn refresh() {
    let Ok(status) = crate::server_fns::monitoring::fleet_status().await else {
        return;
    };
    let figure = |name: &str| document().query_selector(&format!("[data-fleet={name}]")).ok().flatten();
    if let Some(state) = figure("state") {
        state.set_text_content(Some(&status.state_text()));
        let _ = state.set_attribute("data-tone", status.tone());
    }
    if let Some(instances) = figure("instances") {
        instances.set_text_content(Some(&status.instances_text()));
    }
    if let Some(cpu) = figure("cpu") {
        cpu.set_text_content(Some(&status.cpu_text()));
    }
}
