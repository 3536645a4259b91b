//! The shop's rules that need no database: pricing, the cart quantity policy, the order status
//! machine and the test card. Shared by the server (which decides) and the browser (which shows).

use crate::domain::accounts::PostalAddress;
use crate::domain::error::AppError;
use crate::domain::shop::CURRENCY;
#[cfg(feature = "ssr")]
use sea_orm::sea_query::StringLen;
use serde::{Deserialize, Serialize};

/// The most of one product a cart line may hold, whatever the stock.
pub const MAX_LINE_QUANTITY: i32 = 99;

/// Shipping and tax, configurable at start-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricingRules {
    pub shipping_fee_cents: i64,
    /// Subtotals at or above this ship free.
    pub free_shipping_from_cents: i64,
    /// 800 = 8 %.
    pub tax_rate_basis_points: i64,
}

impl Default for PricingRules {
    fn default() -> Self {
        Self { shipping_fee_cents: 499, free_shipping_from_cents: 5_000, tax_rate_basis_points: 800 }
    }
}

/// An order's money, in minor units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub subtotal_cents: i64,
    pub shipping_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
}

impl PricingRules {
    /// Totals for lines of (unit price, quantity). Tax is on the subtotal, rounded half up to
    /// the cent; an empty cart costs nothing, not the shipping fee.
    pub fn totals(&self, lines: impl IntoIterator<Item = (i64, i32)>) -> Totals {
        let subtotal_cents: i64 = lines.into_iter().map(|(unit, quantity)| unit * i64::from(quantity)).sum();
        if subtotal_cents == 0 {
            return Totals::default();
        }
        let shipping_cents = if subtotal_cents >= self.free_shipping_from_cents { 0 } else { self.shipping_fee_cents };
        let tax_cents = (subtotal_cents * self.tax_rate_basis_points + 5_000) / 10_000;
        Totals { subtotal_cents, shipping_cents, tax_cents, total_cents: subtotal_cents + shipping_cents + tax_cents }
    }
}

/// The quantity a line may hold: at least 1, at most the stock and [`MAX_LINE_QUANTITY`].
pub fn allowed_quantity(wanted: i32, stock: i32) -> Result<i32, AppError> {
    if stock <= 0 {
        return Err(AppError::conflict("This product is out of stock."));
    }
    if wanted < 1 {
        return Err(AppError::validation("quantity", "The quantity must be at least 1."));
    }
    let limit = stock.min(MAX_LINE_QUANTITY);
    if wanted > limit {
        return Err(AppError::validation("quantity", format!("At most {limit} can be ordered.")));
    }
    Ok(wanted)
}

/// Signing in merges the guest cart into the account cart: quantities of the same product are
/// summed, then capped at the stock and at [`MAX_LINE_QUANTITY`] (never refused, never lost
/// silently below what either cart held unless the stock is lower).
pub fn merged_quantity(account: i32, guest: i32, stock: i32) -> i32 {
    account.saturating_add(guest).min(stock.max(0)).min(MAX_LINE_QUANTITY)
}

/// `CS-000123`.
pub fn order_number(id: i32) -> String {
    format!("CS-{id:06}")
}

/// Where an order is. Stored as its `as_str` text (a SeaORM active enum on the server).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))"))]
pub enum OrderStatus {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "pending"))]
    Pending,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "paid"))]
    Paid,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "processing"))]
    Processing,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "shipped"))]
    Shipped,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "delivered"))]
    Delivered,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cancelled"))]
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [Self; 6] =
        [Self::Pending, Self::Paid, Self::Processing, Self::Shipped, Self::Delivered, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Processing => "processing",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Paid => "Paid",
            Self::Processing => "Processing",
            Self::Shipped => "Shipped",
            Self::Delivered => "Delivered",
            Self::Cancelled => "Cancelled",
        }
    }

    /// The one place the allowed transitions live: forward one step at a time, and
    /// cancellation until the parcel leaves.
    pub fn can_become(self, next: Self) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (Pending, Paid)
                | (Paid, Processing)
                | (Processing, Shipped)
                | (Shipped, Delivered)
                | (Pending | Paid | Processing, Cancelled)
        )
    }

    /// Customers may cancel themselves only before the shop starts work.
    pub fn customer_can_cancel(self) -> bool {
        matches!(self, Self::Pending | Self::Paid)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))"))]
pub enum PaymentMethod {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "test_card"))]
    TestCard,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cash"))]
    CashOnDelivery,
}

impl PaymentMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TestCard => "test_card",
            Self::CashOnDelivery => "cash",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "test_card" => Some(Self::TestCard),
            "cash" => Some(Self::CashOnDelivery),
            _ => None,
        }
    }

    /// As the checkout form and the order page name it.
    pub fn label(self) -> &'static str {
        match self {
            Self::TestCard => "Test card",
            Self::CashOnDelivery => "Cash on delivery",
        }
    }
}

/// Where an order's money is: `Captured` by card at checkout (or on delivery for cash, or when
/// the shop marks it paid), `Due` until then, and on cancellation `Refunded` if it had been
/// captured, else `Void`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))"))]
pub enum PaymentStatus {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "due"))]
    Due,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "captured"))]
    Captured,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "refunded"))]
    Refunded,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "void"))]
    Void,
}

impl PaymentStatus {
    /// What cancelling an order does to its money.
    pub fn after_cancellation(self) -> Self {
        if self == Self::Captured { Self::Refunded } else { Self::Void }
    }

    /// As the back office shows it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Due => "due",
            Self::Captured => "captured",
            Self::Refunded => "refunded",
            Self::Void => "void",
        }
    }
}

/// What the (simulated) card processor answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardOutcome {
    Approved,
    Declined,
}

/// A test card number as typed (spaces and dashes allowed): Luhn-checked, then
/// `4242 4242 4242 4242` is approved and `4000 0000 0000 0002` declined. Anything else is
/// refused before it is used: this shop must never be handed a real card.
pub fn check_test_card(typed: &str) -> Result<(CardOutcome, String), AppError> {
    let digits: String = typed.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.is_empty() {
        return Err(AppError::validation("card_number", "Enter the card number."));
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) || !(12..=19).contains(&digits.len()) {
        return Err(AppError::validation("card_number", "A card number has 12 to 19 digits."));
    }
    if !luhn_valid(&digits) {
        return Err(AppError::validation("card_number", "This card number is not valid. Check for a typo."));
    }
    let last4 = digits[digits.len() - 4..].to_owned();
    match digits.as_str() {
        "4242424242424242" => Ok((CardOutcome::Approved, last4)),
        "4000000000000002" => Ok((CardOutcome::Declined, last4)),
        _ => Err(AppError::validation("card_number", "This demo shop takes test cards only: use 4242 4242 4242 4242.")),
    }
}

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(position, byte)| {
            let digit = u32::from(byte - b'0');
            if !position.is_multiple_of(2) {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                digit
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// One cart line as the shopper sees it, priced from the database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub product_id: i32,
    pub slug: String,
    pub name: String,
    pub sku: String,
    pub image_path: String,
    pub unit_price_cents: i64,
    pub quantity: i32,
    pub stock: i32,
    pub line_total_cents: i64,
}

impl CartLine {
    /// The stock fell below what the line holds (or the product left the catalog).
    pub fn is_short(&self) -> bool {
        self.stock < self.quantity
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartView {
    pub lines: Vec<CartLine>,
    pub totals: Totals,
    pub currency: String,
}

impl CartView {
    /// A cart with nothing in it, in the shop's currency.
    pub fn empty() -> Self {
        Self { currency: CURRENCY.to_owned(), ..Self::default() }
    }

    pub fn item_count(&self) -> i32 {
        self.lines.iter().map(|line| line.quantity).sum()
    }

    pub fn has_short_lines(&self) -> bool {
        self.lines.iter().any(CartLine::is_short)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub number: String,
    pub status: OrderStatus,
    pub total_cents: i64,
    pub currency: String,
    /// RFC 3339.
    pub placed_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub product_id: i32,
    pub name: String,
    pub sku: String,
    pub unit_price_cents: i64,
    pub quantity: i32,
    pub line_total_cents: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub status: OrderStatus,
    pub note: String,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub summary: OrderSummary,
    pub payment_method: PaymentMethod,
    pub payment_status: PaymentStatus,
    pub card_last4: Option<String>,
    pub lines: Vec<OrderLine>,
    pub totals: Totals,
    /// As they were when the order was placed.
    pub shipping_address: PostalAddress,
    pub billing_address: PostalAddress,
    pub timeline: Vec<StatusChange>,
    /// Set once the order has shipped.
    pub tracking_number: Option<String>,
}

impl OrderDetail {
    pub fn can_cancel(&self) -> bool {
        self.summary.status.customer_can_cancel()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shipping_is_free_from_the_threshold_and_tax_rounds_half_up() {
        let rules = PricingRules::default();
        let small = rules.totals([(1_250, 2)]);
        assert_eq!(small, Totals { subtotal_cents: 2_500, shipping_cents: 499, tax_cents: 200, total_cents: 3_199 });
        let big = rules.totals([(2_500, 2)]);
        assert_eq!(big.shipping_cents, 0, "5,000 is the threshold itself");
        // 8 % of 1,006 is 80.48 → 80; of 1,007 is 80.56 → 81.
        assert_eq!(rules.totals([(1_006, 1)]).tax_cents, 80);
        assert_eq!(rules.totals([(1_007, 1)]).tax_cents, 81);
        assert_eq!(rules.totals([]), Totals::default(), "an empty cart costs nothing");
    }

    #[test]
    fn quantities_stay_between_one_and_the_stock_capped_at_99() {
        assert_eq!(allowed_quantity(3, 5).unwrap(), 3);
        assert_eq!(allowed_quantity(0, 5).unwrap_err().status(), 422);
        assert_eq!(allowed_quantity(6, 5).unwrap_err().status(), 422);
        assert_eq!(allowed_quantity(100, 500).unwrap_err().status(), 422);
        assert_eq!(allowed_quantity(1, 0).unwrap_err().status(), 409);
    }

    #[test]
    fn merging_sums_quantities_and_caps_them_at_stock_and_99() {
        assert_eq!(merged_quantity(2, 3, 10), 5);
        assert_eq!(merged_quantity(4, 4, 6), 6);
        assert_eq!(merged_quantity(60, 60, 500), 99);
        assert_eq!(merged_quantity(1, 1, 0), 0, "a sold-out product leaves the cart");
    }

    #[test]
    fn order_numbers_are_padded_to_six_digits() {
        assert_eq!(order_number(123), "CS-000123");
        assert_eq!(order_number(1_234_567), "CS-1234567");
    }

    #[test]
    fn orders_move_forward_one_step_and_cancel_only_before_shipping() {
        use OrderStatus::*;
        assert!(Pending.can_become(Paid));
        assert!(Paid.can_become(Processing));
        assert!(Shipped.can_become(Delivered));
        assert!(!Pending.can_become(Shipped), "no skipping");
        assert!(!Delivered.can_become(Pending), "no going back");
        assert!(Processing.can_become(Cancelled));
        assert!(!Shipped.can_become(Cancelled));
        assert!(!Cancelled.can_become(Paid));
        assert!(Pending.customer_can_cancel() && Paid.customer_can_cancel());
        assert!(!Processing.customer_can_cancel());
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn the_test_cards_are_approved_or_declined_and_typos_are_caught() {
        assert_eq!(check_test_card("4242 4242 4242 4242").unwrap(), (CardOutcome::Approved, "4242".into()));
        assert_eq!(check_test_card("4000-0000-0000-0002").unwrap().0, CardOutcome::Declined);
        assert_eq!(check_test_card("4242 4242 4242 4241").unwrap_err().status(), 422, "Luhn");
        assert_eq!(check_test_card("abcd").unwrap_err().status(), 422);
        assert_eq!(check_test_card("").unwrap_err().status(), 422);
        // A Luhn-valid card that is not a test card is refused, never charged.
        assert_eq!(check_test_card("5555 5555 5555 4444").unwrap_err().status(), 422);
    }

    proptest! {
        #[test]
        fn totals_always_add_up(lines in proptest::collection::vec((1i64..1_000_000, 1i32..=99), 0..20)) {
            let t = PricingRules::default().totals(lines.iter().copied());
            prop_assert_eq!(t.total_cents, t.subtotal_cents + t.shipping_cents + t.tax_cents);
            prop_assert!(t.tax_cents >= 0 && t.shipping_cents >= 0);
        }

        #[test]
        fn a_merged_line_never_exceeds_stock_or_99(a in 0i32..200, b in 0i32..200, stock in -5i32..500) {
            let merged = merged_quantity(a, b, stock);
            prop_assert!(merged <= stock.max(0) && (0..=MAX_LINE_QUANTITY).contains(&merged));
        }
    }
}
