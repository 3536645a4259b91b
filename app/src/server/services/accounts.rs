//! Registration and sign-in, with the lockout kept in the database so it holds across replicas.

use crate::{
    accounts::{Email, Profile, parse_name, parse_phone},
    error::AppError,
    server::{
        business_metrics::BUSINESS,
        entities::{failed_sign_in, user},
        password::{PasswordHasher, check_password},
    },
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{Set, Unchanged},
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
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
    let created = new_user(&email, name, password_hash, ROLE_CUSTOMER).insert(db).await;
    match created {
        Ok(user) => {
            BUSINESS.registered();
            Ok(user)
        }
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
            BUSINESS.signed_in(true);
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
            BUSINESS.signed_in(false);
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

/// The account page's profile section.
pub async fn profile(db: &impl ConnectionTrait, user_id: i32) -> Result<Profile, AppError> {
    let user = find_user(db, user_id).await?;
    Ok(Profile { name: user.name, email: user.email, phone: user.phone })
}

pub async fn update_profile(
    db: &impl ConnectionTrait,
    user_id: i32,
    name: &str,
    phone: &str,
) -> Result<Profile, AppError> {
    let name = parse_name(name)?;
    let phone = parse_phone("phone", phone)?;
    let user = find_user(db, user_id).await?;
    let updated = user::ActiveModel {
        id: Unchanged(user.id),
        name: Set(name),
        phone: Set(phone),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(Profile { name: updated.name, email: updated.email, phone: updated.phone })
}

/// Changing the sign-in email asks for the current password (a stolen session alone cannot
/// take the account over).
pub async fn change_email(
    db: &impl ConnectionTrait,
    hasher: &PasswordHasher,
    user_id: i32,
    new_email: &str,
    current_password: &str,
) -> Result<user::Model, AppError> {
    let email = Email::parse(new_email)?;
    let user = find_user(db, user_id).await?;
    require_current_password(hasher, &user, current_password).await?;
    if email.as_str() == user.email {
        return Ok(user);
    }
    let taken = || AppError::validation("email", "Another account already uses this email.");
    if user::Entity::find().filter(user::Column::Email.eq(email.as_str())).count(db).await? > 0 {
        return Err(taken());
    }
    let updated = user::ActiveModel {
        id: Unchanged(user.id),
        email: Set(email.as_str().to_owned()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(db)
    .await;
    match updated {
        Ok(user) => Ok(user),
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Err(taken()),
        Err(err) => Err(err.into()),
    }
}

/// Sets a new password after checking the current one. The caller ends the user's other
/// sessions (their stored auth hash no longer matches either).
pub async fn change_password(
    db: &impl ConnectionTrait,
    hasher: &PasswordHasher,
    user_id: i32,
    current_password: &str,
    new_password: &str,
) -> Result<user::Model, AppError> {
    let user = find_user(db, user_id).await?;
    require_current_password(hasher, &user, current_password).await?;
    check_password(new_password, &[user.name.as_str(), user.email.as_str()])
        .map_err(|err| rename_field(err, "new_password"))?;
    let password_hash = hasher.hash(new_password.to_owned()).await?;
    Ok(user::ActiveModel {
        id: Unchanged(user.id),
        password_hash: Set(password_hash),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(db)
    .await?)
}

/// Creates an admin account, or promotes an existing one (and sets its password), for
/// `server create-admin` and `ADMIN_EMAIL`/`ADMIN_PASSWORD` at start-up.
pub async fn ensure_admin(
    db: &impl ConnectionTrait,
    hasher: &PasswordHasher,
    name: &str,
    email: &str,
    password: &str,
) -> Result<user::Model, AppError> {
    let email = Email::parse(email)?;
    let name = parse_name(name)?;
    check_password(password, &[name.as_str(), email.as_str()])?;
    let password_hash = hasher.hash(password.to_owned()).await?;
    match user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(db).await? {
        Some(existing) => Ok(user::ActiveModel {
            id: Unchanged(existing.id),
            role: Set(ROLE_ADMIN.to_owned()),
            password_hash: Set(password_hash),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .update(db)
        .await?),
        None => Ok(new_user(&email, name, password_hash, ROLE_ADMIN).insert(db).await?),
    }
}

fn new_user(email: &Email, name: String, password_hash: String, role: &str) -> user::ActiveModel {
    let now = Utc::now();
    user::ActiveModel {
        email: Set(email.as_str().to_owned()),
        name: Set(name),
        phone: Set(None),
        password_hash: Set(password_hash),
        role: Set(role.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

pub async fn find_user(db: &impl ConnectionTrait, user_id: i32) -> Result<user::Model, AppError> {
    user::Entity::find_by_id(user_id).one(db).await?.ok_or(AppError::Unauthorized)
}

async fn require_current_password(
    hasher: &PasswordHasher,
    user: &user::Model,
    current_password: &str,
) -> Result<(), AppError> {
    let candidate: String = current_password.chars().take(1024).collect();
    if hasher.verify(candidate, Some(user.password_hash.clone())).await? {
        Ok(())
    } else {
        Err(AppError::validation("current_password", "That is not your current password."))
    }
}

fn rename_field(err: AppError, field: &str) -> AppError {
    match err {
        AppError::Validation { message, .. } => AppError::validation(field, message),
        other => other,
    }
}
