//! The real binary's lifecycle: graceful shutdown with a slow download in flight, the drain
//! that reports not-ready before stopping, the healthcheck subcommand, and the one-server rule
//! for a SQLite file.

use std::{
    io::Write,
    net::TcpListener,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test]
async fn sigterm_lets_an_in_flight_request_finish_and_exits_zero() {
    let dir = std::env::temp_dir().join(format!("cloudscale-shutdown-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("site/pkg")).unwrap();
    // Incompressible bytes (so the transfer stays large) in a type that is not compressed.
    let size = 8 * 1024 * 1024;
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let bytes: Vec<u8> = (0..size)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    std::fs::File::create(dir.join("site/pkg/big.png")).unwrap().write_all(&bytes).unwrap();

    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("DATABASE_URL", format!("sqlite://{}/shop.db", dir.display()))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", dir.join("site"))
        .env("RUST_LOG", "warn")
        .env("SHUTDOWN_DRAIN_SECS", "0")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();

    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    wait_until_serving(&client, &base).await;

    let mut response = client.get(format!("{base}/pkg/big.png")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let mut received = response.chunk().await.unwrap().unwrap().len();

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());

    // Read the rest slowly: the server must keep serving this request after SIGTERM.
    let mut reads = 0;
    while let Some(chunk) = response.chunk().await.expect("the response is not cut off") {
        received += chunk.len();
        reads += 1;
        if reads % 16 == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    assert_eq!(received, size);

    let exit = tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap();
    assert!(exit.success(), "exit status {exit:?}");
    assert!(client.get(format!("{base}/healthz")).send().await.is_err(), "still accepting after shutdown");
    let _ = std::fs::remove_dir_all(dir);
}

async fn wait_until_serving(client: &reqwest::Client, base: &str) {
    let started = Instant::now();
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A server on a fresh SQLite file in `dir`, with the shop's real site folder.
fn start_server(dir: &std::path::Path, port: u16, drain_secs: u32) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .env("DATABASE_URL", format!("sqlite://{}/shop.db", dir.display()))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", crate::helpers::public_dir())
        .env("MAIL_DIR", dir.join("mail"))
        .env("RUST_LOG", "warn")
        .env("SHUTDOWN_DRAIN_SECS", drain_secs.to_string())
        // The log (warnings and errors only) goes to standard output.
        .stdout(Stdio::piped())
        .spawn()
        .unwrap()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cloudscale-{name}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn healthcheck(port: u16, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("healthcheck")
        .args(args)
        .env("LEPTOS_SITE_ADDR", format!("0.0.0.0:{port}"))
        .output()
        .unwrap()
}

#[tokio::test]
async fn after_sigterm_readyz_says_503_while_pages_are_still_served_then_the_server_exits() {
    let dir = temp_dir("drain");
    let port = free_port();
    let mut child = start_server(&dir, port, 3);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    wait_until_serving(&client, &base).await;
    assert_eq!(client.get(format!("{base}/readyz")).send().await.unwrap().status(), 200);
    assert!(healthcheck(port, &["--ready"]).status.success());

    let sent_term = Instant::now();
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    tokio::time::sleep(Duration::from_millis(300)).await;

    let ready = client.get(format!("{base}/readyz")).send().await.expect("still listening while draining");
    assert_eq!(ready.status(), 503);
    assert_eq!(ready.text().await.unwrap(), "not ready: shutting down");
    let page = client.get(format!("{base}/products")).send().await.expect("pages are still served");
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["connection"], "close", "keep-alive clients are told to go elsewhere");
    assert!(healthcheck(port, &[]).status.success(), "alive while draining");
    assert!(!healthcheck(port, &["--ready"]).status.success(), "not ready while draining");

    let exit = tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap();
    assert!(exit.success(), "exit status {exit:?}");
    let stopped_after = sent_term.elapsed();
    assert!(stopped_after >= Duration::from_secs(3), "stopped after {stopped_after:?}, before the drain ended");
    assert!(client.get(format!("{base}/healthz")).send().await.is_err(), "still accepting after shutdown");
    let unhealthy = healthcheck(port, &[]);
    assert_eq!(unhealthy.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unhealthy.stderr).contains("unhealthy"));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_second_server_on_the_same_sqlite_file_refuses_to_start_and_names_postgresql() {
    let dir = temp_dir("one-sqlite");
    let first_port = free_port();
    let mut first = start_server(&dir, first_port, 0);
    let client = reqwest::Client::new();
    wait_until_serving(&client, &format!("http://127.0.0.1:{first_port}")).await;

    let second = start_server(&dir, free_port(), 0);
    let output = tokio::task::spawn_blocking(move || second.wait_with_output()).await.unwrap().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let log = String::from_utf8_lossy(&output.stdout);
    assert!(log.contains("already using the SQLite database") && log.contains("PostgreSQL"), "{log}");
    assert_eq!(
        client.get(format!("http://127.0.0.1:{first_port}/readyz")).send().await.unwrap().status(),
        200,
        "the first server is untouched"
    );

    // Once the first has stopped, the file is free again.
    assert!(Command::new("kill").args(["-TERM", &first.id().to_string()]).status().unwrap().success());
    assert!(tokio::task::spawn_blocking(move || first.wait()).await.unwrap().unwrap().success());
    let third_port = free_port();
    let mut third = start_server(&dir, third_port, 0);
    wait_until_serving(&client, &format!("http://127.0.0.1:{third_port}")).await;
    third.kill().unwrap();
    third.wait().unwrap();
    let _ = std::fs::remove_dir_all(dir);
}
