//! Probes for load balancers and orchestrators, the drain that comes before shutdown, and the
//! `server healthcheck` client that container runtimes call (the image has no curl).

use axum::{
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sea_orm::DatabaseConnection;
use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

/// Whether this replica is draining: told to stop and waiting for load balancers to notice.
#[derive(Clone, Debug, Default)]
pub struct Readiness {
    draining: Arc<AtomicBool>,
}

impl Readiness {
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }
}

#[derive(Clone)]
pub struct ReadyCheck {
    pub db: DatabaseConnection,
    pub readiness: Readiness,
}

/// Liveness: the process is up and serving requests. Touches nothing else.
pub async fn healthz() -> impl IntoResponse {
    "ok"
}

/// Readiness: not draining, and the database answers within two seconds; 503 otherwise, so a
/// load balancer stops sending shoppers to a replica that cannot serve them or is about to stop.
pub async fn readyz(State(check): State<ReadyCheck>) -> impl IntoResponse {
    if check.readiness.is_draining() {
        return (StatusCode::SERVICE_UNAVAILABLE, "not ready: shutting down");
    }
    match tokio::time::timeout(Duration::from_secs(2), check.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(err)) => {
            tracing::warn!(%err, "not ready: database ping failed");
            (StatusCode::SERVICE_UNAVAILABLE, "not ready: database unavailable")
        }
        Err(_) => {
            tracing::warn!("not ready: database ping timed out");
            (StatusCode::SERVICE_UNAVAILABLE, "not ready: database unavailable")
        }
    }
}

/// While draining, every response asks the client to close its connection, so keep-alive
/// clients open their next connection to a replica that is staying.
pub async fn close_connections_while_draining(
    State(readiness): State<Readiness>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    if readiness.is_draining() {
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// `server healthcheck`: GET `path` on the server listening at `listen_addr` (an unspecified
/// address such as 0.0.0.0 means this host) and succeed on 200.
pub fn probe(listen_addr: SocketAddr, path: &str, timeout: Duration) -> Result<(), String> {
    let mut target = listen_addr;
    if target.ip().is_unspecified() {
        target.set_ip(if target.is_ipv4() { [127, 0, 0, 1].into() } else { std::net::Ipv6Addr::LOCALHOST.into() });
    }
    let mut stream =
        TcpStream::connect_timeout(&target, timeout).map_err(|err| format!("cannot connect to {target}: {err}"))?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|()| stream.set_write_timeout(Some(timeout)))
        .map_err(|err| format!("cannot set timeouts: {err}"))?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {target}\r\nConnection: close\r\n\r\n")
        .map_err(|err| format!("cannot send the request: {err}"))?;
    let mut head = [0_u8; 64];
    let read = stream.read(&mut head).map_err(|err| format!("no answer from {target}: {err}"))?;
    let status_line = String::from_utf8_lossy(&head[..read]);
    let status_line = status_line.lines().next().unwrap_or_default();
    if status_line.starts_with("HTTP/1.1 200") || status_line.starts_with("HTTP/1.0 200") {
        Ok(())
    } else {
        Err(format!("{path} answered {status_line:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// A one-shot server on loopback that answers every connection with `reply`.
    fn answer_once(reply: &'static str) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            if let Ok((mut stream, _)) = listener.accept() {
                // The whole request first: closing with part of it unread resets the connection,
                // and the probe would see that instead of the reply.
                let mut request = Vec::new();
                let mut chunk = [0_u8; 512];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut chunk) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&chunk[..n]),
                    }
                }
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        addr
    }

    #[test]
    fn a_200_answer_is_healthy() {
        let addr = answer_once("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
        assert_eq!(probe(addr, "/healthz", Duration::from_secs(2)), Ok(()));
    }

    #[test]
    fn a_503_answer_is_unhealthy_and_says_what_came_back() {
        let addr = answer_once("HTTP/1.1 503 Service Unavailable\r\n\r\n");
        let error = probe(addr, "/readyz", Duration::from_secs(2)).unwrap_err();
        assert!(error.contains("503"), "{error}");
    }

    #[test]
    fn nobody_listening_is_unhealthy() {
        // Port 1 is privileged and unused here; a freed ephemeral port could be taken by a
        // parallel test's one-shot server.
        let addr = SocketAddr::from(([127, 0, 0, 1], 1));
        assert!(probe(addr, "/healthz", Duration::from_secs(2)).unwrap_err().contains("cannot connect"));
    }

    #[test]
    fn a_server_that_accepts_but_never_answers_is_unhealthy() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let error = probe(listener.local_addr().unwrap(), "/healthz", Duration::from_millis(200)).unwrap_err();
        assert!(error.contains("no answer"), "{error}");
    }

    #[test]
    fn the_unspecified_address_is_probed_on_loopback() {
        let addr = answer_once("HTTP/1.1 200 OK\r\n\r\n");
        let wildcard = SocketAddr::from(([0, 0, 0, 0], addr.port()));
        assert_eq!(probe(wildcard, "/healthz", Duration::from_secs(2)), Ok(()));
    }
}
