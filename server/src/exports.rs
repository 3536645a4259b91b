//! `GET /admin/products.csv`: every product, archived ones too, as a CSV download for a
//! spreadsheet or a backup (a plain link, so it works without JavaScript). Admins only; everyone
//! else gets 404, as for every admin page.

use app::server::{auth::AuthSession, services::admin_catalog, state::AppState};
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};

pub async fn products_csv(State(state): State<AppState>, auth: AuthSession) -> Response {
    let Some(admin) = auth.user.filter(|user| user.is_admin()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match admin_catalog::export_csv(&state.db).await {
        Ok(body) => {
            tracing::info!(admin_id = admin.id, bytes = body.len(), "products exported");
            let file_name = format!("products-{}.csv", chrono::Utc::now().format("%Y-%m-%d"));
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                body,
            )
                .into_response()
        }
        Err(err) => (StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), err.to_string())
            .into_response(),
    }
}
