//! Account input rules shared by the browser and the server: names and email addresses.

use crate::domain::error::AppError;
#[cfg(feature = "ssr")]
use sea_orm::sea_query::StringLen;
use serde::{Deserialize, Serialize};

/// An email address, trimmed and lowercased, so `Ada@Example.com ` and `ada@example.com` are
/// one account. Checks the shape only; ownership would need a confirmation mail.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let email = raw.trim().to_lowercase();
        let invalid = || AppError::validation("email", "Enter an email address like name@example.com.");
        if email.is_empty() || email.len() > Self::MAX_LEN || email.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(invalid());
        }
        let (local, domain) = email.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A display name: 1 to 100 characters after trimming.
pub fn parse_name(raw: &str) -> Result<String, AppError> {
    let name = raw.trim();
    match name.chars().count() {
        0 => Err(AppError::validation("name", "Enter your name.")),
        1..=100 => Ok(name.to_owned()),
        _ => Err(AppError::validation("name", "Use at most 100 characters.")),
    }
}

/// An optional phone number: digits with spaces, dashes, dots, brackets and a leading `+`;
/// 6 to 32 characters. Empty means none.
pub fn parse_phone(field: &str, raw: &str) -> Result<Option<String>, AppError> {
    let phone = raw.trim();
    if phone.is_empty() {
        return Ok(None);
    }
    let allowed = phone.char_indices().all(|(i, c)| c.is_ascii_digit() || " -.()".contains(c) || (c == '+' && i == 0));
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !allowed || !(6..=32).contains(&phone.len()) || digits < 6 {
        return Err(AppError::validation(field, "Enter a phone number such as +1 555 010 2030, or leave it empty."));
    }
    Ok(Some(phone.to_owned()))
}

/// A required single-line text field, trimmed, 1 to `max` characters.
fn required(field: &str, label: &str, raw: &str, max: usize) -> Result<String, AppError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(AppError::validation(field, format!("Enter the {label}.")));
    }
    if value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(AppError::validation(field, format!("Use at most {max} characters, on one line.")));
    }
    Ok(value.to_owned())
}

/// What an account may do: shop, or also run the shop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))"))]
pub enum Role {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "customer"))]
    Customer,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "admin"))]
    Admin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter))]
#[cfg_attr(feature = "ssr", sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))"))]
pub enum AddressKind {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "shipping"))]
    Shipping,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "billing"))]
    Billing,
}

impl AddressKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Shipping => "shipping",
            Self::Billing => "billing",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Shipping => "Shipping",
            Self::Billing => "Billing",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, AppError> {
        match raw.trim() {
            "shipping" => Ok(Self::Shipping),
            "billing" => Ok(Self::Billing),
            _ => Err(AppError::validation("kind", "Choose shipping or billing.")),
        }
    }
}

/// An address as typed into the form: every field a string, validated by [`AddressInput::validate`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressForm {
    pub kind: String,
    pub full_name: String,
    pub line1: String,
    #[serde(default)]
    pub line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    #[serde(default)]
    pub phone: String,
    /// A checkbox: present ("on") when ticked.
    #[serde(default)]
    pub is_default: Option<String>,
}

/// Who and where, the same eight fields wherever an address is kept: the address book, what
/// checkout validated, and an order's snapshot of it as it was when the order was placed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalAddress {
    pub full_name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    pub phone: Option<String>,
}

/// A validated address for the address book or checkout.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressInput {
    pub kind: AddressKind,
    #[serde(flatten)]
    pub postal: PostalAddress,
    pub is_default: bool,
}

impl AddressForm {
    pub fn validate(&self) -> Result<AddressInput, AppError> {
        let line2 = self.line2.trim();
        if line2.chars().count() > 200 || line2.chars().any(char::is_control) {
            return Err(AppError::validation("line2", "Use at most 200 characters, on one line."));
        }
        let postal_code = required("postal_code", "postal code", &self.postal_code, 20)?;
        if !postal_code.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-') {
            return Err(AppError::validation("postal_code", "Use letters, digits, spaces and dashes only."));
        }
        let country = self.country.trim().to_ascii_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(AppError::validation("country", "Enter a two-letter country code such as US, GB or DE."));
        }
        Ok(AddressInput {
            kind: AddressKind::parse(&self.kind)?,
            postal: PostalAddress {
                full_name: required("full_name", "full name", &self.full_name, 100)?,
                line1: required("line1", "first address line", &self.line1, 200)?,
                line2: (!line2.is_empty()).then(|| line2.to_owned()),
                city: required("city", "city", &self.city, 100)?,
                region: required("region", "region or state", &self.region, 100)?,
                postal_code: postal_code.to_uppercase(),
                country,
                phone: parse_phone("phone", &self.phone)?,
            },
            is_default: self.is_default.as_deref().is_some_and(|v| !v.is_empty() && v != "false"),
        })
    }
}

/// An address as shown in the address book.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub id: i32,
    pub kind: AddressKind,
    #[serde(flatten)]
    pub postal: PostalAddress,
    pub is_default: bool,
}

impl Address {
    /// The form filled with this address, for editing.
    pub fn to_form(&self) -> AddressForm {
        let postal = self.postal.clone();
        AddressForm {
            kind: self.kind.as_str().to_owned(),
            full_name: postal.full_name,
            line1: postal.line1,
            line2: postal.line2.unwrap_or_default(),
            city: postal.city,
            region: postal.region,
            postal_code: postal.postal_code,
            country: postal.country,
            phone: postal.phone.unwrap_or_default(),
            is_default: self.is_default.then(|| "on".to_owned()),
        }
    }
}

/// A signed-in browser of the current user, from session activity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// The activity row's id: session ids never leave the server.
    pub id: i32,
    pub user_agent: String,
    pub client_ip: String,
    /// RFC 3339, UTC.
    pub first_seen: String,
    pub last_seen: String,
    pub is_current: bool,
}

/// The account page's profile section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    /// Whether the person confirmed `email` from the link mailed to it.
    pub email_verified: bool,
    /// A new sign-in address waiting for its confirmation link to be opened.
    pub pending_email: Option<String>,
}

/// Where to send someone after signing in: a path on this site, never another host.
pub fn safe_return_path(next: Option<&str>) -> String {
    match next.map(str::trim) {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control)
                && path.len() <= 512 =>
        {
            path.to_owned()
        }
        _ => "/account".to_owned(),
    }
}

/// What the browser may know about the signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub is_admin: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(Email::parse("  Ada@Example.COM ").unwrap().as_str(), "ada@example.com");
    }

    #[test]
    fn malformed_emails_are_refused_with_an_example() {
        for raw in
            ["", "ada", "ada@", "@example.com", "ada@example", "ada@@example.com", "a da@example.com", "ada@.com"]
        {
            let err = Email::parse(raw).unwrap_err();
            assert!(err.to_string().contains("name@example.com"), "{raw}");
        }
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(65))).is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  Ada Lovelace ").unwrap(), "Ada Lovelace");
        assert!(parse_name("   ").is_err());
        assert!(parse_name(&"n".repeat(101)).is_err());
    }

    #[test]
    fn phones_are_optional_and_shaped_like_numbers() {
        assert_eq!(parse_phone("phone", "  ").unwrap(), None);
        assert_eq!(parse_phone("phone", " +1 (555) 010-2030 ").unwrap().as_deref(), Some("+1 (555) 010-2030"));
        for bad in ["call me", "12345", "+1 555 +2", "555-0100 ext. 5"] {
            assert!(parse_phone("phone", bad).is_err(), "{bad}");
        }
    }

    fn form() -> AddressForm {
        AddressForm {
            kind: "shipping".into(),
            full_name: " Ada Lovelace ".into(),
            line1: "12 St James's Square".into(),
            line2: "".into(),
            city: "London".into(),
            region: "Greater London".into(),
            postal_code: "sw1y 4jh".into(),
            country: "gb".into(),
            phone: "".into(),
            is_default: Some("on".into()),
        }
    }

    #[test]
    fn a_valid_address_is_trimmed_and_normalised() {
        let address = form().validate().unwrap();
        assert_eq!(address.postal.full_name, "Ada Lovelace");
        assert_eq!(address.postal.country, "GB");
        assert_eq!(address.postal.postal_code, "SW1Y 4JH");
        assert_eq!(address.postal.line2, None);
        assert!(address.is_default);
        assert_eq!(address.kind, AddressKind::Shipping);
    }

    #[test]
    fn each_bad_address_field_is_named_in_its_error() {
        type Spoil = fn(&mut AddressForm);
        let cases: [(&str, Spoil); 6] = [
            ("full_name", |f| f.full_name = " ".into()),
            ("line1", |f| f.line1 = "x".repeat(201)),
            ("country", |f| f.country = "Britain".into()),
            ("postal_code", |f| f.postal_code = "<script>".into()),
            ("kind", |f| f.kind = "holiday".into()),
            ("phone", |f| f.phone = "none".into()),
        ];
        for (field, spoil) in cases {
            let mut bad = form();
            spoil(&mut bad);
            match bad.validate() {
                Err(AppError::Validation { field: named, .. }) => assert_eq!(named, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn return_paths_stay_on_this_site() {
        assert_eq!(safe_return_path(Some("/products?page=2")), "/products?page=2");
        for unsafe_path in ["https://evil.example/", "//evil.example", "/\\evil.example", "account", ""] {
            assert_eq!(safe_return_path(Some(unsafe_path)), "/account", "{unsafe_path}");
        }
        assert_eq!(safe_return_path(None), "/account");
    }

    proptest! {
        #[test]
        fn parsed_emails_are_stable_under_reparsing(raw in "[A-Za-z0-9._%+-]{1,20}@[A-Za-z0-9-]{1,20}\\.[A-Za-z]{2,6}") {
            let once = Email::parse(&raw).unwrap();
            prop_assert_eq!(Email::parse(once.as_str()).unwrap(), once.clone());
            prop_assert_eq!(once.as_str(), raw.to_lowercase());
        }
    }
}
