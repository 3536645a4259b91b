//! The monitoring page's charts, drawn by plotters into SVG text. The same code runs on the
//! server (the first HTML carries real charts, readable without JavaScript) and in the browser
//! (re-drawn from the live stream). Without plotters' `ttf` feature the server estimates text
//! widths and the browser measures them; fixed label areas keep both layouts the same.

use crate::metrics::Snapshot;
use plotters::prelude::*;

pub const WIDTH: u32 = 560;
pub const HEIGHT: u32 = 200;

/// One line on a chart.
pub struct Line {
    pub label: &'static str,
    pub color: RGBColor,
    pub value: fn(&Snapshot) -> f64,
}

/// A horizontal reference line, such as an alarm threshold.
pub struct Threshold {
    pub value: f64,
    pub color: RGBColor,
}

/// What one chart shows.
pub struct ChartSpec {
    pub unit: &'static str,
    pub lines: Vec<Line>,
    pub thresholds: Vec<Threshold>,
    /// A fixed top of the scale (CPU's 100 %); otherwise the data's maximum with headroom.
    pub y_max: Option<f64>,
}

pub const BLUE: RGBColor = RGBColor(37, 99, 235);
pub const ORANGE: RGBColor = RGBColor(194, 65, 12);
pub const GREEN: RGBColor = RGBColor(21, 128, 61);
pub const PURPLE: RGBColor = RGBColor(109, 40, 217);
pub const RED: RGBColor = RGBColor(185, 28, 28);
pub const GREY: RGBColor = RGBColor(100, 110, 130);

/// Draws `spec` over `history` (oldest first) as an SVG document that scales to its container.
pub fn render(spec: &ChartSpec, history: &[Snapshot]) -> String {
    let mut svg = String::new();
    if let Err(err) = draw(spec, history, &mut svg) {
        // Plotters only fails on a backend error, which writing to a String cannot cause; an
        // empty chart beats a broken page if that ever changes.
        leptos::logging::warn!("chart drawing failed: {err}");
        return String::new();
    }
    responsive(&svg)
}

fn draw(spec: &ChartSpec, history: &[Snapshot], out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
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
    let y_max = spec.y_max.unwrap_or_else(|| nice_ceiling(data_max * 1.15));

    let mut chart = ChartBuilder::on(&root)
        .margin_top(12)
        .margin_right(16)
        .margin_left(4)
        .x_label_area_size(28)
        .y_label_area_size(52)
        .build_cartesian_2d(start..end, 0.0..y_max)?;
    let unit = spec.unit;
    chart
        .configure_mesh()
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&|t| format!("{:.0} min", t / 60.0))
        .y_label_formatter(&|v| format_value(*v, unit))
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

/// Plotters writes a fixed width and height; dropping them lets the viewBox scale the chart to
/// its container, and the drawing is decoration for the text summary beside it.
fn responsive(svg: &str) -> String {
    let fixed = format!(r#"width="{WIDTH}" height="{HEIGHT}" "#);
    svg.replacen(&fixed, r#"aria-hidden="true" focusable="false" preserveAspectRatio="none" "#, 1)
}

/// A round number at or above `value`, for the top of a scale.
pub fn nice_ceiling(value: f64) -> f64 {
    if !value.is_finite() || value <= 1.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(value.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().find(|m| m * magnitude >= value).unwrap_or(10.0);
    step * magnitude
}

pub fn format_value(value: f64, unit: &str) -> String {
    match unit {
        "%" => format!("{value:.0} %"),
        "ms" if value >= 1000.0 => format!("{:.1} s", value / 1000.0),
        "ms" => format!("{value:.0} ms"),
        "req/s" if value >= 1000.0 => format!("{:.1}k", value / 1000.0),
        "" => format!("{value:.0}"),
        _ => format!("{value:.0} {unit}"),
    }
}

/// The monitoring page's six charts, in order, with their titles.
pub fn dashboard() -> Vec<(&'static str, ChartSpec)> {
    vec![
        (
            "CPU utilisation",
            ChartSpec {
                unit: "%",
                lines: vec![Line { label: "Average CPU", color: BLUE, value: |s| s.cpu_percent }],
                thresholds: vec![Threshold { value: 70.0, color: RED }, Threshold { value: 30.0, color: GREEN }],
                y_max: Some(100.0),
            },
        ),
        (
            "Response time",
            ChartSpec {
                unit: "ms",
                lines: vec![
                    Line { label: "p50", color: BLUE, value: |s| s.latency_p50_ms },
                    Line { label: "p95", color: ORANGE, value: |s| s.latency_p95_ms },
                ],
                thresholds: vec![],
                y_max: None,
            },
        ),
        (
            "Active users",
            ChartSpec {
                unit: "",
                lines: vec![Line { label: "Active users", color: PURPLE, value: |s| f64::from(s.active_users) }],
                thresholds: vec![],
                y_max: None,
            },
        ),
        (
            "Instances",
            ChartSpec {
                unit: "",
                lines: vec![
                    Line { label: "In service", color: GREEN, value: |s| f64::from(s.fleet.in_service) },
                    Line { label: "Desired", color: BLUE, value: |s| f64::from(s.fleet.desired) },
                ],
                thresholds: vec![],
                y_max: None,
            },
        ),
        (
            "Requests per second",
            ChartSpec {
                unit: "req/s",
                lines: vec![Line { label: "Requests/s", color: ORANGE, value: |s| s.requests_per_sec }],
                thresholds: vec![],
                y_max: None,
            },
        ),
        (
            "Kubernetes HPA view",
            ChartSpec {
                unit: "",
                lines: vec![
                    Line { label: "Replicas", color: PURPLE, value: |s| f64::from(s.hpa.replicas) },
                    Line { label: "Recommended", color: GREY, value: |s| f64::from(s.hpa.recommended) },
                ],
                thresholds: vec![],
                y_max: None,
            },
        ),
    ]
}

/// "Average CPU 42 %, …": the latest values of a chart's lines, for its text summary.
pub fn summary(spec: &ChartSpec, latest: Option<&Snapshot>) -> String {
    let Some(latest) = latest else { return "No data yet.".to_owned() };
    let values: Vec<String> = spec
        .lines
        .iter()
        .map(|line| format!("{} {}", line.label, format_value((line.value)(latest), spec.unit)))
        .collect();
    format!("Now: {}.", values.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{FleetView, HpaView};

    fn snapshot(t: f64, cpu: f64) -> Snapshot {
        Snapshot {
            sim_time: t,
            time_scale: 10.0,
            requests_per_sec: 120.0,
            active_users: 3,
            cpu_percent: cpu,
            latency_p50_ms: 25.0,
            latency_p95_ms: 80.0,
            fleet: FleetView {
                min: 2,
                max: 10,
                desired: 3,
                pending: 1,
                in_service: 2,
                terminating: 0,
                unhealthy: 0,
                policy: "step scaling".into(),
                high_cpu_alarm: "ALARM".into(),
                low_cpu_alarm: "OK".into(),
            },
            hpa: HpaView { replicas: 3, recommended: 4, reason: "ScaleUp".into() },
        }
    }

    #[test]
    fn a_chart_is_a_scalable_svg_with_its_line_and_thresholds() {
        let history: Vec<Snapshot> = (0..50).map(|i| snapshot(f64::from(i) * 5.0, 40.0 + f64::from(i))).collect();
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
            assert!(render(&spec, &[snapshot(30.0, 50.0)]).starts_with("<svg"), "{title} with one point");
        }
    }

    #[test]
    fn summaries_read_the_latest_values() {
        let (_, cpu) = &dashboard()[0];
        assert_eq!(summary(cpu, Some(&snapshot(0.0, 42.4))), "Now: Average CPU 42 %.");
        let (_, latency) = &dashboard()[1];
        assert_eq!(summary(latency, Some(&snapshot(0.0, 1.0))), "Now: p50 25 ms, p95 80 ms.");
        assert_eq!(summary(latency, None), "No data yet.");
    }

    #[test]
    fn scales_end_on_round_numbers() {
        assert_eq!(nice_ceiling(0.3), 1.0);
        assert_eq!(nice_ceiling(7.2), 10.0);
        assert_eq!(nice_ceiling(13.0), 20.0);
        assert_eq!(nice_ceiling(230.0), 250.0);
        assert_eq!(nice_ceiling(f64::NAN), 1.0);
    }
}
