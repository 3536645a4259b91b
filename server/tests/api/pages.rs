use crate::{app_test, helpers::count_cards_in_section};

fn latest_cards(html: &str) -> usize {
    count_cards_in_section(html, "latest-heading")
}

app_test!(the_home_page_lists_seeded_products_rendered_on_the_server, |app| async move {
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = response.text().await.unwrap();
    assert!(html.contains("<title>Electronics and gadgets · CloudScale Commerce</title>"), "{html}");
    assert!(html.contains("Aurora Wireless Headphones"));
    assert!(html.contains("$149.00"));
    assert_eq!(latest_cards(&html), 12);
    assert_eq!(count_cards_in_section(&html, "featured-heading"), 4);
    // Complete without JavaScript: nothing is left in out-of-order streaming <template>s.
    assert!(!html.contains("<template"), "products were streamed into templates that need JavaScript");
    assert!(html.contains("Load more products"));
    // The island loader points at the bundle, and nothing fetches it while the page paints.
    assert!(html.contains("<script type=\"module\">((root, pkg_path"), "no island loader");
    assert!(html.contains("\"cloudscale\""), "the loader names the bundle");
    assert!(
        !html.contains("rel=\"preload\"") && !html.contains("rel=\"modulepreload\""),
        "a hint fetches the bundle early"
    );
});

app_test!(the_load_more_form_works_without_javascript, |app| async move {
    let html = app.get("/?shown=24").await.text().await.unwrap();
    assert_eq!(latest_cards(&html), 24);
    assert!(html.contains("name=\"shown\" value=\"36\""), "next form asks for 36");
});

app_test!(malformed_or_huge_counts_fall_back_to_sane_pages, |app| async move {
    for (query, cards) in
        [("?shown=abc", 12), ("?shown=-3", 12), ("?shown=99999999999999999999", 12), ("?shown=100000", 48)]
    {
        let response = app.get(&format!("/{query}")).await;
        assert_eq!(response.status(), 200, "{query}");
        assert_eq!(latest_cards(&response.text().await.unwrap()), cards, "{query}");
    }
});

app_test!(unknown_paths_get_the_styled_not_found_page, |app| async move {
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>Page not found</h1>"));
    assert!(html.contains("/pkg/cloudscale.css"), "the 404 page is styled like the shop");
    assert!(html.contains("Back to the shop"));
});

app_test!(private_pages_keep_out_of_search_indexes_and_public_ones_do_not, |app| async move {
    for path in ["/cart", "/login", "/forgot-password", "/reset-password", "/confirm-email"] {
        let html = app.get(path).await.text().await.unwrap();
        assert!(html.contains(r#"<meta name="robots" content="noindex">"#), "{path} can be indexed");
        assert_eq!(html.matches(r#"name="robots""#).count(), 1, "{path} says it twice");
    }
    for path in ["/", "/products", "/products/aurora-wireless-headphones"] {
        let html = app.get(path).await.text().await.unwrap();
        assert!(!html.contains("noindex"), "{path} is kept out of search indexes");
    }
});

app_test!(a_field_names_its_hint_and_is_valid_until_it_has_an_error, |app| async move {
    let html = app.get("/register").await.text().await.unwrap();
    let input = html.split("id=\"register-password\"").nth(1).and_then(|rest| rest.split('>').next()).unwrap();
    assert!(input.contains(r#"aria-describedby="register-password-hint""#), "{input}");
    assert!(!input.contains("aria-invalid"), "{input}");
    assert!(html.contains(r#"id="register-password-hint""#));
    assert!(html.contains(r#"id="register-password-error" hidden"#), "the empty error is hidden");
});
