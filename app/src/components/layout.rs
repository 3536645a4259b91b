use crate::app::SHOP_NAME;
use leptos::prelude::*;
use leptos_router::{components::Form, hooks::use_query_map};

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

/// The shop-wide search: a plain GET form to `/products`, navigated client-side once hydrated.
#[component]
fn SearchForm() -> impl IntoView {
    let query = use_query_map();
    let current = move || query.with(|q| q.get("q").unwrap_or_default());
    view! {
        <Form method="GET" action="/products" attr:class="search-form" attr:role="search">
            <label class="visually-hidden" for="site-search">"Search products"</label>
            <input
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
        </Form>
    }
}
