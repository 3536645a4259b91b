//! The back office's category management: the table, the editor, create, update, reorder,
//! archive, restore and delete. The rules are in `domain::categories`; this applies them in a
//! transaction and tells the catalog caches after each commit.
//!
//! A category holding products is never deleted (archived instead, and the products'
//! foreign key refuses it anyway); archiving takes it out of the shop's navigation, listings
//! and sitemap while its products stay on sale.

use crate::{
    domain::categories::{AdminCategoryRow, CategoryDraft, CategoryEditor, Direction, ParentFacts, check_parent},
    domain::error::AppError,
    domain::model::CategoryRef,
    server::{
        entities::{category, product},
        services::{
            begin_write,
            catalog::{CategoryCount, CountedCategory, counted_categories},
            commit_catalog_write,
        },
    },
};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

/// Every category, archived ones too, in navigation order with how many products (archived
/// ones too) each holds directly. One query.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<AdminCategoryRow>, AppError> {
    let rows = counted_categories(db, CategoryCount::Everything).await?;
    let siblings = |row: &CountedCategory| -> Vec<i32> {
        rows.iter().filter(|other| other.parent_id == row.parent_id).map(|other| other.id).collect()
    };
    Ok(rows
        .iter()
        .map(|row| {
            let order = siblings(row);
            AdminCategoryRow {
                id: row.id,
                name: row.name.clone(),
                slug: row.slug.clone(),
                parent_name: row
                    .parent_id
                    .and_then(|id| rows.iter().find(|parent| parent.id == id))
                    .map(|parent| parent.name.clone()),
                product_count: row.products(),
                archived: row.archived,
                has_previous: order.first() != Some(&row.id),
                has_next: order.last() != Some(&row.id),
            }
        })
        .collect())
}

/// The categories a category may be filed under: top-level, not archived, not `except`.
pub async fn parent_choices(db: &impl ConnectionTrait, except: Option<i32>) -> Result<Vec<CategoryRef>, AppError> {
    let mut select = category::Entity::find()
        .filter(category::Column::ParentId.is_null())
        .filter(category::Column::ArchivedAt.is_null());
    if let Some(id) = except {
        select = select.filter(category::Column::Id.ne(id));
    }
    let rows = select.order_by_asc(category::Column::Position).order_by_asc(category::Column::Id).all(db).await?;
    Ok(rows.into_iter().map(|row| CategoryRef { name: row.name, slug: row.slug }).collect())
}

pub async fn editor(db: &impl ConnectionTrait, id: i32) -> Result<CategoryEditor, AppError> {
    let found = find(db, id).await?;
    let parent = match found.parent_id {
        Some(parent_id) => Some(find(db, parent_id).await?),
        None => None,
    };
    let mut choices = parent_choices(db, Some(id)).await?;
    // An archived parent is no choice for others, but this category is under it.
    if let Some(parent) = parent.as_ref().filter(|parent| parent.archived_at.is_some()) {
        choices.push(CategoryRef { name: format!("{} (archived)", parent.name), slug: parent.slug.clone() });
    }
    Ok(CategoryEditor {
        id: found.id,
        product_count: product_count(db, id).await?,
        child_count: child_count(db, id).await?,
        parent_choices: choices,
        name: found.name,
        slug: found.slug,
        description: found.description,
        parent_slug: parent.map(|parent| parent.slug),
        archived: found.archived_at.is_some(),
    })
}

/// Creates a category at the end of its siblings; returns its id.
pub async fn create(db: &DatabaseConnection, admin_id: i32, draft: &CategoryDraft) -> Result<i32, AppError> {
    let txn = begin_write(db).await?;
    check_unique_slug(&txn, &draft.slug, None).await?;
    let parent_id = resolve_parent(&txn, draft.parent_slug.as_deref(), None).await?;
    let now = Utc::now();
    let inserted = category::ActiveModel {
        name: Set(draft.name.clone()),
        slug: Set(draft.slug.clone()),
        description: Set(draft.description.clone()),
        position: Set(next_position(&txn, parent_id).await?),
        parent_id: Set(parent_id),
        archived_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(slug_clash_or)?;
    commit_catalog_write(txn).await?;
    tracing::info!(admin_id, category_id = inserted.id, slug = %inserted.slug, "category created");
    Ok(inserted.id)
}

/// Saves the editor: name, slug, description and parent. A category that changes parent goes to
/// the end of its new siblings.
pub async fn update(db: &DatabaseConnection, admin_id: i32, id: i32, draft: &CategoryDraft) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let current = find(&txn, id).await?;
    check_unique_slug(&txn, &draft.slug, Some(id)).await?;
    let has_children = child_count(&txn, id).await? > 0;
    let parent_id = resolve_parent(&txn, draft.parent_slug.as_deref(), Some((&current, has_children))).await?;
    let moved = parent_id != current.parent_id;
    let mut row: category::ActiveModel = current.into();
    if moved {
        row.position = Set(next_position(&txn, parent_id).await?);
    }
    row.name = Set(draft.name.clone());
    row.slug = Set(draft.slug.clone());
    row.description = Set(draft.description.clone());
    row.parent_id = Set(parent_id);
    row.updated_at = Set(Utc::now());
    row.update(&txn).await.map_err(slug_clash_or)?;
    commit_catalog_write(txn).await?;
    tracing::info!(admin_id, category_id = id, moved, "category updated");
    Ok(())
}

/// Moves a category one place up or down among its siblings (at either end: nothing to do).
/// The siblings are renumbered 0, 1, 2… in their new order, so equal positions cannot stall it.
pub async fn shift(db: &DatabaseConnection, admin_id: i32, id: i32, direction: Direction) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let current = find(&txn, id).await?;
    let siblings = match current.parent_id {
        Some(parent_id) => category::Column::ParentId.eq(parent_id),
        None => category::Column::ParentId.is_null(),
    };
    let mut order: Vec<category::Model> = category::Entity::find()
        .filter(siblings)
        .order_by_asc(category::Column::Position)
        .order_by_asc(category::Column::Id)
        .all(&txn)
        .await?;
    let Some(at) = order.iter().position(|sibling| sibling.id == id) else {
        return Err(AppError::not_found("That category"));
    };
    let to = match direction {
        Direction::Up => at.checked_sub(1),
        Direction::Down => Some(at + 1).filter(|to| *to < order.len()),
    };
    let Some(to) = to else { return Ok(()) };
    order.swap(at, to);
    let now = Utc::now();
    for (position, sibling) in order.into_iter().enumerate() {
        let position = i32::try_from(position).unwrap_or(i32::MAX);
        if sibling.position != position {
            let mut row: category::ActiveModel = sibling.into();
            row.position = Set(position);
            row.updated_at = Set(now);
            row.update(&txn).await?;
        }
    }
    commit_catalog_write(txn).await?;
    tracing::info!(admin_id, category_id = id, ?direction, "category moved");
    Ok(())
}

/// Archives (takes out of the shop's navigation) or restores a category. A parent is archived
/// after its subcategories, and a subcategory restored after its parent, so the shop never
/// lists a child without its parent.
pub async fn set_archived(db: &DatabaseConnection, admin_id: i32, id: i32, archived: bool) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let current = find(&txn, id).await?;
    if archived {
        let live_children = category::Entity::find()
            .filter(category::Column::ParentId.eq(id))
            .filter(category::Column::ArchivedAt.is_null())
            .count(&txn)
            .await?;
        if live_children > 0 {
            return Err(AppError::conflict("Archive its subcategories first."));
        }
    } else if let Some(parent_id) = current.parent_id
        && find(&txn, parent_id).await?.archived_at.is_some()
    {
        return Err(AppError::conflict("Restore its parent category first."));
    }
    if current.archived_at.is_some() == archived {
        return Ok(());
    }
    let now = Utc::now();
    let mut row: category::ActiveModel = current.into();
    row.archived_at = Set(archived.then_some(now));
    row.updated_at = Set(now);
    row.update(&txn).await?;
    commit_catalog_write(txn).await?;
    tracing::info!(admin_id, category_id = id, archived, "category archive state changed");
    Ok(())
}

/// Deletes a category that holds no products and has no subcategories; anything else is
/// archived instead, so no product ever loses its category.
pub async fn delete(db: &DatabaseConnection, admin_id: i32, id: i32) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    find(&txn, id).await?;
    let products = product_count(&txn, id).await?;
    if products > 0 {
        let noun = if products == 1 { "product" } else { "products" };
        return Err(AppError::conflict(format!("It holds {products} {noun}: archive it instead.")));
    }
    if child_count(&txn, id).await? > 0 {
        return Err(AppError::conflict("It has subcategories: move or delete them first."));
    }
    category::Entity::delete_by_id(id).exec(&txn).await.map_err(|err| match err.sql_err() {
        // A product filed under it between the count and the delete.
        Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_)) => {
            AppError::conflict("It holds products now: archive it instead.")
        }
        _ => err.into(),
    })?;
    commit_catalog_write(txn).await?;
    tracing::info!(admin_id, category_id = id, "category deleted");
    Ok(())
}

async fn find(db: &impl ConnectionTrait, id: i32) -> Result<category::Model, AppError> {
    category::Entity::find_by_id(id).one(db).await?.ok_or_else(|| AppError::not_found("That category"))
}

async fn product_count(db: &impl ConnectionTrait, id: i32) -> Result<u64, AppError> {
    Ok(product::Entity::find().filter(product::Column::CategoryId.eq(id)).count(db).await?)
}

async fn child_count(db: &impl ConnectionTrait, id: i32) -> Result<u64, AppError> {
    Ok(category::Entity::find().filter(category::Column::ParentId.eq(id)).count(db).await?)
}

/// One past the last position among the children of `parent_id` (or the top level).
async fn next_position(db: &impl ConnectionTrait, parent_id: Option<i32>) -> Result<i32, AppError> {
    let siblings = match parent_id {
        Some(parent_id) => category::Column::ParentId.eq(parent_id),
        None => category::Column::ParentId.is_null(),
    };
    let last = category::Entity::find()
        .filter(siblings)
        .select_only()
        .column_as(category::Column::Position.max(), "last")
        .into_tuple::<Option<i32>>()
        .one(db)
        .await?
        .flatten();
    Ok(last.map_or(0, |last| last.saturating_add(1)))
}

/// The id of the parent a form chose, after the one-level nesting rule. `saving`: the category
/// as it is now and whether it has children (`None` while creating one). An archived parent
/// takes no new children, but an archived child may stay under the archived parent it has.
async fn resolve_parent(
    db: &impl ConnectionTrait,
    parent_slug: Option<&str>,
    saving: Option<(&category::Model, bool)>,
) -> Result<Option<i32>, AppError> {
    let Some(slug) = parent_slug else { return Ok(None) };
    let parent = category::Entity::find()
        .filter(category::Column::Slug.eq(slug))
        .one(db)
        .await?
        .ok_or_else(|| AppError::validation("parent", "Choose one of the shop's categories."))?;
    let keeps_its_parent = saving.is_some_and(|(current, _)| current.parent_id == Some(parent.id));
    let facts = ParentFacts {
        id: parent.id,
        has_parent: parent.parent_id.is_some(),
        archived: parent.archived_at.is_some() && !keeps_its_parent,
    };
    let (category, has_children) = saving.map_or((None, false), |(current, children)| (Some(current.id), children));
    check_parent(category, has_children, &facts).map_err(|message| AppError::validation("parent", message))?;
    Ok(Some(parent.id))
}

const SLUG_TAKEN: &str = "Another category already uses this slug.";

async fn check_unique_slug(db: &impl ConnectionTrait, slug: &str, except: Option<i32>) -> Result<(), AppError> {
    let mut clash = category::Entity::find().filter(category::Column::Slug.eq(slug));
    if let Some(id) = except {
        clash = clash.filter(category::Column::Id.ne(id));
    }
    if clash.count(db).await? > 0 { Err(AppError::validation("slug", SLUG_TAKEN)) } else { Ok(()) }
}

/// The unique index can still refuse a slug that passed `check_unique_slug` (two admins at once).
fn slug_clash_or(err: sea_orm::DbErr) -> AppError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::validation("slug", SLUG_TAKEN),
        _ => err.into(),
    }
}
