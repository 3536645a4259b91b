pub mod account;
pub mod admin;
pub mod home;
pub mod login;
pub mod monitoring;
pub mod not_found;
pub mod product;
pub mod products;
