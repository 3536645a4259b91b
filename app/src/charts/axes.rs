//! Axis ticks for the monitoring charts: distinct, round values, labelled in a unit that fits
//! the range. Plotters' own key points split a range evenly, which repeats labels once they are
//! rounded ("1 min, 1 min, 1 min", "0, 0, 1"); these pick the step first and label from it.

/// What a chart's values measure; it decides the step and how a tick reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    Percent,
    Milliseconds,
    RequestsPerSecond,
    /// Users, instances, replicas: never a fraction.
    Count,
}

impl ValueKind {
    /// One reading, for text summaries and tiles ("42 %", "1.2 s", "3.4k req/s").
    pub fn format(self, value: f64) -> String {
        match self {
            Self::Percent => format!("{value:.0} %"),
            Self::Milliseconds if value >= 1000.0 => format!("{:.1} s", value / 1000.0),
            Self::Milliseconds => format!("{value:.0} ms"),
            Self::RequestsPerSecond if value >= 1000.0 => format!("{:.1}k req/s", value / 1000.0),
            Self::RequestsPerSecond => format!("{value:.0} req/s"),
            Self::Count => format!("{value:.0}"),
        }
    }
}

/// Ticks up a value axis from zero, and how to label them.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueAxis {
    pub kind: ValueKind,
    pub ticks: Vec<f64>,
    /// The top of the scale: the last tick.
    pub top: f64,
    step: f64,
}

impl ValueAxis {
    /// An axis from zero that reaches `top` exactly (CPU's 100 %) in at most `max_ticks` ticks.
    pub fn fixed(kind: ValueKind, top: f64, max_ticks: usize) -> Self {
        let step = nice_step(top / intervals(max_ticks), kind);
        Self::build(kind, step, top)
    }

    /// An axis from zero that covers `data_max` in at most `max_ticks` ticks, ending on a tick.
    pub fn covering(kind: ValueKind, data_max: f64, max_ticks: usize) -> Self {
        let data_max = if data_max.is_finite() && data_max > 0.0 { data_max } else { 1.0 };
        let step = nice_step(data_max / intervals(max_ticks), kind);
        // The epsilon keeps a maximum that lands on a tick from adding one more above it.
        Self::build(kind, step, (data_max / step - 1e-9).ceil().max(1.0) * step)
    }

    fn build(kind: ValueKind, step: f64, top: f64) -> Self {
        let count = (top / step + 1e-9).floor() as usize;
        let ticks = (0..=count).map(|i| round_to_step(i as f64 * step, step)).collect();
        Self { kind, ticks, top: top.max(step), step }
    }

    /// A tick's label: the unit switches to seconds or thousands when the scale reaches them, and
    /// decimals appear only when the step needs them.
    pub fn label(&self, value: f64) -> String {
        let (scaled, step, suffix) = match self.kind {
            ValueKind::Percent => (value, self.step, " %"),
            ValueKind::Milliseconds if self.top >= 1000.0 => (value / 1000.0, self.step / 1000.0, " s"),
            ValueKind::Milliseconds => (value, self.step, " ms"),
            ValueKind::RequestsPerSecond if self.top >= 1000.0 => (value / 1000.0, self.step / 1000.0, "k"),
            ValueKind::RequestsPerSecond | ValueKind::Count => (value, self.step, ""),
        };
        format!("{scaled:.prec$}{suffix}", prec = decimals_for(step))
    }
}

/// The unit a time axis is labelled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    Seconds,
    Minutes,
    Hours,
}

impl TimeUnit {
    fn seconds(self) -> f64 {
        match self {
            Self::Seconds => 1.0,
            Self::Minutes => 60.0,
            Self::Hours => 3600.0,
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Self::Seconds => "s",
            Self::Minutes => "min",
            Self::Hours => "h",
        }
    }
}

/// Steps a time axis may take, in seconds, each with the unit its labels read in: every step is
/// a whole number of that unit, so labels never need decimals.
const TIME_STEPS: [(f64, TimeUnit); 18] = [
    (1.0, TimeUnit::Seconds),
    (2.0, TimeUnit::Seconds),
    (5.0, TimeUnit::Seconds),
    (10.0, TimeUnit::Seconds),
    (15.0, TimeUnit::Seconds),
    (30.0, TimeUnit::Seconds),
    (60.0, TimeUnit::Minutes),
    (120.0, TimeUnit::Minutes),
    (300.0, TimeUnit::Minutes),
    (600.0, TimeUnit::Minutes),
    (900.0, TimeUnit::Minutes),
    (1800.0, TimeUnit::Minutes),
    (3600.0, TimeUnit::Hours),
    (7200.0, TimeUnit::Hours),
    (10800.0, TimeUnit::Hours),
    (21600.0, TimeUnit::Hours),
    (43200.0, TimeUnit::Hours),
    (86400.0, TimeUnit::Hours),
];

/// Ticks along a time axis (seconds since the simulation started) at multiples of a round step.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeAxis {
    pub ticks: Vec<f64>,
    pub unit: TimeUnit,
}

impl TimeAxis {
    /// At most `max_ticks` ticks inside `start..=end`.
    pub fn spanning(start: f64, end: f64, max_ticks: usize) -> Self {
        let span = (end - start).max(1.0);
        let (step, unit) = TIME_STEPS
            .into_iter()
            .find(|(step, _)| span / step <= intervals(max_ticks))
            .unwrap_or_else(|| (86400.0 * (span / 86400.0 / intervals(max_ticks)).ceil(), TimeUnit::Hours));
        let first = (start / step).ceil() as i64;
        let last = (end / step).floor() as i64;
        let ticks = (first..=last).map(|i| i as f64 * step).collect();
        Self { ticks, unit }
    }

    pub fn label(&self, seconds: f64) -> String {
        format!("{:.0} {}", seconds / self.unit.seconds(), self.unit.suffix())
    }
}

fn intervals(max_ticks: usize) -> f64 {
    max_ticks.saturating_sub(1).max(1) as f64
}

/// The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `raw`; counts step by whole numbers (and
/// skip 2.5 × 10ⁿ below ten).
fn nice_step(raw: f64, kind: ValueKind) -> f64 {
    let raw = if raw.is_finite() && raw > 0.0 { raw } else { 1.0 };
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw * (1.0 - 1e-9) && (kind != ValueKind::Count || step.fract() == 0.0))
        .unwrap_or(10.0 * magnitude);
    if kind == ValueKind::Count { step.max(1.0) } else { step }
}

/// Decimals that tell multiples of `step` apart: 0 for whole steps, 1 for 0.5, 2 for 0.25.
fn decimals_for(step: f64) -> usize {
    (0..6).find(|d| (step * 10f64.powi(*d as i32)).fract().abs() < 1e-6).unwrap_or(6)
}

/// `i × step` in floating point drifts (0.1 × 3 = 0.30000000000000004); snap it back.
fn round_to_step(value: f64, step: f64) -> f64 {
    let scale = 10f64.powi(decimals_for(step) as i32);
    (value * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels_of_values(axis: &ValueAxis) -> Vec<String> {
        axis.ticks.iter().map(|t| axis.label(*t)).collect()
    }

    fn labels_of_times(axis: &TimeAxis) -> Vec<String> {
        axis.ticks.iter().map(|t| axis.label(*t)).collect()
    }

    fn assert_distinct(labels: &[String]) {
        let mut seen = std::collections::HashSet::new();
        for label in labels {
            assert!(seen.insert(label), "{label} repeats in {labels:?}");
        }
    }

    #[test]
    fn a_few_minutes_of_history_is_labelled_in_whole_minutes_without_repeats() {
        // The reported axis: 0 to 130 s read "0 min, 1 min, 1 min, 1 min, 1 min, 2 min".
        let axis = TimeAxis::spanning(0.0, 130.0, 6);
        assert_eq!(labels_of_times(&axis), ["0 s", "30 s", "60 s", "90 s", "120 s"]);
        let axis = TimeAxis::spanning(300.0, 900.0, 6);
        assert_eq!(labels_of_times(&axis), ["6 min", "8 min", "10 min", "12 min", "14 min"]);
    }

    #[test]
    fn a_short_history_is_labelled_in_seconds() {
        let axis = TimeAxis::spanning(0.0, 20.0, 6);
        assert_eq!(axis.unit, TimeUnit::Seconds);
        assert_eq!(labels_of_times(&axis), ["0 s", "5 s", "10 s", "15 s", "20 s"]);
    }

    #[test]
    fn a_long_history_is_labelled_in_hours() {
        let axis = TimeAxis::spanning(3600.0, 6.0 * 3600.0, 6);
        assert_eq!(labels_of_times(&axis), ["1 h", "2 h", "3 h", "4 h", "5 h", "6 h"]);
        let axis = TimeAxis::spanning(0.0, 40.0 * 86400.0, 6);
        assert!(axis.ticks.len() <= 6 && axis.ticks.len() >= 2, "{:?}", axis.ticks);
    }

    #[test]
    fn time_ticks_stay_inside_the_range_for_any_window() {
        for start in (0..2000).step_by(37) {
            for width in [1.0, 7.0, 59.0, 61.0, 299.0, 601.0, 3599.0, 7201.0] {
                let (start, end) = (f64::from(start), f64::from(start) + width);
                let axis = TimeAxis::spanning(start, end, 6);
                assert!(axis.ticks.len() <= 6, "{start}..{end}: {:?}", axis.ticks);
                assert!(axis.ticks.iter().all(|t| (start..=end).contains(t)), "{start}..{end}: {:?}", axis.ticks);
                assert_distinct(&labels_of_times(&axis));
            }
        }
    }

    #[test]
    fn a_count_axis_never_shows_fractions_or_repeats() {
        // The reported axis: one active user read "0, 0, 1".
        let axis = ValueAxis::covering(ValueKind::Count, 1.15, 5);
        assert_eq!(labels_of_values(&axis), ["0", "1", "2"]);
        let axis = ValueAxis::covering(ValueKind::Count, 11.5, 5);
        assert_eq!(labels_of_values(&axis), ["0", "5", "10", "15"]);
        assert_eq!(axis.top, 15.0);
    }

    #[test]
    fn a_percent_axis_reaches_its_fixed_top() {
        let axis = ValueAxis::fixed(ValueKind::Percent, 100.0, 5);
        assert_eq!(labels_of_values(&axis), ["0 %", "25 %", "50 %", "75 %", "100 %"]);
    }

    #[test]
    fn a_latency_axis_switches_to_seconds_when_its_scale_reaches_them() {
        let axis = ValueAxis::covering(ValueKind::Milliseconds, 92.0, 5);
        assert_eq!(labels_of_values(&axis), ["0 ms", "25 ms", "50 ms", "75 ms", "100 ms"]);
        let axis = ValueAxis::covering(ValueKind::Milliseconds, 2300.0, 5);
        assert_eq!(labels_of_values(&axis), ["0 s", "1 s", "2 s", "3 s"]);
        let axis = ValueAxis::covering(ValueKind::Milliseconds, 1.8, 5);
        assert_eq!(labels_of_values(&axis), ["0.0 ms", "0.5 ms", "1.0 ms", "1.5 ms", "2.0 ms"]);
    }

    #[test]
    fn a_request_rate_axis_reads_in_thousands_when_it_reaches_them() {
        let axis = ValueAxis::covering(ValueKind::RequestsPerSecond, 3400.0, 5);
        assert_eq!(labels_of_values(&axis), ["0k", "1k", "2k", "3k", "4k"]);
        let axis = ValueAxis::covering(ValueKind::RequestsPerSecond, 130.0, 5);
        assert_eq!(labels_of_values(&axis), ["0", "50", "100", "150"]);
    }

    #[test]
    fn value_ticks_are_distinct_round_and_cover_the_data_for_any_maximum() {
        for kind in [ValueKind::Percent, ValueKind::Milliseconds, ValueKind::RequestsPerSecond, ValueKind::Count] {
            for i in 0..400 {
                let data_max = 0.01 * 1.07f64.powi(i);
                let axis = ValueAxis::covering(kind, data_max, 5);
                assert!(axis.ticks.len() <= 5 && axis.ticks.len() >= 2, "{kind:?} {data_max}: {:?}", axis.ticks);
                assert!(axis.top >= data_max * (1.0 - 1e-9), "{kind:?} {data_max}: top {}", axis.top);
                assert_eq!(axis.ticks.first(), Some(&0.0));
                assert_distinct(&labels_of_values(&axis));
            }
        }
    }

    #[test]
    fn readings_use_the_same_units_as_the_axes() {
        assert_eq!(ValueKind::Percent.format(42.4), "42 %");
        assert_eq!(ValueKind::Milliseconds.format(80.0), "80 ms");
        assert_eq!(ValueKind::Milliseconds.format(1250.0), "1.2 s");
        assert_eq!(ValueKind::RequestsPerSecond.format(3400.0), "3.4k req/s");
        assert_eq!(ValueKind::Count.format(3.0), "3");
    }
}
