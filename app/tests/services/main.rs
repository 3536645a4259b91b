//! Service tests against real databases: each test runs on SQLite and on PostgreSQL
//! (PostgreSQL when TEST_DATABASE_URL is set; required under CI).

mod account_mail;
mod accounts;
mod activity;
mod addresses;
mod admin;
mod backup;
mod catalog;
mod categories;
mod listing;
mod orders;
mod schema;
mod sessions;
mod timeline;
