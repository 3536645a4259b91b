//! The connection layer over raw sockets: keep-alive across parked rounds, pipelining,
//! `Connection: close`, responses written whole to a slow reader, and shutdown with idle
//! connections open.

use crate::helpers::{TestApp, spawn_app};
use app::server::testing::Backend;
use std::time::Duration;
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

/// Connection tests do not depend on the database; SQLite starts fastest.
async fn shop() -> TestApp {
    spawn_app(Backend::Sqlite).await.expect("SQLite needs no configuration")
}

async fn connect(app: &TestApp) -> BufReader<TcpStream> {
    connect_with_window(app, None).await
}

/// A small receive buffer keeps the TCP window small, so a page larger than it makes the
/// server's writes wait for the reader.
async fn connect_with_window(app: &TestApp, receive_buffer: Option<u32>) -> BufReader<TcpStream> {
    let address = app.address.trim_start_matches("http://").parse().unwrap();
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    if let Some(size) = receive_buffer {
        socket.set_recv_buffer_size(size).unwrap();
    }
    BufReader::with_capacity(1024, socket.connect(address).await.expect("the shop accepts a connection"))
}

fn get(path: &str, extra: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: shop.test\r\n{extra}\r\n")
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }
}

/// Reads one response (Content-Length or chunked), optionally pausing between reads of `step`
/// bytes so the server's writes back up.
async fn read_answer(stream: &mut BufReader<TcpStream>, slow: Option<(usize, Duration)>) -> Answer {
    let mut line = String::new();
    stream.read_line(&mut line).await.unwrap();
    let status =
        line.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or_else(|| panic!("status line {line:?}"));
    let mut headers = Vec::new();
    loop {
        line.clear();
        stream.read_line(&mut line).await.unwrap();
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        let (key, value) = trimmed.split_once(':').expect("a header line");
        headers.push((key.trim().to_owned(), value.trim().to_owned()));
    }
    let mut answer = Answer { status, headers, body: Vec::new() };
    if let Some(length) = answer.header("content-length").map(|v| v.parse::<usize>().unwrap()) {
        answer.body = read_exact_slowly(stream, length, slow).await;
    } else if answer.header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        loop {
            line.clear();
            stream.read_line(&mut line).await.unwrap();
            let size = usize::from_str_radix(line.trim_end(), 16).expect("a chunk size");
            let chunk = read_exact_slowly(stream, size, slow).await;
            answer.body.extend_from_slice(&chunk);
            let mut crlf = [0u8; 2];
            stream.read_exact(&mut crlf).await.unwrap();
            if size == 0 {
                break;
            }
        }
    }
    answer
}

async fn read_exact_slowly(
    stream: &mut BufReader<TcpStream>,
    length: usize,
    slow: Option<(usize, Duration)>,
) -> Vec<u8> {
    let mut body = vec![0u8; length];
    let step = slow.map_or(length.max(1), |(step, _)| step);
    for part in body.chunks_mut(step) {
        stream.read_exact(part).await.unwrap();
        if let Some((_, pause)) = slow {
            tokio::time::sleep(pause).await;
        }
    }
    body
}

/// Sends one request on the connection and reads its answer.
async fn ask(stream: &mut BufReader<TcpStream>, request: &str) -> Answer {
    stream.get_mut().write_all(request.as_bytes()).await.unwrap();
    read_answer(stream, None).await
}

/// True when the server has closed its side: a read returns end-of-stream, not a timeout.
async fn closed_by_server(stream: &mut BufReader<TcpStream>) -> bool {
    let mut rest = Vec::new();
    matches!(tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut rest)).await, Ok(Ok(0)))
}

#[tokio::test]
async fn one_connection_serves_request_after_request() {
    let app = shop().await;
    let mut stream = connect(&app).await;
    for round in 0..5 {
        let answer = ask(&mut stream, &get("/healthz", "")).await;
        assert_eq!((answer.status, answer.body.as_slice()), (200, b"ok".as_slice()), "request {round}");
    }
    // A page with a body larger than hyper's buffers, then a small one, on the same socket.
    let page = ask(&mut stream, &get("/products", "")).await;
    assert_eq!(page.status, 200);
    assert!(String::from_utf8_lossy(&page.body).contains("</html>"));
    assert_eq!(ask(&mut stream, &get("/healthz", "")).await.status, 200);
}

#[tokio::test]
async fn pipelined_requests_are_answered_in_order() {
    let app = shop().await;
    let mut stream = connect(&app).await;
    let pipelined = [get("/healthz", ""), get("/nope", ""), get("/readyz", "")].concat();
    stream.get_mut().write_all(pipelined.as_bytes()).await.unwrap();
    let statuses = [
        read_answer(&mut stream, None).await,
        read_answer(&mut stream, None).await,
        read_answer(&mut stream, None).await,
    ]
    .map(|answer| (answer.status, String::from_utf8_lossy(&answer.body).into_owned()));
    assert_eq!((statuses[0].0, statuses[0].1.as_str()), (200, "ok"));
    assert_eq!(statuses[1].0, 404);
    assert_eq!((statuses[2].0, statuses[2].1.as_str()), (200, "ready"));
    // And the connection is still good for more.
    assert_eq!(ask(&mut stream, &get("/healthz", "")).await.status, 200);
}

#[tokio::test]
async fn a_client_that_asks_to_close_gets_its_answer_then_the_end_of_the_stream() {
    let app = shop().await;
    let mut stream = connect(&app).await;
    let answer = ask(&mut stream, &get("/healthz", "Connection: close\r\n")).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("connection"), Some("close"));
    assert!(closed_by_server(&mut stream).await, "the server closes after a Connection: close request");
}

#[tokio::test]
async fn an_http_1_0_client_is_answered_and_the_connection_closed() {
    let app = shop().await;
    let mut stream = connect(&app).await;
    stream.get_mut().write_all(b"GET /healthz HTTP/1.0\r\nHost: shop.test\r\n\r\n").await.unwrap();
    let answer = read_answer(&mut stream, None).await;
    assert_eq!((answer.status, answer.body.as_slice()), (200, b"ok".as_slice()));
    assert!(closed_by_server(&mut stream).await, "HTTP/1.0 without keep-alive closes");
}

#[tokio::test]
async fn a_slow_reader_gets_every_byte_and_keeps_its_connection() {
    let app = shop().await;
    let whole = {
        let mut fast = connect(&app).await;
        ask(&mut fast, &get("/?shown=48", "")).await.body
    };
    assert!(whole.len() > 40_000, "a page far larger than the reader's window ({} bytes)", whole.len());
    let mut stream = connect_with_window(&app, Some(4096)).await;
    stream.get_mut().write_all(get("/?shown=48", "").as_bytes()).await.unwrap();
    let slow = read_answer(&mut stream, Some((1024, Duration::from_millis(2)))).await;
    assert_eq!(slow.status, 200);
    assert_eq!(slow.body.len(), whole.len(), "the slow reader gets the whole page");
    assert_eq!(ask(&mut stream, &get("/healthz", "")).await.status, 200);
}

#[tokio::test]
async fn stopping_the_server_closes_idle_keep_alive_connections() {
    let app = shop().await;
    let mut idle = connect(&app).await;
    assert_eq!(ask(&mut idle, &get("/healthz", "")).await.status, 200);
    let never_asked = connect(&app).await;
    tokio::time::timeout(Duration::from_secs(10), app.stop())
        .await
        .expect("idle connections do not hold up the shutdown");
    assert!(closed_by_server(&mut idle).await);
    drop(never_asked);
}

/// The gauge's value in a `/metrics` text.
fn gauge(metrics: &str, name: &str) -> usize {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("{name} in /metrics"))
}

#[tokio::test]
async fn a_connection_waiting_for_its_next_request_is_parked_outside_hyper() {
    let app = shop().await;
    let mut idle = connect(&app).await;
    assert_eq!(ask(&mut idle, &get("/?shown=48", "")).await.status, 200);
    // The round ends just after the last flush; give it a moment rather than assume it.
    let mut seen = (0, 0);
    for _ in 0..100 {
        let metrics = app.get("/metrics").await.text().await.unwrap();
        seen = (
            gauge(&metrics, "cloudscale_http_connections_open"),
            gauge(&metrics, "cloudscale_http_connections_serving"),
        );
        if seen == (2, 1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(seen, (2, 1), "(open, serving): the idle connection and the one asking for /metrics");
    // The parked connection still answers.
    assert_eq!(ask(&mut idle, &get("/healthz", "")).await.status, 200);
}
