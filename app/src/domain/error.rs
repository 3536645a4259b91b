//! The one error type that crosses the wire.
//!
//! Every server function returns `Result<_, AppError>`. The server turns the variant into the
//! HTTP status (see `status`), so clients get 4xx for their own mistakes and a generic 500 for
//! ours. Internal causes are logged on the server and never serialized.

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    /// A well-formed request whose values break a rule (422).
    #[error("{message}")]
    Validation { field: String, message: String },
    /// Several fields of one form break their rules, each with its own message (422).
    #[error("Please correct the marked fields.")]
    Fields { errors: Vec<FieldError> },
    /// A request that could not be understood: missing or mistyped arguments (400).
    #[error("{message}")]
    BadRequest { message: String },
    #[error("Please sign in to continue.")]
    Unauthorized,
    /// Wrong email or wrong password: one message for both, so it reveals neither (401).
    #[error("The email or password is not right.")]
    InvalidCredentials,
    #[error("You are not allowed to do that.")]
    Forbidden,
    /// Missing, and also "exists but is not yours" (404). `what` names it from the reader's side
    /// ("That order"), so the message reads "That order was not found.".
    #[error("{what} was not found.")]
    NotFound { what: String },
    #[error("{message}")]
    Conflict { message: String },
    #[error("Too many attempts. Try again in {retry_after_secs} seconds.")]
    RateLimited { retry_after_secs: u64 },
    /// Anything unexpected. The cause is in the server log only (500).
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// A dependency such as the database is down (503).
    #[error("The shop is temporarily unavailable. Please try again shortly.")]
    Unavailable,
    /// The browser could not reach the server at all (never produced by the server).
    #[error("Could not reach the shop. Check your connection and try again.")]
    Network,
}

/// One field's failure within [`AppError::Fields`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// The one voice of every message a person reads: whole sentences, each starting with a capital
/// letter (or a value such as a number) and ending with a full stop or question mark, on one
/// line. `app/tests/message_style.rs` holds every message in the source to it.
pub fn follows_message_style(message: &str) -> bool {
    let Some(first) = message.chars().next() else { return false };
    let starts_well = first.is_uppercase() || first.is_ascii_digit() || first == '{' || first == '"';
    let ends_well = message.ends_with('.') || message.ends_with('?');
    starts_well && ends_well && !message.contains('\n') && message.trim() == message
}

impl AppError {
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation { field: field.into(), message: message.into() }
    }

    /// The message for `field`, if this error is about that field.
    pub fn message_for(&self, field: &str) -> Option<String> {
        match self {
            Self::Validation { field: failed, message } if failed == field => Some(message.clone()),
            Self::Fields { errors } => errors.iter().find(|e| e.field == field).map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// Whether every part of this error belongs to one of `fields` (so a form shows it there).
    pub fn belongs_to(&self, fields: &[&str]) -> bool {
        match self {
            Self::Validation { field, .. } => fields.contains(&field.as_str()),
            Self::Fields { errors } => errors.iter().all(|e| fields.contains(&e.field.as_str())),
            _ => false,
        }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound { what: what.into() }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict { message: message.into() }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            Self::Validation { .. } | Self::Fields { .. } => 422,
            Self::BadRequest { .. } => 400,
            Self::Unauthorized | Self::InvalidCredentials => 401,
            Self::Forbidden => 403,
            Self::NotFound { .. } => 404,
            Self::Conflict { .. } => 409,
            Self::RateLimited { .. } => 429,
            Self::Internal | Self::Network => 500,
            Self::Unavailable => 503,
        }
    }

    /// Logs the full cause and returns the opaque `Internal` error.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "{context}");
        Self::Internal
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(message)
            | ServerFnErrorErr::MissingArg(message)
            | ServerFnErrorErr::Deserialization(message) => {
                Self::BadRequest { message: format!("Invalid request: {}.", message.trim_end_matches('.')) }
            }
            ServerFnErrorErr::UnsupportedRequestMethod(method) => {
                Self::BadRequest { message: format!("Unsupported request method {method}.") }
            }
            ServerFnErrorErr::Request(_) => Self::Network,
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                Self::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        match err {
            // The database is down or the pool is exhausted: worth a retry, unlike a bug.
            sea_orm::DbErr::ConnectionAcquire(_) | sea_orm::DbErr::Conn(_) => {
                tracing::error!(cause = %err, "database unavailable");
                Self::Unavailable
            }
            err => Self::internal("database error", err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_message_follows_the_house_style() {
        let errors = [
            AppError::Fields { errors: vec![] },
            AppError::Unauthorized,
            AppError::InvalidCredentials,
            AppError::Forbidden,
            AppError::not_found("That order"),
            AppError::RateLimited { retry_after_secs: 5 },
            AppError::Internal,
            AppError::Unavailable,
            AppError::Network,
            AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field `limit`".into())),
            AppError::from_server_fn_error(ServerFnErrorErr::UnsupportedRequestMethod("PATCH".into())),
        ];
        for error in errors {
            assert!(follows_message_style(&error.to_string()), "{error:?} reads {error}");
        }
    }

    #[test]
    fn the_house_style_refuses_lowercase_starts_missing_stops_and_line_breaks() {
        assert!(follows_message_style("Enter your name."));
        assert!(follows_message_style("{reason} Try a longer phrase."));
        assert!(follows_message_style("Is this right?"));
        assert!(!follows_message_style("enter your name."));
        assert!(!follows_message_style("Enter your name"));
        assert!(!follows_message_style("Enter your\nname."));
        assert!(!follows_message_style(""));
    }

    #[test]
    fn client_mistakes_map_to_4xx_and_ours_to_5xx() {
        assert_eq!(AppError::validation("limit", "Too big.").status(), 422);
        assert_eq!(AppError::not_found("That product").status(), 404);
        assert_eq!(AppError::conflict("Sold out.").status(), 409);
        assert_eq!(AppError::Unauthorized.status(), 401);
        assert_eq!(AppError::InvalidCredentials.status(), 401);
        assert_eq!(AppError::Forbidden.status(), 403);
        assert_eq!(AppError::RateLimited { retry_after_secs: 5 }.status(), 429);
        assert_eq!(AppError::Internal.status(), 500);
        assert_eq!(AppError::Unavailable.status(), 503);
    }

    #[test]
    fn undecodable_arguments_are_a_bad_request() {
        let err = AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field `limit`".into()));
        assert_eq!(err.status(), 400);
        assert!(err.to_string().contains("missing field `limit`"));
    }

    #[test]
    fn server_side_failures_do_not_leak_their_cause() {
        let err =
            AppError::from_server_fn_error(ServerFnErrorErr::ServerError("relation products does not exist".into()));
        assert_eq!(err, AppError::Internal);
        let wire = String::from_utf8(err.ser().to_vec()).unwrap();
        assert!(!wire.contains("relation"), "{wire}");
    }

    #[test]
    fn errors_round_trip_through_the_wire_encoding() {
        let err = AppError::validation("offset", "Must not be negative.");
        assert_eq!(AppError::de(err.ser()), err);
    }
}
