use crate::helpers::{spawn_app, spawn_app_with};
use app::server::testing::Backend;

#[tokio::test]
async fn product_images_are_served_from_the_site_root() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let response = app.get("/images/products/aurora-wireless-headphones.svg").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
}

#[tokio::test]
async fn html_is_compressed_for_clients_that_accept_it() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    for (accept, expected) in [("br", "br"), ("gzip", "gzip")] {
        let response =
            app.client.get(format!("{}/", app.address)).header("accept-encoding", accept).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-encoding"], expected);
    }
    let plain = app.get("/").await;
    assert!(plain.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn content_hashed_pkg_files_are_cached_for_a_year_and_others_revalidated() {
    let site = std::env::temp_dir().join(format!("cloudscale-test-site-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/cloudscale.Lw3y1nW2bDqgJ0LZk7Xe8A.js"), "export {};").unwrap();
    std::fs::write(site.join("pkg/cloudscale.js"), "export {};").unwrap();
    let root = site.display().to_string();
    let app = spawn_app_with(Backend::Sqlite, &[("LEPTOS_SITE_ROOT", root.as_str())]).await.unwrap();

    let hashed = app.get("/pkg/cloudscale.Lw3y1nW2bDqgJ0LZk7Xe8A.js").await;
    assert_eq!(hashed.status(), 200);
    assert_eq!(hashed.headers()["cache-control"], "public, max-age=31536000, immutable");

    let plain = app.get("/pkg/cloudscale.js").await;
    assert_eq!(plain.status(), 200);
    assert_eq!(plain.headers()["cache-control"], "no-cache");

    let missing = app.get("/pkg/cloudscale.AAAAAAAAAAAAAAAAAAAAAA.js").await;
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().get("cache-control").is_none_or(|value| value != "public, max-age=31536000, immutable"));
    std::fs::remove_dir_all(site).ok();
}
