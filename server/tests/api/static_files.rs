use crate::helpers::spawn_app;
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
