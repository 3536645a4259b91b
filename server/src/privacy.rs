//! `GET /account/export`: everything the shop holds about the signed-in person, as a JSON
//! download (a plain link, so it works without JavaScript).

use app::{
    domain::error::AppError,
    server::{auth::AuthSession, services::privacy, state::AppState},
};
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};

pub async fn export(State(state): State<AppState>, auth: AuthSession) -> Response {
    let Some(user) = auth.user else {
        return Redirect::to("/login?next=%2Faccount").into_response();
    };
    let session = auth.session.id().map(|id| id.to_string());
    match privacy::export(&state.db, user.id, session.as_deref(), chrono::Utc::now()).await {
        Ok(data) => match serde_json::to_vec_pretty(&data) {
            Ok(body) => {
                tracing::info!(user_id = user.id, "account data exported");
                (
                    [
                        (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                        (header::CONTENT_DISPOSITION, "attachment; filename=\"cloudscale-account.json\""),
                        (header::CACHE_CONTROL, "no-store"),
                    ],
                    body,
                )
                    .into_response()
            }
            Err(err) => {
                tracing::error!(%err, "encoding an account export");
                (StatusCode::INTERNAL_SERVER_ERROR, AppError::Internal.to_string()).into_response()
            }
        },
        Err(err) => (StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), err.to_string())
            .into_response(),
    }
}
