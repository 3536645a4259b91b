use crate::domain::shop::SHOP_NAME;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// Where browsers reach the shop: the configured public origin on the server, the page's own
/// origin in the browser.
pub fn site_origin() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::server::state::AppState>().map(|state| state.public_origin).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        window().location().origin().unwrap_or_default()
    }
}

/// Title, meta description, canonical URL and OpenGraph tags for one page.
#[component]
pub fn PageMeta(
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    /// The canonical path and query, starting with `/`.
    #[prop(into)]
    path: String,
    #[prop(optional, into)] image: Option<String>,
    #[prop(default = "website")] og_type: &'static str,
    /// Keeps the page out of search indexes (sign-in and account-recovery pages).
    #[prop(optional)]
    noindex: bool,
) -> impl IntoView {
    let origin = site_origin();
    let url = format!("{origin}{path}");
    view! {
        <Title text=title.clone() />
        <Meta name="description" content=description.clone() />
        <Link rel="canonical" href=url.clone() />
        <Meta property="og:site_name" content=SHOP_NAME />
        <Meta property="og:type" content=og_type />
        <Meta property="og:title" content=title />
        <Meta property="og:description" content=description />
        <Meta property="og:url" content=url />
        {image.map(|src| view! { <Meta property="og:image" content=format!("{origin}{src}") /> })}
        {noindex.then(|| view! { <Meta name="robots" content="noindex" /> })}
    }
}

/// The head of a page that belongs to one visitor (an account, a cart, the back office): its
/// title, and no place in search indexes.
#[component]
pub fn PrivatePageMeta(#[prop(into)] title: String) -> impl IntoView {
    view! {
        <Title text=title />
        <Meta name="robots" content="noindex" />
    }
}

/// Shortens text for a meta description at a word boundary.
pub fn summary(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end_matches([',', '.', ';', ':']))
}

/// The frame of the sign-in, registration and account-recovery pages: their head (see
/// [`PageMeta`]) and a narrow section whose heading is the page's title.
#[component]
pub fn AuthPage(
    title: &'static str,
    description: &'static str,
    path: &'static str,
    #[prop(optional)] noindex: bool,
    children: Children,
) -> impl IntoView {
    view! {
        <PageMeta title description path noindex />
        <section class="auth-page">
            <h1>{title}</h1>
            {children()}
        </section>
    }
}

/// The frame of a page that belongs to one visitor (the cart, checkout, the orders): its head
/// (see [`PrivatePageMeta`]) and a section named by its heading, the page's title.
#[component]
pub fn PrivatePage(title: &'static str, class: &'static str, children: Children) -> impl IntoView {
    let heading = format!("{class}-heading");
    let labelled_by = heading.clone();
    view! {
        <PrivatePageMeta title />
        <section class=class aria-labelledby=labelled_by>
            <h1 id=heading>{title}</h1>
            {children()}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn summaries_cut_long_text_at_a_word_boundary() {
        assert_eq!(summary("short", 10), "short");
        assert_eq!(summary("one two three four", 10), "one two…");
        assert_eq!(summary("alpha, beta gamma", 8), "alpha…");
    }
}
