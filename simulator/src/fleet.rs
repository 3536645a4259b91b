//! An EC2 Auto Scaling group, simulated: instances with AWS lifecycle states, launch and
//! drain delays, warm-up, health checks with a grace period and replacement, the CPU alarms and
//! their step policies, and configuration drift that is detected and reverted.
//!
//! `Fleet::step` is pure: the clock (`now`, seconds of simulated time) and the load come in, the
//! events come out, and randomness comes from the fleet's own seeded generator.

use super::{
    alarm::{Alarm, AlarmConfig, AlarmState, Comparison, MissingData},
    policy::policy,
    step_scaling::{Adjustment, Step, StepPolicy},
};

/// How the CPU metric drives capacity: AWS's three policy types.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScalingMode {
    /// Step policies on the cpu-high and cpu-low alarms. No cooldown: AWS keeps responding to
    /// alarms during activities, and warming capacity counts toward the next step.
    Step,
    /// One instance per alarm, then no further simple-scaling activity until `cooldown_secs`
    /// after the launch or termination it started has finished.
    Simple { cooldown_secs: f64 },
    /// Keeps average CPU near `target_cpu`: desired = ceil(current × CPU / target), on the
    /// alarms AWS creates for it (3 of 3 periods above the target, 15 of 15 below 90 % of it).
    TargetTracking { target_cpu: f64 },
}

impl ScalingMode {
    /// Simple scaling with the policy file's cooldown.
    pub fn simple() -> Self {
        Self::Simple { cooldown_secs: policy().simple_scaling_cooldown_seconds }
    }

    /// Target tracking on the policy file's CPU target.
    pub fn target_tracking() -> Self {
        Self::TargetTracking { target_cpu: policy().target_cpu_percent }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Step => "step scaling",
            Self::Simple { .. } => "simple scaling",
            Self::TargetTracking { .. } => "target tracking",
        }
    }
}

/// The group's limits and timings. The defaults come from `simulator/policy/autoscaling.json`, the
/// file the deploy's Terraform reads too.
#[derive(Clone, Debug, PartialEq)]
pub struct FleetConfig {
    pub mode: ScalingMode,
    pub min: u32,
    pub max: u32,
    pub desired: u32,
    /// Seconds from launch to InService.
    pub launch_secs: f64,
    /// Seconds an InService instance is warming up (excluded from the metric, blocks scale-in).
    pub warmup_secs: f64,
    /// Seconds after InService during which failed health checks are ignored.
    pub health_grace_secs: f64,
    /// Seconds a terminating instance drains before it is gone.
    pub drain_secs: f64,
    /// CloudWatch period for the CPU alarms…
    pub period_secs: f64,
    /// …and how many consecutive periods must breach (step and simple scaling).
    pub evaluation_periods: u32,
    pub scale_out_cpu: f64,
    pub scale_in_cpu: f64,
    /// Requests per second one instance serves at 100 % CPU.
    pub instance_capacity_rps: f64,
    /// Target tracking on active users per InService instance (the seeds' "4+ users" rule)…
    pub users_per_instance: f64,
    /// …which takes part from this many active users on.
    pub users_policy_from: u32,
}

/// What the fleet serves at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Demand {
    pub rps: f64,
    pub active_users: u32,
}

impl Default for FleetConfig {
    fn default() -> Self {
        let policy = policy();
        Self {
            mode: ScalingMode::Step,
            min: policy.min_size,
            max: policy.max_size,
            desired: policy.desired_capacity,
            launch_secs: 40.0,
            warmup_secs: policy.instance_warmup_seconds,
            health_grace_secs: policy.health_check_grace_period_seconds,
            drain_secs: 30.0,
            period_secs: policy.alarm_period_seconds,
            evaluation_periods: policy.alarm_evaluation_periods,
            scale_out_cpu: policy.scale_out_cpu_percent,
            scale_in_cpu: policy.scale_in_cpu_percent,
            instance_capacity_rps: 100.0,
            users_per_instance: 2.0,
            users_policy_from: 4,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifecycle {
    Pending,
    InService,
    Terminating,
    Terminated,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Instance {
    pub id: String,
    pub state: Lifecycle,
    pub healthy: bool,
    /// When the instance entered its current state.
    pub since: f64,
    pub in_service_at: Option<f64>,
}

impl Instance {
    fn warming(&self, now: f64, warmup: f64) -> bool {
        self.state == Lifecycle::InService && self.in_service_at.is_some_and(|at| now - at < warmup)
    }
}

/// What happened, named like the SNS notifications AWS sends, plus drift and health events.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// `autoscaling:EC2_INSTANCE_LAUNCH`
    InstanceLaunch {
        instance: String,
        cause: String,
    },
    /// `autoscaling:EC2_INSTANCE_TERMINATE`
    InstanceTerminate {
        instance: String,
        cause: String,
    },
    AlarmStateChange {
        alarm: String,
        state: AlarmState,
    },
    DesiredCapacityChange {
        from: u32,
        to: u32,
        cause: String,
    },
    InstanceUnhealthy {
        instance: String,
    },
    DriftDetected {
        setting: String,
        expected: u32,
        found: u32,
    },
    DriftReverted {
        setting: String,
        value: u32,
    },
}

impl Event {
    pub fn name(&self) -> &'static str {
        match self {
            Self::InstanceLaunch { .. } => "autoscaling:EC2_INSTANCE_LAUNCH",
            Self::InstanceTerminate { .. } => "autoscaling:EC2_INSTANCE_TERMINATE",
            Self::AlarmStateChange { .. } => "cloudwatch:ALARM_STATE_CHANGE",
            Self::DesiredCapacityChange { .. } => "autoscaling:DESIRED_CAPACITY_CHANGE",
            Self::InstanceUnhealthy { .. } => "health:INSTANCE_UNHEALTHY",
            Self::DriftDetected { .. } => "config:DRIFT_DETECTED",
            Self::DriftReverted { .. } => "config:DRIFT_REVERTED",
        }
    }
}

/// A small, seeded generator (SplitMix64): the same seed gives the same run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The group limits as they are "in AWS", which a manual change can make drift from intent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub min: u32,
    pub max: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fleet {
    pub config: FleetConfig,
    pub desired: u32,
    pub instances: Vec<Instance>,
    /// What is actually applied; checked against `config` every period.
    pub actual: Limits,
    pub high_cpu: Alarm,
    pub low_cpu: Alarm,
    pub scale_out: StepPolicy,
    pub scale_in: StepPolicy,
    rng: Rng,
    next_period: f64,
    /// CPU of the non-warming InService instances in the current period, for the alarms.
    period_cpu: Vec<f64>,
    /// Active users last seen in the current period.
    period_users: u32,
    /// Simple scaling only: set while the activity it started runs, then the cooldown's end.
    simple_activity_running: bool,
    cooldown_until: f64,
}

impl Fleet {
    /// A group at its desired capacity, every instance in service and warmed up at `now`.
    pub fn new(config: FleetConfig, seed: u64, now: f64) -> Self {
        let alarm = |name: &str, threshold, comparison, periods: u32| {
            let periods = periods.max(1) as usize;
            Alarm::new(AlarmConfig {
                name: name.into(),
                threshold,
                comparison,
                evaluation_periods: periods,
                datapoints_to_alarm: periods,
                missing_data: MissingData::Missing,
            })
        };
        let (high_cpu, low_cpu) = match config.mode {
            ScalingMode::TargetTracking { target_cpu } => (
                alarm("TargetTracking-AlarmHigh", target_cpu, Comparison::GreaterThanThreshold, 3),
                alarm("TargetTracking-AlarmLow", target_cpu * 0.9, Comparison::LessThanThreshold, 15),
            ),
            ScalingMode::Step | ScalingMode::Simple { .. } => (
                alarm("cpu-high", config.scale_out_cpu, Comparison::GreaterThanThreshold, config.evaluation_periods),
                alarm("cpu-low", config.scale_in_cpu, Comparison::LessThanThreshold, config.evaluation_periods),
            ),
        };
        let mut fleet = Self {
            desired: config.desired.clamp(config.min, config.max),
            actual: Limits { min: config.min, max: config.max },
            high_cpu,
            low_cpu,
            scale_out: StepPolicy {
                threshold: config.scale_out_cpu,
                steps: policy()
                    .scale_out_steps
                    .iter()
                    .map(|step| Step {
                        lower: step.lower_bound_above_threshold,
                        upper: step.upper_bound_above_threshold,
                        adjustment: Adjustment::ChangeInCapacity(step.change_in_capacity),
                    })
                    .collect(),
            },
            scale_in: StepPolicy {
                threshold: config.scale_in_cpu,
                steps: vec![Step {
                    lower: None,
                    upper: Some(0.0),
                    adjustment: Adjustment::ChangeInCapacity(policy().scale_in_change_in_capacity),
                }],
            },
            instances: Vec::new(),
            rng: Rng::new(seed),
            next_period: now + config.period_secs,
            period_cpu: Vec::new(),
            period_users: 0,
            simple_activity_running: false,
            cooldown_until: f64::NEG_INFINITY,
            config,
        };
        for _ in 0..fleet.desired {
            let id = fleet.new_instance_id();
            fleet.instances.push(Instance {
                id,
                state: Lifecycle::InService,
                healthy: true,
                since: now - fleet.config.warmup_secs,
                in_service_at: Some(now - fleet.config.warmup_secs),
            });
        }
        fleet
    }

    fn new_instance_id(&mut self) -> String {
        format!("i-{:017x}", self.rng.next_u64() >> 4)
    }

    pub fn in_service(&self) -> usize {
        self.instances.iter().filter(|i| i.state == Lifecycle::InService).count()
    }

    /// Instances that count toward capacity (launching or serving).
    fn live(&self) -> impl Iterator<Item = &Instance> {
        self.instances.iter().filter(|i| matches!(i.state, Lifecycle::Pending | Lifecycle::InService))
    }

    pub fn any_warming(&self, now: f64) -> bool {
        self.instances.iter().any(|i| i.state == Lifecycle::Pending || i.warming(now, self.config.warmup_secs))
    }

    /// Average CPU of the InService instances that finished warming up, at `load_rps` spread
    /// over every InService instance. `None` when none has warmed up (no datapoint).
    pub fn metric_cpu(&self, load_rps: f64, now: f64) -> Option<f64> {
        let serving = self.in_service();
        let warmed = self
            .instances
            .iter()
            .filter(|i| i.state == Lifecycle::InService && !i.warming(now, self.config.warmup_secs))
            .count();
        if serving == 0 || warmed == 0 {
            return None;
        }
        Some(cpu_for(load_rps / serving as f64, self.config.instance_capacity_rps))
    }

    /// Marks an InService instance as failing its health checks (the "Fail an instance" control).
    pub fn fail_instance(&mut self) -> Option<String> {
        let candidates: Vec<usize> = (0..self.instances.len())
            .filter(|&i| self.instances[i].state == Lifecycle::InService && self.instances[i].healthy)
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let pick = candidates[(self.rng.next_u64() % candidates.len() as u64) as usize];
        self.instances[pick].healthy = false;
        Some(self.instances[pick].id.clone())
    }

    /// A manual change behind the group's back (the "Cause configuration drift" control).
    pub fn drift(&mut self, actual: Limits) {
        self.actual = actual;
    }

    /// Advances the group to `now` under `demand`.
    pub fn step(&mut self, now: f64, demand: Demand) -> Vec<Event> {
        let mut events = Vec::new();
        self.advance_lifecycles(now);
        self.replace_unhealthy(now, &mut events);
        if let Some(cpu) = self.metric_cpu(demand.rps, now) {
            self.period_cpu.push(cpu);
        }
        self.period_users = demand.active_users;
        while now >= self.next_period {
            self.next_period += self.config.period_secs;
            self.end_period(now, &mut events);
        }
        self.reconcile(now, &mut events);
        self.track_cooldown(now);
        events
    }

    /// Simple scaling's cooldown starts once the activity it started has finished: no instance
    /// is still launching or terminating.
    fn track_cooldown(&mut self, now: f64) {
        let ScalingMode::Simple { cooldown_secs } = self.config.mode else { return };
        let busy = self.instances.iter().any(|i| matches!(i.state, Lifecycle::Pending | Lifecycle::Terminating));
        if self.simple_activity_running && !busy {
            self.simple_activity_running = false;
            self.cooldown_until = now + cooldown_secs;
        }
    }

    /// Whether simple scaling is waiting for its activity or its cooldown at `now`.
    pub fn in_cooldown(&self, now: f64) -> bool {
        self.simple_activity_running || now < self.cooldown_until
    }

    fn advance_lifecycles(&mut self, now: f64) {
        let (launch, drain) = (self.config.launch_secs, self.config.drain_secs);
        for instance in &mut self.instances {
            match instance.state {
                Lifecycle::Pending if now - instance.since >= launch => {
                    instance.state = Lifecycle::InService;
                    instance.since = now;
                    instance.in_service_at = Some(now);
                }
                Lifecycle::Terminating if now - instance.since >= drain => {
                    instance.state = Lifecycle::Terminated;
                    instance.since = now;
                }
                _ => {}
            }
        }
        // Terminated instances are history; keep the fleet list short.
        self.instances.retain(|i| i.state != Lifecycle::Terminated || now - i.since < 600.0);
    }

    /// Terminates failed instances past their grace period, at most 10 % of desired capacity
    /// (at least one) at a time; `reconcile` launches their replacements.
    fn replace_unhealthy(&mut self, now: f64, events: &mut Vec<Event>) {
        let budget = ((f64::from(self.desired) * 0.1).floor() as usize).max(1);
        let replacing = self.instances.iter().filter(|i| i.state == Lifecycle::Terminating && !i.healthy).count();
        let grace = self.config.health_grace_secs;
        let mut allowed = budget.saturating_sub(replacing);
        for instance in &mut self.instances {
            if allowed == 0 {
                break;
            }
            let past_grace = instance.in_service_at.is_some_and(|at| now - at >= grace);
            if instance.state == Lifecycle::InService && !instance.healthy && past_grace {
                events.push(Event::InstanceUnhealthy { instance: instance.id.clone() });
                instance.state = Lifecycle::Terminating;
                instance.since = now;
                events.push(Event::InstanceTerminate {
                    instance: instance.id.clone(),
                    cause: "an instance failed its health checks and is being replaced".into(),
                });
                allowed -= 1;
            }
        }
    }

    fn end_period(&mut self, now: f64, events: &mut Vec<Event>) {
        self.revert_drift(events);
        let datapoint =
            (!self.period_cpu.is_empty()).then(|| self.period_cpu.iter().sum::<f64>() / self.period_cpu.len() as f64);
        self.period_cpu.clear();
        for alarm in [&mut self.high_cpu, &mut self.low_cpu] {
            let (state, changed) = alarm.evaluate(datapoint);
            if changed {
                events.push(Event::AlarmStateChange { alarm: alarm.config.name.clone(), state });
            }
        }
        // Launching and warming instances count toward capacity already: a CPU step applies to
        // the warmed-up part, so a breach that stays in one step while they warm asks for the
        // same capacity again (no new activity), while a higher step adds the difference.
        let warming =
            self.live().filter(|i| i.state == Lifecycle::Pending || i.warming(now, self.config.warmup_secs)).count();
        let warmed = self.desired.saturating_sub(warming as u32);
        let (min, max) = (self.config.min, self.config.max);
        let high = datapoint.filter(|_| self.high_cpu.state == AlarmState::Alarm);
        let low = datapoint.filter(|_| self.low_cpu.state == AlarmState::Alarm);
        let (cpu_out, cpu_in) = match self.config.mode {
            ScalingMode::Step => (
                high.and_then(|cpu| self.scale_out.desired_capacity(warmed, cpu, min, max)),
                low.and_then(|cpu| self.scale_in.desired_capacity(self.desired, cpu, min, max)),
            ),
            ScalingMode::Simple { .. } if self.in_cooldown(now) => (None, None),
            ScalingMode::Simple { .. } => (
                high.map(|_| (self.desired + 1).clamp(min, max)),
                low.map(|_| self.desired.saturating_sub(1).clamp(min, max)),
            ),
            ScalingMode::TargetTracking { target_cpu } => {
                let tracked = |current: u32, cpu: f64| {
                    ((f64::from(current) * cpu / target_cpu.max(1.0)).ceil() as u32).clamp(min, max)
                };
                (high.map(|cpu| tracked(warmed.max(1), cpu)), low.map(|cpu| tracked(self.desired, cpu)))
            }
        };
        let users = self.period_users;
        let users_wanted = (users >= self.config.users_policy_from)
            .then(|| ((f64::from(users) / self.config.users_per_instance).ceil() as u32).clamp(min, max));

        // Any policy may scale out; scale-in needs every policy to agree and no instance warming.
        // Either way the largest capacity asked for wins.
        let out = [cpu_out, users_wanted].into_iter().flatten().filter(|&c| c > self.desired).max();
        let users_agree = users_wanted.is_none_or(|wanted| wanted < self.desired);
        let (target, cause) = if let Some(out) = out {
            let by_users = users_wanted == Some(out) && cpu_out.is_none_or(|c| c < out);
            let cause = if by_users {
                format!("{users} active users at {} per instance", self.config.users_per_instance)
            } else {
                format!(
                    "CPU {:.0} % with alarm {} in ALARM ({})",
                    datapoint.unwrap_or_default(),
                    self.high_cpu.config.name,
                    self.config.mode.label()
                )
            };
            self.note_simple_activity(!by_users);
            (out, cause)
        } else if let Some(scaled_in) = cpu_in.filter(|_| warming == 0 && users_agree) {
            let target = scaled_in.max(users_wanted.unwrap_or(0)).clamp(min, max);
            let cause = format!(
                "CPU {:.0} % with alarm {} in ALARM ({})",
                datapoint.unwrap_or_default(),
                self.low_cpu.config.name,
                self.config.mode.label()
            );
            self.note_simple_activity(target != self.desired);
            (target, cause)
        } else {
            (self.desired, String::new())
        };
        if target != self.desired {
            events.push(Event::DesiredCapacityChange { from: self.desired, to: target, cause });
            self.desired = target;
        }
    }

    /// A simple-scaling policy just acted: its cooldown follows the activity.
    fn note_simple_activity(&mut self, by_cpu_policy: bool) {
        if by_cpu_policy && matches!(self.config.mode, ScalingMode::Simple { .. }) {
            self.simple_activity_running = true;
        }
    }

    fn revert_drift(&mut self, events: &mut Vec<Event>) {
        for (setting, expected, found) in
            [("min", self.config.min, self.actual.min), ("max", self.config.max, self.actual.max)]
        {
            if expected != found {
                events.push(Event::DriftDetected { setting: setting.into(), expected, found });
                events.push(Event::DriftReverted { setting: setting.into(), value: expected });
            }
        }
        self.actual = Limits { min: self.config.min, max: self.config.max };
    }

    /// Launches or terminates until the live instances match desired capacity (within the
    /// limits actually applied, drifted or not).
    fn reconcile(&mut self, now: f64, events: &mut Vec<Event>) {
        let target = self.desired.clamp(self.actual.min, self.actual.max.max(self.actual.min)) as usize;
        let live = self.live().count();
        for _ in live..target {
            let id = self.new_instance_id();
            events.push(Event::InstanceLaunch { instance: id.clone(), cause: format!("desired capacity is {target}") });
            self.instances.push(Instance {
                id,
                state: Lifecycle::Pending,
                healthy: true,
                since: now,
                in_service_at: None,
            });
        }
        if live > target {
            // Oldest first (the default policy's "oldest launch template" stands in here).
            let mut victims: Vec<usize> = (0..self.instances.len())
                .filter(|&i| matches!(self.instances[i].state, Lifecycle::Pending | Lifecycle::InService))
                .collect();
            victims.sort_by(|a, b| self.instances[*a].since.total_cmp(&self.instances[*b].since));
            for index in victims.into_iter().take(live - target) {
                let instance = &mut self.instances[index];
                instance.state = Lifecycle::Terminating;
                instance.since = now;
                events.push(Event::InstanceTerminate {
                    instance: instance.id.clone(),
                    cause: format!("desired capacity is {target}"),
                });
            }
        }
    }
}

/// CPU of one instance serving `rps` when `capacity_rps` saturates it: a 5 % idle floor,
/// capped at 100 %.
pub fn cpu_for(rps: f64, capacity_rps: f64) -> f64 {
    (5.0 + 95.0 * rps / capacity_rps.max(1.0)).clamp(0.0, 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rps(rps: f64) -> Demand {
        Demand { rps, active_users: 0 }
    }

    /// Runs the fleet for `secs` seconds at one-second steps under `load`, returning all events.
    fn run(fleet: &mut Fleet, from: f64, secs: u32, load: f64) -> Vec<Event> {
        (1..=secs).flat_map(|s| fleet.step(from + f64::from(s), rps(load))).collect()
    }

    #[test]
    fn sustained_high_cpu_scales_out_after_two_periods_and_new_instances_launch() {
        let mut fleet = Fleet::new(FleetConfig::default(), 7, 0.0);
        // 2 instances × 100 rps capacity; 180 rps is 90 % CPU each.
        let events = run(&mut fleet, 0.0, 121, 180.0);
        assert_eq!(fleet.high_cpu.state, AlarmState::Alarm);
        assert!(fleet.desired >= 3, "desired {}", fleet.desired);
        assert!(events.iter().any(|e| e.name() == "autoscaling:EC2_INSTANCE_LAUNCH"));
        assert!(fleet.instances.iter().any(|i| i.state == Lifecycle::Pending));
    }

    #[test]
    fn a_breach_in_the_same_step_while_instances_warm_adds_nothing_and_a_higher_step_adds_the_difference() {
        // A long warm-up keeps the third instance warming through the whole test.
        let mut fleet = Fleet::new(FleetConfig { warmup_secs: 600.0, ..FleetConfig::default() }, 7, 0.0);
        fleet.instances.iter_mut().for_each(|i| i.in_service_at = Some(-1000.0));
        // 80 rps each on 2 instances is 81 % CPU: the +1 step (70–85 %) after two periods.
        run(&mut fleet, 0.0, 121, 160.0);
        assert_eq!(fleet.desired, 3);
        // Still breaching in the same step while the new instance launches and warms: no activity.
        run(&mut fleet, 121.0, 60, 160.0);
        assert_eq!(fleet.desired, 3);
        // Into the +2 step (87 % with the load spread over 3): 2 warmed + 2 = 4, one more.
        run(&mut fleet, 181.0, 60, 260.0);
        assert_eq!(fleet.desired, 4);
    }

    #[test]
    fn warming_instances_are_left_out_of_the_metric_and_block_scale_in() {
        let mut fleet = Fleet::new(FleetConfig::default(), 7, 0.0);
        run(&mut fleet, 0.0, 121, 180.0);
        let grown = fleet.desired;
        // Load vanishes while the new instance is still launching or warming up.
        let events = run(&mut fleet, 121.0, 150, 0.0);
        assert!(fleet.any_warming(271.0) || fleet.desired == grown);
        assert!(
            !events.iter().any(|e| matches!(e, Event::DesiredCapacityChange { to, from, .. } if to < from)),
            "no scale-in while warming: {events:?}"
        );
        // A warming instance alone gives no datapoint.
        let mut fresh = Fleet::new(FleetConfig { desired: 0, min: 0, ..FleetConfig::default() }, 1, 0.0);
        fresh.desired = 1;
        fresh.step(1.0, rps(50.0));
        assert_eq!(fresh.metric_cpu(50.0, 50.0), None);
    }

    #[test]
    fn low_cpu_after_warm_up_scales_in_but_never_below_the_minimum() {
        let mut fleet = Fleet::new(FleetConfig { desired: 5, ..FleetConfig::default() }, 3, 0.0);
        run(&mut fleet, 0.0, 1200, 10.0);
        assert_eq!(fleet.desired, 2);
        assert_eq!(fleet.live().count(), 2);
    }

    #[test]
    fn failed_instances_are_replaced_at_most_ten_percent_of_desired_at_a_time() {
        let mut fleet = Fleet::new(FleetConfig { desired: 10, ..FleetConfig::default() }, 11, 0.0);
        for _ in 0..3 {
            fleet.fail_instance();
        }
        let events = fleet.step(1.0, rps(500.0));
        let terminated = events.iter().filter(|e| e.name() == "autoscaling:EC2_INSTANCE_TERMINATE").count();
        assert_eq!(terminated, 1, "10 % of 10 is one at a time");
        assert_eq!(events.iter().filter(|e| e.name() == "autoscaling:EC2_INSTANCE_LAUNCH").count(), 1);
        run(&mut fleet, 1.0, 300, 500.0);
        assert!(fleet.instances.iter().filter(|i| i.state == Lifecycle::InService).all(|i| i.healthy));
        assert_eq!(fleet.in_service(), 10);
    }

    #[test]
    fn active_users_scale_out_from_four_on_and_hold_off_scale_in_until_cpu_agrees() {
        let mut fleet = Fleet::new(FleetConfig::default(), 9, 0.0);
        let quiet = |users| Demand { rps: 20.0, active_users: users };
        // Three users: the users policy does not take part yet.
        (1..=61).for_each(|s| drop(fleet.step(f64::from(s), quiet(3))));
        assert_eq!(fleet.desired, 2);
        // Nine users at two per instance: ceil(9 / 2) = 5, though CPU is low.
        let events: Vec<Event> = (62..=121).flat_map(|s| fleet.step(f64::from(s), quiet(9))).collect();
        assert_eq!(fleet.desired, 5);
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::DesiredCapacityChange { cause, .. } if cause.contains("9 active users")))
        );
        // CPU stays low and the alarm is in ALARM, but the users policy still wants 5: no scale-in.
        (122..=900).for_each(|s| drop(fleet.step(f64::from(s), quiet(9))));
        assert_eq!(fleet.low_cpu.state, AlarmState::Alarm);
        assert_eq!(fleet.desired, 5);
        // Users leave: both agree, one step at a time down to the minimum.
        (901..=2400).for_each(|s| drop(fleet.step(f64::from(s), quiet(0))));
        assert_eq!(fleet.desired, 2);
    }

    #[test]
    fn drift_is_detected_and_reverted_on_the_next_check() {
        let mut fleet = Fleet::new(FleetConfig { desired: 3, ..FleetConfig::default() }, 5, 0.0);
        fleet.drift(Limits { min: 1, max: 1 });
        let events = run(&mut fleet, 0.0, 61, 150.0);
        assert!(events.contains(&Event::DriftDetected { setting: "max".into(), expected: 10, found: 1 }));
        assert!(events.contains(&Event::DriftReverted { setting: "max".into(), value: 10 }));
        assert_eq!(fleet.actual, Limits { min: 2, max: 10 });
    }

    #[test]
    fn the_same_seed_and_load_replay_identically() {
        let script = |seed| {
            let mut fleet = Fleet::new(FleetConfig::default(), seed, 0.0);
            let mut log = Vec::new();
            for s in 1..=900u32 {
                if s == 200 {
                    fleet.fail_instance();
                }
                let load = if (300..600).contains(&s) { 600.0 } else { 120.0 };
                log.extend(fleet.step(f64::from(s), rps(load)));
            }
            (log, fleet.desired)
        };
        assert_eq!(script(42), script(42));
        assert_ne!(script(42).0, script(43).0, "instance ids come from the seed");
    }

    #[test]
    fn simple_scaling_adds_one_instance_per_alarm_then_waits_out_the_cooldown() {
        let config = FleetConfig { mode: ScalingMode::Simple { cooldown_secs: 300.0 }, ..FleetConfig::default() };
        let mut fleet = Fleet::new(config, 7, 0.0);
        // 95 % CPU on 2 instances: the alarm fires after two periods and adds exactly one.
        run(&mut fleet, 0.0, 121, 190.0);
        assert_eq!(fleet.desired, 3);
        // The launch takes 40 s; the 300 s cooldown follows it. The alarm stays in ALARM all the
        // while, yet nothing more is added until the cooldown has passed…
        run(&mut fleet, 121.0, 300, 400.0);
        assert_eq!(fleet.high_cpu.state, AlarmState::Alarm);
        assert_eq!(fleet.desired, 3, "no activity during the cooldown");
        assert!(fleet.in_cooldown(421.0));
        // …and then the next period's alarm adds one more.
        run(&mut fleet, 421.0, 120, 400.0);
        assert_eq!(fleet.desired, 4);
    }

    #[test]
    fn step_scaling_has_no_cooldown_and_keeps_responding_to_its_alarm() {
        let mut fleet = Fleet::new(FleetConfig::default(), 7, 0.0);
        run(&mut fleet, 0.0, 421, 400.0);
        assert!(fleet.desired >= 5, "desired {}", fleet.desired);
        assert!(!fleet.in_cooldown(421.0));
    }

    #[test]
    fn target_tracking_sizes_the_group_to_bring_cpu_back_to_the_target() {
        let config = FleetConfig { mode: ScalingMode::TargetTracking { target_cpu: 60.0 }, ..FleetConfig::default() };
        let mut fleet = Fleet::new(config, 7, 0.0);
        assert_eq!(fleet.high_cpu.config.name, "TargetTracking-AlarmHigh");
        // 180 rps on 2 instances is 90.5 % CPU; three periods above 60 % → ceil(2 × 90.5 / 60) = 4.
        let events = run(&mut fleet, 0.0, 181, 180.0);
        assert_eq!(fleet.desired, 4);
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::DesiredCapacityChange { cause, .. } if cause.contains("target tracking")))
        );
        // Load falls to a trickle: after warm-up and fifteen low periods it removes conservatively.
        run(&mut fleet, 181.0, 1200, 20.0);
        assert_eq!(fleet.desired, 2);
    }

    proptest! {
        #[test]
        fn desired_capacity_stays_within_limits_and_never_drops_while_warming(
            loads in proptest::collection::vec(0.0f64..2000.0, 1..40),
            seed in 0u64..1000,
            users in 0u32..40,
        ) {
            let mut fleet = Fleet::new(FleetConfig::default(), seed, 0.0);
            let mut now = 0.0;
            for load in loads {
                for _ in 0..30 {
                    now += 1.0;
                    let warming = fleet.any_warming(now);
                    let before = fleet.desired;
                    fleet.step(now, Demand { rps: load, active_users: users });
                    prop_assert!((2..=10).contains(&fleet.desired));
                    prop_assert!(!(warming && fleet.desired < before), "scale-in during warm-up at {now}");
                }
            }
        }
    }
}
