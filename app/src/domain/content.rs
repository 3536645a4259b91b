//! The shop's own pages (terms, privacy, returns, contact): what the storefront shows and the
//! admin edits. The operator writes Markdown; the server renders it (see `server::markdown`).

use crate::domain::error::AppError;
use serde::{Deserialize, Serialize};

/// The pages every shop has, in footer order: (slug, link text).
pub const SHOP_PAGES: [(&str, &str); 4] =
    [("terms", "Terms of sale"), ("privacy", "Privacy"), ("returns", "Returns"), ("contact", "Contact")];

pub const TITLE_MAX: usize = 120;
pub const BODY_MAX: usize = 20_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopPage {
    pub slug: String,
    pub title: String,
    /// The operator's Markdown, for the edit form.
    pub markdown: String,
    /// Rendered on the server: raw HTML escaped, only safe link targets.
    pub html: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

pub fn page_path(slug: &str) -> String {
    format!("/pages/{slug}")
}

/// Whether `slug` names one of the shop's pages.
pub fn is_shop_page(slug: &str) -> bool {
    SHOP_PAGES.iter().any(|(known, _)| *known == slug)
}

/// A page's title and body as the operator typed them, checked.
pub fn parse_page(title: &str, body: &str) -> Result<(String, String), AppError> {
    let title = title.trim();
    let mut errors = Vec::new();
    if title.is_empty() || title.chars().count() > TITLE_MAX {
        errors.push(crate::domain::error::FieldError::new(
            "title",
            format!("Give the page a title of 1 to {TITLE_MAX} characters."),
        ));
    }
    let body = body.replace("\r\n", "\n");
    if body.trim().is_empty() || body.chars().count() > BODY_MAX {
        errors.push(crate::domain::error::FieldError::new(
            "body",
            format!("Write the page in 1 to {BODY_MAX} characters."),
        ));
    }
    if body.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        errors.push(crate::domain::error::FieldError::new(
            "body",
            "The text holds control characters; paste it as plain text.",
        ));
    }
    match errors.len() {
        0 => Ok((title.to_owned(), body)),
        1 => {
            let only = errors.remove(0);
            Err(AppError::validation(only.field, only.message))
        }
        _ => Err(AppError::Fields { errors }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_needs_a_title_and_a_body_within_their_limits() {
        assert!(parse_page("Terms", "Some text").is_ok());
        assert!(parse_page(" ", "x").unwrap_err().message_for("title").is_some());
        assert!(parse_page("Terms", &"x".repeat(BODY_MAX + 1)).unwrap_err().message_for("body").is_some());
        assert!(matches!(parse_page("", "").unwrap_err(), AppError::Fields { .. }));
    }

    #[test]
    fn windows_line_endings_are_stored_as_plain_newlines() {
        assert_eq!(parse_page("T", "a\r\nb").unwrap().1, "a\nb");
    }

    #[test]
    fn only_the_four_known_slugs_are_pages() {
        assert!(is_shop_page("privacy"));
        assert!(!is_shop_page("admin"));
    }
}
