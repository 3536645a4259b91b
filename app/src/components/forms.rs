//! Form building blocks shared by the account pages: labelled fields with their own error
//! message, a form-level alert, and a submit button with a pending state.
//!
//! Errors come from a server action's last result. With JavaScript off, Leptos re-renders the
//! page after a failed POST with the error in the URL, so the same markup shows it.

use crate::domain::error::AppError;
#[cfg(feature = "ssr")]
use leptos::server_fn::error::ServerFnUrlError;
use leptos::{prelude::*, server_fn::ServerFn};

/// The message for `field` in the last result, if that result failed on it.
fn error_for<T>(result: &Option<Result<T, AppError>>, field: &str) -> Option<String> {
    match result {
        Some(Err(error)) => error.message_for(field),
        _ => None,
    }
}

/// The message of a failure that belongs to no single field (wrong credentials, 429, 500...).
fn form_error<T>(result: &Option<Result<T, AppError>>, fields: &[&str]) -> Option<String> {
    match result {
        Some(Err(error)) if error.belongs_to(fields) => None,
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    }
}

/// What a form's last submission was refused for, split the way the form shows it: a message
/// under the field the refusal names, or one alert for a refusal that names none of the form's
/// fields (wrong credentials, too many attempts, a server failure).
pub struct Refusal<T: Send + Sync + 'static> {
    result: MappedSignal<Option<Result<T, AppError>>>,
    shown: Signal<bool>,
}

impl<T: Send + Sync + 'static> Clone for Refusal<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Refusal<T> {}

impl<T: Send + Sync + 'static> Refusal<T> {
    /// The refusals of `action`'s last submission.
    pub fn of<S>(action: ServerAction<S>) -> Self
    where
        S: ServerFn<Output = T, Error = AppError> + Clone + Send + Sync + 'static,
    {
        Self { result: action.value(), shown: Signal::stored(true) }
    }

    /// Only while `shown` holds: for one of several forms that post to the same action.
    pub fn while_shown(self, shown: impl Fn() -> bool + Send + Sync + 'static) -> Self {
        Self { shown: Signal::derive(shown), ..self }
    }

    /// The message for `field`, while the last submission was refused for it.
    pub fn field(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(
            move || if self.shown.get() { self.result.with(|result| error_for(result, field)) } else { None },
        )
    }

    /// The message for the form's alert: a refusal that names none of `fields`.
    pub fn alert(self, fields: &'static [&'static str]) -> Signal<Option<String>> {
        Signal::derive(
            move || if self.shown.get() { self.result.with(|result| form_error(result, fields)) } else { None },
        )
    }
}

/// The refusal a plain (no-JavaScript) post to `S` came back with: Leptos redirects back with it
/// in the URL (`__path`, `__err`). Read from the URL rather than the router's context, so it also
/// works outside the routes, which render before the router provides that context.
/// In the browser (a card "Load more" appends) there is never one, and the decoder stays out of
/// the islands' bundle.
pub fn posted_error<S: ServerFn<Error = AppError>>() -> Option<AppError> {
    #[cfg(feature = "ssr")]
    {
        leptos_router::hooks::use_query_map().with_untracked(|query| {
            let (path, err) = (query.get_str("__path")?, query.get_str("__err")?);
            (path == S::PATH).then(|| ServerFnUrlError::<AppError>::decode_err(err))
        })
    }
    #[cfg(not(feature = "ssr"))]
    None
}

/// What every field's control says about itself: invalid while there is an error, and
/// described by its hint and its error. [`FieldFrame`] makes it, so no field can lose them.
#[derive(Clone, Copy)]
struct ControlAria {
    invalid: Signal<Option<&'static str>>,
    described_by: Signal<Option<String>>,
}

/// The label, hint and error around one form control, which `children` draws with the
/// [`ControlAria`] it is given.
#[component]
fn FieldFrame<V, F>(
    id: String,
    label: &'static str,
    hint: Option<&'static str>,
    error: Signal<Option<String>>,
    children: F,
) -> impl IntoView
where
    V: IntoView + 'static,
    F: FnOnce(ControlAria) -> V,
{
    let hint_id = hint.map(|_| format!("{id}-hint"));
    let error_id = format!("{id}-error");
    let has_error = move || error.with(Option::is_some);
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        Signal::derive(move || {
            let ids: Vec<&str> =
                hint_id.iter().map(String::as_str).chain(has_error().then_some(error_id.as_str())).collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        })
    };
    let aria = ControlAria { invalid: Signal::derive(move || has_error().then_some("true")), described_by };
    view! {
        <div class="field" class:field--invalid=has_error>
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id>{hint}</p> })}
            {children(aria)}
            <p class="field__error" id=error_id hidden=move || !has_error()>
                {move || error.get()}
            </p>
        </div>
    }
}

/// A labelled input. `id` must be unique on the page; `name` is the server function argument.
#[component]
pub fn Field(
    id: String,
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] value: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <FieldFrame id=id.clone() label hint error let:aria>
            <input
                id=id.clone()
                name=name
                type=input_type
                autocomplete=autocomplete
                value=value
                required=required
                maxlength=maxlength
                aria-invalid=aria.invalid
                aria-describedby=aria.described_by
            />
        </FieldFrame>
    }
}

/// One choice of a [`SelectField`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Self {
        Self { value: value.into(), label: label.into(), selected }
    }
}

/// A labelled drop-down, with the same label, hint and error handling as [`Field`].
#[component]
pub fn SelectField(
    id: String,
    label: &'static str,
    name: &'static str,
    choices: Vec<Choice>,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into, optional)] error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <FieldFrame id=id.clone() label hint error let:aria>
            <select id=id.clone() name=name required=required aria-invalid=aria.invalid aria-describedby=aria.described_by>
                {choices
                    .into_iter()
                    .map(|choice| view! { <option value=choice.value selected=choice.selected>{choice.label}</option> })
                    .collect_view()}
            </select>
        </FieldFrame>
    }
}

/// A labelled multi-line input, with the same label, hint and error handling as [`Field`].
#[component]
pub fn TextAreaField(
    id: String,
    label: &'static str,
    name: &'static str,
    #[prop(optional)] value: String,
    #[prop(default = 5)] rows: u32,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <FieldFrame id=id.clone() label hint error let:aria>
            <textarea id=id.clone() name=name rows=rows maxlength=maxlength aria-invalid=aria.invalid
                aria-describedby=aria.described_by>{value}</textarea>
        </FieldFrame>
    }
}

/// The advice under every field that sets a password (the rules themselves live on the server).
pub const NEW_PASSWORD_HINT: &str = "At least 15 characters. A few unrelated words make a strong, memorable password.";

/// Which password a field asks for: it decides the browser's autofill, the length limit and
/// whether the rules are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordKind {
    /// The one the person has now (sign-in, confirmations).
    Current,
    /// One being chosen (registration, change, reset).
    New,
}

/// A password input, the same on every page that asks for one.
#[component]
pub fn PasswordField(
    id: String,
    kind: PasswordKind,
    #[prop(default = "Password")] label: &'static str,
    #[prop(default = "password")] name: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    match kind {
        PasswordKind::Current => view! {
            <Field id label name input_type="password" autocomplete="current-password" required=true
                maxlength=1024 error />
        }
        .into_any(),
        PasswordKind::New => view! {
            <Field id label name input_type="password" autocomplete="new-password" required=true
                maxlength=128 hint=NEW_PASSWORD_HINT error />
        }
        .into_any(),
    }
}

/// An e-mail address input, the same on every page that asks for one.
#[component]
pub fn EmailField(
    id: String,
    #[prop(optional)] value: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <Field id label="Email" name="email" input_type="email" autocomplete="email" required=true maxlength=254
            value=value.unwrap_or_default() error />
    }
}

/// A failure that belongs to the whole form, announced to screen readers.
#[component]
pub fn FormAlert(#[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="form-alert" role="alert" hidden=move || error.with(Option::is_none)>
            {move || error.get()}
        </p>
    }
}

/// A short confirmation after a successful submit.
#[component]
pub fn FormStatus(#[prop(into)] message: Signal<Option<&'static str>>) -> impl IntoView {
    view! {
        <p class="form-status" role="status">
            {move || message.get()}
        </p>
    }
}

/// A submit button that is disabled and marked busy while its action runs.
#[component]
pub fn SubmitButton(
    label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    #[prop(default = "button")] class: &'static str,
) -> impl IntoView {
    view! {
        <button type="submit" class=class disabled=move || pending.get() aria-busy=move || pending.get().to_string()>
            {label}
        </button>
    }
}
