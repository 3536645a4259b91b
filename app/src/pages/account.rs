//! `/account`: profile, sign-in address (with its confirmation), password, address book,
//! signed-in devices, and the privacy section (download my data, delete my account).

use crate::{
    components::{
        forms::{
            Choice, EmailField, Field, FormAlert, PasswordField, PasswordKind, Refusal, SelectField, SubmitButton,
        },
        loaded::Loaded,
        page_meta::PrivatePageMeta,
    },
    domain::accounts::{Address, AddressForm, AddressKind, Device, Profile},
    server_fns::accounts::{
        ChangeEmail, ChangePassword, DeleteAccount, DeleteAddress, MakeDefaultAddress, ResendVerification, SaveAddress,
        SignOutDevice, UpdateProfile, get_profile, list_addresses, list_devices,
    },
};
use leptos::{form::ActionForm, prelude::*};
use leptos_router::{hooks::use_query_map, params::ParamsMap};

/// What the form posted before this page load did, from the flag its redirect set.
fn account_notice(query: &ParamsMap) -> Option<&'static str> {
    let flag = |key: &str, value: &str| query.get_str(key) == Some(value);
    [
        (flag("profile", "saved"), "Your profile is saved."),
        (flag("password", "changed"), "Your password was changed, and every other browser was signed out."),
        (flag("password", "reset"), "Your new password is set, and every other browser was signed out."),
        (
            flag("email_change", "sent"),
            "We sent a confirmation link to your new address. Your sign-in address changes once you open it.",
        ),
        (flag("verification", "sent"), "We sent a new confirmation link to your address."),
        (flag("confirmed", "address"), "Thank you: your e-mail address is confirmed."),
        (flag("confirmed", "new_address"), "Your new e-mail address is confirmed. Sign in with it from now on."),
    ]
    .into_iter()
    .find_map(|(applies, message)| applies.then_some(message))
}

/// Signed-out visitors are sent to sign in and brought back.
#[component]
pub fn AccountPage() -> impl IntoView {
    let update_profile = ServerAction::<UpdateProfile>::new();
    let change_email = ServerAction::<ChangeEmail>::new();
    let change_password = ServerAction::<ChangePassword>::new();
    let save_address = ServerAction::<SaveAddress>::new();
    let delete_address = ServerAction::<DeleteAddress>::new();
    let make_default = ServerAction::<MakeDefaultAddress>::new();
    let sign_out_device = ServerAction::<SignOutDevice>::new();
    let resend = ServerAction::<ResendVerification>::new();
    let delete_account = ServerAction::<DeleteAccount>::new();
    let notice = use_query_map().with_untracked(account_notice);

    let profile = Resource::new(
        move || (update_profile.version().get(), change_email.version().get(), change_password.version().get()),
        |_| get_profile(),
    );
    let addresses = Resource::new(
        move || (save_address.version().get(), delete_address.version().get(), make_default.version().get()),
        |_| list_addresses(),
    );
    let devices =
        Resource::new(move || (sign_out_device.version().get(), change_password.version().get()), |_| list_devices());

    view! {
        <PrivatePageMeta title="Your account" />
        <Loaded resource=profile loading="Loading your account…" sign_in_then="/account" let:current>
            <div class="account">
                <h1>"Your account"</h1>
                {notice.map(|message| view! { <p class="form-status notice" role="status">{message}</p> })}
                <ProfileSection profile=current update_profile change_email resend />
                <PasswordSection change_password />
                <section class="account__section" aria-labelledby="addresses-heading">
                    <h2 id="addresses-heading">"Addresses"</h2>
                    <Loaded resource=addresses let:list>
                        <AddressBook list save_address delete_address make_default />
                    </Loaded>
                </section>
                <section class="account__section" aria-labelledby="devices-heading">
                    <h2 id="devices-heading">"Devices"</h2>
                    <Loaded resource=devices let:list>
                        <DeviceList list sign_out_device />
                    </Loaded>
                </section>
                <PrivacySection delete_account />
            </div>
        </Loaded>
    }
}

#[component]
fn ProfileSection(
    profile: Profile,
    update_profile: ServerAction<UpdateProfile>,
    change_email: ServerAction<ChangeEmail>,
    resend: ServerAction<ResendVerification>,
) -> impl IntoView {
    let profile_refused = Refusal::of(update_profile);
    let email_refused = Refusal::of(change_email);
    let resend_refused = Refusal::of(resend);
    let unverified = (!profile.email_verified).then(|| {
        let address = profile.email.clone();
        view! {
            <div class="notice notice--warning" role="note" data-testid="unverified-notice">
                <p>
                    "Your e-mail address is not confirmed yet. Open the link we sent to " <strong>{address}</strong>
                    " so that our messages reach you."
                </p>
                <ActionForm action=resend>
                    <FormAlert error=resend_refused.alert(&[]) />
                    <SubmitButton label="Send the link again" pending=resend.pending() class="button button--small button--quiet" />
                </ActionForm>
            </div>
        }
    });
    let pending = profile.pending_email.clone().map(|address| {
        view! {
            <p class="account__note" data-testid="pending-email">
                "Waiting for confirmation: " <strong>{address}</strong>
                ". Open the link we sent there; until then you sign in with your current address."
            </p>
        }
    });
    view! {
        <section class="account__section" aria-labelledby="profile-heading">
            <h2 id="profile-heading">"Profile"</h2>
            {unverified}
            <ActionForm action=update_profile>
                <FormAlert error=profile_refused.alert(&["name", "phone"]) />
                <Field
                    id="profile-name".into()
                    label="Name"
                    name="name"
                    autocomplete="name"
                    required=true
                    maxlength=100
                    value=profile.name.clone()
                    error=profile_refused.field("name")
                />
                <Field
                    id="profile-phone".into()
                    label="Phone"
                    name="phone"
                    input_type="tel"
                    autocomplete="tel"
                    maxlength=32
                    value=profile.phone.clone().unwrap_or_default()
                    error=profile_refused.field("phone")
                />
                <SubmitButton label="Save profile" pending=update_profile.pending() />
            </ActionForm>
            <h3>"Sign-in email"</h3>
            {pending}
            <ActionForm action=change_email>
                <FormAlert error=email_refused.alert(&["email", "current_password"]) />
                <EmailField
                    id="profile-email".into()
                    value=profile.email.clone()
                    error=email_refused.field("email")
                />
                <PasswordField id="profile-email-password".into() kind=PasswordKind::Current label="Current password"
                    name="current_password" error=email_refused.field("current_password") />
                <SubmitButton label="Change email" pending=change_email.pending() class="button button--quiet" />
            </ActionForm>
        </section>
    }
}

#[component]
fn PasswordSection(change_password: ServerAction<ChangePassword>) -> impl IntoView {
    let refused = Refusal::of(change_password);
    view! {
        <section class="account__section" aria-labelledby="password-heading">
            <h2 id="password-heading">"Password"</h2>
            <p class="account__note">"Changing your password signs you out on every other device."</p>
            <ActionForm action=change_password>
                <FormAlert error=refused.alert(&["current_password", "new_password"]) />
                <PasswordField id="password-current".into() kind=PasswordKind::Current label="Current password"
                    name="current_password" error=refused.field("current_password") />
                <PasswordField id="password-new".into() kind=PasswordKind::New label="New password" name="new_password"
                    error=refused.field("new_password") />
                <SubmitButton label="Change password" pending=change_password.pending() />
            </ActionForm>
        </section>
    }
}

const ADDRESS_FIELDS: [&str; 10] =
    ["kind", "full_name", "line1", "line2", "city", "region", "postal_code", "country", "phone", "is_default"];

#[component]
fn AddressBook(
    list: Vec<Address>,
    save_address: ServerAction<SaveAddress>,
    delete_address: ServerAction<DeleteAddress>,
    make_default: ServerAction<MakeDefaultAddress>,
) -> impl IntoView {
    // Which form was submitted last (None: the new-address form), so only it shows errors.
    let submitted_from = RwSignal::new(None::<i32>);
    let delete_refused = Refusal::of(delete_address).alert(&[]);
    let default_refused = Refusal::of(make_default).alert(&[]);
    let other_failure = Signal::derive(move || delete_refused.get().or_else(|| default_refused.get()));
    let empty = list.is_empty();
    view! {
        <FormAlert error=other_failure />
        {empty.then(|| view! { <p>"No saved addresses yet."</p> })}
        <ul class="address-list">
            {list
                .into_iter()
                .map(|address| {
                    view! {
                        <li class="address-card">
                            <AddressSummary address=address.clone() />
                            <div class="address-card__actions">
                                {(!address.is_default).then(|| view! {
                                    <ActionForm action=make_default>
                                        <input type="hidden" name="id" value=address.id />
                                        <button type="submit" class="button button--small button--quiet">
                                            "Make default"
                                        </button>
                                    </ActionForm>
                                })}
                                <ActionForm action=delete_address>
                                    <input type="hidden" name="id" value=address.id />
                                    <button type="submit" class="button button--small button--quiet">
                                        "Delete address"
                                    </button>
                                </ActionForm>
                            </div>
                            <details class="address-card__edit">
                                <summary>"Edit"</summary>
                                <AddressEditor
                                    id=Some(address.id)
                                    form=address.to_form()
                                    action=save_address
                                    submitted_from
                                    label="Save address"
                                />
                            </details>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <div role="group" aria-labelledby="new-address-heading">
            <h3 id="new-address-heading">"New address"</h3>
            <AddressEditor
                id=None
                form=AddressForm { kind: "shipping".into(), ..Default::default() }
                action=save_address
                submitted_from
                label="Add address"
            />
        </div>
    }
}

#[component]
fn AddressSummary(address: Address) -> impl IntoView {
    let kind = address.kind.label();
    view! {
        <p class="address-card__kind">
            {kind} " address" {address.is_default.then(|| view! { <span class="badge">"Default"</span> })}
        </p>
        <address>
            {address.postal.full_name}<br />
            {address.postal.line1}<br />
            {address.postal.line2.map(|line| view! { {line}<br /> })}
            {address.postal.city} ", " {address.postal.region} " " {address.postal.postal_code}<br />
            {address.postal.country}
            {address.postal.phone.map(|phone| view! { <br />{phone} })}
        </address>
    }
}

#[component]
fn AddressEditor(
    id: Option<i32>,
    form: AddressForm,
    action: ServerAction<SaveAddress>,
    submitted_from: RwSignal<Option<i32>>,
    label: &'static str,
) -> impl IntoView {
    let prefix = id.map_or_else(|| "address-new".to_owned(), |id| format!("address-{id}"));
    let refused = Refusal::of(action).while_shown(move || submitted_from.get() == id);
    let alert = refused.alert(&ADDRESS_FIELDS);
    let kind = form.kind.clone();
    let kind_id = format!("{prefix}-kind");
    let default_id = format!("{prefix}-default");
    // Once a new address is saved, its form starts empty again (with JavaScript; without it the
    // page is rendered afresh anyway).
    let form_ref = NodeRef::<leptos::html::Form>::new();
    if id.is_none() {
        Effect::watch(
            move || action.version().get(),
            move |_, _, _| {
                let saved = action.value().with_untracked(|r| matches!(r, Some(Ok(_))));
                if saved
                    && submitted_from.get_untracked().is_none()
                    && let Some(form) = form_ref.get_untracked()
                {
                    form.reset();
                }
            },
            false,
        );
    }
    view! {
        <ActionForm action node_ref=form_ref on:submit=move |_| submitted_from.set(id)>
            <FormAlert error=alert />
            {id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
            <SelectField id=kind_id label="Type" name="kind" error=refused.field("kind")
                choices=[AddressKind::Shipping, AddressKind::Billing]
                    .into_iter()
                    .map(|option| Choice::new(option.as_str(), option.label(), kind == option.as_str()))
                    .collect() />
            <Field id=format!("{prefix}-full-name") label="Full name" name="full_name" autocomplete="name"
                required=true maxlength=100 value=form.full_name error=refused.field("full_name") />
            <Field id=format!("{prefix}-line1") label="Address line 1" name="line1" autocomplete="address-line1"
                required=true maxlength=200 value=form.line1 error=refused.field("line1") />
            <Field id=format!("{prefix}-line2") label="Address line 2" name="line2" autocomplete="address-line2"
                maxlength=200 value=form.line2 error=refused.field("line2") />
            <Field id=format!("{prefix}-city") label="City" name="city" autocomplete="address-level2"
                required=true maxlength=100 value=form.city error=refused.field("city") />
            <Field id=format!("{prefix}-region") label="Region" name="region" autocomplete="address-level1"
                required=true maxlength=100 value=form.region error=refused.field("region") />
            <Field id=format!("{prefix}-postal-code") label="Postal code" name="postal_code"
                autocomplete="postal-code" required=true maxlength=20 value=form.postal_code error=refused.field("postal_code") />
            <Field id=format!("{prefix}-country") label="Country" name="country" autocomplete="country"
                required=true maxlength=2 hint="Two-letter code, such as US, GB or DE." value=form.country
                error=refused.field("country") />
            <Field id=format!("{prefix}-phone") label="Phone" name="phone" input_type="tel" autocomplete="tel"
                maxlength=32 value=form.phone error=refused.field("phone") />
            <div class="field field--checkbox">
                <input type="checkbox" id=default_id.clone() name="is_default" checked=form.is_default.is_some() />
                <label for=default_id>"Use as my default address of this type"</label>
            </div>
            <SubmitButton label pending=action.pending() />
        </ActionForm>
    }
}

#[component]
fn PrivacySection(delete_account: ServerAction<DeleteAccount>) -> impl IntoView {
    let refused = Refusal::of(delete_account);
    let confirm_error = refused.field("confirm");
    view! {
        <section class="account__section" aria-labelledby="privacy-heading">
            <h2 id="privacy-heading">"Your data"</h2>
            <p>
                "Download everything we hold about you: your profile, addresses, orders, signed-in browsers and "
                "the messages we sent you, as one JSON file."
            </p>
            <p>
                <a class="button button--quiet" href="/account/export" download="cloudscale-account.json" data-no-prefetch>
                    "Download my data"
                </a>
            </p>
            <h3 id="delete-heading">"Delete your account"</h3>
            <p class="account__note">
                "Your profile, addresses, cart and sign-ins are erased and you are signed out everywhere. Orders stay in "
                "our books, as the law requires, without your name, address or phone number. This cannot be undone."
            </p>
            <ActionForm action=delete_account attr:aria-labelledby="delete-heading">
                <FormAlert error=refused.alert(&["current_password", "confirm"]) />
                <PasswordField id="delete-password".into() kind=PasswordKind::Current label="Current password"
                    name="current_password" error=refused.field("current_password") />
                <div class="field field--checkbox" class:field--invalid=move || confirm_error.with(Option::is_some)>
                    <input
                        type="checkbox"
                        id="delete-confirm"
                        name="confirm"
                        value="yes"
                        aria-invalid=move || confirm_error.with(Option::is_some).then_some("true")
                        aria-describedby=move || confirm_error.with(Option::is_some).then_some("delete-confirm-error")
                    />
                    <label for="delete-confirm">"I understand that deleting my account cannot be undone"</label>
                    <p class="field__error" id="delete-confirm-error" hidden=move || confirm_error.with(Option::is_none)>
                        {move || confirm_error.get()}
                    </p>
                </div>
                <SubmitButton label="Delete my account" pending=delete_account.pending() class="button button--danger" />
            </ActionForm>
        </section>
    }
}

/// A short, readable name for a browser from its user agent.
fn describe_user_agent(user_agent: &str) -> String {
    let browser = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
        .into_iter()
        .find(|(marker, _)| user_agent.contains(marker))
        .map_or("Browser", |(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| name);
    match system {
        Some(system) => format!("{browser} on {system}"),
        None if user_agent.is_empty() => "Unknown browser".to_owned(),
        None => browser.to_owned(),
    }
}

#[component]
fn DeviceList(list: Vec<Device>, sign_out_device: ServerAction<SignOutDevice>) -> impl IntoView {
    let failure = Refusal::of(sign_out_device).alert(&[]);
    view! {
        <FormAlert error=failure />
        <ul class="device-list">
            {list
                .into_iter()
                .map(|device| {
                    let name = describe_user_agent(&device.user_agent);
                    let last_seen = device.last_seen.get(..16).unwrap_or_default().replace('T', " ");
                    view! {
                        <li class="device" title=device.user_agent.clone()>
                            <p class="device__name">
                                {name} {device.is_current.then(|| view! { <span class="badge">"This device"</span> })}
                            </p>
                            <p class="device__meta">
                                "Last seen " <time datetime=device.last_seen.clone()>{last_seen} " UTC"</time>
                                " from " {device.client_ip.clone()}
                            </p>
                            {(!device.is_current).then(|| view! {
                                <ActionForm action=sign_out_device>
                                    <input type="hidden" name="id" value=device.id />
                                    <button type="submit" class="button button--small button--quiet">"Sign out"</button>
                                </ActionForm>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::describe_user_agent;

    #[test]
    fn user_agents_get_short_readable_names() {
        let chrome =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";
        assert_eq!(describe_user_agent(chrome), "Chrome on Linux");
        let safari =
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Safari/604.1";
        assert_eq!(describe_user_agent(safari), "Safari on iPhone");
        assert_eq!(describe_user_agent(""), "Unknown browser");
    }

    #[test]
    fn a_redirect_flag_picks_its_one_notice() {
        let query = |pairs: &[(&'static str, &str)]| {
            let mut map = leptos_router::params::ParamsMap::new();
            for (k, v) in pairs {
                map.insert(*k, (*v).to_owned());
            }
            map
        };
        assert!(super::account_notice(&query(&[("password", "reset")])).unwrap().contains("new password"));
        assert!(super::account_notice(&query(&[("confirmed", "new_address")])).unwrap().contains("new e-mail"));
        assert_eq!(super::account_notice(&query(&[("password", "other")])), None);
    }
}
