//! The simulator's home in the server process: one task advances the simulation in (scaled)
//! real time, fed by this server's own traffic and active users, and publishes each snapshot to
//! any number of viewers. A `watch` channel holds only the latest frame, so a slow viewer skips
//! ahead and never holds the others up. Admin controls arrive on a command channel.
//!
//! Recent snapshots stay in memory for the page's first render; every few seconds one is
//! written to the database with the events, so a restart keeps the timeline.

use crate::server::services::{activity, timeline};
use sea_orm::DatabaseConnection;
use simulator::{
    simulation::{RealTraffic, Simulation, SimulationConfig},
    snapshot::{EVENT_LOG_LEN, EventView, Frame, HISTORY_LEN, Overview, Sample, Snapshot},
};
use std::{
    collections::VecDeque,
    sync::{
        Arc, RwLock,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};
use tokio::sync::{mpsc, oneshot, watch};

/// How often viewers get a new frame.
pub const TICK: Duration = Duration::from_millis(500);
/// Recent events kept in each frame.
const EVENT_LOG: usize = EVENT_LOG_LEN;
/// Every this many ticks (five seconds) one snapshot is stored.
const PERSIST_EVERY_TICKS: u64 = 10;
/// Stored timeline older than this is deleted (checked every ten minutes).
const KEEP_TIMELINE: chrono::TimeDelta = chrono::TimeDelta::hours(24);
const PRUNE_EVERY_TICKS: u64 = 1200;
/// Active users are counted over this window, and re-read every this many ticks (five seconds).
const ACTIVE_WINDOW_MINUTES: i64 = 5;
const ACTIVE_REFRESH_TICKS: u64 = 10;
const RATE_SMOOTHING_SECS: f64 = 5.0;

/// The admin controls.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Command {
    InjectSpike,
    FailInstance,
    CauseDrift,
    Reset,
}

/// What moves the simulation on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SimulatorClock {
    /// A tick every [`TICK`] of wall-clock time, each as long as the time that really passed.
    #[default]
    RealTime,
    /// A tick only when [`SimulatorHandle::tick`] asks, each exactly [`TICK`] long: tests step
    /// the simulator instead of sleeping.
    Manual,
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
    ticks: mpsc::Sender<oneshot::Sender<()>>,
    history: Arc<RwLock<VecDeque<Snapshot>>>,
    pub traffic: TrafficMeter,
}

impl SimulatorHandle {
    /// The recent history (oldest first) and event log (newest first), for a page's first render.
    pub fn overview(&self) -> Overview {
        let history = self.history.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        Overview {
            history: history.iter().map(Sample::from).collect(),
            latest: history.back().cloned(),
            events: self.latest().events.clone(),
        }
    }

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

    /// Runs one tick now and returns once its frame is published (for [`SimulatorClock::Manual`];
    /// `false` when the simulator has stopped).
    pub async fn tick(&self) -> bool {
        let (done, ticked) = oneshot::channel();
        self.ticks.send(done).await.is_ok() && ticked.await.is_ok()
    }
}

/// Reloads the stored timeline, then starts the simulator task, whose clock carries on from
/// it. The task stops when every handle is gone.
pub async fn spawn(config: SimulationConfig, clock: SimulatorClock, db: DatabaseConnection) -> SimulatorHandle {
    let traffic = TrafficMeter::default();
    let history = Arc::new(RwLock::new(VecDeque::with_capacity(HISTORY_LEN)));
    let (simulation, events) = restore(&config, &db, &history).await;
    let snapshot = history
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .back()
        .cloned()
        .unwrap_or_else(|| simulation.snapshot(RealTraffic::default()));
    let first = Arc::new(Frame { snapshot, events: events.iter().cloned().collect() });
    let (frames_tx, frames) = watch::channel(first);
    let (commands, commands_rx) = mpsc::channel(16);
    let (ticks, ticks_rx) = mpsc::channel(1);
    let task = Runtime { config, clock, db, meter: traffic.clone(), frames: frames_tx, history: history.clone() };
    tokio::spawn(task.run(simulation, events, commands_rx, ticks_rx));
    SimulatorHandle { frames, commands, ticks, history, traffic }
}

/// The snapshots stored within the span the charts show, and the latest events.
async fn restore(
    config: &SimulationConfig,
    db: &DatabaseConnection,
    history: &RwLock<VecDeque<Snapshot>>,
) -> (Simulation, VecDeque<EventView>) {
    let window = TICK * HISTORY_LEN as u32;
    let since = chrono::Utc::now() - chrono::TimeDelta::from_std(window).unwrap_or_default();
    let samples = timeline::recent_samples(db, since, HISTORY_LEN as u64).await.unwrap_or_else(|err| {
        tracing::warn!(%err, "could not reload the monitoring history; starting afresh");
        Vec::new()
    });
    let events = timeline::recent_events(db, EVENT_LOG as u64).await.unwrap_or_else(|err| {
        tracing::warn!(%err, "could not reload the monitoring events");
        Vec::new()
    });
    let resume_at = samples.last().map_or(0.0, |s| s.sim_time);
    history.write().unwrap_or_else(|poisoned| poisoned.into_inner()).extend(samples);
    (Simulation::starting_at(config.clone(), resume_at), events.into())
}

struct Runtime {
    config: SimulationConfig,
    clock: SimulatorClock,
    db: DatabaseConnection,
    meter: TrafficMeter,
    frames: watch::Sender<Arc<Frame>>,
    history: Arc<RwLock<VecDeque<Snapshot>>>,
}

impl Runtime {
    fn with_history(&self, change: impl FnOnce(&mut VecDeque<Snapshot>)) {
        let mut history = self.history.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        change(&mut history);
        while history.len() > HISTORY_LEN {
            history.pop_front();
        }
    }

    async fn run(
        self,
        mut simulation: Simulation,
        mut events: VecDeque<EventView>,
        mut commands_rx: mpsc::Receiver<Command>,
        mut ticks_rx: mpsc::Receiver<oneshot::Sender<()>>,
    ) {
        let config = self.config.clone();
        let real_time = self.clock == SimulatorClock::RealTime;
        let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + TICK, TICK);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut real_rps = 0.0;
        let (mut last_tick, mut last_count) = (Instant::now(), self.meter.total());
        let mut active_users = 0u32;
        let mut sim_seconds_owed = 0.0;
        let mut unsaved: Vec<EventView> = Vec::new();
        let mut ticks: u64 = 0;
        loop {
            let mut asked: Option<oneshot::Sender<()>> = None;
            // Controls first, so one sent before a tick always shapes that tick.
            tokio::select! {
                biased;
                command = commands_rx.recv() => match command {
                    Some(command) => {
                        let event = apply(&mut simulation, &config, command);
                        unsaved.push(event.clone());
                        push_event(&mut events, event);
                        continue;
                    }
                    None => break,
                },
                Some(done) = ticks_rx.recv() => asked = Some(done),
                _ = ticker.tick(), if real_time => {}
            }
            if self.frames.is_closed() && commands_rx.is_closed() {
                break;
            }
            ticks += 1;
            let elapsed = if real_time {
                last_tick.elapsed().as_secs_f64().max(TICK.as_secs_f64() / 2.0)
            } else {
                TICK.as_secs_f64()
            };
            last_tick = Instant::now();
            let count = self.meter.total();
            // Smoothed over about five seconds, so one burst of clicks is not a storm.
            let instant_rps = count.saturating_sub(last_count) as f64 / elapsed;
            let weight = (elapsed / RATE_SMOOTHING_SECS).min(1.0);
            real_rps += weight * (instant_rps - real_rps);
            last_count = count;
            if ticks % ACTIVE_REFRESH_TICKS == 1 {
                match activity::active_users(&self.db, ACTIVE_WINDOW_MINUTES, chrono::Utc::now()).await {
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
                unsaved.push(event.clone());
                push_event(&mut events, event);
            }
            let snapshot = simulation.snapshot(real);
            self.with_history(|history| history.push_back(snapshot.clone()));
            if ticks.is_multiple_of(PERSIST_EVERY_TICKS) {
                self.persist(&snapshot, &mut unsaved).await;
            }
            if ticks.is_multiple_of(PRUNE_EVERY_TICKS) {
                match timeline::prune(&self.db, chrono::Utc::now() - KEEP_TIMELINE).await {
                    Ok(removed) if removed > 0 => tracing::info!(removed, "pruned the monitoring timeline"),
                    Ok(_) => {}
                    Err(err) => tracing::warn!(%err, "could not prune the monitoring timeline"),
                }
            }
            let frame = Frame { snapshot, events: events.iter().cloned().collect() };
            self.frames.send_replace(Arc::new(frame));
            if let Some(done) = asked {
                let _ = done.send(());
            }
        }
    }

    /// Stores one snapshot and the events since the last call. A database hiccup costs a gap
    /// in the stored timeline, never the live one.
    async fn persist(&self, snapshot: &Snapshot, unsaved: &mut Vec<EventView>) {
        let now = chrono::Utc::now();
        if let Err(err) = timeline::save_sample(&self.db, snapshot, now).await {
            tracing::warn!(%err, "could not store a monitoring sample");
        }
        match timeline::save_events(&self.db, unsaved, now).await {
            Ok(()) => unsaved.clear(),
            // Keep them for the next try, but never let the backlog grow without bound.
            Err(err) => {
                tracing::warn!(%err, "could not store monitoring events");
                let excess = unsaved.len().saturating_sub(EVENT_LOG);
                unsaved.drain(..excess);
            }
        }
    }
}

fn push_event(events: &mut VecDeque<EventView>, event: EventView) {
    events.push_front(event);
    events.truncate(EVENT_LOG);
}

/// Carries out one admin control and says what it did, for the event log.
fn apply(simulation: &mut Simulation, config: &SimulationConfig, command: Command) -> EventView {
    let now = simulation.now();
    let note = |name: &str, detail: String| EventView { sim_time: now, name: name.to_owned(), detail };
    match command {
        Command::InjectSpike => {
            let extra = config.fleet.instance_capacity_rps * f64::from(config.fleet.max) * 0.6;
            simulation.inject_spike(extra, 600.0);
            note("control:TRAFFIC_SPIKE", format!("+{extra:.0} requests/s for 10 minutes"))
        }
        Command::FailInstance => {
            let detail = match simulation.fleet.fail_instance() {
                Some(instance) => format!("{instance} stops answering health checks"),
                None => "no healthy instance to fail".to_owned(),
            };
            note("control:INSTANCE_FAILURE", detail)
        }
        Command::CauseDrift => {
            simulation.fleet.drift(simulator::fleet::Limits { min: 1, max: 1 });
            note("control:MANUAL_CHANGE", "max size set to 1 outside the configuration".into())
        }
        Command::Reset => {
            // The clock runs on, so the charts show the reset rather than jumping back to zero.
            *simulation = Simulation::starting_at(config.clone(), now);
            note("control:RESET", "the group, its alarms and the load start over".into())
        }
    }
}
