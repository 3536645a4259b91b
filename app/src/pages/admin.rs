//! `/admin`: the operator's overview (admins only). The live metrics page builds on it.

use crate::{
    api::admin::active_users,
    components::{error_notice::ErrorNotice, guards::AdminOnly},
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// Minutes of activity that make someone an "active user".
const ACTIVE_WINDOW_MINUTES: u32 = 5;

#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <Title text="Operations" />
        <Meta name="robots" content="noindex" />
        <AdminOnly>
            <AdminOverview />
        </AdminOnly>
    }
}

#[component]
fn AdminOverview() -> impl IntoView {
    let active = Resource::new(|| (), |_| active_users(ACTIVE_WINDOW_MINUTES));
    view! {
        <section class="admin">
            <h1>"Operations"</h1>
            <Transition fallback=|| view! { <p class="loading" role="status">"Counting active users…"</p> }>
                {move || Suspend::new(async move {
                    match active.await {
                        Ok(count) => view! {
                            <dl class="admin__figures">
                                <dt>"Active users (last " {ACTIVE_WINDOW_MINUTES} " minutes)"</dt>
                                <dd data-testid="active-users">{count}</dd>
                            </dl>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
