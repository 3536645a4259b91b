//! Single-use links mailed to a person (password reset, address confirmation) and the throttle on
//! asking for them.
//!
//! A token is 32 random bytes, URL-safe base64 in the link; the database keeps only its SHA-256.
//! A newer link of the same purpose replaces the older one, redeeming deletes the row (so a link
//! works once, also when two requests race), and an expired one is refused.

use crate::{
    domain::error::AppError,
    server::{
        entities::{account_token, mail_request},
        services::earliest,
    },
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use sha2::{Digest, Sha256};

/// What a link lets its holder do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    PasswordReset,
    /// Confirms the address the account already has.
    VerifyEmail,
    /// Confirms a new address; the account switches to it then.
    ChangeEmail,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PasswordReset => "password_reset",
            Self::VerifyEmail => "verify_email",
            Self::ChangeEmail => "change_email",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::PasswordReset, Self::VerifyEmail, Self::ChangeEmail].into_iter().find(|p| p.as_str() == value)
    }

    pub fn lifetime(self) -> TimeDelta {
        match self {
            Self::PasswordReset => TimeDelta::minutes(30),
            Self::VerifyEmail => TimeDelta::hours(48),
            Self::ChangeEmail => TimeDelta::hours(24),
        }
    }
}

const TOKEN_BYTES: usize = 32;
/// 32 bytes in URL-safe base64 without padding.
const TOKEN_LEN: usize = 43;

/// A fresh token from the operating system's random source.
pub fn new_token() -> Result<String, AppError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|err| AppError::internal("drawing a token", err))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

fn looks_like_a_token(token: &str) -> bool {
    token.len() == TOKEN_LEN && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The one answer for a link that is unknown, used, replaced by a newer one or expired.
pub fn invalid_link() -> AppError {
    AppError::validation("token", "This link is no longer valid. Links work once and expire; ask for a new one.")
}

/// Makes a new link for `user_id`, replacing any earlier one of the same purpose, and returns
/// its token (to go into the message, never into the database or a log).
pub async fn issue(
    db: &impl ConnectionTrait,
    user_id: i32,
    purpose: LinkPurpose,
    email: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    revoke(db, user_id, purpose).await?;
    let token = new_token()?;
    account_token::ActiveModel {
        user_id: Set(user_id),
        purpose: Set(purpose.as_str().to_owned()),
        token_hash: Set(token_hash(&token)),
        email: Set(email.to_owned()),
        created_at: Set(now),
        expires_at: Set(now + purpose.lifetime()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The link's record while it is valid, without using it up (to show the right form).
pub async fn find_valid(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<account_token::Model, AppError> {
    if !looks_like_a_token(token) {
        return Err(invalid_link());
    }
    account_token::Entity::find()
        .filter(account_token::Column::TokenHash.eq(token_hash(token)))
        .filter(account_token::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
        .ok_or_else(invalid_link)
}

/// Uses the link up: only one caller can, however many race with the same token.
pub async fn redeem(
    db: &impl ConnectionTrait,
    link: &account_token::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let deleted = account_token::Entity::delete_many()
        .filter(account_token::Column::Id.eq(link.id))
        .filter(account_token::Column::TokenHash.eq(link.token_hash.as_str()))
        .filter(account_token::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    if deleted.rows_affected == 1 { Ok(()) } else { Err(invalid_link()) }
}

/// Ends every open link of this purpose (a newer link, a password change, a deleted account).
pub async fn revoke(db: &impl ConnectionTrait, user_id: i32, purpose: LinkPurpose) -> Result<u64, AppError> {
    Ok(account_token::Entity::delete_many()
        .filter(account_token::Column::UserId.eq(user_id))
        .filter(account_token::Column::Purpose.eq(purpose.as_str()))
        .exec(db)
        .await?
        .rows_affected)
}

/// The new address waiting for confirmation, if a change is open.
pub async fn pending_change(
    db: &impl ConnectionTrait,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    Ok(account_token::Entity::find()
        .select_only()
        .column(account_token::Column::Email)
        .filter(account_token::Column::UserId.eq(user_id))
        .filter(account_token::Column::Purpose.eq(LinkPurpose::ChangeEmail.as_str()))
        .filter(account_token::Column::ExpiresAt.gt(now))
        .order_by_desc(account_token::Column::Id)
        .into_tuple()
        .one(db)
        .await?)
}

/// Requests for one address (known or not) within the window before more are refused: a
/// handful of mails at most, however often someone asks.
pub const MAIL_REQUESTS_PER_ADDRESS: u64 = 3;
/// Requests from one client address within the window.
pub const MAIL_REQUESTS_PER_CLIENT: u64 = 30;
pub const MAIL_REQUEST_WINDOW: TimeDelta = TimeDelta::minutes(15);

/// Counts a request for a mailed link, or refuses it with 429 when the address or the client has
/// asked too often. Counted by what was typed, so the answer never depends on whether an account
/// has that address.
pub async fn throttle(
    db: &impl ConnectionTrait,
    purpose: LinkPurpose,
    email: &str,
    client_ip: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let window_start = now - MAIL_REQUEST_WINDOW;
    let recent = mail_request::Entity::find()
        .filter(mail_request::Column::Purpose.eq(purpose.as_str()))
        .filter(mail_request::Column::RequestedAt.gt(window_start));
    let for_address = recent.clone().filter(mail_request::Column::Email.eq(email));
    let for_client = recent.filter(mail_request::Column::ClientIp.eq(client_ip));
    let scope = if for_address.clone().count(db).await? >= MAIL_REQUESTS_PER_ADDRESS {
        Some(for_address)
    } else if for_client.clone().count(db).await? >= MAIL_REQUESTS_PER_CLIENT {
        Some(for_client)
    } else {
        None
    };
    if let Some(scope) = scope {
        let oldest: Option<DateTime<Utc>> = earliest(db, scope, mail_request::Column::RequestedAt).await?;
        let frees_at = oldest.unwrap_or(now) + MAIL_REQUEST_WINDOW;
        return Err(AppError::RateLimited { retry_after_secs: (frees_at - now).num_seconds().max(1) as u64 });
    }
    mail_request::ActiveModel {
        purpose: Set(purpose.as_str().to_owned()),
        email: Set(email.to_owned()),
        client_ip: Set(client_ip.to_owned()),
        requested_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Drops request records older than the window (called with the other clean-ups).
pub async fn prune_requests(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(mail_request::Entity::delete_many()
        .filter(mail_request::Column::RequestedAt.lte(now - MAIL_REQUEST_WINDOW))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_32_random_bytes_in_url_safe_base64() {
        let first = new_token().unwrap();
        let second = new_token().unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(&first).unwrap().len(), 32);
        assert!(looks_like_a_token(&first), "{first}");
        assert_ne!(first, second);
    }

    #[test]
    fn the_stored_hash_is_the_sha256_of_the_token() {
        // echo -n abc | sha256sum
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(token_hash(&new_token().unwrap()).len(), 64);
    }

    #[test]
    fn malformed_tokens_are_refused_before_any_lookup() {
        assert!(!looks_like_a_token(""));
        assert!(!looks_like_a_token(&"a".repeat(44)));
        assert!(!looks_like_a_token(&format!("{}%", "a".repeat(42))));
    }

    #[test]
    fn a_reset_link_lives_thirty_minutes() {
        assert_eq!(LinkPurpose::PasswordReset.lifetime(), TimeDelta::minutes(30));
        for purpose in [LinkPurpose::PasswordReset, LinkPurpose::VerifyEmail, LinkPurpose::ChangeEmail] {
            assert_eq!(LinkPurpose::parse(purpose.as_str()), Some(purpose));
        }
    }
}
