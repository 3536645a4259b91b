//! CloudWatch metric alarms: "M out of N" datapoints, three states, and missing data.

use std::collections::VecDeque;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlarmState {
    Ok,
    Alarm,
    InsufficientData,
}

impl AlarmState {
    /// CloudWatch's own spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::Alarm => "ALARM",
            Self::InsufficientData => "INSUFFICIENT_DATA",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    GreaterThanThreshold,
    LessThanThreshold,
}

/// What a missing datapoint counts as (`TreatMissingData`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissingData {
    /// All datapoints missing → INSUFFICIENT_DATA (CloudWatch's default).
    Missing,
    NotBreaching,
    Breaching,
    /// Skip missing periods; the state stays as it is.
    Ignore,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AlarmConfig {
    pub name: String,
    pub threshold: f64,
    pub comparison: Comparison,
    /// N: how many recent periods are looked at.
    pub evaluation_periods: usize,
    /// M: how many of them must breach.
    pub datapoints_to_alarm: usize,
    pub missing_data: MissingData,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Alarm {
    pub config: AlarmConfig,
    pub state: AlarmState,
    datapoints: VecDeque<Option<f64>>,
}

impl Alarm {
    pub fn new(config: AlarmConfig) -> Self {
        Self { config, state: AlarmState::InsufficientData, datapoints: VecDeque::new() }
    }

    fn breaches(&self, value: f64) -> bool {
        match self.config.comparison {
            Comparison::GreaterThanThreshold => value > self.config.threshold,
            Comparison::LessThanThreshold => value < self.config.threshold,
        }
    }

    /// Adds one period's datapoint (`None` when there was none) and returns the new state and
    /// whether it changed.
    pub fn evaluate(&mut self, datapoint: Option<f64>) -> (AlarmState, bool) {
        if datapoint.is_none() && self.config.missing_data == MissingData::Ignore {
            // Missing periods are skipped: the window keeps the last real datapoints.
            return (self.state, false);
        }
        let n = self.config.evaluation_periods.max(1);
        self.datapoints.push_back(datapoint);
        while self.datapoints.len() > n {
            self.datapoints.pop_front();
        }
        let present: Vec<f64> = self.datapoints.iter().flatten().copied().collect();
        let missing = self.datapoints.len() - present.len();
        let mut breaching = present.iter().filter(|value| self.breaches(**value)).count();
        let next = match self.config.missing_data {
            MissingData::Missing if present.is_empty() => AlarmState::InsufficientData,
            _ => {
                if self.config.missing_data == MissingData::Breaching {
                    breaching += missing;
                }
                let needed = self.config.datapoints_to_alarm.clamp(1, n);
                if breaching >= needed {
                    AlarmState::Alarm
                } else if self.datapoints.len() < needed && self.config.missing_data == MissingData::Missing {
                    // Too few periods seen yet to decide either way.
                    AlarmState::InsufficientData
                } else {
                    AlarmState::Ok
                }
            }
        };
        let changed = next != self.state;
        self.state = next;
        (next, changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn high_cpu(missing_data: MissingData) -> Alarm {
        Alarm::new(AlarmConfig {
            name: "cpu-high".into(),
            threshold: 70.0,
            comparison: Comparison::GreaterThanThreshold,
            evaluation_periods: 2,
            datapoints_to_alarm: 2,
            missing_data,
        })
    }

    #[test]
    fn two_consecutive_breaching_periods_raise_the_alarm_and_one_calm_period_clears_it() {
        let mut alarm = high_cpu(MissingData::Missing);
        assert_eq!(alarm.state, AlarmState::InsufficientData);
        assert_eq!(alarm.evaluate(Some(80.0)), (AlarmState::InsufficientData, false));
        assert_eq!(alarm.evaluate(Some(85.0)), (AlarmState::Alarm, true));
        assert_eq!(alarm.evaluate(Some(90.0)), (AlarmState::Alarm, false));
        assert_eq!(alarm.evaluate(Some(60.0)), (AlarmState::Ok, true));
        // Exactly at the threshold is not above it.
        assert_eq!(alarm.evaluate(Some(70.0)), (AlarmState::Ok, false));
    }

    #[test]
    fn m_out_of_n_counts_breaches_anywhere_in_the_window() {
        let mut alarm = Alarm::new(AlarmConfig {
            name: "cpu-low".into(),
            threshold: 30.0,
            comparison: Comparison::LessThanThreshold,
            evaluation_periods: 3,
            datapoints_to_alarm: 2,
            missing_data: MissingData::Missing,
        });
        for value in [20.0, 50.0] {
            alarm.evaluate(Some(value));
        }
        assert_eq!(alarm.evaluate(Some(25.0)).0, AlarmState::Alarm);
    }

    #[test]
    fn missing_data_follows_the_configured_treatment() {
        let mut missing = high_cpu(MissingData::Missing);
        missing.evaluate(None);
        assert_eq!(missing.evaluate(None).0, AlarmState::InsufficientData);

        let mut breaching = high_cpu(MissingData::Breaching);
        breaching.evaluate(Some(90.0));
        assert_eq!(breaching.evaluate(None).0, AlarmState::Alarm);

        let mut not_breaching = high_cpu(MissingData::NotBreaching);
        not_breaching.evaluate(Some(90.0));
        assert_eq!(not_breaching.evaluate(None).0, AlarmState::Ok);

        let mut ignore = high_cpu(MissingData::Ignore);
        ignore.evaluate(Some(90.0));
        ignore.evaluate(Some(95.0));
        ignore.evaluate(None);
        assert_eq!(ignore.evaluate(None).0, AlarmState::Alarm, "all missing keeps the state");
    }
}
