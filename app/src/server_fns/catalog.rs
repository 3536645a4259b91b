//! Catalog server functions: thin wrappers that validate input and call `services::catalog`.

use crate::{
    domain::error::AppError,
    domain::listing::{CategoryLink, Listing},
    domain::model::{ProductCard, ProductDetail, ProductPage},
};
use leptos::prelude::*;

/// The newest active products, `limit` of them starting at `offset`.
#[server(endpoint = "latest_products")]
pub async fn latest_products(offset: i64, limit: i64) -> Result<ProductPage, AppError> {
    use crate::{
        domain::model::PageWindow,
        server::{
            services::catalog,
            state::{catalog_cache, db},
        },
    };
    let window = PageWindow::new(offset, limit)?;
    catalog_cache()?.latest.get_or_load((offset, limit), async { catalog::latest_products(&db()?, window).await }).await
}

/// Featured products for the home page.
#[server(endpoint = "featured_products")]
pub async fn featured_products() -> Result<Vec<ProductCard>, AppError> {
    use crate::server::{
        services::catalog,
        state::{catalog_cache, db},
    };
    catalog_cache()?.featured.get_or_load(4, async { catalog::featured_products(&db()?, 4).await }).await
}

/// Every category with its number of active products.
#[server(endpoint = "categories")]
pub async fn categories() -> Result<Vec<CategoryLink>, AppError> {
    use crate::server::{
        services::catalog,
        state::{catalog_cache, db},
    };
    catalog_cache()?.categories.get_or_load((), async { catalog::categories(&db()?).await }).await
}

/// One page of the product listing. The raw URL parameters are validated here, on the server,
/// so a hand-made request gets the same 4xx as a hand-made URL.
#[server(endpoint = "list_products")]
pub async fn list_products(
    category: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<String>,
) -> Result<Listing, AppError> {
    use crate::{
        domain::listing::ListingQuery,
        server::{
            services::catalog,
            state::{catalog_cache, db},
        },
    };
    let query = ListingQuery::from_params(category.as_deref(), q.as_deref(), sort.as_deref(), page.as_deref())?;
    let load = async { catalog::list_products(&db()?, &query).await };
    catalog_cache()?.listings.get_or_load(query.clone(), load).await
}

/// An active product by its slug, with related products.
#[server(endpoint = "get_product")]
pub async fn get_product(slug: String) -> Result<ProductDetail, AppError> {
    use crate::server::{
        services::catalog,
        state::{catalog_cache, db},
    };
    let Some(slug) = crate::domain::model::Slug::parse(&slug) else {
        return Err(AppError::not_found("That product"));
    };
    let load = async { catalog::product_detail(&db()?, &slug).await };
    catalog_cache()?.products.get_or_load(slug.to_string(), load).await
}
