//! Registration, sign-in, and the account's own changes: profile, password (also by a reset
//! link), and a sign-in address that changes only once the new one is confirmed. The lockout and
//! the mail throttle live in the database, so they hold across replicas.

use crate::{
    domain::accounts::{Email, Profile, Role, parse_name, parse_phone},
    domain::error::AppError,
    server::{
        business_metrics::BUSINESS,
        entities::{failed_sign_in, session, user},
        password::{PasswordHasher, check_password},
        services::{
            account_links::{self, LinkPurpose},
            begin_write, earliest,
            outbox::{self, MailKind, Outgoing},
        },
    },
};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{Set, Unchanged},
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, SqlErr,
    sea_query::Expr,
};

/// Failed attempts for one account within the window before sign-in is refused with 429.
pub const LOCKOUT_ATTEMPTS: u64 = 10;
pub const LOCKOUT_WINDOW_MINUTES: i64 = 15;
/// A coarse flood limit: failed attempts from one client address within the same window.
pub const IP_FLOOD_ATTEMPTS: u64 = 100;

/// Creates a customer account and mails it a link to confirm the address (the account works
/// meanwhile). The password must pass the strength rules, which also know the person's name and
/// email.
pub async fn register(
    db: &DatabaseConnection,
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
    let txn = begin_write(db).await?;
    let created = match new_user(&email, name, password_hash, Role::Customer).insert(&txn).await {
        Ok(user) => user,
        // Two registrations racing for one email: the unique index decides.
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => return Err(taken()),
        Err(err) => return Err(err.into()),
    };
    send_link(&txn, &created, LinkPurpose::VerifyEmail, &created.email, Utc::now()).await?;
    txn.commit().await?;
    BUSINESS.registered();
    Ok(created)
}

/// Issues a link and queues the message that carries it.
async fn send_link(
    db: &impl ConnectionTrait,
    user: &user::Model,
    purpose: LinkPurpose,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let token = account_links::issue(db, user.id, purpose, address, now).await?;
    let kind = match purpose {
        LinkPurpose::PasswordReset => MailKind::PasswordReset,
        LinkPurpose::VerifyEmail => MailKind::VerifyEmail,
        LinkPurpose::ChangeEmail => MailKind::ConfirmEmailChange,
    };
    let message = Outgoing { secret: Some(token), ..Outgoing::to_user(kind, user.id, address) };
    outbox::enqueue(db, message, now).await
}

/// What was typed as an address, as stored: malformed ones still count against what was typed.
fn typed_address(email: &str) -> String {
    let email = Email::parse(email).map(|e| e.as_str().to_owned()).unwrap_or_else(|_| email.trim().to_lowercase());
    email.chars().take(Email::MAX_LEN).collect()
}

/// "Forgot your password?": mails a reset link when an account has this address. The answer is
/// the same either way (and so is the throttle, counted by what was typed). Both cases commit one
/// transaction, so they take nearly the same time: a known address adds three small statements.
pub async fn request_password_reset(
    db: &DatabaseConnection,
    email: &str,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let email = typed_address(email);
    let client_ip: String = client_ip.chars().take(45).collect();
    let account = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .filter(user::Column::DeletedAt.is_null())
        .one(db)
        .await?;
    let txn = begin_write(db).await?;
    account_links::throttle(&txn, LinkPurpose::PasswordReset, &email, &client_ip, now).await?;
    if let Some(user) = &account {
        send_link(&txn, user, LinkPurpose::PasswordReset, &user.email, now).await?;
    }
    txn.commit().await?;
    if let Some(user) = account {
        tracing::info!(user_id = user.id, "password reset link queued");
    }
    Ok(())
}

/// What a valid link is for and whose it is, for the page that opens it.
pub async fn open_link(
    db: &impl ConnectionTrait,
    token: &str,
    expected: &[LinkPurpose],
    signed_in: Option<i32>,
    now: DateTime<Utc>,
) -> Result<(LinkPurpose, crate::server::entities::account_token::Model), AppError> {
    let link = account_links::find_valid(db, token, now).await?;
    let purpose =
        LinkPurpose::parse(&link.purpose).filter(|p| expected.contains(p)).ok_or_else(account_links::invalid_link)?;
    if signed_in.is_some_and(|id| id != link.user_id) {
        return Err(AppError::validation(
            "token",
            "This link belongs to another account. Sign out, then open it again.",
        ));
    }
    Ok((purpose, link))
}

/// Sets a new password from a reset link: the link is used up, every session of the user ends
/// (the caller signs this browser in afresh), and the address counts as confirmed.
pub async fn reset_password(
    db: &DatabaseConnection,
    hasher: &PasswordHasher,
    token: &str,
    new_password: &str,
    signed_in: Option<i32>,
    now: DateTime<Utc>,
) -> Result<user::Model, AppError> {
    let (_, link) = open_link(db, token, &[LinkPurpose::PasswordReset], signed_in, now).await?;
    let user = find_user(db, link.user_id).await.map_err(|_| account_links::invalid_link())?;
    check_password(new_password, &[user.name.as_str(), user.email.as_str()])
        .map_err(|err| rename_field(err, "new_password"))?;
    let password_hash = hasher.hash(new_password.to_owned()).await?;
    let txn = begin_write(db).await?;
    account_links::redeem(&txn, &link, now).await?;
    let updated = user::ActiveModel {
        id: Unchanged(user.id),
        password_hash: Set(password_hash),
        email_verified_at: Set(Some(user.email_verified_at.unwrap_or(now))),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    password_changed(&txn, &updated, now).await?;
    session::Entity::delete_many().filter(session::Column::UserId.eq(user.id)).exec(&txn).await?;
    // Whoever was locked out by failed guesses is let in by the new password.
    failed_sign_in::Entity::delete_many()
        .filter(failed_sign_in::Column::Email.eq(user.email.as_str()))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    tracing::info!(user_id = user.id, "password reset");
    Ok(updated)
}

/// After any password change: open reset links die and the owner is told.
async fn password_changed(db: &impl ConnectionTrait, user: &user::Model, now: DateTime<Utc>) -> Result<(), AppError> {
    account_links::revoke(db, user.id, LinkPurpose::PasswordReset).await?;
    outbox::enqueue(db, Outgoing::to_user(MailKind::PasswordChanged, user.id, &user.email), now).await
}

/// What confirming a link did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirmed {
    /// The account's address is now verified.
    Address,
    /// The account now signs in with the new address (and the old one was told).
    NewAddress,
}

/// Confirms an address from its link: the account's own (verification) or a new one (a change,
/// which takes effect now).
pub async fn confirm_email(
    db: &DatabaseConnection,
    token: &str,
    signed_in: Option<i32>,
    now: DateTime<Utc>,
) -> Result<Confirmed, AppError> {
    let (purpose, link) =
        open_link(db, token, &[LinkPurpose::VerifyEmail, LinkPurpose::ChangeEmail], signed_in, now).await?;
    let user = find_user(db, link.user_id).await.map_err(|_| account_links::invalid_link())?;
    let txn = begin_write(db).await?;
    account_links::redeem(&txn, &link, now).await?;
    let confirmed = if purpose == LinkPurpose::VerifyEmail {
        // A link for an address the account no longer has proves nothing about the current one.
        if link.email != user.email {
            return Err(account_links::invalid_link());
        }
        user::Entity::update_many()
            .col_expr(user::Column::EmailVerifiedAt, Expr::value(Some(now)))
            .filter(user::Column::Id.eq(user.id))
            .exec(&txn)
            .await?;
        Confirmed::Address
    } else {
        let taken = || AppError::validation("token", "Another account already uses this email.");
        if user::Entity::find().filter(user::Column::Email.eq(link.email.as_str())).count(&txn).await? > 0 {
            return Err(taken());
        }
        let moved = user::Entity::update_many()
            .col_expr(user::Column::Email, Expr::value(link.email.as_str()))
            .col_expr(user::Column::EmailVerifiedAt, Expr::value(Some(now)))
            .col_expr(user::Column::UpdatedAt, Expr::value(now))
            .filter(user::Column::Id.eq(user.id))
            .exec(&txn)
            .await;
        match moved {
            Ok(_) => {}
            Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => return Err(taken()),
            Err(err) => return Err(err.into()),
        }
        account_links::revoke(&txn, user.id, LinkPurpose::VerifyEmail).await?;
        let notice = Outgoing {
            detail: Some(link.email.clone()),
            ..Outgoing::to_user(MailKind::EmailChanged, user.id, &user.email)
        };
        outbox::enqueue(&txn, notice, now).await?;
        Confirmed::NewAddress
    };
    txn.commit().await?;
    tracing::info!(user_id = user.id, ?confirmed, "e-mail address confirmed");
    Ok(confirmed)
}

/// Mails the confirmation link again (throttled like a reset request); nothing when verified.
pub async fn resend_verification(
    db: &DatabaseConnection,
    user_id: i32,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let user = find_user(db, user_id).await?;
    if user.email_verified_at.is_some() {
        return Ok(());
    }
    let txn = begin_write(db).await?;
    account_links::throttle(&txn, LinkPurpose::VerifyEmail, &user.email, client_ip, now).await?;
    send_link(&txn, &user, LinkPurpose::VerifyEmail, &user.email, now).await?;
    txn.commit().await?;
    Ok(())
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
    let email = typed_address(email);
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
    let oldest: Option<DateTime<Utc>> = earliest(db, scope, failed_sign_in::Column::AttemptedAt).await?;
    let unlocks_at = oldest.unwrap_or(now) + Duration::minutes(LOCKOUT_WINDOW_MINUTES);
    let retry_after_secs = (unlocks_at - now).num_seconds().max(1) as u64;
    Err(AppError::RateLimited { retry_after_secs })
}

/// The account page's profile section.
pub async fn profile(db: &impl ConnectionTrait, user_id: i32) -> Result<Profile, AppError> {
    let user = find_user(db, user_id).await?;
    let pending_email = account_links::pending_change(db, user_id, Utc::now()).await?;
    Ok(profile_of(user, pending_email))
}

fn profile_of(user: user::Model, pending_email: Option<String>) -> Profile {
    Profile {
        name: user.name,
        email: user.email,
        phone: user.phone,
        email_verified: user.email_verified_at.is_some(),
        pending_email,
    }
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
    profile(db, updated.id).await
}

/// Asks to sign in with another address: needs the current password (a stolen session alone
/// cannot take the account over) and takes effect only once the link mailed to the new address
/// is opened. Returns the address waiting for confirmation (`None`: it was already the account's).
pub async fn change_email(
    db: &DatabaseConnection,
    hasher: &PasswordHasher,
    user_id: i32,
    new_email: &str,
    current_password: &str,
) -> Result<Option<String>, AppError> {
    let email = Email::parse(new_email)?;
    let user = find_user(db, user_id).await?;
    require_current_password(hasher, &user, current_password).await?;
    if email.as_str() == user.email {
        account_links::revoke(db, user.id, LinkPurpose::ChangeEmail).await?;
        return Ok(None);
    }
    if user::Entity::find().filter(user::Column::Email.eq(email.as_str())).count(db).await? > 0 {
        return Err(AppError::validation("email", "Another account already uses this email."));
    }
    let txn = begin_write(db).await?;
    send_link(&txn, &user, LinkPurpose::ChangeEmail, email.as_str(), Utc::now()).await?;
    txn.commit().await?;
    tracing::info!(user_id, "e-mail change requested");
    Ok(Some(email.as_str().to_owned()))
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
    let updated = user::ActiveModel {
        id: Unchanged(user.id),
        password_hash: Set(password_hash),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(db)
    .await?;
    password_changed(db, &updated, Utc::now()).await?;
    Ok(updated)
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
            role: Set(Role::Admin),
            password_hash: Set(password_hash),
            email_verified_at: Set(Some(existing.email_verified_at.unwrap_or_else(Utc::now))),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .update(db)
        .await?),
        None => {
            let mut admin = new_user(&email, name, password_hash, Role::Admin);
            // The operator named this address; there is nobody to confirm it to.
            admin.email_verified_at = Set(Some(Utc::now()));
            Ok(admin.insert(db).await?)
        }
    }
}

fn new_user(email: &Email, name: String, password_hash: String, role: Role) -> user::ActiveModel {
    let now = Utc::now();
    user::ActiveModel {
        email: Set(email.as_str().to_owned()),
        name: Set(name),
        phone: Set(None),
        password_hash: Set(password_hash),
        role: Set(role),
        email_verified_at: Set(None),
        deleted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// A live account (a deleted one is gone for every purpose).
pub async fn find_user(db: &impl ConnectionTrait, user_id: i32) -> Result<user::Model, AppError> {
    user::Entity::find_by_id(user_id)
        .filter(user::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::Unauthorized)
}

pub(crate) async fn require_current_password(
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

pub(crate) fn rename_field(err: AppError, field: &str) -> AppError {
    match err {
        AppError::Validation { message, .. } => AppError::validation(field, message),
        other => other,
    }
}
