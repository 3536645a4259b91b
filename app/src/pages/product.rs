use crate::{
    components::{
        cart::AddToCartButton,
        loaded::Loaded,
        page_meta::{PageMeta, site_origin, summary},
        product_grid::ProductGrid,
    },
    domain::listing::{ListingQuery, stock_label},
    domain::model::ProductDetail,
    server_fns::catalog::get_product,
};
use leptos::{either::Either, prelude::*};
use leptos_router::hooks::use_params_map;

/// `/products/<slug>`.
#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    let detail = Resource::new(move || slug.get(), get_product);

    view! {
        <Loaded resource=detail loading="Loading product…" let:product>
            <ProductView product />
        </Loaded>
    }
}

#[component]
fn ProductView(product: ProductDetail) -> impl IntoView {
    let card = product.card.clone();
    let path = format!("/products/{}", card.slug);
    // An archived category has no listing to link to: the page names it as text.
    let (listed, listing_href, category_name) = (
        product.category_listed,
        ListingQuery::for_category(&product.category_slug).href(),
        card.category_name.clone(),
    );
    let category_link = move || {
        if listed {
            Either::Left(view! { <a href=listing_href.clone()>{category_name.clone()}</a> })
        } else {
            Either::Right(category_name.clone())
        }
    };
    let parent_crumb = product.category_parent.clone().map(|parent| {
        view! { <li><a href={ListingQuery::for_category(&parent.slug).href()}>{parent.name}</a></li> }
    });
    let in_stock = card.stock > 0;
    let json_ld = product_json_ld(&product, &site_origin());

    view! {
        <PageMeta
            title=card.name.clone()
            description=summary(&product.description, 155)
            path
            image=card.image_path.clone()
            og_type="product"
        />
        <script type="application/ld+json" inner_html=json_ld></script>
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <ol>
                <li><a href="/">"Home"</a></li>
                {parent_crumb}
                <li>{category_link.clone()}</li>
                <li><span aria-current="page">{card.name.clone()}</span></li>
            </ol>
        </nav>
        <article class="product">
            <img
                class="product__image"
                src=card.image_path.clone()
                alt=card.name.clone()
                width=card.image_width
                height=card.image_height
                fetchpriority="high"
            />
            <div class="product__info">
                <h1>{card.name.clone()}</h1>
                <p class="product__price">{card.price.to_string()}</p>
                <p class=if in_stock { "product__stock" } else { "product__stock product__stock--out" }>
                    {stock_label(card.stock)}
                </p>
                <AddToCartButton product_id=card.id in_stock />
                <p class="product__description">{product.description.clone()}</p>
                <dl class="product__facts">
                    <dt>"SKU"</dt>
                    <dd>{product.sku.clone()}</dd>
                    <dt>"Category"</dt>
                    <dd>{category_link}</dd>
                </dl>
            </div>
        </article>
        {(!product.related.is_empty()).then(|| {
            view! {
                <section class="related" aria-labelledby="related-heading">
                    <h2 id="related-heading">{format!("More from {}", card.category_name)}</h2>
                    <ProductGrid products=product.related.clone() />
                </section>
            }
        })}
    }
}

/// schema.org `Product` with its offer, for search engines. `</` is escaped so no product text
/// can close the script element early.
pub fn product_json_ld(product: &ProductDetail, origin: &str) -> String {
    let card = &product.card;
    let availability = if card.stock > 0 { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" };
    let value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": card.name,
        "description": product.description,
        "sku": product.sku,
        "category": card.category_name,
        "image": format!("{origin}{}", card.image_path),
        "url": format!("{origin}/products/{}", card.slug),
        "offers": {
            "@type": "Offer",
            "price": format!("{}.{:02}", card.price.cents / 100, card.price.cents % 100),
            "priceCurrency": card.price.currency,
            "availability": availability,
            "url": format!("{origin}/products/{}", card.slug),
        }
    });
    value.to_string().replace("</", "<\\/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Money, ProductCard};

    fn detail(name: &str, cents: i64, stock: i32) -> ProductDetail {
        ProductDetail {
            card: ProductCard {
                id: 1,
                name: name.to_owned(),
                slug: "thing".to_owned(),
                category_name: "Audio".to_owned(),
                price: Money::new(cents, "USD"),
                stock,
                image_path: "/images/products/thing.svg".to_owned(),
                image_width: 480,
                image_height: 360,
            },
            sku: "AUD-001".to_owned(),
            description: "Nice.".to_owned(),
            category_slug: "audio".to_owned(),
            category_parent: None,
            category_listed: true,
            related: vec![],
        }
    }

    #[test]
    fn json_ld_carries_price_currency_and_availability() {
        let json: serde_json::Value =
            serde_json::from_str(&product_json_ld(&detail("Thing", 14_905, 0), "https://shop.test")).unwrap();
        assert_eq!(json["@type"], "Product");
        assert_eq!(json["offers"]["price"], "149.05");
        assert_eq!(json["offers"]["priceCurrency"], "USD");
        assert_eq!(json["offers"]["availability"], "https://schema.org/OutOfStock");
        assert_eq!(json["image"], "https://shop.test/images/products/thing.svg");
    }

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let text = product_json_ld(&detail("</script><script>alert(1)</script>", 100, 3), "");
        assert!(!text.contains("</script"));
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["name"], "</script><script>alert(1)</script>");
    }
}
