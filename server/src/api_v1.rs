//! `/api/v1`: the public, read-only catalog API. JSON with stable field names (its own types,
//! independent of the pages' wire types), `ETag` with `304 Not Modified`, `Cache-Control`, a
//! per-client rate limit, and errors as RFC 9457 `application/problem+json`. The OpenAPI
//! document at `/api/v1/openapi.json` is generated from these handlers and types.

use crate::config::IpNet;
use crate::sessions::client_ip;
use app::{
    domain::error::AppError,
    domain::listing::{CategoryLink, ListingQuery, PAGE_SIZE},
    domain::model::{Money, ProductCard, Slug},
    server::{hashing::fnv1a_64, services::catalog},
};
use axum::{
    Json, Router,
    extract::{ConnectInfo, Path, Query, Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
};
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};
use utoipa::{IntoParams, OpenApi, ToResponse, ToSchema};

const PROBLEM_JSON: &str = "application/problem+json";
/// Catalog answers may be a minute old; after that clients revalidate with the ETag.
const CACHE_CONTROL: &str = "public, max-age=60, stale-while-revalidate=300";

#[derive(Clone)]
pub struct ApiState {
    pub db: DatabaseConnection,
    pub limiter: Arc<RateLimiter>,
    pub trusted_proxies: Arc<[IpNet]>,
}

/// The API's routes, with the rate limit in front of them.
pub fn routes<S: Clone + Send + Sync + 'static>(state: ApiState) -> Router<S> {
    Router::new()
        .route("/api/v1/products", get(list_products))
        .route("/api/v1/products/{slug}", get(get_product))
        .route("/api/v1/categories", get(list_categories))
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/api/v1/{*rest}", get(not_found))
        .layer(axum::middleware::from_fn_with_state(state.clone(), rate_limit))
        .with_state(state)
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "CloudScale Commerce catalog API",
        version = "1.0.0",
        description = "Read-only access to the shop's active products and categories. Responses carry an \
                       ETag (send it back in If-None-Match for a 304) and Cache-Control; each client address \
                       may make a limited number of requests per minute (429 with Retry-After beyond that). \
                       Errors are RFC 9457 problem details."
    ),
    paths(list_products, get_product, list_categories),
    components(
        responses(NotModified, TooManyRequests),
        schemas(ApiMoney, ApiImage, ApiProductSummary, ApiProductList, ApiProduct, ApiCategory, ApiCategoryList, Problem),
    ),
    tags((name = "catalog", description = "Products and categories"))
)]
pub struct ApiDoc;

/// Money in integer minor units, with the shop's display form.
#[derive(Serialize, ToSchema)]
pub struct ApiMoney {
    /// Minor units (cents).
    #[schema(example = 12999)]
    pub amount_cents: i64,
    /// ISO 4217 code.
    #[schema(example = "USD")]
    pub currency: String,
    #[schema(example = "$129.99")]
    pub formatted: String,
}

impl From<Money> for ApiMoney {
    fn from(money: Money) -> Self {
        Self { formatted: money.to_string(), amount_cents: money.cents, currency: money.currency }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiImage {
    /// Site-relative URL.
    pub url: String,
    pub width: i32,
    pub height: i32,
}

#[derive(Serialize, ToSchema)]
pub struct ApiProductSummary {
    pub id: i32,
    pub slug: String,
    pub name: String,
    /// The category's display name.
    pub category: String,
    pub price: ApiMoney,
    pub stock: i32,
    pub in_stock: bool,
    pub image: ApiImage,
    /// The product's page in the shop (site-relative).
    pub url: String,
}

impl From<ProductCard> for ApiProductSummary {
    fn from(card: ProductCard) -> Self {
        Self {
            id: card.id,
            url: format!("/products/{}", card.slug),
            slug: card.slug,
            name: card.name,
            category: card.category_name,
            price: card.price.into(),
            in_stock: card.stock > 0,
            stock: card.stock,
            image: ApiImage { url: card.image_path, width: card.image_width, height: card.image_height },
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiProductList {
    pub items: Vec<ApiProductSummary>,
    /// 1-based.
    pub page: u32,
    pub per_page: u64,
    /// Matching products over all pages.
    pub total: u64,
    pub total_pages: u64,
}

#[derive(Serialize, ToSchema)]
pub struct ApiProduct {
    #[serde(flatten)]
    pub summary: ApiProductSummary,
    pub sku: String,
    pub description: String,
    pub category_slug: String,
    /// Other active products from the same category.
    pub related: Vec<ApiProductSummary>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiCategory {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Active products in the category (a parent's count includes its subcategories').
    pub product_count: u64,
    /// The slug of the category it is filed under; null for a top-level category.
    pub parent_slug: Option<String>,
}

impl From<CategoryLink> for ApiCategory {
    fn from(link: CategoryLink) -> Self {
        Self {
            slug: link.slug,
            name: link.name,
            description: link.description,
            product_count: link.product_count,
            parent_slug: link.parent.map(|parent| parent.slug),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiCategoryList {
    pub items: Vec<ApiCategory>,
}

/// An RFC 9457 problem detail.
#[derive(Serialize, ToSchema)]
pub struct Problem {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The query parameter at fault, for validation problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

// The answers every read gives alike (the ETag check and the rate limit sit in front of them all),
// documented once under components/responses. The descriptions are the API document's words.
#[derive(ToResponse)]
#[response(description = "Unchanged since the ETag in If-None-Match")]
pub struct NotModified;

#[derive(ToResponse)]
#[response(
    description = "Too many requests from this address",
    content_type = "application/problem+json",
    headers(("Retry-After" = u64, description = "Seconds to wait"))
)]
pub struct TooManyRequests(pub Problem);

/// An `/api/v1` failure, answered as an RFC 9457 problem: handlers return `Result<_, ApiProblem>`
/// and use `?` on the services' `AppError`s. 4xx say what was wrong; 5xx say nothing of the cause
/// (already logged where it happened).
#[derive(Debug)]
pub struct ApiProblem {
    status: StatusCode,
    detail: String,
    parameter: Option<String>,
    retry_after_secs: Option<u64>,
}

impl ApiProblem {
    fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self { status, detail: detail.into(), parameter: None, retry_after_secs: None }
    }

    /// A missing thing, named from the API's side ("No product has that slug.").
    fn not_found(detail: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, detail)
    }

    /// `AppError::NotFound` reworded for the API; any other error as it is.
    fn unless_missing(detail: &'static str) -> impl Fn(AppError) -> Self {
        move |error| match error {
            AppError::NotFound { .. } => Self::not_found(detail),
            other => other.into(),
        }
    }
}

impl From<AppError> for ApiProblem {
    fn from(error: AppError) -> Self {
        let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut problem = Self::new(status, error.to_string());
        match error {
            AppError::Validation { field, .. } => problem.parameter = Some(field),
            AppError::RateLimited { retry_after_secs } => problem.retry_after_secs = Some(retry_after_secs),
            _ => {}
        }
        problem
    }
}

impl IntoResponse for ApiProblem {
    fn into_response(self) -> Response {
        let body = Problem {
            kind: "about:blank".into(),
            title: self.status.canonical_reason().unwrap_or("Error").into(),
            status: self.status.as_u16(),
            detail: self.detail,
            parameter: self.parameter,
        };
        let mut response = (self.status, Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(seconds) = self.retry_after_secs {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// A strong validator over the body. Equal bodies give equal tags on every replica, so a cached
/// copy revalidates wherever the next request lands.
fn entity_tag(body: &[u8]) -> String {
    format!("\"{:016x}\"", fnv1a_64(body.iter().copied()))
}

/// Whether `If-None-Match` names `tag` (weak comparison, as RFC 9110 asks for GET).
fn matches_if_none_match(headers: &HeaderMap, tag: &str) -> bool {
    headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|value| value.to_str().ok()).any(|value| {
        value.split(',').map(str::trim).any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == tag)
    })
}

/// 200 with the JSON, ETag and Cache-Control, or 304 when the client already has it.
fn cacheable_json(headers: &HeaderMap, value: &impl Serialize) -> Result<Response, ApiProblem> {
    let body = serde_json::to_vec(value).map_err(|err| AppError::internal("encoding an API response", err))?;
    let tag = entity_tag(&body);
    let status = if matches_if_none_match(headers, &tag) { StatusCode::NOT_MODIFIED } else { StatusCode::OK };
    let mut response = if status == StatusCode::OK {
        ([(header::CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        StatusCode::NOT_MODIFIED.into_response()
    };
    let out = response.headers_mut();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    if let Ok(tag) = HeaderValue::from_str(&tag) {
        out.insert(header::ETAG, tag);
    }
    Ok(response)
}

/// The listing's query parameters. Unknown parameters are ignored.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// A category slug, as in `/api/v1/categories`.
    #[param(max_length = 80, example = "audio")]
    pub category: Option<String>,
    /// Search text: every word must match the start of a word in the name, SKU or description.
    #[param(max_length = 200, example = "wireless")]
    pub q: Option<String>,
    /// Order of the results; best match first when searching, newest first otherwise.
    #[param(inline)]
    pub sort: Option<SortParam>,
    /// 1-based page of 24 products.
    #[param(minimum = 1, maximum = 1000)]
    pub page: Option<u32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SortParam {
    Relevance,
    Newest,
    PriceAsc,
    PriceDesc,
    Name,
}

/// The raw query, every value a string, so that bad values get our own 422 naming them.
#[derive(Deserialize)]
struct RawListParams {
    category: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

/// Active products, filtered, searched, sorted and paginated.
#[utoipa::path(
    get,
    path = "/api/v1/products",
    tag = "catalog",
    params(ListParams, ("If-None-Match" = Option<String>, Header, description = "An ETag from an earlier answer")),
    responses(
        (status = 200, description = "One page of products", body = ApiProductList,
            headers(("ETag" = String, description = "Validator of this answer"), ("Cache-Control" = String))),
        (status = 304, response = NotModified),
        (status = 400, description = "The query string could not be read", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such category", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is out of range", body = Problem, content_type = "application/problem+json"),
        (status = 429, response = TooManyRequests),
    )
)]
async fn list_products(
    State(state): State<ApiState>,
    headers: HeaderMap,
    query: Result<Query<RawListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiProblem> {
    let Query(raw) =
        query.map_err(|_| ApiProblem::new(StatusCode::BAD_REQUEST, "The query string could not be read."))?;
    // The shop's listing reads an empty `page=` (a submitted form field) as page 1; the API's
    // contract says integer, so it refuses one.
    if raw.page.as_deref().is_some_and(|page| page.trim().is_empty()) {
        return Err(AppError::validation("page", "Page must be a whole number from 1.").into());
    }
    let listing =
        ListingQuery::from_params(raw.category.as_deref(), raw.q.as_deref(), raw.sort.as_deref(), raw.page.as_deref())?;
    let found = catalog::list_products(&state.db, &listing)
        .await
        .map_err(ApiProblem::unless_missing("No category has that slug."))?;
    let body = ApiProductList {
        page: listing.page,
        per_page: PAGE_SIZE,
        total: found.total,
        total_pages: found.total.div_ceil(PAGE_SIZE),
        items: found.items.into_iter().map(ApiProductSummary::from).collect(),
    };
    cacheable_json(&headers, &body)
}

/// One active product by its slug, with related products.
#[utoipa::path(
    get,
    path = "/api/v1/products/{slug}",
    tag = "catalog",
    params(
        ("slug" = String, Path, description = "The product's slug", example = "aurora-wireless-headphones"),
        ("If-None-Match" = Option<String>, Header, description = "An ETag from an earlier answer"),
    ),
    responses(
        (status = 200, description = "The product", body = ApiProduct,
            headers(("ETag" = String, description = "Validator of this answer"), ("Cache-Control" = String))),
        (status = 304, response = NotModified),
        (status = 404, description = "No active product has that slug", body = Problem, content_type = "application/problem+json"),
        (status = 429, response = TooManyRequests),
    )
)]
async fn get_product(
    State(state): State<ApiState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, ApiProblem> {
    const MISSING: &str = "No product has that slug.";
    let slug = Slug::parse(&slug).ok_or_else(|| ApiProblem::not_found(MISSING))?;
    let detail = catalog::product_detail(&state.db, &slug).await.map_err(ApiProblem::unless_missing(MISSING))?;
    let body = ApiProduct {
        sku: detail.sku,
        description: detail.description,
        category_slug: detail.category_slug,
        related: detail.related.into_iter().map(ApiProductSummary::from).collect(),
        summary: detail.card.into(),
    };
    cacheable_json(&headers, &body)
}

/// Every category the shop lists, in navigation order (each parent followed by its
/// subcategories), with its number of active products.
#[utoipa::path(
    get,
    path = "/api/v1/categories",
    tag = "catalog",
    params(("If-None-Match" = Option<String>, Header, description = "An ETag from an earlier answer")),
    responses(
        (status = 200, description = "All categories", body = ApiCategoryList,
            headers(("ETag" = String, description = "Validator of this answer"), ("Cache-Control" = String))),
        (status = 304, response = NotModified),
        (status = 429, response = TooManyRequests),
    )
)]
async fn list_categories(State(state): State<ApiState>, headers: HeaderMap) -> Result<Response, ApiProblem> {
    let links = catalog::categories(&state.db).await?;
    cacheable_json(&headers, &ApiCategoryList { items: links.into_iter().map(ApiCategory::from).collect() })
}

async fn openapi_json(headers: HeaderMap) -> Result<Response, ApiProblem> {
    cacheable_json(&headers, &ApiDoc::openapi())
}

async fn not_found() -> ApiProblem {
    ApiProblem::not_found("There is no such API endpoint. See /api/v1/openapi.json.")
}

/// A fixed window per client address: at most `per_minute` requests in each minute (0: no limit,
/// for a deployment whose gateway limits, or a load test from one address).
pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

const WINDOW: Duration = Duration::from_secs(60);
/// Past this many tracked addresses, expired windows are swept before adding another.
const MAX_TRACKED: usize = 100_000;

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self { per_minute, windows: Mutex::default() }
    }

    /// `Ok` to go ahead, or `Err(seconds)` until this address's window reopens.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let Ok(mut windows) = self.windows.lock() else { return Ok(()) };
        if windows.len() >= MAX_TRACKED {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let (start, count) = windows.entry(client).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            *start = now;
            *count = 0;
        }
        if *count >= self.per_minute {
            let wait = WINDOW.saturating_sub(now.duration_since(*start));
            return Err(wait.as_secs().max(1));
        }
        *count += 1;
        Ok(())
    }
}

async fn rate_limit(State(state): State<ApiState>, request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let client = client_ip(peer, request.headers(), &state.trusted_proxies);
    match state.limiter.check(client, Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(retry_after_secs) => ApiProblem::from(AppError::RateLimited { retry_after_secs }).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_limit_of_zero_lets_every_request_through() {
        let limiter = RateLimiter::new(0);
        let client = IpAddr::from([192, 0, 2, 7]);
        assert!((0..10_000).all(|_| limiter.check(client, Instant::now()).is_ok()));
    }

    #[test]
    fn the_rate_limit_allows_the_quota_per_minute_then_says_how_long_to_wait() {
        let limiter = RateLimiter::new(3);
        let (client, other) = (IpAddr::from([10, 0, 0, 1]), IpAddr::from([10, 0, 0, 2]));
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check(client, start), Ok(()));
        }
        assert_eq!(limiter.check(client, start + Duration::from_secs(20)), Err(40));
        assert_eq!(limiter.check(other, start), Ok(()), "each address has its own quota");
        assert_eq!(limiter.check(client, start + WINDOW), Ok(()), "a new minute, a new quota");
    }

    #[test]
    fn an_app_error_answers_as_a_problem_with_its_status_parameter_and_retry_time() {
        let invalid =
            ApiProblem::from(AppError::validation("page", "Page must be a whole number from 1.")).into_response();
        assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(invalid.headers()[header::CONTENT_TYPE], PROBLEM_JSON);
        let limited = ApiProblem::from(AppError::RateLimited { retry_after_secs: 7 }).into_response();
        assert_eq!(
            (limited.status(), &limited.headers()[header::RETRY_AFTER]),
            (StatusCode::TOO_MANY_REQUESTS, &HeaderValue::from(7))
        );
        let internal = ApiProblem::from(AppError::Internal);
        assert_eq!(
            (internal.status, internal.detail.as_str()),
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side. Please try again.")
        );
        let missing = ApiProblem::unless_missing("No product has that slug.")(AppError::not_found("That product"));
        assert_eq!((missing.status, missing.detail.as_str()), (StatusCode::NOT_FOUND, "No product has that slug."));
    }

    #[test]
    fn if_none_match_accepts_lists_weak_tags_and_the_wildcard() {
        let tag = entity_tag(b"{}");
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
            matches_if_none_match(&headers, &tag)
        };
        assert!(with(&tag));
        assert!(with(&format!("\"other\", W/{tag}")));
        assert!(with("*"));
        assert!(!with("\"0000000000000000\""));
        assert!(!matches_if_none_match(&HeaderMap::new(), &tag));
    }

    #[test]
    fn equal_bodies_get_equal_tags_and_different_bodies_different_ones() {
        assert_eq!(entity_tag(b"[1,2]"), entity_tag(b"[1,2]"));
        assert_ne!(entity_tag(b"[1,2]"), entity_tag(b"[2,1]"));
    }

    #[test]
    fn the_openapi_document_names_every_endpoint_and_the_problem_type() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        for path in ["/api/v1/products", "/api/v1/products/{slug}", "/api/v1/categories"] {
            assert!(doc["paths"][path]["get"].is_object(), "{path}");
        }
        assert!(doc["components"]["schemas"]["Problem"].is_object());
        assert_eq!(doc["openapi"].as_str().map(|v| &v[..2]), Some("3."));
    }

    #[test]
    fn every_read_refers_to_one_not_modified_and_one_rate_limit_answer() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        for path in ["/api/v1/products", "/api/v1/products/{slug}", "/api/v1/categories"] {
            let responses = &doc["paths"][path]["get"]["responses"];
            assert_eq!(responses["304"]["$ref"], "#/components/responses/NotModified", "{path}");
            assert_eq!(responses["429"]["$ref"], "#/components/responses/TooManyRequests", "{path}");
        }
        let limited = &doc["components"]["responses"]["TooManyRequests"];
        assert!(limited["headers"]["Retry-After"].is_object(), "{limited}");
        assert_eq!(limited["content"][PROBLEM_JSON]["schema"]["$ref"], "#/components/schemas/Problem", "{limited}");
        assert_eq!(limited["description"], "Too many requests from this address");
        let unchanged = &doc["components"]["responses"]["NotModified"];
        assert_eq!(unchanged["description"], "Unchanged since the ETag in If-None-Match");
        assert!(unchanged["content"].is_null(), "{unchanged}");
    }
}
