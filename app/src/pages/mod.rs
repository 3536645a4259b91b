//! One module per page. Pages are server-rendered HTML; what is interactive in the browser is
//! an island (`#[island]`) in `components/` or in the page's module, and only islands' code is
//! in the browser bundle.

pub mod account;
pub mod admin;
pub mod admin_categories;
pub mod admin_pages;
pub mod cart;
pub mod home;
pub mod login;
pub mod monitoring;
pub mod orders;
pub mod product;
pub mod products;
pub mod recovery;
pub mod shop_page;
