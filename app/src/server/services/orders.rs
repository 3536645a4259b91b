//! Placing, reading and cancelling orders. Placing is one database transaction: stock is taken
//! with conditional decrements (never read-then-write), so concurrent checkouts cannot oversell.

use crate::domain::model::{Money, PageNumber};
use crate::domain::shop::CURRENCY;
use crate::{
    domain::accounts::{AddressInput, PostalAddress},
    domain::admin::StockReason,
    domain::admin::{AdminOrderDetail, AdminOrderRow, AdminPage, parse_tracking_number},
    domain::commerce::{
        CardOutcome, OrderDetail, OrderLine, OrderStatus, OrderSummary, PaymentMethod, PaymentStatus, PricingRules,
        StatusChange, Totals, check_test_card, order_number,
    },
    domain::error::AppError,
    server::{
        entities::{cart, cart_item, order, order_item, order_status_history, user},
        services::{
            admin_page, begin_write,
            cart::lines,
            commit_catalog_write,
            outbox::{self, MailKind, Outgoing},
            stock,
        },
    },
};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, DerivePartialModel, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payment {
    TestCard { number: String },
    CashOnDelivery,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckoutRequest {
    /// Made when the checkout page was rendered; a repeated submit carries the same one.
    pub idempotency_key: String,
    pub shipping: AddressInput,
    /// `None`: same as shipping.
    pub billing: Option<AddressInput>,
    pub payment: Payment,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Customer {
    pub id: i32,
    pub email: String,
}

fn valid_idempotency_key(key: &str) -> Result<(), AppError> {
    let ok = (16..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(AppError::BadRequest { message: "The checkout form has expired. Reload the page.".into() })
    }
}

/// What the cart held, as "product×quantity" in product order, hashed (FNV-1a, 64 bit): it
/// tells a repeated submit of one cart from a reused key with another.
fn fingerprint(lines: &[(i32, i32)]) -> String {
    let text: String = lines.iter().map(|(product_id, quantity)| format!("{product_id}x{quantity};")).collect();
    format!("{:016x}", crate::server::hashing::fnv1a_64(text.bytes()))
}

/// The order an earlier submit with this key made, if its cart was this one.
async fn replay(
    db: &impl ConnectionTrait,
    customer: &Customer,
    key: &str,
    cart_print: Option<&str>,
) -> Result<Option<String>, AppError> {
    let Some(existing) = order::Entity::find().filter(order::Column::IdempotencyKey.eq(key)).one(db).await? else {
        return Ok(None);
    };
    if existing.user_id != customer.id {
        return Err(AppError::validation(
            "idempotency_key",
            "This checkout form belongs to another order. Reload the page.",
        ));
    }
    // After the first submit the cart is empty; anything else must be the same cart.
    match cart_print {
        None => Ok(Some(existing.number)),
        Some(print) if print == existing.cart_fingerprint => Ok(Some(existing.number)),
        Some(_) => Err(AppError::validation(
            "idempotency_key",
            "This checkout form was already used for a different cart. Reload the page.",
        )),
    }
}

/// Places the customer's cart as an order and returns its number. A repeated submit (same key,
/// same cart or the cart it emptied) returns the first order; the same key with another cart
/// is 422; too little stock is 409 naming the short items, and nothing is sold; a declined card
/// is 422 and nothing is sold.
pub async fn place_order(
    db: &DatabaseConnection,
    customer: &Customer,
    request: CheckoutRequest,
    rules: &PricingRules,
) -> Result<String, AppError> {
    valid_idempotency_key(&request.idempotency_key)?;
    let card = match &request.payment {
        Payment::TestCard { number } => Some(check_test_card(number)?),
        Payment::CashOnDelivery => None,
    };

    let txn = begin_write(db).await?;
    let cart_row = cart::Entity::find().filter(cart::Column::UserId.eq(customer.id)).one(&txn).await?;
    let mut cart_lines = match &cart_row {
        Some(cart) => lines(&txn, cart.id).await?,
        None => Vec::new(),
    };
    // Product-id order: every checkout takes its row locks in the same order, so two never wait
    // on each other in a cycle.
    cart_lines.sort_by_key(|(_, product)| product.id);
    let quantities: Vec<(i32, i32)> = cart_lines.iter().map(|(item, product)| (product.id, item.quantity)).collect();
    let cart_print = (!quantities.is_empty()).then(|| fingerprint(&quantities));

    if let Some(number) = replay(&txn, customer, &request.idempotency_key, cart_print.as_deref()).await? {
        return Ok(number);
    }
    let Some(cart_print) = cart_print else {
        return Err(AppError::validation("cart", "Your cart is empty."));
    };

    if let Some((CardOutcome::Declined, _)) = card {
        return Err(AppError::validation(
            "card_number",
            "Your card was declined and nothing was charged. Try another card or cash on delivery.",
        ));
    }

    let totals = rules.totals(cart_lines.iter().map(|(item, product)| (product.price_cents, item.quantity)));
    let currency = cart_lines.first().map_or_else(|| CURRENCY.to_owned(), |(_, p)| p.currency.clone());
    let (status, payment_status, method, last4) = match (&request.payment, card) {
        (Payment::TestCard { .. }, Some((_, last4))) => {
            (OrderStatus::Paid, PaymentStatus::Captured, PaymentMethod::TestCard, Some(last4))
        }
        _ => (OrderStatus::Pending, PaymentStatus::Due, PaymentMethod::CashOnDelivery, None),
    };
    let shipping = &request.shipping.postal;
    let billing = request.billing.as_ref().map_or(shipping, |billing| &billing.postal);
    let to_json =
        |address: &PostalAddress| serde_json::to_string(address).map_err(|e| AppError::internal("address snapshot", e));
    let now = Utc::now();
    let placed = order::ActiveModel {
        // Replaced by CS-<id> below, once the id exists; unique meanwhile because the key is.
        number: Set(format!("tmp-{}", &request.idempotency_key[..12])),
        user_id: Set(customer.id),
        status: Set(status),
        payment_status: Set(payment_status),
        payment_method: Set(method),
        card_last4: Set(last4),
        shipping_address: Set(to_json(shipping)?),
        billing_address: Set(to_json(billing)?),
        subtotal_cents: Set(totals.subtotal_cents),
        shipping_cents: Set(totals.shipping_cents),
        tax_cents: Set(totals.tax_cents),
        total_cents: Set(totals.total_cents),
        currency: Set(currency),
        idempotency_key: Set(request.idempotency_key.clone()),
        cart_fingerprint: Set(cart_print),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let placed = match placed {
        Ok(placed) => placed,
        Err(err) => {
            // A concurrent submit with the same key won the unique index: answer with its order.
            drop(txn);
            if let Some(number) = replay(db, customer, &request.idempotency_key, None).await? {
                return Ok(number);
            }
            return Err(err.into());
        }
    };
    let number = order_number(placed.id);
    let mut numbered: order::ActiveModel = placed.clone().into();
    numbered.number = Set(number.clone());
    numbered.update(&txn).await?;

    for (item, product) in &cart_lines {
        order_item::ActiveModel {
            order_id: Set(placed.id),
            product_id: Set(product.id),
            name: Set(product.name.clone()),
            sku: Set(product.sku.clone()),
            unit_price_cents: Set(product.price_cents),
            quantity: Set(item.quantity),
            line_total_cents: Set(product.price_cents * i64::from(item.quantity)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    // The stock is taken once the order exists, so each sale's movement names its order. A
    // short line rolls everything back, the order included.
    let mut short = Vec::new();
    for (item, product) in &cart_lines {
        let cause = stock::Cause { note: "", order_id: Some(placed.id), user_id: Some(customer.id) };
        if !stock::apply(&txn, product.id, -item.quantity, StockReason::Sale, cause).await? {
            short.push(product.name.clone());
        }
    }
    if !short.is_empty() {
        txn.rollback().await?;
        return Err(AppError::conflict(format!("Not enough stock for: {}.", short.join(", "))));
    }
    let note = match status {
        OrderStatus::Paid => "Order placed and paid by card",
        _ => "Order placed; payment due on delivery",
    };
    record_status(&txn, placed.id, status, note).await?;
    let confirmation = Outgoing::about_order(MailKind::OrderConfirmation, placed.id, customer.id, &customer.email);
    outbox::enqueue(&txn, confirmation, now).await?;
    if let Some(cart) = cart_row {
        cart_item::Entity::delete_many().filter(cart_item::Column::CartId.eq(cart.id)).exec(&txn).await?;
    }
    commit_catalog_write(txn).await?;
    crate::server::business_metrics::BUSINESS.order_placed(placed.total_cents, &placed.currency);
    Ok(number)
}

async fn record_status(
    db: &impl ConnectionTrait,
    order_id: i32,
    status: OrderStatus,
    note: &str,
) -> Result<(), AppError> {
    order_status_history::ActiveModel {
        order_id: Set(order_id),
        status: Set(status),
        note: Set(note.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

fn summary(row: &order::Model) -> Result<OrderSummary, AppError> {
    Ok(OrderSummary {
        number: row.number.clone(),
        status: row.status,
        total_cents: row.total_cents,
        currency: row.currency.clone(),
        placed_at: row.created_at.to_rfc3339(),
    })
}

/// The customer's orders, newest first.
pub async fn list(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<OrderSummary>, AppError> {
    order::Entity::find()
        .filter(order::Column::UserId.eq(user_id))
        .order_by_desc(order::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(summary)
        .collect()
}

/// Who is asking: the owner sees their orders, an admin sees any, everyone else gets 404.
#[derive(Clone, Copy, Debug)]
pub struct Viewer {
    pub user_id: i32,
    pub is_admin: bool,
}

async fn find_visible(db: &impl ConnectionTrait, viewer: Viewer, number: &str) -> Result<order::Model, AppError> {
    let row = order::Entity::find().filter(order::Column::Number.eq(number)).one(db).await?;
    match row {
        Some(row) if row.user_id == viewer.user_id || viewer.is_admin => Ok(row),
        _ => Err(AppError::not_found("That order")),
    }
}

pub async fn detail(db: &impl ConnectionTrait, viewer: Viewer, number: &str) -> Result<OrderDetail, AppError> {
    let row = find_visible(db, viewer, number).await?;
    let items = order_item::Entity::find()
        .filter(order_item::Column::OrderId.eq(row.id))
        .order_by_asc(order_item::Column::Id)
        .all(db)
        .await?;
    let history = order_status_history::Entity::find()
        .filter(order_status_history::Column::OrderId.eq(row.id))
        .order_by_asc(order_status_history::Column::Id)
        .all(db)
        .await?;
    let address = |json: &str| {
        serde_json::from_str::<PostalAddress>(json).map_err(|e| AppError::internal("order address snapshot", e))
    };
    Ok(OrderDetail {
        summary: summary(&row)?,
        payment_method: row.payment_method,
        payment_status: row.payment_status,
        card_last4: row.card_last4.clone(),
        lines: items
            .into_iter()
            .map(|item| OrderLine {
                product_id: item.product_id,
                name: item.name,
                sku: item.sku,
                unit_price_cents: item.unit_price_cents,
                quantity: item.quantity,
                line_total_cents: item.line_total_cents,
            })
            .collect(),
        totals: Totals {
            subtotal_cents: row.subtotal_cents,
            shipping_cents: row.shipping_cents,
            tax_cents: row.tax_cents,
            total_cents: row.total_cents,
        },
        shipping_address: address(&row.shipping_address)?,
        billing_address: address(&row.billing_address)?,
        timeline: history
            .into_iter()
            .map(|change| StatusChange { status: change.status, note: change.note, at: change.created_at.to_rfc3339() })
            .collect(),
        tracking_number: row.tracking_number.clone(),
    })
}

/// The customer cancels while the order is pending or paid: the stock comes back and the
/// status changes in one transaction.
pub async fn cancel(db: &DatabaseConnection, viewer: Viewer, number: &str) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let row = find_visible(&txn, viewer, number).await?;
    let status = row.status;
    if !status.customer_can_cancel() {
        return Err(AppError::conflict(format!("An order that is {} can no longer be cancelled.", status.as_str())));
    }
    cancel_and_restock(&txn, &row, status, viewer.user_id, "Cancelled by the customer; stock returned").await?;
    commit_catalog_write(txn).await?;
    Ok(())
}

/// Cancels `row` (read as `status` in this transaction) and returns its items to stock, each
/// with a ledger movement. Conditional on that status, so two cancels cannot both restock.
async fn cancel_and_restock(
    txn: &impl ConnectionTrait,
    row: &order::Model,
    status: OrderStatus,
    actor_id: i32,
    note: &str,
) -> Result<(), AppError> {
    let changed = order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::value(OrderStatus::Cancelled))
        .col_expr(order::Column::PaymentStatus, Expr::value(row.payment_status.after_cancellation()))
        .col_expr(order::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(order::Column::Id.eq(row.id))
        .filter(order::Column::Status.eq(status))
        .exec(txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(AppError::conflict("This order changed meanwhile. Reload the page."));
    }
    let items = order_item::Entity::find()
        .filter(order_item::Column::OrderId.eq(row.id))
        .order_by_asc(order_item::Column::ProductId)
        .all(txn)
        .await?;
    for item in items {
        let cause = stock::Cause { note: "", order_id: Some(row.id), user_id: Some(actor_id) };
        if !stock::apply(txn, item.product_id, item.quantity, StockReason::Cancellation, cause).await? {
            return Err(AppError::internal(
                "restocking a cancelled order",
                format!("product {} is missing", item.product_id),
            ));
        }
    }
    record_status(txn, row.id, OrderStatus::Cancelled, note).await?;
    tell_customer(txn, row, MailKind::OrderCancelled).await
}

/// Queues a status message to the order's customer (not to an erased account).
async fn tell_customer(txn: &impl ConnectionTrait, row: &order::Model, kind: MailKind) -> Result<(), AppError> {
    let Some(customer) = user::Entity::find_by_id(row.user_id).one(txn).await? else { return Ok(()) };
    if customer.deleted_at.is_some() {
        return Ok(());
    }
    outbox::enqueue(txn, Outgoing::about_order(kind, row.id, customer.id, &customer.email), Utc::now()).await
}

/// The back office's order list, newest first, optionally of one status.
pub async fn admin_list(
    db: &impl ConnectionTrait,
    status: Option<OrderStatus>,
    page: PageNumber,
) -> Result<AdminPage<AdminOrderRow>, AppError> {
    #[derive(Debug, DerivePartialModel)]
    #[sea_orm(entity = "order::Entity")]
    struct Row {
        number: String,
        #[sea_orm(from_expr = "Expr::col((user::Entity, user::Column::Email))")]
        email: String,
        status: OrderStatus,
        total_cents: i64,
        currency: String,
        created_at: chrono::DateTime<Utc>,
        #[sea_orm(from_expr = "item_count()")]
        item_count: Option<i64>,
    }
    let mut select = order::Entity::find().inner_join(user::Entity).order_by_desc(order::Column::Id);
    if let Some(status) = status {
        select = select.filter(order::Column::Status.eq(status));
    }
    admin_page(db, select, page, |row: Row| AdminOrderRow {
        status: row.status,
        number: row.number,
        customer_email: row.email,
        item_count: row.item_count.unwrap_or(0),
        total: Money::new(row.total_cents, row.currency),
        placed_at: row.created_at.to_rfc3339(),
    })
    .await
}

/// How many units the order of the outer row holds.
fn item_count() -> Expr {
    let sum = Query::select()
        .expr(Expr::col(order_item::Column::Quantity).sum().cast_as(Alias::new("BIGINT")))
        .from(order_item::Entity)
        .and_where(
            Expr::col((order_item::Entity, order_item::Column::OrderId)).equals((order::Entity, order::Column::Id)),
        )
        .to_owned();
    Expr::SubQuery(None, Box::new(sum.into()))
}

/// One order as the back office sees it: the customer's view plus who the customer is.
pub async fn admin_detail(db: &impl ConnectionTrait, number: &str) -> Result<AdminOrderDetail, AppError> {
    let order = detail(db, Viewer { user_id: 0, is_admin: true }, number).await?;
    let row = order::Entity::find()
        .filter(order::Column::Number.eq(number))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("That order"))?;
    let customer = user::Entity::find_by_id(row.user_id).one(db).await?;
    let (customer_name, customer_email) = customer.map(|u| (u.name, u.email)).unwrap_or_default();
    Ok(AdminOrderDetail { order, customer_name, customer_email })
}

/// An admin moves an order one allowed step (see `OrderStatus::can_become`). Shipping needs a
/// tracking number; cancelling returns the stock. Each change lands in the order's history.
pub async fn transition(
    db: &DatabaseConnection,
    admin_id: i32,
    number: &str,
    target: OrderStatus,
    tracking_number: Option<&str>,
) -> Result<(), AppError> {
    let tracking = match target {
        OrderStatus::Shipped => Some(parse_tracking_number(tracking_number.unwrap_or_default())?),
        _ => None,
    };
    let txn = begin_write(db).await?;
    let row = order::Entity::find()
        .filter(order::Column::Number.eq(number))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("That order"))?;
    let status = row.status;
    if !status.can_become(target) {
        return Err(AppError::conflict(format!(
            "An order that is {} cannot be marked {}.",
            status.as_str(),
            target.as_str()
        )));
    }
    if target == OrderStatus::Cancelled {
        cancel_and_restock(&txn, &row, status, admin_id, "Cancelled by the shop; stock returned").await?;
    } else {
        let mut update = order::Entity::update_many()
            .col_expr(order::Column::Status, Expr::value(target))
            .col_expr(order::Column::UpdatedAt, Expr::value(Utc::now()));
        if let Some(tracking) = &tracking {
            update = update.col_expr(order::Column::TrackingNumber, Expr::value(tracking.clone()));
        }
        if target == OrderStatus::Paid || (target == OrderStatus::Delivered && row.payment_status == PaymentStatus::Due)
        {
            update = update.col_expr(order::Column::PaymentStatus, Expr::value(PaymentStatus::Captured));
        }
        let changed =
            update.filter(order::Column::Id.eq(row.id)).filter(order::Column::Status.eq(status)).exec(&txn).await?;
        if changed.rows_affected == 0 {
            return Err(AppError::conflict("This order changed meanwhile. Reload the page."));
        }
        let note = match (target, &tracking) {
            (OrderStatus::Shipped, Some(tracking)) => format!("Shipped with tracking number {tracking}"),
            (OrderStatus::Paid, _) => "Payment received".to_owned(),
            (OrderStatus::Processing, _) => "The shop is preparing the parcel".to_owned(),
            (OrderStatus::Delivered, _) => "Delivered to the customer".to_owned(),
            _ => String::new(),
        };
        record_status(&txn, row.id, target, &note).await?;
        if target == OrderStatus::Shipped {
            tell_customer(&txn, &row, MailKind::OrderShipped).await?;
        }
    }
    commit_catalog_write(txn).await?;
    tracing::info!(admin_id, order = number, to = target.as_str(), "order status changed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_depends_on_products_and_quantities() {
        assert_eq!(fingerprint(&[(1, 2), (5, 1)]), fingerprint(&[(1, 2), (5, 1)]));
        assert_ne!(fingerprint(&[(1, 2), (5, 1)]), fingerprint(&[(1, 1), (5, 1)]));
        assert_ne!(fingerprint(&[(1, 2)]), fingerprint(&[(12, 2)]));
    }

    #[test]
    fn idempotency_keys_are_16_to_64_safe_characters() {
        assert!(valid_idempotency_key("0f8fad5b-d9cb-469f-a165-70867728950e").is_ok());
        assert!(valid_idempotency_key("short").is_err());
        assert!(valid_idempotency_key("0f8fad5bd9cb469f'; DROP TABLE orders").is_err());
    }
}
