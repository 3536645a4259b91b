use crate::{
    api::catalog::{featured_products, latest_products},
    components::{page_meta::PageMeta, product_card::ProductCard, product_grid::ProductGrid},
    model::{ProductPage, home},
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
    view! {
        <div class="product-grid">
            {first_page.items.into_iter().map(|product| view! { <ProductCard product /> }).collect_view()}
            <LoadMore shown has_more=first_page.has_more />
        </div>
    }
}

/// "Load more products". With JavaScript, the button calls the server function and appends the
/// cards in place; without it, the same form asks the server for a longer page (`?shown=N`).
#[island]
fn LoadMore(shown: i64, has_more: bool) -> impl IntoView {
    let items = RwSignal::new(Vec::<crate::model::ProductCard>::new());
    let has_more = RwSignal::new(has_more);
    let load_error = RwSignal::new(None::<String>);
    let load_more = Action::new(move |offset: &i64| {
        let offset = *offset;
        async move {
            match latest_products(offset, home::PAGE_SIZE).await {
                Ok(page) => {
                    items.update(|list| list.extend(page.items));
                    has_more.set(page.has_more);
                    load_error.set(None);
                }
                Err(err) => load_error.set(Some(err.to_string())),
            }
        }
    });
    let count = move || shown + items.with(Vec::len) as i64;
    let pending = load_more.pending();

    view! {
        // Appended cards are only ever added to: re-rendering the short list is cheaper in
        // bytes than a keyed list.
        {move || items.get().into_iter().map(|product| view! { <ProductCard product /> }).collect_view()}
        <Show when=move || has_more.get() && count() < home::MAX_SHOWN>
            <form
                class="load-more"
                method="get"
                action="/"
                on:submit=move |ev| {
                    ev.prevent_default();
                    load_more.dispatch(count());
                }
            >
                <input type="hidden" name="shown" value=move || count() + home::PAGE_SIZE />
                <button type="submit" class="button" disabled=move || pending.get()>
                    {move || if pending.get() { "Loading…" } else { "Load more products" }}
                </button>
            </form>
        </Show>
        {move || load_error.get().map(|message| view! { <p class="notice notice--error load-more__error" role="alert">{message}</p> })}
        <p class="visually-hidden" aria-live="polite">{move || format!("Showing {} products", count())}</p>
    }
}
