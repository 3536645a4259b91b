//! A tower-sessions store on the shop's own database (SQLite or PostgreSQL), so every replica
//! sees the same sessions. The off-the-shelf sqlx stores would pull a second sqlx major.

use crate::server::{
    entities::{session, user},
    services::cart,
    user_handoff::{SignedInRead, UserHandoff},
};
use async_trait::async_trait;
use axum_login::tower_sessions::{
    ExpiredDeletion, SessionStore,
    cookie::time::OffsetDateTime,
    session::{Id, Record},
    session_store::{Error, Result},
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult, IdenStatic, JoinType,
    PaginatorTrait, QueryFilter, QuerySelect, SelectA, sea_query::OnConflict,
};
use std::time::Instant;

/// The key axum-login keeps its sign-in data under.
pub const AUTH_DATA_KEY: &str = "axum-login.data";

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    /// Where a signed-in session's user row goes for the auth backend (see [`UserHandoff`]).
    users: UserHandoff,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db, users: UserHandoff::default() }
    }

    /// The request path's store: it reads each session with its user and hands the user to the
    /// backend that shares `users`.
    pub fn with_user_handoff(db: DatabaseConnection, users: UserHandoff) -> Self {
        Self { db, users }
    }

    /// Ends every session of `user_id` except `keep` (after a password change, say).
    pub async fn delete_user_sessions(&self, user_id: i32, keep: Option<&Id>) -> Result<u64> {
        let mut delete = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
        if let Some(keep) = keep {
            delete = delete.filter(session::Column::Id.ne(keep.to_string()));
        }
        delete.exec(&self.db).await.map(|result| result.rows_affected).map_err(backend)
    }

    fn row(record: &Record) -> Result<session::ActiveModel> {
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        let user_id = record
            .data
            .get(AUTH_DATA_KEY)
            .and_then(|auth| auth.get("user_id"))
            .and_then(serde_json::Value::as_i64)
            .and_then(|id| i32::try_from(id).ok());
        Ok(session::ActiveModel {
            id: Set(record.id.to_string()),
            data: Set(data),
            expires_at: Set(record.expiry_date.unix_timestamp()),
            user_id: Set(user_id),
        })
    }
}

/// How many sessions have not expired: every replica's, since they share the table.
pub async fn count_live_sessions(db: &DatabaseConnection) -> std::result::Result<u64, DbErr> {
    session::Entity::find().filter(session::Column::ExpiresAt.gt(now())).count(db).await
}

/// A session row as [`SessionStore::load`] reads it.
#[derive(FromQueryResult)]
struct SessionRead {
    data: String,
    expires_at: i64,
    /// SUM over no rows is NULL.
    cart_units: Option<i64>,
}

fn backend(err: DbErr) -> Error {
    Error::Backend(err.to_string())
}

fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

#[async_trait]
impl SessionStore for DbSessionStore {
    /// Inserts with a fresh id, drawing a new one on the (astronomically unlikely) collision.
    async fn create(&self, record: &mut Record) -> Result<()> {
        loop {
            let inserted = session::Entity::insert(Self::row(record)?)
                .on_conflict(OnConflict::column(session::Column::Id).do_nothing().to_owned())
                .exec_without_returning(&self.db)
                .await
                .map_err(backend)?;
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    /// Updates an existing session only: a request still in flight when its session was ended
    /// (sign-out, "sign out this device", password change) must not bring it back.
    async fn save(&self, record: &Record) -> Result<()> {
        let row = Self::row(record)?;
        session::Entity::update_many()
            .set(session::ActiveModel { id: sea_orm::ActiveValue::NotSet, ..row })
            .filter(session::Column::Id.eq(record.id.to_string()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        // The session, its user (if signed in) and the units in that user's cart, in one round
        // trip: a signed-in page needs all three before it renders.
        let signed_in_user =
            session::Entity::belongs_to(user::Entity).from(session::Column::UserId).to(user::Column::Id).into();
        let Some((row, user)) = session::Entity::find_by_id(id.to_string())
            .filter(session::Column::ExpiresAt.gt(now()))
            .join(JoinType::LeftJoin, signed_in_user)
            .select_also(user::Entity)
            // Read with the session's columns, which carry SelectTwo's first prefix.
            .expr_as(cart::units_of_joined_user(), format!("{}cart_units", SelectA.as_str()))
            .into_model::<SessionRead, user::Model>()
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        if let Some(user) = user {
            let cart_units = row.cart_units.map_or(0, |units| i32::try_from(units).unwrap_or(i32::MAX));
            self.users.put(SignedInRead { user, cart_units }, Instant::now());
        }
        let data = serde_json::from_str(&row.data).map_err(|e| Error::Decode(e.to_string()))?;
        let expiry_date =
            OffsetDateTime::from_unix_timestamp(row.expires_at).map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        session::Entity::delete_by_id(id.to_string()).exec(&self.db).await.map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> Result<()> {
        session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lte(now()))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
