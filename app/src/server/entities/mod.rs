//! SeaORM entities, one per table. They sit below the services and import nothing above them.

/// `impl Related<super::<table>::Entity> for Entity` through `Relation::<Variant>`, for each
/// `table => Variant` given: what `find_related`, `inner_join` and `left_join` follow.
macro_rules! related {
    ($($table:ident => $variant:ident),+ $(,)?) => {
        $(
            impl Related<super::$table::Entity> for Entity {
                fn to() -> RelationDef {
                    Relation::$variant.def()
                }
            }
        )+
    };
}

pub mod account_token;
pub mod address;
pub mod cart;
pub mod cart_item;
pub mod category;
pub mod failed_sign_in;
pub mod mail_request;
pub mod monitoring_event;
pub mod monitoring_sample;
pub mod order;
pub mod order_item;
pub mod order_status_history;
pub mod outbox_message;
pub mod product;
pub mod session;
pub mod session_activity;
pub mod shop_page;
pub mod stock_movement;
pub mod user;
