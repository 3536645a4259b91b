use crate::app_test;
use app::server::seed::seed_catalog;
use sea_orm::ConnectionTrait;
use serde_json::Value;

app_test!(load_more_returns_the_next_products_as_json, |app| async move {
    let response = app.call("latest_products", "offset=12&limit=12").await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 12);
    let expected: Vec<String> = seed_catalog().products[12..24].iter().map(|p| p.name.clone()).collect();
    let names: Vec<&str> = items.iter().map(|item| item["name"].as_str().unwrap()).collect();
    assert_eq!(names, expected);
    assert_eq!(page["has_more"], true);
});

app_test!(out_of_range_arguments_get_422_with_a_readable_message, |app| async move {
    let response = app.call("latest_products", "offset=-1&limit=12").await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["kind"], "validation");
    assert_eq!(body["field"], "offset");
    assert_eq!(body["message"], "The offset must be between 0 and 10000.");

    let response = app.call("latest_products", "offset=0&limit=100000").await;
    assert_eq!(response.status(), 422);
});

app_test!(malformed_arguments_get_400, |app| async move {
    for form in ["offset=abc&limit=12", "limit=12", "offset=1e99&limit=2", ""] {
        let response = app.call("latest_products", form).await;
        assert_eq!(response.status(), 400, "{form:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["kind"], "bad_request", "{form:?}");
    }
});

app_test!(database_failures_are_hidden_behind_a_generic_500, |app| async move {
    app.db.db.execute_unprepared("ALTER TABLE products RENAME TO products_gone").await.unwrap();
    let response = app.call("latest_products", "offset=0&limit=12").await;
    assert_eq!(response.status(), 500);
    let text = response.text().await.unwrap();
    assert_eq!(text, r#"{"kind":"internal"}"#);
    let error: app::domain::error::AppError = serde_json::from_str(&text).unwrap();
    assert_eq!(error.to_string(), "Something went wrong on our side. Please try again.");
    assert!(!text.to_lowercase().contains("products"), "database text leaked: {text}");
    assert!(!text.to_lowercase().contains("sql"), "database text leaked: {text}");
});

app_test!(unknown_server_functions_are_not_found, |app| async move {
    let response = app.call("no_such_function", "").await;
    assert_eq!(response.status(), 404);
});
