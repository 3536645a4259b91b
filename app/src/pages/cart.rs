//! `/cart` (the drawer's no-JavaScript twin) and `/checkout`.

use crate::{
    components::{
        cart::{CartContents, EmptyCart, TotalsList},
        error_notice::ErrorNotice,
        forms::{Field, FormAlert, Refusal, SubmitButton},
        loaded::Loaded,
        page_meta::PrivatePage,
    },
    domain::accounts::Address,
    domain::commerce::{CartView, PaymentMethod},
    domain::error::AppError,
    domain::model::Money,
    server_fns::{
        accounts::list_addresses,
        shop::{PlaceOrder, get_cart, new_checkout_key},
    },
};
use leptos::{form::ActionForm, prelude::*};
use leptos_router::components::Redirect;

#[component]
pub fn CartPage() -> impl IntoView {
    let cart = Resource::new(|| (), |_| get_cart());
    view! {
        <PrivatePage title="Shopping cart" class="cart-page">
            <Loaded resource=cart loading="Loading your cart…" let:cart>
                <CartContents cart />
            </Loaded>
        </PrivatePage>
    }
}

/// The form names of one address's fields, `shipping[city]` and the like: what `place_order`
/// reads as a nested `AddressForm`.
macro_rules! address_field_names {
    ($prefix:literal) => {
        AddressFieldNames {
            prefix: $prefix,
            kind: concat!($prefix, "[kind]"),
            full_name: concat!($prefix, "[full_name]"),
            line1: concat!($prefix, "[line1]"),
            line2: concat!($prefix, "[line2]"),
            city: concat!($prefix, "[city]"),
            region: concat!($prefix, "[region]"),
            postal_code: concat!($prefix, "[postal_code]"),
            country: concat!($prefix, "[country]"),
            phone: concat!($prefix, "[phone]"),
        }
    };
}

const SHIPPING_FIELDS: AddressFieldNames = address_field_names!("shipping");
const BILLING_FIELDS: AddressFieldNames = address_field_names!("billing");

#[derive(Clone, Copy)]
struct AddressFieldNames {
    prefix: &'static str,
    kind: &'static str,
    full_name: &'static str,
    line1: &'static str,
    line2: &'static str,
    city: &'static str,
    region: &'static str,
    postal_code: &'static str,
    country: &'static str,
    phone: &'static str,
}

/// `/checkout`: signed-in shoppers only (visitors sign in and come back with their cart).
#[component]
pub fn CheckoutPage() -> impl IntoView {
    let cart = Resource::new(|| (), |_| get_cart());
    let addresses = Resource::new(|| (), |_| list_addresses());
    // Made when the page renders: a repeated submit of this form is the same order.
    let key = Resource::new(|| (), |_| new_checkout_key());
    view! {
        <PrivatePage title="Checkout" class="checkout">
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading checkout…"</p> }>
                {move || Suspend::new(async move {
                    let (addresses, key, cart) = (addresses.await, key.await, cart.await);
                    match (addresses, key, cart) {
                        (Err(AppError::Unauthorized), _, _) | (_, Err(AppError::Unauthorized), _) => {
                            view! { <Redirect path="/login?next=%2Fcheckout" /> }.into_any()
                        }
                        (Ok(_), Ok(_), Ok(cart)) if cart.lines.is_empty() => view! { <EmptyCart /> }.into_any(),
                        (Ok(saved), Ok(key), Ok(cart)) => view! { <CheckoutForm saved key cart /> }.into_any(),
                        (Err(error), _, _) | (_, Err(error), _) | (_, _, Err(error)) => {
                            view! { <ErrorNotice error /> }.into_any()
                        }
                    }
                })}
            </Transition>
        </PrivatePage>
    }
}

#[component]
fn CheckoutForm(saved: Vec<Address>, key: String, cart: CartView) -> impl IntoView {
    let place = ServerAction::<PlaceOrder>::new();
    let refused = Refusal::of(place);
    // Field errors below name the shipping fields and the card; everything else is said at the top.
    let alert = refused.alert(&[
        "full_name",
        "line1",
        "line2",
        "city",
        "region",
        "postal_code",
        "country",
        "phone",
        "card_number",
    ]);
    let default_choice = saved.iter().find(|a| a.is_default).or(saved.first()).map(|a| a.id);
    let currency = cart.currency.clone();
    view! {
        <ActionForm action=place>
            <FormAlert error=alert />
            <input type="hidden" name="idempotency_key" value=key />
            <div class="checkout__columns">
                <div class="checkout__details">
                    <fieldset class="checkout__group shipping-choice">
                        <legend>"Shipping address"</legend>
                        {saved
                            .iter()
                            .map(|address| {
                                let id = format!("ship-to-{}", address.id);
                                view! {
                                    <div class="choice">
                                        <input type="radio" id=id.clone() name="shipping_choice" value=address.id
                                            checked=default_choice == Some(address.id) />
                                        <label for=id>{describe(address)}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                        <div class="choice">
                            <input type="radio" id="ship-to-new" name="shipping_choice" value="new"
                                checked=default_choice.is_none() />
                            <label for="ship-to-new">"A new address"</label>
                        </div>
                        <div class="new-address">
                            <AddressFields names=SHIPPING_FIELDS field=move |name| refused.field(name) />
                            <div class="field field--checkbox">
                                <input type="checkbox" id="save-address" name="save_address" checked=true />
                                <label for="save-address">"Save this address in my address book"</label>
                            </div>
                        </div>
                    </fieldset>
                    <fieldset class="checkout__group billing">
                        <legend>"Billing address"</legend>
                        <div class="field field--checkbox">
                            <input type="checkbox" id="billing-same" name="billing_same" checked=true />
                            <label for="billing-same">"Same as shipping"</label>
                        </div>
                        <div class="billing-fields">
                            <AddressFields names=BILLING_FIELDS field=move |_| Signal::stored(None) />
                        </div>
                    </fieldset>
                    <fieldset class="checkout__group payment">
                        <legend>"Payment"</legend>
                        <div class="choice">
                            <input type="radio" id="pay-card" name="payment_method"
                                value=PaymentMethod::TestCard.as_str() checked=true />
                            <label for="pay-card">{PaymentMethod::TestCard.label()}</label>
                        </div>
                        <div class="choice">
                            <input type="radio" id="pay-cash" name="payment_method"
                                value=PaymentMethod::CashOnDelivery.as_str() />
                            <label for="pay-cash">{PaymentMethod::CashOnDelivery.label()}</label>
                        </div>
                        <div class="card-field">
                            <Field id="card-number".into() label="Card number" name="card_number"
                                autocomplete="cc-number" maxlength=23
                                hint="A demo shop: 4242 4242 4242 4242 is approved, 4000 0000 0000 0002 declined."
                                error=refused.field("card_number") />
                        </div>
                    </fieldset>
                </div>
                <section class="checkout__summary" aria-labelledby="summary-heading">
                    <h2 id="summary-heading">"Order summary"</h2>
                    <ul class="summary-lines">
                        {cart
                            .lines
                            .iter()
                            .map(|line| view! {
                                <li>
                                    <span>{format!("{} × {}", line.quantity, line.name)}</span>
                                    <span>{Money::format(line.line_total_cents, &currency)}</span>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                    <TotalsList totals=cart.totals currency=cart.currency.clone() />
                    <p class="checkout__legal">
                        "By placing your order you accept our " <a href="/pages/terms">"terms of sale"</a>
                        ". See how we handle " <a href="/pages/privacy">"your data"</a> " and "
                        <a href="/pages/returns">"returns"</a> "."
                    </p>
                    <SubmitButton label="Place order" pending=place.pending() />
                </section>
            </div>
        </ActionForm>
    }
}

fn describe(address: &Address) -> String {
    let postal = &address.postal;
    let line2 = postal.line2.as_deref().map(|line| format!(", {line}")).unwrap_or_default();
    format!(
        "{}, {}{}, {} {} {}, {}",
        postal.full_name, postal.line1, line2, postal.postal_code, postal.city, postal.region, postal.country
    )
}

/// The fields of one address. Not marked `required`: choosing a saved address leaves them
/// empty, and the server says what is missing.
#[component]
fn AddressFields(
    names: AddressFieldNames,
    field: impl Fn(&'static str) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = move |name: &str| format!("{}-{name}", names.prefix);
    view! {
        <input type="hidden" name=names.kind value=names.prefix />
        <Field id=id("full-name") label="Full name" name=names.full_name autocomplete="name" maxlength=100
            error=field("full_name") />
        <Field id=id("line1") label="Address line 1" name=names.line1 autocomplete="address-line1" maxlength=200
            error=field("line1") />
        <Field id=id("line2") label="Address line 2" name=names.line2 autocomplete="address-line2" maxlength=200
            error=field("line2") />
        <Field id=id("city") label="City" name=names.city autocomplete="address-level2" maxlength=100
            error=field("city") />
        <Field id=id("region") label="Region" name=names.region autocomplete="address-level1" maxlength=100
            error=field("region") />
        <Field id=id("postal-code") label="Postal code" name=names.postal_code autocomplete="postal-code"
            maxlength=20 error=field("postal_code") />
        <Field id=id("country") label="Country" name=names.country autocomplete="country" maxlength=2
            hint="Two-letter code, such as US, GB or DE." error=field("country") />
        <Field id=id("phone") label="Phone" name=names.phone input_type="tel" autocomplete="tel" maxlength=32
            error=field("phone") />
    }
}
