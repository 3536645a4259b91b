//! The Auto Scaling policy numbers, read from `simulator/policy/autoscaling.json`: the simulator's
//! defaults come from here and the Terraform reads the same file, so the two cannot drift apart.

use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AutoscalingPolicy {
    pub min_size: u32,
    pub max_size: u32,
    pub desired_capacity: u32,
    pub scale_out_cpu_percent: f64,
    pub scale_in_cpu_percent: f64,
    /// The cpu-high alarm's step policy; bounds are percentage points above the threshold.
    pub scale_out_steps: Vec<PolicyStep>,
    /// What the cpu-low alarm's single step does to capacity (negative).
    pub scale_in_change_in_capacity: i32,
    pub alarm_period_seconds: f64,
    pub alarm_evaluation_periods: u32,
    pub target_cpu_percent: f64,
    pub simple_scaling_cooldown_seconds: f64,
    pub instance_warmup_seconds: f64,
    pub health_check_grace_period_seconds: f64,
    pub hpa_min_replicas: u32,
    pub hpa_max_replicas: u32,
    pub hpa_cpu_target_percent: f64,
    pub hpa_memory_target_percent: f64,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct PolicyStep {
    pub lower_bound_above_threshold: Option<f64>,
    pub upper_bound_above_threshold: Option<f64>,
    pub change_in_capacity: i32,
}

const POLICY_JSON: &str = include_str!("../policy/autoscaling.json");

/// The policy compiled into this binary. A malformed file fails the unit tests below, and so
/// never reaches a running server.
pub fn policy() -> &'static AutoscalingPolicy {
    static POLICY: OnceLock<AutoscalingPolicy> = OnceLock::new();
    POLICY.get_or_init(|| serde_json::from_str(POLICY_JSON).expect("simulator/policy/autoscaling.json is valid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_file_parses_and_its_limits_are_consistent() {
        let p = policy();
        assert!(p.min_size <= p.desired_capacity && p.desired_capacity <= p.max_size);
        assert!(p.scale_in_cpu_percent < p.scale_out_cpu_percent);
        assert!(p.alarm_evaluation_periods >= 1 && p.alarm_period_seconds >= 10.0);
        assert!(p.hpa_min_replicas <= p.hpa_max_replicas);
        assert!(p.scale_in_change_in_capacity < 0, "scale-in removes instances");
    }

    #[test]
    fn the_scale_out_steps_start_at_the_threshold_and_follow_each_other_without_gaps() {
        let steps = &policy().scale_out_steps;
        assert_eq!(steps.first().and_then(|s| s.lower_bound_above_threshold), Some(0.0));
        assert_eq!(steps.last().map(|s| s.upper_bound_above_threshold), Some(None), "the last step is open-ended");
        for pair in steps.windows(2) {
            assert_eq!(pair[0].upper_bound_above_threshold, pair[1].lower_bound_above_threshold);
        }
        assert!(steps.iter().all(|s| s.change_in_capacity > 0));
    }
}
