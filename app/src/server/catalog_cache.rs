//! Catalog reads served from memory: the home page's cards, listings, categories and product
//! pages. Each entry remembers the catalog version it was read at ([`catalog_version`]) and is
//! dropped once a write commits after it, or after [`DATA_TTL`] (which bounds how stale another
//! replica's write can leave it). Carts, checkout and the back office never read from here:
//! stock checks keep their conditional SQL.

use crate::{
    domain::error::AppError,
    domain::listing::{CategoryLink, Listing, ListingQuery},
    domain::model::{ProductCard, ProductDetail, ProductPage},
    server::catalog_version::{self, Stamp},
};
use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

/// How long an entry is served at most.
pub const DATA_TTL: Duration = Duration::from_secs(2);
/// Entries one shelf keeps; a full shelf is emptied (listings by search term are unbounded).
const MAX_ENTRIES: usize = 2048;

struct Stored<V> {
    stamp: Stamp,
    value: V,
}

/// One kind of read, by its arguments.
pub struct Shelf<K, V> {
    entries: RwLock<HashMap<K, Stored<V>>>,
}

impl<K, V> Default for Shelf<K, V> {
    fn default() -> Self {
        Self { entries: RwLock::new(HashMap::new()) }
    }
}

impl<K: Hash + Eq, V: Clone> Shelf<K, V> {
    /// The stored value, or `load`'s (stored only when it succeeds).
    pub async fn get_or_load<F>(&self, key: K, load: F) -> Result<V, AppError>
    where
        F: Future<Output = Result<V, AppError>>,
    {
        // Read before the database, so a write committing meanwhile makes this entry stale.
        let version = catalog_version::current();
        let now = Instant::now();
        if let Ok(entries) = self.entries.read()
            && let Some(stored) = entries.get(&key).filter(|stored| stored.stamp.is_fresh(now, version, DATA_TTL))
        {
            return Ok(stored.value.clone());
        }
        let value = load.await?;
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, Stored { stamp: Stamp { read_at: now, version }, value: value.clone() });
        }
        Ok(value)
    }
}

/// The shelves, one per catalog read; cheap to clone (shared by every request of a server).
#[derive(Clone, Default)]
pub struct CatalogCache(Arc<Shelves>);

#[derive(Default)]
pub struct Shelves {
    pub latest: Shelf<(i64, i64), ProductPage>,
    pub featured: Shelf<u64, Vec<ProductCard>>,
    pub categories: Shelf<(), Vec<CategoryLink>>,
    pub listings: Shelf<ListingQuery, Listing>,
    pub products: Shelf<String, ProductDetail>,
}

impl std::ops::Deref for CatalogCache {
    type Target = Shelves;

    fn deref(&self) -> &Shelves {
        &self.0
    }
}

impl std::fmt::Debug for CatalogCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CatalogCache")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    async fn counted(loads: &AtomicU32, value: u32) -> Result<u32, AppError> {
        loads.fetch_add(1, Ordering::SeqCst);
        Ok(value)
    }

    #[tokio::test]
    async fn a_second_read_is_served_from_memory_until_a_write_commits() {
        let _alone = catalog_version::TEST_LOCK.lock().await;
        let shelf = Shelf::<&str, u32>::default();
        let loads = AtomicU32::new(0);
        assert_eq!(shelf.get_or_load("a", counted(&loads, 1)).await.unwrap(), 1);
        assert_eq!(shelf.get_or_load("a", counted(&loads, 2)).await.unwrap(), 1);
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        catalog_version::bump();
        assert_eq!(shelf.get_or_load("a", counted(&loads, 3)).await.unwrap(), 3);
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn failures_are_not_stored() {
        let shelf = Shelf::<&str, u32>::default();
        assert!(shelf.get_or_load("a", async { Err(AppError::Unavailable) }).await.is_err());
        assert_eq!(shelf.get_or_load("a", async { Ok(5) }).await.unwrap(), 5);
    }
}
