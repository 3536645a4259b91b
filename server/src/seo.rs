//! `/sitemap.xml` and `/robots.txt` for search engines.

use app::{
    domain::listing::{ListingQuery, encode_query_value},
    server::{services::catalog, state::AppState},
};
use axum::{
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use std::fmt::Write;

/// Every active product and every category, plus the home and listing pages and the shop's own
/// pages (terms, privacy, returns, contact).
pub async fn sitemap(State(state): State<AppState>) -> Response {
    let entries = match catalog::sitemap_entries(&state.db).await {
        Ok(entries) => entries,
        // The service has logged the cause; crawlers just retry later.
        Err(_) => return (StatusCode::SERVICE_UNAVAILABLE, "sitemap unavailable, try again later").into_response(),
    };
    let origin = &state.public_origin;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |loc: String, lastmod: Option<String>| {
        let _ = write!(xml, "  <url><loc>{}</loc>", escape_xml(&loc));
        if let Some(lastmod) = lastmod {
            let _ = write!(xml, "<lastmod>{lastmod}</lastmod>");
        }
        xml.push_str("</url>\n");
    };
    url(format!("{origin}/"), None);
    url(format!("{origin}/products"), None);
    for slug in &entries.categories {
        let href = ListingQuery::for_category(slug).href();
        url(format!("{origin}{href}"), None);
    }
    for (slug, updated_at) in &entries.products {
        url(format!("{origin}/products/{}", encode_query_value(slug)), Some(updated_at.format("%Y-%m-%d").to_string()));
    }
    for (slug, _) in app::domain::content::SHOP_PAGES {
        url(format!("{origin}{}", app::domain::content::page_path(slug)), None);
    }
    xml.push_str("</urlset>\n");
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8"))], xml).into_response()
}

/// Crawl the shop, not its API, and find the sitemap.
pub async fn robots(State(state): State<AppState>) -> impl IntoResponse {
    let body = format!("User-agent: *\nAllow: /\nDisallow: /api/\n\nSitemap: {}/sitemap.xml\n", state.public_origin);
    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))], body)
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::escape_xml;

    #[test]
    fn xml_special_characters_are_escaped() {
        assert_eq!(escape_xml("/products?category=a&q=<b>"), "/products?category=a&amp;q=&lt;b&gt;");
    }
}
