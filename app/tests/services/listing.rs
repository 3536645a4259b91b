use app::server::testing::test_slug;
use app::{
    db_test,
    domain::error::AppError,
    domain::listing::{ListingQuery, PAGE_SIZE},
    server::{
        entities::product,
        seed::seed_catalog,
        services::catalog::{categories, featured_products, list_products, product_detail, sitemap_entries},
    },
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

fn query(category: Option<&str>, q: Option<&str>, sort: Option<&str>, page: Option<&str>) -> ListingQuery {
    ListingQuery::from_params(category, q, sort, page).unwrap()
}

fn names(listing: &app::domain::listing::Listing) -> Vec<&str> {
    listing.items.iter().map(|p| p.name.as_str()).collect()
}

async fn rename(db: &sea_orm::DatabaseConnection, from: &str, to: &str) {
    let found = product::Entity::find().filter(product::Column::Name.eq(from)).one(db).await.unwrap().unwrap();
    let mut active: product::ActiveModel = found.into();
    active.name = Set(to.to_owned());
    active.update(db).await.unwrap();
}

db_test!(a_word_prefix_finds_products_whose_names_start_with_it, |t| async move {
    let listing = list_products(&t.db, &query(None, Some("head"), None, None)).await.unwrap();
    let found = names(&listing);
    for expected in ["Aurora Wireless Headphones", "Blaze Gaming Headset", "Arc Sleep Headband"] {
        assert!(found.contains(&expected), "{expected} missing from {found:?}");
    }
    assert_eq!(listing.total as usize, found.len());
});

db_test!(search_ranks_name_matches_above_description_matches, |t| async move {
    let listing = list_products(&t.db, &query(None, Some("headphones"), None, None)).await.unwrap();
    assert_eq!(names(&listing)[0], "Aurora Wireless Headphones");

    let listing = list_products(&t.db, &query(None, Some("gaming mouse"), None, None)).await.unwrap();
    assert_eq!(names(&listing)[0], "Raptor Gaming Mouse");
    // Every word must match: the plain "Glide Wireless Mouse" is not a gaming mouse.
    assert!(!names(&listing).contains(&"Glide Wireless Mouse"));
});

db_test!(search_finds_a_product_by_its_sku, |t| async move {
    let sku = &seed_catalog().products[0].sku;
    let listing = list_products(&t.db, &query(None, Some(sku), None, None)).await.unwrap();
    assert_eq!(names(&listing).first(), Some(&"Aurora Wireless Headphones"), "searching {sku}");
});

db_test!(a_search_with_no_match_is_an_empty_listing_not_an_error, |t| async move {
    let listing = list_products(&t.db, &query(None, Some("zzyzx"), None, None)).await.unwrap();
    assert!(listing.items.is_empty());
    assert_eq!(listing.total, 0);
    // Query syntax is searched as words ("or", "1"), never interpreted.
    let injection = list_products(&t.db, &query(None, Some("' OR 'x'='x' --"), None, None)).await.unwrap();
    let words = list_products(&t.db, &query(None, Some("or x x"), None, None)).await.unwrap();
    assert_eq!(names(&injection), names(&words));
    let punctuation = list_products(&t.db, &query(None, Some("\"*:()^"), None, None)).await.unwrap();
    assert_eq!(punctuation.total, 70, "nothing to search for: the whole catalog");
});

db_test!(search_follows_renamed_products, |t| async move {
    rename(&t.db, "Pulse Mini Bluetooth Speaker", "Quasar Mini Bluetooth Speaker").await;
    let listing = list_products(&t.db, &query(None, Some("quasar"), None, None)).await.unwrap();
    assert_eq!(names(&listing), ["Quasar Mini Bluetooth Speaker"]);
    let listing = list_products(&t.db, &query(None, Some("pulse"), None, None)).await.unwrap();
    assert!(!names(&listing).iter().any(|name| name.contains("Pulse Mini")));
});

db_test!(a_category_filter_lists_only_that_category, |t| async move {
    let listing = list_products(&t.db, &query(Some("audio"), None, None, None)).await.unwrap();
    assert_eq!(listing.total, 10);
    assert!(listing.items.iter().all(|p| p.category_name == "Audio"));
    assert_eq!(listing.category.as_ref().map(|c| c.name.as_str()), Some("Audio"));

    let both = list_products(&t.db, &query(Some("wearables"), Some("smart"), None, None)).await.unwrap();
    assert!(!both.items.is_empty());
    assert!(both.items.iter().all(|p| p.category_name == "Wearables"), "{:?}", names(&both));
});

db_test!(an_unknown_category_is_not_found, |t| async move {
    let err = list_products(&t.db, &query(Some("time-machines"), None, None, None)).await.unwrap_err();
    assert_eq!(err, AppError::not_found("That category"));
});

db_test!(sort_orders_order_the_whole_listing, |t| async move {
    let all = |sort: &'static str| {
        let db = t.db.clone();
        async move {
            let mut prices_and_names = Vec::new();
            for page in 1..=3 {
                let listing =
                    list_products(&db, &query(None, None, Some(sort), Some(&page.to_string()))).await.unwrap();
                prices_and_names.extend(listing.items.into_iter().map(|p| (p.price.cents, p.name)));
            }
            prices_and_names
        }
    };
    let ascending = all("price-asc").await;
    assert_eq!(ascending.len(), 70);
    assert!(ascending.windows(2).all(|w| w[0].0 <= w[1].0));
    let descending = all("price-desc").await;
    assert!(descending.windows(2).all(|w| w[0].0 >= w[1].0));
    let by_name = all("name").await;
    assert!(by_name.windows(2).all(|w| w[0].1 <= w[1].1), "{by_name:?}");
    let newest = all("newest").await;
    let seeded: Vec<String> = seed_catalog().products.into_iter().map(|p| p.name).collect();
    assert_eq!(newest.into_iter().map(|(_, name)| name).collect::<Vec<_>>(), seeded);
});

db_test!(pages_cover_the_catalog_once_and_past_the_end_is_empty, |t| async move {
    let mut ids = Vec::new();
    for page in 1..=3 {
        let listing =
            list_products(&t.db, &query(None, None, Some("price-asc"), Some(&page.to_string()))).await.unwrap();
        assert_eq!(listing.total, 70);
        assert_eq!(listing.page_count(), 3);
        assert_eq!(listing.items.len(), if page < 3 { PAGE_SIZE as usize } else { 22 });
        ids.extend(listing.items.iter().map(|p| p.id));
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 70);
    let beyond = list_products(&t.db, &query(None, None, None, Some("4"))).await.unwrap();
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, 70);
});

db_test!(inactive_products_are_hidden_everywhere, |t| async move {
    let found = product::Entity::find().filter(product::Column::Slug.eq("tempo-sport-earphones")).one(&t.db).await;
    let mut active: product::ActiveModel = found.unwrap().unwrap().into();
    active.active = Set(false);
    active.update(&t.db).await.unwrap();

    let audio = list_products(&t.db, &query(Some("audio"), None, None, None)).await.unwrap();
    assert_eq!(audio.total, 9);
    let search = list_products(&t.db, &query(None, Some("tempo"), None, None)).await.unwrap();
    assert!(search.items.is_empty());
    assert_eq!(product_detail(&t.db, &test_slug("tempo-sport-earphones")).await.unwrap_err().status(), 404);
    let counts = categories(&t.db).await.unwrap();
    assert_eq!(counts.iter().find(|c| c.slug == "audio").unwrap().product_count, 9);
    assert_eq!(sitemap_entries(&t.db).await.unwrap().products.len(), 69);
});

db_test!(a_listing_costs_the_same_few_queries_whatever_its_size, |t| async move {
    let statements = Arc::new(AtomicUsize::new(0));
    let mut db = t.db.clone();
    let counter = statements.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let mut costs = Vec::new();
    for (category, q, page) in [
        (Some("audio"), Some("wireless"), "1"),
        (None, None, "1"),
        (None, None, "3"),
        (Some("gaming"), None, "1"),
        (None, Some("smart"), "1"),
    ] {
        statements.store(0, Ordering::SeqCst);
        let listing = list_products(&db, &query(category, q, None, Some(page))).await.unwrap();
        costs.push((listing.items.len(), statements.load(Ordering::SeqCst)));
    }
    // One category lookup (when filtering), one count, one page: never one query per product.
    assert!(costs.iter().all(|(_, queries)| *queries <= 3), "{costs:?}");
    assert!(costs.iter().any(|(items, _)| *items == PAGE_SIZE as usize), "{costs:?}");
});

db_test!(categories_come_in_navigation_order_with_counts, |t| async move {
    let list = categories(&t.db).await.unwrap();
    let slugs: Vec<&str> = list.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(slugs, ["audio", "computing", "smart-home", "cameras", "wearables", "gaming", "accessories"]);
    assert!(list.iter().all(|c| c.product_count == 10));
});

db_test!(a_product_page_has_details_and_related_products_from_its_category, |t| async move {
    let detail = product_detail(&t.db, &test_slug("aurora-wireless-headphones")).await.unwrap();
    assert_eq!(detail.card.name, "Aurora Wireless Headphones");
    assert_eq!(detail.category_slug, "audio");
    assert!(!detail.description.is_empty());
    assert_eq!(detail.related.len(), 4);
    assert!(detail.related.iter().all(|p| p.category_name == "Audio" && p.slug != detail.card.slug));
    assert_eq!(
        product_detail(&t.db, &test_slug("no-such-thing")).await.unwrap_err(),
        AppError::not_found("That product")
    );
});

db_test!(featured_products_are_the_flagged_ones_in_category_order, |t| async move {
    let featured = featured_products(&t.db, 4).await.unwrap();
    let names: Vec<&str> = featured.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["Aurora Wireless Headphones", "Atlas 14 Ultrabook", "Beacon Smart Bulb 4-Pack", "Vector Mirrorless Camera"]
    );
});

db_test!(the_sitemap_lists_every_active_product_and_category, |t| async move {
    let entries = sitemap_entries(&t.db).await.unwrap();
    assert_eq!(entries.products.len(), 70);
    assert_eq!(entries.categories.len(), 7);
});
