use app::{
    db_test,
    server::{
        entities::{session, user},
        session_store::{AUTH_DATA_KEY, DbSessionStore},
    },
};
use axum_login::tower_sessions::{
    ExpiredDeletion, SessionStore,
    cookie::time::{Duration, OffsetDateTime},
    session::{Id, Record},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait};
use std::collections::HashMap;

fn record(minutes: i64) -> Record {
    Record {
        id: Id::default(),
        data: HashMap::from([("cart".to_owned(), serde_json::json!({ "items": 2 }))]),
        // Whole seconds: the store keeps Unix seconds.
        expiry_date: OffsetDateTime::from_unix_timestamp(
            (OffsetDateTime::now_utc() + Duration::minutes(minutes)).unix_timestamp(),
        )
        .unwrap(),
    }
}

async fn user(db: &sea_orm::DatabaseConnection, email: &str) -> i32 {
    let now = chrono::Utc::now();
    user::ActiveModel {
        email: Set(email.to_owned()),
        name: Set("Test Shopper".to_owned()),
        phone: Set(None),
        password_hash: Set("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA".to_owned()),
        role: Set(app::domain::accounts::Role::Customer),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id
}

fn signed_in(mut record: Record, user_id: i32) -> Record {
    record.data.insert(AUTH_DATA_KEY.to_owned(), serde_json::json!({ "user_id": user_id, "auth_hash": [1, 2, 3] }));
    record
}

db_test!(a_created_session_loads_back_with_its_data_and_expiry, |t| async move {
    let store = DbSessionStore::new(t.db.clone());
    let mut created = record(30);
    store.create(&mut created).await.unwrap();
    assert_eq!(store.load(&created.id).await.unwrap(), Some(created.clone()));
    assert_eq!(store.load(&Id::default()).await.unwrap(), None);
});

db_test!(saving_a_signed_in_session_records_its_user, |t| async move {
    let store = DbSessionStore::new(t.db.clone());
    let user_id = user(&t.db, "ada@example.com").await;
    let mut anonymous = record(30);
    store.create(&mut anonymous).await.unwrap();
    let signed_in = signed_in(anonymous, user_id);
    store.save(&signed_in).await.unwrap();
    let row = session::Entity::find_by_id(signed_in.id.to_string()).one(&t.db).await.unwrap().unwrap();
    assert_eq!(row.user_id, Some(user_id));
    assert_eq!(store.load(&signed_in.id).await.unwrap().unwrap().data, signed_in.data);
});

db_test!(expired_sessions_do_not_load_and_are_swept, |t| async move {
    let store = DbSessionStore::new(t.db.clone());
    let mut expired = record(-1);
    let mut live = record(30);
    store.create(&mut expired).await.unwrap();
    store.create(&mut live).await.unwrap();
    assert_eq!(store.load(&expired.id).await.unwrap(), None);
    store.delete_expired().await.unwrap();
    assert_eq!(session::Entity::find().count(&t.db).await.unwrap(), 1);
    assert!(store.load(&live.id).await.unwrap().is_some());
});

db_test!(deleting_a_session_ends_it, |t| async move {
    let store = DbSessionStore::new(t.db.clone());
    let mut created = record(30);
    store.create(&mut created).await.unwrap();
    store.delete(&created.id).await.unwrap();
    assert_eq!(store.load(&created.id).await.unwrap(), None);
});

db_test!(a_users_other_sessions_end_together, |t| async move {
    let store = DbSessionStore::new(t.db.clone());
    let ada = user(&t.db, "ada@example.com").await;
    let grace = user(&t.db, "grace@example.com").await;
    let mut ids = Vec::new();
    for owner in [ada, ada, ada, grace] {
        let mut created = record(30);
        store.create(&mut created).await.unwrap();
        let created = signed_in(created, owner);
        store.save(&created).await.unwrap();
        ids.push(created.id);
    }
    assert_eq!(store.delete_user_sessions(ada, Some(&ids[0])).await.unwrap(), 2);
    assert!(store.load(&ids[0]).await.unwrap().is_some(), "the current device stays signed in");
    assert!(store.load(&ids[1]).await.unwrap().is_none());
    assert!(store.load(&ids[3]).await.unwrap().is_some(), "other users are untouched");
});

db_test!(creating_with_a_taken_id_draws_a_new_one, |t| async move {
    let store = DbSessionStore::new(t.db.clone());
    let mut first = record(30);
    store.create(&mut first).await.unwrap();
    let mut second = record(30);
    second.id = first.id;
    store.create(&mut second).await.unwrap();
    assert_ne!(second.id, first.id);
    assert_eq!(session::Entity::find().count(&t.db).await.unwrap(), 2);
});

db_test!(a_signed_in_session_is_read_with_its_user_and_the_units_in_their_cart, |t| async move {
    use crate::orders::product_with;
    use app::server::{
        services::cart::{self, CartOwner},
        user_handoff::UserHandoff,
    };
    use std::time::Instant;
    let handoff = UserHandoff::default();
    let store = DbSessionStore::with_user_handoff(t.db.clone(), handoff.clone());
    let ada = user(&t.db, "ada@example.com").await;
    let grace = user(&t.db, "grace@example.com").await;
    let headphones = product_with(&t.db, "aurora-wireless-headphones", 10, 1_250).await;
    let earphones = product_with(&t.db, "tempo-sport-earphones", 10, 2_000).await;
    cart::add(&t.db, &CartOwner::User(ada), headphones.id, 2).await.unwrap();
    cart::add(&t.db, &CartOwner::User(ada), earphones.id, 1).await.unwrap();
    cart::add(&t.db, &CartOwner::User(grace), earphones.id, 4).await.unwrap();

    let mut session = record(30);
    store.create(&mut session).await.unwrap();
    let session = signed_in(session, ada);
    store.save(&session).await.unwrap();
    assert!(store.load(&session.id).await.unwrap().is_some());
    let read = handoff.take(ada, Instant::now()).expect("the user is handed over");
    assert_eq!((read.user.id, read.cart_units), (ada, 3), "Ada's units only, not Grace's");

    let mut empty = record(30);
    store.create(&mut empty).await.unwrap();
    let empty = signed_in(empty, user(&t.db, "lin@example.com").await);
    store.save(&empty).await.unwrap();
    store.load(&empty.id).await.unwrap();
    let lin = session::Entity::find_by_id(empty.id.to_string()).one(&t.db).await.unwrap().unwrap().user_id.unwrap();
    assert_eq!(handoff.take(lin, Instant::now()).map(|read| read.cart_units), Some(0), "no cart is zero units");

    let mut guest = record(30);
    store.create(&mut guest).await.unwrap();
    assert!(store.load(&guest.id).await.unwrap().is_some(), "a signed-out session still loads");
});
