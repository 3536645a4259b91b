//! EC2 Auto Scaling step scaling: which step an alarm's metric falls in, and the capacity the
//! step's adjustment gives, with AWS's rounding rules.

/// How a step changes capacity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Adjustment {
    /// Add (or, negative, remove) this many instances.
    ChangeInCapacity(i32),
    /// Set capacity to exactly this many instances.
    ExactCapacity(u32),
    /// Add (or remove) this percentage of the current capacity; `min_magnitude` is AWS's
    /// `MinAdjustmentMagnitude`.
    PercentChangeInCapacity { percent: f64, min_magnitude: Option<u32> },
}

/// One step, its bounds relative to the alarm threshold (`None` is unbounded). Above the
/// threshold the lower bound is inclusive and the upper exclusive; below it the reverse.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub adjustment: Adjustment,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StepPolicy {
    pub threshold: f64,
    pub steps: Vec<Step>,
}

impl StepPolicy {
    /// The step `metric` falls in, if any.
    pub fn step_for(&self, metric: f64) -> Option<&Step> {
        let delta = metric - self.threshold;
        self.steps.iter().find(|step| {
            // Steps under the threshold (scale-in) include their upper bound instead of the lower.
            let under_threshold = step.upper.is_some_and(|upper| upper <= 0.0);
            let above_lower =
                step.lower.is_none_or(|lower| if under_threshold { delta > lower } else { delta >= lower });
            let below_upper =
                step.upper.is_none_or(|upper| if under_threshold { delta <= upper } else { delta < upper });
            above_lower && below_upper
        })
    }

    /// The capacity this policy asks for at `metric`, clamped to `[min, max]`; `None` when the
    /// metric is in no step.
    pub fn desired_capacity(&self, current: u32, metric: f64, min: u32, max: u32) -> Option<u32> {
        let step = self.step_for(metric)?;
        Some(apply(step.adjustment, current).clamp(min, max))
    }
}

/// Capacity after one adjustment (never below zero; the caller clamps to the group's limits).
pub fn apply(adjustment: Adjustment, current: u32) -> u32 {
    let current = i64::from(current);
    let next = match adjustment {
        Adjustment::ChangeInCapacity(change) => current + i64::from(change),
        Adjustment::ExactCapacity(capacity) => i64::from(capacity),
        Adjustment::PercentChangeInCapacity { percent, min_magnitude } => {
            let change = round_percent_change(current as f64 * percent / 100.0);
            let change = match min_magnitude {
                Some(min) if change.unsigned_abs() < u64::from(min) => change.signum() * i64::from(min),
                _ => change,
            };
            current + change
        }
    };
    u32::try_from(next.max(0)).unwrap_or(u32::MAX)
}

/// AWS: above 1 rounds down (12.7 → 12), between 0 and 1 becomes 1, between −1 and 0 becomes
/// −1, below −1 rounds up (−6.67 → −6).
pub fn round_percent_change(change: f64) -> i64 {
    if change > 1.0 {
        change.floor() as i64
    } else if change > 0.0 {
        1
    } else if change == 0.0 {
        0
    } else if change >= -1.0 {
        -1
    } else {
        change.ceil() as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn percent(percent: f64) -> Adjustment {
        Adjustment::PercentChangeInCapacity { percent, min_magnitude: None }
    }

    /// The AWS user guide's example: threshold 50 %, +10 % for [60, 70), +30 % from 70 %.
    fn guide_policy() -> StepPolicy {
        StepPolicy {
            threshold: 50.0,
            steps: vec![
                Step { lower: Some(10.0), upper: Some(20.0), adjustment: percent(10.0) },
                Step { lower: Some(20.0), upper: None, adjustment: percent(30.0) },
            ],
        }
    }

    #[test]
    fn the_aws_guide_example_goes_from_10_to_11_at_60_and_from_11_to_14_at_70() {
        let policy = guide_policy();
        assert_eq!(policy.desired_capacity(10, 60.0, 1, 100), Some(11));
        assert_eq!(policy.desired_capacity(11, 70.0, 1, 100), Some(14));
        assert_eq!(policy.desired_capacity(10, 55.0, 1, 100), None, "between threshold and first step");
    }

    #[test]
    fn bounds_are_inclusive_below_and_exclusive_above_over_the_threshold_and_the_reverse_under_it() {
        let policy = guide_policy();
        assert_eq!(policy.step_for(60.0).unwrap().adjustment, percent(10.0));
        assert_eq!(policy.step_for(69.999).unwrap().adjustment, percent(10.0));
        assert_eq!(policy.step_for(70.0).unwrap().adjustment, percent(30.0));
        let scale_in = StepPolicy {
            threshold: 30.0,
            steps: vec![
                Step { lower: Some(-10.0), upper: Some(0.0), adjustment: Adjustment::ChangeInCapacity(-1) },
                Step { lower: None, upper: Some(-10.0), adjustment: Adjustment::ChangeInCapacity(-2) },
            ],
        };
        assert_eq!(scale_in.step_for(30.0).unwrap().adjustment, Adjustment::ChangeInCapacity(-1));
        assert_eq!(scale_in.step_for(20.0).unwrap().adjustment, Adjustment::ChangeInCapacity(-2));
        assert_eq!(scale_in.step_for(20.5).unwrap().adjustment, Adjustment::ChangeInCapacity(-1));
    }

    #[test]
    fn percent_changes_round_as_aws_documents() {
        assert_eq!(round_percent_change(12.7), 12);
        assert_eq!(round_percent_change(0.3), 1);
        assert_eq!(round_percent_change(-0.3), -1);
        assert_eq!(round_percent_change(-6.67), -6);
        assert_eq!(apply(Adjustment::PercentChangeInCapacity { percent: 10.0, min_magnitude: Some(2) }, 10), 12);
        assert_eq!(apply(Adjustment::ExactCapacity(4), 10), 4);
        assert_eq!(apply(Adjustment::ChangeInCapacity(-5), 3), 0);
    }

    proptest! {
        #[test]
        fn the_result_always_stays_within_the_group_limits(
            current in 0u32..200,
            metric in 0.0f64..100.0,
            min in 0u32..5,
            extra in 0u32..20,
            change in -50i32..50,
            pct in -100.0f64..300.0,
        ) {
            let max = min + extra;
            let policy = StepPolicy {
                threshold: 50.0,
                steps: vec![
                    Step { lower: Some(0.0), upper: None, adjustment: percent(pct) },
                    Step { lower: None, upper: Some(0.0), adjustment: Adjustment::ChangeInCapacity(change) },
                ],
            };
            if let Some(desired) = policy.desired_capacity(current, metric, min, max) {
                prop_assert!((min..=max).contains(&desired));
            }
        }
    }
}
