//! SeaORM entities, one per table. They sit below the services and import nothing above them.

/// An entity's `Relation` enum, how each relation joins, the `Related` impl that
/// `find_related`, `inner_join` and `left_join` follow, and the default `ActiveModelBehavior`:
/// `Variant => belongs_to table (ForeignKeyColumn)` for a foreign key this table holds,
/// `Variant => has_many table` for one that points here. Nothing here cascades: the migrations
/// own `ON DELETE`.
macro_rules! relations {
    ($($variant:ident => $kind:ident $table:ident $(($column:ident))?),* $(,)?) => {
        #[derive(Copy, Clone, Debug, EnumIter)]
        pub enum Relation {
            $($variant),*
        }

        impl RelationTrait for Relation {
            fn def(&self) -> RelationDef {
                match *self {
                    $(Self::$variant => relations!(@def $kind $table $($column)?),)*
                }
            }
        }

        $(
            impl Related<super::$table::Entity> for Entity {
                fn to() -> RelationDef {
                    Relation::$variant.def()
                }
            }
        )*

        impl ActiveModelBehavior for ActiveModel {}
    };
    (@def belongs_to $table:ident $column:ident) => {
        Entity::belongs_to(super::$table::Entity)
            .from(Column::$column)
            .to(super::$table::Column::Id)
            .into()
    };
    (@def has_many $table:ident) => {
        Entity::has_many(super::$table::Entity).into()
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
