//! `/orders` and `/orders/<number>`: the customer's order history, each order's items,
//! addresses, totals and status timeline, and cancelling while that is still allowed.

use crate::{
    components::{
        cart::TotalsList,
        forms::{FormAlert, Refusal},
        loaded::Loaded,
        order_details::{AddressBlock, OrderItems, StatusTimeline, short_time},
        page_meta::PrivatePage,
        table::{
            Column::{Number, Text},
            DataTable,
        },
    },
    domain::commerce::{OrderDetail, OrderSummary},
    domain::model::Money,
    server_fns::shop::{CancelOrder, get_order, list_orders},
};
use leptos::{form::ActionForm, prelude::*};
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn OrdersPage() -> impl IntoView {
    let orders = Resource::new(|| (), |_| list_orders());
    view! {
        <PrivatePage title="Orders" class="orders">
            <Loaded resource=orders loading="Loading your orders…" sign_in_then="/orders" let:list>
                {if list.is_empty() {
                    view! {
                        <p>"You have not ordered anything yet."</p>
                        <p><a class="button" href="/products">"Browse all products"</a></p>
                    }
                        .into_any()
                } else {
                    view! { <OrderTable list /> }.into_any()
                }}
            </Loaded>
        </PrivatePage>
    }
}

#[component]
fn OrderTable(list: Vec<OrderSummary>) -> impl IntoView {
    view! {
        <DataTable
            class="orders__table"
            columns=&[Text("Order"), Text("Placed"), Text("Status"), Number("Total")]
            items=list
            row=|order: OrderSummary| view! {
                <tr>
                    <th scope="row"><a href=format!("/orders/{}", order.number)>{order.number.clone()}</a></th>
                    <td><time datetime=order.placed_at.clone()>{short_time(&order.placed_at)}</time></td>
                    <td><span class="badge" data-status=order.status.as_str()>{order.status.label()}</span></td>
                    <td class="numeric">{Money::format(order.total_cents, &order.currency)}</td>
                </tr>
            }
        />
    }
}

/// `/orders/<number>`; right after checkout (`?placed=1`) it is the confirmation page.
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let number = move || params.with(|p| p.get("number").unwrap_or_default());
    let just_placed = move || query.with(|q| q.get("placed").is_some());
    let cancel = ServerAction::<CancelOrder>::new();
    let order = Resource::new(move || (number(), cancel.version().get()), |(number, _)| get_order(number));
    view! {
        <Meta name="robots" content="noindex" />
        <Loaded
            resource=order
            loading="Loading the order…"
            sign_in_then=Signal::derive(move || format!("/orders/{}", number()))
            let:order
        >
            <OrderView order just_placed=just_placed() cancel />
        </Loaded>
    }
}

#[component]
fn OrderView(order: OrderDetail, just_placed: bool, cancel: ServerAction<CancelOrder>) -> impl IntoView {
    let number = order.summary.number.clone();
    let currency = order.summary.currency.clone();
    let can_cancel = order.can_cancel();
    let status = order.summary.status;
    let error = Refusal::of(cancel).alert(&[]);
    let heading = if just_placed { "Order confirmed".to_owned() } else { format!("Order {number}") };
    view! {
        <Title text=format!("Order {number}") />
        <article class="order" aria-labelledby="order-heading">
            <h1 id="order-heading">{heading}</h1>
            {just_placed.then(|| view! {
                <p class="order__confirmed" role="status">
                    "Thank you! Your order number is " <strong>{number.clone()}</strong>
                    ". A confirmation e-mail is on its way."
                </p>
            })}
            <p class="order__meta">
                <span class="badge" data-status=status.as_str()>{status.label()}</span>
                " Order " {number.clone()} " · placed "
                <time datetime=order.summary.placed_at.clone()>{short_time(&order.summary.placed_at)}</time>
                " · " {order.payment_method.label()}
                {order.card_last4.clone().map(|last4| format!(" ending in {last4}"))}
            </p>
            <section aria-labelledby="items-heading">
                <h2 id="items-heading">"Items"</h2>
                <OrderItems class="order__items" lines=order.lines.clone() currency=currency.clone() />
                <TotalsList totals=order.totals currency=currency.clone() />
            </section>
            <div class="order__addresses">
                <AddressBlock title="Shipping address" address=order.shipping_address.clone() />
                <AddressBlock title="Billing address" address=order.billing_address.clone() />
            </div>
            <section aria-labelledby="timeline-heading">
                <h2 id="timeline-heading">"Status"</h2>
                <StatusTimeline timeline=order.timeline.clone() />
            </section>
            {can_cancel.then(|| view! {
                <ActionForm action=cancel>
                    <FormAlert error />
                    <input type="hidden" name="number" value=number.clone() />
                    <button type="submit" class="button button--danger" disabled=move || cancel.pending().get()>
                        "Cancel order"
                    </button>
                </ActionForm>
            })}
            <p><a href="/orders">"All orders"</a></p>
        </article>
    }
}
