//! Registration and sign-in, with the lockout kept in the database so it holds across replicas.

use crate::{
    accounts::{Email, parse_name},
    error::AppError,
    server::{
        entities::{failed_sign_in, user},
        password::{PasswordHasher, check_password},
    },
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, SqlErr,
};

/// Failed attempts for one account within the window before sign-in is refused with 429.
pub const LOCKOUT_ATTEMPTS: u64 = 10;
pub const LOCKOUT_WINDOW_MINUTES: i64 = 15;
/// A coarse flood limit: failed attempts from one client address within the same window.
pub const IP_FLOOD_ATTEMPTS: u64 = 100;

pub const ROLE_CUSTOMER: &str = "customer";
pub const ROLE_ADMIN: &str = "admin";

/// Creates a customer account. The password must pass the strength rules, which also know the
/// person's name and email.
pub async fn register(
    db: &impl ConnectionTrait,
    hasher: &PasswordHasher,
    name: &str,
    email: &str,
    password: &str,
) -> Result<user::Model, AppError> {
    let name = parse_name(name)?;
    let email = Email::parse(email)?;
    check_password(password, &[name.as_str(), email.as_str()])?;
    let taken = || AppError::conflict("An account with this email already exists. Sign in instead.");
    if user::Entity::find().filter(user::Column::Email.eq(email.as_str())).count(db).await? > 0 {
        return Err(taken());
    }
    let password_hash = hasher.hash(password.to_owned()).await?;
    let now = Utc::now();
    let created = user::ActiveModel {
        email: Set(email.as_str().to_owned()),
        name: Set(name),
        phone: Set(None),
        password_hash: Set(password_hash),
        role: Set(ROLE_CUSTOMER.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match created {
        Ok(user) => Ok(user),
        // Two registrations racing for one email: the unique index decides.
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Err(taken()),
        Err(err) => Err(err.into()),
    }
}

/// Checks an email and password. Wrong email and wrong password get the same error and cost
/// the same hashing work; too many recent failures get 429 before any hashing.
pub async fn sign_in(
    db: &impl ConnectionTrait,
    hasher: &PasswordHasher,
    email: &str,
    password: &str,
    client_ip: &str,
) -> Result<user::Model, AppError> {
    let now = Utc::now();
    // Malformed emails still count as attempts against what was typed.
    let email = Email::parse(email).map(|e| e.as_str().to_owned()).unwrap_or_else(|_| email.trim().to_lowercase());
    let email: String = email.chars().take(Email::MAX_LEN).collect();
    let client_ip: String = client_ip.chars().take(45).collect();
    refuse_when_locked(db, &email, &client_ip, now).await?;

    let account = user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(db).await?;
    let stored = account.as_ref().map(|user| user.password_hash.clone());
    let verified = hasher.verify(password.chars().take(1024).collect(), stored).await?;
    match account {
        Some(user) if verified => {
            failed_sign_in::Entity::delete_many()
                .filter(failed_sign_in::Column::Email.eq(email.as_str()))
                .exec(db)
                .await?;
            Ok(user)
        }
        _ => {
            failed_sign_in::ActiveModel {
                email: Set(email),
                client_ip: Set(client_ip),
                attempted_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
            Err(AppError::InvalidCredentials)
        }
    }
}

async fn refuse_when_locked(
    db: &impl ConnectionTrait,
    email: &str,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let window_start = now - Duration::minutes(LOCKOUT_WINDOW_MINUTES);
    let recent = failed_sign_in::Entity::find().filter(failed_sign_in::Column::AttemptedAt.gt(window_start));
    let for_account = recent.clone().filter(failed_sign_in::Column::Email.eq(email));
    let locked_scope = if for_account.clone().count(db).await? >= LOCKOUT_ATTEMPTS {
        Some(for_account)
    } else {
        let for_client = recent.filter(failed_sign_in::Column::ClientIp.eq(client_ip));
        (for_client.clone().count(db).await? >= IP_FLOOD_ATTEMPTS).then_some(for_client)
    };
    let Some(scope) = locked_scope else { return Ok(()) };
    // The lock lifts when the oldest failure in the window ages out of it.
    let oldest: Option<DateTime<Utc>> = scope
        .select_only()
        .column(failed_sign_in::Column::AttemptedAt)
        .order_by_asc(failed_sign_in::Column::AttemptedAt)
        .into_tuple()
        .one(db)
        .await?;
    let unlocks_at = oldest.unwrap_or(now) + Duration::minutes(LOCKOUT_WINDOW_MINUTES);
    let retry_after_secs = (unlocks_at - now).num_seconds().max(1) as u64;
    Err(AppError::RateLimited { retry_after_secs })
}
