//! Getting back in and proving an address: `/forgot-password`, `/reset-password?token=…` (from
//! the mailed link) and `/confirm-email?token=…`. Plain forms: they work the same with
//! JavaScript off. Opening a link uses nothing up; the form's button does, so a mail scanner that
//! follows links cannot spend them.

use crate::{
    components::{
        forms::{EmailField, FormAlert, PasswordField, PasswordKind, Refusal, SubmitButton},
        page_meta::AuthPage,
    },
    domain::error::AppError,
    server_fns::accounts::{ConfirmEmail, RequestPasswordReset, ResetPassword, check_link},
};
use leptos::{form::ActionForm, prelude::*};
use leptos_router::hooks::use_query_map;

/// `/forgot-password`.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let sent = query.with_untracked(|q| q.get("sent").is_some());
    let action = ServerAction::<RequestPasswordReset>::new();
    let refused = Refusal::of(action);
    view! {
        <AuthPage
            title="Forgot your password?"
            description="Ask for a link to choose a new password for your CloudScale Commerce account."
            path="/forgot-password"
            noindex=true
        >
            {sent.then(|| view! {
                <p class="form-status" role="status">
                    "If an account uses that address, we have sent it a link to choose a new password. "
                    "The link works once, for 30 minutes."
                </p>
            })}
            <p>"Type the address you sign in with and we will e-mail it a link to choose a new password."</p>
            <ActionForm action>
                <FormAlert error=refused.alert(&["email"]) />
                <EmailField id="forgot-email".into() error=refused.field("email") />
                <SubmitButton label="Send me a link" pending=action.pending() />
            </ActionForm>
            <p class="auth-page__switch"><a href="/login">"Back to sign in"</a></p>
        </AuthPage>
    }
}

fn token_param() -> String {
    use_query_map().with_untracked(|q| q.get("token").unwrap_or_default())
}

/// Shows `valid` while the link can be used, and why not otherwise.
#[component]
fn WhenLinkIsValid(token: String, children: ChildrenFn) -> impl IntoView {
    let check = Resource::new(move || token.clone(), check_link);
    let valid = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">"Checking the link…"</p> }>
            {move || Suspend::new(async move {
                match check.await {
                    Ok(()) => valid.with_value(|valid| valid()).into_any(),
                    Err(error) => view! { <LinkRefused error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LinkRefused(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            axum::http::StatusCode::from_u16(error.status()).unwrap_or(axum::http::StatusCode::BAD_REQUEST),
        );
    }
    let message = error.message_for("token").unwrap_or_else(|| error.to_string());
    view! {
        <p class="form-alert" role="alert">{message}</p>
        <p>
            <a href="/forgot-password">"Ask for a new password link"</a>
            " · "
            <a href="/account">"Your account"</a>
        </p>
    }
}

/// `/reset-password?token=…`.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = token_param();
    let action = ServerAction::<ResetPassword>::new();
    let refused = Refusal::of(action);
    let form_token = StoredValue::new(token.clone());
    view! {
        <AuthPage
            title="Choose a new password"
            description="Choose a new password for your account."
            path="/reset-password"
            noindex=true
        >
            <WhenLinkIsValid token>
                <p>"Every browser signed in to this account will be signed out."</p>
                <ActionForm action>
                    <FormAlert error=refused.alert(&["new_password"]) />
                    <input type="hidden" name="token" value=form_token.get_value() />
                    <PasswordField id="reset-password".into() kind=PasswordKind::New label="New password" name="new_password"
                        error=refused.field("new_password") />
                    <SubmitButton label="Set new password" pending=action.pending() />
                </ActionForm>
            </WhenLinkIsValid>
        </AuthPage>
    }
}

/// `/confirm-email?token=…`.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let token = token_param();
    let action = ServerAction::<ConfirmEmail>::new();
    let refused = Refusal::of(action);
    let form_token = StoredValue::new(token.clone());
    view! {
        <AuthPage
            title="Confirm your e-mail address"
            description="Confirm your e-mail address."
            path="/confirm-email"
            noindex=true
        >
            <WhenLinkIsValid token>
                <ActionForm action>
                    <FormAlert error=refused.alert(&[]) />
                    <input type="hidden" name="token" value=form_token.get_value() />
                    <SubmitButton label="Confirm my e-mail address" pending=action.pending() />
                </ActionForm>
            </WhenLinkIsValid>
        </AuthPage>
    }
}
