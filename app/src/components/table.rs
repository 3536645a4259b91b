//! One shape for every list table: a header of column names (numbers aligned right) and a row
//! per item, so the shop's and the back office's tables label their columns the same way.

use leptos::prelude::*;

/// A column heading. Number columns align right, headings and cells alike.
#[derive(Clone, Copy, Debug)]
pub enum Column {
    Text(&'static str),
    Number(&'static str),
}

impl Column {
    fn label(self) -> &'static str {
        match self {
            Self::Text(label) | Self::Number(label) => label,
        }
    }

    fn class(self) -> Option<&'static str> {
        matches!(self, Self::Number(_)).then_some("numeric")
    }
}

/// `<table>` with `columns` as its header and `row(item)` for each of `items`. Name it with
/// `labelled_by` (the id of the heading above it) or `label`.
#[component]
pub fn DataTable<Item, Row, RowView>(
    class: &'static str,
    #[prop(optional)] labelled_by: Option<&'static str>,
    #[prop(optional)] label: Option<&'static str>,
    columns: &'static [Column],
    items: Vec<Item>,
    row: Row,
) -> impl IntoView
where
    Item: 'static,
    Row: Fn(Item) -> RowView + 'static,
    RowView: IntoView + 'static,
{
    view! {
        <table class=class aria-labelledby=labelled_by aria-label=label>
            <thead>
                <tr>
                    {columns
                        .iter()
                        .map(|column| view! { <th scope="col" class=column.class()>{column.label()}</th> })
                        .collect_view()}
                </tr>
            </thead>
            <tbody>{items.into_iter().map(row).collect_view()}</tbody>
        </table>
    }
}
