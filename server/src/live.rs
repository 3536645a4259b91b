//! The monitoring stream: server-sent events carrying the simulator's latest frame, about
//! twice a second, to any number of viewers.

use app::server::{monitoring::TrafficMeter, state::AppState};
use axum::{
    extract::{Request, State},
    http::{HeaderMap, StatusCode, header},
    middleware::Next,
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
};
use std::convert::Infallible;

/// Counts pages and server-function calls as this server's real traffic.
pub async fn count_requests(State(meter): State<TrafficMeter>, request: Request, next: Next) -> Response {
    meter.record_request();
    next.run(request).await
}

/// `GET /monitoring/stream`. A browser on another site may not read it (its `Origin` must be
/// ours when sent). Each event is the JSON of one frame; a viewer that falls behind gets the
/// latest frame next, never a backlog.
pub async fn stream(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if headers.get(header::ORIGIN).is_some_and(|origin| origin.as_bytes() != state.public_origin.as_bytes()) {
        return (StatusCode::FORBIDDEN, "This stream is for the shop's own pages.").into_response();
    }
    let frames = state.simulator.subscribe();
    let events = futures::stream::unfold((frames, true), |(mut frames, first)| async move {
        // The current frame at once, then each new one.
        if !first && frames.changed().await.is_err() {
            return None;
        }
        let frame = frames.borrow_and_update().clone();
        let event = Event::default().event("frame").json_data(&*frame).unwrap_or_else(|err| {
            tracing::error!(%err, "could not encode a monitoring frame");
            Event::default().comment("encoding error")
        });
        Some((Ok::<_, Infallible>(event), (frames, false)))
    });
    let mut response = Sse::new(events).keep_alive(KeepAlive::default()).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
}
