//! The e-mail worker: drains the outbox in this process, woken when an order is placed and
//! polling for retries and for rows other replicas wrote.

use crate::config::MailSettings;
use app::server::{
    services::outbox::{self, Mailer},
    state::OutboxSignal,
};
use sea_orm::DatabaseConnection;
use std::time::Duration;

const POLL: Duration = Duration::from_secs(5);
const BATCH: u64 = 25;

pub fn mailer(settings: &MailSettings) -> Result<Mailer, String> {
    match &settings.smtp_url {
        Some(url) => Mailer::smtp(url, &settings.from),
        None => Mailer::files(&settings.folder, &settings.from),
    }
}

pub async fn run_outbox_worker(db: DatabaseConnection, mailer: Mailer, signal: OutboxSignal) {
    tracing::info!(?mailer, "e-mail worker started");
    loop {
        match outbox::deliver_due(&db, &mailer, chrono::Utc::now(), BATCH).await {
            // A full batch: there may be more waiting.
            Ok(report) if report.sent + report.failed == BATCH as usize => continue,
            Ok(_) => {}
            Err(err) => tracing::error!(error = ?err, "e-mail outbox pass failed"),
        }
        tokio::select! {
            () = signal.0.notified() => {}
            () = tokio::time::sleep(POLL) => {}
        }
    }
}
