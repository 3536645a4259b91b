use app::{db_test, server::entities::product};
use migration::{Migrator, MigratorTrait};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, PaginatorTrait};

db_test!(stock_can_never_go_below_zero, |t| async move {
    let item = product::Entity::find_by_id(1).one(&t.db).await.unwrap().unwrap();
    let mut change: product::ActiveModel = item.into();
    change.stock = Set(-1);
    let err = change.update(&t.db).await.unwrap_err();
    assert!(err.to_string().to_lowercase().contains("check"), "{err}");
});

db_test!(slugs_and_skus_are_unique, |t| async move {
    let item = product::Entity::find_by_id(1).one(&t.db).await.unwrap().unwrap();
    let mut copy: product::ActiveModel = item.clone().into();
    copy.id = sea_orm::ActiveValue::NotSet;
    copy.sku = Set("NEW-0001".into());
    assert!(product::Entity::insert(copy).exec(&t.db).await.is_err(), "duplicate slug accepted");
    let mut copy: product::ActiveModel = item.into();
    copy.id = sea_orm::ActiveValue::NotSet;
    copy.slug = Set("a-new-slug".into());
    assert!(product::Entity::insert(copy).exec(&t.db).await.is_err(), "duplicate sku accepted");
});

db_test!(products_cannot_point_at_a_missing_category, |t| async move {
    let result = t.db.execute_unprepared("UPDATE products SET category_id = 9999 WHERE id = 1").await;
    assert!(result.is_err(), "foreign key not enforced");
});

db_test!(migrations_go_down_and_up_again, |t| async move {
    Migrator::down(&t.db, None).await.unwrap();
    assert!(product::Entity::find().count(&t.db).await.is_err(), "products table still exists");
    Migrator::up(&t.db, None).await.unwrap();
    assert_eq!(product::Entity::find().count(&t.db).await.unwrap(), 0);
    assert!(Migrator::get_pending_migrations(&t.db).await.unwrap().is_empty());
});

/// Every table, column, index and constraint, as text, in a fixed order.
async fn schema(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    let backend = db.get_database_backend();
    let queries: &[&str] = match backend {
        sea_orm::DbBackend::Sqlite => &["SELECT type || ' ' || name || ': ' || COALESCE(sql, '') AS line \
             FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND tbl_name <> 'seaql_migrations'"],
        _ => &[
            "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || \
             COALESCE(column_default, '') AS line FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name <> 'seaql_migrations'",
            "SELECT indexdef AS line FROM pg_indexes WHERE schemaname = current_schema() \
             AND tablename <> 'seaql_migrations'",
            "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line \
             FROM pg_constraint WHERE connamespace = current_schema()::regnamespace \
             AND conrelid::regclass::text <> 'seaql_migrations'",
        ],
    };
    let mut lines = Vec::new();
    for query in queries {
        for row in db.query_all_raw(sea_orm::Statement::from_string(backend, *query)).await.unwrap() {
            lines.push(row.try_get::<String>("", "line").unwrap());
        }
    }
    lines.sort();
    lines
}

db_test!(each_migration_down_restores_the_schema_from_before_it, |t| async move {
    Migrator::down(&t.db, None).await.unwrap();
    let mut before = vec![schema(&t.db).await];
    let count = Migrator::migrations().len();
    for _ in 0..count {
        Migrator::up(&t.db, Some(1)).await.unwrap();
        before.push(schema(&t.db).await);
    }
    for step in (0..count).rev() {
        Migrator::down(&t.db, Some(1)).await.unwrap();
        assert_eq!(schema(&t.db).await, before[step], "after the down of migration {}", step + 1);
    }
});

db_test!(the_outbox_move_keeps_every_order_message_going_down_and_up, |t| async move {
    use crate::orders::{customer, new_key, product_with, request};
    use app::server::{
        entities::outbox_message,
        services::{
            cart::{self, CartOwner},
            orders::{self, Payment},
        },
    };
    use sea_orm::{ColumnTrait, QueryFilter};
    let rules = app::domain::commerce::PricingRules {
        shipping_fee_cents: 0,
        free_shipping_from_cents: 0,
        tax_rate_basis_points: 0,
    };
    let shopper = customer(&t.db, "grace@example.com").await;
    let item = product_with(&t.db, "aurora-wireless-headphones", 5, 1_000).await;
    cart::add(&t.db, &CartOwner::User(shopper.id), item.id, 1).await.unwrap();
    orders::place_order(&t.db, &shopper, request(&new_key(), Payment::CashOnDelivery), &rules).await.unwrap();

    // Down to just before the migration that moved the outbox (the later ones go first).
    let names: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
    let moved_at = names.iter().position(|name| name == "m20261203_000007_account_mail").unwrap();
    Migrator::down(&t.db, Some((names.len() - moved_at) as u32)).await.unwrap();
    let backend = t.db.get_database_backend();
    let old =
        t.db.query_all_raw(sea_orm::Statement::from_string(backend, "SELECT order_id, recipient FROM email_outbox"))
            .await
            .unwrap();
    assert_eq!(old.len(), 1, "the order's confirmation went back to the old table");
    Migrator::up(&t.db, None).await.unwrap();
    let moved = outbox_message::Entity::find()
        .filter(outbox_message::Column::Kind.eq("order_confirmation"))
        .all(&t.db)
        .await
        .unwrap();
    assert_eq!(moved.len(), 1);
    assert_eq!((moved[0].recipient.as_str(), moved[0].user_id), ("grace@example.com", Some(shopper.id)));
});
