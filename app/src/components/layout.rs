use crate::{
    components::{cart::CartControl, fleet_widget::FleetWidget},
    domain::listing::encode_query_value,
    domain::shop::SHOP_NAME,
    server_fns::{
        accounts::{SignOut, get_current_user},
        monitoring::fleet_status,
        shop::cart_count,
    },
};
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_router::hooks::{use_location, use_query_map};

#[component]
pub fn Header() -> impl IntoView {
    // Only the count: the cart itself is fetched when the drawer opens.
    let count = Resource::new(|| (), |_| cart_count());
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
                        <li>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    let count = count.await.unwrap_or(0);
                                    view! { <CartControl count /> }
                                })}
                            </Suspense>
                        </li>
                    </ul>
                </nav>
            </div>
        </header>
    }
}

/// "Sign in" for visitors; "Account" and "Sign out" for signed-in shoppers.
#[component]
fn AccountLinks() -> impl IntoView {
    let user = Resource::new(|| (), |_| get_current_user());
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
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => view! {
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
                    }.into_any(),
                    _ => view! { <li><a href=sign_in_href>"Sign in"</a></li> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    // The metrics page shows all of it already.
    let on_metrics_page = use_location().pathname.with_untracked(|path| path == "/monitoring");
    let status =
        Resource::new(|| (), move |_| async move { if on_metrics_page { None } else { fleet_status().await.ok() } });
    view! {
        <footer class="site-footer">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    // The widget is a nicety: when the figures are unavailable it stays quiet.
                    status.await.map(|status| view! { <FleetWidget status /> })
                })}
            </Suspense>
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
