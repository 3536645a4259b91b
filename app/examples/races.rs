//! The race suite (`end2end/races/races.sh`, `make races`): checkout under contention, against
//! the real services on a fresh SQLite database and (with TEST_DATABASE_URL) a fresh PostgreSQL
//! one. Prints one figure per line and exits 1 when a correctness figure is wrong.
//!
//! - last unit: one unit left, BUYERS concurrent buyers, ROUNDS rounds; exactly one must win.
//! - multi-item: carts of 2 to 5 products filled in random orders, all checked out at once;
//!   any error but "not enough stock" (deadlock, lock timeout, busy database) is counted.
//! - same key: one checkout form submitted 20 times at once must make one order.
//! - afterwards: no negative stock, and every product's ledger sums to its stock.

use app::{
    domain::admin::{StockAdjustment, StockReason},
    domain::commerce::PricingRules,
    server::{
        entities::{order, product},
        password::PasswordHasher,
        services::{
            accounts::register,
            cart::{self, CartOwner},
            orders::{self, CheckoutRequest, Customer, Payment},
            stock,
        },
        testing::{Backend, TestDb, sample_address},
    },
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use std::time::Instant;

const RULES: PricingRules =
    PricingRules { shipping_fee_cents: 499, free_shipping_from_cents: 5_000, tax_rate_basis_points: 800 };

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// xorshift64: reproducible shuffles without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn checkout(key: String) -> CheckoutRequest {
    CheckoutRequest {
        idempotency_key: key,
        shipping: sample_address("Race Runner").validate().expect("a valid address"),
        billing: None,
        payment: Payment::CashOnDelivery,
    }
}

fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}

async fn customers(db: &DatabaseConnection, tag: &str, count: usize) -> Vec<Customer> {
    let hasher = PasswordHasher::new(1);
    let mut list = Vec::with_capacity(count);
    for i in 0..count {
        let email = format!("{tag}{i}@races.example");
        let user = register(db, &hasher, "Race Runner", &email, app::server::testing::TEST_PASSWORD)
            .await
            .expect("register a buyer");
        list.push(Customer { id: user.id, email });
    }
    list
}

async fn stock_of(db: &DatabaseConnection, id: i32) -> i32 {
    product::Entity::find_by_id(id).one(db).await.expect("read stock").expect("product").stock
}

async fn set_stock(db: &DatabaseConnection, id: i32, target: i32) {
    let change = target - stock_of(db, id).await;
    if change != 0 {
        let adjustment = StockAdjustment { change, reason: StockReason::Correction, note: "race setup".into() };
        stock::adjust(db, 0, id, &adjustment).await.expect("set stock");
    }
}

async fn product_ids(db: &DatabaseConnection, count: u64) -> Vec<i32> {
    use sea_orm::QuerySelect;
    product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        .order_by_asc(product::Column::Id)
        .limit(count)
        .into_tuple::<i32>()
        .all(db)
        .await
        .expect("products")
}

#[derive(Default)]
struct Figures {
    rounds: usize,
    rounds_with_one_winner: usize,
    oversold: i64,
    unexpected_errors: usize,
    multi_rounds: usize,
    multi_orders: usize,
    deadlocks: usize,
    same_key_rounds: usize,
    duplicate_orders: u64,
    negative_stock: usize,
    ledger_mismatches: usize,
}

async fn last_unit(db: &DatabaseConnection, rounds: usize, buyers: usize, figures: &mut Figures) {
    let item = product_ids(db, 1).await[0];
    let buyers = customers(db, "last", buyers).await;
    set_stock(db, item, 1).await;
    for buyer in &buyers {
        cart::add(db, &CartOwner::User(buyer.id), item, 1).await.expect("fill a cart");
    }
    for _ in 0..rounds {
        set_stock(db, item, 1).await;
        let handles: Vec<_> = buyers
            .iter()
            .cloned()
            .map(|buyer| {
                let db = db.clone();
                tokio::spawn(async move { (buyer.id, orders::place_order(&db, &buyer, checkout(key()), &RULES).await) })
            })
            .collect();
        let mut winners = Vec::new();
        for handle in handles {
            match handle.await.expect("a buyer task") {
                (id, Ok(_)) => winners.push(id),
                (_, Err(err)) if err.status() == 409 => {}
                (_, Err(err)) => {
                    figures.unexpected_errors += 1;
                    eprintln!("last unit: unexpected error {err:?}");
                }
            }
        }
        let left = stock_of(db, item).await;
        figures.oversold += i64::from((-left).max(0)) + (winners.len() as i64 - 1).max(0);
        figures.rounds += 1;
        if winners.len() == 1 && left == 0 {
            figures.rounds_with_one_winner += 1;
        }
        // The winner's cart was emptied: fill it again for the next round (stock allowing).
        set_stock(db, item, 1).await;
        for id in winners {
            cart::add(db, &CartOwner::User(id), item, 1).await.expect("refill the winner's cart");
        }
    }
}

async fn multi_item(db: &DatabaseConnection, rounds: usize, buyers: usize, figures: &mut Figures, rng: &mut Rng) {
    let items = product_ids(db, 10).await;
    let buyers = customers(db, "multi", buyers).await;
    for _ in 0..rounds {
        for item in &items {
            set_stock(db, *item, 99).await;
        }
        for buyer in &buyers {
            let owner = CartOwner::User(buyer.id);
            let mut picks = items.clone();
            // A random 2 to 5 products, added in a random order.
            for i in (1..picks.len()).rev() {
                picks.swap(i, rng.below(i + 1));
            }
            for item in picks.iter().take(2 + rng.below(4)) {
                cart::add(db, &owner, *item, 1 + rng.below(2) as i32).await.expect("fill a cart");
            }
        }
        for item in &items {
            set_stock(db, *item, 6).await;
        }
        let handles: Vec<_> = buyers
            .iter()
            .cloned()
            .map(|buyer| {
                let db = db.clone();
                tokio::spawn(async move { orders::place_order(&db, &buyer, checkout(key()), &RULES).await })
            })
            .collect();
        for handle in handles {
            match handle.await.expect("a buyer task") {
                Ok(_) => figures.multi_orders += 1,
                Err(err) if err.status() == 409 => {}
                Err(err) => {
                    figures.deadlocks += 1;
                    eprintln!("multi-item: unexpected error {err:?}");
                }
            }
        }
        // Refused checkouts leave their carts full: empty them for the next round.
        for buyer in &buyers {
            for item in &items {
                let _ = cart::remove(db, &CartOwner::User(buyer.id), *item).await;
            }
        }
        figures.multi_rounds += 1;
    }
}

async fn same_key(db: &DatabaseConnection, rounds: usize, figures: &mut Figures) {
    let item = product_ids(db, 2).await[1];
    let buyer = customers(db, "samekey", 1).await.remove(0);
    for _ in 0..rounds {
        set_stock(db, item, 5).await;
        cart::add(db, &CartOwner::User(buyer.id), item, 1).await.expect("fill the cart");
        let shared = key();
        let handles: Vec<_> = (0..20)
            .map(|_| {
                let (db, buyer, shared) = (db.clone(), buyer.clone(), shared.clone());
                tokio::spawn(async move { orders::place_order(&db, &buyer, checkout(shared), &RULES).await })
            })
            .collect();
        for handle in handles {
            if let Err(err) = handle.await.expect("a submit task") {
                figures.unexpected_errors += 1;
                eprintln!("same key: unexpected error {err:?}");
            }
        }
        let made =
            order::Entity::find().filter(order::Column::IdempotencyKey.eq(shared)).count(db).await.expect("count");
        figures.duplicate_orders += made.saturating_sub(1);
        figures.same_key_rounds += 1;
    }
}

async fn run(backend: Backend) -> Option<bool> {
    let started = Instant::now();
    let test_db = TestDb::new(backend).await?;
    let db = &test_db.db;
    let name = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let mut figures = Figures::default();
    let mut rng = Rng(0x2026_1123);
    last_unit(db, env_number("ROUNDS", 1_000), env_number("BUYERS", 50), &mut figures).await;
    multi_item(db, env_number("MULTI_ROUNDS", 50), 20, &mut figures, &mut rng).await;
    same_key(db, env_number("SAME_KEY_ROUNDS", 100), &mut figures).await;
    figures.negative_stock =
        product::Entity::find().filter(product::Column::Stock.lt(0)).count(db).await.expect("count") as usize;
    figures.ledger_mismatches = stock::mismatches(db).await.expect("ledger").len();

    let f = &figures;
    println!("{name} last-unit rounds: {}", f.rounds);
    println!("{name} rounds with exactly one winner: {}/{}", f.rounds_with_one_winner, f.rounds);
    println!("{name} oversold units: {}", f.oversold);
    println!("{name} multi-item rounds: {} ({} orders placed)", f.multi_rounds, f.multi_orders);
    println!("{name} deadlocks or lock errors: {}", f.deadlocks);
    println!("{name} same-key rounds: {} (20 submits each)", f.same_key_rounds);
    println!("{name} duplicate orders: {}", f.duplicate_orders);
    println!("{name} other unexpected errors: {}", f.unexpected_errors);
    println!("{name} products with negative stock: {}", f.negative_stock);
    println!("{name} ledger mismatches: {}", f.ledger_mismatches);
    println!("{name} seconds: {:.1}", started.elapsed().as_secs_f64());
    Some(
        f.rounds_with_one_winner == f.rounds
            && f.oversold == 0
            && f.deadlocks == 0
            && f.duplicate_orders == 0
            && f.unexpected_errors == 0
            && f.negative_stock == 0
            && f.ledger_mismatches == 0,
    )
}

#[tokio::main]
async fn main() {
    let mut ok = run(Backend::Sqlite).await.unwrap_or(false);
    match run(Backend::Postgres).await {
        Some(postgres_ok) => ok &= postgres_ok,
        None => println!("postgres: skipped (set TEST_DATABASE_URL)"),
    }
    println!("races: {}", if ok { "all correctness figures hold" } else { "FAILED" });
    std::process::exit(if ok { 0 } else { 1 });
}
