//! The one way a page waits for its data: a loading line while it comes, the content when it
//! arrives, and the page-level error notice when it fails (or, for a signed-out visitor on a
//! page that needs an account, the sign-in page).

use crate::{
    components::error_notice::ErrorNotice,
    domain::{error::AppError, listing::encode_query_value},
};
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// Renders `children` with the resource's value once it has loaded.
#[component]
pub fn Loaded<T, V, F>(
    /// A server function's result.
    resource: Resource<Result<T, AppError>>,
    /// What the loading line says ("Loading your orders…"); none for a quiet part of a page.
    #[prop(optional)]
    loading: Option<&'static str>,
    /// The path to come back to after signing in, for data that needs an account: a signed-out
    /// visitor is sent to sign in instead of being shown an error.
    #[prop(optional, into)]
    sign_in_then: MaybeProp<String>,
    children: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
{
    let children = StoredValue::new(children);
    view! {
        <Transition fallback=move || loading.map(|text| view! { <p class="loading" role="status">{text}</p> })>
            {move || Suspend::new(async move {
                match resource.await {
                    Ok(value) => children.with_value(|render| render(value)).into_any(),
                    Err(error) => match (error, sign_in_then.get_untracked()) {
                        (AppError::Unauthorized, Some(path)) => {
                            view! { <Redirect path=format!("/login?next={}", encode_query_value(&path)) /> }.into_any()
                        }
                        (error, _) => view! { <ErrorNotice error /> }.into_any(),
                    },
                }
            })}
        </Transition>
    }
}
