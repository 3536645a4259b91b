use crate::{
    components::{
        cart::{CartDrawer, CartState},
        layout::{Footer, Header},
    },
    pages::{
        AccountRoute, AdminOrderRoute, AdminRoute, CartRoute, CheckoutRoute, EditProductRoute, LoginRoute,
        MonitoringRoute, NewProductRoute, OrderRoute, OrdersRoute, RegisterRoute, home::HomePage, not_found::NotFound,
        product::ProductPage, products::ProductsPage,
    },
};
use leptos::prelude::*;
use leptos_meta::{Link, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    Lazy, SsrMode,
    components::{Route, Router, Routes},
    path,
};

pub const SHOP_NAME: &str = "CloudScale Commerce";

/// Bumped whenever who is signed in may have changed, so the header asks again.
#[derive(Clone, Copy, Debug)]
pub struct AuthEpoch(pub RwSignal<u32>);

impl AuthEpoch {
    pub fn current() -> Signal<u32> {
        use_context::<Self>().map_or_else(|| Signal::stored(0), |epoch| epoch.0.into())
    }

    /// Asks the header again every time an auth-changing action completes (browser only).
    pub fn refresh_after(version: RwSignal<usize>) {
        let Some(epoch) = use_context::<Self>() else { return };
        Effect::watch(move || version.get(), move |_, _, _| epoch.0.update(|n| *n += 1), false);
    }
}

/// The HTML document around the app: rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1b2a4a" />
                <AutoReload options=options.clone() />
                // Hydrate when the browser is idle, with the JS and wasm fetched at low priority:
                // the page's text and first images are not kept waiting behind them (every form
                // also works as a plain POST before hydration).
                <HydrationScripts options defer=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(AuthEpoch(RwSignal::new(0)));
    CartState::provide();
    // Effects run only in the browser, after hydration: tests and scripts can wait for this.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/cloudscale.css" />
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Title formatter=|page: String| {
            if page.is_empty() { SHOP_NAME.to_owned() } else { format!("{page} · {SHOP_NAME}") }
        } />
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
            <main id="main" class="page">
                <Routes fallback=NotFound>
                    // Async: the server waits for the data, so the HTML is complete without
                    // JavaScript (out-of-order streaming would leave it in <template>s).
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/products") view=ProductsPage ssr=SsrMode::Async />
                    <Route path=path!("/products/:slug") view=ProductPage ssr=SsrMode::Async />
                    // Everything else is code-split: its view loads when the page is first opened.
                    <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/register") view={Lazy::<RegisterRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin") view={Lazy::<AdminRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/products/new") view={Lazy::<NewProductRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/products/:id") view={Lazy::<EditProductRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/admin/orders/:number") view={Lazy::<AdminOrderRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/monitoring") view={Lazy::<MonitoringRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/cart") view={Lazy::<CartRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/checkout") view={Lazy::<CheckoutRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/orders") view={Lazy::<OrdersRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/orders/:number") view={Lazy::<OrderRoute>::new()} ssr=SsrMode::Async />
                </Routes>
            </main>
            <Footer />
            <CartDrawer />
        </Router>
    }
}
