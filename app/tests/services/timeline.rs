use app::{
    db_test,
    server::{entities::monitoring_sample, services::timeline},
};
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait};
use simulator::snapshot::{EventView, FleetView, HpaView, Snapshot};

fn snapshot(sim_time: f64) -> Snapshot {
    Snapshot {
        sim_time,
        time_scale: 10.0,
        requests_per_sec: 150.0,
        active_users: 4,
        cpu_percent: 61.5,
        latency_p50_ms: 24.0,
        latency_p95_ms: 70.0,
        fleet: FleetView {
            min: 2,
            max: 10,
            desired: 3,
            pending: 1,
            in_service: 2,
            terminating: 0,
            unhealthy: 0,
            policy: "step scaling".into(),
            high_cpu_alarm: "OK".into(),
            low_cpu_alarm: "OK".into(),
        },
        hpa: HpaView { replicas: 2, recommended: 3, reason: "ScaleUp".into() },
    }
}

db_test!(stored_samples_come_back_oldest_first_within_the_window, |t| async move {
    let now = Utc::now();
    timeline::save_sample(&t.db, &snapshot(10.0), now - Duration::hours(2)).await.unwrap();
    for (i, sim_time) in [100.0, 150.0, 200.0].into_iter().enumerate() {
        timeline::save_sample(&t.db, &snapshot(sim_time), now - Duration::seconds(30 - i as i64)).await.unwrap();
    }
    let recent = timeline::recent_samples(&t.db, now - Duration::minutes(3), 10).await.unwrap();
    let times: Vec<f64> = recent.iter().map(|s| s.sim_time).collect();
    assert_eq!(times, [100.0, 150.0, 200.0], "the two-hour-old sample is outside the window");
    assert_eq!(recent[2], snapshot(200.0), "a snapshot round-trips whole");
    let newest_two = timeline::recent_samples(&t.db, now - Duration::minutes(3), 2).await.unwrap();
    assert_eq!(newest_two.iter().map(|s| s.sim_time).collect::<Vec<_>>(), [150.0, 200.0]);
});

db_test!(a_stored_sample_that_no_longer_decodes_is_skipped, |t| async move {
    let now = Utc::now();
    monitoring_sample::Entity::insert(monitoring_sample::ActiveModel {
        recorded_at: Set(now),
        sim_time: Set(5.0),
        snapshot: Set("{\"shape\":\"from an older release\"}".into()),
        ..Default::default()
    })
    .exec(&t.db)
    .await
    .unwrap();
    timeline::save_sample(&t.db, &snapshot(6.0), now).await.unwrap();
    let recent = timeline::recent_samples(&t.db, now - Duration::minutes(1), 10).await.unwrap();
    assert_eq!(recent.len(), 1);
});

db_test!(events_come_back_newest_first_and_pruning_forgets_old_ones, |t| async move {
    let now = Utc::now();
    let event = |sim_time: f64, name: &str| EventView { sim_time, name: name.into(), detail: "x".repeat(400) };
    timeline::save_events(&t.db, &[event(1.0, "old")], now - Duration::days(2)).await.unwrap();
    timeline::save_events(&t.db, &[event(2.0, "autoscaling:EC2_INSTANCE_LAUNCH"), event(3.0, "newest")], now)
        .await
        .unwrap();
    timeline::save_events(&t.db, &[], now).await.unwrap();
    let events = timeline::recent_events(&t.db, 10).await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
        ["newest", "autoscaling:EC2_INSTANCE_LAUNCH", "old"]
    );
    assert_eq!(events[0].detail.chars().count(), 300, "long details are cut to the column");
    timeline::save_sample(&t.db, &snapshot(1.0), now - Duration::days(2)).await.unwrap();
    assert_eq!(timeline::prune(&t.db, now - Duration::days(1)).await.unwrap(), 2);
    assert_eq!(timeline::recent_events(&t.db, 10).await.unwrap().len(), 2);
});
