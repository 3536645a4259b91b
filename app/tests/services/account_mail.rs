//! Password reset, address confirmation, privacy and the mails they send, on both databases.

use super::orders::{customer, new_key, product_with, request};
use app::server::testing::TEST_PASSWORD;
use app::{
    db_test,
    domain::commerce::OrderStatus,
    domain::error::AppError,
    server::{
        entities::{account_token, address, outbox_message, session, user},
        password::PasswordHasher,
        services::{
            account_links::{MAIL_REQUESTS_PER_ADDRESS, token_hash},
            accounts::{
                self, Confirmed, change_email, change_password, confirm_email, register, request_password_reset,
                reset_password, sign_in,
            },
            addresses,
            cart::{self, CartOwner},
            orders::{self, Payment, Viewer},
            outbox::{self, Mailer},
            privacy, shop_pages,
        },
        testing::sample_address,
    },
};
use chrono::{TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

const NEW_PASSWORD: &str = "copper kettles hum beneath winter stars";
const CLIENT: &str = "192.0.2.10";

fn hasher() -> PasswordHasher {
    PasswordHasher::new(2)
}

async fn ada(db: &DatabaseConnection) -> user::Model {
    register(db, &hasher(), "Ada Lovelace", "ada@example.com", TEST_PASSWORD).await.unwrap()
}

/// The newest queued message of `kind`.
async fn newest(db: &DatabaseConnection, kind: &str) -> Option<outbox_message::Model> {
    outbox_message::Entity::find()
        .filter(outbox_message::Column::Kind.eq(kind))
        .order_by_desc(outbox_message::Column::Id)
        .one(db)
        .await
        .unwrap()
}

async fn count_of(db: &DatabaseConnection, kind: &str) -> u64 {
    outbox_message::Entity::find().filter(outbox_message::Column::Kind.eq(kind)).count(db).await.unwrap()
}

/// The token a queued link message carries (what the person would click).
async fn mailed_token(db: &DatabaseConnection, kind: &str) -> String {
    newest(db, kind).await.expect("a queued message").secret.expect("a link token")
}

async fn a_session_of(db: &DatabaseConnection, user_id: i32, id: &str) {
    session::ActiveModel {
        id: Set(id.to_owned()),
        data: Set("{}".into()),
        expires_at: Set(Utc::now().timestamp() + 3600),
        user_id: Set(Some(user_id)),
    }
    .insert(db)
    .await
    .unwrap();
}

fn is_invalid_link(err: &AppError) -> bool {
    err.message_for("token").is_some_and(|m| m.contains("no longer valid"))
}

db_test!(registering_queues_a_confirmation_link_and_opening_it_verifies_the_address, |t| async move {
    let created = ada(&t.db).await;
    assert!(created.email_verified_at.is_none());
    assert!(!accounts::profile(&t.db, created.id).await.unwrap().email_verified);
    let token = mailed_token(&t.db, "verify_email").await;
    // Only the hash is stored with the link.
    let stored = account_token::Entity::find().one(&t.db).await.unwrap().unwrap();
    assert_eq!(stored.token_hash, token_hash(&token));
    assert_ne!(stored.token_hash, token);

    assert_eq!(confirm_email(&t.db, &token, None, Utc::now()).await.unwrap(), Confirmed::Address);
    assert!(accounts::profile(&t.db, created.id).await.unwrap().email_verified);
    let again = confirm_email(&t.db, &token, None, Utc::now()).await.unwrap_err();
    assert!(is_invalid_link(&again), "a used link is refused: {again:?}");
});

db_test!(forgot_password_answers_alike_for_known_and_unknown_addresses_and_mails_only_the_known, |t| async move {
    let created = ada(&t.db).await;
    let known = request_password_reset(&t.db, "ADA@example.com ", CLIENT, Utc::now()).await;
    let unknown = request_password_reset(&t.db, "nobody@example.com", CLIENT, Utc::now()).await;
    assert_eq!(known, Ok(()));
    assert_eq!(unknown, Ok(()));
    let mails = outbox_message::Entity::find()
        .filter(outbox_message::Column::Kind.eq("password_reset"))
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!((mails[0].recipient.as_str(), mails[0].user_id), ("ada@example.com", Some(created.id)));
});

db_test!(a_reset_link_sets_the_password_once_and_ends_every_session, |t| async move {
    let created = ada(&t.db).await;
    a_session_of(&t.db, created.id, "laptop-session").await;
    a_session_of(&t.db, created.id, "phone-session").await;
    request_password_reset(&t.db, "ada@example.com", CLIENT, Utc::now()).await.unwrap();
    let token = mailed_token(&t.db, "password_reset").await;

    let weak = reset_password(&t.db, &hasher(), &token, "short", None, Utc::now()).await.unwrap_err();
    assert!(weak.message_for("new_password").is_some(), "{weak:?}");
    let updated = reset_password(&t.db, &hasher(), &token, NEW_PASSWORD, None, Utc::now()).await.unwrap();
    assert!(updated.email_verified_at.is_some(), "the link proved the address");
    let sessions = session::Entity::find().filter(session::Column::UserId.eq(created.id)).count(&t.db).await.unwrap();
    assert_eq!(sessions, 0);
    assert!(sign_in(&t.db, &hasher(), "ada@example.com", NEW_PASSWORD, CLIENT).await.is_ok());
    assert_eq!(
        sign_in(&t.db, &hasher(), "ada@example.com", TEST_PASSWORD, CLIENT).await,
        Err(AppError::InvalidCredentials)
    );
    assert_eq!(count_of(&t.db, "password_changed").await, 1, "the owner is told");

    let reused = reset_password(&t.db, &hasher(), &token, "another long passphrase for ada", None, Utc::now()).await;
    assert!(is_invalid_link(&reused.unwrap_err()));
});

db_test!(an_expired_or_superseded_reset_link_is_refused, |t| async move {
    ada(&t.db).await;
    let now = Utc::now();
    request_password_reset(&t.db, "ada@example.com", CLIENT, now).await.unwrap();
    let first = mailed_token(&t.db, "password_reset").await;
    request_password_reset(&t.db, "ada@example.com", CLIENT, now).await.unwrap();
    let second = mailed_token(&t.db, "password_reset").await;
    assert_ne!(first, second);
    let superseded = reset_password(&t.db, &hasher(), &first, NEW_PASSWORD, None, now).await.unwrap_err();
    assert!(is_invalid_link(&superseded), "{superseded:?}");
    let late = now + TimeDelta::minutes(31);
    let expired = reset_password(&t.db, &hasher(), &second, NEW_PASSWORD, None, late).await.unwrap_err();
    assert!(is_invalid_link(&expired), "{expired:?}");
    assert!(reset_password(&t.db, &hasher(), &second, NEW_PASSWORD, None, now + TimeDelta::minutes(29)).await.is_ok());
});

db_test!(a_password_change_kills_an_open_reset_link, |t| async move {
    let created = ada(&t.db).await;
    request_password_reset(&t.db, "ada@example.com", CLIENT, Utc::now()).await.unwrap();
    let token = mailed_token(&t.db, "password_reset").await;
    change_password(&t.db, &hasher(), created.id, TEST_PASSWORD, NEW_PASSWORD).await.unwrap();
    let err = reset_password(&t.db, &hasher(), &token, "another long passphrase for ada", None, Utc::now()).await;
    assert!(is_invalid_link(&err.unwrap_err()));
});

db_test!(a_link_of_another_account_does_nothing_to_the_signed_in_one, |t| async move {
    let alice = ada(&t.db).await;
    let bob = register(&t.db, &hasher(), "Bob Stone", "bob@example.com", TEST_PASSWORD).await.unwrap();
    request_password_reset(&t.db, "bob@example.com", CLIENT, Utc::now()).await.unwrap();
    let bobs = mailed_token(&t.db, "password_reset").await;
    let err = reset_password(&t.db, &hasher(), &bobs, NEW_PASSWORD, Some(alice.id), Utc::now()).await.unwrap_err();
    assert!(err.message_for("token").unwrap().contains("another account"), "{err:?}");
    // Neither password changed, and Bob's link still works for Bob.
    assert!(sign_in(&t.db, &hasher(), "ada@example.com", TEST_PASSWORD, CLIENT).await.is_ok());
    assert!(sign_in(&t.db, &hasher(), "bob@example.com", TEST_PASSWORD, CLIENT).await.is_ok());
    assert!(reset_password(&t.db, &hasher(), &bobs, NEW_PASSWORD, Some(bob.id), Utc::now()).await.is_ok());
    let bob_verify = account_token::Entity::find()
        .filter(account_token::Column::UserId.eq(bob.id))
        .one(&t.db)
        .await
        .unwrap()
        .expect("bob's confirmation link");
    assert_eq!(bob_verify.purpose, "verify_email");
});

db_test!(a_thousand_reset_requests_for_one_address_send_a_handful_of_mails, |t| async move {
    ada(&t.db).await;
    let now = Utc::now();
    let mut refused = 0;
    for i in 0..1_000 {
        // From many client addresses, so only the per-address limit stops them.
        match request_password_reset(&t.db, "ada@example.com", &format!("10.0.{}.{}", i / 250, i % 250), now).await {
            Ok(()) => {}
            Err(AppError::RateLimited { retry_after_secs }) => {
                assert!(retry_after_secs > 0 && retry_after_secs <= 900);
                refused += 1;
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(count_of(&t.db, "password_reset").await, MAIL_REQUESTS_PER_ADDRESS);
    assert_eq!(refused, 1_000 - MAIL_REQUESTS_PER_ADDRESS as usize);
    // An unknown address is limited the same way, so the 429 reveals nothing.
    for _ in 0..MAIL_REQUESTS_PER_ADDRESS {
        request_password_reset(&t.db, "nobody@example.com", CLIENT, now).await.unwrap();
    }
    let unknown = request_password_reset(&t.db, "nobody@example.com", CLIENT, now).await;
    assert!(matches!(unknown, Err(AppError::RateLimited { .. })));
    // After the window, asking works again.
    assert!(request_password_reset(&t.db, "ada@example.com", CLIENT, now + TimeDelta::minutes(16)).await.is_ok());
});

db_test!(a_new_address_takes_effect_only_once_confirmed_and_the_old_one_is_told, |t| async move {
    let created = ada(&t.db).await;
    let wrong = change_email(&t.db, &hasher(), created.id, "ada@new.example", "not my password at all").await;
    assert!(wrong.unwrap_err().message_for("current_password").is_some());
    let pending = change_email(&t.db, &hasher(), created.id, "Ada@New.example", TEST_PASSWORD).await.unwrap();
    assert_eq!(pending.as_deref(), Some("ada@new.example"));
    let profile = accounts::profile(&t.db, created.id).await.unwrap();
    assert_eq!(profile.email, "ada@example.com", "nothing changes before the link is opened");
    assert_eq!(profile.pending_email.as_deref(), Some("ada@new.example"));
    let confirmation = newest(&t.db, "confirm_email_change").await.unwrap();
    assert_eq!(confirmation.recipient, "ada@new.example");

    let token = confirmation.secret.unwrap();
    assert_eq!(confirm_email(&t.db, &token, Some(created.id), Utc::now()).await.unwrap(), Confirmed::NewAddress);
    let profile = accounts::profile(&t.db, created.id).await.unwrap();
    assert_eq!((profile.email.as_str(), profile.email_verified), ("ada@new.example", true));
    assert_eq!(profile.pending_email, None);
    let notice = newest(&t.db, "email_changed").await.unwrap();
    assert_eq!(notice.recipient, "ada@example.com");
    assert_eq!(notice.detail.as_deref(), Some("ada@new.example"));
    assert!(sign_in(&t.db, &hasher(), "ada@new.example", TEST_PASSWORD, CLIENT).await.is_ok());
    assert_eq!(
        sign_in(&t.db, &hasher(), "ada@example.com", TEST_PASSWORD, CLIENT).await,
        Err(AppError::InvalidCredentials)
    );
});

db_test!(an_address_taken_before_its_confirmation_is_refused_and_nothing_moves, |t| async move {
    let created = ada(&t.db).await;
    change_email(&t.db, &hasher(), created.id, "shared@example.com", TEST_PASSWORD).await.unwrap();
    let token = mailed_token(&t.db, "confirm_email_change").await;
    register(&t.db, &hasher(), "Someone Else", "shared@example.com", TEST_PASSWORD).await.unwrap();
    let err = confirm_email(&t.db, &token, None, Utc::now()).await.unwrap_err();
    assert!(err.message_for("token").unwrap().contains("Another account"), "{err:?}");
    assert_eq!(accounts::profile(&t.db, created.id).await.unwrap().email, "ada@example.com");
});

/// Grace, with a saved address and one order of one pair of headphones.
async fn grace_with_an_order(db: &DatabaseConnection) -> (app::server::services::orders::Customer, String) {
    let shopper = customer(db, "grace@example.com").await;
    let item = product_with(db, "aurora-wireless-headphones", 5, 1_250).await;
    addresses::create(db, shopper.id, sample_address("Grace Hopper").validate().unwrap()).await.unwrap();
    cart::add(db, &CartOwner::User(shopper.id), item.id, 1).await.unwrap();
    let number = orders::place_order(db, &shopper, request(&new_key(), Payment::CashOnDelivery), &RULES).await.unwrap();
    (shopper, number)
}

db_test!(an_export_holds_the_profile_addresses_orders_and_messages_but_no_link, |t| async move {
    let (shopper, number) = grace_with_an_order(&t.db).await;
    request_password_reset(&t.db, "grace@example.com", CLIENT, Utc::now()).await.unwrap();
    let token = mailed_token(&t.db, "password_reset").await;
    let export = privacy::export(&t.db, shopper.id, None, Utc::now()).await.unwrap();
    assert_eq!(export.profile.email, "grace@example.com");
    assert_eq!(export.addresses.len(), 1);
    assert_eq!(export.orders.len(), 1);
    assert_eq!(export.orders[0].summary.number, number);
    let json = serde_json::to_string(&export).unwrap();
    assert!(json.contains("password_reset") && json.contains("order_confirmation"), "{json}");
    assert!(!json.contains(&token), "an export never carries a link token");
    assert!(!json.contains("argon2"), "nor the password hash");
});

const RULES: app::domain::commerce::PricingRules = app::domain::commerce::PricingRules {
    shipping_fee_cents: 499,
    free_shipping_from_cents: 5_000,
    tax_rate_basis_points: 800,
};

db_test!(deleting_an_account_erases_the_person_and_keeps_their_orders_for_the_books, |t| async move {
    let (shopper, number) = grace_with_an_order(&t.db).await;
    a_session_of(&t.db, shopper.id, "grace-session").await;
    let password = app::server::testing::TEST_PASSWORD;

    let unticked = privacy::delete_account(&t.db, &hasher(), shopper.id, password, false, Utc::now()).await;
    assert!(unticked.unwrap_err().message_for("confirm").is_some());
    let wrong =
        privacy::delete_account(&t.db, &hasher(), shopper.id, "not the password at all", true, Utc::now()).await;
    assert!(wrong.unwrap_err().message_for("current_password").is_some());
    privacy::delete_account(&t.db, &hasher(), shopper.id, password, true, Utc::now()).await.unwrap();

    assert_eq!(
        sign_in(&t.db, &hasher(), "grace@example.com", password, CLIENT).await,
        Err(AppError::InvalidCredentials)
    );
    let row = user::Entity::find_by_id(shopper.id).one(&t.db).await.unwrap().unwrap();
    assert!(row.deleted_at.is_some());
    assert!(!row.email.contains("grace") && row.phone.is_none() && row.name == privacy::ERASED);
    assert_eq!(address::Entity::find().filter(address::Column::UserId.eq(shopper.id)).count(&t.db).await.unwrap(), 0);
    assert_eq!(session::Entity::find().filter(session::Column::UserId.eq(shopper.id)).count(&t.db).await.unwrap(), 0);
    // The order stays, with the money and the tax jurisdiction, without the person.
    let kept = orders::detail(&t.db, Viewer { user_id: 0, is_admin: true }, &number).await.unwrap();
    assert_eq!(kept.totals.total_cents, 1_250 + 499 + 100);
    assert_eq!(kept.shipping_address.full_name, privacy::ERASED);
    assert_eq!(kept.shipping_address.country, "US");
    let text = serde_json::to_string(&kept).unwrap();
    assert!(!text.contains("Grace") && !text.contains("Main Street"), "{text}");
    let recipients: Vec<String> =
        outbox_message::Entity::find().all(&t.db).await.unwrap().into_iter().map(|m| m.recipient).collect();
    assert!(recipients.iter().all(|r| !r.contains("grace")), "{recipients:?}");
    // The address is free for a new account, which does not inherit the old orders.
    let again = register(&t.db, &hasher(), "Grace Again", "grace@example.com", password).await.unwrap();
    assert!(orders::list(&t.db, again.id).await.unwrap().is_empty());
    assert_eq!(
        privacy::delete_account(&t.db, &hasher(), shopper.id, password, true, Utc::now()).await,
        Err(AppError::Unauthorized)
    );
});

db_test!(shipping_and_cancelling_an_order_each_queue_a_mail_to_its_customer, |t| async move {
    let shopper = customer(&t.db, "grace@example.com").await;
    let item = product_with(&t.db, "aurora-wireless-headphones", 5, 1_250).await;
    let owner = CartOwner::User(shopper.id);
    cart::add(&t.db, &owner, item.id, 1).await.unwrap();
    let shipped =
        orders::place_order(&t.db, &shopper, request(&new_key(), Payment::CashOnDelivery), &RULES).await.unwrap();
    cart::add(&t.db, &owner, item.id, 1).await.unwrap();
    let cancelled =
        orders::place_order(&t.db, &shopper, request(&new_key(), Payment::CashOnDelivery), &RULES).await.unwrap();
    orders::transition(&t.db, 0, &shipped, OrderStatus::Paid, None).await.unwrap();
    orders::transition(&t.db, 0, &shipped, OrderStatus::Processing, None).await.unwrap();
    orders::transition(&t.db, 0, &shipped, OrderStatus::Shipped, Some("1Z999AA10123456784")).await.unwrap();
    orders::cancel(&t.db, Viewer { user_id: shopper.id, is_admin: false }, &cancelled).await.unwrap();
    assert_eq!(newest(&t.db, "order_shipped").await.unwrap().recipient, "grace@example.com");
    assert_eq!(count_of(&t.db, "order_cancelled").await, 1);

    let folder = std::env::temp_dir().join(format!("cloudscale-status-mail-{}", uuid::Uuid::new_v4().simple()));
    let mailer = Mailer::files(&folder, "Shop <shop@cloudscale.local>").unwrap().with_origin("https://shop.example");
    let report = outbox::deliver_due(&t.db, &mailer, Utc::now(), 20).await.unwrap();
    assert_eq!(report.failed, 0);
    let shipped_mail = std::fs::read_to_string(folder.join(format!("{shipped}-order_shipped.eml"))).unwrap();
    assert!(shipped_mail.contains("1Z999AA10123456784"), "{shipped_mail}");
    assert!(shipped_mail.contains("https://shop.example/orders/"), "{shipped_mail}");
    assert!(shipped_mail.contains("Content-Type: text/html"), "a plain-text and an HTML part: {shipped_mail}");
    let cancelled_mail = std::fs::read_to_string(folder.join(format!("{cancelled}-order_cancelled.eml"))).unwrap();
    assert!(cancelled_mail.contains("has been cancelled"), "{cancelled_mail}");
    let _ = std::fs::remove_dir_all(folder);
});

db_test!(a_sent_link_message_keeps_no_token_in_the_outbox, |t| async move {
    ada(&t.db).await;
    request_password_reset(&t.db, "ada@example.com", CLIENT, Utc::now()).await.unwrap();
    let token = mailed_token(&t.db, "password_reset").await;
    let folder = std::env::temp_dir().join(format!("cloudscale-link-mail-{}", uuid::Uuid::new_v4().simple()));
    let mailer = Mailer::files(&folder, "Shop <shop@cloudscale.local>").unwrap().with_origin("https://shop.example");
    outbox::deliver_due(&t.db, &mailer, Utc::now(), 20).await.unwrap();
    let row = newest(&t.db, "password_reset").await.unwrap();
    assert!(row.sent_at.is_some() && row.secret.is_none(), "{row:?}");
    let mail: String = std::fs::read_dir(&folder)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("password_reset-"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    // Quoted-printable may wrap long lines with "=\r\n": unfold before looking.
    let unfolded = mail.replace("=\r\n", "").replace("=3D", "=");
    assert!(unfolded.contains(&format!("https://shop.example/reset-password?token={token}")), "{mail}");
    let _ = std::fs::remove_dir_all(folder);
});

db_test!(shop_pages_render_markdown_without_letting_html_through, |t| async move {
    let terms = shop_pages::get(&t.db, "terms").await.unwrap();
    assert!(terms.html.contains("<h2>"), "{}", terms.html);
    let saved = shop_pages::save(
        &t.db,
        "privacy",
        "Privacy",
        "## Data\n\n<script>alert(1)</script>\n\nSee [x](javascript:alert(1)).",
    )
    .await
    .unwrap();
    assert!(!saved.html.contains("<script") && !saved.html.contains("href=\"javascript"), "{}", saved.html);
    assert!(saved.html.contains("&lt;script&gt;"), "shown as text: {}", saved.html);
    assert_eq!(shop_pages::get(&t.db, "privacy").await.unwrap().markdown, saved.markdown);
    assert_eq!(shop_pages::save(&t.db, "admin", "x", "y").await.unwrap_err().status(), 404);
    assert_eq!(shop_pages::save(&t.db, "terms", "", "y").await.unwrap_err().status(), 422);
});
