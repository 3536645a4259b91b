//! The user row the session store reads together with a signed-in session, handed to the auth
//! backend's lookup in the same request. axum-login loads the session, then asks the backend for
//! its user: two round trips on every signed-in page. One joined query reads both, and the
//! backend takes the row from here instead of asking again. A row is taken once and only while
//! it is a fraction of a second old, so the backend never sees a user older than its own
//! request's session read; anything else falls back to the query.

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

#[derive(Clone, Debug, Default)]
pub struct UserHandoff {
    rows: Arc<Mutex<HashMap<i32, (user::Model, Instant)>>>,
}

impl UserHandoff {
    /// Leaves `row`, read at `read_at`, for the next lookup of its id.
    pub fn put(&self, row: user::Model, read_at: Instant) {
        let Ok(mut rows) = self.rows.lock() else { return };
        if rows.len() >= SWEEP_ABOVE {
            rows.retain(|_, (_, at)| read_at.saturating_duration_since(*at) < FRESH_FOR);
        }
        rows.insert(row.id, (row, read_at));
    }

    /// The row left for `id`, if it is still fresh at `now`; it is taken, not copied.
    pub fn take(&self, id: i32, now: Instant) -> Option<user::Model> {
        let (row, read_at) = self.rows.lock().ok()?.remove(&id)?;
        (now.saturating_duration_since(read_at) < FRESH_FOR).then_some(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn ada(id: i32) -> user::Model {
        user::Model {
            id,
            email: "ada@example.com".into(),
            name: "Ada".into(),
            phone: None,
            password_hash: String::new(),
            role: "customer".into(),
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
        assert_eq!(handoff.take(7, now + Duration::from_millis(3)).map(|row| row.id), Some(7));
        assert!(handoff.take(7, now + Duration::from_millis(4)).is_none(), "the second lookup asks the database");
        assert!(handoff.take(8, now).is_none(), "another user's row is never handed over");
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
