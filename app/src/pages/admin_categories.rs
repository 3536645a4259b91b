//! `/admin/categories` and `/admin/categories/<id>`: the operator creates, renames, nests (one
//! level), reorders, archives, restores and deletes the shop's categories. Every control is a
//! plain form: it posts and the page comes back, with JavaScript or without.

use crate::{
    components::{
        forms::{Choice, Field, FormAlert, FormStatus, Refusal, SelectField, SubmitButton, TextAreaField},
        guards::AdminSubpage,
        loaded::Loaded,
        table::{
            Column::{Number, Text},
            DataTable,
        },
    },
    domain::categories::{
        AdminCategoryRow, CategoryEditor, MAX_CATEGORY_DESCRIPTION_CHARS, MAX_CATEGORY_NAME_CHARS,
        MAX_CATEGORY_SLUG_LEN,
    },
    domain::model::CategoryRef,
    server_fns::admin::{
        ArchiveCategory, DeleteCategory, MoveCategory, SaveCategory, admin_category, admin_category_list,
        admin_category_parents,
    },
};
use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const CATEGORY_FIELDS: [&str; 4] = ["name", "slug", "description", "parent"];
// The limits as the inputs' `maxlength` takes them.
const NAME_MAX: u32 = MAX_CATEGORY_NAME_CHARS as u32;
const SLUG_MAX: u32 = MAX_CATEGORY_SLUG_LEN as u32;
const DESCRIPTION_MAX: u32 = MAX_CATEGORY_DESCRIPTION_CHARS as u32;

/// `/admin/categories`: the tree with its order controls, and the form for a new category.
#[component]
pub fn AdminCategories() -> impl IntoView {
    let shift = ServerAction::<MoveCategory>::new();
    let save = ServerAction::<SaveCategory>::new();
    let rows = Resource::new(|| (), |_| admin_category_list());
    let parents = Resource::new(|| (), |_| admin_category_parents());
    let deleted = use_query_map().with_untracked(|q| q.get_str("deleted").is_some());
    let alert = Refusal::of(shift).alert(&[]);
    view! {
        <AdminSubpage title="Categories" back="/admin" back_label="Admin">
            <h1>"Categories"</h1>
            <p>
                "The shop's navigation shows categories in this order, each subcategory under its parent. "
                "Archived categories stay here and leave the shop; their products stay on sale."
            </p>
            <FormStatus message=Signal::derive(move || deleted.then_some("Category deleted.")) />
            <FormAlert error=alert />
            <section class="admin__section" aria-labelledby="category-list-heading">
                <h2 id="category-list-heading">"All categories"</h2>
                <Loaded resource=rows loading="Loading categories…" let:list>
                    <DataTable
                        class="admin__table"
                        labelled_by="category-list-heading"
                        columns=&[Text("Name"), Text("Slug"), Number("Products"), Text("Status"), Text("Order")]
                        items=list
                        row=move |row: AdminCategoryRow| view! { <CategoryRow row shift /> }
                    />
                </Loaded>
            </section>
            <section class="admin__section" aria-labelledby="new-category-heading">
                <h2 id="new-category-heading">"New category"</h2>
                <Loaded resource=parents let:parents>
                    <CategoryForm save parents editing=None />
                </Loaded>
            </section>
        </AdminSubpage>
    }
}

#[component]
fn CategoryRow(row: AdminCategoryRow, shift: ServerAction<MoveCategory>) -> impl IntoView {
    let (label, class) = match &row.parent_name {
        Some(parent) => (format!("{parent} › {}", row.name), "admin__subcategory"),
        None => (row.name.clone(), ""),
    };
    let mover = move |direction: &'static str, text: &'static str, enabled: bool, name: &str| {
        let label = format!("{text} {name}");
        enabled.then(move || {
            view! {
                <ActionForm action=shift attr:class="admin__inline-form">
                    <input type="hidden" name="id" value=row.id />
                    <input type="hidden" name="direction" value=direction />
                    <button type="submit" class="button button--quiet" aria-label=label>
                        {text}
                    </button>
                </ActionForm>
            }
        })
    };
    view! {
        <tr>
            <th scope="row" class=class>
                <a href=format!("/admin/categories/{}", row.id)>{label}</a>
            </th>
            <td>{row.slug.clone()}</td>
            <td class="numeric">{row.product_count}</td>
            <td><span class="badge">{if row.archived { "Archived" } else { "Listed" }}</span></td>
            <td>
                {mover("up", "Move up", row.has_previous, &row.name)}
                {mover("down", "Move down", row.has_next, &row.name)}
            </td>
        </tr>
    }
}

/// `/admin/categories/<id>`: the editor, archiving and deleting.
#[component]
pub fn EditCategoryPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).and_then(|id| id.parse::<i32>().ok()).unwrap_or(0);
    let save = ServerAction::<SaveCategory>::new();
    let archive = ServerAction::<ArchiveCategory>::new();
    let delete = ServerAction::<DeleteCategory>::new();
    let category = Resource::new(move || (id(), archive.version().get()), |(id, _)| admin_category(id));
    let query = use_query_map();
    let notice = move || {
        query.with(|q| {
            if q.get("created").is_some() {
                Some("Category created.")
            } else if q.get("saved").is_some() {
                Some("Category saved.")
            } else {
                None
            }
        })
    };
    view! {
        <AdminSubpage back="/admin/categories" back_label="All categories">
            <Loaded resource=category loading="Loading the category…" let:category>
                <Title text=format!("Edit {}", category.name) />
                <h1>{format!("Edit {}", category.name)}</h1>
                <FormStatus message=Signal::derive(notice) />
                <CategoryForm save parents=category.parent_choices.clone() editing=Some(category.clone()) />
                <ArchiveCategorySection category=category.clone() archive />
                <DeleteCategorySection category delete />
            </Loaded>
        </AdminSubpage>
    }
}

#[component]
fn CategoryForm(
    save: ServerAction<SaveCategory>,
    parents: Vec<CategoryRef>,
    editing: Option<CategoryEditor>,
) -> impl IntoView {
    let refused = Refusal::of(save);
    let value = |pick: fn(&CategoryEditor) -> String| editing.as_ref().map(pick).unwrap_or_default();
    let (name, slug, description) =
        (value(|c| c.name.clone()), value(|c| c.slug.clone()), value(|c| c.description.clone()));
    let chosen = editing.as_ref().and_then(|c| c.parent_slug.clone()).unwrap_or_default();
    let has_children = editing.as_ref().is_some_and(|c| c.child_count > 0);
    let parent_choices = std::iter::once(Choice::new("", "None: a top-level category", chosen.is_empty()))
        .chain(parents.into_iter().map(|parent| {
            let selected = parent.slug == chosen;
            Choice::new(parent.slug, parent.name, selected)
        }))
        .collect();
    let prefix = if editing.is_some() { "category" } else { "new-category" };
    let button = if editing.is_some() { "Save category" } else { "Create category" };
    view! {
        <ActionForm action=save attr:class="admin__form" attr:aria-label="Category details">
            <FormAlert error=refused.alert(&CATEGORY_FIELDS) />
            {editing.as_ref().map(|c| view! { <input type="hidden" name="id" value=c.id /> })}
            <Field id=format!("{prefix}-name") label="Name" name="name" value=name required=true
                maxlength=NAME_MAX error=refused.field("name") />
            <Field id=format!("{prefix}-slug") label="Slug" name="slug" value=slug
                maxlength=SLUG_MAX
                hint="The listing's address: /products?category=<slug>. Leave blank to make one from the name."
                error=refused.field("slug") />
            <TextAreaField id=format!("{prefix}-description") label="Description" name="description" value=description
                rows=3 maxlength=DESCRIPTION_MAX error=refused.field("description") />
            <SelectField id=format!("{prefix}-parent") label="Parent category" name="parent" choices=parent_choices
                hint=if has_children {
                    "It has subcategories, so it stays at the top level."
                } else {
                    "Categories nest one level: a subcategory's listing also shows in its parent's."
                }
                error=refused.field("parent") />
            <SubmitButton label=button pending=save.pending() />
        </ActionForm>
    }
}

#[component]
fn ArchiveCategorySection(category: CategoryEditor, archive: ServerAction<ArchiveCategory>) -> impl IntoView {
    let alert = Refusal::of(archive).alert(&[]);
    let (text, button) = if category.archived {
        ("This category is archived: the shop does not list it, and its products stay on sale.", "Restore category")
    } else {
        (
            "Archiving takes the category out of the shop's navigation, listings and sitemap. Its products stay on \
             sale and keep it; no product can be moved into it until it is restored.",
            "Archive category",
        )
    };
    view! {
        <section class="admin__section" aria-labelledby="archive-heading">
            <h2 id="archive-heading">"Archive"</h2>
            <p>{text}</p>
            <ActionForm action=archive>
                <FormAlert error=alert />
                <input type="hidden" name="id" value=category.id />
                <input type="hidden" name="archived" value=(!category.archived).to_string() />
                <button type="submit" class="button button--quiet" disabled=move || archive.pending().get()>
                    {button}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn DeleteCategorySection(category: CategoryEditor, delete: ServerAction<DeleteCategory>) -> impl IntoView {
    let alert = Refusal::of(delete).alert(&[]);
    let empty = category.product_count == 0 && category.child_count == 0;
    view! {
        <section class="admin__section" aria-labelledby="delete-heading">
            <h2 id="delete-heading">"Delete"</h2>
            {if empty {
                view! {
                    <p>"It holds no products and no subcategories, so it can be deleted for good."</p>
                    <ActionForm action=delete>
                        <FormAlert error=alert />
                        <input type="hidden" name="id" value=category.id />
                        <button type="submit" class="button button--danger" disabled=move || delete.pending().get()>
                            "Delete category"
                        </button>
                    </ActionForm>
                }
                    .into_any()
            } else {
                let count = |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
                let holds = format!(
                    "It holds {} and {}: a category that holds anything is archived, never deleted.",
                    count(category.product_count, "product", "products"),
                    count(category.child_count, "subcategory", "subcategories"),
                );
                view! { <p>{holds}</p> }
                    .into_any()
            }}
        </section>
    }
}
