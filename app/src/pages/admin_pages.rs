//! `/admin/pages` and `/admin/pages/<slug>`: the operator writes the shop's terms, privacy,
//! returns and contact pages in Markdown (rendered safely: raw HTML is shown as text).

use crate::{
    components::{
        forms::{Field, FormAlert, FormStatus, Refusal, SubmitButton},
        guards::AdminSubpage,
        loaded::Loaded,
    },
    domain::content::{BODY_MAX, ShopPage, page_path},
    server_fns::content::{SaveShopPage, get_shop_page, list_shop_pages},
};
use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn AdminShopPages() -> impl IntoView {
    let pages = Resource::new(|| (), |_| list_shop_pages());
    view! {
        <AdminSubpage title="Shop pages" back="/admin" back_label="Admin">
            <h1>"Shop pages"</h1>
            <p>"The pages linked in every page's footer and at checkout. Write them in Markdown."</p>
            <Loaded resource=pages loading="Loading pages…" let:list>
                <ul class="admin__list">
                    {list.into_iter().map(|page| view! {
                        <li>
                            <a href=format!("/admin/pages/{}", page.slug)>{format!("Edit {}", page.title)}</a>
                            " · "
                            <a href=page_path(&page.slug)>"View"</a>
                        </li>
                    }).collect_view()}
                </ul>
            </Loaded>
        </AdminSubpage>
    }
}

#[component]
pub fn EditShopPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    let saved = use_query_map().with_untracked(|q| q.get_str("saved").is_some());
    let save = ServerAction::<SaveShopPage>::new();
    let page = Resource::new(move || slug.get(), get_shop_page);
    view! {
        <AdminSubpage back="/admin/pages" back_label="All shop pages">
            <Loaded resource=page loading="Loading the page…" let:page>
                <PageEditor page save saved />
            </Loaded>
        </AdminSubpage>
    }
}

#[component]
fn PageEditor(page: ShopPage, save: ServerAction<SaveShopPage>, saved: bool) -> impl IntoView {
    let refused = Refusal::of(save);
    let body_error = refused.field("body");
    let view_path = page_path(&page.slug);
    view! {
        <Title text=format!("Edit {}", page.title) />
        <h1>{format!("Edit {}", page.title)}</h1>
        <FormStatus message=Signal::derive(move || saved.then_some("Page saved.")) />
        <ActionForm action=save>
            <FormAlert error=refused.alert(&["title", "body"]) />
            <input type="hidden" name="slug" value=page.slug.clone() />
            <Field id="page-title".into() label="Title" name="title" required=true maxlength=120
                value=page.title.clone() error=refused.field("title") />
            <div class="field" class:field--invalid=move || body_error.with(Option::is_some)>
                <label for="page-body">"Text (Markdown)"</label>
                <p class="field__hint" id="page-body-hint">
                    "Headings with ##, lists with -, links as [text](/path). HTML is shown as typed, never run."
                </p>
                <textarea id="page-body" name="body" rows="18" maxlength=BODY_MAX.to_string() required
                    aria-invalid=move || body_error.with(Option::is_some).then_some("true")
                    aria-describedby="page-body-hint page-body-error">{page.markdown.clone()}</textarea>
                <p class="field__error" id="page-body-error" hidden=move || body_error.with(Option::is_none)>
                    {move || body_error.get()}
                </p>
            </div>
            <SubmitButton label="Save page" pending=save.pending() />
        </ActionForm>
        <p><a href=view_path>"View the page"</a></p>
    }
}
