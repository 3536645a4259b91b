use crate::{app_test, helpers::spawn_app_with};
use app::server::testing::Backend;

async fn json(response: reqwest::Response) -> serde_json::Value {
    response.json().await.unwrap()
}

app_test!(products_are_listed_as_json_with_an_etag_that_answers_304, |app| async move {
    let response = app.get("/api/v1/products?category=audio&sort=price-asc").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert!(response.headers()["cache-control"].to_str().unwrap().contains("max-age=60"));
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let body = json(response).await;
    let prices: Vec<i64> =
        body["items"].as_array().unwrap().iter().map(|p| p["price"]["amount_cents"].as_i64().unwrap()).collect();
    assert!(!prices.is_empty() && prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
    assert_eq!(body["page"], 1);
    assert_eq!(body["per_page"], 24);
    assert!(body["items"][0]["url"].as_str().unwrap().starts_with("/products/"));

    let again = app.client.get(format!("{}/api/v1/products?category=audio&sort=price-asc", app.address));
    let cached = again.header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(cached.status(), 304);
    assert_eq!(cached.headers()["etag"].to_str().unwrap(), etag);
    assert!(cached.bytes().await.unwrap().is_empty());

    let stale = app.client.get(format!("{}/api/v1/products?category=audio&sort=price-asc", app.address));
    assert_eq!(stale.header("if-none-match", "\"0000000000000000\"").send().await.unwrap().status(), 200);
});

app_test!(search_pagination_a_product_and_the_categories_are_there, |app| async move {
    let found = json(app.get("/api/v1/products?q=wireless").await).await;
    assert!(found["total"].as_u64().unwrap() >= 2);
    let page_two = json(app.get("/api/v1/products?page=2").await).await;
    assert_eq!(page_two["page"], 2);
    assert!(page_two["total_pages"].as_u64().unwrap() >= 3);

    let product = json(app.get("/api/v1/products/aurora-wireless-headphones").await).await;
    assert_eq!(product["slug"], "aurora-wireless-headphones");
    assert!(product["sku"].as_str().is_some() && product["related"].as_array().is_some());
    assert_eq!(product["category_slug"], "audio");

    let categories = json(app.get("/api/v1/categories").await).await;
    let slugs: Vec<&str> =
        categories["items"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs.len(), 7);
    assert!(slugs.contains(&"audio"));
});

app_test!(bad_requests_get_problem_details_never_a_5xx, |app| async move {
    for (path, status, parameter) in [
        ("/api/v1/products?page=0", 422, Some("page")),
        ("/api/v1/products?page=abc", 422, Some("page")),
        ("/api/v1/products?page=", 422, Some("page")),
        ("/api/v1/products?sort=cheapest", 422, Some("sort")),
        ("/api/v1/products?category=no-such-thing", 404, None),
        ("/api/v1/products?category=%00%FF", 404, None),
        ("/api/v1/products/NOT%20A%20SLUG", 404, None),
        ("/api/v1/products/no-such-product", 404, None),
        ("/api/v1/nothing-here", 404, None),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        assert_eq!(response.headers()["content-type"], "application/problem+json", "{path}");
        let problem = json(response).await;
        assert_eq!(problem["status"], status, "{path}");
        assert!(problem["title"].is_string() && problem["detail"].is_string(), "{path}");
        assert_eq!(problem["parameter"].as_str(), parameter, "{path}");
    }
    let long_query = format!("/api/v1/products?q={}", "a".repeat(201));
    assert_eq!(app.get(&long_query).await.status(), 422);
});

app_test!(the_openapi_document_and_its_documentation_page_are_served, |app| async move {
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc = json(response).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/v1/products/{slug}"]["get"].is_object());
    let docs = app.get("/api/docs/").await;
    assert_eq!(docs.status(), 200);
    let html = docs.text().await.unwrap();
    assert!(html.contains("swagger-ui") && html.contains("/api/v1/openapi.json"), "{html}");
});

#[tokio::test]
async fn each_client_address_gets_its_quota_then_429_with_retry_after() {
    let app = spawn_app_with(Backend::Sqlite, &[("API_RATE_PER_MINUTE", "3")]).await.unwrap();
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/categories").await.status(), 200);
    }
    let limited = app.get("/api/v1/categories").await;
    assert_eq!(limited.status(), 429);
    let wait: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    assert_eq!(limited.headers()["content-type"], "application/problem+json");
    assert_eq!(app.get("/products").await.status(), 200, "the shop itself is not limited");
}
