//! The cart in the page: "Add to cart" forms, the header's cart control (the "Cart (N)" link and
//! the slide-out drawer), and the line controls the drawer and `/cart` share.
//!
//! Every control is a plain form posting to a server function, so it works without JavaScript
//! (the server answers with a redirect back). The header's [`CartDrawer`] is the one island:
//! once hydrated it takes over the page's "Add to cart" forms (marked `data-cart-form="add"`),
//! keeps the count and opens the drawer, so a page of cards carries no per-card machinery.

use crate::{
    components::forms::posted_error,
    domain::commerce::{CartLine, CartView, MAX_LINE_QUANTITY, Totals},
    domain::error::AppError,
    domain::model::Money,
    server_fns::shop::{AddToCart, RemoveFromCart, UpdateCartLine},
};
use leptos::{prelude::*, server_fn::ServerFn};

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

/// "Add to cart" on product cards and pages: a static form. Without JavaScript it posts and the
/// server redirects back (a refusal comes back in the URL and [`AddToCartRefusal`] shows it once
/// per page); with it, the header's [`CartControl`] sends it and opens the drawer.
#[component]
pub fn AddToCartButton(product_id: i32, in_stock: bool, #[prop(optional)] product_name: String) -> impl IntoView {
    // Cards repeat the button, so each one says which product it adds to screen readers
    // through its description, while its name stays "Add to cart".
    let described = (!product_name.is_empty()).then(|| format!("add-{product_id}-name"));
    view! {
        <form method="post" action=AddToCart::url() data-cart-form="add" data-product-id=product_id>
            <input type="hidden" name="product_id" value=product_id />
            {described.clone().map(|id| view! { <span id=id class="visually-hidden">{product_name}</span> })}
            <button type="submit" class="button add-to-cart" aria-describedby=described disabled=!in_stock>
                "Add to cart"
            </button>
            // Filled in place when the island's add is refused.
            <p class="form-alert" role="alert" hidden></p>
        </form>
    }
}

/// Why a plain (no-JavaScript) "Add to cart" post was refused, once at the top of the page it
/// came back to, read once from the page's URL. Reading it in every card cost a walk up the
/// owner tree per card, and those walks are where a render can race the framework's owner
/// clean-up (README, Known issues).
#[component]
pub fn AddToCartRefusal() -> impl IntoView {
    posted_error::<AddToCart>().map(|error| {
        view! { <p class="notice notice--error" role="alert">{error.to_string()}</p> }
    })
}

/// A change to one line, asked for by the drawer's controls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineChange {
    Quantity { product_id: i32, quantity: i32 },
    Remove { product_id: i32 },
}

/// How the drawer runs the line controls in place (the `/cart` page posts them instead).
#[derive(Clone, Copy)]
pub struct LiveLines {
    pub change: Callback<LineChange>,
    pub busy: Signal<bool>,
    pub error: Signal<Option<String>>,
}

/// The drawer's state in the browser: the cart once it has been asked for, and how the last
/// change went. One copyable handle, so the lazily loaded code can update it.
#[derive(Clone, Copy)]
pub struct CartState {
    pub cart: RwSignal<Option<Result<CartView, AppError>>>,
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
}

/// The header's cart: "Cart (N)", a link to `/cart`. Once the page is hydrated the link opens a
/// modal `<dialog>` drawer (focus stays inside, Escape closes) and every "Add to cart" form on
/// the page is sent in place (see [`CartDrawer`]).
#[component]
pub fn CartControl(count: i32) -> impl IntoView {
    view! {
        <CartDrawer>
            <a href="/cart" class="cart-link">{cart_link_text(count)}</a>
        </CartDrawer>
    }
}

/// What the header's cart link says.
pub fn cart_link_text(count: i32) -> String {
    format!("Cart ({count})")
}

/// The island behind [`CartControl`]: the link is its server-rendered children, so the island
/// has no props to parse, and the page's first wasm holds only the dialog and the listeners.
/// Talking to the server and drawing the drawer's lines are lazily loaded (`live`): fetched when
/// the pointer or focus reaches the cart or an "Add to cart" button, at the latest on the first
/// click.
#[island]
fn CartDrawer(children: Children) -> impl IntoView {
    let state = CartState { cart: RwSignal::new(None), busy: RwSignal::new(false), error: RwSignal::new(None) };
    let open = RwSignal::new(false);
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        let open = open.get();
        if let Some(dialog) = dialog.get() {
            if open && !dialog.open() {
                let _ = dialog.show_modal();
            } else if !open && dialog.open() {
                dialog.close();
            }
        }
    });
    #[cfg(feature = "hydrate")]
    enhance_cart_controls(state, open);

    let close = move || open.set(false);
    view! {
        {children()}
        <dialog node_ref=dialog class="cart-drawer" aria-labelledby="cart-drawer-title" on:close=move |_| close()>
            <Show when=move || open.get()>
                <div class="cart-drawer__header">
                    <h2 id="cart-drawer-title">"Shopping cart"</h2>
                    <button type="button" class="button button--quiet" on:click=move |_| close()>"Close"</button>
                </div>
                {drawer_body(state)}
            </Show>
        </dialog>
    }
}

/// The drawer's body, drawn by the lazily loaded code each time the drawer opens. The server
/// never renders it: the drawer is closed in every server-rendered page.
fn drawer_body(state: CartState) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        Suspend::new(live::draw(state))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = state;
    }
}

/// One set of listeners on the window serves the cart link and every "Add to cart" form,
/// including those "Load more" appends later: a click on the link opens the drawer, a form is
/// sent with the server function instead of a page load, and pointing at or focusing either
/// fetches the code that does the work.
#[cfg(feature = "hydrate")]
fn enhance_cart_controls(state: CartState, open: RwSignal<bool>) {
    use wasm_bindgen::JsCast;

    let near_cart = |target: Option<web_sys::EventTarget>, selector: &str| {
        target
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest(selector).ok().flatten())
    };
    let preload = move |target: Option<web_sys::EventTarget>| {
        if near_cart(target, "[data-cart-form=\"add\"], .cart-link").is_some() {
            live::preload();
        }
    };
    let handles = [
        window_event_listener(leptos::ev::pointerover, move |ev| preload(ev.target())),
        window_event_listener(leptos::ev::focusin, move |ev| preload(ev.target())),
        window_event_listener(leptos::ev::click, move |ev| {
            // Let modified clicks (new tab, new window) keep their meaning.
            if ev.button() != 0 || ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() {
                return;
            }
            if near_cart(ev.target(), ".cart-link").is_some() {
                ev.prevent_default();
                open.set(true);
                leptos::task::spawn_local(live::load(state));
            }
        }),
        window_event_listener(leptos::ev::submit, move |ev| {
            let Some(form) = ev.target().and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok()) else {
                return;
            };
            if form.get_attribute("data-cart-form").as_deref() != Some("add") {
                return;
            }
            let Some(product_id) = form.get_attribute("data-product-id").and_then(|id| id.parse::<i32>().ok()) else {
                return;
            };
            ev.prevent_default();
            // Disabled at once, before the chunk has arrived, so a second press adds nothing.
            let Some(button) = form.query_selector("button").ok().flatten() else {
                return;
            };
            if button.has_attribute("disabled") {
                return;
            }
            let _ = button.set_attribute("disabled", "");
            leptos::task::spawn_local(async move {
                if live::add(product_id, form, button, state).await {
                    open.set(true);
                }
            });
        }),
    ];
    // The island lives as long as the page.
    std::mem::forget(handles);
}

/// The cart's code that only an interaction needs: its server calls and the drawer's lines. Each
/// function is split into a wasm chunk of its own by `cargo leptos build --split`, so a
/// storefront page's first load carries none of it.
#[cfg(feature = "hydrate")]
mod live {
    use super::{CartContents, CartState, LineChange, LiveLines, cart_link_text};
    use crate::{domain::commerce::CartView, domain::error::AppError};
    use leptos::prelude::*;

    /// Starts fetching the chunks, once: called when the pointer or focus reaches the cart.
    pub fn preload() {
        thread_local! {
            static STARTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        }
        if !STARTED.replace(true) {
            let _ = leptos::lazy_preload!(add);
            let _ = leptos::lazy_preload!(load);
            let _ = leptos::lazy_preload!(draw);
        }
    }

    /// What every cart change answers with: the whole cart, which is also the drawer's, and the
    /// header's count.
    fn show(state: CartState, result: Result<CartView, AppError>) {
        match result {
            Ok(view) => {
                if let Some(link) = document().query_selector(".cart-link").ok().flatten() {
                    link.set_text_content(Some(&cart_link_text(view.item_count())));
                }
                state.cart.set(Some(Ok(view)));
                state.error.set(None);
            }
            Err(failure) => state.error.set(Some(failure.to_string())),
        }
    }

    /// Fetches the cart for the drawer that has just opened.
    #[leptos::lazy]
    pub async fn load(state: CartState) {
        let result = crate::server_fns::shop::get_cart().await;
        state.cart.set(Some(result));
    }

    /// Adds one of a product from its card's form (whose button the caller has disabled);
    /// says whether it was added. A refusal is shown in the form's own alert.
    #[leptos::lazy]
    pub async fn add(
        product_id: i32,
        form: web_sys::HtmlFormElement,
        button: web_sys::Element,
        state: CartState,
    ) -> bool {
        let alert = form.query_selector(".form-alert").ok().flatten();
        let result = crate::server_fns::shop::add_to_cart(product_id, None).await;
        let _ = button.remove_attribute("disabled");
        if let Some(alert) = &alert {
            match &result {
                Ok(_) => {
                    let _ = alert.set_attribute("hidden", "");
                }
                Err(failure) => {
                    alert.set_text_content(Some(&failure.to_string()));
                    let _ = alert.remove_attribute("hidden");
                }
            }
        }
        let added = result.is_ok();
        show(state, result);
        added
    }

    /// The drawer's lines, totals and checkout link, with the line controls sent in place:
    /// drawn again, here, whenever the cart changes.
    #[leptos::lazy]
    pub fn draw(state: CartState) -> AnyView {
        let change = Callback::new(move |change: LineChange| {
            state.busy.set(true);
            leptos::task::spawn_local(async move {
                let result = match change {
                    LineChange::Quantity { product_id, quantity } => {
                        crate::server_fns::shop::update_cart_line(product_id, quantity).await
                    }
                    LineChange::Remove { product_id } => crate::server_fns::shop::remove_from_cart(product_id).await,
                };
                state.busy.set(false);
                show(state, result);
            });
        });
        let live = LiveLines { change, busy: state.busy.into(), error: state.error.into() };
        (move || match state.cart.get() {
            None => view! { <p role="status">"Loading your cart…"</p> }.into_any(),
            Some(Ok(cart)) => view! { <CartContents cart live /> }.into_any(),
            Some(Err(failure)) => view! { <p class="form-alert" role="alert">{failure.to_string()}</p> }.into_any(),
        })
        .into_any()
    }
}

/// Lines, totals and the way to checkout: the drawer's body (`live`: changed in place) and the
/// `/cart` page's (plain forms; a refusal comes back in the URL).
#[component]
pub fn CartContents(cart: CartView, #[prop(optional)] live: Option<LiveLines>) -> impl IntoView {
    if cart.lines.is_empty() {
        return view! { <EmptyCart /> }.into_any();
    }
    let posted =
        posted_error::<UpdateCartLine>().or_else(posted_error::<RemoveFromCart>).map(|error| error.to_string());
    let error = Signal::derive(move || live.map_or_else(|| posted.clone(), |live| live.error.get()));
    let busy = Signal::derive(move || live.is_some_and(|live| live.busy.get()));
    let currency = cart.currency.clone();
    let short = cart.has_short_lines();
    view! {
        <div class="cart">
            <p class="form-alert" role="alert" hidden=move || error.with(Option::is_none)>{error}</p>
            <ul class="cart__lines">
                {cart
                    .lines
                    .into_iter()
                    .map(|line| view! { <CartLineItem line currency=currency.clone() live busy /> })
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

/// One line control: a plain POST form, sent in place when the drawer runs it.
#[component]
fn LineForm(action: &'static str, change: LineChange, live: Option<LiveLines>, children: Children) -> impl IntoView {
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if let Some(live) = live {
            ev.prevent_default();
            live.change.run(change);
        }
    };
    let (product_id, quantity) = match change {
        LineChange::Quantity { product_id, quantity } => (product_id, Some(quantity)),
        LineChange::Remove { product_id } => (product_id, None),
    };
    view! {
        <form method="post" action=action on:submit=on_submit>
            <input type="hidden" name="product_id" value=product_id />
            {quantity.map(|quantity| view! { <input type="hidden" name="quantity" value=quantity /> })}
            {children()}
        </form>
    }
}

#[component]
fn CartLineItem(line: CartLine, currency: String, live: Option<LiveLines>, busy: Signal<bool>) -> impl IntoView {
    let most = line.stock.clamp(1, MAX_LINE_QUANTITY);
    let quantity = line.quantity;
    let short = line.is_short();
    let product_id = line.product_id;
    // A line above the stock steps straight down to what is left.
    let lower = (quantity - 1).min(line.stock).max(1);
    let cannot_lower = Signal::derive(move || quantity <= 1 || busy.get());
    let cannot_raise = Signal::derive(move || quantity >= most || busy.get());
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
                <LineForm action=UpdateCartLine::url() change=LineChange::Quantity { product_id, quantity: lower } live>
                    <button type="submit" class="quantity-button" aria-label="Decrease quantity" disabled=cannot_lower>"−"</button>
                </LineForm>
                <span class="cart-line__count" aria-label=format!("{quantity} in cart")>{quantity}</span>
                <LineForm action=UpdateCartLine::url() change=LineChange::Quantity { product_id, quantity: quantity + 1 } live>
                    <button type="submit" class="quantity-button" aria-label="Increase quantity" disabled=cannot_raise>"+"</button>
                </LineForm>
            </div>
            <p class="cart-line__total">{Money::format(line.line_total_cents, &currency)}</p>
            <LineForm action=RemoveFromCart::url() change=LineChange::Remove { product_id } live>
                <button type="submit" class="link-button" disabled=busy>"Remove"</button>
            </LineForm>
        </li>
    }
}
