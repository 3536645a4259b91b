use crate::{app_test, helpers::TestApp};
use app::server::entities::product;
use app::server::testing::TEST_PASSWORD;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

const SLUG: &str = "aurora-wireless-headphones";

pub(crate) async fn headphones(app: &TestApp) -> product::Model {
    product::Entity::find().filter(product::Column::Slug.eq(SLUG)).one(&app.db.db).await.unwrap().unwrap()
}

pub(crate) async fn register(app: &TestApp, email: &str) {
    let form = format!("name=Test+Shopper&email={email}&password={}", TEST_PASSWORD.replace(' ', "+"));
    let response = app.call("register", &form).await;
    assert!(response.status().is_success(), "{}", response.text().await.unwrap());
}

pub(crate) async fn json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

pub(crate) fn checkout_form(key: &str, payment: &str) -> String {
    let address = [
        ("kind", "shipping"),
        ("full_name", "Ada+Lovelace"),
        ("line1", "1+Main+Street"),
        ("city", "Springfield"),
        ("region", "IL"),
        ("postal_code", "62701"),
        ("country", "us"),
    ]
    .iter()
    .map(|(field, value)| format!("shipping[{field}]={value}"))
    .collect::<Vec<_>>()
    .join("&");
    format!("idempotency_key={key}&{address}&billing_same=on&{payment}")
}

app_test!(a_guest_cart_follows_the_shopper_into_their_account, |app| async move {
    let product = headphones(&app).await;
    let (status, cart) = json(app.call("add_to_cart", &format!("product_id={}&quantity=2", product.id)).await).await;
    assert_eq!(status, 200, "{cart}");
    assert_eq!(cart["lines"][0]["quantity"], 2);
    register(&app, "ada@example.com").await;
    let (_, cart) = json(app.call("cart", "").await).await;
    assert_eq!(cart["lines"][0]["product_id"], product.id, "{cart}");
    assert_eq!(cart["lines"][0]["quantity"], 2);
});

app_test!(prices_and_totals_sent_by_the_client_change_nothing, |app| async move {
    let product = headphones(&app).await;
    register(&app, "ada@example.com").await;
    let response =
        app.call("add_to_cart", &format!("product_id={}&quantity=1&price=1&unit_price_cents=1", product.id)).await;
    let (status, cart) = json(response).await;
    if status == 200 {
        assert_eq!(cart["lines"][0]["unit_price_cents"], product.price_cents, "{cart}");
    } else {
        assert_eq!(status, 400, "extra fields are either ignored or refused: {cart}");
        app.call("add_to_cart", &format!("product_id={}&quantity=1", product.id)).await;
    }
    let (_, key) = json(app.call("checkout_key", "").await).await;
    let key = key.as_str().unwrap().to_owned();
    let form = format!(
        "{}&total=0&subtotal_cents=0",
        checkout_form(&key, "payment_method=test_card&card_number=4242424242424242")
    );
    let response = app.call("place_order", &form).await;
    let status = response.status().as_u16();
    assert!(status == 200 || status == 302 || status == 400, "{status}: {}", response.text().await.unwrap());
    if status != 400 {
        let (_, orders) = json(app.call("orders", "").await).await;
        let expected = product.price_cents + 499 + (product.price_cents * 800 + 5_000) / 10_000;
        let expected = if product.price_cents >= 5_000 { expected - 499 } else { expected };
        assert_eq!(orders[0]["total_cents"], expected, "{orders}");
    }
});

app_test!(checkout_places_an_order_only_its_owner_can_see_and_a_declined_card_sells_nothing, |app| async move {
    let product = headphones(&app).await;
    register(&app, "ada@example.com").await;
    let (_, key) = json(app.call("checkout_key", "").await).await;
    let key = key.as_str().unwrap().to_owned();

    let (status, empty) = json(app.call("place_order", &checkout_form(&key, "payment_method=cash")).await).await;
    assert_eq!((status, empty["kind"].as_str()), (422, Some("validation")), "an empty cart: {empty}");

    app.call("add_to_cart", &format!("product_id={}&quantity=1", product.id)).await;
    let declined = checkout_form(&key, "payment_method=test_card&card_number=4000+0000+0000+0002");
    let (status, body) = json(app.call("place_order", &declined).await).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["message"].as_str().unwrap().contains("declined"), "{body}");
    assert_eq!(headphones(&app).await.stock, product.stock, "nothing was sold");

    let paid = checkout_form(&key, "payment_method=test_card&card_number=4242+4242+4242+4242");
    let response = app.call("place_order", &paid).await;
    assert!(response.status().is_success() || response.status().is_redirection(), "{}", response.status());
    assert_eq!(headphones(&app).await.stock, product.stock - 1);
    let (_, orders) = json(app.call("orders", "").await).await;
    let number = orders[0]["number"].as_str().unwrap().to_owned();
    assert!(number.starts_with("CS-"));
    // The same form again is the same order.
    app.call("place_order", &paid).await;
    let (_, orders) = json(app.call("orders", "").await).await;
    assert_eq!(orders.as_array().unwrap().len(), 1);

    let (status, _) = json(app.call("order", &format!("number={number}")).await).await;
    assert_eq!(status, 200);
    app.call("sign_out", "").await;
    register(&app, "eve@example.com").await;
    let (status, body) = json(app.call("order", &format!("number={number}")).await).await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = json(app.call("cancel_order", &format!("number={number}")).await).await;
    assert_eq!(status, 404);
    assert_eq!(headphones(&app).await.stock, product.stock - 1);
});

app_test!(signed_out_visitors_cannot_check_out_or_read_orders, |app| async move {
    assert_eq!(app.call("checkout_key", "").await.status(), 401);
    assert_eq!(app.call("orders", "").await.status(), 401);
    assert_eq!(app.call("order", "number=CS-000001").await.status(), 401);
});

app_test!(placing_an_order_writes_one_confirmation_email_naming_it, |app| async move {
    let product = headphones(&app).await;
    register(&app, "grace@example.com").await;
    app.call("add_to_cart", &format!("product_id={}&quantity=2", product.id)).await;
    let (_, key) = json(app.call("checkout_key", "").await).await;
    let form = checkout_form(key.as_str().unwrap(), "payment_method=cash");
    let response = app.call("place_order", &form).await;
    assert!(response.status().is_success() || response.status().is_redirection());
    let (_, orders) = json(app.call("orders", "").await).await;
    let number = orders[0]["number"].as_str().unwrap().to_owned();

    // The worker is woken by the order; give it a few seconds on a busy machine.
    let (file, text) = &app.wait_for_mail(&number).await;
    assert_eq!(file, &format!("{number}-order_confirmation.eml"));
    let order_mails = app.sent_mail().into_iter().filter(|(name, _)| name.starts_with("CS-")).count();
    assert_eq!(order_mails, 1, "one order message");
    assert!(text.contains("To: grace@example.com"), "{text}");
    assert!(text.contains(&format!("Subject: Order {number} confirmed")), "{text}");
    assert!(text.contains(&product.name), "names the items: {text}");
    assert!(text.contains(&format!("2 x {}", product.name)), "{text}");
    assert!(text.contains("Total: $"), "{text}");
});

app_test!(a_refused_add_without_javascript_is_explained_once_on_the_page_it_came_from, |app| async move {
    let response =
        app.form_post_from(&app.client, "add_to_cart", "/products").body("product_id=999999").send().await.unwrap();
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap();
    let back = location.strip_prefix(app.address.as_str()).unwrap_or(location).to_owned();
    assert!(back.starts_with("/products?"), "back to the listing, with the refusal: {back}");
    let html = app.get(&back).await.text().await.unwrap();
    assert_eq!(html.matches("notice notice--error").count(), 1, "one explanation, not one per card: {html}");
    assert!(html.to_lowercase().contains("not found"), "a readable reason");
    assert!(crate::helpers::count_cards(&html) > 1, "the listing is still there");
});

app_test!(a_signed_in_header_counts_the_units_in_the_cart_on_every_page, |app| async move {
    let product = headphones(&app).await;
    register(&app, "ada@example.com").await;
    assert!(app.get("/").await.text().await.unwrap().contains("Cart (0)"));
    app.call("add_to_cart", &format!("product_id={}&quantity=2", product.id)).await;
    for path in ["/", "/products", "/nope"] {
        assert!(app.get(path).await.text().await.unwrap().contains("Cart (2)"), "{path}");
    }
    app.call("update_cart", &format!("product_id={}&quantity=1", product.id)).await;
    assert!(app.get("/").await.text().await.unwrap().contains("Cart (1)"), "the next page shows the change");
    let (_, count) = json(app.call("cart_count", "").await).await;
    assert_eq!(count, 1, "the count the island asks for");
});
