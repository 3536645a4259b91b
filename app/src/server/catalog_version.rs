//! The catalog's version in this process: bumped after every committed write that changes what
//! a shopper sees of a product (details, price, stock, image, archiving). Caches of catalog data
//! and of rendered pages remember the version they were filled at and treat an older entry as
//! absent, so a change shows at once on this replica. Other replicas see it when their entries
//! expire (at most `PAGE_TTL` / `DATA_TTL`, two seconds).

use std::sync::atomic::{AtomicU64, Ordering};

static VERSION: AtomicU64 = AtomicU64::new(0);

/// Read before reading the catalog: an entry stored under it is stale once a write commits.
pub fn current() -> u64 {
    VERSION.load(Ordering::Acquire)
}

/// Called after a catalog write has committed.
pub fn bump() {
    VERSION.fetch_add(1, Ordering::AcqRel);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_committed_write_makes_every_earlier_version_stale() {
        let before = current();
        bump();
        assert!(current() > before);
    }
}
