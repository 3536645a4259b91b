//! axum-login wiring: the user type kept in sessions, the backend that loads it, and the
//! helpers server functions use to ask "who is this?" and "may they?".

use crate::{
    domain::accounts::{CurrentUser, Role},
    domain::error::AppError,
    server::{
        entities::user,
        password::PasswordHasher,
        services::accounts,
        user_handoff::{SignedInRead, UserHandoff},
    },
};
use axum_login::{AuthUser, AuthnBackend, UserId};
use sea_orm::{DatabaseConnection, EntityTrait};

/// The signed-in user as the session layer sees it.
#[derive(Clone)]
pub struct SessionUser {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The password hash: a session stays valid only while the password it signed in with
    /// does, so a password change ends every other session.
    password_hash: String,
    /// Units in the user's cart, when they were read with this request's session.
    cart_units: Option<i32>,
}

impl std::fmt::Debug for SessionUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionUser").field("id", &self.id).field("role", &self.role).finish_non_exhaustive()
    }
}

impl From<user::Model> for SessionUser {
    fn from(user: user::Model) -> Self {
        Self {
            id: user.id,
            name: user.name,
            email: user.email,
            role: user.role,
            password_hash: user.password_hash,
            cart_units: None,
        }
    }
}

impl From<SignedInRead> for SessionUser {
    fn from(read: SignedInRead) -> Self {
        Self { cart_units: Some(read.cart_units), ..read.user.into() }
    }
}

impl SessionUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// The units in the user's cart as read at the start of this request, if they were.
    pub fn cart_units(&self) -> Option<i32> {
        self.cart_units
    }

    pub fn to_current_user(&self) -> CurrentUser {
        CurrentUser { id: self.id, name: self.name.clone(), email: self.email.clone(), is_admin: self.is_admin() }
    }
}

impl AuthUser for SessionUser {
    type Id = i32;

    fn id(&self) -> i32 {
        self.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        self.password_hash.as_bytes()
    }
}

/// What a sign-in attempt carries.
#[derive(Clone)]
pub struct Credentials {
    pub email: String,
    pub password: String,
    pub client_ip: String,
}

#[derive(Clone, Debug)]
pub struct Backend {
    pub db: DatabaseConnection,
    pub hasher: PasswordHasher,
    /// Shared with the session store, which reads each session's user in the same query.
    pub users: UserHandoff,
}

impl AuthnBackend for Backend {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = AppError;

    /// Wrong email or password is `Err(InvalidCredentials)` rather than `Ok(None)`, so the
    /// lockout's 429 and the one generic message reach the caller unchanged.
    async fn authenticate(&self, creds: Credentials) -> Result<Option<SessionUser>, AppError> {
        accounts::sign_in(&self.db, &self.hasher, &creds.email, &creds.password, &creds.client_ip)
            .await
            .map(|user| Some(user.into()))
    }

    async fn get_user(&self, user_id: &UserId<Self>) -> Result<Option<SessionUser>, AppError> {
        if let Some(read) = self.users.take(*user_id, std::time::Instant::now()) {
            return Ok(Some(read.into()));
        }
        Ok(user::Entity::find_by_id(*user_id).one(&self.db).await?.map(SessionUser::from))
    }
}

pub type AuthSession = axum_login::AuthSession<Backend>;

/// The session key holding when the user signed in (Unix seconds), for the absolute timeout.
pub const SIGNED_IN_AT_KEY: &str = "signed_in_at";

/// The client address the server's middleware determined (trusted proxies considered).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIp(pub String);

fn request_parts() -> Result<axum::http::request::Parts, AppError> {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .ok_or_else(|| AppError::internal("missing context", "request Parts were not provided"))
}

/// The request's auth session (the `AuthManagerLayer` puts it on every request).
pub fn auth_session() -> Result<AuthSession, AppError> {
    request_parts()?
        .extensions
        .get::<AuthSession>()
        .cloned()
        .ok_or_else(|| AppError::internal("missing auth session", "AuthManagerLayer is not installed"))
}

/// The signed-in user, or 401.
pub fn require_user() -> Result<SessionUser, AppError> {
    auth_session()?.user.ok_or(AppError::Unauthorized)
}

/// The guard for admin-only pages and server functions: 401 when signed out, 403 for customers.
pub fn require_admin() -> Result<SessionUser, AppError> {
    let user = require_user()?;
    if user.is_admin() { Ok(user) } else { Err(AppError::Forbidden) }
}

/// The client address as the server determined it, for lockout and activity records.
pub fn client_ip() -> String {
    request_parts()
        .ok()
        .and_then(|parts| parts.extensions.get::<ClientIp>().map(|ip| ip.0.clone()))
        .unwrap_or_else(|| "unknown".to_owned())
}
