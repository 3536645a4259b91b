//! Accounts a shopper can live with: verified addresses, single-use links (password reset,
//! address confirmation) kept only as hashes, a throttle for the mails they send, one outbox for
//! every e-mail (not only order confirmations), and the shop's legal pages.
//!
//! The outbox moves to a new table because its `order_id` becomes optional, which SQLite cannot
//! change in place; every existing row is copied over.

use crate::shared::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    EmailVerifiedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
}

#[derive(DeriveIden)]
enum AccountTokens {
    Table,
    Id,
    UserId,
    Purpose,
    TokenHash,
    Email,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum MailRequests {
    Table,
    Id,
    Purpose,
    Email,
    ClientIp,
    RequestedAt,
}

#[derive(DeriveIden)]
enum OutboxMessages {
    Table,
    Id,
    Kind,
    Recipient,
    OrderId,
    UserId,
    Secret,
    Detail,
    Attempts,
    NextAttemptAt,
    SentAt,
    LastError,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EmailOutbox {
    Table,
}

#[derive(DeriveIden)]
enum ShopPages {
    Table,
    Slug,
    Title,
    Body,
    UpdatedAt,
}

/// The legal pages every shop needs, as a starting text the operator edits in the admin.
const PAGES: [(&str, &str, &str); 4] = [
    (
        "terms",
        "Terms of sale",
        "These terms apply to every order placed with CloudScale Commerce.\n\n\
         ## Orders\n\nAn order is a contract once we confirm it by e-mail. Prices include the \
         taxes shown at checkout.\n\n## Delivery\n\nWe ship to the address you give at checkout \
         and send you the tracking number.\n\n## Questions\n\nSee the [contact page](/pages/contact).",
    ),
    (
        "privacy",
        "Privacy notice",
        "We keep what we need to sell to you and nothing more.\n\n## What we hold\n\n\
         - your name, e-mail address and phone number, if you give one\n- your saved addresses\n\
         - your orders\n- the browsers you are signed in on (address and browser name)\n\n\
         ## Your rights\n\nOn your account page you can download everything we hold about you \
         and delete your account. Orders stay in our books, as the law requires, without your \
         personal details.",
    ),
    (
        "returns",
        "Returns",
        "You may return unused items within 30 days of delivery.\n\n\
         Write to us through the [contact page](/pages/contact) with your order number.",
    ),
    ("contact", "Contact", "E-mail: support@cloudscale.local\n\nWe answer within one working day."),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Users::EmailVerifiedAt, Users::DeletedAt] {
            manager
                .alter_table(
                    Table::alter().table(Users::Table).add_column(timestamp_with_time_zone_null(column)).to_owned(),
                )
                .await?;
        }
        // Administrators were created by the operator, who knows their addresses; customers
        // confirm theirs from the account page.
        manager
            .get_connection()
            .execute_unprepared("UPDATE users SET email_verified_at = CURRENT_TIMESTAMP WHERE role = 'admin'")
            .await?;

        create_tables(
            manager,
            [
                table_with_id(AccountTokens::Table, AccountTokens::Id)
                    .col(integer(AccountTokens::UserId))
                    .col(string_len(AccountTokens::Purpose, 24))
                    // SHA-256 of the token, hex: the token itself is never stored.
                    .col(string_len_uniq(AccountTokens::TokenHash, 64))
                    // The address the link was sent to (for a change: the new one).
                    .col(string_len(AccountTokens::Email, 254))
                    .col(timestamp_now(AccountTokens::CreatedAt))
                    .col(timestamp_with_time_zone(AccountTokens::ExpiresAt))
                    .foreign_key(&mut cascade("fk_account_tokens_user", AccountTokens::UserId, Users::Table))
                    .to_owned(),
                table_with_id(MailRequests::Table, MailRequests::Id)
                    .col(string_len(MailRequests::Purpose, 24))
                    // Whatever was typed (normalised), whether or not an account has it.
                    .col(string_len(MailRequests::Email, 254))
                    .col(string_len(MailRequests::ClientIp, 45))
                    .col(timestamp_now(MailRequests::RequestedAt))
                    .to_owned(),
                table_with_id(OutboxMessages::Table, OutboxMessages::Id)
                    .col(string_len(OutboxMessages::Kind, 32))
                    .col(string_len(OutboxMessages::Recipient, 254))
                    .col(integer_null(OutboxMessages::OrderId))
                    .col(integer_null(OutboxMessages::UserId))
                    // A single-use link's token, only until the message is sent.
                    .col(text_null(OutboxMessages::Secret))
                    // Template data that is not in the database otherwise (the new address of a change).
                    .col(string_len_null(OutboxMessages::Detail, 254))
                    .col(integer(OutboxMessages::Attempts).default(0))
                    .col(timestamp_now(OutboxMessages::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(OutboxMessages::SentAt))
                    .col(string_len_null(OutboxMessages::LastError, 300))
                    .col(timestamp_now(OutboxMessages::CreatedAt))
                    .foreign_key(&mut cascade("fk_outbox_messages_order", OutboxMessages::OrderId, Orders::Table))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_outbox_messages_user")
                            .from(OutboxMessages::Table, OutboxMessages::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            ],
        )
        .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO outbox_messages \
                 (kind, recipient, order_id, user_id, attempts, next_attempt_at, sent_at, last_error, created_at) \
                 SELECT e.kind, e.recipient, e.order_id, o.user_id, e.attempts, e.next_attempt_at, e.sent_at, \
                 e.last_error, e.created_at FROM email_outbox e JOIN orders o ON o.id = e.order_id ORDER BY e.id",
            )
            .await?;
        manager.drop_table(Table::drop().table(EmailOutbox::Table).to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(ShopPages::Table)
                    .if_not_exists()
                    .col(string_len(ShopPages::Slug, 32).primary_key())
                    .col(string_len(ShopPages::Title, 120))
                    .col(text(ShopPages::Body))
                    .col(timestamp_now(ShopPages::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        for (slug, title, body) in PAGES {
            manager
                .exec_stmt(
                    Query::insert()
                        .into_table(ShopPages::Table)
                        .columns([ShopPages::Slug, ShopPages::Title, ShopPages::Body])
                        .values_panic([slug.into(), title.into(), body.into()])
                        .to_owned(),
                )
                .await?;
        }

        let indexes = [
            index(
                "idx_account_tokens_user_purpose",
                AccountTokens::Table,
                [AccountTokens::UserId, AccountTokens::Purpose],
            ),
            index("idx_mail_requests_email", MailRequests::Table, [MailRequests::Email, MailRequests::RequestedAt]),
            index("idx_mail_requests_client", MailRequests::Table, [MailRequests::ClientIp, MailRequests::RequestedAt]),
            // At most one message of each kind per order: the worker may retry, never duplicate.
            unique_index(
                "uq_outbox_messages_order_kind",
                OutboxMessages::Table,
                [OutboxMessages::OrderId, OutboxMessages::Kind],
            ),
            index(
                "idx_outbox_messages_due",
                OutboxMessages::Table,
                [OutboxMessages::SentAt, OutboxMessages::NextAttemptAt],
            ),
            index("idx_outbox_messages_user", OutboxMessages::Table, [OutboxMessages::UserId]),
        ];
        create_indexes(manager, indexes).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Back to the order-only outbox: messages about accounts have nowhere to go.
        create_email_outbox(manager).await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO email_outbox (order_id, kind, recipient, attempts, next_attempt_at, sent_at, \
                 last_error, created_at) SELECT order_id, kind, recipient, attempts, next_attempt_at, sent_at, \
                 last_error, created_at FROM outbox_messages WHERE kind = 'order_confirmation' ORDER BY id",
            )
            .await?;
        drop_tables(
            manager,
            vec![
                OutboxMessages::Table.into_iden(),
                ShopPages::Table.into_iden(),
                MailRequests::Table.into_iden(),
                AccountTokens::Table.into_iden(),
            ],
        )
        .await?;
        for column in [Users::EmailVerifiedAt, Users::DeletedAt] {
            manager.alter_table(Table::alter().table(Users::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
