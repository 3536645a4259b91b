//! The back office's read-only customer list.

use crate::{
    domain::accounts::Role,
    domain::admin::{ADMIN_PAGE_SIZE, AdminPage, CustomerRow},
    domain::error::AppError,
    domain::model::PageNumber,
    server::entities::{order, user},
};
use chrono::Utc;
use sea_orm::{
    ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryOrder, QuerySelect,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

/// Everyone with an account, newest first, with how many orders each has placed.
pub async fn list(db: &impl ConnectionTrait, page: PageNumber) -> Result<AdminPage<CustomerRow>, AppError> {
    #[derive(Debug, FromQueryResult)]
    struct Row {
        name: String,
        email: String,
        role: Role,
        email_verified_at: Option<chrono::DateTime<Utc>>,
        deleted_at: Option<chrono::DateTime<Utc>>,
        created_at: chrono::DateTime<Utc>,
        order_count: i64,
    }
    let total = user::Entity::find().count(db).await?;
    let order_count = Query::select()
        .expr(Expr::col(order::Column::Id).count().cast_as(Alias::new("BIGINT")))
        .from(order::Entity)
        .and_where(Expr::col((order::Entity, order::Column::UserId)).equals((user::Entity, user::Column::Id)))
        .to_owned();
    let rows = user::Entity::find()
        .select_only()
        .columns([
            user::Column::Name,
            user::Column::Email,
            user::Column::Role,
            user::Column::EmailVerifiedAt,
            user::Column::DeletedAt,
            user::Column::CreatedAt,
        ])
        .expr_as(Expr::SubQuery(None, Box::new(order_count.into())), "order_count")
        .order_by_desc(user::Column::Id)
        .offset(page.offset(ADMIN_PAGE_SIZE))
        .limit(ADMIN_PAGE_SIZE)
        .into_model::<Row>()
        .all(db)
        .await?;
    let items = rows
        .into_iter()
        .map(|row| CustomerRow {
            name: row.name,
            email: row.email,
            is_admin: row.role == Role::Admin,
            email_verified: row.email_verified_at.is_some(),
            deleted: row.deleted_at.is_some(),
            joined_at: row.created_at.to_rfc3339(),
            order_count: row.order_count,
        })
        .collect();
    Ok(AdminPage { items, total, page: page.get() })
}
