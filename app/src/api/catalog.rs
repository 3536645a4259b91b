use crate::{error::AppError, model::ProductPage};
use leptos::prelude::*;

/// The newest active products, `limit` of them starting at `offset`.
#[server(endpoint = "latest_products")]
pub async fn latest_products(offset: i64, limit: i64) -> Result<ProductPage, AppError> {
    use crate::{
        model::PageWindow,
        server::{services::catalog, state::db},
    };
    catalog::latest_products(&db()?, PageWindow::new(offset, limit)?).await
}
