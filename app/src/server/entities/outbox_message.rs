use sea_orm::entity::prelude::*;

/// A message to send, written in the same transaction as what it is about (an order, an
/// account change, a request for a link).
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub kind: String,
    pub recipient: String,
    pub order_id: Option<i32>,
    pub user_id: Option<i32>,
    /// The token of a single-use link, kept only until the message is sent (cleared then).
    pub secret: Option<String>,
    /// Template data found nowhere else, such as the new address of an e-mail change.
    pub detail: Option<String>,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
}

/// Never prints the secret: rows end up in logs and test failures.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxMessage")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("order_id", &self.order_id)
            .field("user_id", &self.user_id)
            .field("attempts", &self.attempts)
            .field("sent_at", &self.sent_at)
            .finish_non_exhaustive()
    }
}

relations! {
    Order => belongs_to order (OrderId),
    User => belongs_to user (UserId),
}
