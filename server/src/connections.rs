//! The HTTP/1.1 connection layer: accepts connections, serves each with hyper, and keeps an idle
//! keep-alive connection as a bare socket between requests.
//!
//! Why not `axum::serve`: hyper keeps about 20 KB per connection once it has served a request (an
//! 8 KiB read buffer, an 8 KiB header buffer and a header map kept for reuse) until the
//! connection closes, and none of it is configurable. At 10,000 open keep-alive connections that
//! was 200 MB of a 244 MiB peak. Here hyper serves a connection only while a request is on it:
//! once every response is written and flushed and the socket has nothing more to read, the
//! connection's read side reports end-of-stream to hyper, hyper finishes without closing the
//! socket (`poll_without_shutdown`), its buffers are freed, and the socket waits in the kernel
//! until its next request arrives. A parked connection costs its task and its socket.
//!
//! What a client sees is unchanged: keep-alive, pipelining (requests already read stay in the
//! handed-back buffer), `Connection: close` in either direction, and a graceful shutdown that
//! lets requests in flight finish and closes idle connections at once. HTTP/2 is not served (the
//! load balancers in front speak HTTP/1.1 to the shop).

use axum::{Router, extract::ConnectInfo};
use bytes::{Buf, Bytes};
use http::{HeaderMap, Request, Response, Version, header::CONNECTION};
use hyper::{body::Incoming, server::conn::http1, service::service_fn};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::{
    convert::Infallible,
    future::{Future, poll_fn},
    io,
    net::SocketAddr,
    pin::{Pin, pin},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    task::{Context, Poll, ready},
    time::Duration,
};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::watch,
};
use tower::ServiceExt;

/// How long a parked connection may stay silent before the shop closes it. Longer than the
/// load balancer's idle timeout (60 s on an AWS ALB), so the balancer is the side that closes
/// and never sends a request into a connection the shop is closing.
pub const KEEP_ALIVE_IDLE: Duration = Duration::from_secs(75);

/// How long a round waits for the next request before parking. Parking and waking cost a new
/// hyper connection and an extra wait on the socket; a client that sends request after request
/// (a browser loading a page's assets, a load balancer's busy connection) stays in hyper.
const LINGER: Duration = Duration::from_millis(2);

/// How long a client may take to send a request's head once it has started.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How many connections are open, and how many of them hyper is serving (the rest are parked),
/// for `/metrics`.
#[derive(Debug, Default)]
pub struct ConnectionStats {
    open: AtomicUsize,
    serving: AtomicUsize,
}

impl ConnectionStats {
    pub fn open(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    pub fn serving(&self) -> usize {
        self.serving.load(Ordering::Relaxed)
    }
}

/// Decrements a gauge when dropped, however the connection ends.
struct Counted<'a>(&'a AtomicUsize);

impl<'a> Counted<'a> {
    fn new(gauge: &'a AtomicUsize) -> Self {
        gauge.fetch_add(1, Ordering::Relaxed);
        Self(gauge)
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then stops accepting, closes idle
/// connections and waits for the ones with a request in flight to finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    stats: Arc<ConnectionStats>,
    shutdown: impl Future<Output = ()>,
) {
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT).keep_alive(true);
    let http = Arc::new(http);
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    accept_failed(err).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Responses are written whole; nothing gains from Nagle's delay.
        let _ = stream.set_nodelay(true);
        let connection = Connection {
            router: router.clone(),
            http: http.clone(),
            peer,
            stop: stop_rx.clone(),
            stats: stats.clone(),
        };
        tokio::spawn(connection.run(stream));
    }
    drop((listener, stop_rx));
    let _ = stop_tx.send(true);
    // Every connection task holds a receiver; this returns when the last one has ended.
    stop_tx.closed().await;
}

/// Connection-level accept errors (the peer gave up) are the client's; anything else, such as
/// running out of file descriptors, is logged and retried after a pause instead of spinning.
async fn accept_failed(err: io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(err.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        return;
    }
    tracing::error!(%err, "accepting a connection failed; retrying in 1 s");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

struct Connection {
    router: Router,
    http: Arc<http1::Builder>,
    peer: SocketAddr,
    stop: watch::Receiver<bool>,
    stats: Arc<ConnectionStats>,
}

impl Connection {
    async fn run(mut self, mut stream: TcpStream) {
        let stats = self.stats.clone();
        let _open = Counted::new(&stats.open);
        let mut unread = Bytes::new();
        loop {
            if unread.is_empty() && !self.wait_for_request(&stream).await {
                return;
            }
            let exchange = Arc::new(Exchange::default());
            let io = TokioIo::new(ParkingIo { stream, unread, exchange: exchange.clone(), linger: None });
            let serving = Counted::new(&stats.serving);
            // Boxed: the hyper connection lives on the heap for the round only, so a parked
            // connection's task is as small as its wait.
            let Some((io, rest)) = Box::pin(self.serve_one_round(io, &exchange)).await else { return };
            drop(serving);
            (stream, unread) = (io, rest);
            // A round that answered nothing saw the client close; one that must close has sent
            // `Connection: close` or was cut short by the shutdown.
            if exchange.started.load(Ordering::Acquire) == 0 || exchange.must_close.load(Ordering::Acquire) {
                return;
            }
        }
    }

    /// Waits until the parked socket has bytes (or an end-of-stream) to read. False when the
    /// connection should close instead: idle too long, or the server is stopping.
    async fn wait_for_request(&mut self, stream: &TcpStream) -> bool {
        if *self.stop.borrow() {
            return false;
        }
        tokio::select! {
            ready = tokio::time::timeout(KEEP_ALIVE_IDLE, stream.readable()) => matches!(ready, Ok(Ok(()))),
            _ = self.stop.changed() => false,
        }
    }

    /// Runs hyper on the connection until it has answered what arrived and the socket went quiet.
    /// Gives back the socket and any bytes hyper read but did not use, or None if it failed.
    async fn serve_one_round(
        &mut self,
        io: TokioIo<ParkingIo>,
        exchange: &Arc<Exchange>,
    ) -> Option<(TcpStream, Bytes)> {
        let (router, peer) = (self.router.clone(), self.peer);
        let service_exchange = exchange.clone();
        let service = service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            let guard = service_exchange.start(&request);
            let router = router.clone();
            Box::pin(async move {
                let response = router.oneshot(request).await.unwrap_or_else(|never: Infallible| match never {});
                Ok::<_, Infallible>(guard.finish(response))
            })
        });
        let mut connection = self.http.serve_connection(io, service);
        let mut stopping = *self.stop.borrow();
        if stopping {
            Pin::new(&mut connection).graceful_shutdown();
        }
        let outcome = loop {
            tokio::select! {
                outcome = poll_fn(|cx| connection.poll_without_shutdown(cx)) => break outcome,
                _ = self.stop.changed(), if !stopping => {
                    stopping = true;
                    exchange.must_close.store(true, Ordering::Release);
                    Pin::new(&mut connection).graceful_shutdown();
                }
            }
        };
        if let Err(err) = outcome {
            tracing::debug!(%err, peer = %self.peer, "connection ended with an error");
            return None;
        }
        let parts = connection.into_parts();
        Some((parts.io.into_inner().stream, parts.read_buf))
    }
}

/// What one hyper round has seen of its requests, shared between the service and the socket.
#[derive(Default)]
struct Exchange {
    started: AtomicUsize,
    /// Responses whose bodies hyper has finished with (sent, or dropped on an error).
    finished: AtomicUsize,
    /// Either side asked to close after this response.
    must_close: AtomicBool,
    /// hyper's last call on the socket was a completed flush: it flushes only when its write
    /// buffer is empty, and every write clears this.
    flushed: AtomicBool,
    /// The last response just finished: the next completed flush wakes hyper once more.
    wake_on_flush: AtomicBool,
}

impl Exchange {
    fn start<B>(self: &Arc<Self>, request: &Request<B>) -> ResponseGuard {
        self.started.fetch_add(1, Ordering::AcqRel);
        if !wants_keep_alive(request.version(), request.headers()) {
            self.must_close.store(true, Ordering::Release);
        }
        ResponseGuard { exchange: self.clone() }
    }

    fn all_answered(&self) -> bool {
        let started = self.started.load(Ordering::Acquire);
        started > 0 && self.finished.load(Ordering::Acquire) == started
    }

    /// Nothing left to do in this round: every response is written and flushed.
    fn done(&self) -> bool {
        self.all_answered() && self.flushed.load(Ordering::Acquire)
    }
}

/// Counts a response as finished when hyper drops its body, which it does once the body's last
/// frame is in its write buffer (or the connection failed).
struct ResponseGuard {
    exchange: Arc<Exchange>,
}

impl ResponseGuard {
    fn finish(self, response: Response<axum::body::Body>) -> Response<GuardedBody> {
        if has_token(response.headers(), "close") {
            self.exchange.must_close.store(true, Ordering::Release);
        }
        response.map(|body| GuardedBody { body, _guard: self })
    }
}

impl Drop for ResponseGuard {
    fn drop(&mut self) {
        let finished = self.exchange.finished.fetch_add(1, Ordering::AcqRel) + 1;
        if finished == self.exchange.started.load(Ordering::Acquire) {
            self.exchange.wake_on_flush.store(true, Ordering::Release);
        }
    }
}

struct GuardedBody {
    body: axum::body::Body,
    _guard: ResponseGuard,
}

impl hyper::body::Body for GuardedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.body.size_hint()
    }
}

/// HTTP/1.1 keeps the connection unless told `close`; HTTP/1.0 closes unless told `keep-alive`
/// (the rule hyper applies itself).
fn wants_keep_alive(version: Version, headers: &HeaderMap) -> bool {
    match version {
        Version::HTTP_11 => !has_token(headers, "close"),
        Version::HTTP_10 => has_token(headers, "keep-alive"),
        _ => false,
    }
}

fn has_token(headers: &HeaderMap, token: &str) -> bool {
    headers
        .get_all(CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|part| part.trim().eq_ignore_ascii_case(token))
}

/// The socket as hyper sees it. First it replays bytes a previous round read but did not use.
/// Then, once every request of the round is answered and flushed, a read that has waited for
/// the linger reports end-of-stream: hyper takes that for a client between requests going away,
/// and ends the round without touching the socket.
struct ParkingIo {
    stream: TcpStream,
    unread: Bytes,
    exchange: Arc<Exchange>,
    linger: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl AsyncRead for ParkingIo {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        if !self.unread.is_empty() {
            let n = self.unread.len().min(buf.remaining());
            buf.put_slice(&self.unread[..n]);
            self.unread.advance(n);
            return Poll::Ready(Ok(()));
        }
        match Pin::new(&mut self.stream).poll_read(cx, buf) {
            Poll::Pending if self.exchange.done() => {
                // A busy client sends its next request within the linger: it stays in hyper.
                let linger = self.linger.get_or_insert_with(|| Box::pin(tokio::time::sleep(LINGER)));
                ready!(linger.as_mut().poll(cx));
                Poll::Ready(Ok(()))
            }
            other => {
                self.linger = None;
                other
            }
        }
    }
}

impl AsyncWrite for ParkingIo {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.exchange.flushed.store(false, Ordering::Release);
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.exchange.flushed.store(false, Ordering::Release);
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(Pin::new(&mut self.stream).poll_flush(cx))?;
        self.exchange.flushed.store(true, Ordering::Release);
        // hyper may already be waiting on the socket for the next request; poll it once more so
        // that a round whose work is done sees the end-of-stream above and ends.
        if self.exchange.wake_on_flush.swap(false, Ordering::AcqRel) {
            cx.waker().wake_by_ref();
        }
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
