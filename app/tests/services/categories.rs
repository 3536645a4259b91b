//! Categories in the back office and what the shop shows of them: nesting, order, archiving,
//! deleting, and the listing, navigation, product page and sitemap that follow.

use app::server::testing::test_slug;
use app::{
    db_test,
    domain::categories::{CategoryDraft, CategoryForm, Direction},
    domain::error::AppError,
    domain::listing::ListingQuery,
    server::{
        entities::{category, product},
        services::{admin_catalog, admin_categories, catalog},
    },
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

const ADMIN: i32 = 0;

fn draft(name: &str, parent: &str) -> CategoryDraft {
    CategoryDraft::parse(&CategoryForm { name: name.into(), parent: parent.into(), ..Default::default() }).unwrap()
}

async fn id_of(db: &DatabaseConnection, slug: &str) -> i32 {
    category::Entity::find().filter(category::Column::Slug.eq(slug)).one(db).await.unwrap().unwrap().id
}

/// Files the seeded product `slug` under the category `category_id`.
async fn file_product(db: &DatabaseConnection, slug: &str, category_id: i32) {
    let found = product::Entity::find().filter(product::Column::Slug.eq(slug)).one(db).await.unwrap().unwrap();
    let mut row: product::ActiveModel = found.into();
    row.category_id = Set(category_id);
    row.update(db).await.unwrap();
}

fn listing(category: &str) -> ListingQuery {
    ListingQuery::from_params(Some(category), None, None, None).unwrap()
}

fn field_of(error: AppError) -> String {
    match error {
        AppError::Validation { field, .. } => field,
        other => panic!("expected a field error, got {other:?}"),
    }
}

db_test!(a_subcategory_shows_under_its_parent_whose_listing_includes_its_products, |t| async move {
    let headphones = admin_categories::create(&t.db, ADMIN, &draft("Headphones", "audio")).await.unwrap();
    file_product(&t.db, "aurora-wireless-headphones", headphones).await;

    let nav = catalog::categories(&t.db).await.unwrap();
    let slugs: Vec<&str> = nav.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(slugs[..2], ["audio", "headphones"], "the child follows its parent");
    let audio = nav.iter().find(|c| c.slug == "audio").unwrap();
    let child = nav.iter().find(|c| c.slug == "headphones").unwrap();
    assert_eq!((audio.product_count, child.product_count), (10, 1), "a parent counts its children's products");
    assert_eq!(child.parent.as_ref().map(|p| p.slug.as_str()), Some("audio"));

    let parent_listing = catalog::list_products(&t.db, &listing("audio")).await.unwrap();
    assert_eq!(parent_listing.total, 10);
    let child_listing = catalog::list_products(&t.db, &listing("headphones")).await.unwrap();
    assert_eq!(child_listing.total, 1);
    assert_eq!(child_listing.category.unwrap().parent.unwrap().name, "Audio");

    let detail = catalog::product_detail(&t.db, &test_slug("aurora-wireless-headphones")).await.unwrap();
    assert_eq!((detail.category_slug.as_str(), detail.category_listed), ("headphones", true));
    assert_eq!(detail.category_parent.unwrap().slug, "audio");

    // An archived child leaves its parent's listing and count alike.
    admin_categories::set_archived(&t.db, ADMIN, headphones, true).await.unwrap();
    assert_eq!(catalog::list_products(&t.db, &listing("audio")).await.unwrap().total, 9);
    let nav = catalog::categories(&t.db).await.unwrap();
    assert_eq!(nav.iter().find(|c| c.slug == "audio").unwrap().product_count, 9);
});

db_test!(categories_nest_one_level_only, |t| async move {
    let child = admin_categories::create(&t.db, ADMIN, &draft("Headphones", "audio")).await.unwrap();
    let grandchild = admin_categories::create(&t.db, ADMIN, &draft("Earbuds", "headphones")).await.unwrap_err();
    assert_eq!(field_of(grandchild), "parent");
    let audio = id_of(&t.db, "audio").await;
    let under_child = admin_categories::update(&t.db, ADMIN, audio, &draft("Audio", "computing")).await.unwrap_err();
    assert_eq!(field_of(under_child), "parent", "a parent with children stays at the top");
    let itself = admin_categories::update(&t.db, ADMIN, child, &draft("Headphones", "headphones")).await.unwrap_err();
    assert_eq!(field_of(itself), "parent");
    let unknown = admin_categories::create(&t.db, ADMIN, &draft("Drones", "no-such-category")).await.unwrap_err();
    assert_eq!(field_of(unknown), "parent");
});

db_test!(a_slug_in_use_is_refused_on_its_field, |t| async move {
    let clash = admin_categories::create(&t.db, ADMIN, &draft("Audio", "")).await.unwrap_err();
    assert_eq!(field_of(clash), "slug");
    let gaming = id_of(&t.db, "gaming").await;
    let renamed = CategoryDraft { slug: "audio".into(), ..draft("Gaming", "") };
    assert_eq!(field_of(admin_categories::update(&t.db, ADMIN, gaming, &renamed).await.unwrap_err()), "slug");
    admin_categories::update(&t.db, ADMIN, gaming, &draft("Gaming", "")).await.expect("its own slug is no clash");
});

db_test!(moving_a_category_swaps_it_with_its_neighbour_and_stops_at_the_ends, |t| async move {
    let order = |db: DatabaseConnection| async move {
        catalog::categories(&db).await.unwrap().into_iter().map(|c| c.slug).collect::<Vec<_>>()
    };
    let computing = id_of(&t.db, "computing").await;
    admin_categories::shift(&t.db, ADMIN, computing, Direction::Up).await.unwrap();
    assert_eq!(order(t.db.clone()).await[..3], ["computing", "audio", "smart-home"]);
    admin_categories::shift(&t.db, ADMIN, computing, Direction::Up).await.unwrap();
    assert_eq!(order(t.db.clone()).await[..2], ["computing", "audio"], "the first stays first");
    let accessories = id_of(&t.db, "accessories").await;
    admin_categories::shift(&t.db, ADMIN, accessories, Direction::Down).await.unwrap();
    assert_eq!(order(t.db.clone()).await.last().unwrap(), "accessories");

    let rows = admin_categories::list(&t.db).await.unwrap();
    assert!(!rows[0].has_previous && rows[0].has_next);
    assert!(rows.last().unwrap().has_previous && !rows.last().unwrap().has_next);
});

db_test!(an_archived_category_leaves_the_shop_while_its_products_stay_on_sale, |t| async move {
    let gaming = id_of(&t.db, "gaming").await;
    admin_categories::set_archived(&t.db, ADMIN, gaming, true).await.unwrap();

    assert!(catalog::categories(&t.db).await.unwrap().iter().all(|c| c.slug != "gaming"));
    let refused = catalog::list_products(&t.db, &listing("gaming")).await.unwrap_err();
    assert_eq!(refused, AppError::not_found("That category"));
    assert!(!catalog::sitemap_entries(&t.db).await.unwrap().categories.contains(&"gaming".to_owned()));
    let all = catalog::list_products(&t.db, &ListingQuery::default()).await.unwrap();
    assert_eq!(all.total, 70, "its products are still in the shop");
    let gaming_product =
        product::Entity::find().filter(product::Column::CategoryId.eq(gaming)).one(&t.db).await.unwrap().unwrap();
    let detail = catalog::product_detail(&t.db, &test_slug(&gaming_product.slug)).await.unwrap();
    assert!(!detail.category_listed, "the product page names it without a link");

    let choices = admin_catalog::category_choices(&t.db).await.unwrap();
    assert!(choices.iter().any(|c| c.slug == "gaming" && c.name == "Gaming (archived)"));

    admin_categories::set_archived(&t.db, ADMIN, gaming, false).await.unwrap();
    assert_eq!(catalog::list_products(&t.db, &listing("gaming")).await.unwrap().total, 10);
});

db_test!(a_parent_is_archived_after_its_children_and_a_child_restored_after_its_parent, |t| async move {
    let child = admin_categories::create(&t.db, ADMIN, &draft("Headphones", "audio")).await.unwrap();
    let audio = id_of(&t.db, "audio").await;
    let refused = admin_categories::set_archived(&t.db, ADMIN, audio, true).await.unwrap_err();
    assert_eq!(refused.status(), 409);
    admin_categories::set_archived(&t.db, ADMIN, child, true).await.unwrap();
    admin_categories::set_archived(&t.db, ADMIN, audio, true).await.unwrap();
    file_product(&t.db, "aurora-wireless-headphones", child).await;
    let detail = catalog::product_detail(&t.db, &test_slug("aurora-wireless-headphones")).await.unwrap();
    assert!(!detail.category_listed && detail.category_parent.is_none(), "no breadcrumb link to an archived parent");
    let refused = admin_categories::set_archived(&t.db, ADMIN, child, false).await.unwrap_err();
    assert_eq!(refused.status(), 409);
    let under_archived = admin_categories::create(&t.db, ADMIN, &draft("Speakers", "audio")).await.unwrap_err();
    assert_eq!(field_of(under_archived), "parent");

    // Its editor still offers the archived parent it has, and saving keeps it there.
    let editor = admin_categories::editor(&t.db, child).await.unwrap();
    assert_eq!(editor.parent_slug.as_deref(), Some("audio"));
    assert!(editor.parent_choices.iter().any(|choice| choice.slug == "audio" && choice.name == "Audio (archived)"));
    let renamed = CategoryDraft { description: "Over-ear and on-ear.".into(), ..draft("Headphones", "audio") };
    admin_categories::update(&t.db, ADMIN, child, &renamed).await.expect("it stays under its archived parent");
    let saved = category::Entity::find_by_id(child).one(&t.db).await.unwrap().unwrap();
    assert_eq!(saved.parent_id, Some(audio));
});

db_test!(only_an_empty_category_can_be_deleted, |t| async move {
    let audio = id_of(&t.db, "audio").await;
    let refused = admin_categories::delete(&t.db, ADMIN, audio).await.unwrap_err();
    assert_eq!(refused.status(), 409);
    assert_eq!(catalog::list_products(&t.db, &listing("audio")).await.unwrap().total, 10, "nothing was lost");

    let empty = admin_categories::create(&t.db, ADMIN, &draft("Drones", "")).await.unwrap();
    let child = admin_categories::create(&t.db, ADMIN, &draft("Racing drones", "drones")).await.unwrap();
    assert_eq!(admin_categories::delete(&t.db, ADMIN, empty).await.unwrap_err().status(), 409, "it has a child");
    admin_categories::delete(&t.db, ADMIN, child).await.unwrap();
    admin_categories::delete(&t.db, ADMIN, empty).await.unwrap();
    assert!(category::Entity::find_by_id(empty).one(&t.db).await.unwrap().is_none());
    assert_eq!(admin_categories::delete(&t.db, ADMIN, empty).await.unwrap_err().status(), 404);
});

db_test!(no_product_moves_into_an_archived_category_but_one_already_there_may_stay, |t| async move {
    use app::domain::admin::{ProductDraft, ProductForm};
    let gaming = id_of(&t.db, "gaming").await;
    admin_categories::set_archived(&t.db, ADMIN, gaming, true).await.unwrap();
    let form = |category: &str| ProductForm {
        name: "Lumen Desk Lamp".into(),
        sku: "LUM-LAMP-01".into(),
        category: category.into(),
        price: "49.90".into(),
        stock: Some("1".into()),
        active: true,
        ..Default::default()
    };
    let refused = admin_catalog::create(&t.db, ADMIN, &ProductDraft::parse(&form("gaming"), true).unwrap()).await;
    assert_eq!(field_of(refused.unwrap_err()), "category");

    let staying = product::Entity::find().filter(product::Column::CategoryId.eq(gaming)).one(&t.db).await.unwrap();
    let editor = admin_catalog::editor(&t.db, staying.unwrap().id).await.unwrap();
    let resave = ProductForm {
        name: editor.name.clone(),
        slug: editor.slug.clone(),
        sku: editor.sku.clone(),
        description: editor.description.clone(),
        category: "gaming".into(),
        price: editor.price.clone(),
        stock: None,
        active: true,
        image_path: String::new(),
    };
    let draft = ProductDraft::parse(&resave, false).unwrap();
    admin_catalog::update(&t.db, ADMIN, editor.id, &draft).await.expect("it stays in its archived category");
});
