//! Accounts: users, their addresses, server-side sessions shared by every replica, session
//! activity (drives "active users") and failed sign-in records (lockout across replicas).

use crate::shared::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Name,
    Phone,
    PasswordHash,
    Role,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Addresses {
    Table,
    Id,
    UserId,
    Kind,
    FullName,
    Line1,
    Line2,
    City,
    Region,
    PostalCode,
    Country,
    Phone,
    IsDefault,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiresAt,
    UserId,
}

#[derive(DeriveIden)]
enum SessionActivity {
    Table,
    Id,
    SessionId,
    UserId,
    ClientIp,
    UserAgent,
    FirstSeen,
    LastSeen,
}

#[derive(DeriveIden)]
enum FailedSignIns {
    Table,
    Id,
    Email,
    ClientIp,
    AttemptedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_tables(
            manager,
            [
                table_with_id(Users::Table, Users::Id)
                    // Stored trimmed and lowercased, so uniqueness ignores case.
                    .col(string_len_uniq(Users::Email, 254))
                    .col(string_len(Users::Name, 100))
                    .col(string_len_null(Users::Phone, 32))
                    .col(string_len(Users::PasswordHash, 255))
                    .col(
                        string_len(Users::Role, 16)
                            .default("customer")
                            .check(("users_role_known", Expr::col(Users::Role).is_in(["customer", "admin"]))),
                    )
                    .col(timestamp_now(Users::CreatedAt))
                    .col(timestamp_now(Users::UpdatedAt))
                    .to_owned(),
                table_with_id(Addresses::Table, Addresses::Id)
                    .col(integer(Addresses::UserId))
                    .col(
                        string_len(Addresses::Kind, 16)
                            .check(("addresses_kind_known", Expr::col(Addresses::Kind).is_in(["shipping", "billing"]))),
                    )
                    .col(string_len(Addresses::FullName, 100))
                    .col(string_len(Addresses::Line1, 200))
                    .col(string_len_null(Addresses::Line2, 200))
                    .col(string_len(Addresses::City, 100))
                    .col(string_len(Addresses::Region, 100))
                    .col(string_len(Addresses::PostalCode, 20))
                    .col(char_len(Addresses::Country, 2))
                    .col(string_len_null(Addresses::Phone, 32))
                    .col(boolean(Addresses::IsDefault).default(false))
                    .col(timestamp_now(Addresses::CreatedAt))
                    .col(timestamp_now(Addresses::UpdatedAt))
                    .foreign_key(&mut cascade("fk_addresses_user", Addresses::UserId, Users::Table))
                    .to_owned(),
                // Session ids are tower-sessions' 128-bit random ids; the user id is copied out of the
                // session data on save, so "sign out everywhere else" is one DELETE.
                Table::create()
                    .table(Sessions::Table)
                    .if_not_exists()
                    .col(string_len(Sessions::Id, 64).primary_key())
                    .col(text(Sessions::Data))
                    .col(big_integer(Sessions::ExpiresAt))
                    .col(integer_null(Sessions::UserId))
                    .foreign_key(&mut cascade("fk_sessions_user", Sessions::UserId, Users::Table))
                    .to_owned(),
                table_with_id(SessionActivity::Table, SessionActivity::Id)
                    .col(string_len_uniq(SessionActivity::SessionId, 64))
                    .col(integer_null(SessionActivity::UserId))
                    .col(string_len(SessionActivity::ClientIp, 45))
                    .col(string_len(SessionActivity::UserAgent, 512))
                    .col(timestamp_now(SessionActivity::FirstSeen))
                    .col(timestamp_now(SessionActivity::LastSeen))
                    .to_owned(),
                table_with_id(FailedSignIns::Table, FailedSignIns::Id)
                    .col(string_len(FailedSignIns::Email, 254))
                    .col(string_len(FailedSignIns::ClientIp, 45))
                    .col(timestamp_now(FailedSignIns::AttemptedAt))
                    .to_owned(),
            ],
        )
        .await?;

        create_indexes(
            manager,
            vec![
                index("idx_addresses_user_kind", Addresses::Table, [Addresses::UserId, Addresses::Kind]),
                index("idx_sessions_expires", Sessions::Table, [Sessions::ExpiresAt]),
                index("idx_sessions_user", Sessions::Table, [Sessions::UserId]),
                index("idx_session_activity_last_seen", SessionActivity::Table, [SessionActivity::LastSeen]),
                index(
                    "idx_failed_sign_ins_email_time",
                    FailedSignIns::Table,
                    [FailedSignIns::Email, FailedSignIns::AttemptedAt],
                ),
                index(
                    "idx_failed_sign_ins_ip_time",
                    FailedSignIns::Table,
                    [FailedSignIns::ClientIp, FailedSignIns::AttemptedAt],
                ),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            vec![
                FailedSignIns::Table.into_iden(),
                SessionActivity::Table.into_iden(),
                Sessions::Table.into_iden(),
                Addresses::Table.into_iden(),
                Users::Table.into_iden(),
            ],
        )
        .await
    }
}
