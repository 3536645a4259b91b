//! The CloudScale Commerce HTTP server: configuration, telemetry, routing and lifecycle.
//! UI, server functions and services live in the `app` crate.

pub mod api_v1;
pub mod assets;
pub mod config;
pub mod connections;
pub mod exports;
pub mod health;
pub mod live;
pub mod mail;
pub mod middleware;
pub mod page_cache;
pub mod privacy;
pub mod prometheus;
pub mod security;
pub mod seo;
pub mod sessions;
pub mod startup;
pub mod telemetry;
pub mod uploads;

pub use config::Settings;
pub use startup::{Application, StartupError, shutdown_signal};
