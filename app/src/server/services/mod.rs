//! Plain async functions over a database handle. All SQL lives here, never in server functions.

pub mod accounts;
pub mod catalog;
