//! Page guards. The server functions behind a page enforce access on their own
//! (`require_user`, `require_admin`); these decide what the page shows and answers instead.

use crate::{
    components::error_notice::ErrorNotice, components::not_found::NotFound, server_fns::accounts::get_current_user,
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// Renders `children` for admins only. Everyone else, signed in or not, gets the ordinary 404
/// page: the back office does not announce itself.
#[component]
pub fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let user = Resource::new(|| (), |_| get_current_user());
    let children = StoredValue::new(children);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) if user.is_admin => children.with_value(|children| children()).into_any(),
                    Ok(_) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A back-office page below `/admin`: admins only (see [`AdminOnly`]), kept out of search
/// indexes, in the narrow layout, with a link back to the list it was opened from. Pages whose
/// title depends on what they load set it themselves.
#[component]
pub fn AdminSubpage(
    #[prop(optional)] title: Option<&'static str>,
    back: &'static str,
    back_label: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    view! {
        {title.map(|text| view! { <Title text /> })}
        <Meta name="robots" content="noindex" />
        <AdminOnly>
            <div class="admin admin--narrow">
                <p><a href=back>{back_label}</a></p>
                {children()}
            </div>
        </AdminOnly>
    }
}
