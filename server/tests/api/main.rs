//! HTTP tests: a real server on port 0 per test, over a fresh database, driven by reqwest.

mod helpers;

mod account_mail;
mod accounts;
mod admin;
mod catalog;
mod catalog_api;
mod connections;
mod health;
mod monitoring;
mod page_cache;
mod pages;
mod security;
mod server_functions;
mod shop;
mod shutdown;
mod static_files;
