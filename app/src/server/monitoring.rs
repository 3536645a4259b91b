//! The simulator's home in the server process: one task advances the simulation in (scaled)
//! real time, fed by this server's own traffic and active users, and publishes each snapshot to
//! any number of viewers. A `watch` channel holds only the latest frame, so a slow viewer skips
//! ahead and never holds the others up. Admin controls arrive on a command channel.

use crate::{
    metrics::{EventView, Snapshot},
    server::services::activity,
    simulator::simulation::{RealTraffic, Simulation, SimulationConfig},
};
use sea_orm::DatabaseConnection;
use std::{
    collections::VecDeque,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};
use tokio::sync::{mpsc, watch};

/// How often viewers get a new frame.
pub const TICK: Duration = Duration::from_millis(500);
/// Recent events kept in each frame.
const EVENT_LOG: usize = 50;
/// Active users are counted over this window, and re-read this often.
const ACTIVE_WINDOW_MINUTES: i64 = 5;
const ACTIVE_REFRESH: Duration = Duration::from_secs(5);
const RATE_SMOOTHING_SECS: f64 = 5.0;

/// What viewers receive: the latest snapshot and the recent events.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Frame {
    pub snapshot: Snapshot,
    pub events: Vec<EventView>,
}

/// The admin controls.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Command {
    InjectSpike,
    FailInstance,
    CauseDrift,
    Reset,
}

/// Counts this server's requests, for the simulator's "real traffic".
#[derive(Clone, Debug, Default)]
pub struct TrafficMeter {
    requests: Arc<AtomicU64>,
}

impl TrafficMeter {
    pub fn record_request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    pub fn total(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }
}

/// Shared by every request: subscribe to frames, send commands, count traffic.
#[derive(Clone, Debug)]
pub struct SimulatorHandle {
    frames: watch::Receiver<Arc<Frame>>,
    commands: mpsc::Sender<Command>,
    pub traffic: TrafficMeter,
}

impl SimulatorHandle {
    pub fn subscribe(&self) -> watch::Receiver<Arc<Frame>> {
        self.frames.clone()
    }

    pub fn latest(&self) -> Arc<Frame> {
        self.frames.borrow().clone()
    }

    /// Queues a control; `false` when the simulator has stopped.
    pub async fn send(&self, command: Command) -> bool {
        self.commands.send(command).await.is_ok()
    }
}

/// Starts the simulator task; it stops when every handle is gone.
pub fn spawn(config: SimulationConfig, db: DatabaseConnection) -> SimulatorHandle {
    let traffic = TrafficMeter::default();
    let mut simulation = Simulation::new(config.clone());
    let first = Arc::new(Frame { snapshot: simulation.snapshot(RealTraffic::default()), events: Vec::new() });
    let (frames_tx, frames) = watch::channel(first);
    let (commands, mut commands_rx) = mpsc::channel(16);
    let meter = traffic.clone();
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + TICK, TICK);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut real_rps = 0.0;
        let mut events: VecDeque<EventView> = VecDeque::new();
        let (mut last_tick, mut last_count) = (Instant::now(), meter.total());
        let mut active_users = 0u32;
        let mut active_read_at: Option<Instant> = None;
        let mut sim_seconds_owed = 0.0;
        loop {
            tokio::select! {
                _ = ticker.tick() => {}
                command = commands_rx.recv() => match command {
                    Some(command) => { apply(&mut simulation, &config, command, &mut events); continue; }
                    None => break,
                },
            }
            if frames_tx.is_closed() && commands_rx.is_closed() {
                break;
            }
            let elapsed = last_tick.elapsed().as_secs_f64().max(TICK.as_secs_f64() / 2.0);
            last_tick = Instant::now();
            let count = meter.total();
            // Smoothed over about five seconds, so one burst of clicks is not a storm.
            let instant_rps = count.saturating_sub(last_count) as f64 / elapsed;
            let weight = (elapsed / RATE_SMOOTHING_SECS).min(1.0);
            real_rps += weight * (instant_rps - real_rps);
            last_count = count;
            if active_read_at.is_none_or(|at| at.elapsed() >= ACTIVE_REFRESH) {
                active_read_at = Some(Instant::now());
                match activity::active_users(&db, ACTIVE_WINDOW_MINUTES, chrono::Utc::now()).await {
                    Ok(count) => active_users = u32::try_from(count).unwrap_or(u32::MAX),
                    Err(err) => tracing::warn!(%err, "could not count active users for the simulator"),
                }
            }
            let real = RealTraffic { requests_per_sec: real_rps, active_users };
            // The simulation moves in whole seconds; carry the fraction to the next tick.
            sim_seconds_owed += elapsed * config.time_scale;
            let whole = sim_seconds_owed.floor();
            sim_seconds_owed -= whole;
            for event in simulation.advance(whole, real) {
                push_event(&mut events, event);
            }
            let frame = Frame { snapshot: simulation.snapshot(real), events: events.iter().cloned().collect() };
            frames_tx.send_replace(Arc::new(frame));
        }
    });
    SimulatorHandle { frames, commands, traffic }
}

fn push_event(events: &mut VecDeque<EventView>, event: EventView) {
    events.push_front(event);
    events.truncate(EVENT_LOG);
}

fn apply(simulation: &mut Simulation, config: &SimulationConfig, command: Command, events: &mut VecDeque<EventView>) {
    let now = simulation.now();
    let note = |name: &str, detail: String| EventView { sim_time: now, name: name.to_owned(), detail };
    match command {
        Command::InjectSpike => {
            let extra = config.fleet.instance_capacity_rps * f64::from(config.fleet.max) * 0.6;
            simulation.inject_spike(extra, 600.0);
            push_event(events, note("control:TRAFFIC_SPIKE", format!("+{extra:.0} requests/s for 10 minutes")));
        }
        Command::FailInstance => {
            let detail = match simulation.fleet.fail_instance() {
                Some(instance) => format!("{instance} stops answering health checks"),
                None => "no healthy instance to fail".to_owned(),
            };
            push_event(events, note("control:INSTANCE_FAILURE", detail));
        }
        Command::CauseDrift => {
            simulation.fleet.drift(crate::simulator::fleet::Limits { min: 1, max: 1 });
            push_event(events, note("control:MANUAL_CHANGE", "max size set to 1 outside the configuration".into()));
        }
        Command::Reset => {
            *simulation = Simulation::new(config.clone());
            events.clear();
            push_event(events, note("control:RESET", "the simulation starts over".into()));
        }
    }
}
