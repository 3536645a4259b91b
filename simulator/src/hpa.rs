//! The Kubernetes Horizontal Pod Autoscaler's replica calculation: per-metric desired counts
//! with a tolerance, the maximum over metrics, stabilisation windows, rate limits, then the
//! replica bounds (kubernetes `pkg/controller/podautoscaler/horizontal.go`).

use std::collections::VecDeque;

#[derive(Clone, Debug, PartialEq)]
pub struct HpaConfig {
    pub min_replicas: u32,
    pub max_replicas: u32,
    /// No change while |metric / target − 1| is at most this.
    pub tolerance: f64,
    pub scale_up_window_secs: f64,
    pub scale_down_window_secs: f64,
    /// Scale-up may add the larger of this percentage and this many pods per period.
    pub scale_up_percent: u32,
    pub scale_up_pods: u32,
    /// Scale-down may remove this percentage per period.
    pub scale_down_percent: u32,
}

impl Default for HpaConfig {
    /// Kubernetes' defaults with the replica range of this shop's deploy (the policy file).
    fn default() -> Self {
        let policy = super::policy::policy();
        Self {
            min_replicas: policy.hpa_min_replicas,
            max_replicas: policy.hpa_max_replicas,
            tolerance: 0.1,
            scale_up_window_secs: 0.0,
            scale_down_window_secs: 300.0,
            scale_up_percent: 100,
            scale_up_pods: 4,
            scale_down_percent: 100,
        }
    }
}

/// One metric's current average and its target (CPU 70 %, memory 80 %, ...).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MetricReading {
    pub value: f64,
    pub target: f64,
}

/// Why the HPA settled on its number, in Kubernetes' own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    DesiredWithinRange,
    ScaleUpStabilized,
    ScaleDownStabilized,
    ScaleUpLimit,
    ScaleDownLimit,
    TooManyReplicas,
    TooFewReplicas,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    /// What the metrics alone ask for.
    pub recommended: u32,
    /// What the HPA sets, after stabilisation, rate limits and bounds.
    pub desired: u32,
    pub reason: Reason,
}

/// The HPA's memory: recent recommendations, for the stabilisation windows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hpa {
    pub config: HpaConfig,
    recommendations: VecDeque<(f64, u32)>,
}

/// The replicas one metric asks for, unchanged within the tolerance.
pub fn replicas_for(current: u32, reading: MetricReading, tolerance: f64) -> u32 {
    if current == 0 || reading.target <= 0.0 {
        return current;
    }
    let ratio = reading.value / reading.target;
    if (ratio - 1.0).abs() <= tolerance {
        return current;
    }
    (f64::from(current) * ratio).ceil().clamp(0.0, f64::from(u32::MAX)) as u32
}

impl Hpa {
    pub fn new(config: HpaConfig) -> Self {
        Self { config, recommendations: VecDeque::new() }
    }

    /// One sync: `current` replicas, the metrics now, at `now_secs` on the simulation clock.
    pub fn step(&mut self, current: u32, readings: &[MetricReading], now_secs: f64) -> Decision {
        let config = &self.config;
        let recommended =
            readings.iter().map(|reading| replicas_for(current, *reading, config.tolerance)).max().unwrap_or(current);

        // Stabilisation: never below the lowest recommendation of the up-window, never above the
        // highest of the down-window (both including this one).
        self.recommendations.push_back((now_secs, recommended));
        let horizon = config.scale_up_window_secs.max(config.scale_down_window_secs);
        while self.recommendations.front().is_some_and(|(at, _)| now_secs - at > horizon) {
            self.recommendations.pop_front();
        }
        let within = |window: f64| self.recommendations.iter().filter(move |(at, _)| now_secs - at <= window);
        let up_floor = within(config.scale_up_window_secs).map(|(_, r)| *r).min().unwrap_or(recommended);
        let down_ceiling = within(config.scale_down_window_secs).map(|(_, r)| *r).max().unwrap_or(recommended);
        let mut desired = current;
        let mut reason = Reason::DesiredWithinRange;
        if desired < up_floor {
            desired = up_floor;
        }
        if desired > down_ceiling {
            desired = down_ceiling;
        }
        if desired != recommended {
            reason = if recommended > current { Reason::ScaleUpStabilized } else { Reason::ScaleDownStabilized };
        }

        // Rate limits per period, counted from the current replicas.
        let up_limit = (current + current * config.scale_up_percent / 100).max(current + config.scale_up_pods);
        let down_limit = current.saturating_sub(current * config.scale_down_percent / 100);
        if desired > up_limit {
            desired = up_limit;
            reason = Reason::ScaleUpLimit;
        } else if desired < down_limit {
            desired = down_limit;
            reason = Reason::ScaleDownLimit;
        }

        if desired > config.max_replicas {
            desired = config.max_replicas;
            reason = Reason::TooManyReplicas;
        } else if desired < config.min_replicas {
            desired = config.min_replicas;
            reason = Reason::TooFewReplicas;
        }
        Decision { recommended, desired, reason }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cpu(value: f64) -> MetricReading {
        MetricReading { value, target: 70.0 }
    }

    fn memory(value: f64) -> MetricReading {
        MetricReading { value, target: 80.0 }
    }

    fn frontend() -> Hpa {
        Hpa::new(HpaConfig { min_replicas: 2, max_replicas: 10, ..HpaConfig::default() })
    }

    #[test]
    fn the_busiest_metric_decides_four_pods_at_91_percent_cpu_become_six() {
        let decision = frontend().step(4, &[cpu(91.0), memory(60.0)], 0.0);
        assert_eq!((decision.recommended, decision.desired), (6, 6));
        assert_eq!(decision.reason, Reason::DesiredWithinRange);
    }

    #[test]
    fn a_metric_within_the_tolerance_changes_nothing() {
        assert_eq!(frontend().step(4, &[cpu(75.0)], 0.0).desired, 4);
        assert_eq!(replicas_for(4, cpu(76.0), 0.1), 4);
        assert_eq!(replicas_for(4, cpu(78.0), 0.1), 5);
    }

    #[test]
    fn scale_down_waits_for_five_minutes_of_lower_recommendations() {
        let mut hpa = frontend();
        assert_eq!(hpa.step(6, &[cpu(70.0), memory(80.0)], 0.0).desired, 6);
        let mut t = 15.0;
        while t <= 300.0 {
            let decision = hpa.step(6, &[cpu(35.0), memory(40.0)], t);
            assert_eq!((decision.recommended, decision.desired), (3, 6), "at {t} s");
            assert_eq!(decision.reason, Reason::ScaleDownStabilized);
            t += 15.0;
        }
        assert_eq!(hpa.step(6, &[cpu(35.0), memory(40.0)], 315.0).desired, 3);
    }

    #[test]
    fn scale_up_is_limited_to_double_or_four_more_per_period_and_to_the_maximum() {
        let mut hpa = Hpa::new(HpaConfig::default());
        let decision = hpa.step(2, &[cpu(700.0)], 0.0);
        assert_eq!((decision.recommended, decision.desired, decision.reason), (20, 6, Reason::ScaleUpLimit));
        let decision = hpa.step(10, &[cpu(700.0)], 15.0);
        assert_eq!((decision.recommended, decision.desired, decision.reason), (100, 20, Reason::ScaleUpLimit));
        let decision = hpa.step(20, &[cpu(700.0)], 30.0);
        assert_eq!((decision.desired, decision.reason), (20, Reason::TooManyReplicas));
        let decision = Hpa::new(HpaConfig::default()).step(2, &[cpu(1.0)], 0.0);
        assert_eq!((decision.desired, decision.reason), (2, Reason::TooFewReplicas));
    }

    proptest! {
        #[test]
        fn replicas_always_stay_within_the_bounds(
            loads in proptest::collection::vec((0.0f64..400.0, 0.0f64..200.0), 1..60),
            start in 1u32..30,
        ) {
            let mut hpa = frontend();
            let mut current = start;
            for (i, (cpu_load, memory_load)) in loads.into_iter().enumerate() {
                current = hpa.step(current, &[cpu(cpu_load), memory(memory_load)], i as f64 * 15.0).desired;
                prop_assert!((2..=10).contains(&current), "{current}");
            }
        }
    }
}
