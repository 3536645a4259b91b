use app::{
    db_test,
    server::{
        entities::session_activity,
        services::activity::{self, Sighting},
        session_store::{AUTH_DATA_KEY, DbSessionStore},
        testing::registered_shopper,
    },
};
use axum_login::tower_sessions::{
    SessionStore,
    cookie::time::{Duration as CookieDuration, OffsetDateTime},
    session::{Id, Record},
};
use chrono::{Duration, Utc};
use sea_orm::{EntityTrait, PaginatorTrait};
use std::collections::HashMap;

async fn user(db: &sea_orm::DatabaseConnection, email: &str) -> i32 {
    registered_shopper(db, email).await.id
}

fn sighting(session: &str, user_id: Option<i32>, minutes_ago: i64) -> Sighting {
    Sighting {
        session_id: session.to_owned(),
        user_id,
        client_ip: "192.0.2.1".into(),
        user_agent: "test".into(),
        at: Utc::now() - Duration::minutes(minutes_ago),
    }
}

/// A stored session signed in as `user_id`; returns its id.
async fn stored_session(store: &DbSessionStore, user_id: i32) -> String {
    let mut record = Record {
        id: Id::default(),
        data: HashMap::from([(AUTH_DATA_KEY.to_owned(), serde_json::json!({ "user_id": user_id }))]),
        expiry_date: OffsetDateTime::now_utc() + CookieDuration::minutes(30),
    };
    store.create(&mut record).await.unwrap();
    record.id.to_string()
}

db_test!(active_users_count_each_person_once_and_each_anonymous_session, |t| async move {
    let ada = user(&t.db, "ada@example.com").await;
    let grace = user(&t.db, "grace@example.com").await;
    for s in [
        sighting("ada-laptop", Some(ada), 1),
        sighting("ada-phone", Some(ada), 2),
        sighting("grace", Some(grace), 4),
        sighting("guest-1", None, 0),
        sighting("guest-2", None, 3),
        sighting("guest-old", None, 30),
    ] {
        activity::record(&t.db, s).await.unwrap();
    }
    assert_eq!(activity::active_users(&t.db, 5, Utc::now()).await.unwrap(), 4, "ada, grace, two guests");
    assert_eq!(activity::active_users(&t.db, 60, Utc::now()).await.unwrap(), 5);
    assert_eq!(activity::active_users(&t.db, 1, Utc::now()).await.unwrap(), 1, "only guest-1 in the last minute");
});

db_test!(a_later_sighting_moves_last_seen_and_keeps_first_seen, |t| async move {
    activity::record(&t.db, sighting("s", None, 10)).await.unwrap();
    let ada = user(&t.db, "ada@example.com").await;
    activity::record(&t.db, sighting("s", Some(ada), 0)).await.unwrap();
    let rows = session_activity::Entity::find().all(&t.db).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].user_id, Some(ada));
    assert!(rows[0].last_seen - rows[0].first_seen >= Duration::minutes(9));
});

db_test!(devices_are_the_users_live_sessions_and_one_can_be_signed_out, |t| async move {
    let store = DbSessionStore::new(t.db.clone());
    let ada = user(&t.db, "ada@example.com").await;
    let grace = user(&t.db, "grace@example.com").await;
    let laptop = stored_session(&store, ada).await;
    let phone = stored_session(&store, ada).await;
    let graces = stored_session(&store, grace).await;
    for (session, owner) in [(&laptop, ada), (&phone, ada), (&graces, grace)] {
        activity::record(&t.db, sighting(session, Some(owner), 0)).await.unwrap();
    }
    // Activity of a session that no longer exists is not a device.
    activity::record(&t.db, sighting("ended", Some(ada), 0)).await.unwrap();

    let devices = activity::devices(&t.db, ada, Some(&laptop)).await.unwrap();
    assert_eq!(devices.len(), 2);
    assert_eq!(devices.iter().filter(|d| d.is_current).count(), 1);
    let phone_device = devices.iter().find(|d| !d.is_current).unwrap().id;

    assert_eq!(activity::sign_out_device(&t.db, grace, phone_device).await.unwrap_err().status(), 404);
    activity::sign_out_device(&t.db, ada, phone_device).await.unwrap();
    assert!(store.load(&phone.parse().unwrap()).await.unwrap().is_none(), "the phone's session is gone");
    assert_eq!(activity::devices(&t.db, ada, Some(&laptop)).await.unwrap().len(), 1);
    assert_eq!(activity::devices(&t.db, grace, None).await.unwrap().len(), 1);
});

db_test!(pruning_forgets_old_activity_of_ended_sessions_only, |t| async move {
    let store = DbSessionStore::new(t.db.clone());
    let ada = user(&t.db, "ada@example.com").await;
    let live = stored_session(&store, ada).await;
    activity::record(&t.db, sighting(&live, Some(ada), 3 * 24 * 60)).await.unwrap();
    activity::record(&t.db, sighting("ended-long-ago", None, 3 * 24 * 60)).await.unwrap();
    activity::record(&t.db, sighting("ended-recently", None, 5)).await.unwrap();
    assert_eq!(activity::prune(&t.db, Utc::now()).await.unwrap(), 1);
    assert_eq!(session_activity::Entity::find().count(&t.db).await.unwrap(), 2);
});

db_test!(a_session_ended_elsewhere_is_not_brought_back_by_a_late_save, |t| async move {
    let store = DbSessionStore::new(t.db.clone());
    let ada = user(&t.db, "ada@example.com").await;
    let id = stored_session(&store, ada).await;
    let mut record = store.load(&id.parse().unwrap()).await.unwrap().unwrap();
    store.delete(&record.id).await.unwrap();
    // A request that loaded the session before it ended finishes and saves.
    record.data.insert("last_seen".into(), serde_json::json!(1));
    store.save(&record).await.unwrap();
    assert!(store.load(&record.id).await.unwrap().is_none());
});
