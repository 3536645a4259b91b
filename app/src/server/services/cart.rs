//! Carts. Prices and stock are always read from the products table; the client only ever says
//! which product and how many.

use crate::domain::shop::CURRENCY;
use crate::{
    domain::commerce::{CartLine, CartView, PricingRules, allowed_quantity, merged_quantity},
    domain::error::AppError,
    server::entities::{cart, cart_item, product, user},
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

/// Whose cart: a signed-in user's, or a guest's by session id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CartOwner {
    User(i32),
    Guest(String),
}

async fn find_cart(db: &impl ConnectionTrait, owner: &CartOwner) -> Result<Option<cart::Model>, AppError> {
    let query = match owner {
        CartOwner::User(id) => cart::Entity::find().filter(cart::Column::UserId.eq(*id)),
        CartOwner::Guest(key) => cart::Entity::find().filter(cart::Column::SessionKey.eq(key.as_str())),
    };
    Ok(query.one(db).await?)
}

async fn ensure_cart(db: &impl ConnectionTrait, owner: &CartOwner) -> Result<cart::Model, AppError> {
    if let Some(cart) = find_cart(db, owner).await? {
        return Ok(cart);
    }
    let now = Utc::now();
    let (user_id, session_key, owner_column) = match owner {
        CartOwner::User(id) => (Some(*id), None, cart::Column::UserId),
        CartOwner::Guest(key) => (None, Some(key.clone()), cart::Column::SessionKey),
    };
    // Two first adds at once: one inserts, the other finds the row already there.
    cart::Entity::insert(cart::ActiveModel {
        user_id: Set(user_id),
        session_key: Set(session_key),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([owner_column])
    .exec_without_returning(db)
    .await?;
    find_cart(db, owner).await?.ok_or_else(|| AppError::internal("cart", "the cart just created is missing"))
}

/// The cart's lines in the order they were added, priced now.
pub async fn lines(
    db: &impl ConnectionTrait,
    cart_id: i32,
) -> Result<Vec<(cart_item::Model, product::Model)>, AppError> {
    let rows = cart_item::Entity::find()
        .filter(cart_item::Column::CartId.eq(cart_id))
        .find_also_related(product::Entity)
        .order_by_asc(cart_item::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|(item, product)| product.map(|p| (item, p))).collect())
}

/// The cart as the shopper sees it; an owner without a cart has an empty one.
pub async fn view(db: &impl ConnectionTrait, owner: &CartOwner, rules: &PricingRules) -> Result<CartView, AppError> {
    let Some(cart) = find_cart(db, owner).await? else {
        return Ok(CartView::empty());
    };
    let rows = lines(db, cart.id).await?;
    let currency = rows.first().map_or_else(|| CURRENCY.to_owned(), |(_, p)| p.currency.clone());
    let lines: Vec<CartLine> = rows
        .into_iter()
        .map(|(item, product)| CartLine {
            product_id: product.id,
            slug: product.slug,
            name: product.name,
            sku: product.sku,
            image_path: product.image_path,
            unit_price_cents: product.price_cents,
            quantity: item.quantity,
            stock: if product.active { product.stock } else { 0 },
            line_total_cents: product.price_cents * i64::from(item.quantity),
        })
        .collect();
    let totals = rules.totals(lines.iter().map(|line| (line.unit_price_cents, line.quantity)));
    Ok(CartView { lines, totals, currency })
}

/// How many units the cart holds (the header's "Cart (N)"), without loading its lines: one
/// query on every signed-in page, so the cart is found by a subquery rather than a round trip.
pub async fn item_count(db: &impl ConnectionTrait, owner: &CartOwner) -> Result<i32, AppError> {
    let owners_cart = sea_orm::sea_query::Query::select()
        .column(cart::Column::Id)
        .from(cart::Entity)
        .and_where(match owner {
            CartOwner::User(id) => cart::Column::UserId.eq(*id),
            CartOwner::Guest(key) => cart::Column::SessionKey.eq(key.as_str()),
        })
        .to_owned();
    let total: Option<Option<i64>> = cart_item::Entity::find()
        .select_only()
        .column_as(cart_item::Column::Quantity.sum(), "total")
        .filter(cart_item::Column::CartId.in_subquery(owners_cart))
        .into_tuple()
        .one(db)
        .await?;
    Ok(total.flatten().map_or(0, |total| i32::try_from(total).unwrap_or(i32::MAX)))
}

/// The units in the cart of the user in the query's joined `users` row, as an expression: the
/// session store reads it with a signed-in session, so the header's count costs no round trip
/// of its own. Same rule as [`item_count`].
pub fn units_of_joined_user() -> sea_orm::sea_query::Expr {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let users_cart = Query::select()
        .column((cart::Entity, cart::Column::Id))
        .from(cart::Entity)
        .and_where(Expr::col((cart::Entity, cart::Column::UserId)).equals((user::Entity, user::Column::Id)))
        .to_owned();
    Query::select()
        .expr(cart_item::Column::Quantity.sum())
        .from(cart_item::Entity)
        .and_where(Expr::col((cart_item::Entity, cart_item::Column::CartId)).in_subquery(users_cart))
        .to_owned()
        .into()
}

async fn sellable_product(db: &impl ConnectionTrait, product_id: i32) -> Result<product::Model, AppError> {
    product::Entity::find_by_id(product_id)
        .filter(product::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That product"))
}

/// Adds `quantity` of a product (to what the cart already holds).
pub async fn add(db: &DatabaseConnection, owner: &CartOwner, product_id: i32, quantity: i32) -> Result<(), AppError> {
    if quantity < 1 {
        return Err(AppError::validation("quantity", "The quantity must be at least 1."));
    }
    let txn = super::begin_write(db).await?;
    let product = sellable_product(&txn, product_id).await?;
    let cart = ensure_cart(&txn, owner).await?;
    let existing = item(&txn, cart.id, product_id).await?;
    let held = existing.as_ref().map_or(0, |item| item.quantity);
    let wanted = allowed_quantity(held.saturating_add(quantity), product.stock).map_err(|err| match err {
        AppError::Validation { .. } if held > 0 => AppError::validation(
            "quantity",
            format!("Your cart already holds {held}. At most {} can be ordered.", product.stock.min(99)),
        ),
        other => other,
    })?;
    let now = Utc::now();
    match existing {
        Some(item) => {
            let mut item: cart_item::ActiveModel = item.into();
            item.quantity = Set(wanted);
            item.updated_at = Set(now);
            item.update(&txn).await?;
        }
        None => {
            insert_line(&txn, cart.id, product_id, wanted, now).await?;
        }
    }
    txn.commit().await?;
    crate::server::business_metrics::BUSINESS.added_to_cart();
    Ok(())
}

async fn item(db: &impl ConnectionTrait, cart_id: i32, product_id: i32) -> Result<Option<cart_item::Model>, AppError> {
    Ok(cart_item::Entity::find()
        .filter(cart_item::Column::CartId.eq(cart_id))
        .filter(cart_item::Column::ProductId.eq(product_id))
        .one(db)
        .await?)
}

/// Sets a line's quantity (1 to the stock, at most 99).
pub async fn set_quantity(
    db: &impl ConnectionTrait,
    owner: &CartOwner,
    product_id: i32,
    quantity: i32,
) -> Result<(), AppError> {
    let cart = find_cart(db, owner).await?.ok_or_else(|| AppError::not_found("That cart line"))?;
    let line = item(db, cart.id, product_id).await?.ok_or_else(|| AppError::not_found("That cart line"))?;
    let product = sellable_product(db, product_id).await?;
    let quantity = allowed_quantity(quantity, product.stock)?;
    let mut line: cart_item::ActiveModel = line.into();
    line.quantity = Set(quantity);
    line.updated_at = Set(Utc::now());
    line.update(db).await?;
    Ok(())
}

pub async fn remove(db: &impl ConnectionTrait, owner: &CartOwner, product_id: i32) -> Result<(), AppError> {
    let cart = find_cart(db, owner).await?.ok_or_else(|| AppError::not_found("That cart line"))?;
    let deleted = cart_item::Entity::delete_many()
        .filter(cart_item::Column::CartId.eq(cart.id))
        .filter(cart_item::Column::ProductId.eq(product_id))
        .exec(db)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(AppError::not_found("That cart line"));
    }
    Ok(())
}

/// Signing in: the guest cart's lines join the account cart (quantities summed, capped at the
/// stock and 99; see [`merged_quantity`]) and the guest cart is deleted, in one transaction.
pub async fn merge_guest_cart(db: &DatabaseConnection, session_key: &str, user_id: i32) -> Result<(), AppError> {
    let guest_owner = CartOwner::Guest(session_key.to_owned());
    let txn = super::begin_write(db).await?;
    let Some(guest) = find_cart(&txn, &guest_owner).await? else {
        return Ok(());
    };
    let guest_lines = lines(&txn, guest.id).await?;
    if !guest_lines.is_empty() {
        let account = ensure_cart(&txn, &CartOwner::User(user_id)).await?;
        let now = Utc::now();
        for (guest_item, product) in guest_lines {
            let existing = item(&txn, account.id, product.id).await?;
            let held = existing.as_ref().map_or(0, |item| item.quantity);
            let stock = if product.active { product.stock } else { 0 };
            let merged = merged_quantity(held, guest_item.quantity, stock);
            match (existing, merged) {
                (Some(line), 0) => {
                    cart_item::Entity::delete_by_id(line.id).exec(&txn).await?;
                }
                (Some(line), merged) => {
                    let mut line: cart_item::ActiveModel = line.into();
                    line.quantity = Set(merged);
                    line.updated_at = Set(now);
                    line.update(&txn).await?;
                }
                (None, 0) => {}
                (None, merged) => {
                    insert_line(&txn, account.id, product.id, merged, now).await?;
                }
            }
        }
    }
    // The guest cart's items go with it (ON DELETE CASCADE).
    cart::Entity::delete_by_id(guest.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// A new line of `quantity` units in a cart that has none of the product yet.
async fn insert_line(
    db: &impl ConnectionTrait,
    cart_id: i32,
    product_id: i32,
    quantity: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    cart_item::ActiveModel {
        cart_id: Set(cart_id),
        product_id: Set(product_id),
        quantity: Set(quantity),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
