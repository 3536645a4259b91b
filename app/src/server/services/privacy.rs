//! A shopper's privacy rights: everything the shop holds about them as one JSON document, and
//! deleting the account (personal data erased, orders kept for the books without it).

use crate::{
    domain::accounts::{Address, Device, PostalAddress, Role},
    domain::commerce::OrderDetail,
    domain::error::AppError,
    server::{
        entities::{
            account_token, address, cart, cart_item, failed_sign_in, mail_request, order, outbox_message, session,
            session_activity, user,
        },
        password::PasswordHasher,
        services::{
            accounts::{find_user, require_current_password},
            activity, addresses, begin_write,
            orders::{self, Viewer},
        },
    },
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use serde::Serialize;

/// The download: the profile, addresses, orders, signed-in browsers and messages sent.
#[derive(Clone, Debug, Serialize)]
pub struct AccountExport {
    pub exported_at: String,
    pub profile: ExportedProfile,
    pub addresses: Vec<Address>,
    pub orders: Vec<OrderDetail>,
    pub devices: Vec<Device>,
    pub messages: Vec<ExportedMessage>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExportedProfile {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub email_verified_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A message the shop sent (or is sending) to the person; never the link it carried.
#[derive(Clone, Debug, Serialize)]
pub struct ExportedMessage {
    pub kind: String,
    pub recipient: String,
    pub created_at: String,
    pub sent_at: Option<String>,
}

pub async fn export(
    db: &impl ConnectionTrait,
    user_id: i32,
    current_session: Option<&str>,
    now: DateTime<Utc>,
) -> Result<AccountExport, AppError> {
    let user = find_user(db, user_id).await?;
    let viewer = Viewer { user_id, is_admin: false };
    let mut orders = Vec::new();
    for summary in orders::list(db, user_id).await? {
        orders.push(orders::detail(db, viewer, &summary.number).await?);
    }
    let messages = outbox_message::Entity::find()
        .filter(outbox_message::Column::UserId.eq(user_id))
        .order_by_asc(outbox_message::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| ExportedMessage {
            kind: row.kind,
            recipient: row.recipient,
            created_at: row.created_at.to_rfc3339(),
            sent_at: row.sent_at.map(|at| at.to_rfc3339()),
        })
        .collect();
    Ok(AccountExport {
        exported_at: now.to_rfc3339(),
        profile: ExportedProfile {
            name: user.name,
            email: user.email,
            phone: user.phone,
            email_verified_at: user.email_verified_at.map(|at| at.to_rfc3339()),
            created_at: user.created_at.to_rfc3339(),
            updated_at: user.updated_at.to_rfc3339(),
        },
        addresses: addresses::list(db, user_id).await?,
        orders,
        devices: activity::devices(db, user_id, current_session).await?,
        messages,
    })
}

/// What an order keeps of an address once its customer is erased: the country and region its
/// tax was charged for, nothing that names or locates the person.
pub fn anonymised(address: &PostalAddress) -> PostalAddress {
    PostalAddress {
        full_name: ERASED.to_owned(),
        line1: ERASED.to_owned(),
        line2: None,
        city: ERASED.to_owned(),
        region: address.region.clone(),
        postal_code: String::new(),
        country: address.country.clone(),
        phone: None,
    }
}

/// Written where a personal field was.
pub const ERASED: &str = "(removed)";

/// The address an erased account keeps: unique, and nobody can receive mail at it.
pub fn erased_email(user_id: i32) -> String {
    format!("deleted-{user_id}@erased.invalid")
}

/// Deletes the account after checking the password: the person's name, address, phone, saved
/// addresses, cart, sessions, links and sign-in records go; orders stay with their personal fields
/// removed; the row itself stays (orders point at it) but can never sign in again.
pub async fn delete_account(
    db: &DatabaseConnection,
    hasher: &PasswordHasher,
    user_id: i32,
    current_password: &str,
    confirmed: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let user = find_user(db, user_id).await?;
    if !confirmed {
        return Err(AppError::validation("confirm", "Tick the box to confirm that you want your account deleted."));
    }
    require_current_password(hasher, &user, current_password).await?;
    if user.role == Role::Admin {
        return Err(AppError::validation(
            "confirm",
            "An administrator account cannot delete itself; another administrator must remove its rights first.",
        ));
    }
    let txn = begin_write(db).await?;
    let erased = user::Entity::update_many()
        .col_expr(user::Column::Email, Expr::value(erased_email(user.id)))
        .col_expr(user::Column::Name, Expr::value(ERASED))
        .col_expr(user::Column::Phone, Expr::value(Option::<String>::None))
        // Not a PHC string: no password can ever match it.
        .col_expr(user::Column::PasswordHash, Expr::value("!erased"))
        .col_expr(user::Column::EmailVerifiedAt, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(user::Column::DeletedAt, Expr::value(Some(now)))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(user.id))
        .filter(user::Column::DeletedAt.is_null())
        .exec(&txn)
        .await?;
    if erased.rows_affected == 0 {
        return Err(AppError::Unauthorized);
    }
    for row in order::Entity::find().filter(order::Column::UserId.eq(user.id)).all(&txn).await? {
        let strip = |json: &str| -> Result<String, AppError> {
            let snapshot: PostalAddress =
                serde_json::from_str(json).map_err(|err| AppError::internal("reading an order address", err))?;
            serde_json::to_string(&anonymised(&snapshot)).map_err(|err| AppError::internal("order address", err))
        };
        order::Entity::update_many()
            .col_expr(order::Column::ShippingAddress, Expr::value(strip(&row.shipping_address)?))
            .col_expr(order::Column::BillingAddress, Expr::value(strip(&row.billing_address)?))
            .filter(order::Column::Id.eq(row.id))
            .exec(&txn)
            .await?;
    }
    address::Entity::delete_many().filter(address::Column::UserId.eq(user.id)).exec(&txn).await?;
    if let Some(own) = cart::Entity::find().filter(cart::Column::UserId.eq(user.id)).one(&txn).await? {
        cart_item::Entity::delete_many().filter(cart_item::Column::CartId.eq(own.id)).exec(&txn).await?;
        cart::Entity::delete_by_id(own.id).exec(&txn).await?;
    }
    account_token::Entity::delete_many().filter(account_token::Column::UserId.eq(user.id)).exec(&txn).await?;
    session::Entity::delete_many().filter(session::Column::UserId.eq(user.id)).exec(&txn).await?;
    session_activity::Entity::delete_many().filter(session_activity::Column::UserId.eq(user.id)).exec(&txn).await?;
    failed_sign_in::Entity::delete_many()
        .filter(failed_sign_in::Column::Email.eq(user.email.as_str()))
        .exec(&txn)
        .await?;
    mail_request::Entity::delete_many().filter(mail_request::Column::Email.eq(user.email.as_str())).exec(&txn).await?;
    // Unsent messages are dropped; sent ones keep only that they were sent.
    let own_messages = outbox_message::Column::UserId.eq(user.id);
    outbox_message::Entity::delete_many()
        .filter(own_messages.clone())
        .filter(outbox_message::Column::SentAt.is_null())
        .exec(&txn)
        .await?;
    outbox_message::Entity::update_many()
        .col_expr(outbox_message::Column::Recipient, Expr::value(erased_email(user.id)))
        .col_expr(outbox_message::Column::Detail, Expr::value(Option::<String>::None))
        .col_expr(outbox_message::Column::Secret, Expr::value(Option::<String>::None))
        .filter(own_messages)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    tracing::info!(user_id = user.id, "account deleted and personal data erased");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_erased_order_address_keeps_only_the_tax_jurisdiction() {
        let full = PostalAddress {
            full_name: "Ada Lovelace".into(),
            line1: "12 St James's Square".into(),
            line2: Some("Flat 2".into()),
            city: "London".into(),
            region: "LND".into(),
            postal_code: "SW1Y 4JH".into(),
            country: "GB".into(),
            phone: Some("+44 20 7946 0000".into()),
        };
        let kept = anonymised(&full);
        let text = serde_json::to_string(&kept).unwrap();
        for personal in ["Ada", "James", "Flat", "London", "SW1Y", "7946"] {
            assert!(!text.contains(personal), "{personal} survived: {text}");
        }
        assert_eq!((kept.country.as_str(), kept.region.as_str()), ("GB", "LND"));
    }

    #[test]
    fn erased_addresses_are_unique_and_undeliverable() {
        assert_ne!(erased_email(1), erased_email(2));
        assert!(erased_email(7).ends_with(".invalid"));
    }
}
