//! The domain layer: the types that cross the wire and the pure rules around them (money,
//! pricing, the order state machine, listing queries, form validation, the one error type).
//! Shared by the server and the browser, with no I/O and no Leptos components: everything else
//! in the crate may import from here, and nothing here imports from anywhere else in the crate.

pub mod accounts;
pub mod admin;
pub mod categories;
pub mod commerce;
pub mod content;
pub mod csv;
pub mod error;
pub mod listing;
pub mod model;
pub mod shop;
