use app::{
    db_test,
    domain::model::PageWindow,
    server::{
        entities::product,
        seed::{seed_catalog, seed_catalog_if_empty},
        services::catalog::latest_products,
    },
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait};

fn window(offset: i64, limit: i64) -> PageWindow {
    PageWindow::new(offset, limit).unwrap()
}

db_test!(latest_products_come_newest_first, |t| async move {
    let page = latest_products(&t.db, window(0, 12)).await.unwrap();
    let expected: Vec<String> = seed_catalog().products.iter().take(12).map(|p| p.name.clone()).collect();
    let names: Vec<String> = page.items.iter().map(|p| p.name.clone()).collect();
    assert_eq!(names, expected);
    assert!(page.has_more);
});

db_test!(pages_follow_each_other_without_gaps_or_repeats, |t| async move {
    let total = seed_catalog().products.len();
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = latest_products(&t.db, window(offset, 12)).await.unwrap();
        seen.extend(page.items.iter().map(|p| p.id));
        offset += 12;
        if !page.has_more {
            break;
        }
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(seen.len(), total);
    assert_eq!(unique.len(), total);
});

db_test!(the_last_page_says_nothing_more_follows, |t| async move {
    let total = seed_catalog().products.len() as i64;
    let last = latest_products(&t.db, window(total - 3, 12)).await.unwrap();
    assert_eq!(last.items.len(), 3);
    assert!(!last.has_more);
    let beyond = latest_products(&t.db, window(total + 10, 12)).await.unwrap();
    assert!(beyond.items.is_empty() && !beyond.has_more);
});

db_test!(cards_carry_category_price_and_image, |t| async move {
    let page = latest_products(&t.db, window(0, 1)).await.unwrap();
    let card = &page.items[0];
    assert_eq!(card.name, "Aurora Wireless Headphones");
    assert_eq!(card.category_name, "Audio");
    assert_eq!(card.price.to_string(), "$149.00");
    assert_eq!(card.image_path, "/images/products/aurora-wireless-headphones.svg");
    assert_eq!((card.image_width, card.image_height), (480, 360));
});

db_test!(inactive_products_are_not_listed, |t| async move {
    let newest = product::Entity::find_by_id(1).one(&t.db).await.unwrap().unwrap();
    let mut archived: product::ActiveModel = newest.into();
    archived.active = Set(false);
    archived.update(&t.db).await.unwrap();
    let page = latest_products(&t.db, window(0, 48)).await.unwrap();
    assert!(page.items.iter().all(|p| p.id != 1));
});

db_test!(seeding_a_seeded_database_adds_nothing, |t| async move {
    let before = product::Entity::find().count(&t.db).await.unwrap();
    assert_eq!(before, seed_catalog().products.len() as u64);
    assert_eq!(seed_catalog_if_empty(&t.db).await.unwrap(), 0);
    assert_eq!(product::Entity::find().count(&t.db).await.unwrap(), before);
});
