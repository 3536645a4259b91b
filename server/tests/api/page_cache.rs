//! The anonymous page cache: who is served from it, and what a stored page carries.

use crate::{
    app_test,
    helpers::{TestApp, spawn_app_with},
};
use app::server::testing::Backend;

/// A visitor with no cookies at all (the test app's own client keeps a cookie jar).
async fn visitor_get(app: &TestApp, path: &str) -> reqwest::Response {
    reqwest::Client::new().get(format!("{}{path}", app.address)).send().await.expect("GET request")
}

fn cache_state(response: &reqwest::Response) -> Option<String> {
    response.headers().get("x-page-cache").map(|value| value.to_str().unwrap().to_owned())
}

/// `path` again until a load comes from the cache. The catalog version is one per process, and
/// the tests running beside this one commit catalog writes, each of which makes every stored
/// page stale: a load right after one renders afresh.
async fn load_until_cached(app: &TestApp, path: &str) -> reqwest::Response {
    for _ in 0..20 {
        let response = visitor_get(app, path).await;
        if cache_state(&response).as_deref() == Some("hit") {
            return response;
        }
    }
    panic!("{path} never came from the cache");
}

app_test!(a_signed_out_visitor_gets_the_second_load_of_a_public_page_from_the_cache, |app| async move {
    let first = visitor_get(&app, "/products?category=audio&sort=price-asc").await;
    assert_eq!(cache_state(&first).as_deref(), Some("miss"));
    let first_csp = first.headers()["content-security-policy"].clone();
    let first_body = first.text().await.unwrap();

    // The same parameters in another order share the entry.
    let second = load_until_cached(&app, "/products?sort=price-asc&category=audio").await;
    // Per-response headers are still per response; the policy names the scripts by hash.
    assert!(second.headers().contains_key("x-request-id"));
    assert_eq!(second.headers()["x-content-type-options"], "nosniff");
    assert_eq!(second.headers()["content-security-policy"], first_csp);
    assert!(first_csp.to_str().unwrap().contains("'sha256-"));
    assert_eq!(second.text().await.unwrap(), first_body);

    // A parameter the page does not know, or a no-JavaScript form error, renders the page.
    for path in ["/products?category=audio&utm_source=mail", "/login?__path=%2Fapi%2Fsign_in&__err=x"] {
        assert_eq!(cache_state(&visitor_get(&app, path).await), None, "{path}");
    }
    // Personal pages never come from it.
    assert_eq!(cache_state(&visitor_get(&app, "/cart").await), None);
});

app_test!(a_visitor_with_a_cart_is_never_served_from_the_cache, |app| async move {
    // Warm the entry as a signed-out visitor.
    visitor_get(&app, "/").await;
    load_until_cached(&app, "/").await;
    // The test client's first add starts a session (a cookie) and a guest cart.
    assert!(app.call("add_to_cart", "product_id=1").await.status().is_success());
    for _ in 0..2 {
        let page = app.get("/").await;
        assert_eq!(cache_state(&page), None);
        assert!(page.text().await.unwrap().contains("Cart (1)"), "the header counts this visitor's cart");
    }
});

#[tokio::test]
async fn page_cache_off_renders_every_page() {
    let app = spawn_app_with(Backend::Sqlite, &[("PAGE_CACHE", "off")]).await.unwrap();
    for _ in 0..2 {
        assert_eq!(cache_state(&visitor_get(&app, "/").await), None);
    }
}
