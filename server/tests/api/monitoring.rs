//! The simulator's live stream and its admin controls, over HTTP.

use crate::{app_test, helpers::TestApp};
use std::time::Duration;

/// One viewer's connection to the monitoring stream.
struct Viewer {
    response: reqwest::Response,
    buffer: String,
}

impl Viewer {
    async fn open(app: &TestApp) -> Self {
        let response = app.get("/monitoring/stream").await;
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
        Self { response, buffer: String::new() }
    }

    /// The next frame. The stream sends the current frame at once and one for each tick after
    /// it; the timeout only turns a hang into a failure.
    async fn next_frame(&mut self) -> serde_json::Value {
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let message: String = self.buffer.drain(..end + 2).collect();
                if let Some(data) = message.lines().find_map(|line| line.strip_prefix("data: ")) {
                    return serde_json::from_str(data).unwrap();
                }
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.response.chunk()).await;
            let chunk = chunk.expect("a frame after the tick").unwrap().expect("the stream stays open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

/// The current frame, then one more for each of `ticks` ticks.
async fn frames(app: &TestApp, ticks: usize) -> Vec<serde_json::Value> {
    let mut viewer = Viewer::open(app).await;
    let mut frames = vec![viewer.next_frame().await];
    for _ in 0..ticks {
        app.tick(1).await;
        frames.push(viewer.next_frame().await);
    }
    frames
}

app_test!(the_stream_sends_a_frame_for_every_tick_with_simulated_time_moving_on, |app| async move {
    let frames = frames(&app, 4).await;
    let times: Vec<f64> = frames.iter().map(|f| f["snapshot"]["sim_time"].as_f64().unwrap()).collect();
    // Half a second a tick at ten times real time: five simulated seconds each.
    assert!(times.windows(2).all(|w| w[1] - w[0] == 5.0), "{times:?}");
    let fleet = &frames[4]["snapshot"]["fleet"];
    assert_eq!((fleet["min"].as_u64(), fleet["max"].as_u64()), (Some(2), Some(10)));
});

app_test!(two_viewers_watch_the_same_simulation, |app| async move {
    let (mut first, mut second) = (Viewer::open(&app).await, Viewer::open(&app).await);
    for tick in 0..4 {
        let (seen_first, seen_second) = (first.next_frame().await, second.next_frame().await);
        assert_eq!(seen_first["snapshot"], seen_second["snapshot"], "tick {tick}");
        app.tick(1).await;
    }
});

app_test!(another_sites_page_cannot_read_the_stream, |app| async move {
    let response =
        app.client.get(format!("{}/monitoring/stream", app.address)).header("origin", "http://evil.example").send();
    assert_eq!(response.await.unwrap().status(), 403);
});

app_test!(only_admins_can_use_the_simulator_controls, |app| async move {
    assert_eq!(app.call("simulator_control", "action=spike").await.status(), 401);
    let password = "velvet+lantern+across+quiet+harbours";
    let registered = app.call("register", &format!("name=Ada&email=ada%40example.com&password={password}")).await;
    assert_eq!(registered.status(), 200);
    assert_eq!(app.call("simulator_control", "action=spike").await.status(), 403);

    let hasher = app::server::password::PasswordHasher::new(1);
    app::server::services::accounts::ensure_admin(
        &app.db.db,
        &hasher,
        "Ops",
        "ops@example.com",
        app::server::testing::TEST_PASSWORD,
    )
    .await
    .unwrap();
    let signed_in = app.call("sign_in", &format!("email=ops%40example.com&password={password}")).await;
    assert_eq!(signed_in.status(), 200);
    let before = frames(&app, 0).await[0]["snapshot"]["requests_per_sec"].as_f64().unwrap();
    assert_eq!(app.call("simulator_control", "action=spike").await.status(), 200);
    assert_eq!(app.call("simulator_control", "action=explode").await.status(), 422);
    let after = frames(&app, 2).await;
    let last = after.last().unwrap();
    assert!(last["snapshot"]["requests_per_sec"].as_f64().unwrap() > before + 400.0, "{before} → {last}");
    assert!(last["events"].as_array().unwrap().iter().any(|e| e["name"] == "control:TRAFFIC_SPIKE"));
});

app_test!(prometheus_metrics_parse_and_count_requests_by_route, |app| async move {
    assert_eq!(app.get("/products").await.status(), 200);
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = response.text().await.unwrap();
    // Every line is a comment or `name{labels} value` with a number for value.
    for line in text.lines().filter(|line| !line.starts_with('#') && !line.is_empty()) {
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("no value: {line}"));
        assert!(value.parse::<f64>().is_ok() || value == "+Inf", "bad value in {line}");
        let name = series.split('{').next().unwrap();
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "bad name in {line}");
        assert_eq!(series.contains('{'), series.ends_with('}'), "bad labels in {line}");
    }
    assert!(text.contains("cloudscale_http_requests_total{route=\"/products\",status=\"200\"} 1"), "{text}");
    assert!(text.contains("cloudscale_http_request_duration_seconds_count{route=\"/products\"} 1"));
    for gauge in ["cloudscale_db_pool_connections", "cloudscale_sessions_active", "cloudscale_sim_desired_capacity"] {
        assert!(text.contains(&format!("\n{gauge} ")), "{gauge} missing");
    }
});

/// A counter's value in Prometheus text, 0 when absent.
fn counter_value(text: &str, series: &str) -> f64 {
    text.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok()).unwrap_or(0.0)
}

app_test!(an_order_counts_in_the_business_metrics_and_the_scrape_probes_the_database, |app| async move {
    let before = app.get("/metrics").await.text().await.unwrap();
    let product = crate::shop::headphones(&app).await;
    crate::shop::register(&app, "metrics.shopper@example.com").await;
    assert_eq!(app.call("add_to_cart", &format!("product_id={}&quantity=2", product.id)).await.status(), 200);
    let (_, key) = crate::shop::json(app.call("checkout_key", "").await).await;
    let form = crate::shop::checkout_form(key.as_str().unwrap(), "payment_method=cash");
    assert_eq!(app.call("place_order", &form).await.status(), 200);

    let after = app.get("/metrics").await.text().await.unwrap();
    // The counters are the process's, and other tests run beside this one: they grow by at least
    // what this test did.
    for (series, grew_by) in [
        ("cloudscale_orders_placed_total", 1.0),
        ("cloudscale_cart_additions_total", 1.0),
        ("cloudscale_registrations_total", 1.0),
        ("cloudscale_revenue_cents_total{currency=\"USD\"}", 2.0 * product.price_cents as f64),
    ] {
        let (was, now) = (counter_value(&before, series), counter_value(&after, series));
        assert!(now >= was + grew_by, "{series}: {was} then {now}");
    }
    assert!(after.contains("\ncloudscale_db_up 1\n"), "{after}");
    assert!(after.contains("\ncloudscale_db_pool_max_connections "), "{after}");
    assert!(after.contains("cloudscale_build_info{version=\""), "{after}");
    if cfg!(target_os = "linux") {
        assert!(counter_value(&after, "process_resident_memory_bytes") > 1_000_000.0, "{after}");
        assert!(after.contains("\nprocess_cpu_seconds_total "), "{after}");
    }
});

#[tokio::test]
async fn metrics_from_another_host_need_the_token() {
    // The test client is on loopback, so a wrong token is what proves the check runs.
    let app = crate::helpers::spawn_app_with(
        app::server::testing::Backend::Sqlite,
        &[("METRICS_TOKEN", "a-scraper-token-of-some-length")],
    )
    .await
    .unwrap();
    let with = |token: &str| {
        app.client.get(format!("{}/metrics", app.address)).header("authorization", format!("Bearer {token}")).send()
    };
    assert_eq!(with("a-scraper-token-of-some-length").await.unwrap().status(), 200);
    assert_eq!(with("wrong-token-of-the-same-size!!").await.unwrap().status(), 403);
}

async fn overview(app: &TestApp) -> simulator::snapshot::Overview {
    let response = app.call("monitoring_overview", "").await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

app_test!(the_metrics_page_renders_real_charts_without_javascript, |app| async move {
    // A few ticks, so the history holds points to draw.
    app.tick(3).await;
    let response = app.get("/monitoring").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>Live metrics</h1>"));
    assert!(html.contains(r#"<a href="/monitoring">Metrics</a>"#), "the header links the page");
    let plots: Vec<&str> = html.split(r#"class="chart__plot""#).skip(1).collect();
    assert_eq!(plots.len(), 6, "six charts");
    for plot in &plots {
        let svg = &plot[..plot.find("</svg>").expect("an svg in each chart")];
        assert!(svg.contains("<polyline"), "each chart draws its data: {}", &svg[..300.min(svg.len())]);
    }
    // Each plot is an image with a name: its own opening tag says so, whatever the attribute order.
    for (at, _) in html.match_indices(r#"class="chart__plot""#) {
        let tag = &html[html[..at].rfind('<').unwrap()..at + html[at..].find('>').unwrap()];
        assert!(tag.contains(r#"role="img""#) && tag.contains(r#"aria-label=""#), "{tag}");
    }
    for title in
        ["CPU utilisation", "Response time", "Active users", "Instances", "Requests per second", "Kubernetes HPA view"]
    {
        assert!(html.contains(&format!(r#"<h2 class="chart__title">{title}</h2>"#)), "{title}");
    }
    assert!(html.contains("in service / 2 desired"), "the instances tile has data");
    assert!(html.contains("Now: Average CPU "), "the CPU chart has a text summary");
    assert!(!html.contains("Inject traffic spike"), "visitors get no controls");
});

app_test!(storefront_pages_carry_the_compact_fleet_widget, |app| async move {
    app.tick(1).await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains("Our servers right now"));
    assert!(html.contains("instances in service"), "the widget shows the fleet");
    assert!(!html.contains("chart__plot"), "and no charts");
    let widget_tag = |html: &str| {
        let start = html.find("data-testid=\"fleet-widget\"").expect("the widget element");
        html[start..start + html[start..].find('>').unwrap()].to_owned()
    };
    assert!(!widget_tag(&html).contains("hidden"), "{}", widget_tag(&html));
    // The metrics page shows it all already, so it leaves the widget out.
    let monitoring = app.get("/monitoring").await.text().await.unwrap();
    assert!(!monitoring.contains("data-testid=\"fleet-widget\""), "no widget on the metrics page");
});

app_test!(a_restart_keeps_the_monitoring_timeline, |app| async move {
    // One snapshot is stored every ten ticks (five seconds).
    app.tick(10).await;
    let stored_until = overview(&app).await.latest().unwrap().sim_time;
    assert_eq!(stored_until, 50.0, "ten ticks of five simulated seconds");
    let app = app.restart().await;
    let restored = overview(&app).await;
    assert!(!restored.history.is_empty(), "the stored history is back");
    assert!(restored.history[0].sim_time > 0.0);
    let resumed = frames(&app, 1).await[1]["snapshot"]["sim_time"].as_f64().unwrap();
    assert_eq!(resumed, stored_until + 5.0, "the clock carries on from the stored timeline");
});
