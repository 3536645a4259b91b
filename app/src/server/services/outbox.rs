//! The e-mail outbox: every message the shop sends. Whatever causes a message (an order, a
//! status change, a request for a link) writes an outbox row in the same transaction; a worker
//! in the server process drains the rows through SMTP (when `SMTP_URL` is set) or into `.eml`
//! files.
//!
//! Delivery is at-least-once: a row is leased (its attempt counted and its next attempt pushed
//! past the lease) before the message goes out, and marked sent afterwards. A crash in between
//! sends the message again; its fixed Message-ID and file name make the repeat harmless, and the
//! lease keeps two workers (on two replicas) from sending one row at the same time.
//!
//! A message with a single-use link carries the link's token in its row until it is sent or given
//! up, then the token is erased; the token table keeps only its hash. Nothing here logs a token.

use crate::{
    domain::commerce::{OrderDetail, PaymentStatus},
    domain::error::AppError,
    domain::model::Money,
    domain::shop::SHOP_NAME,
    server::{
        entities::{order, outbox_message},
        services::orders::{self, Viewer},
    },
};
use chrono::{DateTime, TimeDelta, Utc};
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use std::{
    fmt,
    path::{Path, PathBuf},
};

/// After this many failed attempts a message is left alone (and logged as an error).
pub const MAX_ATTEMPTS: i32 = 8;
/// How long a worker may take to send one leased message before another may try.
const LEASE: TimeDelta = TimeDelta::seconds(120);
const FIRST_RETRY: TimeDelta = TimeDelta::seconds(30);
const LONGEST_WAIT: TimeDelta = TimeDelta::hours(1);

/// The wait before the next try after `attempts` failures: 30 s, 1 min, 2 min, … capped at an hour.
pub fn retry_delay(attempts: i32) -> TimeDelta {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    let delay = FIRST_RETRY.checked_mul(1 << doublings).unwrap_or(LONGEST_WAIT);
    delay.min(LONGEST_WAIT)
}

/// What a message is about; each kind has its own template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    OrderConfirmation,
    OrderShipped,
    OrderCancelled,
    PasswordReset,
    PasswordChanged,
    VerifyEmail,
    ConfirmEmailChange,
    EmailChanged,
}

impl MailKind {
    pub const ALL: [Self; 8] = [
        Self::OrderConfirmation,
        Self::OrderShipped,
        Self::OrderCancelled,
        Self::PasswordReset,
        Self::PasswordChanged,
        Self::VerifyEmail,
        Self::ConfirmEmailChange,
        Self::EmailChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::OrderConfirmation => "order_confirmation",
            Self::OrderShipped => "order_shipped",
            Self::OrderCancelled => "order_cancelled",
            Self::PasswordReset => "password_reset",
            Self::PasswordChanged => "password_changed",
            Self::VerifyEmail => "verify_email",
            Self::ConfirmEmailChange => "confirm_email_change",
            Self::EmailChanged => "email_changed",
        }
    }

    pub fn parse(kind: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|known| known.as_str() == kind)
    }

    fn is_about_an_order(self) -> bool {
        matches!(self, Self::OrderConfirmation | Self::OrderShipped | Self::OrderCancelled)
    }
}

/// A message to queue. Order messages name the order; account messages the user.
#[derive(Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub kind: MailKind,
    pub recipient: String,
    pub order_id: Option<i32>,
    pub user_id: Option<i32>,
    /// A single-use link's token (password reset, address confirmation).
    pub secret: Option<String>,
    pub detail: Option<String>,
}

impl Outgoing {
    pub fn about_order(kind: MailKind, order_id: i32, user_id: i32, recipient: &str) -> Self {
        Self {
            kind,
            recipient: recipient.to_owned(),
            order_id: Some(order_id),
            user_id: Some(user_id),
            secret: None,
            detail: None,
        }
    }

    pub fn to_user(kind: MailKind, user_id: i32, recipient: &str) -> Self {
        Self {
            kind,
            recipient: recipient.to_owned(),
            order_id: None,
            user_id: Some(user_id),
            secret: None,
            detail: None,
        }
    }
}

/// Queues a message; call it inside the transaction that makes it true.
pub async fn enqueue(db: &impl ConnectionTrait, message: Outgoing, now: DateTime<Utc>) -> Result<(), AppError> {
    outbox_message::ActiveModel {
        kind: Set(message.kind.as_str().to_owned()),
        recipient: Set(message.recipient),
        order_id: Set(message.order_id),
        user_id: Set(message.user_id),
        secret: Set(message.secret),
        detail: Set(message.detail),
        attempts: Set(0),
        next_attempt_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A rendered message, independent of how it is delivered.
#[derive(Clone, PartialEq, Eq)]
pub struct Email {
    /// Fixed per message, so a repeated delivery is recognisably the same message.
    pub message_id: String,
    /// The file name used when writing `.eml` files.
    pub file_stem: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl fmt::Debug for Email {
    // The bodies may hold a single-use link.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Email").field("message_id", &self.message_id).field("subject", &self.subject).finish()
    }
}

/// What every template fills in; `render` turns it into the plain-text and HTML bodies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub paragraphs: Vec<String>,
    /// A button in HTML, a line with the address in plain text.
    pub action: Option<(String, String)>,
    /// Preformatted lines (order items, totals, an address).
    pub details: Vec<String>,
    pub closing: Vec<String>,
}

/// Where links in messages point and how the shop signs them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Branding {
    pub shop_name: String,
    /// `https://shop.example.com`, no trailing slash.
    pub origin: String,
}

impl Branding {
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.origin.trim_end_matches('/'))
    }
}

fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

impl Letter {
    /// The plain-text and HTML bodies, with the shop's name and address around the content.
    pub fn render(&self, brand: &Branding) -> (String, String) {
        let mut text = String::new();
        let mut html = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
             <body style=\"font-family:sans-serif;line-height:1.5;color:#1b2a4a;max-width:36rem\">\
             <h1 style=\"font-size:1.25rem\">{}</h1>",
            escape_html(&self.subject),
            escape_html(&brand.shop_name)
        );
        for paragraph in &self.paragraphs {
            text.push_str(paragraph);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>", escape_html(paragraph)));
        }
        if let Some((label, url)) = &self.action {
            text.push_str(&format!("{label}:\n{url}\n\n"));
            html.push_str(&format!(
                "<p><a href=\"{}\" style=\"display:inline-block;padding:.6rem 1rem;background:#1b2a4a;\
                 color:#fff;text-decoration:none;border-radius:4px\">{}</a></p>\
                 <p style=\"font-size:.875rem\">Or paste this address into your browser: {}</p>",
                escape_html(url),
                escape_html(label),
                escape_html(url)
            ));
        }
        if !self.details.is_empty() {
            html.push_str("<pre style=\"font-family:monospace;white-space:pre-wrap\">");
            for line in &self.details {
                text.push_str(line);
                text.push('\n');
                html.push_str(&escape_html(line));
                html.push('\n');
            }
            text.push('\n');
            html.push_str("</pre>");
        }
        for paragraph in &self.closing {
            text.push_str(paragraph);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>", escape_html(paragraph)));
        }
        text.push_str(&format!("-- \n{}\n{}\n", brand.shop_name, brand.origin));
        html.push_str(&format!(
            "<hr><p style=\"font-size:.875rem\">{} &middot; <a href=\"{}\">{}</a></p></body></html>",
            escape_html(&brand.shop_name),
            escape_html(&brand.origin),
            escape_html(&brand.origin)
        ));
        (text, html)
    }
}

fn order_lines(order: &OrderDetail) -> Vec<String> {
    let currency = &order.summary.currency;
    let money = |cents: i64| Money::format(cents, currency);
    let mut lines = vec!["Items:".to_owned()];
    for line in &order.lines {
        lines.push(format!(
            "  {} x {} ({}) at {} = {}",
            line.quantity,
            line.name,
            line.sku,
            money(line.unit_price_cents),
            money(line.line_total_cents)
        ));
    }
    let totals = &order.totals;
    lines.push(String::new());
    lines.push(format!("Subtotal: {}", money(totals.subtotal_cents)));
    lines.push(format!("Shipping: {}", money(totals.shipping_cents)));
    lines.push(format!("Tax: {}", money(totals.tax_cents)));
    lines.push(format!("Total: {}", money(totals.total_cents)));
    lines.push(format!("Payment: {}", order.payment_method.label()));
    let ship = &order.shipping_address;
    lines.push(String::new());
    lines.push("Shipping to:".to_owned());
    lines.push(format!("  {}", ship.full_name));
    lines.push(format!("  {}", ship.line1));
    if let Some(line2) = &ship.line2 {
        lines.push(format!("  {line2}"));
    }
    lines.push(format!("  {} {} {}", ship.postal_code, ship.city, ship.region));
    lines.push(format!("  {}", ship.country));
    lines
}

/// The order confirmation: number, items, totals and where it goes.
pub fn confirmation_letter(order: &OrderDetail, brand: &Branding) -> Letter {
    let number = &order.summary.number;
    let total = Money::format(order.totals.total_cents, &order.summary.currency);
    Letter {
        subject: format!("Order {number} confirmed - total {total}"),
        paragraphs: vec![format!("Thank you for your order {number}.")],
        action: Some(("Follow your order".into(), brand.link(&format!("/orders/{number}")))),
        details: order_lines(order),
        closing: vec![],
    }
}

pub fn shipped_letter(order: &OrderDetail, brand: &Branding) -> Letter {
    let number = &order.summary.number;
    let tracking = order.tracking_number.as_deref().unwrap_or("not given");
    Letter {
        subject: format!("Order {number} has shipped"),
        paragraphs: vec![format!("Your order {number} is on its way."), format!("Tracking number: {tracking}")],
        action: Some(("Follow your order".into(), brand.link(&format!("/orders/{number}")))),
        details: order_lines(order),
        closing: vec![],
    }
}

pub fn cancelled_letter(order: &OrderDetail, brand: &Branding) -> Letter {
    let number = &order.summary.number;
    let money = Money::format(order.totals.total_cents, &order.summary.currency);
    let payment = match order.payment_status {
        PaymentStatus::Refunded => format!("The {money} you paid will be refunded to your card."),
        _ => "Nothing was charged.".to_owned(),
    };
    Letter {
        subject: format!("Order {number} was cancelled"),
        paragraphs: vec![format!("Your order {number} has been cancelled."), payment],
        action: Some(("See the order".into(), brand.link(&format!("/orders/{number}")))),
        details: vec![],
        closing: vec!["If you did not expect this, reply to this message.".into()],
    }
}

/// Where each link-carrying message points, with the token in the query.
pub fn reset_link(brand: &Branding, token: &str) -> String {
    brand.link(&format!("/reset-password?token={token}"))
}

pub fn confirm_link(brand: &Branding, token: &str) -> String {
    brand.link(&format!("/confirm-email?token={token}"))
}

pub fn password_reset_letter(brand: &Branding, token: &str) -> Letter {
    Letter {
        subject: format!("Choose a new password for {}", brand.shop_name),
        paragraphs: vec![
            "Someone asked to reset the password of your account. If it was you, choose a new \
             password with the link below. It works once, for 30 minutes."
                .into(),
        ],
        action: Some(("Choose a new password".into(), reset_link(brand, token))),
        details: vec![],
        closing: vec!["If it was not you, ignore this message: your password stays as it is.".into()],
    }
}

pub fn password_changed_letter(brand: &Branding) -> Letter {
    Letter {
        subject: format!("Your {} password was changed", brand.shop_name),
        paragraphs: vec![
            "The password of your account was just changed, and every other signed-in browser \
             was signed out."
                .into(),
        ],
        action: Some(("Sign in".into(), brand.link("/login"))),
        details: vec![],
        closing: vec![
            "If you did not do this, choose a new password at once with \"Forgot your password?\" \
             on the sign-in page."
                .into(),
        ],
    }
}

pub fn verify_letter(brand: &Branding, token: &str) -> Letter {
    Letter {
        subject: format!("Confirm your e-mail address for {}", brand.shop_name),
        paragraphs: vec![format!(
            "Welcome to {}. Please confirm that this is your address, so we know our messages reach you.",
            brand.shop_name
        )],
        action: Some(("Confirm my e-mail address".into(), confirm_link(brand, token))),
        details: vec![],
        closing: vec!["If you did not create an account, ignore this message.".into()],
    }
}

pub fn confirm_change_letter(brand: &Branding, token: &str) -> Letter {
    Letter {
        subject: format!("Confirm your new e-mail address for {}", brand.shop_name),
        paragraphs: vec![
            "You asked to sign in with this address from now on. The change takes effect once you \
             confirm it with the link below (valid for 24 hours)."
                .into(),
        ],
        action: Some(("Confirm my new address".into(), confirm_link(brand, token))),
        details: vec![],
        closing: vec!["If you did not ask for this, ignore this message: nothing changes.".into()],
    }
}

pub fn email_changed_letter(brand: &Branding, new_address: &str) -> Letter {
    Letter {
        subject: format!("Your {} sign-in address was changed", brand.shop_name),
        paragraphs: vec![
            format!("Your account now signs in with {new_address}. Messages about it go there from now on."),
            "If you did not make this change, write to us at once through the contact page.".into(),
        ],
        action: Some(("Contact us".into(), brand.link("/pages/contact"))),
        details: vec![],
        closing: vec![],
    }
}

/// Why a delivery failed; kept (shortened) on the outbox row.
#[derive(Debug)]
pub struct DeliveryError(String);

impl fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn failed(context: &str, err: impl fmt::Display) -> DeliveryError {
    DeliveryError(format!("{context}: {err}"))
}

/// How messages leave the shop.
#[derive(Clone)]
enum Transport {
    /// One `.eml` file per message in this folder (created when missing).
    Files(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Where messages go, who sends them, and the shop's address for their links.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    brand: Branding,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.transport {
            Transport::Files(folder) => write!(f, "Mailer::Files({})", folder.display()),
            // The URL may hold a password: never print it.
            Transport::Smtp(_) => f.write_str("Mailer::Smtp"),
        }
    }
}

const DEFAULT_ORIGIN: &str = "http://127.0.0.1:3000";

impl Mailer {
    pub fn files(folder: impl Into<PathBuf>, from: &str) -> Result<Self, String> {
        Ok(Self { transport: Transport::Files(folder.into()), from: parse_sender(from)?, brand: default_brand() })
    }

    /// `smtp://user:pass@host:587` (STARTTLS with `?tls=required`) or `smtps://…` (TLS).
    pub fn smtp(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|err| format!("not a usable SMTP URL ({err})"))?
            .build();
        Ok(Self { transport: Transport::Smtp(transport), from: parse_sender(from)?, brand: default_brand() })
    }

    /// The origin links in messages point to (`PUBLIC_ORIGIN`).
    pub fn with_origin(mut self, origin: &str) -> Self {
        self.brand.origin = origin.trim_end_matches('/').to_owned();
        self
    }

    pub fn brand(&self) -> &Branding {
        &self.brand
    }

    /// The part after `@` of the sender, used in Message-IDs.
    pub fn sender_domain(&self) -> String {
        self.from.email.domain().to_owned()
    }

    pub async fn deliver(&self, email: &Email) -> Result<(), DeliveryError> {
        let message = Message::builder()
            .message_id(Some(email.message_id.clone()))
            .from(self.from.clone())
            .to(email.to.parse().map_err(|err| failed("recipient", err))?)
            .subject(email.subject.clone())
            .multipart(MultiPart::alternative_plain_html(email.text.clone(), email.html.clone()))
            .map_err(|err| failed("composing", err))?;
        match &self.transport {
            Transport::Files(folder) => write_eml(folder, &email.file_stem, &message.formatted()).await,
            Transport::Smtp(transport) => transport.send(message).await.map(drop).map_err(|err| failed("SMTP", err)),
        }
    }
}

fn default_brand() -> Branding {
    Branding { shop_name: SHOP_NAME.to_owned(), origin: DEFAULT_ORIGIN.to_owned() }
}

fn parse_sender(from: &str) -> Result<Mailbox, String> {
    from.parse().map_err(|err| format!("not an e-mail address ({err})"))
}

/// Written to a temporary name and renamed, so a reader never sees half a message and a repeat
/// replaces the earlier copy instead of adding a second one.
async fn write_eml(folder: &Path, stem: &str, bytes: &[u8]) -> Result<(), DeliveryError> {
    tokio::fs::create_dir_all(folder).await.map_err(|err| failed("creating the mail folder", err))?;
    let path = folder.join(format!("{stem}.eml"));
    let partial = folder.join(format!(".{stem}.eml.partial"));
    tokio::fs::write(&partial, bytes).await.map_err(|err| failed("writing the message", err))?;
    tokio::fs::rename(&partial, &path).await.map_err(|err| failed("writing the message", err))
}

/// What one pass over the outbox did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DrainReport {
    pub sent: usize,
    pub failed: usize,
}

/// Sends every message due at `now` (up to `batch`), recording each outcome.
pub async fn deliver_due(
    db: &DatabaseConnection,
    mailer: &Mailer,
    now: DateTime<Utc>,
    batch: u64,
) -> Result<DrainReport, AppError> {
    let due = outbox_message::Entity::find()
        .filter(outbox_message::Column::SentAt.is_null())
        .filter(outbox_message::Column::NextAttemptAt.lte(now))
        .filter(outbox_message::Column::Attempts.lt(MAX_ATTEMPTS))
        .order_by_asc(outbox_message::Column::Id)
        .limit(batch)
        .all(db)
        .await?;
    let mut report = DrainReport::default();
    for row in due {
        if !lease(db, &row, now).await? {
            continue;
        }
        let attempts = row.attempts + 1;
        let outcome = match compose(db, &row, mailer).await {
            Ok(email) => mailer.deliver(&email).await,
            Err(err) => Err(failed("composing", err)),
        };
        let id = row.id;
        match outcome {
            Ok(()) => {
                outbox_message::Entity::update_many()
                    .col_expr(outbox_message::Column::SentAt, Expr::value(Some(now)))
                    .col_expr(outbox_message::Column::LastError, Expr::value(Option::<String>::None))
                    .col_expr(outbox_message::Column::Secret, Expr::value(Option::<String>::None))
                    .filter(outbox_message::Column::Id.eq(id))
                    .exec(db)
                    .await?;
                tracing::info!(outbox_id = id, order_id = row.order_id, kind = %row.kind, attempts, "e-mail sent");
                report.sent += 1;
            }
            Err(err) => {
                let reason: String = err.to_string().chars().take(300).collect();
                let given_up = attempts >= MAX_ATTEMPTS;
                let mut update = outbox_message::Entity::update_many()
                    .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(now + retry_delay(attempts)))
                    .col_expr(outbox_message::Column::LastError, Expr::value(Some(reason)));
                if given_up {
                    // A link nobody will receive must not stay readable in the database.
                    update = update.col_expr(outbox_message::Column::Secret, Expr::value(Option::<String>::None));
                }
                update.filter(outbox_message::Column::Id.eq(id)).exec(db).await?;
                if given_up {
                    tracing::error!(outbox_id = id, order_id = row.order_id, kind = %row.kind, attempts, error = %err, "e-mail given up");
                } else {
                    tracing::warn!(outbox_id = id, order_id = row.order_id, kind = %row.kind, attempts, error = %err, "e-mail failed; will retry");
                }
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

/// Takes the row for this worker: counts the attempt and hides the row for the lease, but only
/// if nobody else took it since it was read.
async fn lease(db: &DatabaseConnection, row: &outbox_message::Model, now: DateTime<Utc>) -> Result<bool, AppError> {
    let taken = outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::Attempts, Expr::col(outbox_message::Column::Attempts).add(1))
        .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(now + LEASE))
        .filter(outbox_message::Column::Id.eq(row.id))
        .filter(outbox_message::Column::Attempts.eq(row.attempts))
        .filter(outbox_message::Column::SentAt.is_null())
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

/// The letter for a row: order messages read the order as it is now, link messages need the
/// token the row carries.
async fn compose(db: &DatabaseConnection, row: &outbox_message::Model, mailer: &Mailer) -> Result<Email, AppError> {
    let kind = MailKind::parse(&row.kind)
        .ok_or_else(|| AppError::internal("e-mail outbox", format!("unknown kind {}", row.kind)))?;
    let brand = mailer.brand();
    let domain = mailer.sender_domain();
    let secret =
        || row.secret.as_deref().ok_or_else(|| AppError::internal("e-mail outbox", "the link's token is gone"));
    if kind.is_about_an_order() {
        let order_id =
            row.order_id.ok_or_else(|| AppError::internal("e-mail outbox", "an order message without an order"))?;
        let placed =
            order::Entity::find_by_id(order_id).one(db).await?.ok_or_else(|| AppError::not_found("That order"))?;
        let detail = orders::detail(db, Viewer { user_id: placed.user_id, is_admin: false }, &placed.number).await?;
        let letter = match kind {
            MailKind::OrderShipped => shipped_letter(&detail, brand),
            MailKind::OrderCancelled => cancelled_letter(&detail, brand),
            _ => confirmation_letter(&detail, brand),
        };
        let number = &placed.number;
        return Ok(email_from(
            &letter,
            brand,
            &row.recipient,
            format!("<{number}.{}@{domain}>", kind.as_str()),
            format!("{number}-{}", kind.as_str()),
        ));
    }
    let letter = match kind {
        MailKind::PasswordReset => password_reset_letter(brand, secret()?),
        MailKind::PasswordChanged => password_changed_letter(brand),
        MailKind::VerifyEmail => verify_letter(brand, secret()?),
        MailKind::ConfirmEmailChange => confirm_change_letter(brand, secret()?),
        _ => email_changed_letter(brand, row.detail.as_deref().unwrap_or("a new address")),
    };
    Ok(email_from(
        &letter,
        brand,
        &row.recipient,
        format!("<m{}.{}@{domain}>", row.id, kind.as_str()),
        format!("{}-{}", kind.as_str(), row.id),
    ))
}

fn email_from(letter: &Letter, brand: &Branding, to: &str, message_id: String, file_stem: String) -> Email {
    let (text, html) = letter.render(brand);
    Email { message_id, file_stem, to: to.to_owned(), subject: letter.subject.clone(), text, html }
}

/// Messages not sent yet and still to be tried, for the readiness of tests and the metrics.
pub async fn pending_count(db: &DatabaseConnection) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(outbox_message::Entity::find()
        .filter(outbox_message::Column::SentAt.is_null())
        .filter(outbox_message::Column::Attempts.lt(MAX_ATTEMPTS))
        .count(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_from_thirty_seconds_to_at_most_an_hour() {
        assert_eq!(retry_delay(1), TimeDelta::seconds(30));
        assert_eq!(retry_delay(2), TimeDelta::seconds(60));
        assert_eq!(retry_delay(4), TimeDelta::seconds(240));
        assert_eq!(retry_delay(8), TimeDelta::hours(1));
        assert_eq!(retry_delay(i32::MAX), TimeDelta::hours(1));
        assert_eq!(retry_delay(0), TimeDelta::seconds(30));
    }

    fn brand() -> Branding {
        Branding { shop_name: "Shop <&>".into(), origin: "https://shop.example".into() }
    }

    #[test]
    fn every_kind_reads_back_from_its_name() {
        for kind in MailKind::ALL {
            assert_eq!(MailKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(MailKind::parse("newsletter"), None);
    }

    #[test]
    fn a_letter_renders_the_same_content_as_text_and_escaped_html() {
        let letter = password_reset_letter(&brand(), "tok_EN-123");
        let (text, html) = letter.render(&brand());
        assert!(text.contains("https://shop.example/reset-password?token=tok_EN-123"), "{text}");
        assert!(html.contains("href=\"https://shop.example/reset-password?token=tok_EN-123\""), "{html}");
        assert!(text.contains("Shop <&>"), "the text part is not escaped");
        assert!(html.contains("Shop &lt;&amp;&gt;") && !html.contains("Shop <&>"), "{html}");
    }

    #[test]
    fn an_address_change_notice_names_the_new_address_and_no_link_token() {
        let (text, _) = email_changed_letter(&brand(), "new@example.com").render(&brand());
        assert!(text.contains("new@example.com"));
        assert!(!text.contains("token="));
    }

    #[test]
    fn debug_output_of_a_message_never_shows_its_body() {
        let (text, html) = verify_letter(&brand(), "secret-token").render(&brand());
        let email = Email {
            message_id: "<m1@x>".into(),
            file_stem: "verify_email-1".into(),
            to: "a@b.c".into(),
            subject: "s".into(),
            text,
            html,
        };
        assert!(!format!("{email:?}").contains("secret-token"));
    }
}
