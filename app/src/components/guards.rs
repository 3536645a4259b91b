//! Page guards. The server functions behind a page enforce access on their own
//! (`require_user`, `require_admin`); these decide what the page shows and answers instead.

use crate::{
    api::accounts::get_current_user, app::AuthEpoch, components::error_notice::ErrorNotice, error::AppError,
    listing::encode_query_value,
};
use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_location};

/// Renders `children` for admins only: visitors are sent to sign in and back, signed-in
/// customers get a 403 notice.
#[component]
pub fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let epoch = AuthEpoch::current();
    let user = Resource::new(move || epoch.get(), |_| get_current_user());
    let location = use_location();
    let children = StoredValue::new(children);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) if user.is_admin => children.with_value(|children| children()).into_any(),
                    Ok(Some(_)) => view! { <ErrorNotice error=AppError::Forbidden /> }.into_any(),
                    Ok(None) => {
                        let next = encode_query_value(&location.pathname.get_untracked());
                        view! { <Redirect path=format!("/login?next={next}") /> }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
