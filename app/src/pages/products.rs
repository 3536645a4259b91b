use crate::{
    components::{loaded::Loaded, page_meta::PageMeta, product_grid::ProductGrid},
    domain::listing::{CategoryLink, Listing, ListingQuery, SortOrder, page_links},
    server_fns::catalog::{categories, list_products},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/products`: category filter, search, sort and pagination, all in the URL.
#[component]
pub fn ProductsPage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| query.with(|q| (q.get("category"), q.get("q"), q.get("sort"), q.get("page"))));
    let listing =
        Resource::new(move || params.get(), |(category, q, sort, page)| list_products(category, q, sort, page));
    let all_categories = Resource::new(|| (), |()| categories());

    view! {
        // Rendered complete on the server (no client navigation fills it in later).
        <div class="listing">
            <aside class="listing__sidebar">
                // Not a heading: it would precede the page's h1; the nav is named "Categories".
                <p class="listing__sidebar-heading" aria-hidden="true">"Categories"</p>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let current = params.get().0;
                        all_categories.await.map(|list| view! { <CategoryNav categories=list current /> })
                    })}
                </Suspense>
            </aside>
            <section class="listing__results">
                <Loaded resource=listing loading="Loading products…" let:result>
                    <ListingResults listing=result />
                </Loaded>
            </section>
        </div>
    }
}

/// The category tree: top-level categories, each with its subcategories in a nested list.
#[component]
fn CategoryNav(categories: Vec<CategoryLink>, current: Option<String>) -> impl IntoView {
    let item = move |category: &CategoryLink| {
        let selected = current.as_deref() == Some(category.slug.as_str());
        view! {
            <a href={ListingQuery::for_category(&category.slug).href()} aria-current=selected.then_some("page")>
                {category.name.clone()}
                <span class="category-nav__count">{category.product_count}</span>
            </a>
        }
    };
    let tops: Vec<&CategoryLink> = categories.iter().filter(|category| category.parent.is_none()).collect();
    view! {
        <nav aria-label="Categories">
            <ul class="category-nav">
                {tops
                    .into_iter()
                    .map(|top| {
                        let children: Vec<_> = categories
                            .iter()
                            .filter(|child| child.parent.as_ref().is_some_and(|parent| parent.slug == top.slug))
                            .map(|child| view! { <li>{item(child)}</li> })
                            .collect();
                        let nested = (!children.is_empty())
                            .then(|| view! { <ul class="category-nav__children">{children}</ul> });
                        view! { <li>{item(top)} {nested}</li> }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// Home › parent › category, above a category's listing.
#[component]
fn CategoryBreadcrumb(category: CategoryLink) -> impl IntoView {
    let parent = category
        .parent
        .map(|parent| view! { <li><a href={ListingQuery::for_category(&parent.slug).href()}>{parent.name}</a></li> });
    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <ol>
                <li><a href="/">"Home"</a></li>
                {parent}
                <li><span aria-current="page">{category.name}</span></li>
            </ol>
        </nav>
    }
}

#[component]
fn ListingResults(listing: Listing) -> impl IntoView {
    let query = listing.query.clone();
    let search = query.q.clone().filter(|_| query.has_search());
    let (heading, description) = match (&listing.category, &search) {
        (Some(category), None) => (category.name.clone(), category.description.clone()),
        (Some(category), Some(q)) => (
            format!("“{q}” in {}", category.name),
            format!("{} products matching “{q}” in {}.", listing.total, category.name),
        ),
        (None, Some(q)) => (format!("Search results for “{q}”"), format!("{} products matching “{q}”.", listing.total)),
        (None, None) => ("All products".to_owned(), "Every gadget in the shop, newest first.".to_owned()),
    };
    let count_text = match listing.total {
        0 => "No products".to_owned(),
        1 => "1 product".to_owned(),
        n => format!("{n} products"),
    };
    let page_count = listing.page_count();
    let title = if query.page > 1 { format!("{heading} – page {}", query.page) } else { heading.clone() };
    let empty = listing.items.is_empty();

    view! {
        <PageMeta title description path=query.href() />
        <header class="listing__header">
            {listing.category.clone().map(|category| view! { <CategoryBreadcrumb category /> })}
            <h1>{heading}</h1>
            <p class="listing__count" role="status">{count_text}</p>
            <SortForm query=query.clone() />
        </header>
        {if empty {
            view! { <EmptyListing listing=listing.clone() /> }.into_any()
        } else {
            view! {
                <h2 class="visually-hidden">"Products"</h2>
                <ProductGrid products=listing.items.clone() eager=4 />
            }
                .into_any()
        }}
        <Pagination query page_count />
    }
}

/// "Sort by": a GET form that works without JavaScript (the "Apply" button). With it, choosing
/// an option sends the form straight away (back to page 1, since positions change); the form
/// itself is server HTML inside a small island that only listens for the choice.
#[component]
fn SortForm(query: ListingQuery) -> impl IntoView {
    let selected = query.effective_sort();
    let searching = query.has_search();
    view! {
        <SubmitOnChange>
            <form class="sort-form" method="get" action="/products">
                {query.category.clone().map(|category| view! { <input type="hidden" name="category" value=category /> })}
                {query.q.clone().map(|q| view! { <input type="hidden" name="q" value=q /> })}
                <label for="sort">"Sort by"</label>
                <select id="sort" name="sort" data-submit-on-change="">
                    {SortOrder::CHOICES
                        .into_iter()
                        .filter(|sort| searching || *sort != SortOrder::Relevance)
                        .map(|sort| {
                            view! {
                                <option value=sort.as_param() selected=sort == selected>
                                    {sort.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <button type="submit" class="button button--small button--quiet">"Apply"</button>
            </form>
        </SubmitOnChange>
    }
}

/// Sends a `<select data-submit-on-change>`'s form as soon as its choice changes. The form is
/// the island's children (server HTML, never hydrated), so the browser carries no rendering code
/// for it: one listener on the window does the work.
#[island]
fn SubmitOnChange(children: Children) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let handle = window_event_listener(leptos::ev::change, |ev| {
            let Some(select) = ev.target().and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
            else {
                return;
            };
            if select.has_attribute("data-submit-on-change")
                && let Some(form) = select.form()
            {
                let _ = form.submit();
            }
        });
        // The island lives as long as the page.
        std::mem::forget(handle);
    }
    children()
}

#[component]
fn EmptyListing(listing: Listing) -> impl IntoView {
    let query = listing.query;
    let past_the_end = listing.total > 0;
    view! {
        <div class="empty-state">
            {if past_the_end {
                let last = ListingQuery { page: listing.total.div_ceil(crate::domain::listing::PAGE_SIZE) as u32, ..query };
                view! {
                    <h2>"This page is past the end of the list"</h2>
                    <p>
                        <a href=last.href()>"Go to the last page"</a>
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <h2>"No products match"</h2>
                    <p>"Check the spelling, try fewer or shorter words, or browse a category."</p>
                    <p>
                        <a class="button" href="/products">"Browse all products"</a>
                    </p>
                }
                    .into_any()
            }}
        </div>
    }
}

#[component]
fn Pagination(query: ListingQuery, page_count: u32) -> impl IntoView {
    if page_count <= 1 {
        return ().into_any();
    }
    let current = query.page;
    let previous = (current > 1).then(|| query.href_for_page(current.min(page_count + 1) - 1));
    let next = (current < page_count).then(|| query.href_for_page(current + 1));
    view! {
        <nav class="pagination" aria-label="Pagination">
            <ul>
                <li>
                    {match previous {
                        Some(href) => view! { <a href=href rel="prev">"Previous"</a> }.into_any(),
                        None => view! { <span class="pagination__disabled">"Previous"</span> }.into_any(),
                    }}
                </li>
                {page_links(current, page_count)
                    .into_iter()
                    .map(|link| match link {
                        Some(page) => {
                            let label = format!("Page {page}");
                            view! {
                                <li>
                                    <a
                                        href=query.href_for_page(page)
                                        aria-label=label
                                        aria-current=(page == current).then_some("page")
                                    >
                                        {page}
                                    </a>
                                </li>
                            }
                                .into_any()
                        }
                        None => view! { <li class="pagination__gap" aria-hidden="true">"…"</li> }.into_any(),
                    })
                    .collect_view()}
                <li>
                    {match next {
                        Some(href) => view! { <a href=href rel="next">"Next"</a> }.into_any(),
                        None => view! { <span class="pagination__disabled">"Next"</span> }.into_any(),
                    }}
                </li>
            </ul>
        </nav>
    }
    .into_any()
}
