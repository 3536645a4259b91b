//! The user row the session store reads together with a signed-in session, handed to the auth
//! backend's lookup in the same request. axum-login loads the session, then asks the backend for
//! its user: two round trips on every signed-in page. One joined query reads both, and the
//! backend takes the row from here instead of asking again. A row is taken once and only while
//! it is a fraction of a second old, so the backend never sees a user older than its own
//! request's session read; anything else falls back to the query.
//!
//! The same query reads the units in the user's cart for the header's "Cart (N)", so a
//! signed-in page asks the database once before it renders.
//!
//! Several requests of one user can be between their session read and their lookup at once
//! (a browser's parallel requests, two devices): each read leaves one take, and the newest row
//! read serves them all, so none of them asks the database again.

use crate::server::entities::user;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// How long a handed-over row may wait for its request's lookup.
const FRESH_FOR: Duration = Duration::from_millis(500);
/// Rows nobody took (a lookup that failed first) are swept once this many are waiting.
const SWEEP_ABOVE: usize = 1_024;

/// What the session read found for a signed-in session.
#[derive(Clone, Debug)]
pub struct SignedInRead {
    pub user: user::Model,
    /// Units in the user's cart when the session was read.
    pub cart_units: i32,
}

#[derive(Clone, Debug, Default)]
pub struct UserHandoff {
    rows: Arc<Mutex<HashMap<i32, Waiting>>>,
}

/// The newest row read for a user, and how many lookups it is still owed to.
#[derive(Debug)]
struct Waiting {
    row: SignedInRead,
    read_at: Instant,
    takes: u32,
}

impl UserHandoff {
    /// Leaves `row`, read at `read_at`, for the next lookup of its id.
    pub fn put(&self, row: SignedInRead, read_at: Instant) {
        let Ok(mut rows) = self.rows.lock() else { return };
        if rows.len() >= SWEEP_ABOVE {
            rows.retain(|_, waiting| read_at.saturating_duration_since(waiting.read_at) < FRESH_FOR);
        }
        match rows.get_mut(&row.user.id) {
            Some(waiting) if read_at.saturating_duration_since(waiting.read_at) < FRESH_FOR => {
                waiting.takes += 1;
                // Whoever takes it read its session no later than the newest read.
                if read_at >= waiting.read_at {
                    waiting.row = row;
                    waiting.read_at = read_at;
                }
            }
            _ => {
                rows.insert(row.user.id, Waiting { row, read_at, takes: 1 });
            }
        }
    }

    /// The row left for `id`, if it is still fresh at `now`; each put is taken once.
    pub fn take(&self, id: i32, now: Instant) -> Option<SignedInRead> {
        let mut rows = self.rows.lock().ok()?;
        let waiting = rows.get_mut(&id)?;
        if now.saturating_duration_since(waiting.read_at) >= FRESH_FOR {
            rows.remove(&id);
            return None;
        }
        waiting.takes -= 1;
        if waiting.takes == 0 { rows.remove(&id).map(|waiting| waiting.row) } else { Some(waiting.row.clone()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::Role;
    use chrono::Utc;

    fn ada(id: i32) -> SignedInRead {
        SignedInRead { user: ada_row(id), cart_units: 2 }
    }

    /// The newest name of the two reads in the ordering tests.
    const NEW_NAME: &str = "Ada L.";

    /// Ada's row after she renamed herself.
    fn renamed_ada(id: i32) -> SignedInRead {
        let mut read = ada(id);
        read.user.name = NEW_NAME.into();
        read
    }

    fn taken_name(handoff: &UserHandoff, id: i32, now: Instant) -> Option<String> {
        handoff.take(id, now).map(|read| read.user.name)
    }

    fn ada_row(id: i32) -> user::Model {
        user::Model {
            id,
            email: "ada@example.com".into(),
            name: "Ada".into(),
            phone: None,
            password_hash: String::new(),
            role: Role::Customer,
            email_verified_at: None,
            deleted_at: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn a_row_left_by_the_session_read_is_taken_once_by_the_lookup() {
        let handoff = UserHandoff::default();
        let now = Instant::now();
        handoff.put(ada(7), now);
        assert_eq!(handoff.take(7, now + Duration::from_millis(3)).map(|read| read.user.id), Some(7));
        assert!(handoff.take(7, now + Duration::from_millis(4)).is_none(), "the second lookup asks the database");
        assert!(handoff.take(8, now).is_none(), "another user's row is never handed over");
    }

    #[test]
    fn concurrent_reads_of_one_user_each_get_the_newest_row_once() {
        let handoff = UserHandoff::default();
        let now = Instant::now();
        handoff.put(ada(7), now);
        handoff.put(renamed_ada(7), now + Duration::from_millis(1));
        assert_eq!(taken_name(&handoff, 7, now + Duration::from_millis(2)).as_deref(), Some(NEW_NAME));
        assert_eq!(taken_name(&handoff, 7, now + Duration::from_millis(2)).as_deref(), Some(NEW_NAME));
        assert!(handoff.take(7, now + Duration::from_millis(3)).is_none(), "two reads, two takes");
    }

    #[test]
    fn a_read_finishing_late_does_not_replace_a_newer_row() {
        let handoff = UserHandoff::default();
        let now = Instant::now();
        handoff.put(renamed_ada(7), now + Duration::from_millis(1));
        handoff.put(ada(7), now);
        assert_eq!(taken_name(&handoff, 7, now + Duration::from_millis(2)).as_deref(), Some(NEW_NAME));
    }

    #[test]
    fn a_row_older_than_its_request_is_not_handed_over() {
        let handoff = UserHandoff::default();
        let now = Instant::now();
        handoff.put(ada(7), now);
        assert!(handoff.take(7, now + FRESH_FOR).is_none());
    }

    #[test]
    fn rows_nobody_took_are_swept() {
        let handoff = UserHandoff::default();
        let start = Instant::now();
        for id in 0..SWEEP_ABOVE as i32 {
            handoff.put(ada(id), start);
        }
        handoff.put(ada(-1), start + FRESH_FOR);
        assert_eq!(handoff.rows.lock().unwrap().len(), 1, "only the fresh row is left");
    }
}
