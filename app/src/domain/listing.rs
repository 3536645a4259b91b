//! The product listing's URL contract (`/products?category=&q=&sort=&page=`), its validation, and
//! the pure rules behind search terms and pagination. Shared by server and browser.

use crate::{
    domain::error::AppError,
    domain::model::{CategoryRef, PageNumber, ProductCard, Slug},
};
use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: u64 = 24;
/// Longer queries are refused: nobody types 200 characters into a shop's search box.
pub const MAX_QUERY_CHARS: usize = 200;
/// At most this many words of a query are searched for.
pub const MAX_SEARCH_TERMS: usize = 8;
/// Pages past this are refused rather than scanned.
pub const MAX_PAGE: u32 = 1_000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SortOrder {
    /// Best match first; the default when searching.
    Relevance,
    /// The default when browsing.
    #[default]
    Newest,
    PriceLowToHigh,
    PriceHighToLow,
    Name,
}

impl SortOrder {
    pub const CHOICES: [SortOrder; 5] =
        [Self::Relevance, Self::Newest, Self::PriceLowToHigh, Self::PriceHighToLow, Self::Name];

    pub fn as_param(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::Newest => "newest",
            Self::PriceLowToHigh => "price-asc",
            Self::PriceHighToLow => "price-desc",
            Self::Name => "name",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Relevance => "Best match",
            Self::Newest => "Newest",
            Self::PriceLowToHigh => "Price: low to high",
            Self::PriceHighToLow => "Price: high to low",
            Self::Name => "Name: A to Z",
        }
    }

    pub fn from_param(raw: &str) -> Option<Self> {
        Self::CHOICES.into_iter().find(|sort| sort.as_param() == raw)
    }
}

/// A validated listing request. Built from the URL with [`ListingQuery::from_params`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ListingQuery {
    pub category: Option<String>,
    pub q: Option<String>,
    /// `None` means the default for the request: relevance when searching, newest otherwise.
    pub sort: Option<SortOrder>,
    pub page: u32,
}

impl ListingQuery {
    /// The first page of one category's listing, nothing else set: where a category link goes.
    pub fn for_category(slug: &str) -> Self {
        Self { category: Some(slug.to_owned()), page: 1, ..Default::default() }
    }

    /// Validates raw URL parameters. Blank values count as absent; a malformed page or sort, or
    /// an overlong query, is a 4xx naming the parameter.
    pub fn from_params(
        category: Option<&str>,
        q: Option<&str>,
        sort: Option<&str>,
        page: Option<&str>,
    ) -> Result<Self, AppError> {
        let present = |value: Option<&str>| value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let q = present(q);
        if let Some(q) = &q
            && q.chars().count() > MAX_QUERY_CHARS
        {
            return Err(AppError::validation("q", format!("Search text is limited to {MAX_QUERY_CHARS} characters.")));
        }
        let sort = match present(sort) {
            None => None,
            Some(raw) => Some(SortOrder::from_param(&raw).ok_or_else(|| {
                AppError::validation("sort", "Sort must be one of relevance, newest, price-asc, price-desc or name.")
            })?),
        };
        let page = match present(page) {
            None => PageNumber::FIRST,
            Some(raw) => PageNumber::strict(&raw, MAX_PAGE, "page")?,
        }
        .get();
        let category = present(category);
        if category.as_deref().is_some_and(|slug| Slug::parse(slug).is_none()) {
            return Err(AppError::not_found("That category"));
        }
        Ok(Self { category, q, sort, page })
    }

    /// The sort actually applied. Relevance without a search has nothing to rank by.
    pub fn effective_sort(&self) -> SortOrder {
        match (self.sort, self.has_search()) {
            (None, true) => SortOrder::Relevance,
            (None | Some(SortOrder::Relevance), false) => SortOrder::Newest,
            (Some(sort), _) => sort,
        }
    }

    pub fn has_search(&self) -> bool {
        !search_terms(self.q.as_deref().unwrap_or_default()).is_empty()
    }

    pub fn offset(&self) -> u64 {
        PageNumber::lenient(Some(self.page), MAX_PAGE).offset(PAGE_SIZE)
    }

    /// The canonical URL of this listing with a different page; page 1 has no parameter.
    pub fn href_for_page(&self, page: u32) -> String {
        let mut params = Vec::new();
        if let Some(category) = &self.category {
            params.push(("category", category.clone()));
        }
        if let Some(q) = &self.q {
            params.push(("q", q.clone()));
        }
        if let Some(sort) = self.sort {
            params.push(("sort", sort.as_param().to_owned()));
        }
        if page > 1 {
            params.push(("page", page.to_string()));
        }
        if params.is_empty() {
            return "/products".to_owned();
        }
        let query: Vec<String> = params.into_iter().map(|(k, v)| format!("{k}={}", encode_query_value(&v))).collect();
        format!("/products?{}", query.join("&"))
    }

    pub fn href(&self) -> String {
        self.href_for_page(self.page)
    }
}

/// Percent-encodes a query value (application/x-www-form-urlencoded, spaces as `+`).
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// The words of a search query, lowercased, keeping letters and digits only: safe to embed in
/// an FTS5 or tsquery expression, whatever the shopper typed.
pub fn search_terms(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .take(MAX_SEARCH_TERMS)
        .collect()
}

/// A category in the navigation, with how many active products it holds (a parent counts its
/// children's products too: its listing shows them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryLink {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub product_count: u64,
    /// The category it is filed under; `None` at the top level.
    pub parent: Option<CategoryRef>,
}

/// One page of a listing and where it sits in the whole result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub query: ListingQuery,
    pub items: Vec<ProductCard>,
    pub total: u64,
    pub category: Option<CategoryLink>,
}

impl Listing {
    pub fn page_count(&self) -> u32 {
        (self.total.div_ceil(PAGE_SIZE)).min(u64::from(MAX_PAGE)) as u32
    }
}

/// The page links a pagination bar shows: the first, the last, and two either side of the
/// current one, with `None` marking a gap.
pub fn page_links(current: u32, count: u32) -> Vec<Option<u32>> {
    let mut links = Vec::new();
    let mut previous = 0;
    for page in 1..=count {
        let near = page.abs_diff(current) <= 2;
        if page == 1 || page == count || near {
            if page > previous + 1 {
                links.push(None);
            }
            links.push(Some(page));
            previous = page;
        }
    }
    links
}

/// At or below this many, shoppers are told how many are left.
pub const LOW_STOCK: i32 = 5;

/// Stock as a shopper reads it.
pub fn stock_label(stock: i32) -> String {
    match stock {
        ..=0 => "Out of stock".to_owned(),
        1..=LOW_STOCK => format!("Only {stock} left"),
        _ => "In stock".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn query(category: Option<&str>, q: Option<&str>, sort: Option<&str>, page: Option<&str>) -> ListingQuery {
        ListingQuery::from_params(category, q, sort, page).unwrap()
    }

    #[test]
    fn blank_parameters_mean_the_default_listing() {
        let listing = query(Some(""), Some("  "), Some(""), Some(""));
        assert_eq!(listing, ListingQuery { page: 1, ..Default::default() });
        assert_eq!(listing.effective_sort(), SortOrder::Newest);
        assert_eq!(listing.href(), "/products");
    }

    #[test]
    fn malformed_pages_and_sorts_are_validation_errors_naming_the_parameter() {
        for page in ["0", "-1", "abc", "1.5", "1001", "99999999999999999999"] {
            let err = ListingQuery::from_params(None, None, None, Some(page)).unwrap_err();
            assert_eq!(err.status(), 422, "{page}");
            assert!(matches!(err, AppError::Validation { ref field, .. } if field == "page"));
        }
        let err = ListingQuery::from_params(None, None, Some("cheapest"), None).unwrap_err();
        assert!(matches!(err, AppError::Validation { ref field, .. } if field == "sort"));
    }

    #[test]
    fn a_ten_kilobyte_search_is_refused_with_a_readable_message() {
        let err = ListingQuery::from_params(None, Some(&"a".repeat(10_240)), None, None).unwrap_err();
        assert_eq!(err.status(), 422);
        assert!(err.to_string().contains("200 characters"));
    }

    #[test]
    fn a_category_link_is_its_listing_first_page_with_nothing_else() {
        assert_eq!(ListingQuery::for_category("smart-home").href(), "/products?category=smart-home");
    }

    #[test]
    fn category_slugs_with_odd_characters_are_unknown_categories() {
        let err = ListingQuery::from_params(Some("../etc"), None, None, None).unwrap_err();
        assert_eq!(err.status(), 404);
    }

    #[test]
    fn searching_defaults_to_relevance_and_browsing_to_newest() {
        assert_eq!(query(None, Some("head"), None, None).effective_sort(), SortOrder::Relevance);
        assert_eq!(query(None, None, Some("relevance"), None).effective_sort(), SortOrder::Newest);
        assert_eq!(query(None, Some("head"), Some("price-asc"), None).effective_sort(), SortOrder::PriceLowToHigh);
        // Punctuation only: nothing to search for.
        assert_eq!(query(None, Some("!!!"), None, None).effective_sort(), SortOrder::Newest);
    }

    #[test]
    fn hrefs_keep_every_parameter_and_encode_the_search() {
        let listing = query(Some("audio"), Some("noise & cancel"), Some("price-desc"), Some("2"));
        assert_eq!(listing.href(), "/products?category=audio&q=noise+%26+cancel&sort=price-desc&page=2");
        assert_eq!(listing.href_for_page(1), "/products?category=audio&q=noise+%26+cancel&sort=price-desc");
        assert_eq!(listing.offset(), 24);
    }

    #[test]
    fn search_terms_keep_words_only() {
        assert_eq!(search_terms("Head-phones \"4K\" OR *"), ["head", "phones", "4k", "or"]);
        assert!(search_terms("\" * ( ) : ^ -").is_empty());
        assert_eq!(search_terms(&"w ".repeat(50)).len(), MAX_SEARCH_TERMS);
    }

    #[test]
    fn pagination_shows_ends_and_neighbours_with_gaps() {
        assert_eq!(page_links(1, 1), [Some(1)]);
        assert_eq!(page_links(1, 3), [Some(1), Some(2), Some(3)]);
        assert_eq!(page_links(6, 12), [Some(1), None, Some(4), Some(5), Some(6), Some(7), Some(8), None, Some(12)]);
        assert!(page_links(1, 0).is_empty());
    }

    #[test]
    fn stock_reads_as_in_stock_low_or_out() {
        assert_eq!(stock_label(0), "Out of stock");
        assert_eq!(stock_label(3), "Only 3 left");
        assert_eq!(stock_label(5), "Only 5 left");
        assert_eq!(stock_label(6), "In stock");
    }

    proptest! {
        #[test]
        fn search_terms_never_contain_query_syntax(q in ".{0,300}") {
            for term in search_terms(&q) {
                prop_assert!(!term.is_empty());
                prop_assert!(term.chars().all(char::is_alphanumeric));
            }
        }

        #[test]
        fn every_valid_page_round_trips_through_its_href(page in 1u32..=MAX_PAGE, q in "[a-z ]{0,20}") {
            let listing = query(Some("audio"), Some(&q), Some("name"), Some(&page.to_string()));
            let href = listing.href();
            let params: std::collections::HashMap<String, String> = href
                .split_once('?').map(|(_, qs)| qs).unwrap_or_default()
                .split('&').filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.replace('+', " ")))
                .collect();
            let again = ListingQuery::from_params(
                params.get("category").map(String::as_str),
                params.get("q").map(String::as_str),
                params.get("sort").map(String::as_str),
                params.get("page").map(String::as_str),
            ).unwrap();
            prop_assert_eq!(again, listing);
        }

        #[test]
        fn page_links_include_first_last_and_current(count in 1u32..200, current_seed in 0u32..200) {
            let current = current_seed % count + 1;
            let links = page_links(current, count);
            prop_assert!(links.contains(&Some(1)));
            prop_assert!(links.contains(&Some(count)));
            prop_assert!(links.contains(&Some(current)));
            let pages: Vec<u32> = links.iter().flatten().copied().collect();
            prop_assert!(pages.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
