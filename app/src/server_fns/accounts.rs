//! Account server functions: thin wrappers that find the session user and call the services.
//! Every one of them works from a plain HTML form too (JavaScript off).

// A form's fields are a server function's arguments, one each (the address form has eleven);
// the lint cannot be silenced on the client code `#[server]` generates, only module-wide.
#![allow(clippy::too_many_arguments)]

use crate::{
    domain::accounts::{Address, CurrentUser, Device, Profile},
    domain::error::AppError,
};
use leptos::prelude::*;

/// Who is signed in, if anyone.
#[server(endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    current_user_now()
}

/// Who is signed in, read at once: the auth layer loaded the user with the session before the
/// page began to render, so server-rendered pieces need no resource for it.
#[cfg(feature = "ssr")]
pub fn current_user_now() -> Result<Option<CurrentUser>, AppError> {
    use crate::server::auth::auth_session;
    Ok(auth_session()?.user.map(|user| user.to_current_user()))
}

/// Creates an account, signs it in and returns to `next` (a path on this site).
#[server(endpoint = "register")]
pub async fn register(
    name: String,
    email: String,
    password: String,
    next: Option<String>,
) -> Result<CurrentUser, AppError> {
    use crate::server::{
        auth::{SessionUser, auth_session},
        services::accounts,
        state::{db, hasher},
    };
    let created = accounts::register(&db()?, &hasher()?, &name, &email, &password).await?;
    crate::server::state::wake_outbox();
    tracing::info!(user_id = created.id, "account registered");
    let user = SessionUser::from(created);
    start_session(auth_session()?, &user).await?;
    leptos_axum::redirect(&crate::domain::accounts::safe_return_path(next.as_deref()));
    Ok(user.to_current_user())
}

/// Signs in with email and password and returns to `next`.
#[server(endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String, next: Option<String>) -> Result<CurrentUser, AppError> {
    use crate::server::{
        auth::{SessionUser, auth_session, client_ip},
        services::accounts,
        state::{db, hasher},
    };
    let auth = auth_session()?;
    let client_ip = client_ip();
    // The service directly rather than `auth.authenticate`: axum-login logs every refusal (a
    // wrong password, a lockout) as an ERROR, and a refused sign-in is not a fault of ours.
    let user = match accounts::sign_in(&db()?, &hasher()?, &email, &password, &client_ip).await {
        Ok(user) => SessionUser::from(user),
        Err(err) => {
            tracing::info!(%client_ip, error = %err, "sign-in refused");
            return Err(err);
        }
    };
    tracing::info!(user_id = user.id, %client_ip, "signed in");
    start_session(auth, &user).await?;
    leptos_axum::redirect(&crate::domain::accounts::safe_return_path(next.as_deref()));
    Ok(user.to_current_user())
}

/// Puts `user` in the session under a new session id, every time (also when someone was
/// already signed in): a session id seen before sign-in is never valid after it.
#[cfg(feature = "ssr")]
async fn start_session(
    mut auth: crate::server::auth::AuthSession,
    user: &crate::server::auth::SessionUser,
) -> Result<(), AppError> {
    use crate::server::{auth::SIGNED_IN_AT_KEY, services::activity, state::db};
    if let Some(old_id) = auth.session.id() {
        activity::forget(&db()?, &old_id.to_string()).await?;
    }
    auth.login(user).await.map_err(|err| AppError::internal("starting a session", err))?;
    auth.session.cycle_id().await.map_err(|err| AppError::internal("renewing the session id", err))?;
    // A guest's cart follows them into their account.
    super::shop::adopt_guest_cart(&auth.session, user.id).await?;
    auth.session
        .insert(SIGNED_IN_AT_KEY, chrono::Utc::now().timestamp())
        .await
        .map_err(|err| AppError::internal("starting a session", err))?;
    Ok(())
}

/// Ends the session on the server (the old cookie becomes anonymous) and goes home.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::{auth::auth_session, services::activity, state::db};
    let mut auth = auth_session()?;
    if let Some(id) = auth.session.id() {
        activity::forget(&db()?, &id.to_string()).await?;
    }
    if let Some(user) = auth.logout().await.map_err(|err| AppError::internal("signing out", err))? {
        tracing::info!(user_id = user.id, "signed out");
    }
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "profile")]
pub async fn get_profile() -> Result<Profile, AppError> {
    use crate::server::{auth::require_user, services::accounts, state::db};
    accounts::profile(&db()?, require_user()?.id).await
}

#[server(endpoint = "update_profile")]
pub async fn update_profile(name: String, phone: String) -> Result<Profile, AppError> {
    use crate::server::{auth::require_user, services::accounts, state::db};
    let saved = accounts::update_profile(&db()?, require_user()?.id, &name, &phone).await?;
    leptos_axum::redirect("/account?profile=saved");
    Ok(saved)
}

/// Asks to change the sign-in email (current password needed); the change waits for the link
/// mailed to the new address.
#[server(endpoint = "change_email")]
pub async fn change_email(email: String, current_password: String) -> Result<Profile, AppError> {
    use crate::server::{
        auth::require_user,
        services::accounts,
        state::{db, hasher, wake_outbox},
    };
    let db = db()?;
    let user_id = require_user()?.id;
    let pending = accounts::change_email(&db, &hasher()?, user_id, &email, &current_password).await?;
    wake_outbox();
    leptos_axum::redirect(if pending.is_some() { "/account?email_change=sent" } else { "/account" });
    accounts::profile(&db, user_id).await
}

/// Changes the password; every other session of the user ends, this one continues under a new id.
#[server(endpoint = "change_password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    use crate::server::{
        auth::{SessionUser, auth_session, require_user},
        services::accounts,
        session_store::DbSessionStore,
        state::{db, hasher, wake_outbox},
    };
    let db = db()?;
    let user_id = require_user()?.id;
    let updated = accounts::change_password(&db, &hasher()?, user_id, &current_password, &new_password).await?;
    wake_outbox();
    let user = SessionUser::from(updated);
    let auth = auth_session()?;
    start_session(auth, &user).await?;
    // This session was just re-created under a new id, so every stored session of the user is
    // an other one.
    let ended = DbSessionStore::new(db)
        .delete_user_sessions(user_id, None)
        .await
        .map_err(|err| AppError::internal("ending other sessions", err))?;
    tracing::info!(user_id, other_sessions_ended = ended, "password changed");
    leptos_axum::redirect("/account?password=changed");
    Ok(())
}

/// "Forgot your password?": the same answer whether or not an account has the address.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::server::{
        auth::client_ip,
        services::accounts,
        state::{db, wake_outbox},
    };
    accounts::request_password_reset(&db()?, &email, &client_ip(), chrono::Utc::now()).await?;
    wake_outbox();
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

/// Whether a mailed link can still be used, for the page it opens (nothing is used up).
#[server(endpoint = "check_link")]
pub async fn check_link(token: String) -> Result<(), AppError> {
    use crate::server::{
        auth::auth_session,
        services::{account_links::LinkPurpose, accounts},
        state::db,
    };
    let signed_in = auth_session()?.user.map(|user| user.id);
    let all = [LinkPurpose::PasswordReset, LinkPurpose::VerifyEmail, LinkPurpose::ChangeEmail];
    accounts::open_link(&db()?, &token, &all, signed_in, chrono::Utc::now()).await.map(drop)
}

/// Sets a new password from a reset link, ends every session of that account and signs this
/// browser in.
#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, new_password: String) -> Result<(), AppError> {
    use crate::server::{
        auth::{SessionUser, auth_session},
        services::accounts,
        state::{db, hasher, wake_outbox},
    };
    let auth = auth_session()?;
    let signed_in = auth.user.as_ref().map(|user| user.id);
    let updated =
        accounts::reset_password(&db()?, &hasher()?, &token, &new_password, signed_in, chrono::Utc::now()).await?;
    wake_outbox();
    start_session(auth, &SessionUser::from(updated)).await?;
    leptos_axum::redirect("/account?password=reset");
    Ok(())
}

/// Confirms an address from its mailed link (the account's own, or a new one it switches to).
#[server(endpoint = "confirm_email")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    use crate::server::{
        auth::auth_session,
        services::accounts::{self, Confirmed},
        state::{db, wake_outbox},
    };
    let signed_in = auth_session()?.user.map(|user| user.id);
    let confirmed = accounts::confirm_email(&db()?, &token, signed_in, chrono::Utc::now()).await?;
    wake_outbox();
    let flag = match confirmed {
        Confirmed::Address => "address",
        Confirmed::NewAddress => "new_address",
    };
    let next = if signed_in.is_some() { "/account" } else { "/login" };
    leptos_axum::redirect(&format!("{next}?confirmed={flag}"));
    Ok(())
}

/// Mails the confirmation link of the account's address again.
#[server(endpoint = "resend_verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    use crate::server::{
        auth::{client_ip, require_user},
        services::accounts,
        state::{db, wake_outbox},
    };
    accounts::resend_verification(&db()?, require_user()?.id, &client_ip(), chrono::Utc::now()).await?;
    wake_outbox();
    leptos_axum::redirect("/account?verification=sent");
    Ok(())
}

/// Deletes the account after the password and a ticked box: personal data erased, orders kept
/// without it, every session ended.
#[server(endpoint = "delete_account")]
pub async fn delete_account(current_password: String, confirm: Option<String>) -> Result<(), AppError> {
    use crate::server::{
        auth::{auth_session, require_user},
        services::privacy,
        state::{db, hasher},
    };
    let user_id = require_user()?.id;
    privacy::delete_account(&db()?, &hasher()?, user_id, &current_password, confirm.is_some(), chrono::Utc::now())
        .await?;
    let mut auth = auth_session()?;
    auth.logout().await.map_err(|err| AppError::internal("signing out a deleted account", err))?;
    leptos_axum::redirect("/login?deleted=1");
    Ok(())
}

#[server(endpoint = "addresses")]
pub async fn list_addresses() -> Result<Vec<Address>, AppError> {
    use crate::server::{auth::require_user, services::addresses, state::db};
    addresses::list(&db()?, require_user()?.id).await
}

/// Adds an address (no `id`) or replaces one of the user's own.
#[server(endpoint = "save_address")]
pub async fn save_address(
    id: Option<i32>,
    kind: String,
    full_name: String,
    line1: String,
    line2: Option<String>,
    city: String,
    region: String,
    postal_code: String,
    country: String,
    phone: Option<String>,
    is_default: Option<String>,
) -> Result<Address, AppError> {
    use crate::{
        domain::accounts::AddressForm,
        server::{auth::require_user, services::addresses, state::db},
    };
    let user_id = require_user()?.id;
    let input = AddressForm {
        kind,
        full_name,
        line1,
        line2: line2.unwrap_or_default(),
        city,
        region,
        postal_code,
        country,
        phone: phone.unwrap_or_default(),
        is_default,
    }
    .validate()?;
    let db = db()?;
    match id {
        Some(id) => addresses::update(&db, user_id, id, input).await,
        None => addresses::create(&db, user_id, input).await,
    }
}

#[server(endpoint = "delete_address")]
pub async fn delete_address(id: i32) -> Result<(), AppError> {
    use crate::server::{auth::require_user, services::addresses, state::db};
    addresses::delete(&db()?, require_user()?.id, id).await
}

#[server(endpoint = "default_address")]
pub async fn make_default_address(id: i32) -> Result<Address, AppError> {
    use crate::server::{auth::require_user, services::addresses, state::db};
    addresses::set_default(&db()?, require_user()?.id, id).await
}

/// The user's signed-in browsers, this one marked.
#[server(endpoint = "devices")]
pub async fn list_devices() -> Result<Vec<Device>, AppError> {
    use crate::server::{auth::auth_session, services::activity, state::db};
    let auth = auth_session()?;
    let user = auth.user.ok_or(AppError::Unauthorized)?;
    let current = auth.session.id().map(|id| id.to_string());
    activity::devices(&db()?, user.id, current.as_deref()).await
}

/// Ends one of the user's other sessions.
#[server(endpoint = "sign_out_device")]
pub async fn sign_out_device(id: i32) -> Result<(), AppError> {
    use crate::server::{auth::require_user, services::activity, state::db};
    let user_id = require_user()?.id;
    activity::sign_out_device(&db()?, user_id, id).await?;
    tracing::info!(user_id, device = id, "device signed out");
    Ok(())
}
