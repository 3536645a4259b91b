//! Server-only code: application state, database access, entities and services.
//! Nothing here is compiled into the browser build.

pub mod auth;
pub mod backup;
pub mod business_metrics;
pub mod catalog_cache;
pub mod catalog_version;
pub mod database;
pub mod entities;
pub mod hashing;
pub mod markdown;
pub mod monitoring;
pub mod password;
pub mod security;
pub mod seed;
pub mod services;
pub mod session_store;
pub mod state;
#[cfg(feature = "testing")]
pub mod testing;
pub mod user_handoff;
