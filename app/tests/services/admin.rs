use crate::orders::{assert_ledger_agrees, customer, new_key, product_with, request};
use app::server::testing::test_slug;
use app::{
    db_test,
    domain::admin::{ProductDraft, ProductForm, StockAdjustment, StockReason},
    domain::commerce::{OrderStatus, PricingRules},
    domain::error::AppError,
    domain::listing::ListingQuery,
    domain::model::PageNumber,
    server::{
        entities::product,
        services::{
            admin_catalog,
            cart::{self, CartOwner},
            catalog, customers,
            orders::{self, Payment, Viewer},
            stock,
        },
    },
};
use sea_orm::{DatabaseConnection, EntityTrait};

const RULES: PricingRules =
    PricingRules { shipping_fee_cents: 499, free_shipping_from_cents: 5_000, tax_rate_basis_points: 800 };
const ADMIN: i32 = 0;

fn lamp_form() -> ProductForm {
    ProductForm {
        name: "Lumen Desk Lamp".into(),
        sku: "lum-lamp-01".into(),
        description: "A warm, dimmable desk lamp with a USB-C port.".into(),
        category: "smart-home".into(),
        price: "49.90".into(),
        stock: Some("12".into()),
        active: true,
        ..Default::default()
    }
}

async fn create_lamp(db: &DatabaseConnection) -> i32 {
    let draft = ProductDraft::parse(&lamp_form(), true).unwrap();
    admin_catalog::create(db, ADMIN, &draft).await.unwrap()
}

fn fields_of(error: AppError) -> Vec<String> {
    match error {
        AppError::Fields { errors } => errors.into_iter().map(|e| e.field).collect(),
        AppError::Validation { field, .. } => vec![field],
        other => panic!("expected field errors, got {other:?}"),
    }
}

db_test!(a_created_product_is_in_the_shop_and_search_with_its_ledger_opened, |t| async move {
    let id = create_lamp(&t.db).await;
    let editor = admin_catalog::editor(&t.db, id).await.unwrap();
    assert_eq!(
        (editor.slug.as_str(), editor.sku.as_str(), editor.price.as_str()),
        ("lumen-desk-lamp", "LUM-LAMP-01", "49.90")
    );
    assert_eq!(editor.stock, 12);
    assert_eq!(editor.ledger.len(), 1);
    assert_eq!((editor.ledger[0].reason, editor.ledger[0].quantity_change), (StockReason::Initial, 12));

    assert_eq!(catalog::product_detail(&t.db, &test_slug("lumen-desk-lamp")).await.unwrap().card.id, id);
    let search = ListingQuery::from_params(None, Some("lumen lamp"), None, None).unwrap();
    let found = catalog::list_products(&t.db, &search).await.unwrap();
    assert_eq!(found.items.iter().map(|c| c.id).collect::<Vec<_>>(), [id], "the search index knows it");
    assert_ledger_agrees(&t.db).await;
});

db_test!(a_taken_sku_or_slug_or_an_unknown_category_is_an_error_on_that_field, |t| async move {
    create_lamp(&t.db).await;
    let again = ProductDraft::parse(&lamp_form(), true).unwrap();
    let error = admin_catalog::create(&t.db, ADMIN, &again).await.unwrap_err();
    assert_eq!(error.status(), 422);
    assert_eq!(fields_of(error), ["slug", "sku"]);

    let mut elsewhere = lamp_form();
    elsewhere.category = "no-such-category".into();
    elsewhere.sku = "OTHER-1".into();
    elsewhere.slug = "other-lamp".into();
    let error = admin_catalog::create(&t.db, ADMIN, &ProductDraft::parse(&elsewhere, true).unwrap()).await.unwrap_err();
    assert_eq!(fields_of(error), ["category"]);
});

db_test!(editing_changes_the_product_but_never_its_stock, |t| async move {
    let id = create_lamp(&t.db).await;
    let mut edit = lamp_form();
    edit.name = "Lumen Desk Lamp Pro".into();
    edit.slug = "lumen-desk-lamp-pro".into();
    edit.price = "59".into();
    edit.stock = Some("999".into());
    admin_catalog::update(&t.db, ADMIN, id, &ProductDraft::parse(&edit, false).unwrap()).await.unwrap();
    let editor = admin_catalog::editor(&t.db, id).await.unwrap();
    assert_eq!((editor.name.as_str(), editor.price.as_str(), editor.stock), ("Lumen Desk Lamp Pro", "59.00", 12));
    assert_eq!(catalog::product_detail(&t.db, &test_slug("lumen-desk-lamp")).await.unwrap_err().status(), 404);
    assert!(catalog::product_detail(&t.db, &test_slug("lumen-desk-lamp-pro")).await.is_ok());
});

db_test!(adjustments_move_stock_and_ledger_together_and_never_below_zero, |t| async move {
    let id = create_lamp(&t.db).await;
    let add = StockAdjustment::parse("+8", "restock", "pallet 7").unwrap();
    assert_eq!(stock::adjust(&t.db, ADMIN, id, &add).await.unwrap(), 20);
    let remove_too_many = StockAdjustment::parse("-21", "damaged", "").unwrap();
    let error = stock::adjust(&t.db, ADMIN, id, &remove_too_many).await.unwrap_err();
    assert_eq!(fields_of(error), ["change"]);
    let remove = StockAdjustment::parse("-3", "damaged", "").unwrap();
    assert_eq!(stock::adjust(&t.db, ADMIN, id, &remove).await.unwrap(), 17);
    assert_eq!(stock::adjust(&t.db, ADMIN, 999_999, &add).await.unwrap_err().status(), 404);

    let ledger = stock::ledger(&t.db, id, 10).await.unwrap();
    let seen: Vec<_> = ledger.iter().map(|m| (m.reason, m.quantity_change, m.stock_after)).collect();
    assert_eq!(
        seen,
        [(StockReason::Damaged, -3, 17), (StockReason::Restock, 8, 20), (StockReason::Initial, 12, 12)],
        "newest first, each with the stock after it"
    );
    assert_eq!(ledger[1].note, "pallet 7");
    assert_ledger_agrees(&t.db).await;
});

db_test!(archiving_takes_a_product_out_of_the_shop_but_keeps_it_on_orders, |t| async move {
    let ada = customer(&t.db, "ada@example.com").await;
    let item = product_with(&t.db, "aurora-wireless-headphones", 5, 1_000).await;
    cart::add(&t.db, &CartOwner::User(ada.id), item.id, 1).await.unwrap();
    let number = orders::place_order(&t.db, &ada, request(&new_key(), Payment::CashOnDelivery), &RULES).await.unwrap();

    admin_catalog::archive(&t.db, ADMIN, item.id).await.unwrap();
    assert_eq!(
        catalog::product_detail(&t.db, &test_slug("aurora-wireless-headphones")).await.unwrap_err().status(),
        404
    );
    assert!(product::Entity::find_by_id(item.id).one(&t.db).await.unwrap().is_some(), "never deleted");
    let order = orders::detail(&t.db, Viewer { user_id: ada.id, is_admin: false }, &number).await.unwrap();
    assert_eq!(order.lines[0].product_id, item.id);
    let listed = admin_catalog::list(&t.db, Some("aurora"), PageNumber::FIRST).await.unwrap();
    assert!(listed.items.iter().any(|row| row.id == item.id && row.archived && !row.active));
});

db_test!(the_admin_search_matches_name_sku_or_slug_and_treats_wildcards_as_text, |t| async move {
    let id = create_lamp(&t.db).await;
    for text in ["lumen", "LUM-LAMP", "desk-lamp"] {
        let found = admin_catalog::list(&t.db, Some(text), PageNumber::FIRST).await.unwrap();
        assert!(found.items.iter().any(|row| row.id == id), "{text}");
    }
    assert_eq!(admin_catalog::list(&t.db, Some("%"), PageNumber::FIRST).await.unwrap().total, 0);
    assert_eq!(admin_catalog::list(&t.db, Some("_"), PageNumber::FIRST).await.unwrap().total, 0);
    let all = admin_catalog::list(&t.db, None, PageNumber::FIRST).await.unwrap();
    assert_eq!(all.items.len(), 20);
    assert!(all.total > 60);
});

db_test!(an_order_moves_from_paid_to_delivered_one_step_at_a_time_with_history, |t| async move {
    let ada = customer(&t.db, "ada@example.com").await;
    let item = product_with(&t.db, "aurora-wireless-headphones", 5, 1_000).await;
    cart::add(&t.db, &CartOwner::User(ada.id), item.id, 2).await.unwrap();
    let card = Payment::TestCard { number: "4242424242424242".into() };
    let number = orders::place_order(&t.db, &ada, request(&new_key(), card), &RULES).await.unwrap();

    let skip = orders::transition(&t.db, ADMIN, &number, OrderStatus::Delivered, None).await.unwrap_err();
    assert_eq!(skip.status(), 409, "no skipping ahead");
    orders::transition(&t.db, ADMIN, &number, OrderStatus::Processing, None).await.unwrap();
    let untracked = orders::transition(&t.db, ADMIN, &number, OrderStatus::Shipped, Some(" ")).await.unwrap_err();
    assert_eq!(fields_of(untracked), ["tracking_number"]);
    orders::transition(&t.db, ADMIN, &number, OrderStatus::Shipped, Some("1z999aa10123456784")).await.unwrap();
    orders::transition(&t.db, ADMIN, &number, OrderStatus::Delivered, None).await.unwrap();
    let cancel_late = orders::transition(&t.db, ADMIN, &number, OrderStatus::Cancelled, None).await.unwrap_err();
    assert_eq!(cancel_late.status(), 409);

    let detail = orders::admin_detail(&t.db, &number).await.unwrap();
    assert_eq!(detail.customer_email, "ada@example.com");
    assert_eq!(detail.order.tracking_number.as_deref(), Some("1Z999AA10123456784"));
    let history: Vec<_> = detail.order.timeline.iter().map(|c| c.status).collect();
    assert_eq!(history, [OrderStatus::Paid, OrderStatus::Processing, OrderStatus::Shipped, OrderStatus::Delivered]);
    assert!(detail.order.timeline[2].note.contains("1Z999AA10123456784"));
    assert!(detail.next_statuses().is_empty());

    let delivered = orders::admin_list(&t.db, Some(OrderStatus::Delivered), PageNumber::FIRST).await.unwrap();
    assert_eq!(delivered.items.iter().map(|o| o.number.as_str()).collect::<Vec<_>>(), [number.as_str()]);
    assert_eq!(delivered.items[0].item_count, 2);
    assert_eq!(orders::admin_list(&t.db, Some(OrderStatus::Paid), PageNumber::FIRST).await.unwrap().total, 0);
});

db_test!(a_cancel_by_the_shop_restocks_through_the_ledger_once_and_marks_the_product_changed, |t| async move {
    let ada = customer(&t.db, "ada@example.com").await;
    let item = product_with(&t.db, "aurora-wireless-headphones", 5, 1_000).await;
    cart::add(&t.db, &CartOwner::User(ada.id), item.id, 3).await.unwrap();
    let number = orders::place_order(&t.db, &ada, request(&new_key(), Payment::CashOnDelivery), &RULES).await.unwrap();
    orders::transition(&t.db, ADMIN, &number, OrderStatus::Paid, None).await.unwrap();
    orders::transition(&t.db, ADMIN, &number, OrderStatus::Processing, None).await.unwrap();
    // PostgreSQL keeps microseconds: compare at that precision.
    let before_cancel = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6);
    orders::transition(&t.db, ADMIN, &number, OrderStatus::Cancelled, None).await.unwrap();
    assert_eq!(
        orders::transition(&t.db, ADMIN, &number, OrderStatus::Cancelled, None).await.unwrap_err().status(),
        409
    );

    let ledger = stock::ledger(&t.db, item.id, 3).await.unwrap();
    let seen: Vec<_> = ledger.iter().map(|m| (m.reason, m.quantity_change, m.stock_after)).collect();
    assert_eq!(seen[..2], [(StockReason::Cancellation, 3, 5), (StockReason::Sale, -3, 2)]);
    assert_eq!(ledger[0].order_number.as_deref(), Some(number.as_str()));
    assert_ledger_agrees(&t.db).await;
    // The restock goes through the one stock writer, which marks the product changed like any other.
    let restocked = product::Entity::find_by_id(item.id).one(&t.db).await.unwrap().unwrap();
    assert!(restocked.updated_at >= before_cancel, "{} < {before_cancel}", restocked.updated_at);
});

db_test!(the_customer_list_counts_each_customers_orders, |t| async move {
    let ada = customer(&t.db, "ada@example.com").await;
    customer(&t.db, "bob@example.com").await;
    let item = product_with(&t.db, "aurora-wireless-headphones", 5, 1_000).await;
    for _ in 0..2 {
        cart::add(&t.db, &CartOwner::User(ada.id), item.id, 1).await.unwrap();
        orders::place_order(&t.db, &ada, request(&new_key(), Payment::CashOnDelivery), &RULES).await.unwrap();
    }
    let list = customers::list(&t.db, PageNumber::FIRST).await.unwrap();
    let counts: Vec<_> = list.items.iter().map(|c| (c.email.as_str(), c.order_count)).collect();
    assert_eq!(counts, [("bob@example.com", 0), ("ada@example.com", 2)]);
    assert_eq!(list.total, 2);
});
