//! Wire types shared by the server and the browser, and the pure rules around them.

use crate::domain::error::AppError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in integer minor units (cents) and an ISO 4217 currency code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub cents: i64,
    pub currency: String,
}

impl Money {
    pub fn new(cents: i64, currency: impl Into<String>) -> Self {
        Self { cents, currency: currency.into() }
    }

    /// `cents` of `currency` as shown to shoppers, e.g. `$1,299.00`.
    pub fn format(cents: i64, currency: &str) -> String {
        Self::new(cents, currency).to_string()
    }
}

impl fmt::Display for Money {
    /// `$1,299.00`, `€5.50`; unknown currencies as `CHF 12.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.cents < 0 { "-" } else { "" };
        let abs = self.cents.unsigned_abs();
        let (units, cents) = (abs / 100, abs % 100);
        let digits = units.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        match self.currency.as_str() {
            "USD" => write!(f, "{sign}${grouped}.{cents:02}"),
            "EUR" => write!(f, "{sign}€{grouped}.{cents:02}"),
            "GBP" => write!(f, "{sign}£{grouped}.{cents:02}"),
            "INR" => write!(f, "{sign}₹{grouped}.{cents:02}"),
            code => write!(f, "{sign}{code} {grouped}.{cents:02}"),
        }
    }
}

/// What a product card needs, and nothing more.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductCard {
    pub id: i32,
    pub name: String,
    pub slug: String,
    pub category_name: String,
    pub price: Money,
    pub stock: i32,
    pub image_path: String,
    pub image_width: i32,
    pub image_height: i32,
}

/// A category named from elsewhere: a parent in a breadcrumb, the navigation or the API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRef {
    pub name: String,
    pub slug: String,
}

/// Everything the product page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub card: ProductCard,
    pub sku: String,
    pub description: String,
    pub category_slug: String,
    /// The category's parent, for the breadcrumb.
    pub category_parent: Option<CategoryRef>,
    /// False once the category is archived: the page names it without linking to its listing.
    pub category_listed: bool,
    /// Other active products from the same category.
    pub related: Vec<ProductCard>,
}

/// A slice of a product listing and whether more follow it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductPage {
    pub items: Vec<ProductCard>,
    pub has_more: bool,
}

/// An offset/limit window, validated: offsets are not negative and pages are bounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageWindow {
    offset: u64,
    limit: u64,
}

impl PageWindow {
    pub const MAX_LIMIT: i64 = 48;
    /// Deep offsets are refused rather than scanned: nobody pages 10,000 products deep.
    pub const MAX_OFFSET: i64 = 10_000;

    pub fn new(offset: i64, limit: i64) -> Result<Self, AppError> {
        if !(0..=Self::MAX_OFFSET).contains(&offset) {
            return Err(AppError::validation(
                "offset",
                format!("The offset must be between 0 and {}.", Self::MAX_OFFSET),
            ));
        }
        if !(1..=Self::MAX_LIMIT).contains(&limit) {
            return Err(AppError::validation("limit", format!("The limit must be between 1 and {}.", Self::MAX_LIMIT)));
        }
        Ok(Self { offset: offset as u64, limit: limit as u64 })
    }

    pub fn offset(self) -> u64 {
        self.offset
    }

    pub fn limit(self) -> u64 {
        self.limit
    }
}

/// The home page's "latest products" list: how many to show first, per "Load more", at most.
pub mod home {
    pub const PAGE_SIZE: i64 = 12;
    pub const MAX_SHOWN: i64 = 48;

    /// How many products the home page shows for its `?shown=` parameter. Anything missing or
    /// malformed falls back to one page; the number is rounded up to whole pages and capped.
    pub fn shown_from_query(raw: Option<&str>) -> i64 {
        let requested = raw.and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or(PAGE_SIZE);
        let whole_pages = (requested.clamp(PAGE_SIZE, MAX_SHOWN) + PAGE_SIZE - 1) / PAGE_SIZE;
        (whole_pages * PAGE_SIZE).min(MAX_SHOWN)
    }
}

/// A 1-based page of a list, never past a list's deepest page (a bound on how much one request
/// can make the database skip). The one place that turns a page into the rows to skip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PageNumber(u32);

impl PageNumber {
    pub const FIRST: Self = Self(1);

    /// From the shop's own links: missing or 0 is the first page, past `deepest` the last.
    pub fn lenient(raw: Option<u32>, deepest: u32) -> Self {
        Self(raw.unwrap_or(1).clamp(1, deepest.max(1)))
    }

    /// From a URL's query text, as leniently: anything malformed is the first page.
    pub fn from_query(raw: Option<&str>, deepest: u32) -> Self {
        Self::lenient(raw.and_then(|raw| raw.trim().parse().ok()), deepest)
    }

    /// From what a visitor typed, strictly: anything but a whole number from 1 to `deepest` is a
    /// 422 on `field`.
    pub fn strict(raw: &str, deepest: u32, field: &str) -> Result<Self, AppError> {
        match raw.trim().parse::<u32>() {
            Ok(page) if (1..=deepest).contains(&page) => Ok(Self(page)),
            _ => Err(AppError::validation(field, format!("Page must be a whole number from 1 to {deepest}."))),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// The rows before this page when each page holds `page_size`.
    pub fn offset(self, page_size: u64) -> u64 {
        u64::from(self.0 - 1) * page_size
    }
}

/// A slug that arrived in a URL or a form and has the shape the shop gives slugs (`slugify`):
/// lowercase ASCII letters, digits and hyphens, 1 to [`Slug::MAX_LEN`] characters. The one check
/// every slug passes before it reaches a query, so no NUL byte or 10 kB key gets that far.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 120;

    pub fn parse(raw: &str) -> Option<Self> {
        let shaped = !raw.is_empty()
            && raw.len() <= Self::MAX_LEN
            && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        shaped.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The slug a form gives for a record named `name`: the typed one if it is already slug-shaped,
/// else one made from the name when nothing was typed; the message says what to fix.
pub fn slug_from_form(typed: &str, name: &str, max_len: usize) -> Result<String, String> {
    let typed = typed.trim();
    let slug = slugify(if typed.is_empty() { name } else { typed });
    if !typed.is_empty() && slug != typed {
        Err(format!("Use lowercase letters, digits and single hyphens, for example \"{slug}\"."))
    } else if slug.is_empty() {
        Err("Enter a slug: the name has no letters or digits to make one from.".into())
    } else if slug.len() > max_len {
        Err(format!("Slugs are limited to {max_len} characters."))
    } else {
        Ok(slug)
    }
}

/// A URL slug: lowercase ASCII letters and digits separated by single hyphens.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for ch in text.chars() {
        let ch = match ch {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            other => other.to_ascii_lowercase(),
        };
        if ch.is_ascii_alphanumeric() {
            slug.push(ch);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn money_is_shown_with_symbol_grouping_and_two_decimals() {
        assert_eq!(Money::new(129_900, "USD").to_string(), "$1,299.00");
        assert_eq!(Money::new(5, "USD").to_string(), "$0.05");
        assert_eq!(Money::new(100_000_000, "EUR").to_string(), "€1,000,000.00");
        assert_eq!(Money::new(-250, "GBP").to_string(), "-£2.50");
        assert_eq!(Money::new(1_234, "CHF").to_string(), "CHF 12.34");
    }

    #[test]
    fn page_windows_reject_negative_offsets_and_oversized_limits() {
        assert_eq!(PageWindow::new(-1, 10).unwrap_err().status(), 422);
        assert_eq!(PageWindow::new(0, 0).unwrap_err().status(), 422);
        assert_eq!(PageWindow::new(0, 49).unwrap_err().status(), 422);
        assert_eq!(PageWindow::new(10_001, 1).unwrap_err().status(), 422);
        let window = PageWindow::new(24, 12).unwrap();
        assert_eq!((window.offset(), window.limit()), (24, 12));
    }

    #[test]
    fn home_shows_one_page_for_missing_or_malformed_counts() {
        assert_eq!(home::shown_from_query(None), 12);
        assert_eq!(home::shown_from_query(Some("abc")), 12);
        assert_eq!(home::shown_from_query(Some("-5")), 12);
        assert_eq!(home::shown_from_query(Some("24")), 24);
        assert_eq!(home::shown_from_query(Some("13")), 24);
        assert_eq!(home::shown_from_query(Some("100000")), 48);
    }

    #[test]
    fn a_page_number_stays_between_the_first_and_the_deepest_page() {
        assert_eq!(PageNumber::lenient(None, 50), PageNumber::FIRST);
        assert_eq!(PageNumber::lenient(Some(0), 50).get(), 1);
        assert_eq!(PageNumber::lenient(Some(51), 50).get(), 50);
        assert_eq!(PageNumber::from_query(Some(" 7 "), 50).offset(20), 120);
        assert_eq!(PageNumber::from_query(Some("seven"), 50), PageNumber::FIRST);
        assert_eq!(PageNumber::strict("50", 50, "page").map(PageNumber::get), Ok(50));
        for bad in ["0", "51", "-1", "2.5", ""] {
            assert_eq!(PageNumber::strict(bad, 50, "page").unwrap_err().status(), 422, "{bad:?}");
        }
    }

    #[test]
    fn only_slug_shaped_text_parses_as_a_slug() {
        assert_eq!(Slug::parse("aurora-wireless-2").map(|s| s.to_string()).as_deref(), Some("aurora-wireless-2"));
        assert!(Slug::parse(&"a".repeat(Slug::MAX_LEN)).is_some());
        for bad in ["", "Aurora", "../etc", "a b", "a\0b", "é"] {
            assert!(Slug::parse(bad).is_none(), "{bad:?}");
        }
        assert!(Slug::parse(&"a".repeat(Slug::MAX_LEN + 1)).is_none());
    }

    #[test]
    fn slugs_are_lowercase_words_joined_by_hyphens() {
        assert_eq!(slugify("Aurora Wireless Headphones"), "aurora-wireless-headphones");
        assert_eq!(slugify("  USB-C  Hub (7-in-1) "), "usb-c-hub-7-in-1");
        assert_eq!(slugify("Café Crème"), "cafe-creme");
    }

    proptest! {
        #[test]
        fn money_display_keeps_every_digit(cents in any::<i64>()) {
            let shown = Money::new(cents, "USD").to_string();
            let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
            let expected = format!("{}{:02}", cents.unsigned_abs() / 100, cents.unsigned_abs() % 100);
            prop_assert_eq!(digits, expected);
        }

        #[test]
        fn home_shown_is_always_whole_pages_within_bounds(raw in ".{0,12}") {
            let shown = home::shown_from_query(Some(&raw));
            prop_assert!((home::PAGE_SIZE..=home::MAX_SHOWN).contains(&shown));
            prop_assert_eq!(shown % home::PAGE_SIZE, 0);
        }

        #[test]
        fn slugs_only_hold_safe_characters(text in "\\PC{0,40}") {
            let slug = slugify(&text);
            prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
            prop_assert_eq!(Slug::parse(&slug).is_some(), !slug.is_empty(), "what slugify makes is a Slug");
        }
    }
}
