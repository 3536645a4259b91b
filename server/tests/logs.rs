//! What the server writes to its log, captured in memory at debug level: no mailed link ever
//! reaches it, and a start and the first pages log no error. Its own test binary, because it
//! installs the process's log subscriber (once, shared by the tests below, which therefore read
//! each other's lines too: an error logged by either fails the error test).

#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;

use app::server::{
    services::account_links::token_hash,
    testing::{Backend, form_body},
};
use std::{
    io::Write,
    sync::{Arc, Mutex, OnceLock},
};

/// Everything logged, kept in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// The process's log so far: everything the server writes at debug and above (the tests' own
/// HTTP client left out), from the first call on.
fn captured() -> &'static Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED.get_or_init(|| {
        let captured = Captured::default();
        tracing_subscriber::fmt()
            .with_env_filter("debug,reqwest=off,hyper_util=off,hyper=off,h2=off")
            .with_writer(captured.clone())
            .with_ansi(false)
            .init();
        captured
    })
}

/// At start the server discovers its routes by rendering the whole app once, outside any
/// request: a component there that reads the request's context logs an internal error on every
/// start (it happened once, and only the API contract check noticed). Nor may the pages a
/// visitor opens first log one.
#[tokio::test]
async fn a_start_and_the_first_pages_log_no_error() {
    let log = captured();
    let app = helpers::spawn_app(Backend::Sqlite).await.unwrap();
    for path in ["/", "/products", "/products?category=audio", "/products/aurora-wireless-headphones", "/login"] {
        assert_eq!(app.get(path).await.status(), 200, "{path}");
    }
    for path in ["/monitoring", "/cart", "/no-such-page"] {
        assert!(app.get(path).await.status().as_u16() < 500, "{path}");
    }
    let log = log.text();
    assert!(log.contains("listening") && log.contains("/products/aurora-wireless-headphones"), "the capture works");
    let errors: Vec<&str> = log.lines().filter(|line| line.contains(" ERROR ")).collect();
    assert!(errors.is_empty(), "errors logged: {errors:#?}");
}

#[tokio::test]
async fn reset_and_confirmation_links_never_reach_the_log() {
    let captured = captured();
    let app = helpers::spawn_app(Backend::Sqlite).await.unwrap();
    let password = app::server::testing::TEST_PASSWORD;
    let register = form_body(&[("name", "Ada Lovelace"), ("email", "ada@example.com"), ("password", password)]);
    assert_eq!(app.call("register", &register).await.status(), 200);
    let (_, verify_mail) = app.wait_for_mail("verify_email-").await;
    let verify = helpers::link_token(&verify_mail, "/confirm-email");
    app.call("request_password_reset", &form_body(&[("email", "ada@example.com")])).await;
    let (_, reset_mail) = app.wait_for_mail("password_reset-").await;
    let reset = helpers::link_token(&reset_mail, "/reset-password");

    // Open both links, fail once, then use both.
    assert_eq!(app.get(&format!("/confirm-email?token={verify}")).await.status(), 200);
    assert_eq!(app.get(&format!("/reset-password?token={reset}")).await.status(), 200);
    let weak = app.call("reset_password", &form_body(&[("token", &reset), ("new_password", "short")])).await;
    assert_eq!(weak.status(), 422);
    assert_eq!(app.call("confirm_email", &form_body(&[("token", &verify)])).await.status(), 200);
    let new_password = "copper kettles hum beneath winter stars";
    assert_eq!(
        app.call("reset_password", &form_body(&[("token", &reset), ("new_password", new_password)])).await.status(),
        200
    );
    // A used link, refused.
    assert_eq!(app.get(&format!("/reset-password?token={reset}")).await.status(), 422);
    app.wait_for_mail("password_changed-").await;

    let log = captured.text();
    assert!(log.contains("password reset link queued") && log.contains("e-mail sent"), "the capture works: {log}");
    assert!(log.contains("/reset-password"), "the requests themselves are logged");
    for token in [&verify, &reset] {
        assert!(!log.contains(token.as_str()), "a link token reached the log");
        assert!(!log.contains(&token_hash(token)), "a token's hash reached the log");
    }
    assert!(!log.contains("token="), "no link reached the log");
}
