use app::{
    db_test,
    domain::admin::{StockAdjustment, StockReason},
    domain::commerce::{OrderStatus, PaymentStatus, PricingRules},
    server::{
        entities::{outbox_message, product},
        services::{
            cart::{self, CartOwner},
            orders::{self, CheckoutRequest, Customer, Payment, Viewer},
            stock,
        },
        testing::{registered_shopper, sample_address},
    },
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

const RULES: PricingRules =
    PricingRules { shipping_fee_cents: 499, free_shipping_from_cents: 5_000, tax_rate_basis_points: 800 };

pub async fn customer(db: &DatabaseConnection, email: &str) -> Customer {
    let user = registered_shopper(db, email).await;
    // The address-confirmation mail of registration is not what these tests are about.
    outbox_message::Entity::delete_many()
        .filter(outbox_message::Column::UserId.eq(user.id))
        .filter(outbox_message::Column::Kind.eq("verify_email"))
        .exec(db)
        .await
        .unwrap();
    Customer { id: user.id, email: email.to_owned() }
}

/// A seeded product with its stock set to `stock` (through the ledger, as an admin would) and
/// its price to `price_cents`.
pub async fn product_with(db: &DatabaseConnection, slug: &str, stock: i32, price_cents: i64) -> product::Model {
    let row = product::Entity::find().filter(product::Column::Slug.eq(slug)).one(db).await.unwrap().expect(slug);
    let (id, current) = (row.id, row.stock);
    let mut row: product::ActiveModel = row.into();
    row.price_cents = Set(price_cents);
    row.update(db).await.unwrap();
    if stock != current {
        let correction =
            StockAdjustment { change: stock - current, reason: StockReason::Correction, note: String::new() };
        stock::adjust(db, 0, id, &correction).await.unwrap();
    }
    product::Entity::find_by_id(id).one(db).await.unwrap().unwrap()
}

/// The invariant every stock change keeps: the ledger sums to the stock column.
pub async fn assert_ledger_agrees(db: &DatabaseConnection) {
    assert_eq!(stock::mismatches(db).await.unwrap(), [], "products whose ledger and stock disagree");
}

async fn stock_of(db: &DatabaseConnection, id: i32) -> i32 {
    product::Entity::find_by_id(id).one(db).await.unwrap().unwrap().stock
}

pub fn request(key: &str, payment: Payment) -> CheckoutRequest {
    CheckoutRequest {
        idempotency_key: key.into(),
        shipping: sample_address("Ada Lovelace").validate().unwrap(),
        billing: None,
        payment,
    }
}

fn card(number: &str) -> Payment {
    Payment::TestCard { number: number.into() }
}

pub fn new_key() -> String {
    uuid::Uuid::new_v4().to_string()
}

db_test!(prices_come_from_the_database_and_adding_twice_sums_the_line, |t| async move {
    let ada = customer(&t.db, "ada@example.com").await;
    let owner = CartOwner::User(ada.id);
    let headphones = product_with(&t.db, "aurora-wireless-headphones", 10, 1_250).await;
    cart::add(&t.db, &owner, headphones.id, 1).await.unwrap();
    cart::add(&t.db, &owner, headphones.id, 2).await.unwrap();
    let view = cart::view(&t.db, &owner, &RULES).await.unwrap();
    assert_eq!(view.lines.len(), 1);
    assert_eq!(view.item_count(), 3);
    assert_eq!(view.totals.subtotal_cents, 3_750);
    // A price change in the catalog shows at once: the cart stores no prices.
    product_with(&t.db, "aurora-wireless-headphones", 10, 1_000).await;
    assert_eq!(cart::view(&t.db, &owner, &RULES).await.unwrap().totals.subtotal_cents, 3_000);
});

db_test!(quantities_outside_one_to_the_stock_are_refused_and_short_lines_are_flagged, |t| async move {
    let ada = customer(&t.db, "ada@example.com").await;
    let owner = CartOwner::User(ada.id);
    let item = product_with(&t.db, "aurora-wireless-headphones", 3, 1_000).await;
    assert_eq!(cart::add(&t.db, &owner, item.id, 4).await.unwrap_err().status(), 422);
    assert_eq!(cart::add(&t.db, &owner, item.id, 0).await.unwrap_err().status(), 422);
    assert_eq!(cart::add(&t.db, &owner, 999_999, 1).await.unwrap_err().status(), 404);
    cart::add(&t.db, &owner, item.id, 3).await.unwrap();
    assert_eq!(cart::set_quantity(&t.db, &owner, item.id, 4).await.unwrap_err().status(), 422);
    cart::set_quantity(&t.db, &owner, item.id, 2).await.unwrap();
    product_with(&t.db, "aurora-wireless-headphones", 1, 1_000).await;
    let view = cart::view(&t.db, &owner, &RULES).await.unwrap();
    assert!(view.has_short_lines(), "stock fell below the line's quantity");
    cart::remove(&t.db, &owner, item.id).await.unwrap();
    assert!(cart::view(&t.db, &owner, &RULES).await.unwrap().lines.is_empty());
    assert_eq!(cart::remove(&t.db, &owner, item.id).await.unwrap_err().status(), 404);
});

db_test!(signing_in_merges_the_guest_cart_summing_and_capping_at_stock, |t| async move {
    let ada = customer(&t.db, "ada@example.com").await;
    let a = product_with(&t.db, "aurora-wireless-headphones", 5, 1_000).await;
    let guest = CartOwner::Guest("guest-session-1".into());
    let account = CartOwner::User(ada.id);
    cart::add(&t.db, &account, a.id, 3).await.unwrap();
    cart::add(&t.db, &guest, a.id, 4).await.unwrap();
    cart::merge_guest_cart(&t.db, "guest-session-1", ada.id).await.unwrap();
    let view = cart::view(&t.db, &account, &RULES).await.unwrap();
    assert_eq!(view.item_count(), 5, "3 + 4 capped at the stock of 5");
    assert!(cart::view(&t.db, &guest, &RULES).await.unwrap().lines.is_empty(), "the guest cart is gone");
    // Merging again (a second sign-in with the same session) changes nothing.
    cart::merge_guest_cart(&t.db, "guest-session-1", ada.id).await.unwrap();
    assert_eq!(cart::view(&t.db, &account, &RULES).await.unwrap().item_count(), 5);
});

db_test!(checkout_takes_stock_snapshots_prices_empties_the_cart_and_queues_the_email, |t| async move {
    let ada = customer(&t.db, "ada@example.com").await;
    let owner = CartOwner::User(ada.id);
    let a = product_with(&t.db, "aurora-wireless-headphones", 5, 1_250).await;
    cart::add(&t.db, &owner, a.id, 2).await.unwrap();
    let number =
        orders::place_order(&t.db, &ada, request(&new_key(), card("4242 4242 4242 4242")), &RULES).await.unwrap();
    assert!(number.starts_with("CS-") && number.len() == 9, "{number}");
    assert_eq!(stock_of(&t.db, a.id).await, 3);
    assert!(cart::view(&t.db, &owner, &RULES).await.unwrap().lines.is_empty());

    // A later price change does not touch the order.
    product_with(&t.db, "aurora-wireless-headphones", 3, 9_999).await;
    let me = Viewer { user_id: ada.id, is_admin: false };
    let order = orders::detail(&t.db, me, &number).await.unwrap();
    assert_eq!(order.summary.status, OrderStatus::Paid);
    assert_eq!(order.lines[0].unit_price_cents, 1_250);
    assert_eq!(order.totals.subtotal_cents, 2_500);
    assert_eq!(order.totals.total_cents, 2_500 + 499 + 200);
    assert_eq!(order.card_last4.as_deref(), Some("4242"));
    assert_eq!(order.shipping_address.full_name, "Ada Lovelace");
    assert_eq!(order.billing_address, order.shipping_address, "billing same as shipping");
    assert_eq!(orders::list(&t.db, ada.id).await.unwrap().len(), 1);
    let emails = outbox_message::Entity::find().all(&t.db).await.unwrap();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].recipient, "ada@example.com");
});

db_test!(the_same_key_returns_the_same_order_and_with_another_cart_is_422, |t| async move {
    let ada = customer(&t.db, "ada@example.com").await;
    let owner = CartOwner::User(ada.id);
    let a = product_with(&t.db, "aurora-wireless-headphones", 5, 1_000).await;
    cart::add(&t.db, &owner, a.id, 1).await.unwrap();
    let key = new_key();
    let first = orders::place_order(&t.db, &ada, request(&key, Payment::CashOnDelivery), &RULES).await.unwrap();
    let again = orders::place_order(&t.db, &ada, request(&key, Payment::CashOnDelivery), &RULES).await.unwrap();
    assert_eq!(first, again, "a repeated submit is the same order");
    assert_eq!(stock_of(&t.db, a.id).await, 4, "and sells nothing more");

    cart::add(&t.db, &owner, a.id, 2).await.unwrap();
    let reused = orders::place_order(&t.db, &ada, request(&key, Payment::CashOnDelivery), &RULES).await.unwrap_err();
    assert_eq!(reused.status(), 422);
    assert_eq!(orders::list(&t.db, ada.id).await.unwrap().len(), 1);
});

db_test!(a_declined_card_or_an_empty_cart_sells_nothing, |t| async move {
    let ada = customer(&t.db, "ada@example.com").await;
    let owner = CartOwner::User(ada.id);
    assert_eq!(
        orders::place_order(&t.db, &ada, request(&new_key(), Payment::CashOnDelivery), &RULES)
            .await
            .unwrap_err()
            .status(),
        422
    );
    let a = product_with(&t.db, "aurora-wireless-headphones", 5, 1_000).await;
    cart::add(&t.db, &owner, a.id, 2).await.unwrap();
    let declined =
        orders::place_order(&t.db, &ada, request(&new_key(), card("4000 0000 0000 0002")), &RULES).await.unwrap_err();
    assert_eq!(declined.status(), 422);
    assert!(declined.to_string().contains("declined"), "{declined}");
    assert_eq!(stock_of(&t.db, a.id).await, 5);
    assert_eq!(cart::view(&t.db, &owner, &RULES).await.unwrap().item_count(), 2, "the cart is kept");
    assert!(orders::list(&t.db, ada.id).await.unwrap().is_empty());
});

db_test!(a_short_line_rolls_back_every_line_and_is_named, |t| async move {
    let ada = customer(&t.db, "ada@example.com").await;
    let owner = CartOwner::User(ada.id);
    let plenty = product_with(&t.db, "aurora-wireless-headphones", 5, 1_000).await;
    let scarce = product::Entity::find().filter(product::Column::Id.ne(plenty.id)).one(&t.db).await.unwrap().unwrap();
    let scarce = product_with(&t.db, &scarce.slug, 2, 500).await;
    cart::add(&t.db, &owner, plenty.id, 2).await.unwrap();
    cart::add(&t.db, &owner, scarce.id, 2).await.unwrap();
    product_with(&t.db, &scarce.slug, 1, 500).await;
    let short =
        orders::place_order(&t.db, &ada, request(&new_key(), Payment::CashOnDelivery), &RULES).await.unwrap_err();
    assert_eq!(short.status(), 409);
    assert!(short.to_string().contains(&scarce.name), "{short}");
    assert_eq!(stock_of(&t.db, plenty.id).await, 5, "the other line's stock came back");
    assert_eq!(stock_of(&t.db, scarce.id).await, 1);
});

db_test!(cancelling_returns_the_stock_and_only_owners_and_admins_see_an_order, |t| async move {
    let ada = customer(&t.db, "ada@example.com").await;
    let bob = customer(&t.db, "bob@example.com").await;
    let a = product_with(&t.db, "aurora-wireless-headphones", 5, 1_000).await;
    cart::add(&t.db, &CartOwner::User(ada.id), a.id, 2).await.unwrap();
    let number = orders::place_order(&t.db, &ada, request(&new_key(), card("4242424242424242")), &RULES).await.unwrap();
    let bob_views = Viewer { user_id: bob.id, is_admin: false };
    assert_eq!(orders::detail(&t.db, bob_views, &number).await.unwrap_err().status(), 404);
    assert_eq!(orders::cancel(&t.db, bob_views, &number).await.unwrap_err().status(), 404);
    assert!(orders::detail(&t.db, Viewer { user_id: bob.id, is_admin: true }, &number).await.is_ok());

    let ada_views = Viewer { user_id: ada.id, is_admin: false };
    orders::cancel(&t.db, ada_views, &number).await.unwrap();
    assert_eq!(stock_of(&t.db, a.id).await, 5);
    let order = orders::detail(&t.db, ada_views, &number).await.unwrap();
    assert_eq!(order.summary.status, OrderStatus::Cancelled);
    assert_eq!(order.payment_status, PaymentStatus::Refunded);
    let statuses: Vec<_> = order.timeline.iter().map(|c| c.status).collect();
    assert_eq!(statuses, [OrderStatus::Paid, OrderStatus::Cancelled]);
    assert_eq!(orders::cancel(&t.db, ada_views, &number).await.unwrap_err().status(), 409, "only once");
    assert_eq!(stock_of(&t.db, a.id).await, 5, "the stock came back once");
    assert_ledger_agrees(&t.db).await;
});

/// `buyers` customers, each with `quantity(i)` of one product in their cart, check out at once.
async fn rush(
    db: &DatabaseConnection,
    product_id: i32,
    buyers: usize,
    quantity: fn(usize) -> i32,
) -> (Vec<i32>, usize, usize) {
    let mut customers = Vec::new();
    for i in 0..buyers {
        let buyer = customer(db, &format!("buyer{i}@example.com")).await;
        // Carts are filled while the stock allows; the rush happens at checkout.
        let mut row: product::ActiveModel =
            product::Entity::find_by_id(product_id).one(db).await.unwrap().unwrap().into();
        let stock = *row.stock.as_ref();
        row.stock = Set(stock.max(99));
        row.clone().update(db).await.unwrap();
        cart::add(db, &CartOwner::User(buyer.id), product_id, quantity(i)).await.unwrap();
        row.stock = Set(stock);
        row.update(db).await.unwrap();
        customers.push((buyer, quantity(i)));
    }
    let handles: Vec<_> = customers
        .into_iter()
        .map(|(buyer, quantity)| {
            let db = db.clone();
            tokio::spawn(async move {
                let result =
                    orders::place_order(&db, &buyer, request(&new_key(), Payment::CashOnDelivery), &RULES).await;
                (result, quantity)
            })
        })
        .collect();
    let (mut sold, mut ok, mut conflicts) = (Vec::new(), 0, 0);
    for handle in handles {
        match handle.await.unwrap() {
            (Ok(_), quantity) => {
                ok += 1;
                sold.push(quantity);
            }
            (Err(err), _) if err.status() == 409 => conflicts += 1,
            (Err(err), _) => panic!("unexpected checkout error: {err:?}"),
        }
    }
    (sold, ok, conflicts)
}

db_test!(one_unit_and_twenty_concurrent_checkouts_sell_exactly_once, |t| async move {
    let a = product_with(&t.db, "aurora-wireless-headphones", 1, 1_000).await;
    let (_, ok, conflicts) = rush(&t.db, a.id, 20, |_| 1).await;
    assert_eq!((ok, conflicts), (1, 19));
    assert_eq!(stock_of(&t.db, a.id).await, 0);
    assert_ledger_agrees(&t.db).await;
});

db_test!(ten_units_and_thirty_buyers_of_one_to_three_never_oversell, |t| async move {
    let a = product_with(&t.db, "aurora-wireless-headphones", 10, 1_000).await;
    let (sold, ok, conflicts) = rush(&t.db, a.id, 30, |i| (i % 3) as i32 + 1).await;
    let remaining = stock_of(&t.db, a.id).await;
    let sold: i32 = sold.iter().sum();
    assert!(remaining >= 0);
    assert_eq!(sold + remaining, 10, "sold {sold} in {ok} orders, {conflicts} refused, {remaining} left");
    assert_eq!(ok + conflicts, 30);
    assert_ledger_agrees(&t.db).await;
});

mod outbox_delivery {
    use super::*;
    use app::server::services::outbox::{self, DrainReport, MAX_ATTEMPTS, Mailer};
    use chrono::{TimeDelta, Utc};
    use std::path::PathBuf;

    const FROM: &str = "CloudScale Commerce <orders@cloudscale.local>";

    fn mail_folder() -> PathBuf {
        std::env::temp_dir().join(format!("cloudscale-outbox-test-{}", uuid::Uuid::new_v4().simple()))
    }

    /// A folder that cannot be created: its parent is a plain file.
    fn broken_folder() -> PathBuf {
        let file = std::env::temp_dir().join(format!("cloudscale-not-a-folder-{}", uuid::Uuid::new_v4().simple()));
        std::fs::write(&file, b"x").unwrap();
        file.join("mail")
    }

    fn eml_files(folder: &PathBuf) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .map(|entries| {
                entries.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    async fn one_order(db: &DatabaseConnection) -> String {
        let ada = customer(db, "ada@example.com").await;
        let item = product_with(db, "aurora-wireless-headphones", 5, 1_250).await;
        cart::add(db, &CartOwner::User(ada.id), item.id, 2).await.unwrap();
        orders::place_order(db, &ada, request(&new_key(), Payment::CashOnDelivery), &RULES).await.unwrap()
    }

    async fn outbox_row(db: &DatabaseConnection) -> outbox_message::Model {
        outbox_message::Entity::find().one(db).await.unwrap().expect("an outbox row")
    }

    db_test!(a_confirmation_is_written_once_with_the_order_number_items_and_total, |t| async move {
        let number = one_order(&t.db).await;
        let folder = mail_folder();
        let mailer = Mailer::files(&folder, FROM).unwrap();
        let now = Utc::now();
        assert_eq!(outbox::deliver_due(&t.db, &mailer, now, 10).await.unwrap(), DrainReport { sent: 1, failed: 0 });
        assert_eq!(eml_files(&folder), vec![format!("{number}-order_confirmation.eml")]);
        let text = std::fs::read_to_string(folder.join(format!("{number}-order_confirmation.eml"))).unwrap();
        assert!(text.contains(&format!("Message-ID: <{number}.order_confirmation@cloudscale.local>")), "{text}");
        assert!(text.contains("To: ada@example.com"), "{text}");
        assert!(text.contains("2 x Aurora Wireless Headphones"), "{text}");
        assert!(text.contains("Total: $31.99"), "2 x 12.50 + 4.99 shipping + 2.00 tax: {text}");
        // Sent rows are done: later passes send nothing more.
        let later = now + TimeDelta::hours(2);
        assert_eq!(outbox::deliver_due(&t.db, &mailer, later, 10).await.unwrap(), DrainReport::default());
        assert_eq!(eml_files(&folder).len(), 1);
        assert_eq!(outbox::pending_count(&t.db).await.unwrap(), 0);
        let _ = std::fs::remove_dir_all(folder);
    });

    db_test!(a_failed_delivery_is_retried_after_a_growing_wait, |t| async move {
        let number = one_order(&t.db).await;
        let broken = Mailer::files(broken_folder(), FROM).unwrap();
        let now = Utc::now();
        assert_eq!(outbox::deliver_due(&t.db, &broken, now, 10).await.unwrap(), DrainReport { sent: 0, failed: 1 });
        let row = outbox_row(&t.db).await;
        assert_eq!(row.attempts, 1);
        assert!(row.last_error.as_deref().unwrap_or_default().contains("mail folder"), "{row:?}");
        assert!(row.sent_at.is_none());

        // Not due again for 30 seconds, then it goes out.
        let folder = mail_folder();
        let working = Mailer::files(&folder, FROM).unwrap();
        let soon = now + TimeDelta::seconds(10);
        assert_eq!(outbox::deliver_due(&t.db, &working, soon, 10).await.unwrap(), DrainReport::default());
        let due = now + TimeDelta::seconds(31);
        assert_eq!(outbox::deliver_due(&t.db, &working, due, 10).await.unwrap(), DrainReport { sent: 1, failed: 0 });
        let row = outbox_row(&t.db).await;
        assert_eq!(row.attempts, 2);
        assert!(row.sent_at.is_some() && row.last_error.is_none(), "{row:?}");
        assert_eq!(eml_files(&folder), vec![format!("{number}-order_confirmation.eml")]);
        let _ = std::fs::remove_dir_all(folder);
    });

    db_test!(a_message_that_keeps_failing_is_given_up_after_the_last_attempt, |t| async move {
        one_order(&t.db).await;
        let broken = Mailer::files(broken_folder(), FROM).unwrap();
        let mut now = Utc::now();
        for attempt in 1..=MAX_ATTEMPTS {
            let report = outbox::deliver_due(&t.db, &broken, now, 10).await.unwrap();
            assert_eq!(report, DrainReport { sent: 0, failed: 1 }, "attempt {attempt}");
            now += TimeDelta::hours(2);
        }
        assert_eq!(outbox_row(&t.db).await.attempts, MAX_ATTEMPTS);
        assert_eq!(outbox::pending_count(&t.db).await.unwrap(), 0);
        assert_eq!(outbox::deliver_due(&t.db, &broken, now, 10).await.unwrap(), DrainReport::default());
    });

    db_test!(two_workers_draining_at_once_send_each_message_once, |t| async move {
        one_order(&t.db).await;
        let folder = mail_folder();
        let mailer = Mailer::files(&folder, FROM).unwrap();
        let now = Utc::now();
        let (a, b) =
            tokio::join!(outbox::deliver_due(&t.db, &mailer, now, 10), outbox::deliver_due(&t.db, &mailer, now, 10));
        assert_eq!(a.unwrap().sent + b.unwrap().sent, 1);
        assert_eq!(outbox_row(&t.db).await.attempts, 1, "one lease, one attempt");
        let _ = std::fs::remove_dir_all(folder);
    });

    db_test!(an_unreachable_smtp_server_counts_as_a_failed_attempt, |t| async move {
        one_order(&t.db).await;
        // Port 9 on loopback: nothing listens there, so the connection is refused at once.
        let mailer = Mailer::smtp("smtp://127.0.0.1:9", FROM).unwrap();
        let report = outbox::deliver_due(&t.db, &mailer, Utc::now(), 10).await.unwrap();
        assert_eq!(report, DrainReport { sent: 0, failed: 1 });
        assert!(outbox_row(&t.db).await.last_error.unwrap_or_default().starts_with("SMTP"));
    });
}

db_test!(shoppers_filling_carts_while_others_check_out_never_meet_a_locked_database, |t| async move {
    let item = product_with(&t.db, "aurora-wireless-headphones", 1_000, 1_250).await;
    let mut shoppers = Vec::new();
    for i in 0..12 {
        shoppers.push(customer(&t.db, &format!("shopper{i}@example.com")).await);
    }
    let runs: Vec<_> = shoppers
        .into_iter()
        .map(|shopper| {
            let db = t.db.clone();
            tokio::spawn(async move {
                for _ in 0..3 {
                    cart::add(&db, &CartOwner::User(shopper.id), item.id, 1).await?;
                    orders::place_order(&db, &shopper, request(&new_key(), Payment::CashOnDelivery), &RULES).await?;
                }
                Ok::<(), app::domain::error::AppError>(())
            })
        })
        .collect();
    for run in runs {
        run.await.unwrap().expect("no busy or locked errors");
    }
    assert_eq!(stock_of(&t.db, item.id).await, 1_000 - 36);
    assert_ledger_agrees(&t.db).await;
});

db_test!(the_header_count_adds_up_one_owners_lines_and_no_one_elses, |t| async move {
    let ada = customer(&t.db, "ada@example.com").await;
    let grace = customer(&t.db, "grace@example.com").await;
    let a = product_with(&t.db, "aurora-wireless-headphones", 9, 1_000).await;
    let b = product_with(&t.db, "tempo-sport-earphones", 9, 2_000).await;
    let (account, other, guest) =
        (CartOwner::User(ada.id), CartOwner::User(grace.id), CartOwner::Guest("guest-session-2".into()));
    assert_eq!(cart::item_count(&t.db, &account).await.unwrap(), 0, "no cart yet");
    cart::add(&t.db, &account, a.id, 2).await.unwrap();
    cart::add(&t.db, &account, b.id, 3).await.unwrap();
    cart::add(&t.db, &other, a.id, 4).await.unwrap();
    cart::add(&t.db, &guest, b.id, 1).await.unwrap();
    let view = cart::view(&t.db, &account, &RULES).await.unwrap();
    assert_eq!(cart::item_count(&t.db, &account).await.unwrap(), view.item_count());
    assert_eq!(cart::item_count(&t.db, &account).await.unwrap(), 5);
    assert_eq!(cart::item_count(&t.db, &other).await.unwrap(), 4);
    assert_eq!(cart::item_count(&t.db, &guest).await.unwrap(), 1);
});
