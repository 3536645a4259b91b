use crate::{
    components::{page_meta::PageMeta, product_card::ProductCard, product_grid::ProductGrid},
    domain::model::{ProductPage, home},
    server_fns::catalog::{featured_products, latest_products},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    // `?shown=N` lets the "Load more" form work without JavaScript: the server renders N items.
    let shown = Memo::new(move |_| query.with(|q| home::shown_from_query(q.get("shown").as_deref())));
    let first_page = Resource::new(move || shown.get(), |shown| latest_products(0, shown));
    let featured = Resource::new(|| (), |()| featured_products());

    view! {
        <PageMeta
            title="Electronics and gadgets"
            description="Headphones, laptops, cameras and smart-home kit from CloudScale Commerce, priced fairly and shipped fast."
            path="/"
        />
        <section class="hero">
            <h1>"Gadgets that keep up with you"</h1>
            <p>"Headphones, laptops, cameras and smart-home kit, priced fairly and shipped fast."</p>
            <p><a class="button" href="/products">"Shop all products"</a></p>
        </section>
        <section class="featured" aria-labelledby="featured-heading">
            <h2 id="featured-heading">"Featured"</h2>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading featured products…"</p> }>
                {move || Suspend::new(async move {
                    match featured.await {
                        Ok(products) => view! { <ProductGrid products eager=4 /> }.into_any(),
                        Err(err) => view! { <p class="notice notice--error" role="alert">{err.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section class="latest" aria-labelledby="latest-heading">
            <h2 id="latest-heading">"Latest products"</h2>
            <Suspense fallback=|| view! { <p class="loading" role="status">"Loading products…"</p> }>
                <ErrorBoundary fallback=|errors| {
                    view! {
                        <div class="notice notice--error" role="alert">
                            <p>"We could not load the products."</p>
                            <ul>
                                {move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}
                            </ul>
                        </div>
                    }
                }>
                    {move || Suspend::new(async move {
                        first_page.await.map(|page| view! { <LatestProducts first_page=page /> })
                    })}
                </ErrorBoundary>
            </Suspense>
        </section>
    }
}

/// The first page of cards, rendered once on the server, and the "Load more" island inside the
/// same grid, so the cards it appends continue it.
#[component]
fn LatestProducts(first_page: ProductPage) -> impl IntoView {
    let shown = first_page.items.len() as i64;
    let more = first_page.has_more && shown < home::MAX_SHOWN;
    view! {
        <div class="product-grid">
            {first_page.items.into_iter().map(|product| view! { <ProductCard product /> }).collect_view()}
            <LoadMore>
                // Without JavaScript the form asks the server for a longer page (`?shown=N`).
                {more.then(|| view! {
                    <form class="load-more" method="get" action="/" data-load-more="">
                        <input type="hidden" name="shown" value=shown + home::PAGE_SIZE />
                        <button type="submit" class="button">{LOAD_MORE}</button>
                    </form>
                })}
                <p class="notice notice--error load-more__error" role="alert" hidden></p>
                <p class="visually-hidden load-more__status" aria-live="polite">{showing(shown)}</p>
            </LoadMore>
        </div>
    }
}

const LOAD_MORE: &str = "Load more products";

fn showing(count: i64) -> String {
    format!("Showing {count} products")
}

/// "Load more products" in place. The form, its error and its live status are the island's
/// server-rendered children, so the island has no props to parse; with JavaScript, one listener
/// sends the form to the lazily loaded code (`more`), which fetches the next cards and updates
/// the form, and the island draws the appended cards before it.
#[island]
fn LoadMore(children: Children) -> impl IntoView {
    let items = RwSignal::new(Vec::<crate::domain::model::ProductCard>::new());
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let handle = window_event_listener(leptos::ev::submit, move |ev| {
            let Some(form) = ev.target().and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok()) else {
                return;
            };
            if form.has_attribute("data-load-more") {
                ev.prevent_default();
                // Marked busy at once, before the chunk has arrived, so a second press waits.
                if !form.has_attribute("aria-busy") {
                    let _ = form.set_attribute("aria-busy", "true");
                    leptos::task::spawn_local(more::fetch(form, items));
                }
            }
        });
        // The island lives as long as the page.
        std::mem::forget(handle);
    }
    view! {
        {appended_cards(items)}
        {children()}
    }
}

/// The appended cards, drawn by the lazily loaded code once the first of them arrive. Nothing is
/// appended on the server.
fn appended_cards(items: RwSignal<Vec<crate::domain::model::ProductCard>>) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let any = Memo::new(move |_| !items.with(Vec::is_empty));
        move || any.get().then(|| Suspend::new(more::draw(items)))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = items;
    }
}

/// What only a press of "Load more" needs, each split into a wasm chunk of its own.
#[cfg(feature = "hydrate")]
mod more {
    use super::{LOAD_MORE, showing};
    use crate::{components::product_card::ProductCard, domain::model::home, server_fns::catalog::latest_products};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    /// Fetches the cards after those shown (the form's `shown` asks for the next page's end);
    /// the caller has marked the form busy, and it is free again whatever happened.
    #[leptos::lazy]
    pub async fn fetch(form: web_sys::HtmlFormElement, items: RwSignal<Vec<crate::domain::model::ProductCard>>) {
        append_next(&form, items).await;
        let _ = form.remove_attribute("aria-busy");
    }

    async fn append_next(form: &web_sys::HtmlFormElement, items: RwSignal<Vec<crate::domain::model::ProductCard>>) {
        let Some(shown) = form
            .query_selector("input[name=shown]")
            .ok()
            .flatten()
            .and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(offset) = shown.value().parse::<i64>().ok().map(|next| next - home::PAGE_SIZE) else {
            return;
        };
        let button = form.query_selector("button").ok().flatten();
        let error = document().query_selector(".load-more__error").ok().flatten();
        if let Some(button) = &button {
            let _ = button.set_attribute("disabled", "");
            button.set_text_content(Some("Loading…"));
        }
        match latest_products(offset, home::PAGE_SIZE).await {
            Ok(page) => {
                let count = offset + page.items.len() as i64;
                items.update(|list| list.extend(page.items));
                if page.has_more && count < home::MAX_SHOWN {
                    shown.set_value(&(count + home::PAGE_SIZE).to_string());
                } else {
                    form.remove();
                }
                if let Some(error) = &error {
                    let _ = error.set_attribute("hidden", "");
                }
                if let Some(status) = document().query_selector(".load-more__status").ok().flatten() {
                    status.set_text_content(Some(&showing(count)));
                }
            }
            Err(err) => {
                if let Some(error) = &error {
                    error.set_text_content(Some(&err.to_string()));
                    let _ = error.remove_attribute("hidden");
                }
            }
        }
        if let Some(button) = &button {
            let _ = button.remove_attribute("disabled");
            button.set_text_content(Some(LOAD_MORE));
        }
    }

    /// Appended cards are only ever added to: re-rendering the short list is cheaper in bytes
    /// than a keyed list.
    #[leptos::lazy]
    pub fn draw(items: RwSignal<Vec<crate::domain::model::ProductCard>>) -> AnyView {
        (move || items.get().into_iter().map(|product| view! { <ProductCard product /> }).collect_view()).into_any()
    }
}
