use crate::{app_test, helpers::spawn_app};
use app::server::testing::Backend;
use sea_orm::{ConnectionTrait, Database};

app_test!(liveness_answers_ok, |app| async move {
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
});

app_test!(readiness_answers_ready_while_the_database_is_up, |app| async move {
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ready");
});

#[tokio::test]
#[ignore = "PostgreSQL: set TEST_DATABASE_URL and pass --include-ignored"]
async fn readiness_answers_503_once_the_database_is_gone() {
    let app = spawn_app(Backend::Postgres).await.expect(app::server::testing::POSTGRES_ONLY);
    assert_eq!(app.get("/readyz").await.status(), 200);

    let url = app.db.settings.url.clone();
    let name = url.rsplit('/').next().unwrap().split('?').next().unwrap().to_owned();
    let admin_url = app::server::testing::postgres_admin_url().unwrap();
    let admin = Database::connect(admin_url.as_str()).await.unwrap();
    admin.execute_unprepared(&format!("DROP DATABASE \"{name}\" WITH (FORCE)")).await.unwrap();

    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    assert!(response.text().await.unwrap().contains("database unavailable"));
    // Liveness is about the process, not its dependencies.
    assert_eq!(app.get("/healthz").await.status(), 200);
}
