use crate::{app_test, helpers::TestApp};
use app::server::testing::{TEST_PASSWORD, form_body};
use app::server::{
    entities::product,
    password::PasswordHasher,
    services::{accounts::ensure_admin, stock},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn sign_in_as_admin(app: &TestApp) {
    ensure_admin(&app.db.db, &PasswordHasher::new(1), "Ops", "ops@example.com", TEST_PASSWORD).await.unwrap();
    let response = app.call("sign_in", &form_body(&[("email", "ops@example.com"), ("password", TEST_PASSWORD)])).await;
    assert_eq!(response.status(), 200);
}

async fn page_text(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.get(path).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

/// A multipart body with one file field named `image`.
fn multipart(file_name: &str, content_type: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "cloudscale-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"{file_name}\"\r\n\
         Content-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.extend(width.to_be_bytes());
    bytes.extend(height.to_be_bytes());
    bytes.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

async fn upload(app: &TestApp, id: i32, file_name: &str, content_type: &str, bytes: &[u8]) -> reqwest::Response {
    let (header, body) = multipart(file_name, content_type, bytes);
    app.client
        .post(format!("{}/admin/products/{id}/image", app.address))
        .header("content-type", header)
        .body(body)
        .send()
        .await
        .unwrap()
}

app_test!(visitors_and_customers_get_404_pages_and_are_refused_by_admin_functions, |app| async move {
    for path in [
        "/admin",
        "/admin/products/new",
        "/admin/products/1",
        "/admin/orders/CS-000001",
        "/admin/categories",
        "/admin/categories/1",
    ] {
        let (status, html) = page_text(&app, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Page not found") && !html.contains("New product"), "{path}");
    }
    assert_eq!(app.call("admin_products", "").await.status(), 401, "signed out");

    let registered = app
        .call("register", &form_body(&[("name", "Ada"), ("email", "ada@example.com"), ("password", TEST_PASSWORD)]))
        .await;
    assert_eq!(registered.status(), 200);
    let (status, html) = page_text(&app, "/admin").await;
    assert_eq!(status, 404);
    assert!(!html.contains("Customers"));
    for (function, args) in [
        ("admin_products", ""),
        ("admin_orders", ""),
        ("admin_customers", ""),
        ("adjust_stock", "product_id=1&change=5&reason=restock"),
        ("archive_product", "id=1"),
        ("advance_order", "number=CS-000001&to=processing"),
        ("save_product", "name=X&slug=&sku=X1&description=&category=audio&price=1"),
        ("admin_category_list", ""),
        ("save_category", "name=Drones&slug=&description="),
        ("move_category", "id=1&direction=down"),
        ("archive_category", "id=1&archived=true"),
        ("delete_category", "id=1"),
    ] {
        let response = app.call(function, args).await;
        assert_eq!(response.status(), 403, "{function}");
    }
    let upload = upload(&app, 1, "a.png", "image/png", &png(10, 10)).await;
    assert_eq!(upload.status(), 404, "the upload route does not exist for customers");
    assert_eq!(app.get("/admin/products.csv").await.status(), 404, "nor the export");
    let unchanged = product::Entity::find_by_id(1).one(&app.db.db).await.unwrap().unwrap();
    assert!(unchanged.active && unchanged.archived_at.is_none());
});

app_test!(an_admin_sees_the_three_tables_and_the_simulator_controls, |app| async move {
    sign_in_as_admin(&app).await;
    let (status, html) = page_text(&app, "/admin").await;
    assert_eq!(status, 200);
    for heading in [">Products</h2>", ">Orders</h2>", ">Customers</h2>", "Simulator controls", "New product"] {
        assert!(html.contains(heading), "{heading}");
    }
    assert!(html.contains("ops@example.com"), "the customers table lists the admin");
    let (_, searched) = page_text(&app, "/admin?q=aurora").await;
    assert!(searched.contains("Aurora Wireless Headphones") && !searched.contains("Halo Smart Ring"));
});

app_test!(an_admin_creates_a_product_adjusts_its_stock_and_uploads_an_image, |app| async move {
    sign_in_as_admin(&app).await;
    let invalid = app
        .call(
            "save_product",
            &form_body(&[
                ("name", ""),
                ("slug", ""),
                ("sku", "bad sku"),
                ("description", ""),
                ("category", ""),
                ("price", "-1"),
            ]),
        )
        .await;
    assert_eq!(invalid.status(), 422);
    let body: serde_json::Value = invalid.json().await.unwrap();
    let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "sku", "category", "price"]);

    let created = app
        .call(
            "save_product",
            &form_body(&[
                ("name", "Lumen Desk Lamp"),
                ("slug", ""),
                ("sku", "LUM-LAMP-01"),
                ("description", "A warm, dimmable desk lamp."),
                ("category", "smart-home"),
                ("price", "49.90"),
                ("stock", "12"),
                ("active", "on"),
                ("image_path", ""),
            ]),
        )
        .await;
    assert!(created.status().is_redirection() || created.status() == 200, "{}", created.status());
    let lamp = product::Entity::find()
        .filter(product::Column::Slug.eq("lumen-desk-lamp"))
        .one(&app.db.db)
        .await
        .unwrap()
        .expect("created");
    assert_eq!((lamp.price_cents, lamp.stock), (4_990, 12));
    let (status, html) = page_text(&app, "/products/lumen-desk-lamp").await;
    assert_eq!(status, 200, "in the storefront");
    assert!(html.contains("Lumen Desk Lamp"));
    let (_, results) = page_text(&app, "/products?q=lumen").await;
    assert!(results.contains("/products/lumen-desk-lamp"), "and in search");

    let adjusted =
        app.call("adjust_stock", &format!("product_id={}&change=-2&reason=damaged&note=dropped", lamp.id)).await;
    assert_eq!(adjusted.status(), 200);
    assert_eq!(adjusted.json::<i32>().await.unwrap(), 10);
    let refused = app.call("adjust_stock", &format!("product_id={}&change=-50&reason=damaged", lamp.id)).await;
    assert_eq!(refused.status(), 422);
    let (status, editor) = page_text(&app, &format!("/admin/products/{}", lamp.id)).await;
    assert_eq!(status, 200);
    assert!(editor.contains("Damaged or lost") && editor.contains("dropped"), "the ledger shows the adjustment");
    assert!(stock::mismatches(&app.db.db).await.unwrap().is_empty());

    let uploaded = upload(&app, lamp.id, "lamp.png", "image/png", &png(640, 480)).await;
    assert_eq!(uploaded.status(), 303);
    assert_eq!(uploaded.headers()["location"], format!("/admin/products/{}?image=saved", lamp.id));
    let lamp = product::Entity::find_by_id(lamp.id).one(&app.db.db).await.unwrap().unwrap();
    assert!(lamp.image_path.starts_with("/uploads/products/") && lamp.image_path.ends_with(".png"));
    assert_eq!((lamp.image_width, lamp.image_height), (640, 480));
    let file_name = lamp.image_path.trim_start_matches("/uploads/products/");
    assert!(app.upload_dir.join("products").join(file_name).is_file(), "stored under UPLOAD_DIR");
    let served = app.get(&lamp.image_path).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.bytes().await.unwrap().len(), png(640, 480).len());

    let svg = upload(
        &app,
        lamp.id,
        "x.svg",
        "image/png",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    )
    .await;
    assert_eq!(svg.headers()["location"], format!("/admin/products/{}?image_error=unsupported", lamp.id));
    let oversized = upload(&app, lamp.id, "big.png", "image/png", &vec![0u8; 3 * 1024 * 1024]).await;
    assert_eq!(oversized.status(), 413);
    let too_big_image = [png(10, 10), vec![0u8; 2 * 1024 * 1024]].concat();
    let too_big = upload(&app, lamp.id, "big.png", "image/png", &too_big_image).await;
    assert_eq!(too_big.headers()["location"], format!("/admin/products/{}?image_error=too_large", lamp.id));

    let missing = upload(&app, 999_999, "lamp.png", "image/png", &png(640, 480)).await;
    assert_eq!(missing.status(), 404);
    let stored = std::fs::read_dir(app.upload_dir.join("products")).unwrap().count();
    assert_eq!(stored, 1, "only the lamp's image is kept: refused and orphaned files are not");

    let archived = app.call("archive_product", &format!("id={}", lamp.id)).await;
    assert_eq!(archived.status(), 200);
    assert_eq!(app.get("/products/lumen-desk-lamp").await.status(), 404, "archived products leave the shop");
});

app_test!(an_admin_manages_categories_with_plain_forms_and_the_shop_follows, |app| async move {
    use app::server::entities::category;
    sign_in_as_admin(&app).await;
    let (status, html) = page_text(&app, "/admin/categories").await;
    assert_eq!(status, 200);
    assert!(html.contains(">All categories</h2>") && html.contains(">New category</h2>") && html.contains("Audio"));

    // Without JavaScript: the form posts and the browser is sent to the new category's editor.
    let post_new_category = |name: &'static str, parent: &'static str| {
        let form = form_body(&[("name", name), ("slug", ""), ("description", ""), ("parent", parent)]);
        app.form_post_from(&app.client, "save_category", "/admin/categories").body(form).send()
    };
    let created = post_new_category("Headphones", "audio").await.unwrap();
    assert_eq!(created.status(), 302);
    let headphones =
        category::Entity::find().filter(category::Column::Slug.eq("headphones")).one(&app.db.db).await.unwrap();
    let id = headphones.expect("created").id;
    assert_eq!(created.headers()["location"], format!("/admin/categories/{id}?created=1"));
    let (status, editor) = page_text(&app, &format!("/admin/categories/{id}?created=1")).await;
    assert_eq!(status, 200);
    assert!(editor.contains("Category created.") && editor.contains("Edit Headphones"));

    // A refused form comes back to the page it came from with the reason under its field.
    let refused = post_new_category("Audio", "").await.unwrap();
    assert_eq!(refused.status(), 302);
    let location = refused.headers()["location"].to_str().unwrap().to_owned();
    let back = location.strip_prefix(app.address.as_str()).unwrap_or(&location).to_owned();
    let (_, html) = page_text(&app, &back).await;
    assert!(html.contains("Another category already uses this slug."), "{back}");

    // The shop lists it under its parent, with a breadcrumb back up.
    let (_, listing) = page_text(&app, "/products?category=audio").await;
    assert!(listing.contains("category-nav__children") && listing.contains("/products?category=headphones"));
    let (status, child) = page_text(&app, "/products?category=headphones").await;
    assert_eq!(status, 200);
    assert!(child.contains(r#"aria-label="Breadcrumb""#) && child.contains(">Audio</a>"));

    let moved = app.call("move_category", &format!("id={id}&direction=sideways")).await;
    assert_eq!(moved.status(), 422, "an unknown direction is refused");
    assert_eq!(app.call("archive_category", &format!("id={id}&archived=true")).await.status(), 200);
    assert_eq!(app.get("/products?category=headphones").await.status(), 404, "archived: out of the shop");
    let sitemap = app.get("/sitemap.xml").await.text().await.unwrap();
    assert!(!sitemap.contains("category=headphones") && sitemap.contains("category=audio"));

    let audio = category::Entity::find().filter(category::Column::Slug.eq("audio")).one(&app.db.db).await.unwrap();
    let in_use = app.call("delete_category", &format!("id={}", audio.unwrap().id)).await;
    assert_eq!(in_use.status(), 409, "a category with products is archived, never deleted");
    let deleted = app.call("delete_category", &format!("id={id}")).await;
    assert!(deleted.status().is_redirection() || deleted.status() == 200, "{}", deleted.status());
    assert!(category::Entity::find_by_id(id).one(&app.db.db).await.unwrap().is_none());
});

app_test!(an_admin_exports_every_product_as_csv_a_spreadsheet_reads_safely, |app| async move {
    sign_in_as_admin(&app).await;
    let mut lamp: product::ActiveModel = product::Entity::find_by_id(1).one(&app.db.db).await.unwrap().unwrap().into();
    lamp.description = sea_orm::ActiveValue::Set("=HYPERLINK(\"http://evil.example\", \"Warm, dimmable\")".into());
    sea_orm::ActiveModelTrait::update(lamp, &app.db.db).await.unwrap();

    let response = app.get("/admin/products.csv").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(
        response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"products-")
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body = response.text().await.unwrap();
    let lines: Vec<&str> = body.split_terminator("\r\n").collect();
    assert_eq!(lines[0], "sku,name,slug,category,price,currency,stock,active,archived,featured,image,description");
    assert_eq!(lines.len(), 71, "a header and the 70 seeded products");
    let first = product::Entity::find_by_id(1).one(&app.db.db).await.unwrap().unwrap();
    assert!(lines[1].starts_with(&format!("{},{},{},", first.sku, first.name, first.slug)), "{}", lines[1]);
    assert!(
        lines[1].ends_with(r#","'=HYPERLINK(""http://evil.example"", ""Warm, dimmable"")""#),
        "quoted and defused: {}",
        lines[1]
    );
});
