//! The back office's wire types and the pure rules behind its forms: product drafts, prices,
//! stock adjustments and order transitions. Shared by server and browser; no I/O here.

use crate::domain::shop::CURRENCY;
use crate::{
    domain::commerce::{OrderDetail, OrderStatus},
    domain::error::{AppError, FieldError},
    domain::model::{Money, PageNumber, Slug, slug_from_form},
};
#[cfg(feature = "ssr")]
use sea_orm::sea_query::StringLen;
use serde::{Deserialize, Serialize};

/// Rows per page in the admin tables.
pub const ADMIN_PAGE_SIZE: u64 = 20;
/// Pages past this are refused rather than scanned.
pub const MAX_ADMIN_PAGE: u32 = 10_000;
pub const MAX_PRICE_CENTS: i64 = 100_000_000;
pub const MAX_STOCK: i32 = 1_000_000;
pub const MAX_DESCRIPTION_CHARS: usize = 5_000;
/// Uploaded product images are limited to this many megabytes.
pub const MAX_IMAGE_MB: usize = 2;
pub const MAX_IMAGE_BYTES: usize = MAX_IMAGE_MB * 1024 * 1024;

/// An admin table's page from its server function's argument (lenient: see `PageNumber`).
pub fn admin_page(raw: Option<u32>) -> PageNumber {
    PageNumber::lenient(raw, MAX_ADMIN_PAGE)
}

/// How many pages `total` rows fill (at least one, so "page 1 of 1" reads right when empty).
pub fn page_count(total: u64) -> u64 {
    total.div_ceil(ADMIN_PAGE_SIZE).max(1)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminProductRow {
    pub id: i32,
    pub name: String,
    pub sku: String,
    pub slug: String,
    pub category_name: String,
    pub price: Money,
    pub stock: i32,
    pub active: bool,
    pub archived: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminPage<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryChoice {
    pub slug: String,
    pub name: String,
}

/// Why a product's stock changed. The first three are written by the shop itself; the rest are
/// the reasons an admin can give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))"))]
pub enum StockReason {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "initial"))]
    Initial,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "sale"))]
    Sale,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cancellation"))]
    Cancellation,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "restock"))]
    Restock,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "returned"))]
    Returned,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "damaged"))]
    Damaged,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "correction"))]
    Correction,
}

impl StockReason {
    pub const ALL: [Self; 7] =
        [Self::Initial, Self::Sale, Self::Cancellation, Self::Restock, Self::Returned, Self::Damaged, Self::Correction];
    pub const ADJUSTMENTS: [Self; 4] = [Self::Restock, Self::Returned, Self::Damaged, Self::Correction];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Initial => "initial",
            Self::Sale => "sale",
            Self::Cancellation => "cancellation",
            Self::Restock => "restock",
            Self::Returned => "returned",
            Self::Damaged => "damaged",
            Self::Correction => "correction",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Initial => "Opening stock",
            Self::Sale => "Sold",
            Self::Cancellation => "Order cancelled",
            Self::Restock => "Delivery from supplier",
            Self::Returned => "Customer return",
            Self::Damaged => "Damaged or lost",
            Self::Correction => "Stock count correction",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockMovementView {
    pub quantity_change: i32,
    pub stock_after: i32,
    pub reason: StockReason,
    pub note: String,
    pub order_number: Option<String>,
    /// RFC 3339.
    pub at: String,
}

/// Everything the product editor shows for an existing product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductEditor {
    pub id: i32,
    pub name: String,
    pub slug: String,
    pub sku: String,
    pub description: String,
    pub category_slug: String,
    /// As typed in the price field: `1299.00`.
    pub price: String,
    pub currency: String,
    pub stock: i32,
    pub active: bool,
    pub archived: bool,
    pub image_path: String,
    pub image_width: i32,
    pub image_height: i32,
    /// Newest first.
    pub ledger: Vec<StockMovementView>,
}

/// The product form exactly as posted: every value a string, checkboxes present or absent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductForm {
    pub name: String,
    pub slug: String,
    pub sku: String,
    pub description: String,
    pub category: String,
    pub price: String,
    /// Only when creating: later changes go through stock adjustments and the ledger.
    pub stock: Option<String>,
    pub active: bool,
    pub image_path: String,
}

/// A product form that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductDraft {
    pub name: String,
    pub slug: String,
    pub sku: String,
    pub description: String,
    pub category_slug: String,
    pub price_cents: i64,
    pub initial_stock: i32,
    pub active: bool,
    /// `None`: keep the current image (or the placeholder for a new product).
    pub image_path: Option<String>,
}

impl ProductDraft {
    /// Checks every field and reports all failures at once, each on its own field.
    pub fn parse(form: &ProductForm, creating: bool) -> Result<Self, AppError> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: String| errors.push(FieldError::new(field, message));

        let name = form.name.trim().to_owned();
        if name.is_empty() {
            fail("name", "Enter the product's name.".into());
        } else if name.chars().count() > 200 {
            fail("name", "Names are limited to 200 characters.".into());
        }

        let slug = match slug_from_form(&form.slug, &name, Slug::MAX_LEN) {
            Ok(slug) => slug,
            Err(message) => {
                // An empty name already has its own message.
                if !(name.is_empty() && form.slug.trim().is_empty()) {
                    fail("slug", message);
                }
                String::new()
            }
        };

        let sku = form.sku.trim().to_ascii_uppercase();
        if sku.is_empty() {
            fail("sku", "Enter a SKU.".into());
        } else if sku.len() > 64 || !sku.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            fail("sku", "SKUs are up to 64 letters, digits, hyphens and underscores.".into());
        }

        let description = form.description.trim().to_owned();
        if description.chars().count() > MAX_DESCRIPTION_CHARS {
            fail("description", format!("Descriptions are limited to {MAX_DESCRIPTION_CHARS} characters."));
        }

        let category_slug = form.category.trim().to_owned();
        if category_slug.is_empty() {
            fail("category", "Choose a category.".into());
        }

        let price_cents = match parse_price(&form.price) {
            Ok(cents) => cents,
            Err(message) => {
                fail("price", message);
                0
            }
        };

        let initial_stock = if creating {
            match parse_stock(form.stock.as_deref().unwrap_or("0")) {
                Ok(stock) => stock,
                Err(message) => {
                    fail("stock", message);
                    0
                }
            }
        } else {
            0
        };

        let image_path = form.image_path.trim();
        let image_path = if image_path.is_empty() {
            None
        } else if valid_image_path(image_path) {
            Some(image_path.to_owned())
        } else {
            fail("image_path", "Use a path under /images/ or /uploads/, such as /images/products/lamp.svg.".into());
            None
        };

        if !errors.is_empty() {
            return Err(AppError::Fields { errors });
        }
        Ok(Self {
            name,
            slug,
            sku,
            description,
            category_slug,
            price_cents,
            initial_stock,
            active: form.active,
            image_path,
        })
    }
}

/// `12`, `12.5`, `12.50`, `1,299.00` → cents. At most two decimals, more than zero, bounded.
pub fn parse_price(raw: &str) -> Result<i64, String> {
    let cleaned: String = raw.trim().trim_start_matches('$').chars().filter(|c| *c != ',').collect();
    let invalid = || "Enter a price such as 19.99.".to_owned();
    if cleaned.is_empty() {
        return Err("Enter a price.".into());
    }
    let (units, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if units.is_empty()
        || units.len() > 9
        || !units.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 2
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(invalid());
    }
    let units: i64 = units.parse().map_err(|_| invalid())?;
    let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
    let cents = units * 100 + fraction;
    if cents == 0 {
        return Err("The price must be more than zero.".into());
    }
    if cents > MAX_PRICE_CENTS {
        return Err(format!("Prices are limited to {}.", Money::format(MAX_PRICE_CENTS, CURRENCY)));
    }
    Ok(cents)
}

/// Cents as the price field shows them: `1299.00`.
pub fn price_field(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn parse_stock(raw: &str) -> Result<i32, String> {
    let raw = raw.trim();
    let raw = if raw.is_empty() { "0" } else { raw };
    match raw.parse::<i64>() {
        Ok(stock) if (0..=i64::from(MAX_STOCK)).contains(&stock) => Ok(stock as i32),
        Ok(_) => Err(format!("Stock must be between 0 and {MAX_STOCK}.")),
        Err(_) => Err("Enter a whole number of units.".into()),
    }
}

/// Site-relative paths the shop itself serves, with no way out of their folder.
pub fn valid_image_path(path: &str) -> bool {
    (path.starts_with("/images/") || path.starts_with("/uploads/"))
        && path.len() <= 200
        && !path.contains("..")
        && !path.contains("//")
        && path.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.'))
}

/// A validated stock adjustment: a non-zero change with one of the admin reasons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StockAdjustment {
    pub change: i32,
    pub reason: StockReason,
    pub note: String,
}

impl StockAdjustment {
    pub fn parse(change: &str, reason: &str, note: &str) -> Result<Self, AppError> {
        let mut errors = Vec::new();
        let change = match change.trim().trim_start_matches('+').parse::<i64>() {
            Ok(0) => {
                errors.push(FieldError::new("change", "Enter how many units to add (or, negative, to remove)."));
                0
            }
            Ok(change) if change.abs() <= i64::from(MAX_STOCK) => change as i32,
            Ok(_) => {
                errors.push(FieldError::new("change", format!("Adjust by at most {MAX_STOCK} units at a time.")));
                0
            }
            Err(_) => {
                errors.push(FieldError::new("change", "Enter a whole number, such as 5 or -2."));
                0
            }
        };
        let reason = StockReason::parse(reason).filter(|reason| StockReason::ADJUSTMENTS.contains(reason));
        if reason.is_none() {
            errors.push(FieldError::new("reason", "Choose a reason."));
        }
        let note = note.trim().to_owned();
        if note.chars().count() > 200 {
            errors.push(FieldError::new("note", "Notes are limited to 200 characters."));
        }
        match reason {
            Some(reason) if errors.is_empty() => Ok(Self { change, reason, note }),
            _ => Err(AppError::Fields { errors }),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOrderRow {
    pub number: String,
    pub customer_email: String,
    pub status: OrderStatus,
    pub item_count: i64,
    pub total: Money,
    /// RFC 3339.
    pub placed_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOrderDetail {
    pub order: OrderDetail,
    pub customer_name: String,
    pub customer_email: String,
}

impl AdminOrderDetail {
    /// The statuses the order can move to from here, in the order the buttons appear.
    pub fn next_statuses(&self) -> Vec<OrderStatus> {
        OrderStatus::ALL.into_iter().filter(|next| self.order.summary.status.can_become(*next)).collect()
    }
}

/// The button that moves an order to `status`.
pub fn transition_label(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::Pending => "Mark as pending",
        OrderStatus::Paid => "Mark as paid",
        OrderStatus::Processing => "Mark as processing",
        OrderStatus::Shipped => "Mark as shipped",
        OrderStatus::Delivered => "Mark as delivered",
        OrderStatus::Cancelled => "Cancel order",
    }
}

/// A carrier tracking number: 4 to 40 letters, digits, spaces and hyphens.
pub fn parse_tracking_number(raw: &str) -> Result<String, AppError> {
    let tracking = raw.trim().to_ascii_uppercase();
    let ok = (4..=40).contains(&tracking.len())
        && tracking.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b' ');
    if ok {
        Ok(tracking)
    } else {
        Err(AppError::validation(
            "tracking_number",
            "Enter the carrier's tracking number (4 to 40 letters and digits).",
        ))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub name: String,
    pub email: String,
    pub is_admin: bool,
    /// Whether the person confirmed their address from the mailed link.
    pub email_verified: bool,
    /// An account its owner deleted (personal data erased).
    pub deleted: bool,
    /// RFC 3339.
    pub joined_at: String,
    pub order_count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn form() -> ProductForm {
        ProductForm {
            name: "Lumen Desk Lamp".into(),
            sku: "lum-lamp-01".into(),
            category: "home".into(),
            price: "49.90".into(),
            stock: Some("12".into()),
            active: true,
            ..Default::default()
        }
    }

    fn failed_fields(result: Result<ProductDraft, AppError>) -> Vec<String> {
        match result {
            Err(AppError::Fields { errors }) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_new_product_gets_its_slug_from_the_name_and_an_uppercase_sku() {
        let draft = ProductDraft::parse(&form(), true).unwrap();
        assert_eq!(draft.slug, "lumen-desk-lamp");
        assert_eq!(draft.sku, "LUM-LAMP-01");
        assert_eq!((draft.price_cents, draft.initial_stock), (4_990, 12));
        assert_eq!(draft.image_path, None);
    }

    #[test]
    fn every_bad_field_is_reported_at_once_on_its_own_field() {
        let bad = ProductForm {
            name: " ".into(),
            slug: "Not A Slug".into(),
            sku: "has space".into(),
            category: String::new(),
            price: "-3".into(),
            stock: Some("lots".into()),
            image_path: "https://cdn.example/x.png".into(),
            ..Default::default()
        };
        assert_eq!(
            failed_fields(ProductDraft::parse(&bad, true)),
            ["name", "slug", "sku", "category", "price", "stock", "image_path"]
        );
    }

    #[test]
    fn editing_ignores_the_stock_field() {
        let mut edit = form();
        edit.stock = Some("not a number".into());
        assert_eq!(ProductDraft::parse(&edit, false).unwrap().initial_stock, 0);
    }

    #[test]
    fn prices_take_up_to_two_decimals_and_must_be_positive() {
        assert_eq!(parse_price("12"), Ok(1_200));
        assert_eq!(parse_price("12.5"), Ok(1_250));
        assert_eq!(parse_price("$1,299.00"), Ok(129_900));
        for bad in ["", "0", "0.00", "-1", "1.999", "abc", "1e3", ".5", "9999999999"] {
            assert!(parse_price(bad).is_err(), "{bad}");
        }
        assert!(parse_price("1000000.01").is_err());
    }

    #[test]
    fn image_paths_stay_inside_the_shops_own_folders() {
        assert!(valid_image_path("/images/products/lamp.svg"));
        assert!(valid_image_path("/uploads/products/0f8fad5b.png"));
        for bad in ["/images/../Cargo.toml", "images/x.png", "/etc/passwd", "/uploads//x", "/images/a b.png"] {
            assert!(!valid_image_path(bad), "{bad}");
        }
    }

    #[test]
    fn stock_adjustments_need_a_non_zero_change_and_an_admin_reason() {
        let ok = StockAdjustment::parse("+5", "restock", " pallet 7 ").unwrap();
        assert_eq!((ok.change, ok.reason, ok.note.as_str()), (5, StockReason::Restock, "pallet 7"));
        assert_eq!(StockAdjustment::parse("-2", "damaged", "").unwrap().change, -2);
        for (change, reason) in
            [("0", "restock"), ("x", "restock"), ("5", "sale"), ("5", "initial"), ("5000000", "restock")]
        {
            assert!(StockAdjustment::parse(change, reason, "").is_err(), "{change} {reason}");
        }
    }

    #[test]
    fn transition_buttons_are_named_after_the_target_status() {
        assert_eq!(transition_label(OrderStatus::Processing), "Mark as processing");
        assert_eq!(transition_label(OrderStatus::Shipped), "Mark as shipped");
        assert_eq!(transition_label(OrderStatus::Delivered), "Mark as delivered");
        assert_eq!(transition_label(OrderStatus::Cancelled), "Cancel order");
    }

    #[test]
    fn tracking_numbers_are_short_codes() {
        assert_eq!(parse_tracking_number(" 1z999aa10123456784 ").unwrap(), "1Z999AA10123456784");
        assert!(parse_tracking_number("x").is_err());
        assert!(parse_tracking_number("<script>").is_err());
    }

    #[test]
    fn page_numbers_fall_back_to_the_first_page() {
        let page = |raw| PageNumber::from_query(raw, MAX_ADMIN_PAGE).get();
        assert_eq!(page(None), 1);
        assert_eq!(page(Some("0")), 1);
        assert_eq!(page(Some("-3")), 1);
        assert_eq!(page(Some("4")), 4);
        assert_eq!(page(Some("99999999")), MAX_ADMIN_PAGE);
        assert_eq!((page_count(0), page_count(20), page_count(21)), (1, 1, 2));
    }

    proptest! {
        #[test]
        fn a_price_shown_in_the_field_parses_back_to_the_same_cents(cents in 1i64..=MAX_PRICE_CENTS) {
            prop_assert_eq!(parse_price(&price_field(cents)), Ok(cents));
        }

        #[test]
        fn price_parsing_never_panics_and_stays_in_bounds(raw in "\\PC{0,16}") {
            if let Ok(cents) = parse_price(&raw) {
                prop_assert!((1..=MAX_PRICE_CENTS).contains(&cents));
            }
        }
    }
}
