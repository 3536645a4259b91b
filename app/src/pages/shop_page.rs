//! `/pages/<slug>`: terms, privacy, returns and contact, as the operator wrote them.

use crate::{
    components::{
        loaded::Loaded,
        page_meta::{PageMeta, summary},
    },
    domain::content::{ShopPage, page_path},
    server_fns::content::get_shop_page,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ShopPageView() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    let page = Resource::new(move || slug.get(), get_shop_page);
    view! {
        <Loaded resource=page loading="Loading…" let:page>
            <PageBody page />
        </Loaded>
    }
}

#[component]
fn PageBody(page: ShopPage) -> impl IntoView {
    let updated = page.updated_at.get(..10).unwrap_or_default().to_owned();
    let plain: String =
        page.markdown.replace(['#', '*', '_', '[', ']', '`'], "").split_whitespace().collect::<Vec<_>>().join(" ");
    view! {
        <PageMeta title=page.title.clone() description=summary(&plain, 155) path=page_path(&page.slug) />
        <article class="shop-page">
            <h1>{page.title}</h1>
            // Rendered on the server from Markdown with raw HTML escaped (server::markdown).
            <div class="shop-page__body" inner_html=page.html></div>
            <p class="shop-page__updated">"Last updated " <time datetime=page.updated_at.clone()>{updated}</time></p>
        </article>
    }
}
