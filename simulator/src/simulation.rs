//! The whole simulation: the Auto Scaling group and, over the same load, the Kubernetes HPA
//! view, advanced on a simulated clock and summarised as snapshots and events.

use super::{
    fleet::{Demand, Event, Fleet, FleetConfig, Lifecycle},
    hpa::{Hpa, HpaConfig, MetricReading, Reason},
    load::{LoadModel, Spike, latency_ms},
};
use crate::snapshot::{EventView, FleetView, HpaView, Snapshot};

#[derive(Clone, Debug, PartialEq)]
pub struct SimulationConfig {
    pub fleet: FleetConfig,
    pub hpa: HpaConfig,
    pub load: LoadModel,
    /// Simulated seconds per real second, so cooldowns and warm-ups play out in seconds.
    pub time_scale: f64,
    pub seed: u64,
    /// How long one request takes on an idle instance.
    pub service_ms: f64,
}

impl Default for SimulationConfig {
    fn default() -> Self {
        Self {
            fleet: FleetConfig::default(),
            hpa: HpaConfig::default(),
            load: LoadModel::default(),
            time_scale: 10.0,
            seed: 2026,
            service_ms: 20.0,
        }
    }
}

/// What this server measured about its own real traffic since the last tick.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RealTraffic {
    pub requests_per_sec: f64,
    pub active_users: u32,
}

#[derive(Clone, Debug)]
pub struct Simulation {
    pub config: SimulationConfig,
    pub fleet: Fleet,
    hpa: Hpa,
    hpa_replicas: u32,
    last_hpa_sync: f64,
    hpa_decision: Option<super::hpa::Decision>,
    load: LoadModel,
    now: f64,
}

/// The HPA syncs every 15 s.
const HPA_SYNC_SECS: f64 = 15.0;
/// Memory per replica follows load less steeply than CPU: a fixed base plus a share of load.
fn memory_percent(cpu_percent: f64) -> f64 {
    (35.0 + 0.5 * cpu_percent).min(100.0)
}

impl Simulation {
    pub fn new(config: SimulationConfig) -> Self {
        Self::starting_at(config, 0.0)
    }

    /// A fresh group whose clock reads `now`: a reset or a restart continues the timeline
    /// instead of going back to zero.
    pub fn starting_at(config: SimulationConfig, now: f64) -> Self {
        Self {
            fleet: Fleet::new(config.fleet.clone(), config.seed, now),
            hpa: Hpa::new(config.hpa.clone()),
            hpa_replicas: config.hpa.min_replicas,
            last_hpa_sync: f64::NEG_INFINITY,
            hpa_decision: None,
            load: config.load.clone(),
            now,
            config,
        }
    }

    pub fn now(&self) -> f64 {
        self.now
    }

    /// Extra traffic for `secs` simulated seconds from now (the "Inject traffic spike" control).
    pub fn inject_spike(&mut self, extra_rps: f64, secs: f64) {
        self.load.inject_spike(Spike { start: self.now, end: self.now + secs, extra_rps }, self.now);
    }

    /// Advances simulated time by `secs` in one-second steps under `real` traffic; returns the
    /// events that happened.
    pub fn advance(&mut self, secs: f64, real: RealTraffic) -> Vec<EventView> {
        let mut events = Vec::new();
        let end = self.now + secs.max(0.0);
        while self.now + 1.0 <= end + 1e-9 {
            self.now += 1.0;
            let demand =
                Demand { rps: self.load.total_rps(self.now, real.requests_per_sec), active_users: real.active_users };
            events.extend(self.fleet.step(self.now, demand).into_iter().map(|event| view(self.now, event)));
            if self.now - self.last_hpa_sync >= HPA_SYNC_SECS {
                self.last_hpa_sync = self.now;
                let cpu = self.hpa_cpu(demand.rps);
                let policy = super::policy::policy();
                let readings = [
                    MetricReading { value: cpu, target: policy.hpa_cpu_target_percent },
                    MetricReading { value: memory_percent(cpu), target: policy.hpa_memory_target_percent },
                ];
                let decision = self.hpa.step(self.hpa_replicas, &readings, self.now);
                self.hpa_replicas = decision.desired;
                self.hpa_decision = Some(decision);
            }
        }
        events
    }

    fn hpa_cpu(&self, rps: f64) -> f64 {
        super::fleet::cpu_for(rps / f64::from(self.hpa_replicas.max(1)), self.config.fleet.instance_capacity_rps)
    }

    pub fn snapshot(&self, real: RealTraffic) -> Snapshot {
        let rps = self.load.total_rps(self.now, real.requests_per_sec);
        let count = |state| self.fleet.instances.iter().filter(|i| i.state == state).count() as u32;
        let in_service = count(Lifecycle::InService);
        let cpu = if in_service == 0 {
            100.0
        } else {
            super::fleet::cpu_for(rps / f64::from(in_service), self.config.fleet.instance_capacity_rps)
        };
        let (p50, p95) = latency_ms(self.config.service_ms, cpu / 100.0);
        let decision = self.hpa_decision;
        Snapshot {
            sim_time: self.now,
            time_scale: self.config.time_scale,
            requests_per_sec: rps,
            active_users: real.active_users,
            cpu_percent: cpu,
            latency_p50_ms: p50,
            latency_p95_ms: p95,
            fleet: FleetView {
                min: self.fleet.actual.min,
                max: self.fleet.actual.max,
                desired: self.fleet.desired,
                pending: count(Lifecycle::Pending),
                in_service,
                terminating: count(Lifecycle::Terminating),
                unhealthy: self.fleet.instances.iter().filter(|i| i.state == Lifecycle::InService && !i.healthy).count()
                    as u32,
                policy: self.fleet.config.mode.label().to_owned(),
                high_cpu_alarm: self.fleet.high_cpu.state.as_str().to_owned(),
                low_cpu_alarm: self.fleet.low_cpu.state.as_str().to_owned(),
            },
            hpa: HpaView {
                replicas: self.hpa_replicas,
                recommended: decision.map_or(self.hpa_replicas, |d| d.recommended),
                reason: format!("{:?}", decision.map_or(Reason::DesiredWithinRange, |d| d.reason)),
            },
        }
    }
}

fn view(now: f64, event: Event) -> EventView {
    let detail = match &event {
        Event::InstanceLaunch { instance, cause } | Event::InstanceTerminate { instance, cause } => {
            format!("{instance}: {cause}")
        }
        Event::AlarmStateChange { alarm, state } => format!("{alarm} is now {}", state.as_str()),
        Event::DesiredCapacityChange { from, to, cause } => format!("desired {from} → {to}: {cause}"),
        Event::InstanceUnhealthy { instance } => format!("{instance} failed its health checks"),
        Event::DriftDetected { setting, expected, found } => {
            format!("{setting} is {found}, the configuration says {expected}")
        }
        Event::DriftReverted { setting, value } => format!("{setting} set back to {value}"),
    };
    EventView { sim_time: now, name: event.name().to_owned(), detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_injected_spike_grows_both_the_group_and_the_hpa_view() {
        let mut sim = Simulation::new(SimulationConfig::default());
        let quiet = RealTraffic::default();
        sim.advance(600.0, quiet);
        let before = sim.snapshot(quiet);
        sim.inject_spike(800.0, 900.0);
        let events = sim.advance(600.0, quiet);
        let after = sim.snapshot(quiet);
        assert!(after.fleet.desired > before.fleet.desired, "{before:?} → {after:?}");
        assert!(after.hpa.replicas > before.hpa.replicas);
        assert!(events.iter().any(|e| e.name == "autoscaling:EC2_INSTANCE_LAUNCH"));
        assert!(after.requests_per_sec > 800.0);
    }

    #[test]
    fn real_shoppers_are_amplified_into_the_simulated_load() {
        let mut sim = Simulation::new(SimulationConfig::default());
        let busy = RealTraffic { requests_per_sec: 10.0, active_users: 3 };
        sim.advance(1.0, busy);
        let quiet = sim.snapshot(RealTraffic::default()).requests_per_sec;
        let amplified = sim.snapshot(busy).requests_per_sec;
        assert!((amplified - quiet - 200.0).abs() < 1e-9, "10 real rps × 20");
    }

    #[test]
    fn a_replay_with_the_same_seed_and_inputs_gives_the_same_series() {
        let series = || {
            let mut sim = Simulation::new(SimulationConfig::default());
            let mut out = Vec::new();
            for second in 0..1200 {
                if second == 300 {
                    sim.inject_spike(600.0, 300.0);
                }
                if second == 500 {
                    sim.fleet.fail_instance();
                }
                let real = RealTraffic { requests_per_sec: f64::from(second % 7), active_users: second % 5 };
                let events = sim.advance(1.0, real);
                out.push((sim.snapshot(real), events));
            }
            out
        };
        assert_eq!(series(), series());
    }
}
