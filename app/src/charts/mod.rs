//! The monitoring page's charts, drawn by plotters into SVG text. The same code runs on the
//! server (the first HTML carries real charts, readable without JavaScript) and in the browser
//! (re-drawn from the live stream). Without plotters' `ttf` feature the server estimates text
//! widths and the browser measures them; fixed label areas keep both layouts the same.

mod axes;

pub use axes::{TimeAxis, ValueAxis, ValueKind};

use plotters::{
    coord::{
        ranged1d::{DefaultFormatting, KeyPointHint},
        types::RangedCoordf64,
    },
    prelude::*,
};
use simulator::snapshot::Sample;

pub const WIDTH: u32 = 560;
pub const HEIGHT: u32 = 200;
/// Most ticks per axis: what fits 560 × 200 pixels without labels touching.
const X_TICKS: usize = 6;
const Y_TICKS: usize = 5;

/// One line on a chart.
pub struct Line {
    pub label: &'static str,
    pub color: RGBColor,
    pub value: fn(&Sample) -> f64,
}

/// A horizontal reference line, such as an alarm threshold.
pub struct Threshold {
    pub value: f64,
    pub color: RGBColor,
}

/// What one chart shows.
pub struct ChartSpec {
    pub kind: ValueKind,
    pub lines: Vec<Line>,
    pub thresholds: Vec<Threshold>,
    /// A fixed top of the scale (CPU's 100 %); otherwise the data's maximum with headroom.
    pub y_max: Option<f64>,
}

impl ChartSpec {
    /// A chart without threshold lines whose scale fits its data.
    fn fitted(kind: ValueKind, lines: Vec<Line>) -> Self {
        Self { kind, lines, thresholds: vec![], y_max: None }
    }
}

pub const BLUE: RGBColor = RGBColor(37, 99, 235);
pub const ORANGE: RGBColor = RGBColor(194, 65, 12);
pub const GREEN: RGBColor = RGBColor(21, 128, 61);
pub const PURPLE: RGBColor = RGBColor(109, 40, 217);
pub const RED: RGBColor = RGBColor(185, 28, 28);
pub const GREY: RGBColor = RGBColor(100, 110, 130);

/// Draws `spec` over `history` (oldest first) as an SVG document that scales to its container.
pub fn render(spec: &ChartSpec, history: &[Sample]) -> String {
    let mut svg = String::new();
    if let Err(err) = draw(spec, history, &mut svg) {
        // Plotters only fails on a backend error, which writing to a String cannot cause; an
        // empty chart beats a broken page if that ever changes.
        leptos::logging::warn!("chart drawing failed: {err}");
        return String::new();
    }
    responsive(&svg)
}

fn draw(spec: &ChartSpec, history: &[Sample], out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(out, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let (start, end) = match (history.first(), history.last()) {
        (Some(first), Some(last)) if last.sim_time > first.sim_time => (first.sim_time, last.sim_time),
        (_, Some(last)) => (last.sim_time - 60.0, last.sim_time),
        _ => (0.0, 60.0),
    };
    let data_max = history
        .iter()
        .flat_map(|s| spec.lines.iter().map(move |line| (line.value)(s)))
        .chain(spec.thresholds.iter().map(|t| t.value))
        .fold(0.0_f64, f64::max);
    let y_axis = match spec.y_max {
        Some(top) => ValueAxis::fixed(spec.kind, top, Y_TICKS),
        None => ValueAxis::covering(spec.kind, data_max * 1.15, Y_TICKS),
    };
    let x_axis = TimeAxis::spanning(start, end, X_TICKS);
    let y_max = y_axis.top;

    let mut chart = ChartBuilder::on(&root)
        .margin_top(12)
        .margin_right(16)
        .margin_left(4)
        .x_label_area_size(28)
        .y_label_area_size(52)
        .build_cartesian_2d(Ticked::new(start..end, &x_axis.ticks), Ticked::new(0.0..y_max, &y_axis.ticks))?;
    chart
        .configure_mesh()
        .x_label_formatter(&|t| x_axis.label(*t))
        .y_label_formatter(&|v| y_axis.label(*v))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(229, 232, 240))
        .axis_style(RGBColor(160, 166, 180))
        .label_style(("sans-serif", 12).into_font().color(&GREY))
        .draw()?;
    for threshold in &spec.thresholds {
        chart.draw_series(DashedLineSeries::new(
            [(start, threshold.value), (end, threshold.value)],
            6,
            4,
            threshold.color.stroke_width(1),
        ))?;
    }
    for line in &spec.lines {
        chart.draw_series(LineSeries::new(
            history.iter().map(|s| (s.sim_time, (line.value)(s).clamp(0.0, y_max))),
            line.color.stroke_width(2),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// A linear axis whose grid lines and labels sit at chosen ticks. (Plotters' `with_key_points`
/// does the same but drops the value formatter that custom tick labels still require.)
struct Ticked {
    linear: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ticked {
    fn new(range: std::ops::Range<f64>, ticks: &[f64]) -> Self {
        Self { linear: range.into(), ticks: ticks.to_vec() }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.linear.map(value, limit)
    }

    /// The ticks are the bold lines and labels; no light lines between them.
    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() { Vec::new() } else { self.ticks.clone() }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.linear.range()
    }
}

/// Plotters writes a fixed width and height; dropping them lets the viewBox scale the chart to
/// its container, and the drawing is decoration for the text summary beside it.
fn responsive(svg: &str) -> String {
    let fixed = format!(r#"width="{WIDTH}" height="{HEIGHT}" "#);
    svg.replacen(&fixed, r#"aria-hidden="true" focusable="false" preserveAspectRatio="none" "#, 1)
}

/// The monitoring page's six charts, in order, with their titles.
pub fn dashboard() -> Vec<(&'static str, ChartSpec)> {
    vec![
        (
            "CPU utilisation",
            ChartSpec {
                kind: ValueKind::Percent,
                lines: vec![Line { label: "Average CPU", color: BLUE, value: |s| s.cpu_percent }],
                thresholds: vec![Threshold { value: 70.0, color: RED }, Threshold { value: 30.0, color: GREEN }],
                y_max: Some(100.0),
            },
        ),
        (
            "Response time",
            ChartSpec::fitted(
                ValueKind::Milliseconds,
                vec![
                    Line { label: "p50", color: BLUE, value: |s| s.latency_p50_ms },
                    Line { label: "p95", color: ORANGE, value: |s| s.latency_p95_ms },
                ],
            ),
        ),
        (
            "Active users",
            ChartSpec::fitted(
                ValueKind::Count,
                vec![Line { label: "Active users", color: PURPLE, value: |s| f64::from(s.active_users) }],
            ),
        ),
        (
            "Instances",
            ChartSpec::fitted(
                ValueKind::Count,
                vec![
                    Line { label: "In service", color: GREEN, value: |s| f64::from(s.in_service) },
                    Line { label: "Desired", color: BLUE, value: |s| f64::from(s.desired) },
                ],
            ),
        ),
        (
            "Requests per second",
            ChartSpec::fitted(
                ValueKind::RequestsPerSecond,
                vec![Line { label: "Requests/s", color: ORANGE, value: |s| s.requests_per_sec }],
            ),
        ),
        (
            "Kubernetes HPA view",
            ChartSpec::fitted(
                ValueKind::Count,
                vec![
                    Line { label: "Replicas", color: PURPLE, value: |s| f64::from(s.hpa_replicas) },
                    Line { label: "Recommended", color: GREY, value: |s| f64::from(s.hpa_recommended) },
                ],
            ),
        ),
    ]
}

/// "Average CPU 42 %, …": the latest values of a chart's lines, for its text summary.
pub fn summary(spec: &ChartSpec, latest: Option<&Sample>) -> String {
    let Some(latest) = latest else { return "No data yet.".to_owned() };
    let values: Vec<String> =
        spec.lines.iter().map(|line| format!("{} {}", line.label, spec.kind.format((line.value)(latest)))).collect();
    format!("Now: {}.", values.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(t: f64, cpu: f64) -> Sample {
        Sample {
            sim_time: t,
            requests_per_sec: 120.0,
            active_users: 3,
            cpu_percent: cpu,
            latency_p50_ms: 25.0,
            latency_p95_ms: 80.0,
            in_service: 2,
            desired: 3,
            hpa_replicas: 3,
            hpa_recommended: 4,
        }
    }

    #[test]
    fn a_chart_is_a_scalable_svg_with_its_line_and_thresholds() {
        let history: Vec<Sample> = (0..50).map(|i| sample(f64::from(i) * 5.0, 40.0 + f64::from(i))).collect();
        let (_, cpu) = &dashboard()[0];
        let svg = render(cpu, &history);
        assert!(svg.starts_with("<svg"), "{}", &svg[..80.min(svg.len())]);
        assert!(svg.contains("viewBox=\"0 0 560 200\""));
        assert!(svg.starts_with("<svg aria-hidden=\"true\""), "fixed size replaced: {}", &svg[..60]);
        assert!(svg.contains("<polyline"), "the data line is drawn");
        assert!(svg.contains("100 %"), "the axis is labelled in percent");
    }

    #[test]
    fn every_chart_draws_with_no_history_or_a_single_snapshot() {
        for (title, spec) in dashboard() {
            assert!(render(&spec, &[]).starts_with("<svg"), "{title} with no data");
            assert!(render(&spec, &[sample(30.0, 50.0)]).starts_with("<svg"), "{title} with one point");
        }
    }

    #[test]
    fn summaries_read_the_latest_values() {
        let (_, cpu) = &dashboard()[0];
        assert_eq!(summary(cpu, Some(&sample(0.0, 42.4))), "Now: Average CPU 42 %.");
        let (_, latency) = &dashboard()[1];
        assert_eq!(summary(latency, Some(&sample(0.0, 1.0))), "Now: p50 25 ms, p95 80 ms.");
        assert_eq!(summary(latency, None), "No data yet.");
    }

    #[test]
    fn axes_label_round_distinct_ticks_in_fitting_units() {
        // Two minutes of history with one active user: the axes once read "1 min" four times
        // and "0, 0, 1".
        let history: Vec<Sample> = (0..25).map(|i| sample(f64::from(i) * 5.0, 40.0)).collect();
        let (_, users) = &dashboard()[2];
        let svg = render(users, &history);
        let texts: Vec<&str> =
            svg.split("<text").skip(1).filter_map(|t| Some(t.split('>').nth(1)?.split('<').next()?.trim())).collect();
        for expected in ["0 s", "30 s", "60 s", "90 s", "120 s", "0", "1", "2", "3", "4"] {
            assert_eq!(texts.iter().filter(|t| **t == expected).count(), 1, "{expected} once in {texts:?}");
        }
        assert!(!texts.iter().any(|t| t.contains("min")), "{texts:?}");
    }
}
