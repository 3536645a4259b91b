//! Plain async functions over a database handle. All SQL lives here, never in server functions.

pub mod accounts;
pub mod activity;
pub mod addresses;
pub mod cart;
pub mod catalog;
pub mod orders;
pub mod outbox;
pub mod timeline;
