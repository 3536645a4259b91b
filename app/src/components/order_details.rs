//! Pieces of an order that the customer's order page and the back office both show.

use crate::{
    components::table::{
        Column::{Number, Text},
        DataTable,
    },
    domain::{
        accounts::PostalAddress,
        commerce::{OrderLine, StatusChange},
        model::Money,
    },
};
use leptos::prelude::*;

/// `2026-11-23T14:05:09.123+00:00` → `2026-11-23 14:05 UTC` (stored times are UTC).
pub fn short_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => rfc3339.to_owned(),
    }
}

/// An order's status changes, oldest first, with their notes.
#[component]
pub fn StatusTimeline(timeline: Vec<StatusChange>) -> impl IntoView {
    view! {
        <ol class="order__timeline">
            {timeline
                .into_iter()
                .map(|change| view! {
                    <li>
                        <strong>{change.status.label()}</strong>
                        " " <time datetime=change.at.clone()>{short_time(&change.at)}</time>
                        {(!change.note.is_empty()).then(|| format!(" — {}", change.note))}
                    </li>
                })
                .collect_view()}
        </ol>
    }
}

#[component]
pub fn AddressBlock(title: &'static str, address: PostalAddress) -> impl IntoView {
    view! {
        <section class="order__address">
            <h2>{title}</h2>
            <address>
                {address.full_name}<br />
                {address.line1}<br />
                {address.line2.map(|line| view! { {line}<br /> })}
                {format!("{} {} {}", address.postal_code, address.city, address.region)}<br />
                {address.country}
            </address>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::short_time;

    #[test]
    fn order_times_show_date_and_minutes_in_utc() {
        assert_eq!(short_time("2026-11-23T14:05:09.123456+00:00"), "2026-11-23 14:05 UTC");
        assert_eq!(short_time("garbage"), "garbage");
    }
}

/// An order's lines: what was bought, at what unit price, how many, and the line's total.
#[component]
pub fn OrderItems(class: &'static str, lines: Vec<OrderLine>, currency: String) -> impl IntoView {
    view! {
        <DataTable
            class
            columns=&[Text("Product"), Text("SKU"), Number("Price"), Number("Quantity"), Number("Total")]
            items=lines
            row=move |line: OrderLine| view! {
                <tr>
                    <th scope="row">{line.name}</th>
                    <td>{line.sku}</td>
                    <td class="numeric">{Money::format(line.unit_price_cents, &currency)}</td>
                    <td class="numeric">{line.quantity}</td>
                    <td class="numeric">{Money::format(line.line_total_cents, &currency)}</td>
                </tr>
            }
        />
    }
}
