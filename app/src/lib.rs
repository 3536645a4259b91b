//! CloudScale Commerce: the components and server functions shared by the server (`ssr`) and
//! the browser (`hydrate`) builds. Server-only code lives in [`server`].
//!
//! The layers, lowest first (ARCHITECTURE.md; `tests/layers.rs` fails on an upward import):
//! [`domain`] (pure types and rules), then [`charts`] and, on the server, [`server`] (services
//! and entities), then [`server_fns`], [`components`], [`pages`], and [`app`] (routes, shell).

pub mod app;
pub mod charts;
pub mod components;
pub mod domain;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
pub mod server_fns;

pub use app::{App, shell};

/// Called by Leptos's island loader before it hydrates each `<leptos-island>` on the page.
/// Only the islands' code is in the browser bundle; everything else is plain server HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // The loader hydrates the islands right after this returns, without yielding to the event
    // loop (a lazy island's chunk aside): a zero timeout runs after them. Tests and scripts can
    // wait for this attribute.
    leptos::prelude::set_timeout(
        || {
            if let Some(body) = leptos::prelude::document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        },
        std::time::Duration::ZERO,
    );
}
