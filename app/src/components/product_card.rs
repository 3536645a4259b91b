use crate::{
    components::cart::AddToCartButton,
    domain::listing::{LOW_STOCK, stock_label},
    domain::model::ProductCard as Card,
};
use leptos::prelude::*;

/// One product in a grid. The first row loads eagerly (it is likely the largest paint);
/// the rest lazily. Width and height are always set so nothing shifts as images arrive.
#[component]
pub fn ProductCard(product: Card, #[prop(default = false)] eager: bool) -> impl IntoView {
    let href = format!("/products/{}", product.slug);
    let name = product.name.clone();
    let in_stock = product.stock > 0;
    // Cards mention stock only when it is low or gone.
    let stock_note = (product.stock <= LOW_STOCK).then(|| stock_label(product.stock));
    view! {
        <article class="product-card">
            <img
                class="product-card__image"
                src=product.image_path
                alt=""
                width=product.image_width
                height=product.image_height
                loading=if eager { "eager" } else { "lazy" }
                // The first row is the likely largest paint: ask for it before the scripts.
                fetchpriority=if eager { "high" } else { "auto" }
                decoding="async"
            />
            <div class="product-card__body">
                <p class="product-card__category">{product.category_name}</p>
                <h3 class="product-card__name">
                    <a href=href>{product.name}</a>
                </h3>
                <p class="product-card__price">{product.price.to_string()}</p>
                {stock_note.map(|note| view! { <p class="product-card__stock">{note}</p> })}
                <AddToCartButton product_id=product.id in_stock product_name=name />
            </div>
        </article>
    }
}
