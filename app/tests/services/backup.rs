//! `server backup`: an online copy of a SQLite shop that restores to consistent data.

use crate::orders::assert_ledger_agrees;
use app::{
    domain::admin::StockAdjustment,
    server::{
        backup::{BackupError, backup_sqlite},
        database::{DatabaseSettings, connect, sqlite_file},
        entities::product,
        services::stock,
        testing::TestDb,
    },
};
use sea_orm::{EntityTrait, PaginatorTrait};
use std::path::PathBuf;

fn scratch_file(label: &str) -> PathBuf {
    std::env::temp_dir().join(format!("cloudscale-{label}-{}.db", uuid::Uuid::new_v4().simple()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_taken_while_stock_moves_each_restore_with_stock_equal_to_the_ledger() {
    let t = TestDb::sqlite().await;
    let products: Vec<i32> = product::Entity::find().all(&t.db).await.unwrap().iter().map(|p| p.id).collect();
    let writer = {
        let db = t.db.clone();
        let products = products.clone();
        tokio::spawn(async move {
            let restock = StockAdjustment::parse("+1", "restock", "backup test").unwrap();
            for round in 0..400 {
                stock::adjust(&db, 0, products[round % products.len()], &restock).await.unwrap();
            }
        })
    };
    let mut copies = Vec::new();
    while !writer.is_finished() {
        let to = scratch_file("backup");
        let report = backup_sqlite(&t.settings.url, &to).await.unwrap();
        assert!(report.bytes > 0);
        copies.push(to);
    }
    writer.await.unwrap();
    assert!(copies.len() >= 2, "the writer finished before a second backup: {}", copies.len());

    let mut movements_seen = Vec::new();
    for copy in &copies {
        let restored = connect(&DatabaseSettings::new(format!("sqlite://{}", copy.display()))).await.unwrap();
        assert_ledger_agrees(&restored).await;
        let count = app::server::entities::stock_movement::Entity::find().count(&restored).await.unwrap();
        movements_seen.push(count);
        restored.close().await.unwrap();
        let _ = std::fs::remove_file(copy);
    }
    assert!(movements_seen.windows(2).any(|w| w[0] != w[1]), "every copy was the same moment: {movements_seen:?}");
}

#[tokio::test]
async fn a_backup_never_overwrites_a_file_or_invents_a_database() {
    let t = TestDb::sqlite().await;
    let existing = scratch_file("existing");
    std::fs::write(&existing, b"an older backup").unwrap();
    let error = backup_sqlite(&t.settings.url, &existing).await.unwrap_err();
    assert!(matches!(error, BackupError::TargetExists(_)), "{error}");
    assert_eq!(std::fs::read(&existing).unwrap(), b"an older backup");
    std::fs::remove_file(&existing).unwrap();

    let missing = format!("sqlite://{}?mode=rwc", scratch_file("missing").display());
    let to = scratch_file("copy");
    let error = backup_sqlite(&missing, &to).await.unwrap_err();
    assert!(matches!(error, BackupError::NoDatabase(_)), "{error}");
    assert!(!sqlite_file(&missing).unwrap().exists(), "the missing database was created");
    assert!(!to.exists());

    let error = backup_sqlite("postgres://shop@db/shop", &to).await.unwrap_err();
    assert!(matches!(error, BackupError::NotSqlite), "{error}");
}
