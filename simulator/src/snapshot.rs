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

/// One point of the charts' history: the numbers the monitoring page's six charts draw,
/// without the text of a whole [`Snapshot`]. On the wire it is an array of ten numbers rounded to
/// hundredths, so the page's 360 points are about 13 KB of JSON instead of 170 KB that the
/// browser would parse while the page hydrates.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "SampleRow", into = "SampleRow")]
pub struct Sample {
    pub sim_time: f64,
    pub requests_per_sec: f64,
    pub active_users: u32,
    pub cpu_percent: f64,
    pub latency_p50_ms: f64,
    pub latency_p95_ms: f64,
    pub in_service: u32,
    pub desired: u32,
    pub hpa_replicas: u32,
    pub hpa_recommended: u32,
}

impl From<&Snapshot> for Sample {
    fn from(s: &Snapshot) -> Self {
        Self {
            sim_time: s.sim_time,
            requests_per_sec: s.requests_per_sec,
            active_users: s.active_users,
            cpu_percent: s.cpu_percent,
            latency_p50_ms: s.latency_p50_ms,
            latency_p95_ms: s.latency_p95_ms,
            in_service: s.fleet.in_service,
            desired: s.fleet.desired,
            hpa_replicas: s.hpa.replicas,
            hpa_recommended: s.hpa.recommended,
        }
    }
}

/// [`Sample`] as it is sent: positional, in the field order above.
#[derive(Serialize, Deserialize)]
struct SampleRow(f64, f64, u32, f64, f64, f64, u32, u32, u32, u32);

impl From<Sample> for SampleRow {
    fn from(s: Sample) -> Self {
        // Hundredths are finer than a 200-pixel chart or a whole-number label can show.
        let round = |value: f64| (value * 100.0).round() / 100.0;
        Self(
            round(s.sim_time),
            round(s.requests_per_sec),
            s.active_users,
            round(s.cpu_percent),
            round(s.latency_p50_ms),
            round(s.latency_p95_ms),
            s.in_service,
            s.desired,
            s.hpa_replicas,
            s.hpa_recommended,
        )
    }
}

impl From<SampleRow> for Sample {
    fn from(row: SampleRow) -> Self {
        Self {
            sim_time: row.0,
            requests_per_sec: row.1,
            active_users: row.2,
            cpu_percent: row.3,
            latency_p50_ms: row.4,
            latency_p95_ms: row.5,
            in_service: row.6,
            desired: row.7,
            hpa_replicas: row.8,
            hpa_recommended: row.9,
        }
    }
}

/// What the monitoring page starts from: the charts' recent history (oldest first), the latest
/// snapshot whole (for the status, the tiles and the policy), and the event log (newest first).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub history: Vec<Sample>,
    pub latest: Option<Snapshot>,
    pub events: Vec<EventView>,
}

impl Overview {
    pub fn latest(&self) -> Option<&Snapshot> {
        self.latest.as_ref()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_travels_as_ten_numbers_rounded_to_hundredths() {
        let sample = Sample {
            sim_time: 395.0,
            requests_per_sec: 76.372_555_860_378_43,
            active_users: 3,
            cpu_percent: 41.276_964_033_679_754,
            latency_p50_ms: 23.607_334_639_765_213,
            latency_p95_ms: 102.029_202_825_008_91,
            in_service: 2,
            desired: 3,
            hpa_replicas: 2,
            hpa_recommended: 4,
        };
        let json = serde_json::to_string(&sample).unwrap();
        assert_eq!(json, "[395.0,76.37,3,41.28,23.61,102.03,2,3,2,4]");
        let back: Sample = serde_json::from_str(&json).unwrap();
        assert_eq!((back.cpu_percent, back.desired, back.hpa_recommended), (41.28, 3, 4));
    }
}
