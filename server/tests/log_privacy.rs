//! The links in reset and confirmation mails are bearer secrets: whoever reads one can use it.
//! They must never reach a log, at any level the server logs at. Its own test binary, because it
//! installs the process's log subscriber.

#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;

use app::server::{
    services::account_links::token_hash,
    testing::{Backend, form_body},
};
use std::{
    io::Write,
    sync::{Arc, Mutex},
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

#[tokio::test]
async fn reset_and_confirmation_links_never_reach_the_log() {
    let captured = Captured::default();
    // Everything the server writes at debug and above; the test's own HTTP client is left out.
    tracing_subscriber::fmt()
        .with_env_filter("debug,reqwest=off,hyper_util=off,hyper=off,h2=off")
        .with_writer(captured.clone())
        .with_ansi(false)
        .init();
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

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("password reset link queued") && log.contains("e-mail sent"), "the capture works: {log}");
    assert!(log.contains("/reset-password"), "the requests themselves are logged");
    for token in [&verify, &reset] {
        assert!(!log.contains(token.as_str()), "a link token reached the log");
        assert!(!log.contains(&token_hash(token)), "a token's hash reached the log");
    }
    assert!(!log.contains("token="), "no link reached the log");
}
