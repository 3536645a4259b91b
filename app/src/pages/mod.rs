//! One module per page. Only the storefront's pages (home, listing, product) are in the main
//! wasm module; every other page is a lazy route whose code loads when it is first opened
//! (`cargo leptos --split`), so shoppers download neither the back office nor the metrics page.

pub mod account;
pub mod admin;
pub mod cart;
pub mod home;
pub mod login;
pub mod monitoring;
pub mod not_found;
pub mod orders;
pub mod product;
pub mod products;

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// A route whose view (the page component and everything only it uses) is split into its own
/// wasm chunk.
macro_rules! lazy_page {
    ($route:ident, $page:path) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                use $page as Page;
                view! { <Page /> }.into_any()
            }
        }
    };
}

lazy_page!(AccountRoute, account::AccountPage);
lazy_page!(AdminRoute, admin::AdminPage);
lazy_page!(NewProductRoute, admin::NewProductPage);
lazy_page!(EditProductRoute, admin::EditProductPage);
lazy_page!(AdminOrderRoute, admin::AdminOrderPage);
lazy_page!(CartRoute, cart::CartPage);
lazy_page!(CheckoutRoute, cart::CheckoutPage);
lazy_page!(LoginRoute, login::LoginPage);
lazy_page!(RegisterRoute, login::RegisterPage);
lazy_page!(MonitoringRoute, monitoring::MonitoringPage);
lazy_page!(OrdersRoute, orders::OrdersPage);
lazy_page!(OrderRoute, orders::OrderPage);
