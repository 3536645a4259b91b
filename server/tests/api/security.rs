use crate::{app_test, helpers::TestApp};
use app::server::testing::Backend;

async fn post_with(app: &TestApp, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app
        .client
        .post(format!("{}/api/latest_products", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("offset=0&limit=1");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

app_test!(cross_site_posts_are_refused_and_same_origin_ones_pass, |app| async move {
    let evil = post_with(&app, &[("origin", "http://evil.example")]).await;
    assert_eq!(evil.status(), 403);
    let body: serde_json::Value = evil.json().await.unwrap();
    assert_eq!(body["kind"], "forbidden");

    let cross_site = post_with(&app, &[("sec-fetch-site", "cross-site"), ("origin", &app.address)]).await;
    assert_eq!(cross_site.status(), 403);

    assert_eq!(post_with(&app, &[("sec-fetch-site", "same-origin"), ("origin", &app.address)]).await.status(), 200);
    assert_eq!(post_with(&app, &[("origin", &app.address)]).await.status(), 200);
    // Reads are never blocked: a link from another site must work.
    let linked = app.client.get(format!("{}/products", app.address)).header("sec-fetch-site", "cross-site").send();
    assert_eq!(linked.await.unwrap().status(), 200);
});

app_test!(pages_carry_a_csp_naming_their_inline_scripts_by_hash, |app| async move {
    for path in ["/", "/products?category=audio", "/products/aurora-wireless-headphones", "/no/such/page"] {
        let response = app.get(path).await;
        let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
        let html = response.text().await.unwrap();
        // The islands loader is an inline module script: its hash must be in the policy.
        let loader = html.split("<script type=\"module\"").nth(1).expect("the islands loader");
        let body = &loader[loader.find('>').unwrap() + 1..loader.find("</script>").unwrap()];
        let hash = {
            use base64::Engine;
            use sha2::Digest;
            base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(body.as_bytes()))
        };
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{path}: {csp}");
        assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"), "{path}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("nonce-"), "{path}");
    }
});

app_test!(every_response_carries_the_security_headers, |app| async move {
    for path in ["/", "/healthz", "/favicon.svg", "/sitemap.xml", "/nope"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert!(headers.contains_key("content-security-policy"), "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert!(!headers.contains_key("strict-transport-security"), "no HSTS outside production");
    }
});

app_test!(oversized_request_bodies_get_413, |app| async move {
    let response = app.call("latest_products", &format!("offset=0&limit=1&padding={}", "x".repeat(70 * 1024))).await;
    assert_eq!(response.status(), 413);
});

#[tokio::test]
async fn production_responses_add_hsts() {
    let app = crate::helpers::spawn_app_with(Backend::Sqlite, &[("APP_ENV", "prod")]).await.unwrap();
    let response = app.get("/healthz").await;
    assert_eq!(response.headers()["strict-transport-security"], "max-age=63072000; includeSubDomains");
}
