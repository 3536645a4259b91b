use crate::app::SHOP_NAME;
use crate::listing::ListingQuery;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

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
                    </ul>
                </nav>
            </div>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
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
