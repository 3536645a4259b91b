use crate::{
    components::{
        forms::{EmailField, Field, FormAlert, PasswordField, PasswordKind, Refusal, SubmitButton},
        page_meta::AuthPage,
    },
    server_fns::accounts::{Register, SignIn},
};
use leptos::{form::ActionForm, prelude::*};
use leptos_router::hooks::use_query_map;

/// The `?next=` path, passed through the forms so people return where they came from.
fn next_param() -> Signal<Option<String>> {
    let query = use_query_map();
    Signal::derive(move || query.with(|q| q.get("next")).filter(|next| next.starts_with('/')))
}

fn with_next(path: &str, next: Option<String>) -> String {
    match next {
        Some(next) => format!("{path}?next={}", crate::domain::listing::encode_query_value(&next)),
        None => path.to_owned(),
    }
}

/// What brought someone to the sign-in page, from the flag the previous step's redirect set.
fn login_notice() -> Option<&'static str> {
    use_query_map().with_untracked(|q| {
        if q.get_str("deleted").is_some() {
            Some("Your account has been deleted. Your orders stay in our books without your personal details.")
        } else if q.get_str("confirmed") == Some("new_address") {
            Some("Your new e-mail address is confirmed. Sign in with it.")
        } else if q.get_str("confirmed").is_some() {
            Some("Your e-mail address is confirmed. Sign in to continue.")
        } else {
            None
        }
    })
}

/// `/login`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let next = next_param();
    let notice = login_notice();
    let action = ServerAction::<SignIn>::new();
    let refused = Refusal::of(action);
    view! {
        <AuthPage
            title="Sign in"
            description="Sign in to CloudScale Commerce to check out faster and follow your orders."
            path="/login"
            noindex=true
        >
            {notice.map(|message| view! { <p class="form-status notice" role="status">{message}</p> })}
            <ActionForm action>
                <FormAlert error=refused.alert(&["email", "password"]) />
                <input type="hidden" name="next" value=move || next.get() />
                <EmailField id="login-email".into() error=refused.field("email") />
                <PasswordField id="login-password".into() kind=PasswordKind::Current error=refused.field("password") />
                <SubmitButton label="Sign in" pending=action.pending() />
            </ActionForm>
            <p class="auth-page__switch"><a href="/forgot-password">"Forgot your password?"</a></p>
            <p class="auth-page__switch">
                "New here? " <a href=move || with_next("/register", next.get())>"Create an account"</a>
            </p>
        </AuthPage>
    }
}

/// `/register`.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let next = next_param();
    let action = ServerAction::<Register>::new();
    let refused = Refusal::of(action);
    view! {
        <AuthPage
            title="Create an account"
            description="Create a CloudScale Commerce account: save addresses, check out faster and follow your orders."
            path="/register"
        >
            <ActionForm action>
                <FormAlert error=refused.alert(&["name", "email", "password"]) />
                <input type="hidden" name="next" value=move || next.get() />
                <Field
                    id="register-name".into()
                    label="Name"
                    name="name"
                    autocomplete="name"
                    required=true
                    maxlength=100
                    error=refused.field("name")
                />
                <EmailField id="register-email".into() error=refused.field("email") />
                <PasswordField id="register-password".into() kind=PasswordKind::New error=refused.field("password") />
                <SubmitButton label="Create account" pending=action.pending() />
            </ActionForm>
            <p class="auth-page__switch">
                "Already have an account? " <a href=move || with_next("/login", next.get())>"Sign in"</a>
            </p>
        </AuthPage>
    }
}
