//! Server functions: thin wrappers that gather context and call a service.

pub mod accounts;
pub mod admin;
pub mod catalog;
pub mod content;
pub mod monitoring;
pub mod shop;
