//! The cart in the page: the shared cart state, "Add to cart" buttons, the header's "Cart (N)"
//! link, the slide-out drawer and the line controls the drawer and `/cart` share.
//!
//! Every control is a form posting to a server function, so it works without JavaScript (the
//! server answers with a redirect back); once hydrated the same forms run as actions and the
//! cart is asked for again after each one.

use crate::{
    api::shop::{AddToCart, RemoveFromCart, UpdateCartLine, get_cart},
    app::AuthEpoch,
    commerce::{CartLine, CartView, MAX_LINE_QUANTITY, Totals},
    components::forms::{capitalize, form_error},
    error::AppError,
    model::Money,
};
use leptos::{form::ActionForm, prelude::*};
use leptos_router::hooks::use_location;

/// The cart as every component of the page sees it.
#[derive(Clone, Copy)]
pub struct CartState {
    /// Bumped after every cart change, so the cart is fetched again.
    revision: RwSignal<u32>,
    /// Whether the drawer is open (browser only).
    pub open: RwSignal<bool>,
    pub cart: Resource<Result<CartView, AppError>>,
}

impl CartState {
    /// Created once, in `App`, before anything renders.
    pub fn provide() {
        let auth = AuthEpoch::current();
        let revision = RwSignal::new(0);
        let cart = Resource::new(move || (auth.get(), revision.get()), |_| get_cart());
        provide_context(Self { revision, open: RwSignal::new(false), cart });
    }

    pub fn get() -> Self {
        expect_context::<Self>()
    }

    /// Fetches the cart again.
    pub fn refresh(self) {
        self.revision.update(|n| *n += 1);
    }

    /// Fetches the cart again every time this action completes (browser only).
    pub fn refresh_after(self, version: RwSignal<usize>) {
        Effect::watch(move || version.get(), move |_, _, _| self.revision.update(|n| *n += 1), false);
    }
}

/// Subtotal, shipping ("Free" at zero), tax and total: the cart's, the checkout's and an order's.
#[component]
pub fn TotalsList(totals: Totals, currency: String) -> impl IntoView {
    let money = move |cents: i64| Money::format(cents, &currency);
    view! {
        <dl class="cart__totals">
            <dt>"Subtotal"</dt>
            <dd>{money(totals.subtotal_cents)}</dd>
            <dt>"Shipping"</dt>
            <dd>{if totals.shipping_cents == 0 { "Free".to_owned() } else { money(totals.shipping_cents) }}</dd>
            <dt>"Tax"</dt>
            <dd>{money(totals.tax_cents)}</dd>
            <dt class="cart__total">"Total"</dt>
            <dd class="cart__total">{money(totals.total_cents)}</dd>
        </dl>
    }
}

/// What an empty cart says, in the drawer, on /cart and at checkout.
#[component]
pub fn EmptyCart() -> impl IntoView {
    view! {
        <div class="cart-empty">
            <p>"Your cart is empty."</p>
            <a class="button" href="/products">"Browse all products"</a>
        </div>
    }
}

/// "Add to cart" on product cards and pages; opens the drawer once the line is in.
#[component]
pub fn AddToCartButton(product_id: i32, in_stock: bool, #[prop(optional)] product_name: String) -> impl IntoView {
    let state = CartState::get();
    let action = ServerAction::<AddToCart>::new();
    state.refresh_after(action.version());
    Effect::watch(
        move || action.version().get(),
        move |_, _, _| {
            if action.value().with_untracked(|result| matches!(result, Some(Ok(_)))) {
                state.open.set(true);
            }
        },
        false,
    );
    let error = move || action.value().with(|r| form_error(r, &[]));
    // Cards repeat the button, so each one says which product it adds to screen readers
    // through its description, while its name stays "Add to cart".
    let described = (!product_name.is_empty()).then(|| format!("add-{product_id}-name"));
    view! {
        <ActionForm action>
            <input type="hidden" name="product_id" value=product_id />
            {described.clone().map(|id| view! { <span id=id class="visually-hidden">{product_name.clone()}</span> })}
            <button
                type="submit"
                class="button add-to-cart"
                aria-describedby=described
                disabled=move || !in_stock || action.pending().get()
            >
                "Add to cart"
            </button>
            <p class="form-alert" role="alert" hidden=move || error().is_none()>
                {error}
            </p>
        </ActionForm>
    }
}

/// The header's cart link: `/cart` without JavaScript, the drawer with it.
#[component]
pub fn CartLink() -> impl IntoView {
    let state = CartState::get();
    let open_drawer = move |ev: leptos::ev::MouseEvent| {
        // Let modified clicks (new tab, new window) keep their meaning.
        if !(ev.ctrl_key() || ev.meta_key() || ev.shift_key()) {
            ev.prevent_default();
            state.open.set(true);
        }
    };
    view! {
        <a href="/cart" class="cart-link" on:click=open_drawer>
            <Transition fallback=|| "Cart">
                {move || Suspend::new(async move {
                    let count = state.cart.await.map(|cart| cart.item_count()).unwrap_or(0);
                    format!("Cart ({count})")
                })}
            </Transition>
        </a>
    }
}

/// The slide-out cart: a modal `<dialog>`, which keeps focus inside and closes on Escape.
/// Its contents render only while open, so server and browser agree on the empty element.
#[component]
pub fn CartDrawer() -> impl IntoView {
    let state = CartState::get();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        let open = state.open.get();
        if let Some(dialog) = dialog.get() {
            if open && !dialog.open() {
                let _ = dialog.show_modal();
            } else if !open && dialog.open() {
                dialog.close();
            }
        }
    });
    // A navigation (the Checkout link, a product name) closes it.
    let location = use_location();
    Effect::watch(move || location.pathname.get(), move |_, _, _| state.open.set(false), false);
    let close = move || state.open.set(false);
    view! {
        <dialog node_ref=dialog class="cart-drawer" aria-labelledby="cart-drawer-title" on:close=move |_| close()>
            <Show when=move || state.open.get()>
                <div class="cart-drawer__header">
                    <h2 id="cart-drawer-title">"Shopping cart"</h2>
                    <button type="button" class="button button--quiet" on:click=move |_| close()>"Close"</button>
                </div>
                <Transition fallback=|| view! { <p role="status">"Loading your cart…"</p> }>
                    {move || Suspend::new(async move {
                        match state.cart.await {
                            Ok(cart) => view! { <CartContents cart /> }.into_any(),
                            Err(error) => view! { <p class="form-alert" role="alert">{capitalize(&error.to_string())}</p> }.into_any(),
                        }
                    })}
                </Transition>
            </Show>
        </dialog>
    }
}

/// Lines, totals and the way to checkout: the drawer's body and the `/cart` page's.
#[component]
pub fn CartContents(cart: CartView) -> impl IntoView {
    if cart.lines.is_empty() {
        return view! { <EmptyCart /> }.into_any();
    }
    let state = CartState::get();
    let update = ServerAction::<UpdateCartLine>::new();
    let remove = ServerAction::<RemoveFromCart>::new();
    state.refresh_after(update.version());
    state.refresh_after(remove.version());
    let error =
        move || update.value().with(|r| form_error(r, &[])).or_else(|| remove.value().with(|r| form_error(r, &[])));
    let currency = cart.currency.clone();
    let short = cart.has_short_lines();
    view! {
        <div class="cart">
            <p class="form-alert" role="alert" hidden=move || error().is_none()>{error}</p>
            <ul class="cart__lines">
                {cart
                    .lines
                    .into_iter()
                    .map(|line| view! { <CartLineItem line currency=currency.clone() update remove /> })
                    .collect_view()}
            </ul>
            {short.then(|| view! {
                <p class="form-alert" role="alert">
                    "Some items have less stock than your cart holds. Lower their quantity to check out."
                </p>
            })}
            <TotalsList totals=cart.totals currency=cart.currency.clone() />
            <a class="button cart__checkout" href="/checkout">"Checkout"</a>
        </div>
    }
    .into_any()
}

#[component]
fn CartLineItem(
    line: CartLine,
    currency: String,
    update: ServerAction<UpdateCartLine>,
    remove: ServerAction<RemoveFromCart>,
) -> impl IntoView {
    let most = line.stock.clamp(1, MAX_LINE_QUANTITY);
    let busy = move || update.pending().get() || remove.pending().get();
    let quantity = line.quantity;
    let short = line.is_short();
    // A line above the stock steps straight down to what is left.
    let lower = (quantity - 1).min(line.stock).max(1);
    view! {
        <li class="cart-line" class:cart-line--short=short>
            <img class="cart-line__image" src=line.image_path alt="" width="64" height="64" loading="lazy" />
            <div class="cart-line__about">
                <a class="cart-line__name" href=format!("/products/{}", line.slug)>{line.name.clone()}</a>
                <p class="cart-line__price">{Money::format(line.unit_price_cents, &currency)} " each"</p>
                {short.then(|| view! {
                    <p class="cart-line__warning">
                        {if line.stock > 0 { format!("Only {} left", line.stock) } else { "Out of stock".to_owned() }}
                    </p>
                })}
            </div>
            <div class="cart-line__quantity" role="group" aria-label=format!("Quantity of {}", line.name)>
                <ActionForm action=update>
                    <input type="hidden" name="product_id" value=line.product_id />
                    <input type="hidden" name="quantity" value=lower />
                    <button type="submit" class="quantity-button" aria-label="Decrease quantity"
                        disabled={move || quantity <= 1 || busy()}>"−"</button>
                </ActionForm>
                <span class="cart-line__count" aria-label=format!("{quantity} in cart")>{quantity}</span>
                <ActionForm action=update>
                    <input type="hidden" name="product_id" value=line.product_id />
                    <input type="hidden" name="quantity" value=quantity + 1 />
                    <button type="submit" class="quantity-button" aria-label="Increase quantity"
                        disabled={move || quantity >= most || busy()}>"+"</button>
                </ActionForm>
            </div>
            <p class="cart-line__total">{Money::format(line.line_total_cents, &currency)}</p>
            <ActionForm action=remove>
                <input type="hidden" name="product_id" value=line.product_id />
                <button type="submit" class="link-button" disabled=busy>"Remove"</button>
            </ActionForm>
        </li>
    }
}
