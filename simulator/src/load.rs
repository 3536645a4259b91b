//! Where the simulated fleet's traffic comes from, and what it does to response times.
//!
//! Requests per second = a synthetic daily curve + injected spikes + this server's own measured
//! traffic multiplied by an amplification factor, so a few real shoppers visibly move the fleet.

use std::f64::consts::TAU;

pub const DAY_SECS: f64 = 86_400.0;

/// A burst of extra traffic over a stretch of simulated time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spike {
    pub start: f64,
    pub end: f64,
    pub extra_rps: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LoadModel {
    /// The daily average of synthetic requests per second.
    pub base_rps: f64,
    /// How far the daily curve swings around the base, as a fraction (0.5: ±50 %).
    pub daily_swing: f64,
    /// Each real request counts as this many simulated ones.
    pub amplification: f64,
    pub spikes: Vec<Spike>,
}

impl Default for LoadModel {
    fn default() -> Self {
        Self { base_rps: 120.0, daily_swing: 0.5, amplification: 20.0, spikes: Vec::new() }
    }
}

impl LoadModel {
    /// The synthetic part at simulated time `t`: lowest at 03:00, highest at 15:00.
    pub fn synthetic_rps(&self, t: f64) -> f64 {
        let phase = (t.rem_euclid(DAY_SECS) / DAY_SECS - 0.375) * TAU;
        (self.base_rps * (1.0 + self.daily_swing * phase.sin())).max(0.0)
    }

    pub fn spike_rps(&self, t: f64) -> f64 {
        self.spikes.iter().filter(|s| (s.start..s.end).contains(&t)).map(|s| s.extra_rps).sum()
    }

    /// Everything the fleet serves at `t` when this server itself sees `real_rps`.
    pub fn total_rps(&self, t: f64, real_rps: f64) -> f64 {
        self.synthetic_rps(t) + self.spike_rps(t) + real_rps.max(0.0) * self.amplification
    }

    /// Adds a spike and forgets the ones that ended an hour before `now`.
    pub fn inject_spike(&mut self, spike: Spike, now: f64) {
        self.spikes.retain(|s| now - s.end < 3600.0);
        self.spikes.push(spike);
    }
}

/// Response times at a utilisation (0..1) for a request that takes `service_ms` on an idle
/// instance: an M/M/1 queue, whose time in system is exponential with mean
/// `service / (1 − ρ)`, so p50 = mean · ln 2 and p95 = mean · ln 20. Utilisation is capped
/// just below 1, where an overloaded fleet would start shedding requests.
pub fn latency_ms(service_ms: f64, utilisation: f64) -> (f64, f64) {
    let rho = utilisation.clamp(0.0, 0.98);
    let mean = service_ms / (1.0 - rho);
    (mean * std::f64::consts::LN_2, mean * 20f64.ln())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_daily_curve_peaks_in_the_afternoon_and_bottoms_out_at_night() {
        let model = LoadModel::default();
        let at = |hour: f64| model.synthetic_rps(hour * 3600.0);
        assert!((at(15.0) - 180.0).abs() < 1e-6, "{}", at(15.0));
        assert!((at(3.0) - 60.0).abs() < 1e-6, "{}", at(3.0));
        assert!(at(9.0) > at(3.0) && at(9.0) < at(15.0));
        assert!((at(15.0) - model.synthetic_rps(15.0 * 3600.0 + DAY_SECS)).abs() < 1e-9, "repeats daily");
    }

    #[test]
    fn spikes_and_amplified_real_traffic_add_up() {
        let mut model = LoadModel { base_rps: 100.0, daily_swing: 0.0, amplification: 10.0, spikes: vec![] };
        model.inject_spike(Spike { start: 10.0, end: 70.0, extra_rps: 500.0 }, 10.0);
        assert_eq!(model.total_rps(5.0, 2.0), 120.0);
        assert_eq!(model.total_rps(10.0, 2.0), 620.0);
        assert_eq!(model.total_rps(70.0, 0.0), 100.0, "the end is exclusive");
        model.inject_spike(Spike { start: 5000.0, end: 5060.0, extra_rps: 1.0 }, 5000.0);
        assert_eq!(model.spikes.len(), 1, "old spikes are forgotten");
    }

    #[test]
    fn latency_grows_sharply_as_utilisation_nears_one() {
        let (p50_idle, p95_idle) = latency_ms(20.0, 0.0);
        assert!((p50_idle - 13.86).abs() < 0.01 && (p95_idle - 59.9).abs() < 0.1);
        let (p50_busy, _) = latency_ms(20.0, 0.9);
        assert!((p50_busy / p50_idle - 10.0).abs() < 1e-9);
        assert!(latency_ms(20.0, 5.0).0.is_finite());
    }

    proptest! {
        #[test]
        fn load_is_never_negative_and_latency_never_falls_as_utilisation_rises(
            t in -1e6f64..1e6, swing in 0.0f64..2.0, a in 0.0f64..1.0, b in 0.0f64..1.0,
        ) {
            let model = LoadModel { daily_swing: swing, ..LoadModel::default() };
            prop_assert!(model.total_rps(t, 0.0) >= 0.0);
            let (low, high) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(latency_ms(20.0, low).1 <= latency_ms(20.0, high).1);
        }
    }
}
