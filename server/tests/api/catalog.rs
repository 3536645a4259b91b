use crate::{app_test, helpers::count_cards};
use serde_json::Value;

fn json_ld(html: &str) -> Value {
    let start = html.find("<script type=\"application/ld+json\">").expect("a JSON-LD script") + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end].replace("<\\/", "</")).unwrap()
}

app_test!(the_listing_shows_the_first_page_of_everything_with_navigation, |app| async move {
    let response = app.get("/products").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert_eq!(count_cards(&html), 24);
    assert!(html.contains("<title>All products · CloudScale Commerce</title>"), "{html}");
    assert!(html.contains("70 products"));
    assert!(html.contains("aria-label=\"Categories\""));
    assert!(html.contains("aria-label=\"Pagination\""));
    assert!(html.contains("href=\"/products?page=2\""));
    assert!(html.contains("/products\" rel=\"canonical\">") && html.contains("<link href=\"http://127.0.0.1:"));
    assert!(html.contains("property=\"og:title\" content=\"All products\""));
    assert!(!html.contains("<template"), "complete without JavaScript");
});

app_test!(the_listing_filters_by_category, |app| async move {
    let html = app.get("/products?category=cameras").await.text().await.unwrap();
    assert_eq!(count_cards(&html), 10);
    assert!(html.contains("<h1>Cameras</h1>"));
    assert!(html.contains("Vector Mirrorless Camera"));
    assert!(!html.contains("Aurora Wireless Headphones"));
    assert!(html.contains("aria-current=\"page\""), "the current category is marked");
});

app_test!(the_listing_searches_by_word_prefix, |app| async move {
    let html = app.get("/products?q=headph").await.text().await.unwrap();
    assert!(html.contains("Search results for “headph”"));
    assert!(html.contains("Aurora Wireless Headphones"));
    assert!(html.contains("name=\"q\"") && html.contains("value=\"headph\""), "the search box keeps the query");
});

app_test!(a_search_without_results_gets_a_helpful_page, |app| async move {
    let response = app.get("/products?q=zzyzx").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert_eq!(count_cards(&html), 0);
    assert!(html.contains("No products match"));
    assert!(html.contains("Browse all products"));
});

app_test!(the_listing_sorts_and_pages, |app| async move {
    let html = app.get("/products?sort=price-asc&page=2").await.text().await.unwrap();
    assert_eq!(count_cards(&html), 24);
    assert!(html.contains("All products – page 2"));
    assert!(html.contains("<option value=\"price-asc\" selected"), "{html}");
    assert!(html.contains("href=\"/products?sort=price-asc\" rel=\"prev\""));
    assert!(html.contains("href=\"/products?sort=price-asc&amp;page=3\" rel=\"next\""));
    // The cheapest product is on page 1, not here.
    assert!(!html.contains("Braid USB-C Cable 2m"));
});

app_test!(malformed_listing_parameters_get_4xx_pages_never_500, |app| async move {
    for (query, status) in [
        ("page=-1", 422),
        ("page=abc", 422),
        ("page=0", 422),
        ("sort=cheapest", 422),
        ("category=time-machines", 404),
        ("category=%3Cscript%3E", 404),
        (&format!("q={}", "a".repeat(10_240)), 422),
    ] {
        let response = app.get(&format!("/products?{query}")).await;
        assert_eq!(response.status(), status, "{}", &query[..query.len().min(40)]);
        let html = response.text().await.unwrap();
        assert!(html.contains("role=\"alert\""), "{query}: a readable message");
    }
    let past_the_end = app.get("/products?page=9").await;
    assert_eq!(past_the_end.status(), 200);
    assert!(past_the_end.text().await.unwrap().contains("past the end"));
});

app_test!(a_product_page_has_details_metadata_and_json_ld, |app| async move {
    let response = app.get("/products/aurora-wireless-headphones").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("<title>Aurora Wireless Headphones · CloudScale Commerce</title>"));
    assert!(html.contains("<h1>Aurora Wireless Headphones</h1>"));
    assert!(html.contains("$149.00"));
    assert!(html.contains("AUD-1001"));
    assert!(html.contains("In stock"));
    assert!(html.contains("width=\"480\"") && html.contains("height=\"360\""));
    assert!(html.contains("property=\"og:type\" content=\"product\""));
    assert!(html.contains("<meta name=\"description\""));
    assert!(html.contains("More from Audio"));
    assert_eq!(count_cards(&html), 4, "four related products");
    let ld = json_ld(&html);
    assert_eq!(ld["@type"], "Product");
    assert_eq!(ld["sku"], "AUD-1001");
    assert_eq!(ld["offers"]["price"], "149.00");
    assert_eq!(ld["offers"]["priceCurrency"], "USD");
    assert_eq!(ld["offers"]["availability"], "https://schema.org/InStock");
});

app_test!(stock_states_read_as_a_shopper_expects, |app| async move {
    let low = app.get("/products/nimbus-portable-dac").await.text().await.unwrap();
    assert!(low.contains("Only 3 left"));
    let out = app.get("/products/skyline-mini-drone").await.text().await.unwrap();
    assert!(out.contains("Out of stock"));
    assert_eq!(json_ld(&out)["offers"]["availability"], "https://schema.org/OutOfStock");
});

app_test!(an_unknown_product_is_a_404_page, |app| async move {
    let response = app.get("/products/no-such-gadget").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("That product was not found"));
    assert!(html.contains("noindex"));
});

app_test!(the_sitemap_lists_every_product_and_category, |app| async move {
    let response = app.get("/sitemap.xml").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/xml"));
    let xml = response.text().await.unwrap();
    assert_eq!(xml.matches("<url>").count(), 2 + 7 + 70 + 4);
    assert!(xml.contains("/pages/privacy</loc>"));
    assert!(xml.contains("/products/aurora-wireless-headphones</loc><lastmod>"));
    assert!(xml.contains("/products?category=smart-home</loc>"));
});

app_test!(robots_txt_points_at_the_sitemap, |app| async move {
    let response = app.get("/robots.txt").await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    assert!(body.contains("User-agent: *"));
    assert!(body.contains("Disallow: /api/"));
    assert!(body.lines().any(|line| line.starts_with("Sitemap: http://127.0.0.1:") && line.ends_with("/sitemap.xml")));
});

app_test!(listing_and_product_server_functions_answer_json, |app| async move {
    let response = app.call("list_products", "category=audio&sort=price-desc").await;
    assert_eq!(response.status(), 200);
    let listing: Value = response.json().await.unwrap();
    assert_eq!(listing["total"], 10);
    assert_eq!(listing["items"][0]["name"], "Echo Studio Monitor Pair");

    let response = app.call("list_products", "page=abc").await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["field"], "page");

    let response = app.call("get_product", "slug=nope").await;
    assert_eq!(response.status(), 404);
});
