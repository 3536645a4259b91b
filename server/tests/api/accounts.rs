//! Accounts over HTTP: sessions, sign-in, lockout, password changes, devices and ownership.
//! Each "browser" here is a reqwest client whose session cookie the test handles itself.

use crate::{app_test, helpers::TestApp};
use app::server::entities::{session, user};
use app::server::testing::{TEST_PASSWORD, form_body};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

const NEW_PASSWORD: &str = "orchard kettle under silver rain";

/// A browser with its own cookie, sent by hand so the test sees every change.
struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    cookie: Option<String>,
    user_agent: &'static str,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp, user_agent: &'static str) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .unwrap();
        Self { app, client, cookie: None, user_agent }
    }

    /// The session id the browser holds.
    fn session_id(&self) -> Option<&str> {
        self.cookie.as_deref().and_then(|cookie| cookie.strip_prefix("session="))
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> reqwest::Response {
        let mut request = request.header("user-agent", self.user_agent);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.expect("request");
        for set_cookie in response.headers().get_all("set-cookie") {
            let pair = set_cookie.to_str().unwrap().split(';').next().unwrap().trim().to_owned();
            if let Some(value) = pair.strip_prefix("session=") {
                self.cookie = (!value.is_empty()).then_some(pair.clone());
            }
        }
        response
    }

    async fn call(&mut self, function: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let body = form_body(form);
        let request = self
            .client
            .post(format!("{}/api/{function}", self.app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    async fn get(&mut self, path: &str) -> reqwest::Response {
        let request = self.client.get(format!("{}{path}", self.app.address)).header("accept", "text/html");
        self.send(request).await
    }

    async fn current_user(&mut self) -> serde_json::Value {
        let response = self.call("current_user", &[]).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    async fn register(&mut self, name: &str, email: &str) {
        let response = self.call("register", &[("name", name), ("email", email), ("password", TEST_PASSWORD)]).await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    }

    async fn sign_in(&mut self, email: &str, password: &str) -> reqwest::Response {
        self.call("sign_in", &[("email", email), ("password", password)]).await
    }

    /// The shop's operator, created as the `ensure_admin` command does and signed in.
    async fn signed_in_admin(app: &'a TestApp) -> Self {
        let hasher = app::server::password::PasswordHasher::new(1);
        app::server::services::accounts::ensure_admin(&app.db.db, &hasher, "Ops", "ops@example.com", TEST_PASSWORD)
            .await
            .unwrap();
        let mut admin = Browser::new(app, "admin");
        assert_eq!(admin.sign_in("ops@example.com", TEST_PASSWORD).await.status(), 200);
        admin
    }

    /// Ada registers in a browser that sends `first` as its user agent and signs in to a second
    /// one that sends `second`: one account, two sessions, both of which have made a request.
    async fn ada_on_two_devices(app: &'a TestApp, first: &'static str, second: &'static str) -> (Self, Self) {
        let mut one = Browser::new(app, first);
        one.register("Ada", "ada@example.com").await;
        let mut two = Browser::new(app, second);
        assert_eq!(two.sign_in("ada@example.com", TEST_PASSWORD).await.status(), 200);
        assert!(two.current_user().await.is_object());
        assert!(one.current_user().await.is_object());
        (one, two)
    }
}

app_test!(registration_signs_in_and_stores_an_owasp_argon2id_hash, |app| async move {
    let mut browser = Browser::new(&app, "test-browser");
    browser.register("Ada Lovelace", "Ada@Example.com").await;
    assert!(browser.session_id().is_some(), "registration starts a session");
    assert_eq!(browser.current_user().await["email"], "ada@example.com");
    let stored = user::Entity::find().one(&app.db.db).await.unwrap().unwrap();
    assert!(stored.password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{}", stored.password_hash);
});

app_test!(the_session_id_changes_on_every_sign_in_and_sign_out_ends_it, |app| async move {
    let mut setup = Browser::new(&app, "setup");
    setup.register("Ada", "ada@example.com").await;

    let mut browser = Browser::new(&app, "test-browser");
    // A session id planted by someone else before sign-in is never the one used after it.
    let planted = "session=AAAAAAAAAAAAAAAAAAAAAA".to_owned();
    browser.cookie = Some(planted.clone());
    assert_eq!(browser.sign_in("ada@example.com", TEST_PASSWORD).await.status(), 200);
    let first = browser.cookie.clone().unwrap();
    assert_ne!(first, planted);

    // Signing in again while signed in renews the id once more; the previous id is dead.
    assert_eq!(browser.sign_in("ada@example.com", TEST_PASSWORD).await.status(), 200);
    let second = browser.cookie.clone().unwrap();
    assert_ne!(second, first);
    let mut old = Browser::new(&app, "thief");
    old.cookie = Some(first);
    assert!(old.current_user().await.is_null(), "the pre-renewal cookie is anonymous");

    // Sign-out deletes the session on the server: replaying the cookie gets nobody.
    let second_id = browser.session_id().unwrap().to_owned();
    assert!(browser.current_user().await.is_object());
    assert_eq!(browser.call("sign_out", &[]).await.status(), 200);
    let mut replay = Browser::new(&app, "thief");
    replay.cookie = Some(second);
    assert!(replay.current_user().await.is_null(), "the signed-out cookie is anonymous");
    let remaining = session::Entity::find_by_id(second_id).one(&app.db.db).await.unwrap();
    assert!(remaining.is_none(), "the session row is gone");
});

app_test!(the_session_cookie_is_http_only_and_same_site_lax, |app| async move {
    let mut browser = Browser::new(&app, "test-browser");
    let response =
        browser.call("register", &[("name", "Ada"), ("email", "ada@example.com"), ("password", TEST_PASSWORD)]).await;
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("session="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.contains("Domain="), "{cookie}");
});

app_test!(changing_the_password_ends_the_other_sessions, |app| async move {
    let (mut laptop, mut phone) = Browser::ada_on_two_devices(&app, "laptop", "phone").await;

    let wrong =
        laptop.call("change_password", &[("current_password", "not it at all"), ("new_password", NEW_PASSWORD)]);
    assert_eq!(wrong.await.status(), 422);
    let before = laptop.cookie.clone();
    let changed =
        laptop.call("change_password", &[("current_password", TEST_PASSWORD), ("new_password", NEW_PASSWORD)]).await;
    assert_eq!(changed.status(), 200);
    assert_ne!(laptop.cookie, before, "the changing session continues under a new id");
    assert!(laptop.current_user().await.is_object(), "the changing session stays signed in");
    assert!(phone.current_user().await.is_null(), "the other session ended");

    let mut fresh = Browser::new(&app, "fresh");
    assert_eq!(fresh.sign_in("ada@example.com", TEST_PASSWORD).await.status(), 401);
    assert_eq!(fresh.sign_in("ada@example.com", NEW_PASSWORD).await.status(), 200);
});

app_test!(the_eleventh_bad_attempt_gets_429_with_retry_after, |app| async move {
    let mut owner = Browser::new(&app, "owner");
    owner.register("Ada", "ada@example.com").await;
    let mut attacker = Browser::new(&app, "attacker");
    for attempt in 1..=10 {
        // A spoofed X-Forwarded-For changes nothing: this peer is not a trusted proxy.
        let request = attacker
            .client
            .post(format!("{}/api/sign_in", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", format!("198.51.100.{attempt}"))
            .body("email=ada%40example.com&password=wrong+guess+number+x");
        let response = attacker.send(request).await;
        assert_eq!(response.status(), 401, "attempt {attempt}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["kind"], "invalid_credentials");
    }
    let locked = attacker.sign_in("ada@example.com", TEST_PASSWORD).await;
    assert_eq!(locked.status(), 429);
    let retry_after: u64 = locked.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    let failures = app::server::entities::failed_sign_in::Entity::find()
        .filter(app::server::entities::failed_sign_in::Column::ClientIp.eq("127.0.0.1"))
        .count(&app.db.db)
        .await
        .unwrap();
    assert_eq!(failures, 10, "failures are recorded against the real peer address");
});

app_test!(account_changes_from_another_site_are_refused, |app| async move {
    let mut browser = Browser::new(&app, "test-browser");
    browser.register("Ada", "ada@example.com").await;
    let forms: [(&str, &str); 5] = [
        ("update_profile", "name=Mallory&phone="),
        ("change_password", "current_password=x&new_password=y"),
        ("sign_out", ""),
        ("sign_in", "email=ada%40example.com&password=x"),
        ("delete_address", "id=1"),
    ];
    for (function, form) in forms {
        for (header, value) in [("origin", "http://evil.example"), ("sec-fetch-site", "cross-site")] {
            let request = browser
                .client
                .post(format!("{}/api/{function}", app.address))
                .header("content-type", "application/x-www-form-urlencoded")
                .header(header, value)
                .body(form);
            assert_eq!(browser.send(request).await.status(), 403, "{function} with {header}: {value}");
        }
    }
    let request = browser
        .client
        .post(format!("{}/api/update_profile", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", app.address.as_str())
        .header("sec-fetch-site", "same-origin")
        .body("name=Ada+Byron&phone=");
    assert_eq!(browser.send(request).await.status(), 200);
    assert_eq!(browser.current_user().await["name"], "Ada Byron");
});

const ADDRESS: [(&str, &str); 8] = [
    ("kind", "shipping"),
    ("full_name", "Ada Lovelace"),
    ("line1", "12 St James's Square"),
    ("city", "London"),
    ("region", "Greater London"),
    ("postal_code", "SW1Y 4JH"),
    ("country", "GB"),
    ("phone", ""),
];

app_test!(another_users_address_answers_404, |app| async move {
    let mut ada = Browser::new(&app, "ada");
    ada.register("Ada", "ada@example.com").await;
    let created = ada.call("save_address", &ADDRESS).await;
    assert_eq!(created.status(), 200);
    let address: serde_json::Value = created.json().await.unwrap();
    let id = address["id"].as_i64().unwrap().to_string();
    assert_eq!(address["is_default"], true, "the first address of a kind is the default");

    let mut mallory = Browser::new(&app, "mallory");
    mallory.register("Mallory", "mallory@example.com").await;
    let mut edit = ADDRESS.to_vec();
    edit.push(("id", &id));
    edit[1] = ("full_name", "Mallory");
    assert_eq!(mallory.call("save_address", &edit).await.status(), 404);
    assert_eq!(mallory.call("delete_address", &[("id", &id)]).await.status(), 404);
    assert_eq!(mallory.call("default_address", &[("id", &id)]).await.status(), 404);
    assert_eq!(mallory.call("delete_address", &[("id", "999999")]).await.status(), 404);
    let mallorys: serde_json::Value = mallory.call("addresses", &[]).await.json().await.unwrap();
    assert_eq!(mallorys.as_array().unwrap().len(), 0);

    let adas: serde_json::Value = ada.call("addresses", &[]).await.json().await.unwrap();
    assert_eq!(adas[0]["full_name"], "Ada Lovelace", "untouched by the other user");

    let mut anonymous = Browser::new(&app, "anonymous");
    assert_eq!(anonymous.call("addresses", &[]).await.status(), 401);
});

app_test!(bad_address_fields_get_422_naming_the_field, |app| async move {
    let mut ada = Browser::new(&app, "ada");
    ada.register("Ada", "ada@example.com").await;
    let mut bad = ADDRESS.to_vec();
    bad[6] = ("country", "Britain");
    let response = ada.call("save_address", &bad).await;
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["field"], "country");
});

app_test!(the_account_page_sends_visitors_to_sign_in_and_back, |app| async move {
    let mut visitor = Browser::new(&app, "visitor");
    let response = visitor.get("/account").await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/login?next=%2Faccount");

    visitor.register("Ada", "ada@example.com").await;
    let page = visitor.get("/account").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for heading in ["Profile", "Password", "Addresses", "Devices"] {
        assert!(html.contains(&format!(">{heading}</h2>")), "{heading}");
    }
});

app_test!(no_javascript_sign_in_redirects_to_the_next_page, |app| async move {
    let mut setup = Browser::new(&app, "setup");
    setup.register("Ada", "ada@example.com").await;
    let mut browser = Browser::new(&app, "no-js");
    let request = app
        .form_post_from(&browser.client, "sign_in", "/login?next=%2Fproducts")
        .body(format!("email=ada%40example.com&password={}&next=%2Fproducts", TEST_PASSWORD.replace(' ', "+")));
    let response = browser.send(request).await;
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/products");
    // An outside "next" is ignored.
    let request = app.form_post_from(&browser.client, "sign_in", "/login").body(format!(
        "email=ada%40example.com&password={}&next=https%3A%2F%2Fevil.example",
        TEST_PASSWORD.replace(' ', "+")
    ));
    assert_eq!(browser.send(request).await.headers()["location"], "/account");
});

app_test!(devices_list_each_session_and_can_be_signed_out, |app| async move {
    // Activity is recorded on the first request under each new session id.
    let (mut laptop, mut phone) = Browser::ada_on_two_devices(
        &app,
        "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1",
    )
    .await;

    let devices: serde_json::Value = laptop.call("devices", &[]).await.json().await.unwrap();
    let devices = devices.as_array().unwrap().clone();
    assert_eq!(devices.len(), 2, "{devices:?}");
    let current: Vec<_> = devices.iter().filter(|d| d["is_current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert!(current[0]["user_agent"].as_str().unwrap().contains("Linux"));
    assert_eq!(current[0]["client_ip"], "127.0.0.1");
    let phone_device = devices.iter().find(|d| d["is_current"] == false).unwrap()["id"].to_string();

    let mut mallory = Browser::new(&app, "mallory");
    mallory.register("Mallory", "mallory@example.com").await;
    assert_eq!(mallory.call("sign_out_device", &[("id", &phone_device)]).await.status(), 404);
    assert!(phone.current_user().await.is_object(), "someone else cannot end it");

    assert_eq!(laptop.call("sign_out_device", &[("id", &phone_device)]).await.status(), 200);
    assert!(phone.current_user().await.is_null(), "the phone is signed out");
    let devices: serde_json::Value = laptop.call("devices", &[]).await.json().await.unwrap();
    assert_eq!(devices.as_array().unwrap().len(), 1);
});

app_test!(admin_functions_need_an_admin, |app| async move {
    let mut anonymous = Browser::new(&app, "anonymous");
    assert_eq!(anonymous.call("active_users", &[("minutes", "5")]).await.status(), 401);
    let mut customer = Browser::new(&app, "customer");
    customer.register("Ada", "ada@example.com").await;
    assert_eq!(customer.call("active_users", &[("minutes", "5")]).await.status(), 403);

    let mut admin = Browser::signed_in_admin(&app).await;
    let response = admin.call("active_users", &[("minutes", "5")]).await;
    assert_eq!(response.status(), 200);
    // Ada (signed in, seen when she registered and asked) and this admin session, at most.
    let active: u64 = response.json().await.unwrap();
    assert!((1..=2).contains(&active), "{active}");
    assert_eq!(admin.call("active_users", &[("minutes", "0")]).await.status(), 422);
});

#[tokio::test]
async fn production_session_cookies_are_secure_and_host_prefixed() {
    let app =
        crate::helpers::spawn_app_with(app::server::testing::Backend::Sqlite, &[("APP_ENV", "prod")]).await.unwrap();
    let response = app
        .call("register", &format!("name=Ada&email=ada%40example.com&password={}", TEST_PASSWORD.replace(' ', "+")))
        .await;
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-session="), "{cookie}");
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.contains("Domain="), "{cookie}");
}

app_test!(a_sign_in_older_than_the_absolute_lifetime_ends_however_active, |app| async move {
    let mut browser = Browser::new(&app, "test-browser");
    browser.register("Ada", "ada@example.com").await;
    assert!(browser.current_user().await.is_object());
    // Age the sign-in past the 12-hour default by rewriting when it happened.
    let id = browser.session_id().unwrap().to_owned();
    let row = session::Entity::find_by_id(id.clone()).one(&app.db.db).await.unwrap().unwrap();
    let mut data: serde_json::Value = serde_json::from_str(&row.data).unwrap();
    let thirteen_hours_ago = chrono::Utc::now().timestamp() - 13 * 3600;
    data["signed_in_at"] = serde_json::json!(thirteen_hours_ago);
    let mut aged: session::ActiveModel = row.into();
    aged.data = sea_orm::ActiveValue::Set(data.to_string());
    sea_orm::ActiveModelTrait::update(aged, &app.db.db).await.unwrap();

    assert!(browser.current_user().await.is_null(), "the old sign-in no longer counts");
    assert!(session::Entity::find_by_id(id).one(&app.db.db).await.unwrap().is_none(), "and its session is gone");
});

app_test!(the_admin_page_is_for_admins_only, |app| async move {
    let mut visitor = Browser::new(&app, "visitor");
    let response = visitor.get("/admin").await;
    assert_eq!(response.status(), 404, "the back office does not announce itself");

    let mut customer = Browser::new(&app, "customer");
    customer.register("Ada", "ada@example.com").await;
    let response = customer.get("/admin").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("Page not found"), "{html}");
    assert!(!html.contains("active-users"));

    let mut admin = Browser::signed_in_admin(&app).await;
    let response = admin.get("/admin").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("data-testid=\"active-users\""), "{html}");
    assert!(html.contains(">Admin</a>"), "admins get a header link");
});
