//! The back office's read-only customer list.

use crate::{
    domain::accounts::Role,
    domain::admin::{AdminPage, CustomerRow},
    domain::error::AppError,
    domain::model::PageNumber,
    server::{
        entities::{order, user},
        services::admin_page,
    },
};
use chrono::Utc;
use sea_orm::{
    ConnectionTrait, DerivePartialModel, EntityTrait, QueryOrder,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

/// Everyone with an account, newest first, with how many orders each has placed.
pub async fn list(db: &impl ConnectionTrait, page: PageNumber) -> Result<AdminPage<CustomerRow>, AppError> {
    #[derive(Debug, DerivePartialModel)]
    #[sea_orm(entity = "user::Entity")]
    struct Row {
        name: String,
        email: String,
        role: Role,
        email_verified_at: Option<chrono::DateTime<Utc>>,
        deleted_at: Option<chrono::DateTime<Utc>>,
        created_at: chrono::DateTime<Utc>,
        #[sea_orm(from_expr = "order_count()")]
        order_count: i64,
    }
    let select = user::Entity::find().order_by_desc(user::Column::Id);
    admin_page(db, select, page, |row: Row| CustomerRow {
        name: row.name,
        email: row.email,
        is_admin: row.role == Role::Admin,
        email_verified: row.email_verified_at.is_some(),
        deleted: row.deleted_at.is_some(),
        joined_at: row.created_at.to_rfc3339(),
        order_count: row.order_count,
    })
    .await
}

/// How many orders the user of the outer row has placed.
fn order_count() -> Expr {
    let count = Query::select()
        .expr(Expr::col(order::Column::Id).count().cast_as(Alias::new("BIGINT")))
        .from(order::Entity)
        .and_where(Expr::col((order::Entity, order::Column::UserId)).equals((user::Entity, user::Column::Id)))
        .to_owned();
    Expr::SubQuery(None, Box::new(count.into()))
}
