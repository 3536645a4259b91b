use crate::{
    api::accounts::{SignOut, get_current_user},
    app::{AuthEpoch, SHOP_NAME},
    components::{cart::CartLink, fleet_widget::FleetWidget},
    listing::{ListingQuery, encode_query_value},
};
use leptos::{form::ActionForm, prelude::*};
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

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
                        <li><CartLink /></li>
                    </ul>
                </nav>
            </div>
        </header>
    }
}

/// "Sign in" for visitors; "Account" and "Sign out" for signed-in shoppers.
#[component]
fn AccountLinks() -> impl IntoView {
    let epoch = AuthEpoch::current();
    let user = Resource::new(move || epoch.get(), |_| get_current_user());
    let sign_out = ServerAction::<SignOut>::new();
    AuthEpoch::refresh_after(sign_out.version());
    // Signing in from a page comes back to it.
    let location = use_location();
    let sign_in_href = move || {
        let path = location.pathname.get();
        if matches!(path.as_str(), "/" | "/login" | "/register") {
            "/login".to_owned()
        } else {
            let search = location.search.get();
            let search = search.trim_start_matches('?');
            let here = if search.is_empty() { path } else { format!("{path}?{search}") };
            format!("/login?next={}", encode_query_value(&here))
        }
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => view! {
                        {user.is_admin.then(|| view! { <li><a href="/admin">"Admin"</a></li> })}
                        <li><a href="/orders">"Orders"</a></li>
                        <li><a href="/account">"Account"</a></li>
                        <li>
                            <ActionForm action=sign_out>
                                <button type="submit" class="link-button" disabled=move || sign_out.pending().get()>
                                    "Sign out"
                                </button>
                            </ActionForm>
                        </li>
                    }.into_any(),
                    _ => view! { <li><a href=sign_in_href>"Sign in"</a></li> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    // The metrics page shows all of it already. Hidden rather than left out: the widget must be
    // built with the page, not inside a closure run while rendering, or the server could number
    // its resource after a slower page's nested suspense boundaries while the browser numbers it
    // before them, and hydration would fail.
    let location = use_location();
    let hidden = Signal::derive(move || location.pathname.with(|path| path == "/monitoring"));
    view! {
        <footer class="site-footer">
            <FleetWidget hidden />
            <p>{SHOP_NAME} " — electronics and gadgets, served by a Rust storefront that scales itself."</p>
            <p class="site-footer__small">"Prices in US dollars, including tax where applicable."</p>
        </footer>
    }
}

/// The shop-wide search: a plain GET form to `/products`; once hydrated, it navigates
/// client-side to the same clean URL.
#[component]
fn SearchForm() -> impl IntoView {
    let query = use_query_map();
    let current = move || query.with(|q| q.get("q").unwrap_or_default());
    let input = NodeRef::<leptos::html::Input>::new();
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = input.get().map(|el| el.value()).unwrap_or_default();
        let target =
            ListingQuery { q: Some(q.trim().to_owned()).filter(|q| !q.is_empty()), page: 1, ..Default::default() };
        navigate(&target.href(), Default::default());
    };
    view! {
        <form method="get" action="/products" class="search-form" role="search" on:submit=on_submit>
            <label class="visually-hidden" for="site-search">"Search products"</label>
            <input
                node_ref=input
                id="site-search"
                type="search"
                name="q"
                placeholder="Search products"
                maxlength="200"
                autocomplete="off"
                value=current
                prop:value=current
            />
            <button type="submit" class="button button--small">"Search"</button>
        </form>
    }
}
