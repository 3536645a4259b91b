//! The back office (admins only; everyone else gets the 404 page): `/admin` with the products,
//! orders and customers tables and the simulator controls, the product editor with stock
//! adjustments and its ledger, and the order page with the status transitions.
//!
//! Every form is a plain form first: with JavaScript off it posts and the page comes back;
//! with it on, actions run in place and the tables refetch without a reload.

use crate::{
    components::{
        cart::TotalsList,
        forms::{Choice, Field, FormAlert, FormStatus, Refusal, SelectField, TextAreaField},
        guards::{AdminOnly, AdminSubpage},
        loaded::Loaded,
        order_details::{AddressBlock, OrderItems, StatusTimeline, short_time},
        page_meta::PrivatePageMeta,
        simulator_controls::ControlPanel,
        table::{
            Column::{self, Number, Text},
            DataTable,
        },
    },
    domain::admin::{
        AdminOrderDetail, AdminOrderRow, AdminPage as Page, AdminProductRow, CategoryChoice, CustomerRow,
        MAX_ADMIN_PAGE, ProductEditor, StockMovementView, StockReason, page_count, transition_label,
    },
    domain::commerce::OrderStatus,
    domain::error::AppError,
    domain::listing::encode_query_value,
    domain::model::PageNumber,
    server_fns::admin::{
        AdjustStock, AdvanceOrder, ArchiveProduct, SaveProduct, active_users, admin_categories, admin_customers,
        admin_order, admin_orders, admin_product, admin_products,
    },
};
use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::{
    components::Form,
    hooks::{use_params_map, use_query_map},
    params::ParamsMap,
};

/// Minutes of activity that make someone an "active user".
const ACTIVE_WINDOW_MINUTES: u32 = 5;

/// `/admin?<query>` with `key` set to `value` and every other parameter kept.
fn admin_href(query: &ParamsMap, key: &str, value: &str) -> String {
    let mut pairs: Vec<(String, String)> =
        query.clone().into_iter().filter(|(k, _)| k != key).map(|(k, v)| (k.to_string(), v)).collect();
    pairs.push((key.to_owned(), value.to_owned()));
    let encoded: Vec<String> =
        pairs.iter().map(|(k, v)| format!("{}={}", encode_query_value(k), encode_query_value(v))).collect();
    let section = match key {
        "page" => "products",
        "orders_page" => "orders",
        "customers_page" => "customers",
        _ => "",
    };
    format!("/admin?{}#{section}", encoded.join("&"))
}

/// "Previous / Page N of M / Next" for one table, with `param` as its page parameter.
#[component]
fn Pager(param: &'static str, label: &'static str, page: u32, total: u64) -> impl IntoView {
    let query = use_query_map();
    let pages = page_count(total);
    let href = move |page: u32| query.with_untracked(|q| admin_href(q, param, &page.to_string()));
    view! {
        <nav class="pagination" aria-label=label>
            {(page > 1).then(|| view! { <a href=href(page - 1) rel="prev">"Previous"</a> })}
            <span>{format!("Page {page} of {pages} · {total} in all")}</span>
            {(u64::from(page) < pages).then(|| view! { <a href=href(page + 1) rel="next">"Next"</a> })}
        </nav>
    }
}

/// One page of a back-office table and its pager (`pager`: the page's query parameter and the
/// pager's name), or the `empty` sentence when the page has no rows.
#[component]
fn PagedTable<Row, ToRow, RowView>(
    page: Page<Row>,
    labelled_by: &'static str,
    columns: &'static [Column],
    empty: &'static str,
    pager: (&'static str, &'static str),
    row: ToRow,
) -> impl IntoView
where
    Row: 'static,
    ToRow: Fn(Row) -> RowView + 'static,
    RowView: IntoView + 'static,
{
    if page.items.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    let (param, label) = pager;
    view! {
        <DataTable class="admin__table" labelled_by columns items=page.items row />
        <Pager param label page=page.page total=page.total />
    }
    .into_any()
}

/// A table's page from its query parameter (lenient: a bad value shows the first page).
fn page_param(raw: Option<String>) -> u32 {
    PageNumber::from_query(raw.as_deref(), MAX_ADMIN_PAGE).get()
}

/// `/admin`: the overview with every table.
#[component]
pub fn AdminPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |key: &str| query.with(|q| q.get(key)).filter(|v| !v.trim().is_empty());
    let products =
        Resource::new(move || (param("q"), page_param(param("page"))), |(q, page)| admin_products(q, Some(page)));
    let orders = Resource::new(
        move || (param("status"), page_param(param("orders_page"))),
        |(status, page)| admin_orders(status, Some(page)),
    );
    let customers = Resource::new(move || page_param(param("customers_page")), |page| admin_customers(Some(page)));
    let active = Resource::new(|| (), |_| active_users(ACTIVE_WINDOW_MINUTES));
    view! {
        <PrivatePageMeta title="Admin" />
        <AdminOnly>
            <div class="admin">
                <h1>"Admin"</h1>
                <nav class="admin__nav" aria-label="Admin sections">
                    <a href="#products">"Products"</a>
                    <a href="#orders">"Orders"</a>
                    <a href="#customers">"Customers"</a>
                    <a href="#operations">"Operations"</a>
                    <a href="/admin/categories">"Categories"</a>
                    <a href="/admin/pages">"Shop pages"</a>
                    <a href="/api/docs">"API documentation"</a>
                </nav>
                <ProductsSection products />
                <OrdersSection orders />
                <CustomersSection customers />
                <section class="admin__section" id="operations" aria-labelledby="operations-heading">
                    <h2 id="operations-heading">"Operations"</h2>
                    <Loaded resource=active loading="Counting active users…" let:count>
                        <dl class="admin__figures">
                            <dt>"Active users (last " {ACTIVE_WINDOW_MINUTES} " minutes)"</dt>
                            <dd data-testid="active-users">{count}</dd>
                        </dl>
                    </Loaded>
                    <p><a href="/monitoring">"Live metrics and the auto-scaling simulator"</a></p>
                    <ControlPanel />
                </section>
            </div>
        </AdminOnly>
    }
}

type PageResource<T> = Resource<Result<Page<T>, AppError>>;

#[component]
fn ProductsSection(products: PageResource<AdminProductRow>) -> impl IntoView {
    let query = use_query_map();
    let search = move || query.with(|q| q.get("q")).unwrap_or_default();
    view! {
        <section class="admin__section" id="products" aria-labelledby="products-heading">
            <div class="admin__section-header">
                <h2 id="products-heading">"Products"</h2>
                <div class="admin__actions">
                    <a class="button button--quiet" href="/admin/products.csv" download>
                        "Export CSV"
                    </a>
                    <a class="button" href="/admin/products/new">"New product"</a>
                </div>
            </div>
            <Form method="GET" action="/admin" attr:class="search-form" attr:role="search">
                <label for="admin-product-search">"Search products"</label>
                <input id="admin-product-search" type="search" name="q" maxlength="100" value=search />
                <button type="submit" class="button button--quiet">"Search"</button>
            </Form>
            <Loaded resource=products loading="Loading products…" let:page>
                <PagedTable
                    page
                    labelled_by="products-heading"
                    columns=&[
                        Text("Name"),
                        Text("SKU"),
                        Text("Category"),
                        Number("Price"),
                        Number("Stock"),
                        Text("Status"),
                    ]
                    empty="No products match."
                    pager=("page", "Product pages")
                    row=|row: AdminProductRow| {
                        let status = if row.archived { "Archived" } else if row.active { "Active" } else { "Hidden" };
                        view! {
                            <tr>
                                <th scope="row"><a href=format!("/admin/products/{}", row.id)>{row.name}</a></th>
                                <td>{row.sku}</td>
                                <td>{row.category_name}</td>
                                <td class="numeric">{row.price.to_string()}</td>
                                <td class="numeric">{row.stock}</td>
                                <td><span class="badge">{status}</span></td>
                            </tr>
                        }
                    }
                />
            </Loaded>
        </section>
    }
}

#[component]
fn OrdersSection(orders: PageResource<AdminOrderRow>) -> impl IntoView {
    let query = use_query_map();
    let current = move || query.with(|q| q.get("status")).unwrap_or_default();
    view! {
        <section class="admin__section" id="orders" aria-labelledby="orders-heading">
            <h2 id="orders-heading">"Orders"</h2>
            <Form method="GET" action="/admin" attr:class="search-form">
                <label for="admin-order-status">"Status"</label>
                <select id="admin-order-status" name="status">
                    <option value="" selected=move || current().is_empty()>"All orders"</option>
                    {OrderStatus::ALL
                        .into_iter()
                        .map(|status| view! {
                            <option value=status.as_str() selected=move || current() == status.as_str()>
                                {status.label()}
                            </option>
                        })
                        .collect_view()}
                </select>
                <button type="submit" class="button button--quiet">"Filter"</button>
            </Form>
            <Loaded resource=orders loading="Loading orders…" let:page>
                <PagedTable
                    page
                    labelled_by="orders-heading"
                    columns=&[
                        Text("Order"),
                        Text("Customer"),
                        Text("Placed"),
                        Number("Items"),
                        Text("Status"),
                        Number("Total"),
                    ]
                    empty="No orders here yet."
                    pager=("orders_page", "Order pages")
                    row=|row: AdminOrderRow| view! {
                        <tr>
                            <th scope="row"><a href=format!("/admin/orders/{}", row.number)>{row.number.clone()}</a></th>
                            <td>{row.customer_email}</td>
                            <td><time datetime=row.placed_at.clone()>{short_time(&row.placed_at)}</time></td>
                            <td class="numeric">{row.item_count}</td>
                            <td><span class="badge" data-status=row.status.as_str()>{row.status.label()}</span></td>
                            <td class="numeric">{row.total.to_string()}</td>
                        </tr>
                    }
                />
            </Loaded>
        </section>
    }
}

#[component]
fn CustomersSection(customers: PageResource<CustomerRow>) -> impl IntoView {
    view! {
        <section class="admin__section" id="customers" aria-labelledby="customers-heading">
            <h2 id="customers-heading">"Customers"</h2>
            <Loaded resource=customers loading="Loading customers…" let:page>
                <PagedTable
                    page
                    labelled_by="customers-heading"
                    columns=&[
                        Text("Name"),
                        Text("E-mail"),
                        Text("Role"),
                        Text("E-mail confirmed"),
                        Text("Joined"),
                        Number("Orders"),
                    ]
                    empty="No one has an account yet."
                    pager=("customers_page", "Customer pages")
                    row=|row: CustomerRow| view! {
                        <tr>
                            <th scope="row">{row.name}</th>
                            <td>{row.email}</td>
                            <td>{if row.is_admin { "Admin" } else { "Customer" }}</td>
                            <td>{match (row.deleted, row.email_verified) {
                                (true, _) => "Account deleted",
                                (false, true) => "Yes",
                                (false, false) => "Not yet",
                            }}</td>
                            <td><time datetime=row.joined_at.clone()>{short_time(&row.joined_at)}</time></td>
                            <td class="numeric">{row.order_count}</td>
                        </tr>
                    }
                />
            </Loaded>
        </section>
    }
}

/// `/admin/products/new`.
#[component]
pub fn NewProductPage() -> impl IntoView {
    let save = ServerAction::<SaveProduct>::new();
    let categories = Resource::new(|| (), |_| admin_categories());
    view! {
        <AdminSubpage title="New product" back="/admin#products" back_label="All products">
            <h1>"New product"</h1>
            <Loaded resource=categories loading="Loading…" let:categories>
                <ProductFormView save categories product=None />
            </Loaded>
        </AdminSubpage>
    }
}

/// `/admin/products/<id>`: the editor, the image, stock adjustments and the ledger.
#[component]
pub fn EditProductPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id")).and_then(|id| id.parse::<i32>().ok()).unwrap_or(0);
    let save = ServerAction::<SaveProduct>::new();
    let adjust = ServerAction::<AdjustStock>::new();
    let archive = ServerAction::<ArchiveProduct>::new();
    let categories = Resource::new(|| (), |_| admin_categories());
    let product = Resource::new(
        move || (id(), save.version().get(), adjust.version().get(), archive.version().get()),
        |(id, ..)| admin_product(id),
    );
    let notice = move || {
        query.with(|q| {
            if q.get("created").is_some() {
                Some("Product created.")
            } else if q.get("saved").is_some() {
                Some("Product saved.")
            } else if q.get("image").is_some() {
                Some("Image uploaded.")
            } else {
                None
            }
        })
    };
    let image_error = move || query.with(|q| q.get("image_error")).map(|code| image_error_message(&code));
    view! {
        <AdminSubpage back="/admin#products" back_label="All products">
            <Loaded resource=product loading="Loading the product…" let:product>
                <Title text=format!("Edit {}", product.name) />
                <h1>{product.name.clone()}</h1>
                <FormStatus message=Signal::derive(notice) />
                {
                    let editing = product.clone();
                    view! {
                        <Loaded resource=categories let:categories>
                            <ProductFormView save categories product=Some(editing.clone()) />
                        </Loaded>
                    }
                }
                <ImageSection product=product.clone() error=image_error() />
                <StockSection product=product.clone() adjust />
                <ArchiveSection product archive />
            </Loaded>
        </AdminSubpage>
    }
}

/// The upload handler's error codes, as sentences.
fn image_error_message(code: &str) -> String {
    match code {
        "too_large" => {
            format!("That file is too large: images are limited to {} MB.", crate::domain::admin::MAX_IMAGE_MB)
        }
        "unsupported" => "Upload a PNG, JPEG, WebP or GIF image.".into(),
        "missing" => "Choose an image file first.".into(),
        _ => "The image could not be uploaded; please try again.".into(),
    }
}

const PRODUCT_FIELDS: [&str; 9] =
    ["name", "slug", "sku", "description", "category", "price", "stock", "active", "image_path"];

#[component]
fn ProductFormView(
    save: ServerAction<SaveProduct>,
    categories: Vec<CategoryChoice>,
    product: Option<ProductEditor>,
) -> impl IntoView {
    let refused = Refusal::of(save);
    let alert = refused.alert(&PRODUCT_FIELDS);
    let creating = product.is_none();
    let value = |pick: fn(&ProductEditor) -> String| product.as_ref().map(pick);
    let (name, slug, sku, price, image_path) = (
        value(|p| p.name.clone()).unwrap_or_default(),
        value(|p| p.slug.clone()).unwrap_or_default(),
        value(|p| p.sku.clone()).unwrap_or_default(),
        value(|p| p.price.clone()).unwrap_or_default(),
        value(|p| p.image_path.clone()).unwrap_or_default(),
    );
    let id = product.as_ref().map(|p| p.id);
    let chosen = product.as_ref().map(|p| p.category_slug.clone()).unwrap_or_default();
    let description = product.as_ref().map(|p| p.description.clone()).unwrap_or_default();
    let active = product.as_ref().is_none_or(|p| p.active);
    let category_choices = std::iter::once(Choice::new("", "Choose a category", chosen.is_empty()))
        .chain(categories.into_iter().map(|c| {
            let selected = c.slug == chosen;
            Choice::new(c.slug, c.name, selected)
        }))
        .collect();
    view! {
        <ActionForm action=save attr:class="admin__form" attr:aria-label="Product details">
            <FormAlert error=alert />
            {id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
            <Field id="product-name".into() label="Name" name="name" value=name
                required=true maxlength=200 error=refused.field("name") />
            <Field id="product-slug".into() label="Slug" name="slug" value=slug
                maxlength=120 hint="The product's address: /products/<slug>. Leave blank to make one from the name."
                error=refused.field("slug") />
            <Field id="product-sku".into() label="SKU" name="sku" value=sku
                required=true maxlength=64 error=refused.field("sku") />
            <TextAreaField id="product-description".into() label="Description" name="description" value=description
                rows=5 maxlength=5000 error=refused.field("description") />
            <SelectField id="product-category".into() label="Category" name="category" required=true
                choices=category_choices error=refused.field("category") />
            <Field id="product-price".into() label="Price (USD)" name="price" value=price
                required=true maxlength=16 hint="For example 49.90" error=refused.field("price") />
            {creating.then(|| view! {
                <Field id="product-stock".into() label="Stock" name="stock" input_type="number" value="0".to_owned()
                    hint="Units on hand now. Later changes go through stock adjustments." error=refused.field("stock") />
            })}
            <div class="field field--checkbox">
                <input id="product-active" type="checkbox" name="active" value="on" checked=active />
                <label for="product-active">"Active (shown in the shop)"</label>
            </div>
            <Field id="product-image-path".into() label="Image path" name="image_path"
                value=image_path maxlength=200
                hint="A path the shop serves, such as /images/products/lamp.svg; or upload a file below once saved."
                error=refused.field("image_path") />
            <button type="submit" class="button" disabled=move || save.pending().get()>"Save product"</button>
        </ActionForm>
    }
}

#[component]
fn ImageSection(product: ProductEditor, error: Option<String>) -> impl IntoView {
    view! {
        <section class="admin__section" aria-labelledby="image-heading">
            <h2 id="image-heading">"Image"</h2>
            <img class="admin__image" src=product.image_path.clone() alt=format!("Current image of {}", product.name)
                width=product.image_width height=product.image_height />
            <form method="post" action=format!("/admin/products/{}/image", product.id) enctype="multipart/form-data">
                <p class="form-alert" role="alert" hidden=error.is_none()>{error.clone()}</p>
                <div class="field">
                    <label for="product-image-file">"Image file"</label>
                    <p class="field__hint" id="product-image-hint">
                        "PNG, JPEG, WebP or GIF, up to " {crate::domain::admin::MAX_IMAGE_MB} " MB."
                    </p>
                    <input id="product-image-file" type="file" name="image" required
                        accept="image/png,image/jpeg,image/webp,image/gif" aria-describedby="product-image-hint" />
                </div>
                <button type="submit" class="button button--quiet">"Upload image"</button>
            </form>
        </section>
    }
}

const STOCK_FIELDS: [&str; 3] = ["change", "reason", "note"];

#[component]
fn StockSection(product: ProductEditor, adjust: ServerAction<AdjustStock>) -> impl IntoView {
    let refused = Refusal::of(adjust);
    let alert = refused.alert(&STOCK_FIELDS);
    view! {
        <section class="admin__section" aria-labelledby="stock-heading">
            <h2 id="stock-heading">"Stock"</h2>
            <p><strong data-testid="stock-level">{product.stock}</strong> " in stock"</p>
            <ActionForm action=adjust attr:class="admin__form admin__form--inline" attr:aria-label="Adjust stock">
                <FormAlert error=alert />
                <input type="hidden" name="product_id" value=product.id />
                <Field id="stock-change".into() label="Change" name="change" required=true maxlength=8
                    hint="Units to add, or negative to remove (for example 5 or -2)" error=refused.field("change") />
                <SelectField id="stock-reason".into() label="Reason" name="reason" required=true
                    choices=StockReason::ADJUSTMENTS.into_iter().map(|r| Choice::new(r.as_str(), r.label(), false)).collect()
                    error=refused.field("reason") />
                <Field id="stock-note".into() label="Note" name="note" maxlength=200 error=refused.field("note") />
                <button type="submit" class="button" disabled=move || adjust.pending().get()>"Adjust stock"</button>
            </ActionForm>
            <DataTable
                class="admin__table"
                label="Stock movements"
                columns=&[Text("When"), Text("Reason"), Number("Change"), Number("Stock after"), Text("Note")]
                items=product.ledger
                row=|movement: StockMovementView| {
                    let note = match (&movement.order_number, movement.note.is_empty()) {
                        (Some(number), _) => format!("Order {number}"),
                        (None, false) => movement.note.clone(),
                        (None, true) => String::new(),
                    };
                    view! {
                        <tr>
                            <td><time datetime=movement.at.clone()>{short_time(&movement.at)}</time></td>
                            <td>{movement.reason.label()}</td>
                            <td class="numeric">{format!("{:+}", movement.quantity_change)}</td>
                            <td class="numeric">{movement.stock_after}</td>
                            <td>{note}</td>
                        </tr>
                    }
                }
            />
        </section>
    }
}

#[component]
fn ArchiveSection(product: ProductEditor, archive: ServerAction<ArchiveProduct>) -> impl IntoView {
    let alert = Refusal::of(archive).alert(&[]);
    view! {
        <section class="admin__section" aria-labelledby="archive-heading">
            <h2 id="archive-heading">"Archive"</h2>
            {if product.archived {
                view! {
                    <p>"This product is archived: it is not in the shop, and past orders still show it. "
                       "Tick Active and save to bring it back."</p>
                }.into_any()
            } else {
                view! {
                    <p>"Archiving takes the product out of the shop. It is never deleted, so past orders and "
                       "the stock ledger keep it."</p>
                    <ActionForm action=archive>
                        <FormAlert error=alert />
                        <input type="hidden" name="id" value=product.id />
                        <button type="submit" class="button button--danger" disabled=move || archive.pending().get()>
                            "Archive product"
                        </button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

/// `/admin/orders/<number>`: the order, its history and the buttons for its next statuses.
#[component]
pub fn AdminOrderPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.with(|p| p.get("number").unwrap_or_default());
    let advance = ServerAction::<AdvanceOrder>::new();
    let order = Resource::new(move || (number(), advance.version().get()), |(number, _)| admin_order(number));
    view! {
        <AdminSubpage back="/admin#orders" back_label="All orders">
            <Loaded resource=order loading="Loading the order…" let:detail>
                <AdminOrderView detail advance />
            </Loaded>
        </AdminSubpage>
    }
}

#[component]
fn AdminOrderView(detail: AdminOrderDetail, advance: ServerAction<AdvanceOrder>) -> impl IntoView {
    let next = detail.next_statuses();
    let order = detail.order;
    let number = order.summary.number.clone();
    let currency = order.summary.currency.clone();
    let status = order.summary.status;
    let refused = Refusal::of(advance);
    let tracking_error = refused.field("tracking_number");
    let alert = refused.alert(&["tracking_number"]);
    view! {
        <Title text=format!("Order {number}") />
        <h1>{format!("Order {number}")}</h1>
        <p class="order__meta">
            <span class="badge" data-status=status.as_str() data-testid="order-status">{status.label()}</span>
            " placed " <time datetime=order.summary.placed_at.clone()>{short_time(&order.summary.placed_at)}</time>
            " by " {detail.customer_name} " (" {detail.customer_email} ") · " {order.payment_method.label()}
            " · payment " {order.payment_status.label()}
        </p>
        {order.tracking_number.clone().map(|tracking| view! { <p>"Tracking number: " <strong>{tracking}</strong></p> })}
        <section class="admin__section" aria-labelledby="actions-heading">
            <h2 id="actions-heading">"Next step"</h2>
            <FormAlert error=alert />
            {if next.is_empty() {
                view! { <p>"This order is " {status.label().to_lowercase()} ": nothing more to do."</p> }.into_any()
            } else {
                view! {
                    <div class="admin__actions">
                        {next.into_iter().map(|target| {
                            let number = number.clone();
                            let danger = target == OrderStatus::Cancelled;
                            view! {
                                <ActionForm action=advance attr:class="admin__form admin__form--inline">
                                    <input type="hidden" name="number" value=number />
                                    <input type="hidden" name="to" value=target.as_str() />
                                    {(target == OrderStatus::Shipped).then(|| view! {
                                        <Field id="tracking-number".into() label="Tracking number" name="tracking_number"
                                            required=true maxlength=40 error=tracking_error />
                                    })}
                                    <button type="submit" class="button" class:button--danger=danger
                                        disabled=move || advance.pending().get()>
                                        {transition_label(target)}
                                    </button>
                                </ActionForm>
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
            }}
        </section>
        <section class="admin__section" aria-labelledby="items-heading">
            <h2 id="items-heading">"Items"</h2>
            <OrderItems class="admin__table" lines=order.lines.clone() currency=currency.clone() />
            <TotalsList totals=order.totals currency=currency.clone() />
        </section>
        <AddressBlock title="Shipping address" address=order.shipping_address.clone() />
        <section class="admin__section" aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            <StatusTimeline timeline=order.timeline.clone() />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_links_keep_the_other_tables_parameters() {
        let mut query = ParamsMap::new();
        query.insert("status", "paid".to_owned());
        query.insert("page", "2".to_owned());
        assert_eq!(admin_href(&query, "page", "3"), "/admin?status=paid&page=3#products");
        let href = admin_href(&query, "orders_page", "2");
        assert!(
            href.starts_with("/admin?") && href.contains("status=paid") && href.contains("orders_page=2"),
            "{href}"
        );
        assert!(href.ends_with("#orders"), "{href}");
    }

    #[test]
    fn every_upload_error_code_reads_as_a_sentence() {
        for code in ["too_large", "unsupported", "missing", "other"] {
            assert!(image_error_message(code).ends_with('.'), "{code}");
        }
    }
}
