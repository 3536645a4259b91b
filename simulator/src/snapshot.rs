//! What the monitoring page shows: one snapshot of the simulated fleet, shared by the server
//! (which produces it) and the browser (which draws it).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Seconds of simulated time since the simulation started.
    pub sim_time: f64,
    /// How many simulated seconds pass per real second.
    pub time_scale: f64,
    pub requests_per_sec: f64,
    pub active_users: u32,
    /// Average CPU of the in-service instances, in percent.
    pub cpu_percent: f64,
    pub latency_p50_ms: f64,
    pub latency_p95_ms: f64,
    pub fleet: FleetView,
    pub hpa: HpaView,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FleetView {
    pub min: u32,
    pub max: u32,
    pub desired: u32,
    pub pending: u32,
    pub in_service: u32,
    pub terminating: u32,
    pub unhealthy: u32,
    /// Which scaling policy type drives the CPU metric ("step scaling", ...).
    #[serde(default)]
    pub policy: String,
    /// CloudWatch spelling: OK, ALARM, INSUFFICIENT_DATA.
    pub high_cpu_alarm: String,
    pub low_cpu_alarm: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HpaView {
    pub replicas: u32,
    pub recommended: u32,
    pub reason: String,
}

/// One line of the event log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub sim_time: f64,
    /// e.g. `autoscaling:EC2_INSTANCE_LAUNCH`.
    pub name: String,
    pub detail: String,
}

/// One message of the live stream: the latest snapshot and the recent events, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    pub snapshot: Snapshot,
    pub events: Vec<EventView>,
}

/// What the monitoring page starts from: the recent history, oldest first, and the event log,
/// newest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub history: Vec<Snapshot>,
    pub events: Vec<EventView>,
}

impl Overview {
    pub fn latest(&self) -> Option<&Snapshot> {
        self.history.last()
    }
}

/// How many snapshots the page's charts hold: three minutes of frames at two a second.
pub const HISTORY_LEN: usize = 360;
/// How many events the page's log shows.
pub const EVENT_LOG_LEN: usize = 50;

/// What the storefront's fleet widget shows: a few numbers, so the island's props and its
/// refreshes stay small (the browser never parses a whole [`Snapshot`] on a storefront page).
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

/// How the widget words its figures, on the server and when the browser refreshes them.
impl FleetSummary {
    pub fn state_text(&self) -> String {
        format!("Fleet {}", self.state)
    }

    pub fn instances_text(&self) -> String {
        format!("{} of {} instances in service", self.in_service, self.desired)
    }

    pub fn cpu_text(&self) -> String {
        format!("CPU {} %", self.cpu_percent)
    }

    /// The badge's colour: calm when healthy, busy while scaling or healing.
    pub fn tone(&self) -> &'static str {
        if self.state == "healthy" { "good" } else { "busy" }
    }
}
