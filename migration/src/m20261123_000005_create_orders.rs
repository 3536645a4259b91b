//! Carts, orders and the e-mail outbox. Money is integer minor units; an order keeps snapshots
//! of its addresses and of each product's name, SKU and price, so later catalog edits never
//! change a placed order.

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
    Id,
    OrderId,
    Kind,
    Recipient,
    Attempts,
    NextAttemptAt,
    SentAt,
    LastError,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}

fn foreign_key(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A cart belongs to a user or, for a guest, to a session; never both.
        manager
            .create_table(
                Table::create()
                    .table(Carts::Table)
                    .if_not_exists()
                    .col(pk_auto(Carts::Id))
                    .col(integer_null(Carts::UserId).unique_key())
                    .col(string_len_null(Carts::SessionKey, 64).unique_key())
                    .col(timestamp_with_time_zone(Carts::CreatedAt).default(Expr::current_timestamp()))
                    .col(timestamp_with_time_zone(Carts::UpdatedAt).default(Expr::current_timestamp()))
                    .check((
                        "carts_one_owner",
                        Expr::col(Carts::UserId).is_null().ne(Expr::col(Carts::SessionKey).is_null()),
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_carts_user",
                        (Carts::Table, Carts::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CartItems::Table)
                    .if_not_exists()
                    .col(pk_auto(CartItems::Id))
                    .col(integer(CartItems::CartId))
                    .col(integer(CartItems::ProductId))
                    .col(
                        integer(CartItems::Quantity)
                            .check(("cart_items_quantity_positive", Expr::col(CartItems::Quantity).gt(0))),
                    )
                    .col(timestamp_with_time_zone(CartItems::CreatedAt).default(Expr::current_timestamp()))
                    .col(timestamp_with_time_zone(CartItems::UpdatedAt).default(Expr::current_timestamp()))
                    .foreign_key(&mut foreign_key(
                        "fk_cart_items_cart",
                        (CartItems::Table, CartItems::CartId),
                        (Carts::Table, Carts::Id),
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_cart_items_product",
                        (CartItems::Table, CartItems::ProductId),
                        (Products::Table, Products::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Orders::Table)
                    .if_not_exists()
                    .col(pk_auto(Orders::Id))
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
                    .col(timestamp_with_time_zone(Orders::CreatedAt).default(Expr::current_timestamp()))
                    .col(timestamp_with_time_zone(Orders::UpdatedAt).default(Expr::current_timestamp()))
                    .foreign_key(&mut foreign_key(
                        "fk_orders_user",
                        (Orders::Table, Orders::UserId),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrderItems::Table)
                    .if_not_exists()
                    .col(pk_auto(OrderItems::Id))
                    .col(integer(OrderItems::OrderId))
                    .col(integer(OrderItems::ProductId))
                    .col(string_len(OrderItems::Name, 200))
                    .col(string_len(OrderItems::Sku, 64))
                    .col(big_integer(OrderItems::UnitPriceCents))
                    .col(integer(OrderItems::Quantity))
                    .col(big_integer(OrderItems::LineTotalCents))
                    .foreign_key(&mut foreign_key(
                        "fk_order_items_order",
                        (OrderItems::Table, OrderItems::OrderId),
                        (Orders::Table, Orders::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrderStatusHistory::Table)
                    .if_not_exists()
                    .col(pk_auto(OrderStatusHistory::Id))
                    .col(integer(OrderStatusHistory::OrderId))
                    .col(string_len(OrderStatusHistory::Status, 16))
                    .col(string_len(OrderStatusHistory::Note, 200))
                    .col(timestamp_with_time_zone(OrderStatusHistory::CreatedAt).default(Expr::current_timestamp()))
                    .foreign_key(&mut foreign_key(
                        "fk_order_status_history_order",
                        (OrderStatusHistory::Table, OrderStatusHistory::OrderId),
                        (Orders::Table, Orders::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EmailOutbox::Table)
                    .if_not_exists()
                    .col(pk_auto(EmailOutbox::Id))
                    .col(integer(EmailOutbox::OrderId))
                    .col(string_len(EmailOutbox::Kind, 32))
                    .col(string_len(EmailOutbox::Recipient, 254))
                    .col(integer(EmailOutbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(EmailOutbox::NextAttemptAt).default(Expr::current_timestamp()))
                    .col(timestamp_with_time_zone_null(EmailOutbox::SentAt))
                    .col(string_len_null(EmailOutbox::LastError, 300))
                    .col(timestamp_with_time_zone(EmailOutbox::CreatedAt).default(Expr::current_timestamp()))
                    .foreign_key(&mut foreign_key(
                        "fk_email_outbox_order",
                        (EmailOutbox::Table, EmailOutbox::OrderId),
                        (Orders::Table, Orders::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        let indexes = [
            Index::create()
                .name("uq_cart_items_cart_product")
                .table(CartItems::Table)
                .col(CartItems::CartId)
                .col(CartItems::ProductId)
                .unique()
                .if_not_exists()
                .to_owned(),
            Index::create()
                .name("idx_orders_user_created")
                .table(Orders::Table)
                .col(Orders::UserId)
                .col(Orders::CreatedAt)
                .if_not_exists()
                .to_owned(),
            Index::create()
                .name("idx_order_items_order")
                .table(OrderItems::Table)
                .col(OrderItems::OrderId)
                .if_not_exists()
                .to_owned(),
            Index::create()
                .name("idx_order_status_history_order")
                .table(OrderStatusHistory::Table)
                .col(OrderStatusHistory::OrderId)
                .if_not_exists()
                .to_owned(),
            // At most one message of each kind per order: the worker may retry, never duplicate.
            Index::create()
                .name("uq_email_outbox_order_kind")
                .table(EmailOutbox::Table)
                .col(EmailOutbox::OrderId)
                .col(EmailOutbox::Kind)
                .unique()
                .if_not_exists()
                .to_owned(),
            Index::create()
                .name("idx_email_outbox_due")
                .table(EmailOutbox::Table)
                .col(EmailOutbox::SentAt)
                .col(EmailOutbox::NextAttemptAt)
                .if_not_exists()
                .to_owned(),
        ];
        for index in indexes {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EmailOutbox::Table.into_iden(),
            OrderStatusHistory::Table.into_iden(),
            OrderItems::Table.into_iden(),
            Orders::Table.into_iden(),
            CartItems::Table.into_iden(),
            Carts::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
