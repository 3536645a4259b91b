//! The storefront's compact monitoring widget: fleet status, instances and CPU, linking to the
//! metrics page. It reads one small snapshot and carries no chart code.

use crate::api::monitoring::fleet_status;
use leptos::prelude::*;

/// How often the widget refreshes in the browser.
#[cfg(feature = "hydrate")]
const REFRESH: std::time::Duration = std::time::Duration::from_secs(15);

#[component]
pub fn FleetWidget(hidden: Signal<bool>) -> impl IntoView {
    let status = Resource::new(|| (), |_| fleet_status());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if !hidden.get_untracked() {
                    status.refetch();
                }
            },
            REFRESH,
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    view! {
        <aside class="fleet-widget" aria-labelledby="fleet-widget-title" data-testid="fleet-widget" hidden=hidden>
            <h2 id="fleet-widget-title" class="fleet-widget__title">"Our servers right now"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    // The widget is a nicety: when the figures are unavailable it stays quiet.
                    status.await.ok().map(|s| {
                        let state = if s.fleet.unhealthy > 0 {
                            "healing"
                        } else if s.fleet.pending > 0 || s.fleet.terminating > 0 {
                            "scaling"
                        } else {
                            "healthy"
                        };
                        view! {
                            <p class="fleet-widget__figures">
                                <span class="badge" data-tone=if state == "healthy" { "good" } else { "busy" }>
                                    {format!("Fleet {state}")}
                                </span>
                                <span>{format!("{} of {} instances in service", s.fleet.in_service, s.fleet.desired)}</span>
                                <span>{format!("CPU {:.0} %", s.cpu_percent)}</span>
                            </p>
                        }
                    })
                })}
            </Transition>
            <a href="/monitoring">"See live metrics"</a>
        </aside>
    }
}
