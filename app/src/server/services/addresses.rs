//! The address book. Every query is scoped to the owner: another user's address id answers
//! 404 exactly like a missing one, so ids cannot be probed.

use crate::{
    domain::accounts::{Address, AddressInput, AddressKind, PostalAddress},
    domain::error::AppError,
    server::entities::address,
};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{Set, Unchanged},
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

/// Enough for any household; bounds what one account can store.
pub const MAX_ADDRESSES: u64 = 50;

fn to_view(row: address::Model) -> Address {
    Address {
        id: row.id,
        kind: row.kind,
        postal: PostalAddress {
            full_name: row.full_name,
            line1: row.line1,
            line2: row.line2,
            city: row.city,
            region: row.region,
            postal_code: row.postal_code,
            country: row.country,
            phone: row.phone,
        },
        is_default: row.is_default,
    }
}

/// The columns an address form sets, stamped as updated now.
fn fields(input: AddressInput) -> address::ActiveModel {
    address::ActiveModel {
        kind: Set(input.kind),
        full_name: Set(input.postal.full_name),
        line1: Set(input.postal.line1),
        line2: Set(input.postal.line2),
        city: Set(input.postal.city),
        region: Set(input.postal.region),
        postal_code: Set(input.postal.postal_code),
        country: Set(input.postal.country),
        phone: Set(input.postal.phone),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
}

/// Shipping first, defaults first, then oldest first.
pub async fn list(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<Address>, AppError> {
    let rows = address::Entity::find()
        .filter(address::Column::UserId.eq(user_id))
        .order_by_desc(address::Column::Kind)
        .order_by_desc(address::Column::IsDefault)
        .order_by_asc(address::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(to_view).collect())
}

pub async fn get(db: &impl ConnectionTrait, user_id: i32, id: i32) -> Result<Address, AppError> {
    owned(db, user_id, id).await.map(to_view)
}

async fn owned(db: &impl ConnectionTrait, user_id: i32, id: i32) -> Result<address::Model, AppError> {
    address::Entity::find_by_id(id)
        .filter(address::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That address"))
}

/// Makes `id` the only default of its kind for the user (inside the caller's transaction).
async fn make_sole_default(
    db: &impl ConnectionTrait,
    user_id: i32,
    kind: AddressKind,
    id: i32,
) -> Result<(), AppError> {
    address::Entity::update_many()
        .col_expr(address::Column::IsDefault, sea_orm::sea_query::Expr::value(false))
        .filter(address::Column::UserId.eq(user_id))
        .filter(address::Column::Kind.eq(kind))
        .filter(address::Column::Id.ne(id))
        .exec(db)
        .await?;
    address::Entity::update_many()
        .col_expr(address::Column::IsDefault, sea_orm::sea_query::Expr::value(true))
        .filter(address::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

async fn has_default(db: &impl ConnectionTrait, user_id: i32, kind: AddressKind) -> Result<bool, AppError> {
    let defaults = address::Entity::find()
        .filter(address::Column::UserId.eq(user_id))
        .filter(address::Column::Kind.eq(kind))
        .filter(address::Column::IsDefault.eq(true))
        .count(db)
        .await?;
    Ok(defaults > 0)
}

/// Adds an address. The first of its kind becomes the default.
pub async fn create(db: &DatabaseConnection, user_id: i32, input: AddressInput) -> Result<Address, AppError> {
    let txn = super::begin_write(db).await?;
    if address::Entity::find().filter(address::Column::UserId.eq(user_id)).count(&txn).await? >= MAX_ADDRESSES {
        return Err(AppError::conflict(format!("An account can keep at most {MAX_ADDRESSES} addresses.")));
    }
    let make_default = input.is_default || !has_default(&txn, user_id, input.kind).await?;
    let kind = input.kind;
    let row = address::ActiveModel {
        user_id: Set(user_id),
        is_default: Set(false),
        created_at: Set(Utc::now()),
        ..fields(input)
    }
    .insert(&txn)
    .await?;
    if make_default {
        make_sole_default(&txn, user_id, kind, row.id).await?;
    }
    let saved = owned(&txn, user_id, row.id).await?;
    txn.commit().await?;
    Ok(to_view(saved))
}

/// Replaces an address's fields. Unticking "default" keeps it the default until another
/// address of the kind takes over: a kind with addresses always has one default.
pub async fn update(db: &DatabaseConnection, user_id: i32, id: i32, input: AddressInput) -> Result<Address, AppError> {
    let txn = super::begin_write(db).await?;
    let existing = owned(&txn, user_id, id).await?;
    let old_kind = existing.kind;
    let (kind, wants_default) = (input.kind, input.is_default);
    address::ActiveModel {
        id: Unchanged(id),
        is_default: Set(existing.is_default && old_kind == kind),
        ..fields(input)
    }
    .update(&txn)
    .await?;
    if wants_default || !has_default(&txn, user_id, kind).await? {
        make_sole_default(&txn, user_id, kind, id).await?;
    }
    if old_kind != kind {
        promote_newest(&txn, user_id, old_kind).await?;
    }
    let saved = owned(&txn, user_id, id).await?;
    txn.commit().await?;
    Ok(to_view(saved))
}

pub async fn set_default(db: &DatabaseConnection, user_id: i32, id: i32) -> Result<Address, AppError> {
    let txn = super::begin_write(db).await?;
    let existing = owned(&txn, user_id, id).await?;
    let kind = existing.kind;
    make_sole_default(&txn, user_id, kind, id).await?;
    let saved = owned(&txn, user_id, id).await?;
    txn.commit().await?;
    Ok(to_view(saved))
}

/// Deletes an address; when it was the default, the newest other address of its kind takes over.
pub async fn delete(db: &DatabaseConnection, user_id: i32, id: i32) -> Result<(), AppError> {
    let txn = super::begin_write(db).await?;
    let existing = owned(&txn, user_id, id).await?;
    address::Entity::delete_by_id(id).exec(&txn).await?;
    if existing.is_default {
        promote_newest(&txn, user_id, existing.kind).await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn promote_newest(db: &impl ConnectionTrait, user_id: i32, kind: AddressKind) -> Result<(), AppError> {
    if has_default(db, user_id, kind).await? {
        return Ok(());
    }
    let newest = address::Entity::find()
        .filter(address::Column::UserId.eq(user_id))
        .filter(address::Column::Kind.eq(kind))
        .order_by_desc(address::Column::Id)
        .one(db)
        .await?;
    if let Some(newest) = newest {
        make_sole_default(db, user_id, kind, newest.id).await?;
    }
    Ok(())
}
