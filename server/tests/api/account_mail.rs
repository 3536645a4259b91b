//! Password reset, address confirmation, privacy and the shop's pages over HTTP: what a browser
//! posting the forms (or a script calling the server functions) gets back.

use crate::{
    app_test,
    helpers::{TestApp, link_token},
};
use app::server::testing::{TEST_PASSWORD, form_body};
use app::server::{
    entities::{order, user},
    password::PasswordHasher,
    services::accounts::ensure_admin,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const NEW_PASSWORD: &str = "copper kettles hum beneath winter stars";

/// A browser with its own cookie jar, posting forms as a browser without JavaScript does.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    function: &str,
    pairs: &[(&str, &str)],
) -> reqwest::Response {
    app.form_post_from(client, function, "/").body(form_body(pairs)).send().await.unwrap()
}

async fn call(app: &TestApp, client: &reqwest::Client, function: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
    client
        .post(format!("{}/api/{function}", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form_body(pairs))
        .send()
        .await
        .unwrap()
}

async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let response = client.get(format!("{}{path}", app.address)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

async fn registered(app: &TestApp, email: &str) -> reqwest::Client {
    let client = browser();
    let response =
        call(app, &client, "register", &[("name", "Ada Lovelace"), ("email", email), ("password", TEST_PASSWORD)])
            .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    client
}

async fn signed_in_user(app: &TestApp, client: &reqwest::Client) -> serde_json::Value {
    call(app, client, "current_user", &[]).await.json().await.unwrap()
}

app_test!(forgot_password_gives_one_answer_for_known_and_unknown_addresses, |app| async move {
    registered(&app, "ada@example.com").await;
    let known = post_form(&app, &browser(), "request_password_reset", &[("email", "ada@example.com")]).await;
    let unknown = post_form(&app, &browser(), "request_password_reset", &[("email", "nobody@example.com")]).await;
    assert_eq!(known.status(), unknown.status());
    assert_eq!(location(&known), location(&unknown));
    assert!(location(&known).ends_with("/forgot-password?sent=1"), "{}", location(&known));
    let (known, unknown) = (known.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!(known, unknown);
    app.wait_for_mail("password_reset-").await;
    let resets = app.sent_mail().into_iter().filter(|(name, _)| name.starts_with("password_reset-")).count();
    assert_eq!(resets, 1, "only the known address gets a message");
    let (status, html) = get(&app, &browser(), "/forgot-password?sent=1").await;
    assert_eq!(status, 200);
    assert!(html.contains("If an account uses that address"), "{html}");
});

app_test!(a_mailed_reset_link_sets_a_new_password_signs_in_and_ends_the_old_sessions, |app| async move {
    let old_browser = registered(&app, "ada@example.com").await;
    assert_eq!(signed_in_user(&app, &old_browser).await["email"], "ada@example.com");

    let stranger = browser();
    post_form(&app, &stranger, "request_password_reset", &[("email", "ada@example.com")]).await;
    let (_, mail) = app.wait_for_mail("password_reset-").await;
    assert!(mail.contains("To: ada@example.com"), "{mail}");
    assert!(mail.contains("Content-Type: text/html"), "{mail}");
    let token = link_token(&mail, "/reset-password");
    assert_eq!(token.len(), 43, "32 random bytes: {token}");

    let (status, page) = get(&app, &stranger, &format!("/reset-password?token={token}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Set new password") && page.contains("name=\"token\""), "{page}");
    let weak = call(&app, &stranger, "reset_password", &[("token", &token), ("new_password", "short")]).await;
    assert_eq!(weak.status(), 422);
    let done = post_form(&app, &stranger, "reset_password", &[("token", &token), ("new_password", NEW_PASSWORD)]).await;
    assert_eq!(done.status(), 302);
    assert!(location(&done).ends_with("/account?password=reset"), "{}", location(&done));

    assert_eq!(signed_in_user(&app, &stranger).await["email"], "ada@example.com", "the reset signed this browser in");
    assert!(signed_in_user(&app, &old_browser).await.is_null(), "the old session ended");
    let (_, account) = get(&app, &stranger, "/account?password=reset").await;
    assert!(account.contains("Your new password is set"), "{account}");
    let (status, again) = get(&app, &browser(), &format!("/reset-password?token={token}")).await;
    assert_eq!(status, 422);
    assert!(again.contains("This link is no longer valid"), "{again}");
    let reused = call(&app, &browser(), "reset_password", &[("token", &token), ("new_password", NEW_PASSWORD)]).await;
    assert_eq!(reused.status(), 422);
    let sign_in = call(&app, &browser(), "sign_in", &[("email", "ada@example.com"), ("password", NEW_PASSWORD)]).await;
    assert_eq!(sign_in.status(), 200);
    app.wait_for_mail("password_changed-").await;
});

app_test!(a_broken_or_foreign_link_is_refused_with_a_readable_message, |app| async move {
    let ada = registered(&app, "ada@example.com").await;
    registered(&app, "bob@example.com").await;
    for token in ["", "abc", &"x".repeat(43), &"%".repeat(43), &"a".repeat(5_000)] {
        let response =
            call(&app, &browser(), "reset_password", &[("token", token), ("new_password", NEW_PASSWORD)]).await;
        assert_eq!(response.status(), 422, "{token:?}");
        let body = response.text().await.unwrap();
        assert!(body.contains("no longer valid"), "{body}");
    }
    post_form(&app, &browser(), "request_password_reset", &[("email", "bob@example.com")]).await;
    let (_, mail) = app.wait_for_mail("password_reset-").await;
    let bobs = link_token(&mail, "/reset-password");
    // Signed in as Ada, Bob's link does nothing to either account.
    let response = call(&app, &ada, "reset_password", &[("token", &bobs), ("new_password", NEW_PASSWORD)]).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("another account"));
    assert_eq!(signed_in_user(&app, &ada).await["email"], "ada@example.com");
    let bob = call(&app, &browser(), "sign_in", &[("email", "bob@example.com"), ("password", TEST_PASSWORD)]).await;
    assert_eq!(bob.status(), 200, "Bob's password is unchanged");
});

app_test!(asking_for_reset_links_again_and_again_is_throttled_alike_for_every_address, |app| async move {
    registered(&app, "ada@example.com").await;
    for email in ["ada@example.com", "nobody@example.com"] {
        let mut statuses = Vec::new();
        for _ in 0..5 {
            statuses
                .push(call(&app, &browser(), "request_password_reset", &[("email", email)]).await.status().as_u16());
        }
        assert_eq!(statuses, [200, 200, 200, 429, 429], "{email}");
    }
    let limited = call(&app, &browser(), "request_password_reset", &[("email", "ada@example.com")]).await;
    assert!(limited.headers().contains_key("retry-after"));
    assert!(limited.text().await.unwrap().contains("rate_limited"));
});

app_test!(registering_mails_a_confirmation_that_verifies_the_address_for_the_admin_too, |app| async move {
    let ada = registered(&app, "ada@example.com").await;
    let (_, account) = get(&app, &ada, "/account").await;
    assert!(account.contains("Your e-mail address is not confirmed yet"), "{account}");
    let (_, mail) = app.wait_for_mail("verify_email-").await;
    let token = link_token(&mail, "/confirm-email");
    // Opening the link uses nothing up; the button does.
    let (status, page) = get(&app, &browser(), &format!("/confirm-email?token={token}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Confirm my e-mail address"), "{page}");
    let confirmed = post_form(&app, &ada, "confirm_email", &[("token", &token)]).await;
    assert!(location(&confirmed).ends_with("/account?confirmed=address"), "{}", location(&confirmed));
    let (_, account) = get(&app, &ada, "/account?confirmed=address").await;
    assert!(
        !account.contains("not confirmed yet") && account.contains("your e-mail address is confirmed"),
        "{account}"
    );

    ensure_admin(&app.db.db, &PasswordHasher::new(1), "Ops", "ops@example.com", TEST_PASSWORD).await.unwrap();
    let admin = browser();
    call(&app, &admin, "sign_in", &[("email", "ops@example.com"), ("password", TEST_PASSWORD)]).await;
    let customers: serde_json::Value = call(&app, &admin, "admin_customers", &[]).await.json().await.unwrap();
    let row = customers["items"].as_array().unwrap().iter().find(|row| row["email"] == "ada@example.com").unwrap();
    assert_eq!(row["email_verified"], true);
});

app_test!(a_new_address_waits_for_its_link_and_the_old_one_hears_of_the_change, |app| async move {
    let ada = registered(&app, "ada@example.com").await;
    let response =
        post_form(&app, &ada, "change_email", &[("email", "ada@new.example"), ("current_password", TEST_PASSWORD)])
            .await;
    assert!(location(&response).ends_with("/account?email_change=sent"), "{}", location(&response));
    assert_eq!(signed_in_user(&app, &ada).await["email"], "ada@example.com");
    let (_, account) = get(&app, &ada, "/account").await;
    assert!(account.contains("Waiting for confirmation") && account.contains("ada@new.example"), "{account}");
    let (_, mail) = app.wait_for_mail("confirm_email_change-").await;
    assert!(mail.contains("To: ada@new.example"), "{mail}");
    let token = link_token(&mail, "/confirm-email");
    post_form(&app, &ada, "confirm_email", &[("token", &token)]).await;
    assert_eq!(signed_in_user(&app, &ada).await["email"], "ada@new.example");
    let (_, notice) = app.wait_for_mail("email_changed-").await;
    assert!(notice.contains("To: ada@example.com") && notice.contains("ada@new.example"), "{notice}");
});

app_test!(a_shopper_downloads_their_data_and_only_their_own, |app| async move {
    let (status, _) = get(&app, &browser(), "/account/export").await;
    assert_eq!(status, 303, "signed out: off to sign in");
    let ada = registered(&app, "ada@example.com").await;
    registered(&app, "bob@example.com").await;
    let response = ada.get(format!("{}/account/export", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(response.headers()["cache-control"], "no-store");
    let data: serde_json::Value = response.json().await.unwrap();
    assert_eq!(data["profile"]["email"], "ada@example.com");
    for key in ["addresses", "orders", "devices", "messages"] {
        assert!(data[key].is_array(), "{key}: {data}");
    }
    assert!(!data.to_string().contains("bob@example.com"));
    assert!(!data.to_string().contains("argon2"));
});

app_test!(a_deleted_account_cannot_sign_in_and_its_orders_stay_without_the_person, |app| async move {
    let ada = registered(&app, "ada@example.com").await;
    let product_id = crate::shop::headphones(&app).await.id.to_string();
    call(&app, &ada, "add_to_cart", &[("product_id", &product_id), ("quantity", "1")]).await;
    let key: serde_json::Value = call(&app, &ada, "checkout_key", &[]).await.json().await.unwrap();
    let placed = ada
        .post(format!("{}/api/place_order", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(crate::shop::checkout_form(key.as_str().unwrap(), "payment_method=cash"))
        .send()
        .await
        .unwrap();
    assert!(placed.status().is_success(), "{}", placed.text().await.unwrap());

    let unticked = call(&app, &ada, "delete_account", &[("current_password", TEST_PASSWORD)]).await;
    assert_eq!(unticked.status(), 422);
    let wrong = call(&app, &ada, "delete_account", &[("current_password", "wrong"), ("confirm", "yes")]).await;
    assert_eq!(wrong.status(), 422);
    let deleted =
        post_form(&app, &ada, "delete_account", &[("current_password", TEST_PASSWORD), ("confirm", "yes")]).await;
    assert!(location(&deleted).ends_with("/login?deleted=1"), "{}", location(&deleted));
    assert!(signed_in_user(&app, &ada).await.is_null());
    let (_, login) = get(&app, &browser(), "/login?deleted=1").await;
    assert!(login.contains("Your account has been deleted"), "{login}");
    let sign_in = call(&app, &browser(), "sign_in", &[("email", "ada@example.com"), ("password", TEST_PASSWORD)]).await;
    assert_eq!(sign_in.status(), 401);
    let orders = order::Entity::find().all(&app.db.db).await.unwrap();
    assert_eq!(orders.len(), 1, "the order stays in the books");
    assert!(!orders[0].shipping_address.contains("Ada") && !orders[0].shipping_address.contains("Main Street"));
    let person =
        user::Entity::find().filter(user::Column::Id.eq(orders[0].user_id)).one(&app.db.db).await.unwrap().unwrap();
    assert!(person.deleted_at.is_some() && !person.email.contains("ada"));
});

app_test!(the_shop_pages_are_linked_everywhere_and_the_admin_edits_them_safely, |app| async move {
    let (_, home) = get(&app, &browser(), "/").await;
    for slug in ["terms", "privacy", "returns", "contact"] {
        assert!(home.contains(&format!("href=\"/pages/{slug}\"")), "footer links {slug}");
        let (status, page) = get(&app, &browser(), &format!("/pages/{slug}")).await;
        assert_eq!(status, 200, "{slug}");
        assert!(page.contains("<h1>"), "{page}");
    }
    assert_eq!(get(&app, &browser(), "/pages/nope").await.0, 404);

    let customer = registered(&app, "ada@example.com").await;
    let refused = call(&app, &customer, "save_shop_page", &[("slug", "terms"), ("title", "Mine"), ("body", "x")]).await;
    assert_eq!(refused.status(), 403);
    ensure_admin(&app.db.db, &PasswordHasher::new(1), "Ops", "ops@example.com", TEST_PASSWORD).await.unwrap();
    let admin = browser();
    call(&app, &admin, "sign_in", &[("email", "ops@example.com"), ("password", TEST_PASSWORD)]).await;
    let body = "## Returns\n\n30 days. <script>alert(1)</script>\n\n[Write to us](javascript:alert(1))";
    let saved =
        post_form(&app, &admin, "save_shop_page", &[("slug", "returns"), ("title", "Returns policy"), ("body", body)])
            .await;
    assert!(location(&saved).ends_with("/admin/pages/returns?saved=1"), "{}", location(&saved));
    let (_, page) = get(&app, &browser(), "/pages/returns").await;
    assert!(page.contains("Returns policy") && page.contains("&lt;script&gt;"), "{page}");
    assert!(!page.contains("<script>alert") && !page.contains("href=\"javascript"), "{page}");
    let empty = call(&app, &admin, "save_shop_page", &[("slug", "returns"), ("title", ""), ("body", "")]).await;
    assert_eq!(empty.status(), 422);
});
