//! What the shop did, counted for `/metrics`: orders and their revenue, cart additions,
//! registrations and sign-ins. Counters for this process since it started; Prometheus sums them
//! across replicas and `rate()`/`increase()` absorb a restart's reset. The services count once,
//! after their transaction commits, so a rolled-back order is never revenue.

use std::{
    collections::BTreeMap,
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering::Relaxed},
    },
};

#[derive(Debug, Default)]
pub struct BusinessCounters {
    orders_placed: AtomicU64,
    revenue_cents: Mutex<BTreeMap<String, u64>>,
    cart_additions: AtomicU64,
    registrations: AtomicU64,
    sign_ins: AtomicU64,
    failed_sign_ins: AtomicU64,
}

/// The process's counters.
pub static BUSINESS: BusinessCounters = BusinessCounters {
    orders_placed: AtomicU64::new(0),
    revenue_cents: Mutex::new(BTreeMap::new()),
    cart_additions: AtomicU64::new(0),
    registrations: AtomicU64::new(0),
    sign_ins: AtomicU64::new(0),
    failed_sign_ins: AtomicU64::new(0),
};

/// A snapshot for the exposition.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BusinessFigures {
    pub orders_placed: u64,
    pub revenue_cents: BTreeMap<String, u64>,
    pub cart_additions: u64,
    pub registrations: u64,
    pub sign_ins: u64,
    pub failed_sign_ins: u64,
}

impl BusinessCounters {
    pub fn order_placed(&self, total_cents: i64, currency: &str) {
        self.orders_placed.fetch_add(1, Relaxed);
        if let Ok(mut revenue) = self.revenue_cents.lock() {
            *revenue.entry(currency.to_owned()).or_default() += u64::try_from(total_cents).unwrap_or(0);
        }
    }

    pub fn added_to_cart(&self) {
        self.cart_additions.fetch_add(1, Relaxed);
    }

    pub fn registered(&self) {
        self.registrations.fetch_add(1, Relaxed);
    }

    pub fn signed_in(&self, succeeded: bool) {
        let counter = if succeeded { &self.sign_ins } else { &self.failed_sign_ins };
        counter.fetch_add(1, Relaxed);
    }

    pub fn figures(&self) -> BusinessFigures {
        BusinessFigures {
            orders_placed: self.orders_placed.load(Relaxed),
            revenue_cents: self.revenue_cents.lock().map(|r| r.clone()).unwrap_or_default(),
            cart_additions: self.cart_additions.load(Relaxed),
            registrations: self.registrations.load(Relaxed),
            sign_ins: self.sign_ins.load(Relaxed),
            failed_sign_ins: self.failed_sign_ins.load(Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revenue_adds_up_per_currency_and_each_event_counts_once() {
        let counters = BusinessCounters::default();
        counters.order_placed(12_99, "USD");
        counters.order_placed(5_00, "USD");
        counters.order_placed(7_00, "EUR");
        counters.added_to_cart();
        counters.signed_in(true);
        counters.signed_in(false);
        counters.signed_in(false);
        let figures = counters.figures();
        assert_eq!(figures.orders_placed, 3);
        assert_eq!(figures.revenue_cents, BTreeMap::from([("EUR".into(), 7_00), ("USD".into(), 17_99)]));
        assert_eq!((figures.cart_additions, figures.sign_ins, figures.failed_sign_ins), (1, 1, 2));
        assert_eq!(figures.registrations, 0);
    }
}
