//! Carts, orders and the e-mail outbox. Money is integer minor units; an order keeps snapshots
//! of its addresses and of each product's name, SKU and price, so later catalog edits never
//! change a placed order.

use crate::shared::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Carts {
    Table,
    Id,
    UserId,
    SessionKey,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CartItems {
    Table,
    Id,
    CartId,
    ProductId,
    Quantity,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    Number,
    UserId,
    Status,
    PaymentStatus,
    PaymentMethod,
    CardLast4,
    ShippingAddress,
    BillingAddress,
    SubtotalCents,
    ShippingCents,
    TaxCents,
    TotalCents,
    Currency,
    IdempotencyKey,
    CartFingerprint,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrderItems {
    Table,
    Id,
    OrderId,
    ProductId,
    Name,
    Sku,
    UnitPriceCents,
    Quantity,
    LineTotalCents,
}

#[derive(DeriveIden)]
enum OrderStatusHistory {
    Table,
    Id,
    OrderId,
    Status,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EmailOutbox {
    Table,
}

#[derive(DeriveIden)]
enum Users {
    Table,
}

#[derive(DeriveIden)]
enum Products {
    Table,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_tables(
            manager,
            [
                // A cart belongs to a user or, for a guest, to a session; never both.
                table_with_id(Carts::Table, Carts::Id)
                    .col(integer_null(Carts::UserId).unique_key())
                    .col(string_len_null(Carts::SessionKey, 64).unique_key())
                    .col(timestamp_now(Carts::CreatedAt))
                    .col(timestamp_now(Carts::UpdatedAt))
                    .check((
                        "carts_one_owner",
                        Expr::col(Carts::UserId).is_null().ne(Expr::col(Carts::SessionKey).is_null()),
                    ))
                    .foreign_key(&mut cascade("fk_carts_user", Carts::UserId, Users::Table))
                    .to_owned(),
                table_with_id(CartItems::Table, CartItems::Id)
                    .col(integer(CartItems::CartId))
                    .col(integer(CartItems::ProductId))
                    .col(
                        integer(CartItems::Quantity)
                            .check(("cart_items_quantity_positive", Expr::col(CartItems::Quantity).gt(0))),
                    )
                    .col(timestamp_now(CartItems::CreatedAt))
                    .col(timestamp_now(CartItems::UpdatedAt))
                    .foreign_key(&mut cascade("fk_cart_items_cart", CartItems::CartId, Carts::Table))
                    .foreign_key(&mut cascade("fk_cart_items_product", CartItems::ProductId, Products::Table))
                    .to_owned(),
                table_with_id(Orders::Table, Orders::Id)
                    .col(string_len_uniq(Orders::Number, 16))
                    .col(integer(Orders::UserId))
                    .col(string_len(Orders::Status, 16))
                    .col(string_len(Orders::PaymentStatus, 16))
                    .col(string_len(Orders::PaymentMethod, 16))
                    .col(string_len_null(Orders::CardLast4, 4))
                    .col(text(Orders::ShippingAddress))
                    .col(text(Orders::BillingAddress))
                    .col(big_integer(Orders::SubtotalCents))
                    .col(big_integer(Orders::ShippingCents))
                    .col(big_integer(Orders::TaxCents))
                    .col(big_integer(Orders::TotalCents))
                    .col(char_len(Orders::Currency, 3))
                    // One order per checkout page: a repeated submit finds its order here.
                    .col(string_len_uniq(Orders::IdempotencyKey, 64))
                    .col(string_len(Orders::CartFingerprint, 64))
                    .col(timestamp_now(Orders::CreatedAt))
                    .col(timestamp_now(Orders::UpdatedAt))
                    .foreign_key(&mut cascade("fk_orders_user", Orders::UserId, Users::Table))
                    .to_owned(),
                table_with_id(OrderItems::Table, OrderItems::Id)
                    .col(integer(OrderItems::OrderId))
                    .col(integer(OrderItems::ProductId))
                    .col(string_len(OrderItems::Name, 200))
                    .col(string_len(OrderItems::Sku, 64))
                    .col(big_integer(OrderItems::UnitPriceCents))
                    .col(integer(OrderItems::Quantity))
                    .col(big_integer(OrderItems::LineTotalCents))
                    .foreign_key(&mut cascade("fk_order_items_order", OrderItems::OrderId, Orders::Table))
                    .to_owned(),
                table_with_id(OrderStatusHistory::Table, OrderStatusHistory::Id)
                    .col(integer(OrderStatusHistory::OrderId))
                    .col(string_len(OrderStatusHistory::Status, 16))
                    .col(string_len(OrderStatusHistory::Note, 200))
                    .col(timestamp_now(OrderStatusHistory::CreatedAt))
                    .foreign_key(&mut cascade(
                        "fk_order_status_history_order",
                        OrderStatusHistory::OrderId,
                        Orders::Table,
                    ))
                    .to_owned(),
            ],
        )
        .await?;

        create_email_outbox(manager).await?;

        let indexes = [
            unique_index("uq_cart_items_cart_product", CartItems::Table, [CartItems::CartId, CartItems::ProductId]),
            index("idx_orders_user_created", Orders::Table, [Orders::UserId, Orders::CreatedAt]),
            index("idx_order_items_order", OrderItems::Table, [OrderItems::OrderId]),
            index("idx_order_status_history_order", OrderStatusHistory::Table, [OrderStatusHistory::OrderId]),
        ];
        create_indexes(manager, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            vec![
                EmailOutbox::Table.into_iden(),
                OrderStatusHistory::Table.into_iden(),
                OrderItems::Table.into_iden(),
                Orders::Table.into_iden(),
                CartItems::Table.into_iden(),
                Carts::Table.into_iden(),
            ],
        )
        .await
    }
}
