use app::{
    db_test,
    domain::accounts::{AddressForm, AddressKind},
    server::{
        services::addresses,
        testing::{registered_shopper, sample_address},
    },
};

async fn user(db: &sea_orm::DatabaseConnection, email: &str) -> i32 {
    registered_shopper(db, email).await.id
}

fn input(kind: &str, name: &str, default: bool) -> app::domain::accounts::AddressInput {
    AddressForm { kind: kind.into(), is_default: default.then(|| "on".into()), ..sample_address(name) }
        .validate()
        .unwrap()
}

db_test!(each_kind_keeps_exactly_one_default, |t| async move {
    let ada = user(&t.db, "ada@example.com").await;
    let home = addresses::create(&t.db, ada, input("shipping", "Home", false)).await.unwrap();
    assert!(home.is_default, "the first shipping address becomes the default");
    let office = addresses::create(&t.db, ada, input("shipping", "Office", true)).await.unwrap();
    let billing = addresses::create(&t.db, ada, input("billing", "Billing", false)).await.unwrap();
    assert!(billing.is_default, "kinds have their own default");

    let list = addresses::list(&t.db, ada).await.unwrap();
    let defaults: Vec<_> = list.iter().filter(|a| a.is_default).map(|a| a.postal.full_name.as_str()).collect();
    assert_eq!(defaults, ["Office", "Billing"]);

    addresses::set_default(&t.db, ada, home.id).await.unwrap();
    let list = addresses::list(&t.db, ada).await.unwrap();
    let shipping_defaults: Vec<_> =
        list.iter().filter(|a| a.kind == AddressKind::Shipping && a.is_default).map(|a| a.id).collect();
    assert_eq!(shipping_defaults, [home.id]);
    let _ = office;
});

db_test!(deleting_the_default_promotes_the_newest_other_address, |t| async move {
    let ada = user(&t.db, "ada@example.com").await;
    let first = addresses::create(&t.db, ada, input("shipping", "First", false)).await.unwrap();
    addresses::create(&t.db, ada, input("shipping", "Second", false)).await.unwrap();
    let third = addresses::create(&t.db, ada, input("shipping", "Third", false)).await.unwrap();
    addresses::delete(&t.db, ada, first.id).await.unwrap();
    let list = addresses::list(&t.db, ada).await.unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list.iter().find(|a| a.is_default).unwrap().id, third.id);
});

db_test!(editing_replaces_the_fields_and_can_move_an_address_to_another_kind, |t| async move {
    let ada = user(&t.db, "ada@example.com").await;
    let home = addresses::create(&t.db, ada, input("shipping", "Home", false)).await.unwrap();
    let other = addresses::create(&t.db, ada, input("shipping", "Other", false)).await.unwrap();
    let moved = addresses::update(&t.db, ada, home.id, input("billing", "Home, now billing", false)).await.unwrap();
    assert_eq!(moved.postal.full_name, "Home, now billing");
    assert_eq!(moved.postal.country, "US");
    assert!(moved.is_default, "the only billing address is the billing default");
    let list = addresses::list(&t.db, ada).await.unwrap();
    assert!(list.iter().find(|a| a.id == other.id).unwrap().is_default, "shipping got a new default");
});

db_test!(nobody_else_can_read_or_change_an_address, |t| async move {
    let ada = user(&t.db, "ada@example.com").await;
    let grace = user(&t.db, "grace@example.com").await;
    let home = addresses::create(&t.db, ada, input("shipping", "Home", false)).await.unwrap();
    assert_eq!(addresses::get(&t.db, grace, home.id).await.unwrap_err().status(), 404);
    assert_eq!(
        addresses::update(&t.db, grace, home.id, input("shipping", "X", false)).await.unwrap_err().status(),
        404
    );
    assert_eq!(addresses::delete(&t.db, grace, home.id).await.unwrap_err().status(), 404);
    assert_eq!(addresses::set_default(&t.db, grace, home.id).await.unwrap_err().status(), 404);
    assert_eq!(addresses::get(&t.db, ada, home.id).await.unwrap().postal.full_name, "Home");
});
