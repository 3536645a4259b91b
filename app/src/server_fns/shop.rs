//! Cart and order server functions: each resolves who is asking, then calls `services::cart` or
//! `services::orders`. Prices, totals and stock never come from the request.

// `place_order` takes the checkout form's fields one by one (that is how a no-JS form posts);
// the lint cannot be silenced on the client code `#[server]` generates, only module-wide.
#![allow(clippy::too_many_arguments)]

use crate::{
    domain::accounts::AddressForm,
    domain::commerce::{CartView, OrderDetail, OrderSummary},
    domain::error::AppError,
};
use leptos::prelude::*;

/// The session key that names a guest's cart.
#[cfg(feature = "ssr")]
pub const GUEST_CART_KEY: &str = "guest_cart";

/// Whose cart this request works on: the signed-in user's, else the guest cart named in the
/// session (created on the first add when `create`).
#[cfg(feature = "ssr")]
async fn cart_owner(create: bool) -> Result<Option<crate::server::services::cart::CartOwner>, AppError> {
    use crate::server::{auth::auth_session, services::cart::CartOwner};
    let auth = auth_session()?;
    if let Some(user) = &auth.user {
        return Ok(Some(CartOwner::User(user.id)));
    }
    let key: Option<String> =
        auth.session.get(GUEST_CART_KEY).await.map_err(|err| AppError::internal("reading the guest cart", err))?;
    match key {
        Some(key) => Ok(Some(CartOwner::Guest(key))),
        None if create => {
            let key = uuid::Uuid::new_v4().simple().to_string();
            auth.session
                .insert(GUEST_CART_KEY, &key)
                .await
                .map_err(|err| AppError::internal("starting a guest cart", err))?;
            Ok(Some(CartOwner::Guest(key)))
        }
        None => Ok(None),
    }
}

#[cfg(feature = "ssr")]
async fn current_cart() -> Result<CartView, AppError> {
    use crate::server::{
        services::cart,
        state::{db, pricing},
    };
    match cart_owner(false).await? {
        Some(owner) => cart::view(&db()?, &owner, &pricing()?).await,
        None => Ok(CartView::empty()),
    }
}

#[server(endpoint = "cart")]
pub async fn get_cart() -> Result<CartView, AppError> {
    current_cart().await
}

/// The header's count of units in the cart: one small query, not the whole cart.
#[server(endpoint = "cart_count")]
pub async fn cart_count() -> Result<i32, AppError> {
    use crate::server::{services::cart, state::db};
    if let Some(units) = cart_count_known()? {
        return Ok(units);
    }
    match cart_owner(false).await? {
        Some(owner) => cart::item_count(&db()?, &owner).await,
        None => Ok(0),
    }
}

/// The header's count when the request already has it: a signed-in request read its cart's
/// units with its session, and a visitor without a session has no cart. `None` when the count
/// takes a read (a guest's cart is named in the session).
#[cfg(feature = "ssr")]
pub fn cart_count_known() -> Result<Option<i32>, AppError> {
    use crate::server::auth::auth_session;
    let auth = auth_session()?;
    Ok(match &auth.user {
        Some(user) => user.cart_units(),
        None if auth.session.id().is_none() => Some(0),
        None => None,
    })
}

/// Adds `quantity` (default 1) of a product; answers with the updated cart.
#[server(endpoint = "add_to_cart")]
pub async fn add_to_cart(product_id: i32, quantity: Option<i32>) -> Result<CartView, AppError> {
    use crate::server::{services::cart, state::db};
    let owner = cart_owner(true).await?.ok_or(AppError::Internal)?;
    cart::add(&db()?, &owner, product_id, quantity.unwrap_or(1)).await?;
    current_cart().await
}

#[server(endpoint = "update_cart")]
pub async fn update_cart_line(product_id: i32, quantity: i32) -> Result<CartView, AppError> {
    use crate::server::{services::cart, state::db};
    let owner = cart_owner(false).await?.ok_or_else(|| AppError::not_found("That cart line"))?;
    cart::set_quantity(&db()?, &owner, product_id, quantity).await?;
    current_cart().await
}

#[server(endpoint = "remove_from_cart")]
pub async fn remove_from_cart(product_id: i32) -> Result<CartView, AppError> {
    use crate::server::{services::cart, state::db};
    let owner = cart_owner(false).await?.ok_or_else(|| AppError::not_found("That cart line"))?;
    cart::remove(&db()?, &owner, product_id).await?;
    current_cart().await
}

/// Signing in: the guest cart in this session joins the account cart (see `merged_quantity`).
#[cfg(feature = "ssr")]
pub async fn adopt_guest_cart(session: &axum_login::tower_sessions::Session, user_id: i32) -> Result<(), AppError> {
    use crate::server::{services::cart, state::db};
    let key: Option<String> =
        session.remove(GUEST_CART_KEY).await.map_err(|err| AppError::internal("reading the guest cart", err))?;
    if let Some(key) = key {
        cart::merge_guest_cart(&db()?, &key, user_id).await?;
    }
    Ok(())
}

/// A fresh idempotency key for a checkout form, made when the page renders.
#[server(endpoint = "checkout_key")]
pub async fn new_checkout_key() -> Result<String, AppError> {
    crate::server::auth::require_user()?;
    Ok(uuid::Uuid::new_v4().to_string())
}

/// Places the signed-in customer's cart as an order and goes to its confirmation page.
/// The shipping address is a saved one (`shipping_choice` = its id) or the `shipping` fields
/// (`shipping_choice` absent or `new`); billing is the shipping address unless `billing_same`
/// is absent and `billing` is given. `payment_method` is `test_card` (with `card_number`) or
/// `cash`.
#[server(endpoint = "place_order")]
pub async fn place_order(
    idempotency_key: String,
    shipping_choice: Option<String>,
    shipping: Option<AddressForm>,
    billing_same: Option<String>,
    billing: Option<AddressForm>,
    payment_method: String,
    card_number: Option<String>,
    save_address: Option<String>,
) -> Result<String, AppError> {
    use crate::{
        domain::accounts::AddressKind,
        domain::commerce::PaymentMethod,
        server::{
            auth::require_user,
            services::{
                addresses,
                orders::{self, CheckoutRequest, Customer, Payment},
            },
            state::{db, pricing, wake_outbox},
        },
    };
    let user = require_user()?;
    let db = db()?;
    let saved = match shipping_choice.as_deref().map(str::trim) {
        None | Some("" | "new") => None,
        Some(id) => Some(id.parse::<i32>().map_err(|_| AppError::validation("shipping_choice", "Choose an address."))?),
    };
    let (mut shipping, from_book) = match (saved, shipping) {
        (Some(id), _) => (addresses::get(&db, user.id, id).await?.to_form().validate()?, true),
        (None, Some(form)) => (AddressForm { kind: "shipping".into(), ..form }.validate()?, false),
        (None, None) => return Err(AppError::validation("shipping", "Enter a shipping address.")),
    };
    shipping.kind = AddressKind::Shipping;
    let billing = match (billing_same.is_some(), billing) {
        (false, Some(form)) => Some(
            AddressForm { kind: "billing".into(), ..form }
                .validate()
                .map_err(|err| AppError::validation("billing", format!("Billing address: {err}")))?,
        ),
        (false, None) => {
            return Err(AppError::validation("billing", "Enter a billing address or tick \"same as shipping\"."));
        }
        (true, _) => None,
    };
    let payment = match PaymentMethod::parse(&payment_method) {
        Some(PaymentMethod::TestCard) => Payment::TestCard { number: card_number.unwrap_or_default() },
        Some(PaymentMethod::CashOnDelivery) => Payment::CashOnDelivery,
        None => return Err(AppError::validation("payment_method", "Choose a payment method.")),
    };
    let customer = Customer { id: user.id, email: user.email.clone() };
    let request = CheckoutRequest { idempotency_key, shipping: shipping.clone(), billing, payment };
    let number = orders::place_order(&db, &customer, request, &pricing()?).await?;
    if save_address.is_some() && !from_book {
        // The order stands even if the address book is full; say so in the log only.
        if let Err(err) = addresses::create(&db, user.id, shipping).await {
            tracing::info!(user_id = user.id, error = %err, "checkout address not saved");
        }
    }
    wake_outbox();
    tracing::info!(user_id = user.id, order = %number, "order placed");
    leptos_axum::redirect(&format!("/orders/{number}?placed=1"));
    Ok(number)
}

#[server(endpoint = "orders")]
pub async fn list_orders() -> Result<Vec<OrderSummary>, AppError> {
    use crate::server::{auth::require_user, services::orders, state::db};
    let user = require_user()?;
    orders::list(&db()?, user.id).await
}

#[server(endpoint = "order")]
pub async fn get_order(number: String) -> Result<OrderDetail, AppError> {
    use crate::server::{auth::require_user, services::orders, state::db};
    let user = require_user()?;
    orders::detail(&db()?, orders::Viewer { user_id: user.id, is_admin: user.is_admin() }, &number).await
}

#[server(endpoint = "cancel_order")]
pub async fn cancel_order(number: String) -> Result<OrderDetail, AppError> {
    use crate::server::{auth::require_user, services::orders, state::db};
    let user = require_user()?;
    let viewer = orders::Viewer { user_id: user.id, is_admin: user.is_admin() };
    orders::cancel(&db()?, viewer, &number).await?;
    tracing::info!(user_id = user.id, order = %number, "order cancelled");
    orders::detail(&db()?, viewer, &number).await
}
