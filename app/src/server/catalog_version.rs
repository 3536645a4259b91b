//! The catalog's version in this process: bumped after every committed write that changes what
//! a shopper sees of a product (details, price, stock, image, archiving). Caches of catalog data
//! and of rendered pages remember the version they were filled at and treat an older entry as
//! absent, so a change shows at once on this replica. Other replicas see it when their entries
//! expire (at most `PAGE_TTL` / `DATA_TTL`, two seconds).

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

static VERSION: AtomicU64 = AtomicU64::new(0);

/// Read before reading the catalog: an entry stored under it is stale once a write commits.
pub fn current() -> u64 {
    VERSION.load(Ordering::Acquire)
}

/// Called after a catalog write has committed.
pub fn bump() {
    VERSION.fetch_add(1, Ordering::AcqRel);
}

/// Held by the tests that bump the process-wide version or need it to stand still: cargo runs
/// one binary's tests on parallel threads, and a bump from one test between two reads of another
/// made that one fail now and then.
#[cfg(test)]
pub(crate) static TEST_LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// When a cached entry was read and at which catalog version: the freshness rule both caches
/// share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub read_at: Instant,
    pub version: u64,
}

impl Stamp {
    /// Fresh while no write has committed since and it is younger than `ttl`.
    pub fn is_fresh(&self, now: Instant, version: u64, ttl: Duration) -> bool {
        self.version == version && now.saturating_duration_since(self.read_at) < ttl
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_is_stale_after_its_ttl_or_a_newer_version() {
        let now = Instant::now();
        let stamp = Stamp { read_at: now, version: 3 };
        let ttl = Duration::from_secs(2);
        assert!(stamp.is_fresh(now + Duration::from_millis(1_999), 3, ttl));
        assert!(!stamp.is_fresh(now + ttl, 3, ttl));
        assert!(!stamp.is_fresh(now, 4, ttl));
    }

    #[test]
    fn a_committed_write_makes_every_earlier_version_stale() {
        let _alone = TEST_LOCK.blocking_lock();
        let before = current();
        bump();
        assert!(current() > before);
    }
}
