use crate::{
    components::{cart::CartControl, fleet_widget::FleetWidget},
    domain::accounts::CurrentUser,
    domain::listing::encode_query_value,
    domain::shop::SHOP_NAME,
    server_fns::{accounts::SignOut, shop::cart_count},
};
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_router::hooks::{use_location, use_query_map};
use simulator::snapshot::FleetSummary;

// The header and footer are outside every island, so they render on the server only, after the
// auth layer has loaded the session and its user: what they show is read at once, without a
// resource and a suspense per piece on every page. The browser build never renders them.

/// Route discovery at startup builds the layout once outside any request, with no session or
/// state to read (reading would log their absence as errors): it reads nothing then.
#[cfg(feature = "ssr")]
fn serving_a_request() -> bool {
    !leptos_router::RouteList::is_generating()
}

#[cfg(feature = "ssr")]
fn signed_in_user() -> Option<CurrentUser> {
    serving_a_request().then(|| crate::server_fns::accounts::current_user_now().ok().flatten()).flatten()
}

#[cfg(feature = "ssr")]
fn known_cart_count() -> Option<i32> {
    serving_a_request().then(|| crate::server_fns::shop::cart_count_known().ok().flatten()).flatten()
}

#[cfg(feature = "ssr")]
fn fleet_now() -> Option<FleetSummary> {
    serving_a_request().then(|| crate::server_fns::monitoring::fleet_status_now().ok()).flatten()
}

#[cfg(not(feature = "ssr"))]
fn signed_in_user() -> Option<CurrentUser> {
    None
}

#[cfg(not(feature = "ssr"))]
fn known_cart_count() -> Option<i32> {
    None
}

#[cfg(not(feature = "ssr"))]
fn fleet_now() -> Option<FleetSummary> {
    None
}

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <svg class="brand__mark" width="28" height="28" viewBox="0 0 32 32" aria-hidden="true">
                        <path d="M8 22a6 6 0 0 1 1-12 8 8 0 0 1 15 2 5 5 0 0 1 0 10z" fill="currentColor" />
                    </svg>
                    <span>{SHOP_NAME}</span>
                </a>
                <SearchForm />
                <nav aria-label="Main">
                    <ul class="nav-links">
                        <li><a href="/">"Home"</a></li>
                        <li><a href="/products">"All products"</a></li>
                        <li><a href="/monitoring">"Metrics"</a></li>
                        <AccountLinks />
                        <li><HeaderCart /></li>
                    </ul>
                </nav>
            </div>
        </header>
    }
}

/// The header's cart link and drawer. Only a guest's count takes a read (the cart itself is
/// fetched when the drawer opens).
#[component]
fn HeaderCart() -> impl IntoView {
    if let Some(count) = known_cart_count() {
        return view! { <CartControl count /> }.into_any();
    }
    let count = Resource::new(|| (), |_| cart_count());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let count = count.await.unwrap_or(0);
                view! { <CartControl count /> }
            })}
        </Suspense>
    }
    .into_any()
}

/// "Sign in" for visitors; "Account" and "Sign out" for signed-in shoppers.
#[component]
fn AccountLinks() -> impl IntoView {
    // Signing in from a page comes back to it.
    let location = use_location();
    let sign_in_href = {
        let path = location.pathname.get_untracked();
        if matches!(path.as_str(), "/" | "/login" | "/register") {
            "/login".to_owned()
        } else {
            let search = location.search.get_untracked();
            let search = search.trim_start_matches('?');
            let here = if search.is_empty() { path } else { format!("{path}?{search}") };
            format!("/login?next={}", encode_query_value(&here))
        }
    };
    match signed_in_user() {
        Some(user) => view! {
            {user.is_admin.then(|| view! { <li><a href="/admin">"Admin"</a></li> })}
            <li><a href="/orders">"Orders"</a></li>
            <li><a href="/account">"Account"</a></li>
            <li>
                // A plain form (outside any island an ActionForm renders the same
                // tag, after building an action and an effect on every page).
                <form method="post" action=SignOut::url()>
                    <button type="submit" class="link-button">"Sign out"</button>
                </form>
            </li>
        }
        .into_any(),
        None => view! { <li><a href=sign_in_href>"Sign in"</a></li> }.into_any(),
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    // The metrics page shows all of it already.
    let on_metrics_page = use_location().pathname.with_untracked(|path| path == "/monitoring");
    // The widget is a nicety: when the figures are unavailable it stays quiet.
    let status = if on_metrics_page { None } else { fleet_now() };
    view! {
        <footer class="site-footer">
            {status.map(|status| view! { <FleetWidget status /> })}
            <nav class="site-footer__links" aria-label="Shop information">
                <ul>
                    {crate::domain::content::SHOP_PAGES
                        .iter()
                        .map(|(slug, label)| view! { <li><a href=crate::domain::content::page_path(slug)>{*label}</a></li> })
                        .collect_view()}
                </ul>
            </nav>
            <p>{SHOP_NAME} " — electronics and gadgets, served by a Rust storefront that scales itself."</p>
            <p class="site-footer__small">"Prices in US dollars, including tax where applicable."</p>
        </footer>
    }
}

/// The shop-wide search: a plain GET form to `/products`.
#[component]
fn SearchForm() -> impl IntoView {
    let query = use_query_map();
    let current = query.with_untracked(|q| q.get("q").unwrap_or_default());
    view! {
        <form method="get" action="/products" class="search-form" role="search">
            <label class="visually-hidden" for="site-search">"Search products"</label>
            <input
                id="site-search"
                type="search"
                name="q"
                placeholder="Search products"
                maxlength="200"
                autocomplete="off"
                value=current
            />
            <button type="submit" class="button button--small">"Search"</button>
        </form>
    }
}
