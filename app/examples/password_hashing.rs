//! Prints what one argon2id hash costs on this machine with the shop's parameters, and how
//! many verifications per second the bounded hasher sustains (what caps sign-ins per second).
//!
//!   cargo run --release -p app --features ssr --example password_hashing [-- ROUNDS]

use app::server::password::{ITERATIONS, MEMORY_KIB, PARALLELISM, PasswordHasher};
use std::time::Instant;

#[tokio::main]
async fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(20);
    let password = "velvet lantern across quiet harbours".to_owned();
    let one_at_a_time = PasswordHasher::new(1);
    let phc = one_at_a_time.hash(password.clone()).await.expect("hash");

    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        one_at_a_time.hash(password.clone()).await.expect("hash");
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];

    let shared = PasswordHasher::default();
    let permits = std::thread::available_parallelism().map_or(2, usize::from);
    let started = Instant::now();
    let verifications: Vec<_> = (0..rounds * permits)
        .map(|_| {
            let (hasher, password, phc) = (shared.clone(), password.clone(), phc.clone());
            tokio::spawn(async move { hasher.verify(password, Some(phc)).await.expect("verify") })
        })
        .collect();
    for verification in verifications {
        assert!(verification.await.expect("task"));
    }
    let per_second = (rounds * permits) as f64 / started.elapsed().as_secs_f64();

    println!("argon2id m={MEMORY_KIB} KiB t={ITERATIONS} p={PARALLELISM}, {rounds} rounds");
    println!("hash time: median {median:.1} ms, min {:.1} ms, max {:.1} ms", samples[0], samples[rounds - 1]);
    println!("verifications per second with {permits} permits: {per_second:.1}");
}
