use crate::{
    domain::commerce::PricingRules,
    domain::error::AppError,
    server::{catalog_cache::CatalogCache, monitoring::SimulatorHandle, password::PasswordHasher},
};
use axum::extract::FromRef;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;

/// Shared by every request. `leptos_routes` provides it as context to server functions and
/// SSR renders; axum handlers get it as `State`.
#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    /// Where browsers reach the shop, for canonical and OpenGraph URLs and the sitemap.
    pub public_origin: String,
    /// Shared by sign-in, registration and password changes, so its permits bound them all.
    pub hasher: PasswordHasher,
    /// The auto-scaling simulator running in this process.
    pub simulator: SimulatorHandle,
    /// Shipping fee, free-shipping threshold and tax rate.
    pub pricing: PricingRules,
    /// Wakes the e-mail worker when an order adds to the outbox.
    pub outbox: OutboxSignal,
    /// The storefront's catalog reads, kept in memory (never read by carts or checkout).
    pub catalog: CatalogCache,
}

/// A nudge for the outbox worker, which otherwise polls.
#[derive(Clone, Debug, Default)]
pub struct OutboxSignal(pub std::sync::Arc<tokio::sync::Notify>);

impl OutboxSignal {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("missing context", "AppState was not provided"))
}

/// The database handle for the current server function or render.
pub fn db() -> Result<DatabaseConnection, AppError> {
    app_state().map(|state| state.db)
}

pub fn catalog_cache() -> Result<CatalogCache, AppError> {
    app_state().map(|state| state.catalog)
}

pub fn hasher() -> Result<PasswordHasher, AppError> {
    app_state().map(|state| state.hasher)
}

pub fn pricing() -> Result<PricingRules, AppError> {
    app_state().map(|state| state.pricing)
}

pub fn simulator() -> Result<SimulatorHandle, AppError> {
    app_state().map(|state| state.simulator)
}

pub fn wake_outbox() {
    if let Ok(state) = app_state() {
        state.outbox.wake();
    }
}
