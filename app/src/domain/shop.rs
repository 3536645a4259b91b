//! Facts about the shop itself that several layers show or store.

/// The shop's name, as page titles, e-mails and the API document show it.
pub const SHOP_NAME: &str = "CloudScale Commerce";

/// The currency every price is set in (ISO 4217). Prices and orders store their currency, so a
/// second one needs no schema change; this is the one new rows and empty carts get.
pub const CURRENCY: &str = "USD";
