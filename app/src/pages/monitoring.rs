//! `/monitoring`: "Live metrics". The server renders the charts from the simulator's recent
//! history into the first HTML; once hydrated, the page follows the live stream and re-draws
//! them with the same code. Admins also get the simulator's controls.

use crate::{
    charts::{self, ChartSpec},
    components::{error_notice::ErrorNotice, page_meta::PageMeta, simulator_controls::ControlPanel},
    server_fns::{accounts::get_current_user, monitoring::monitoring_overview},
};
use leptos::prelude::*;
use simulator::snapshot::{EventView, Overview, Sample, Snapshot};
use std::{rc::Rc, sync::Arc};

/// What the page knows about its live connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamStatus {
    /// Server-rendered, not (yet) following the stream: what a visitor without JavaScript sees.
    Snapshot,
    Connecting,
    Live,
    /// Waiting this many seconds before the next attempt.
    Reconnecting(u32),
}

impl StreamStatus {
    fn text(self) -> String {
        match self {
            Self::Snapshot => "Snapshot at page load".to_owned(),
            Self::Connecting => "Connecting…".to_owned(),
            Self::Live => "Live".to_owned(),
            Self::Reconnecting(secs) => format!("Connection lost; retrying in {secs} s"),
        }
    }
}

#[component]
pub fn MonitoringPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| monitoring_overview());
    let user = Resource::new(|| (), |_| get_current_user());
    view! {
        <PageMeta
            title="Live metrics"
            description="Watch CloudScale Commerce's fleet scale and heal in real time: CPU, response times, active users and instances under AWS Auto Scaling rules."
            path="/monitoring"
        />
        <section class="monitoring">
            <h1>"Live metrics"</h1>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading the fleet's metrics…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => {
                            // The controls are for admins only (the server function checks again).
                            let is_admin = matches!(user.await, Ok(Some(user)) if user.is_admin);
                            view! { <Dashboard overview is_admin /> }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The live part of the page: a lazy island, so its code (and the chart drawing behind it) loads
/// only here.
#[island(lazy)]
fn Dashboard(overview: Overview, is_admin: bool) -> impl IntoView {
    let Overview { history, latest, events } = overview;
    let drawings: Rc<[RwSignal<String>]> = first_drawings(&history).into_iter().map(RwSignal::new).collect();
    let history = RwSignal::new(history);
    let latest = RwSignal::new(latest);
    let events = RwSignal::new(events);
    let status = RwSignal::new(StreamStatus::Snapshot);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        live::follow(live::Signals { history, latest, events, status });
    });
    #[cfg(feature = "hydrate")]
    live::redraw_on_change(history, Rc::clone(&drawings));

    view! {
        <p class="monitoring__intro">
            "A simulated AWS Auto Scaling group serving this shop, fed by the shop's real traffic. "
            {move || latest.with(|s| s.as_ref().map(|s| format!(
                "Simulated time runs {:.0}× faster than real time; CPU policy: {}.",
                s.time_scale,
                s.fleet.policy,
            )))}
        </p>
        <p class="stream-status" role="status" data-testid="stream-status" data-state=move || format!("{:?}", status.get())>
            {move || status.get().text()}
        </p>
        <StatusBar latest />
        <Tiles latest />
        {is_admin.then(|| view! { <ControlPanel /> })}
        <div class="charts">
            {charts::dashboard()
                .into_iter()
                .zip(drawings.iter().copied())
                .enumerate()
                .map(|(index, ((title, spec), drawing))| {
                    view! { <Chart index title spec=Arc::new(spec) history drawing /> }
                })
                .collect_view()}
        </div>
        <EventLog events />
    }
}

/// The charts in the first HTML. Only the server draws here: in the browser the drawing code is
/// a separate, lazily loaded wasm chunk (`live::draw_chart`), so storefront pages never
/// download plotters, and hydration keeps the server's drawings until the chunk has redrawn them.
fn first_drawings(history: &[Sample]) -> Vec<String> {
    #[cfg(not(feature = "hydrate"))]
    let drawings = charts::dashboard().iter().map(|(_, spec)| charts::render(spec, history)).collect();
    #[cfg(feature = "hydrate")]
    let drawings = {
        let _ = history;
        vec![String::new(); charts::dashboard().len()]
    };
    drawings
}

/// Fleet health and the alarms, as badges.
#[component]
fn StatusBar(latest: RwSignal<Option<Snapshot>>) -> impl IntoView {
    let health = move || {
        latest.with(|s| match s {
            None => ("unknown", "No data yet".to_owned()),
            Some(s) if s.fleet.unhealthy > 0 => ("bad", format!("{} unhealthy, being replaced", s.fleet.unhealthy)),
            Some(s) if s.fleet.pending > 0 || s.fleet.terminating > 0 => {
                ("busy", format!("Scaling: {} launching, {} terminating", s.fleet.pending, s.fleet.terminating))
            }
            Some(_) => ("good", "Healthy".to_owned()),
        })
    };
    let alarm = move |pick: fn(&Snapshot) -> &str| {
        move || latest.with(|s| s.as_ref().map_or_else(|| "INSUFFICIENT_DATA".to_owned(), |s| pick(s).to_owned()))
    };
    let high = alarm(|s| &s.fleet.high_cpu_alarm);
    let low = alarm(|s| &s.fleet.low_cpu_alarm);
    view! {
        <ul class="status-bar" aria-label="Fleet status">
            <li>
                "Fleet: "
                <span class="badge" data-tone=move || health().0 data-testid="fleet-health">{move || health().1}</span>
            </li>
            <li>
                "High-CPU alarm: "
                <span class="badge" data-tone=move || alarm_tone(&high()) data-testid="alarm-high">{high}</span>
            </li>
            <li>
                "Low-CPU alarm: "
                <span class="badge" data-tone=move || alarm_tone(&low()) data-testid="alarm-low">{low}</span>
            </li>
        </ul>
    }
}

fn alarm_tone(state: &str) -> &'static str {
    match state {
        "ALARM" => "bad",
        "OK" => "good",
        _ => "unknown",
    }
}

#[component]
fn Tiles(latest: RwSignal<Option<Snapshot>>) -> impl IntoView {
    let tile = move |read: fn(&Snapshot) -> String| move || latest.with(|s| s.as_ref().map_or("–".to_owned(), read));
    view! {
        <dl class="tiles">
            <div class="tile">
                <dt>"CPU"</dt>
                <dd data-testid="tile-cpu">{tile(|s| charts::ValueKind::Percent.format(s.cpu_percent))}</dd>
            </div>
            <div class="tile">
                <dt>"p95 latency"</dt>
                <dd data-testid="tile-latency">{tile(|s| charts::ValueKind::Milliseconds.format(s.latency_p95_ms))}</dd>
            </div>
            <div class="tile">
                <dt>"Active users"</dt>
                <dd data-testid="tile-users">{tile(|s| s.active_users.to_string())}</dd>
            </div>
            <div class="tile">
                <dt>"Instances"</dt>
                <dd data-testid="tile-instances">
                    {tile(|s| format!("{} in service / {} desired", s.fleet.in_service, s.fleet.desired))}
                    <small>{tile(|s| format!("min {}, max {}", s.fleet.min, s.fleet.max))}</small>
                </dd>
            </div>
            <div class="tile">
                <dt>"Requests/s"</dt>
                <dd data-testid="tile-rps">{tile(|s| format!("{:.0}", s.requests_per_sec))}</dd>
            </div>
        </dl>
    }
}

/// One chart: a heading, a text summary of the latest values, and the drawing.
#[component]
fn Chart(
    index: usize,
    title: &'static str,
    spec: Arc<ChartSpec>,
    history: RwSignal<Vec<Sample>>,
    drawing: RwSignal<String>,
) -> impl IntoView {
    let summary = {
        let spec = spec.clone();
        move || history.with(|h| charts::summary(&spec, h.last()))
    };
    let summary_id = format!("chart-{index}-summary");
    let legend: Vec<_> = spec
        .lines
        .iter()
        .map(|line| {
            // A presentation attribute, not a style attribute: the CSP allows no inline styles.
            let fill = format!("rgb({}, {}, {})", line.color.0, line.color.1, line.color.2);
            view! {
                <li>
                    <svg class="legend__swatch" viewBox="0 0 4 1" preserveAspectRatio="none" aria-hidden="true">
                        <rect width="4" height="1" fill=fill />
                    </svg>
                    {line.label}
                </li>
            }
        })
        .collect();
    view! {
        <figure class="chart" data-testid=format!("chart-{index}")>
            <figcaption>
                <h2 class="chart__title">{title}</h2>
                <p class="chart__summary" id=summary_id.clone()>{summary}</p>
                <ul class="legend">{legend}</ul>
            </figcaption>
            <div
                class="chart__plot"
                role="img"
                aria-label=format!("{title} chart")
                aria-describedby=summary_id
                inner_html=move || drawing.get()
            ></div>
        </figure>
    }
}

#[component]
fn EventLog(events: RwSignal<Vec<EventView>>) -> impl IntoView {
    view! {
        <section class="event-log" aria-labelledby="event-log-title">
            <h2 id="event-log-title">"Events"</h2>
            <Show
                when=move || events.with(|e| !e.is_empty())
                fallback=|| view! { <p>"Nothing has happened yet."</p> }
            >
                <ol data-testid="event-log">
                    <For
                        each=move || events.get()
                        key=|event| (event.sim_time.to_bits(), event.name.clone(), event.detail.clone())
                        let:event
                    >
                        <li>
                            <time>{sim_clock(event.sim_time)}</time>
                            <code>{event.name}</code>
                            <span>{event.detail}</span>
                        </li>
                    </For>
                </ol>
            </Show>
        </section>
    }
}

/// Simulated time as `h:mm:ss` since the simulation began.
fn sim_clock(seconds: f64) -> String {
    let total = seconds.max(0.0) as u64;
    format!("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60)
}

/// The browser side of the live stream: an `EventSource` on `/monitoring/stream`, with our own
/// reconnect and growing back-off (1 s, 2 s, 4 s … 30 s) instead of the browser's fixed retry,
/// so a refused or failing stream is not hammered.
#[cfg(feature = "hydrate")]
mod live {
    use super::StreamStatus;
    use leptos::prelude::*;
    use simulator::snapshot::{EventView, Frame, HISTORY_LEN, Sample, Snapshot};
    use std::{
        cell::{Cell, RefCell},
        rc::Rc,
        time::Duration,
    };
    use wasm_bindgen::{JsCast, closure::Closure};
    use web_sys::{EventSource, MessageEvent};

    const STREAM_URL: &str = "/monitoring/stream";
    const MAX_BACKOFF_SECS: u32 = 30;

    struct Connection {
        source: EventSource,
        _on_frame: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(web_sys::Event)>,
    }

    /// What the stream updates.
    pub struct Signals {
        pub history: RwSignal<Vec<Sample>>,
        pub latest: RwSignal<Option<Snapshot>>,
        pub events: RwSignal<Vec<EventView>>,
        pub status: RwSignal<StreamStatus>,
    }

    struct Follower {
        signals: Signals,
        connection: RefCell<Option<Connection>>,
        failures: Cell<u32>,
        stopped: Cell<bool>,
    }

    impl Follower {
        fn stop(&self) {
            self.stopped.set(true);
            if let Some(connection) = self.connection.borrow().as_ref() {
                connection.source.close();
            }
        }

        fn apply(&self, frame: Frame) {
            self.failures.set(0);
            let Signals { history, latest, events, status } = &self.signals;
            let appended = history.try_update(|history| {
                // The first frame may repeat the server-rendered snapshot.
                if history.last().is_some_and(|last| last.sim_time >= frame.snapshot.sim_time) {
                    history.pop();
                }
                history.push(Sample::from(&frame.snapshot));
                let excess = history.len().saturating_sub(HISTORY_LEN);
                history.drain(..excess);
            });
            if appended.is_none() {
                // The page is gone.
                self.stop();
                return;
            }
            latest.try_set(Some(frame.snapshot));
            events.try_set(frame.events);
            status.try_set(StreamStatus::Live);
        }
    }

    /// Follows the stream until the calling effect is cleaned up (the page is left).
    pub fn follow(signals: Signals) {
        let follower = Rc::new(Follower {
            signals,
            connection: RefCell::new(None),
            failures: Cell::new(0),
            stopped: Cell::new(false),
        });
        connect(&follower);
        let on_leave = send_wrapper::SendWrapper::new(follower);
        on_cleanup(move || on_leave.stop());
    }

    fn connect(follower: &Rc<Follower>) {
        if follower.stopped.get() {
            return;
        }
        follower.signals.status.try_set(StreamStatus::Connecting);
        let Ok(source) = EventSource::new(STREAM_URL) else {
            retry_later(follower);
            return;
        };
        let on_frame = {
            let follower = Rc::clone(follower);
            Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
                let Some(text) = message.data().as_string() else { return };
                match serde_json::from_str::<Frame>(&text) {
                    Ok(frame) => follower.apply(frame),
                    Err(err) => leptos::logging::warn!("unreadable monitoring frame: {err}"),
                }
            })
        };
        let on_error = {
            let follower = Rc::clone(follower);
            let source = source.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                // Take over from the browser's own retry, so the wait can grow.
                source.close();
                retry_later(&follower);
            })
        };
        // Both listeners can be added (a live EventSource always accepts them).
        let _ = source.add_event_listener_with_callback("frame", on_frame.as_ref().unchecked_ref());
        let _ = source.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
        // The previous connection's closures may be the ones running right now (an error
        // handler schedules this call), so it is replaced here, never dropped from inside them.
        let previous =
            follower.connection.replace(Some(Connection { source, _on_frame: on_frame, _on_error: on_error }));
        drop(previous);
    }

    /// The drawing code, split out of the main bundle by `cargo leptos build --split`: only this
    /// page downloads it, the first time it redraws.
    #[leptos::lazy]
    fn draw_chart(index: usize, history: Vec<Sample>) -> String {
        crate::charts::dashboard().get(index).map(|(_, spec)| crate::charts::render(spec, &history)).unwrap_or_default()
    }

    /// Redraws the charts whenever the history changes after hydration (the page arrives with
    /// the server's drawings of the same history). One chart per browser task, so a redraw
    /// never blocks input for long; a redraw that a newer frame overtakes stops.
    pub fn redraw_on_change(history: RwSignal<Vec<Sample>>, drawings: Rc<[RwSignal<String>]>) {
        let latest_request = Rc::new(Cell::new(0u64));
        Effect::new(move |hydrated: Option<()>| {
            if hydrated.is_none() {
                history.track();
                return;
            }
            let snapshots = Rc::new(history.get());
            let request = latest_request.get() + 1;
            latest_request.set(request);
            let redraw =
                Redraw { snapshots, drawings: Rc::clone(&drawings), request, latest: Rc::clone(&latest_request) };
            redraw.chart(0);
        });
    }

    struct Redraw {
        snapshots: Rc<Vec<Sample>>,
        drawings: Rc<[RwSignal<String>]>,
        request: u64,
        latest: Rc<Cell<u64>>,
    }

    impl Redraw {
        fn chart(self, index: usize) {
            if index >= self.drawings.len() || self.latest.get() != self.request {
                return;
            }
            leptos::task::spawn_local(async move {
                let drawn = draw_chart(index, self.snapshots.as_ref().clone()).await;
                if self.latest.get() != self.request {
                    return;
                }
                self.drawings[index].try_set(drawn);
                set_timeout(move || self.chart(index + 1), Duration::ZERO);
            });
        }
    }

    fn retry_later(follower: &Rc<Follower>) {
        if follower.stopped.get() {
            return;
        }
        let failures = follower.failures.get();
        follower.failures.set(failures.saturating_add(1));
        let wait = 1u32.checked_shl(failures.min(5)).unwrap_or(MAX_BACKOFF_SECS).min(MAX_BACKOFF_SECS);
        follower.signals.status.try_set(StreamStatus::Reconnecting(wait));
        let follower = Rc::clone(follower);
        set_timeout(move || connect(&follower), Duration::from_secs(u64::from(wait)));
    }
}
