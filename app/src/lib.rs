//! CloudScale Commerce: the components and server functions shared by the server (`ssr`) and
//! the browser (`hydrate`) builds. Server-only code lives in [`server`].

pub mod accounts;
pub mod admin;
pub mod api;
pub mod app;
pub mod charts;
pub mod commerce;
pub mod components;
pub mod error;
pub mod listing;
pub mod metrics;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod simulator;

pub use app::{App, shell};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes (every page but the storefront's): a page opened directly loads its chunk
    // before hydrating.
    leptos::mount::hydrate_lazy(App);
}
