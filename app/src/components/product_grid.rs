use crate::{components::product_card::ProductCard, domain::model::ProductCard as Card};
use leptos::prelude::*;

/// A static grid of product cards; the first `eager` images load eagerly.
#[component]
pub fn ProductGrid(products: Vec<Card>, #[prop(default = 0)] eager: usize) -> impl IntoView {
    view! {
        <div class="product-grid">
            {products
                .into_iter()
                .enumerate()
                .map(|(index, product)| view! { <ProductCard product eager=index < eager /> })
                .collect_view()}
        </div>
    }
}
