//! The cart in the page: "Add to cart" forms, the header's cart control (the "Cart (N)" link and
//! the slide-out drawer), and the line controls the drawer and `/cart` share.
//!
//! Every control is a plain form posting to a server function, so it works without JavaScript
//! (the server answers with a redirect back). The header's [`CartControl`] is the one island:
//! once hydrated it takes over the page's "Add to cart" forms (marked `data-cart-form="add"`),
//! keeps the count and opens the drawer, so a page of cards carries no per-card machinery.

use crate::{
    api::shop::{AddToCart, RemoveFromCart, UpdateCartLine},
    commerce::{CartLine, CartView, MAX_LINE_QUANTITY, Totals},
    components::forms::posted_error,
    error::AppError,
    model::Money,
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
        view! { <p class="notice notice--error" role="alert">{error.sentence()}</p> }
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

/// The header's cart: a link to `/cart` that, once hydrated, opens a modal `<dialog>` drawer
/// (focus stays inside, Escape closes), and the handler of every "Add to cart" form on the page.
/// The server renders only the count; the cart itself is fetched when the drawer opens.
#[island]
pub fn CartControl(count: i32) -> impl IntoView {
    let count = RwSignal::new(count);
    let open = RwSignal::new(false);
    let cart = RwSignal::new(None::<Result<CartView, AppError>>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let dialog = NodeRef::<leptos::html::Dialog>::new();

    // What every cart change answers with: the whole cart, which is also the drawer's.
    let show = move |result: Result<CartView, AppError>| match result {
        Ok(view) => {
            count.set(view.item_count());
            cart.set(Some(Ok(view)));
            error.set(None);
        }
        Err(failure) => error.set(Some(failure.sentence())),
    };
    let change = Callback::new(move |change: LineChange| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = match change {
                LineChange::Quantity { product_id, quantity } => {
                    crate::api::shop::update_cart_line(product_id, quantity).await
                }
                LineChange::Remove { product_id } => crate::api::shop::remove_from_cart(product_id).await,
            };
            busy.set(false);
            show(result);
        });
    });
    let open_drawer = move |ev: leptos::ev::MouseEvent| {
        // Let modified clicks (new tab, new window) keep their meaning.
        if !(ev.ctrl_key() || ev.meta_key() || ev.shift_key()) {
            ev.prevent_default();
            open.set(true);
            leptos::task::spawn_local(async move { cart.set(Some(crate::api::shop::get_cart().await)) });
        }
    };
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
    enhance_add_to_cart_forms(move |result| {
        let added = result.is_ok();
        show(result);
        if added {
            open.set(true);
        }
    });

    let close = move || open.set(false);
    let live = LiveLines { change, busy: busy.into(), error: error.into() };
    view! {
        <a href="/cart" class="cart-link" on:click=open_drawer>
            {move || format!("Cart ({})", count.get())}
        </a>
        <dialog node_ref=dialog class="cart-drawer" aria-labelledby="cart-drawer-title" on:close=move |_| close()>
            <Show when=move || open.get()>
                <div class="cart-drawer__header">
                    <h2 id="cart-drawer-title">"Shopping cart"</h2>
                    <button type="button" class="button button--quiet" on:click=move |_| close()>"Close"</button>
                </div>
                {move || match cart.get() {
                    None => view! { <p role="status">"Loading your cart…"</p> }.into_any(),
                    Some(Ok(cart)) => view! { <CartContents cart live /> }.into_any(),
                    Some(Err(failure)) => {
                        view! { <p class="form-alert" role="alert">{failure.sentence()}</p> }.into_any()
                    }
                }}
            </Show>
        </dialog>
    }
}

/// Sends the page's "Add to cart" forms with the server function instead of a page load.
/// One listener on the window serves every card, including those "Load more" appends later.
#[cfg(feature = "hydrate")]
fn enhance_add_to_cart_forms(on_added: impl Fn(Result<CartView, AppError>) + Copy + 'static) {
    use wasm_bindgen::JsCast;

    let handle = window_event_listener(leptos::ev::submit, move |ev| {
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
        let button = form.query_selector("button").ok().flatten();
        let alert = form.query_selector(".form-alert").ok().flatten();
        if let Some(button) = &button {
            let _ = button.set_attribute("disabled", "");
        }
        leptos::task::spawn_local(async move {
            let result = crate::api::shop::add_to_cart(product_id, None).await;
            if let Some(button) = &button {
                let _ = button.remove_attribute("disabled");
            }
            if let Some(alert) = &alert {
                match &result {
                    Ok(_) => {
                        let _ = alert.set_attribute("hidden", "");
                    }
                    Err(failure) => {
                        alert.set_text_content(Some(&failure.sentence()));
                        let _ = alert.remove_attribute("hidden");
                    }
                }
            }
            on_added(result);
        });
    });
    // The island lives as long as the page.
    std::mem::forget(handle);
}

/// Lines, totals and the way to checkout: the drawer's body (`live`: changed in place) and the
/// `/cart` page's (plain forms; a refusal comes back in the URL).
#[component]
pub fn CartContents(cart: CartView, #[prop(optional)] live: Option<LiveLines>) -> impl IntoView {
    if cart.lines.is_empty() {
        return view! { <EmptyCart /> }.into_any();
    }
    let posted = posted_error::<UpdateCartLine>().or_else(posted_error::<RemoveFromCart>).map(|error| error.sentence());
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
