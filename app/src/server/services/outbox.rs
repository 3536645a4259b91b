//! The e-mail outbox. Placing an order writes an outbox row in the same transaction; a worker in
//! the server process drains the rows through SMTP (when `SMTP_URL` is set) or into `.eml` files.
//!
//! Delivery is at-least-once: a row is leased (its attempt counted and its next attempt pushed
//! past the lease) before the message goes out, and marked sent afterwards. A crash in between
//! sends the message again; its fixed Message-ID and file name make the repeat harmless, and the
//! lease keeps two workers (on two replicas) from sending one row at the same time.

use crate::{
    commerce::OrderDetail,
    error::AppError,
    model::Money,
    server::{
        entities::{email_outbox, order},
        services::orders::{self, CONFIRMATION_EMAIL, Viewer},
    },
};
use chrono::{DateTime, TimeDelta, Utc};
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
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

/// A rendered message, independent of how it is delivered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    /// Fixed per order and kind, so a repeated delivery is recognisably the same message.
    pub message_id: String,
    /// The file name used when writing `.eml` files.
    pub file_stem: String,
    pub to: String,
    pub subject: String,
    pub text: String,
}

/// The order confirmation: number, items, totals and where it goes.
pub fn confirmation_email(order: &OrderDetail, recipient: &str, sender_domain: &str) -> Email {
    let currency = &order.summary.currency;
    let money = |cents: i64| Money::format(cents, currency);
    let number = &order.summary.number;
    let mut text = format!("Thank you for your order {number}.\n\nItems:\n");
    for line in &order.lines {
        text.push_str(&format!(
            "  {} x {} ({}) at {} = {}\n",
            line.quantity,
            line.name,
            line.sku,
            money(line.unit_price_cents),
            money(line.line_total_cents)
        ));
    }
    let totals = &order.totals;
    text.push_str(&format!(
        "\nSubtotal: {}\nShipping: {}\nTax: {}\nTotal: {}\n",
        money(totals.subtotal_cents),
        money(totals.shipping_cents),
        money(totals.tax_cents),
        money(totals.total_cents)
    ));
    text.push_str(&format!("Payment: {}\n", order.payment_method.label()));
    let ship = &order.shipping_address;
    text.push_str(&format!(
        "\nShipping to:\n  {}\n  {}\n{}  {} {} {}\n  {}\n",
        ship.full_name,
        ship.line1,
        ship.line2.as_deref().map(|line| format!("  {line}\n")).unwrap_or_default(),
        ship.postal_code,
        ship.city,
        ship.region,
        ship.country
    ));
    text.push_str(&format!("\nFollow your order at /orders/{number}.\n"));
    Email {
        message_id: format!("<{number}.{CONFIRMATION_EMAIL}@{sender_domain}>"),
        file_stem: format!("{number}-{CONFIRMATION_EMAIL}"),
        to: recipient.to_owned(),
        subject: format!("Order {number} confirmed - total {}", money(totals.total_cents)),
        text,
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

/// Where messages go.
#[derive(Clone)]
pub enum Mailer {
    /// One `<order>-<kind>.eml` file per message in this folder (created when missing).
    Files {
        folder: PathBuf,
        from: Mailbox,
    },
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Files { folder, .. } => write!(f, "Mailer::Files({})", folder.display()),
            // The URL may hold a password: never print it.
            Self::Smtp { .. } => f.write_str("Mailer::Smtp"),
        }
    }
}

impl Mailer {
    pub fn files(folder: impl Into<PathBuf>, from: &str) -> Result<Self, String> {
        Ok(Self::Files { folder: folder.into(), from: parse_sender(from)? })
    }

    /// `smtp://user:pass@host:587` (STARTTLS with `?tls=required`) or `smtps://…` (TLS).
    pub fn smtp(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|err| format!("not a usable SMTP URL ({err})"))?
            .build();
        Ok(Self::Smtp { transport, from: parse_sender(from)? })
    }

    fn sender(&self) -> &Mailbox {
        match self {
            Self::Files { from, .. } | Self::Smtp { from, .. } => from,
        }
    }

    /// The part after `@` of the sender, used in Message-IDs.
    pub fn sender_domain(&self) -> String {
        self.sender().email.domain().to_owned()
    }

    pub async fn deliver(&self, email: &Email) -> Result<(), DeliveryError> {
        let message = Message::builder()
            .message_id(Some(email.message_id.clone()))
            .from(self.sender().clone())
            .to(email.to.parse().map_err(|err| failed("recipient", err))?)
            .subject(email.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(email.text.clone())
            .map_err(|err| failed("composing", err))?;
        match self {
            Self::Files { folder, .. } => write_eml(folder, &email.file_stem, &message.formatted()).await,
            Self::Smtp { transport, .. } => transport.send(message).await.map(drop).map_err(|err| failed("SMTP", err)),
        }
    }
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
    let due = email_outbox::Entity::find()
        .filter(email_outbox::Column::SentAt.is_null())
        .filter(email_outbox::Column::NextAttemptAt.lte(now))
        .filter(email_outbox::Column::Attempts.lt(MAX_ATTEMPTS))
        .order_by_asc(email_outbox::Column::Id)
        .limit(batch)
        .all(db)
        .await?;
    let mut report = DrainReport::default();
    for row in due {
        if !lease(db, &row, now).await? {
            continue;
        }
        let attempts = row.attempts + 1;
        let outcome = match compose(db, &row, &mailer.sender_domain()).await {
            Ok(email) => mailer.deliver(&email).await,
            Err(err) => Err(failed("composing", err)),
        };
        match outcome {
            Ok(()) => {
                email_outbox::Entity::update_many()
                    .col_expr(email_outbox::Column::SentAt, Expr::value(Some(now)))
                    .col_expr(email_outbox::Column::LastError, Expr::value(Option::<String>::None))
                    .filter(email_outbox::Column::Id.eq(row.id))
                    .exec(db)
                    .await?;
                tracing::info!(outbox_id = row.id, order_id = row.order_id, kind = %row.kind, attempts, "e-mail sent");
                report.sent += 1;
            }
            Err(err) => {
                let reason: String = err.to_string().chars().take(300).collect();
                email_outbox::Entity::update_many()
                    .col_expr(email_outbox::Column::NextAttemptAt, Expr::value(now + retry_delay(attempts)))
                    .col_expr(email_outbox::Column::LastError, Expr::value(Some(reason)))
                    .filter(email_outbox::Column::Id.eq(row.id))
                    .exec(db)
                    .await?;
                if attempts >= MAX_ATTEMPTS {
                    tracing::error!(outbox_id = row.id, order_id = row.order_id, attempts, error = %err, "e-mail given up");
                } else {
                    tracing::warn!(outbox_id = row.id, order_id = row.order_id, attempts, error = %err, "e-mail failed; will retry");
                }
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

/// Takes the row for this worker: counts the attempt and hides the row for the lease, but only
/// if nobody else took it since it was read.
async fn lease(db: &DatabaseConnection, row: &email_outbox::Model, now: DateTime<Utc>) -> Result<bool, AppError> {
    let taken = email_outbox::Entity::update_many()
        .col_expr(email_outbox::Column::Attempts, Expr::col(email_outbox::Column::Attempts).add(1))
        .col_expr(email_outbox::Column::NextAttemptAt, Expr::value(now + LEASE))
        .filter(email_outbox::Column::Id.eq(row.id))
        .filter(email_outbox::Column::Attempts.eq(row.attempts))
        .filter(email_outbox::Column::SentAt.is_null())
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

async fn compose(db: &DatabaseConnection, row: &email_outbox::Model, sender_domain: &str) -> Result<Email, AppError> {
    if row.kind != CONFIRMATION_EMAIL {
        return Err(AppError::internal("e-mail outbox", format!("unknown kind {}", row.kind)));
    }
    let placed = order::Entity::find_by_id(row.order_id).one(db).await?.ok_or_else(|| AppError::not_found("order"))?;
    let detail = orders::detail(db, Viewer { user_id: placed.user_id, is_admin: false }, &placed.number).await?;
    Ok(confirmation_email(&detail, &row.recipient, sender_domain))
}

/// Messages not sent yet and still to be tried, for the readiness of tests and the metrics.
pub async fn pending_count(db: &DatabaseConnection) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    Ok(email_outbox::Entity::find()
        .filter(email_outbox::Column::SentAt.is_null())
        .filter(email_outbox::Column::Attempts.lt(MAX_ATTEMPTS))
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
}
