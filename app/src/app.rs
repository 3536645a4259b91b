use crate::{
    components::{
        cart::AddToCartRefusal,
        layout::{Footer, Header},
        not_found::NotFound,
    },
    domain::shop::SHOP_NAME,
    pages::{
        account::AccountPage,
        admin::{AdminOrderPage, AdminPage, EditProductPage, NewProductPage},
        admin_categories::{AdminCategories, EditCategoryPage},
        admin_pages::{AdminShopPages, EditShopPage},
        cart::{CartPage, CheckoutPage},
        home::HomePage,
        login::{LoginPage, RegisterPage},
        monitoring::MonitoringPage,
        orders::{OrderPage, OrdersPage},
        product::ProductPage,
        products::ProductsPage,
        recovery::{ConfirmEmailPage, ForgotPasswordPage, ResetPasswordPage},
        shop_page::ShopPageView,
    },
};
use leptos::prelude::*;
use leptos_meta::{Link, MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// The Speculation Rules of every page (named by its hash in the CSP, like every inline script).
const SPECULATION_RULES: &str = r#"{"prefetch":[{"where":{"and":[{"href_matches":"/*"},{"not":{"href_matches":"/api/*"}},{"not":{"href_matches":"/checkout"}},{"not":{"href_matches":"/admin*"}},{"not":{"href_matches":"/monitoring/stream"}},{"not":{"selector_matches":"[data-no-prefetch]"}}]},"eagerness":"moderate"}]}"#;

/// The HTML document around the app: rendered on the server only. In islands mode the loader
/// waits for the browser to be idle, and only the islands' code is downloaded.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1b2a4a" />
                <AutoReload options=options.clone() />
                <ShellAssets options />
                // Chromium prefetches a same-origin link once the pointer rests on it, so the
                // next page load is nearly instant. Only pages that change nothing when fetched:
                // not checkout (it mints an order key), the back office, or any server function.
                <script type="speculationrules">{SPECULATION_RULES}</script>
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The stylesheet cargo-leptos built (under its content-hashed name) and Leptos's island loader
/// without its two resource hints. The hints (`modulepreload` for the JS, `preload` for the wasm)
/// start a 100 KB download while the page is still painting, which on a slow connection delays
/// the largest paint (Lighthouse counted it in a 0.8 s render delay). The loader itself waits for
/// the browser to be idle, then fetches the JS and the wasm; every island's form works as a plain
/// form until then.
#[component]
fn ShellAssets(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let (stylesheet, loader) = (shell_assets::stylesheet_href(&options), shell_assets::island_loader(&options));
    // The shell is rendered on the server only.
    #[cfg(not(feature = "ssr"))]
    let (stylesheet, loader) = {
        let _ = options;
        (String::new(), String::new())
    };
    view! {
        <link id="leptos" rel="stylesheet" href=stylesheet />
        <script type="module">{loader}</script>
    }
}

/// The shell's asset tags are the same for every page of a build, but Leptos's components read
/// the hash file from disk on each render (two reads per page). They are rendered once per
/// process here; a new build is a new process.
#[cfg(feature = "ssr")]
mod shell_assets {
    use leptos::{WasmSplitManifest, prelude::*};
    use std::sync::OnceLock;

    struct Loader {
        script: String,
        /// Where the lazy chunks are. HydrationScripts provides it to each page it renders (a
        /// lazy island's page preloads its chunk from it); so does this module.
        manifest: Option<WasmSplitManifest>,
    }

    static LOADER: OnceLock<Loader> = OnceLock::new();
    static STYLESHEET: OnceLock<String> = OnceLock::new();

    pub fn island_loader(options: &LeptosOptions) -> String {
        let loader = LOADER.get_or_init(|| {
            // Rendered on a thread of its own: entering another owner on this one would leave the
            // request's reactive arena switched (Owner::with does not set it back).
            std::thread::scope(|scope| scope.spawn(|| render_loader(options)).join()).unwrap_or_else(|_| {
                leptos::logging::error!("rendering Leptos's hydration scripts panicked: islands stay inert");
                Loader { script: String::new(), manifest: None }
            })
        });
        // What HydrationScripts does for each page in islands mode: only islands hydrate, so the
        // rest of the page is rendered without hydration markers.
        if let Some(context) = Owner::current_shared_context() {
            context.set_is_hydrating(false);
        }
        if let Some(manifest) = &loader.manifest {
            provide_context(manifest.clone());
        }
        loader.script.clone()
    }

    fn render_loader(options: &LeptosOptions) -> Loader {
        Owner::new_root(None).with(|| {
            let tags = view! { <HydrationScripts options=options.clone() islands=true /> }.to_html();
            let script = super::island_loader(&tags).unwrap_or_else(|| {
                leptos::logging::error!("no island loader in Leptos's hydration scripts: islands stay inert");
                String::new()
            });
            Loader { script, manifest: use_context::<WasmSplitManifest>() }
        })
    }

    pub fn stylesheet_href(options: &LeptosOptions) -> String {
        STYLESHEET
            .get_or_init(|| {
                let tag = view! { <leptos_meta::HashedStylesheet options=options.clone() /> }.to_html();
                super::attribute(&tag, "href")
                    .unwrap_or_else(|| format!("/{}/{}.css", options.site_pkg_dir, options.output_name))
            })
            .clone()
    }
}

/// The inline module script among the hydration tags.
#[cfg(any(feature = "ssr", test))]
fn island_loader(tags: &str) -> Option<String> {
    let start = tags.find("<script type=\"module\"")?;
    let body = &tags[start..];
    let open_end = body.find('>')? + 1;
    let close = body.find("</script>")?;
    Some(body[open_end..close].to_owned())
}

/// The value of `name="…"` in the first tag of `html`.
#[cfg(any(feature = "ssr", test))]
fn attribute(html: &str, name: &str) -> Option<String> {
    let start = html.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

/// Every page renders on the server; the router only picks the page. Moving between pages is
/// an ordinary page load (prefetched on hover by the Speculation-Rules header).
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Title formatter=|page: String| {
            if page.is_empty() { SHOP_NAME.to_owned() } else { format!("{page} · {SHOP_NAME}") }
        } />
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header />
            <main id="main" class="page">
                <AddToCartRefusal />
                // Async: the server waits for the data, so the HTML is complete without
                // JavaScript (out-of-order streaming would leave it in <template>s).
                <Routes fallback=NotFound>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/products") view=ProductsPage ssr=SsrMode::Async />
                    <Route path=path!("/products/:slug") view=ProductPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/reset-password") view=ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/confirm-email") view=ConfirmEmailPage ssr=SsrMode::Async />
                    <Route path=path!("/pages/:slug") view=ShopPageView ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/products/new") view=NewProductPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/products/:id") view=EditProductPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/orders/:number") view=AdminOrderPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/categories") view=AdminCategories ssr=SsrMode::Async />
                    <Route path=path!("/admin/categories/:id") view=EditCategoryPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/pages") view=AdminShopPages ssr=SsrMode::Async />
                    <Route path=path!("/admin/pages/:slug") view=EditShopPage ssr=SsrMode::Async />
                    <Route path=path!("/monitoring") view=MonitoringPage ssr=SsrMode::Async />
                    <Route path=path!("/cart") view=CartPage ssr=SsrMode::Async />
                    <Route path=path!("/checkout") view=CheckoutPage ssr=SsrMode::Async />
                    <Route path=path!("/orders") view=OrdersPage ssr=SsrMode::Async />
                    <Route path=path!("/orders/:number") view=OrderPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}

#[cfg(test)]
mod tests {
    use super::{attribute, island_loader};

    #[test]
    fn the_island_loader_is_taken_from_the_hydration_tags_without_the_hints() {
        let tags = r#"<link rel="modulepreload" href="/pkg/a.js"><link rel="preload" href="/pkg/a.wasm" as="fetch"><script type="module" nonce="n">((root) => { idle(() => import(root)) })("", "pkg");</script>"#;
        assert_eq!(island_loader(tags).as_deref(), Some(r#"((root) => { idle(() => import(root)) })("", "pkg");"#));
    }

    #[test]
    fn the_stylesheet_address_is_read_from_its_link_tag() {
        let tag = r#"<link rel="stylesheet" href="/pkg/cloudscale.Ab-9.css">"#;
        assert_eq!(attribute(tag, "href").as_deref(), Some("/pkg/cloudscale.Ab-9.css"));
        assert_eq!(attribute(tag, "src"), None);
    }

    #[test]
    fn tags_without_a_module_script_give_no_loader() {
        assert_eq!(island_loader(r#"<link rel="preload" href="/pkg/a.wasm">"#), None);
    }
}
