//! Graceful shutdown of the real binary: SIGTERM while a slow download is in flight.

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
        .stdout(Stdio::null())
        .spawn()
        .unwrap();

    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let started = Instant::now();
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

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
