use crate::domain::error::AppError;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// A page-level error: sets the HTTP status of a server render to the error's status and tells
/// the shopper what happened and where to go next.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(
                axum::http::StatusCode::from_u16(error.status())
                    .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
            );
        }
    }
    let heading = match &error {
        AppError::NotFound { .. } => "Not found",
        AppError::Validation { .. } | AppError::Fields { .. } | AppError::BadRequest { .. } => "We could not show that",
        AppError::Unavailable | AppError::Network => "The shop is unreachable",
        _ => "Something went wrong",
    };
    let message = error.to_string();
    view! {
        <Title text=heading />
        <Meta name="robots" content="noindex" />
        <section class="notice-page" role="alert">
            <h1>{heading}</h1>
            <p>{message}</p>
            <p>
                <a class="button" href="/products">"Browse all products"</a>
            </p>
        </section>
    }
}
