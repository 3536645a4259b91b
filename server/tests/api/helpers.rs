use app::server::{
    monitoring::{SimulatorClock, SimulatorHandle},
    testing::{Backend, TestDb},
};
use server::{Application, Settings};
use std::{collections::HashMap, path::PathBuf};

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: TestDb,
    /// Where this server writes order e-mails (no SMTP in tests).
    pub mail_dir: PathBuf,
    /// Where this server stores uploaded images.
    pub upload_dir: PathBuf,
    /// The server's simulator, on a manual clock: it moves only when a test calls `tick`.
    pub simulator: SimulatorHandle,
    shutdown: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

pub fn public_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public")
}

/// Starts the shop on a free port over a fresh database. `None` when the backend is
/// PostgreSQL and no test server is configured.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, &[]).await
}

pub async fn spawn_app_with(backend: Backend, extra: &[(&str, &str)]) -> Option<TestApp> {
    if std::env::var("TEST_LOG").is_ok() {
        server::telemetry::init(server::config::Environment::Dev, "info");
    }
    let db = TestDb::new(backend).await?;
    Some(start_on(db, extra).await)
}

/// Starts the shop over an existing test database.
async fn start_on(db: TestDb, extra: &[(&str, &str)]) -> TestApp {
    let run = uuid::Uuid::new_v4().simple();
    let mail_dir = std::env::temp_dir().join(format!("cloudscale-test-mail-{run}"));
    let upload_dir = std::env::temp_dir().join(format!("cloudscale-test-uploads-{run}"));
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".into(), db.settings.url.clone()),
        ("LEPTOS_SITE_ADDR".into(), "127.0.0.1:0".into()),
        ("LEPTOS_SITE_ROOT".into(), public_dir().display().to_string()),
        ("DB_MAX_CONNECTIONS".into(), "4".into()),
        ("MAIL_DIR".into(), mail_dir.display().to_string()),
        ("UPLOAD_DIR".into(), upload_dir.display().to_string()),
        // No load balancer to wait for: stop at once (the drain has tests of its own).
        ("SHUTDOWN_DRAIN_SECS".into(), "0".into()),
    ]);
    for (key, value) in extra {
        vars.insert((*key).into(), (*value).into());
    }
    let mut settings = Settings::from_lookup(|key| vars.get(key).cloned()).expect("valid test settings");
    settings.simulator_clock = SimulatorClock::Manual;
    let app = Application::build(settings).await.expect("the application starts");
    let simulator = app.simulator();
    let address = format!("http://127.0.0.1:{}", app.port());
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        // A hung request fails its test instead of stalling the whole run.
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap();
    TestApp { address, client, db, mail_dir, upload_dir, simulator, shutdown, server }
}

impl TestApp {
    /// Stops this server and starts a new one over the same database, as a deploy would.
    pub async fn restart(self) -> TestApp {
        let TestApp { db, shutdown, server, .. } = self;
        drop(shutdown);
        // The old server must be gone first: on SQLite it holds the file's one-server lock.
        server.await.expect("the old server task ends").expect("the old server stops cleanly");
        start_on(db, &[]).await
    }

    /// Stops this server the way SIGTERM does and waits until it has stopped.
    pub async fn stop(self) {
        let TestApp { shutdown, server, .. } = self;
        drop(shutdown);
        server.await.expect("the server task ends").expect("the server stops cleanly");
    }

    /// Moves the simulator on by `count` ticks (half a second of real time each), waiting until
    /// each tick's frame is published.
    pub async fn tick(&self, count: usize) {
        for _ in 0..count {
            assert!(self.simulator.tick().await, "the simulator is running");
        }
    }

    /// The `.eml` files written so far, as (file name, contents).
    pub fn sent_mail(&self) -> Vec<(String, String)> {
        let Ok(entries) = std::fs::read_dir(&self.mail_dir) else { return Vec::new() };
        let mut mail: Vec<(String, String)> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".eml"))
            .map(|name| {
                let text = std::fs::read_to_string(self.mail_dir.join(&name)).unwrap_or_default();
                (name, text)
            })
            .collect();
        mail.sort();
        mail
    }

    /// The first `.eml` file whose name starts with `prefix` (a kind, or an order number), waiting
    /// for the e-mail worker (woken by whatever queued it) for up to ten seconds.
    pub async fn wait_for_mail(&self, prefix: &str) -> (String, String) {
        for _ in 0..100 {
            if let Some(found) = self.sent_mail().into_iter().find(|(name, _)| name.starts_with(prefix)) {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no {prefix}* mail in {:?}", self.sent_mail().into_iter().map(|(name, _)| name).collect::<Vec<_>>());
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("GET request")
    }

    /// A form post to server function `function` as a browser without JavaScript sends it, from
    /// the page at `from` (a path): it asks for HTML, so the answer is a redirect back. Add the
    /// body and send it with `client`'s cookies.
    pub fn form_post_from(&self, client: &reqwest::Client, function: &str, from: &str) -> reqwest::RequestBuilder {
        client
            .post(format!("{}/api/{function}", self.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("referer", format!("{}{from}", self.address))
    }

    /// Calls a server function the way the browser does: a form-encoded POST to /api/<name>.
    pub async fn call(&self, function: &str, form: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/api/{function}", self.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.to_owned())
            .send()
            .await
            .expect("server function request")
    }
}

/// The token of the first `<path>?token=…` link in a message (its text part is
/// quoted-printable: soft line breaks and `=3D` are undone first).
pub fn link_token(message: &str, path: &str) -> String {
    let text = message.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=");
    let marker = format!("{path}?token=");
    let start = text.find(&marker).unwrap_or_else(|| panic!("no {marker} link in {text}")) + marker.len();
    text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// How many product cards an HTML page holds.
pub fn count_cards(html: &str) -> usize {
    html.matches("<article class=\"product-card\"").count()
}

/// Product cards inside the `<section>` labelled by the heading with this id.
pub fn count_cards_in_section(html: &str, heading_id: &str) -> usize {
    let start = html.find(&format!("id=\"{heading_id}\"")).unwrap_or_else(|| panic!("no #{heading_id} in the page"));
    let section = &html[start..];
    let end = section.find("</section>").unwrap_or(section.len());
    count_cards(&section[..end])
}

/// Runs an HTTP test once per backend: `app_test!(name, |app| async move { ... })`.
#[macro_export]
macro_rules! app_test {
    ($name:ident, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: $crate::helpers::TestApp) {
                $body.await
            }

            #[tokio::test]
            async fn on_sqlite() {
                let app = $crate::helpers::spawn_app(app::server::testing::Backend::Sqlite).await.unwrap();
                run(app).await;
            }

            #[tokio::test]
            #[ignore = "PostgreSQL: set TEST_DATABASE_URL and pass --include-ignored"]
            async fn on_postgres() {
                let app = $crate::helpers::spawn_app(app::server::testing::Backend::Postgres).await;
                run(app.expect(app::server::testing::POSTGRES_ONLY)).await;
            }
        }
    };
}
